"""Importing a lab from a read-only install with a read-only home still works (issue 9 item 10).

numba refuses to define an ``@njit(cache=True)`` function when neither the package's
``__pycache__`` nor ``~/.cache/numba`` is writable; ``course_lib.models`` then points numba at
a temporary folder. The test builds such an install: a copy of ``course_lib`` whose
``__pycache__`` folders cannot be created (a plain file sits where each would go, which
stops root too, who ignores permission bits) and a HOME inside /proc, where nothing can be
created.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import course_lib

PROBE = """
import json, numba, course_lib, course_lib.models
from course_lib.widgets.channel_lab import ChannelLab
from course_lib.models import drg
from course_lib.models.stimulus import Step
run = drg.simulate(drg.HEALTHY, Step(150.0, 10.0, 40.0), t_stop_ms=60.0)
print(json.dumps({"package": course_lib.__file__, "cache_dir": numba.config.CACHE_DIR,
                  "fallback": course_lib.models.FALLBACK_CACHE_DIR, "spikes": run.n_spikes}))
"""


def _read_only_copy(root: Path) -> Path:
    source = Path(course_lib.__file__).resolve().parent
    target = root / "site" / "course_lib"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for folder in [target, *[p for p in target.rglob("*") if p.is_dir()]]:
        (folder / "__pycache__").write_text("not a folder: nothing can be cached here\n")
    for path in [target, *target.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    return target.parent


def test_a_lab_imports_and_runs_from_a_read_only_install(tmp_path):
    site = _read_only_copy(tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {key: value for key, value in os.environ.items()
           if key not in ("NUMBA_CACHE_DIR", "XDG_CACHE_HOME", "PYTHONPATH")}
    env.update(HOME="/proc/course-lib-no-home", PYTHONPATH=str(site), TMPDIR=str(scratch),
               PYTHONDONTWRITEBYTECODE="1")
    try:
        done = subprocess.run([sys.executable, "-c", PROBE], cwd=site, env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        report = json.loads(done.stdout.strip().splitlines()[-1])
        assert Path(report["package"]).resolve().is_relative_to(site.resolve())
        assert report["fallback"] and report["cache_dir"] == report["fallback"]
        assert Path(report["fallback"]).resolve().is_relative_to(scratch.resolve())
        assert any(Path(report["fallback"]).rglob("*.nbi")), "kernels were cached there"
        assert report["spikes"] >= 1
    finally:
        for path in [site, *site.rglob("*")]:        # let pytest clean up its tmp_path
            path.chmod(path.stat().st_mode | stat.S_IWUSR)


def test_a_writable_install_keeps_numbas_own_cache():
    import course_lib.models as models

    assert models.ensure_numba_cache_dir() is None        # numba's own folder is usable here
    here = Path(models.__file__).parent / "__pycache__"
    assert models._writable_dir(str(here))
    assert models.FALLBACK_CACHE_DIR is None
