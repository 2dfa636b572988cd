"""Benchmarks for notebook 03's labs and the virtual cohort (called by benchmarks/run.py).

Nothing runs on import. ``lab_latency`` measures, for each lab, the time from a control change to
updated figure data (the lab's own ``last_update_ms``: model run + figure batch update + readout),
after a warm-up. ``cohort_speed`` times the default 1,000-patient cohort.
"""

from __future__ import annotations

import time

import numpy as np


def _percentiles(samples_ms: list[float]) -> dict:
    values = np.asarray(samples_ms, dtype=float)
    return {"p50_ms": float(np.percentile(values, 50)), "p95_ms": float(np.percentile(values, 95)), "n": int(values.size)}


def _sweep(lab, name: str, values: list, n: int) -> list[float]:
    """Set control ``name`` to successive values n times; collect each update's duration."""
    samples = []
    control = lab.controls[name]
    for k in range(n):
        control.value = values[k % len(values)]
        if lab.last_error is not None:
            raise RuntimeError(f"{type(lab).__name__} failed at {name}={control.value!r}: {lab.last_error}")
        samples.append(lab.last_update_ms)
    return samples


def lab_latency(n: int = 50) -> dict:
    """Per lab: p50 and p95 (ms) of one control change until the figure data is updated."""
    from course_lib.widgets.duration_lab import DurationLab
    from course_lib.widgets.gate_lab import GateLab
    from course_lib.widgets.windup_lab import WindupLab

    plans = {
        "duration_lab": (DurationLab, "months_untreated", [float(m) for m in np.arange(0.0, 24.01, 1.5)]),
        "windup_lab": (WindupLab, "frequency_hz", [round(f, 1) for f in np.arange(0.1, 2.01, 0.3)]),
        "gate_lab": (GateLab, "inhibition", [round(w, 2) for w in np.arange(0.0, 0.301, 0.03)]),
    }
    out = {}
    for key, (cls, control, values) in plans.items():
        lab = cls()
        _sweep(lab, control, values, 5)  # warm-up: numba caches, plotly validators
        out[key] = _percentiles(_sweep(lab, control, values, n))
    return out


def cohort_speed() -> dict:
    """Time (ms) of the default cohort (1,000 patients x 25 treatment times), after one warm-up run."""
    from course_lib.models.cohort import DEFAULT_MONTHS, CohortParams, run_cohort

    run_cohort()  # compile / load the numba cache
    start = time.perf_counter()
    result = run_cohort()
    elapsed = (time.perf_counter() - start) * 1000.0
    return {
        "ms": elapsed,
        "n_patients": CohortParams().n_patients,
        "n_treatment_times": int(DEFAULT_MONTHS.size),
        "p_resolved_by_months_to_treatment": {m: result.probability_at(m) for m in (1, 3, 6, 12)},
    }
