"""The benchmark's plumbing: its use of the lab registry and its loud failure, percentiles, CDP byte counting.

These check how the figures are gathered, never the figures themselves (timings are reported by
``make bench``, not asserted). What each lab's walk moves is checked in test_lab_registry.py.
"""

from __future__ import annotations

import base64
import gc
import importlib.util

import pytest

from course_lib import lab_registry
from course_lib.syllabus import REPO_ROOT


def _benchmark_module(name: str):
    """benchmarks/<name>.py, loaded from its file: the benchmarks are scripts, not an installed package,
    and loading by path leaves sys.path (and so every other test's imports) as it was."""
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", REPO_ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


browser_bench = _benchmark_module("browser_bench")
labs = _benchmark_module("labs")


def test_the_benchmark_reads_the_course_registry():
    assert labs.key_for_class("ChannelLab") == "channel_lab"
    assert labs.key_for_class("NotALab") == "NotALab"  # an unregistered lab is reported by class name


def test_a_lab_missing_from_the_registry_makes_the_benchmark_fail_and_names_it():
    from course_lib.widgets.base import Lab

    new_lab = type("BrandNewLab", (Lab,), {"__module__": "course_lib.widgets.brand_new"})
    try:
        assert "BrandNewLab" in labs.uncovered_labs()
        with pytest.raises(RuntimeError, match="BrandNewLab.*lab_registry"):
            labs.lab_latency(n=1)
    finally:
        del new_lab
        gc.collect()
    assert "BrandNewLab" not in labs.uncovered_labs()


def test_percentiles_are_nearest_rank():
    stats = labs.percentiles([float(v) for v in range(100, 0, -1)])  # 1..100 in any order
    assert stats == {"p50": 50.5, "p95": 95.0, "n": 100}
    assert labs.percentiles([7.0]) == {"p50": 7.0, "p95": 7.0, "n": 1}


class FakeCDP:
    def __init__(self):
        self.handlers, self.sent = {}, []

    def send(self, method, params=None):
        self.sent.append(method)

    def on(self, event, handler):
        self.handlers[event] = handler


def test_byte_counter_counts_text_binary_frames_and_http_by_phase():
    cdp = FakeCDP()
    counter = browser_bench.ByteCounter(cdp)
    assert cdp.sent == ["Network.enable"]
    frame = cdp.handlers["Network.webSocketFrameReceived"]
    http = cdp.handlers["Network.loadingFinished"]
    http({"encodedDataLength": 1000})
    counter.phase = "cold"
    frame({"response": {"opcode": 1, "payloadData": "héllo"}})  # 6 bytes in UTF-8
    frame({"response": {"opcode": 2, "payloadData": base64.b64encode(bytes(300)).decode()}})
    http({"encodedDataLength": 50})
    assert counter.bytes["load"] == {"websocket": 0, "http": 1000}
    assert counter.bytes["cold"] == {"websocket": 306, "http": 50}
    assert counter.total("cold") == 356
    assert counter.total("never") == 0


def test_lab_cells_are_named_by_the_lab_class_they_build_in_the_registry_notebook():
    from course_lib.syllabus import enabled_notebooks

    found = {(entry.id, name) for entry in enabled_notebooks() for _, name in browser_bench._lab_cells(entry.path)}
    assert found, "no lab cell found in any notebook"
    unregistered = {name for _, name in found} - set(lab_registry.LABS_BY_NAME)
    assert not unregistered, f"lab cells building unregistered labs: {unregistered}"
    # each registered lab is built by a lab cell of the notebook the registry names for it (its first)
    first_seen: dict[str, str] = {}
    for notebook, name in sorted(found):
        first_seen.setdefault(name, notebook)
    assert first_seen == {entry.name: entry.notebook for entry in lab_registry.LABS}
