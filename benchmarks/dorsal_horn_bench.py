"""Benchmark of the virtual cohort (called by benchmarks/run.py).

Nothing runs on import. ``cohort_speed`` times the default 1,000-patient cohort. The labs' latency is
measured for every lab alike in labs.py.
"""

from __future__ import annotations

import time


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
