"""The benchmark's plumbing: lab discovery and its loud failure, percentiles, CDP byte counting.

These check how the figures are gathered, never the figures themselves (timings are reported by
``make bench``, not asserted).
"""

from __future__ import annotations

import base64
import gc
import sys

import pytest

from course_lib.syllabus import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "benchmarks"))

import browser_bench  # noqa: E402
import labs  # noqa: E402


def test_discovery_finds_the_course_labs_by_class():
    found = labs.discover_labs()
    for name in ("ThresholdDemoLab", "ChannelLab", "BalanceLab", "GateLab"):
        assert name in found
    assert "Lab" not in found  # the base class is not a lab


def test_every_current_lab_has_a_setting_with_real_controls():
    assert labs.uncovered_labs() == []
    for class_name, cls in labs.discover_labs().items():
        setting = labs.LAB_SETTINGS[class_name]
        controls = {name for change in setting.changes for name in change}
        lab = (setting.factory or cls)()
        assert controls <= set(lab.controls), f"{class_name}: unknown controls {controls - set(lab.controls)}"


def test_a_lab_without_a_setting_makes_the_benchmark_fail_and_names_it():
    from course_lib.widgets.base import Lab

    new_lab = type("BrandNewLab", (Lab,), {"__module__": "course_lib.widgets.brand_new"})
    try:
        assert "BrandNewLab" in labs.uncovered_labs()
        with pytest.raises(RuntimeError, match="BrandNewLab.*LAB_SETTINGS"):
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


def test_lab_cells_are_named_by_the_lab_class_they_build():
    from course_lib.syllabus import enabled_notebooks

    found = {name for entry in enabled_notebooks() for _, name in browser_bench._lab_cells(entry.path)}
    assert found, "no lab cell found in any notebook"
    assert found <= set(labs.LAB_SETTINGS), f"lab cells building unregistered labs: {found - set(labs.LAB_SETTINGS)}"
