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


def virtual_trial_speed() -> dict:
    """Run time (ms) of each of notebook 04's virtual trials and cohorts, after one warm-up run.

    These run when a learner presses a lab's "Run the trial" button (or in the lesson's number
    tables), so they are measured apart from the slider updates.
    """
    from course_lib.models.causes import shingles_cohort, virtual_glycaemic_trial
    from course_lib.models.gabapentinoid import virtual_drug_trial
    from course_lib.models.reversal import reversal_cohort

    trials = {
        "glycaemic trial, type 1 (20,000 per arm)": lambda: virtual_glycaemic_trial(1),
        "glycaemic trial, type 2 (20,000 per arm)": lambda: virtual_glycaemic_trial(2),
        "drug trial (gabapentinoid vs placebo)": virtual_drug_trial,
        "reversal cohort (months sensitised x treatments)": reversal_cohort,
        "shingles cohort (vaccinated or not)": shingles_cohort,
    }
    out = {}
    for name, run in trials.items():
        run()  # compile / load the numba cache
        start = time.perf_counter()
        run()
        out[name] = round((time.perf_counter() - start) * 1000.0, 1)
    return out
