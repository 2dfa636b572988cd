"""Every lab's Python-side slider latency (used by run.py), walking the course's lab registry.

The labs, how to build each and which control changes to time are listed once, in
``course_lib.lab_registry`` (see "How to add a lab" there). :func:`lab_latency` fails loudly if a
``Lab`` subclass exists that the registry lacks: a benchmark failure here, and a test failure in
``tests/unit/test_lab_registry.py``.

Latency is the wall time of ``lab.controls[name].value = v``: the observe chain, the model run, the
figure's batch update and the readout, as one slider step in a notebook (without the round trip to
the browser, which browser_bench.py measures).
"""

from __future__ import annotations

import time

import numpy as np

from course_lib import lab_registry


def key_for_class(class_name: str) -> str:
    """The report key of a lab class (falls back to the class name for an unregistered lab)."""
    entry = lab_registry.LABS_BY_NAME.get(class_name)
    return entry.key if entry else class_name


def uncovered_labs() -> list[str]:
    return lab_registry.unregistered_labs()


def percentiles(samples_ms: list[float]) -> dict:
    """p50 and p95 (nearest rank) of milliseconds, and the sample count."""
    ordered = sorted(samples_ms)
    p95_index = max(0, min(len(ordered) - 1, int(np.ceil(0.95 * len(ordered))) - 1))
    return {"p50": round(float(np.median(ordered)), 2), "p95": round(float(ordered[p95_index]), 2),
            "n": len(ordered)}


def _sweep(lab, changes: list[dict], n: int) -> list[float]:
    samples = []
    for k in range(n):
        name, value = next(iter(changes[k % len(changes)].items()))
        control = lab.controls[name]
        start = time.perf_counter()
        control.value = value
        samples.append((time.perf_counter() - start) * 1000.0)
        if lab.last_error is not None:
            raise RuntimeError(f"{type(lab).__name__} failed at {name}={value!r}: {lab.last_error}")
    return samples


def lab_latency(n: int = 50) -> dict:
    """Per lab: p50/p95 (ms) of one control change until the figure data is updated, and build time."""
    missing = uncovered_labs()
    if missing:
        raise RuntimeError(
            f"no registry entry for the lab(s) {missing}: add a LabEntry for each to LABS in "
            "course_lib/lab_registry.py (which control to move, through which values)")
    out = {}
    for entry in sorted(lab_registry.LABS, key=lambda e: e.name):
        start = time.perf_counter()
        lab = entry.factory()
        build_ms = (time.perf_counter() - start) * 1000.0
        entry.prepare(lab)
        _sweep(lab, list(entry.changes[-3:]), 3)  # warm-up: numba cache, plotly validators
        out[entry.key] = {**percentiles(_sweep(lab, list(entry.changes), n)), "build_ms": round(build_ms, 1)}
    return out
