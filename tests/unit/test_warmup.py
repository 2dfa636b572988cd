"""The install-time warm-up fills numba's on-disk cache, so a later process compiles nothing.

Each check runs in a fresh Python process with its own empty ``NUMBA_CACHE_DIR``: inside this test
process numba may already hold compiled kernels from other tests, which would hide a gap.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from course_lib import warmup
from course_lib.syllabus import REPO_ROOT


def _run(args: list[str], cache_dir, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "NUMBA_DISABLE_JIT"}
    env.update({"NUMBA_CACHE_DIR": str(cache_dir), **(extra_env or {})})
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                          cwd=REPO_ROOT, timeout=600)


@pytest.fixture(scope="module")
def two_warmups(tmp_path_factory):
    """Run the warm-up twice against one empty cache; return both JSON reports."""
    cache = tmp_path_factory.mktemp("numba-cache")
    reports = []
    for _ in range(2):
        done = _run(["-m", "course_lib.warmup", "--json"], cache)
        assert done.returncode == 0, done.stderr
        reports.append(json.loads(done.stdout))
    return cache, reports


def test_first_warmup_compiles_every_entry_point_into_the_cache(two_warmups):
    cache, (first, _) = two_warmups
    assert first["jit_enabled"] is True
    assert sum(k["cache_misses"] for k in first["kernels"]) > 0
    assert {k["cache_path"] for k in first["kernels"]} and all(
        k["cache_path"].startswith(str(cache)) for k in first["kernels"])
    assert any(cache.rglob("*.nbc")), "no compiled code written to NUMBA_CACHE_DIR"


def test_second_process_loads_everything_from_the_cache_and_compiles_nothing(two_warmups):
    _, (first, second) = two_warmups
    assert sum(k["cache_misses"] for k in second["kernels"]) == 0, [
        k["name"] for k in second["kernels"] if k["cache_misses"]]
    assert sum(k["cache_hits"] for k in second["kernels"]) > 0
    # every kernel compiled by the first run came back from the cache in the second
    compiled_first = {k["name"] for k in first["kernels"] if k["cache_misses"]}
    direct_entry_points = {k["name"] for k in second["kernels"] if k["cache_hits"]}
    assert direct_entry_points <= compiled_first


def test_every_kernel_in_the_models_package_is_found():
    kernels = warmup.compiled_kernels()
    # the integrators of the two neuron models and the cohort kernel at least
    for name in ("course_lib.models.drg._integrate", "course_lib.models.excitability._integrate",
                 "course_lib.models.cohort._cohort_kernel", "course_lib.models.stimulus._ar1"):
        assert name in kernels
    assert all(name.startswith("course_lib.models.") for name in kernels)
    # a kernel imported into another module is listed once, under its own module
    assert "course_lib.models.drg.table_slot" not in kernels
    assert "course_lib.models._rate_table.table_slot" in kernels


def test_a_warmup_that_misses_a_model_fails_and_names_the_kernel(two_warmups, tmp_path):
    # A kernel counts as reached only if this process gave it machine code, from the cache or compiled,
    # so a copy of the filled cache gives the same verdict as an empty one, without compiling the rest.
    filled, _ = two_warmups
    cache = shutil.copytree(filled, tmp_path / "numba-cache")
    script = (
        "from course_lib import warmup\n"
        "calls = tuple(c for c in warmup.WARMUP_CALLS if c[0] != 'windup')\n"
        "warmup.warm_up(calls)\n"
    )
    done = _run(["-c", script], cache)
    assert done.returncode != 0
    assert "course_lib.models.windup._windup_kernel" in done.stderr
    assert "WARMUP_CALLS" in done.stderr
    # only the missing model is named, not the ones the other calls reached
    assert "course_lib.models.drg._integrate" not in done.stderr


def test_with_jit_disabled_there_is_nothing_to_compile(tmp_path):
    done = _run(["-m", "course_lib.warmup"], tmp_path, {"NUMBA_DISABLE_JIT": "1"})
    assert done.returncode == 0, done.stderr
    assert "disabled" in done.stdout
    assert not any(tmp_path.rglob("*.nbi"))


def test_labs_compile_nothing_after_the_warmup(two_warmups):
    # the warm-up must compile the same specialisations (argument types) the labs ask for, or a
    # learner's first notebook still compiles: build every lab, move its controls, count compiles
    cache, _ = two_warmups
    script = (
        "import json\n"
        "from course_lib import warmup\n"
        "from course_lib.lab_registry import LABS\n"
        "for entry in LABS:\n"
        "    lab = entry.factory()\n"
        "    entry.prepare(lab)\n"
        "    for change in entry.changes[:: max(1, len(entry.changes) // 4)]:\n"
        "        for control, value in change.items():\n"
        "            lab.controls[control].value = value\n"
        "        assert lab.last_error is None, (entry.name, change, lab.last_error)\n"
        "print(json.dumps({name: sum(k.stats.cache_misses.values())\n"
        "                  for name, k in warmup.compiled_kernels().items()}))\n"
    )
    done = _run(["-c", script], cache)
    assert done.returncode == 0, done.stderr[-3000:]
    misses = json.loads(done.stdout.strip().splitlines()[-1])
    assert {name: n for name, n in misses.items() if n} == {}
