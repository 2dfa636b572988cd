"""Reversing central sensitisation (our teaching model): harder and slower the longer S was high."""

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.models.reversal import (
    COHORT_RANGES,
    RANGES,
    TREATMENTS,
    ReversalCohortParams,
    ReversalParams,
    reversal_cohort,
    simulate_reversal,
)

BOTH = "both"
CAUSE = "cause removed"
INHIB_ONLY = "inhibition only (cause still active)"


@pytest.fixture(scope="module")
def cohort():
    return reversal_cohort(cohort=ReversalCohortParams(n_patients=400))


def test_recovery_is_harder_the_longer_s_was_high(cohort):
    for b, name in enumerate(cohort.treatments):
        frac = cohort.recovered_fraction[:, b]
        assert np.all(np.diff(frac) <= 1e-12), name  # never easier after longer sensitisation
    both = cohort.recovered_fraction[:, cohort.treatments.index(BOTH)]
    assert both[0] > 0.9 and both[-1] < 0.5


def test_recovery_is_slower_the_longer_s_was_high(cohort):
    days = cohort.median_days_to_recovery[:, cohort.treatments.index(BOTH)]
    assert np.all(np.diff(days) > 0)


def test_removing_the_cause_helps_early_and_inhibition_cannot_hold_while_the_cause_is_active(cohort):
    cause = cohort.recovered_fraction[:, cohort.treatments.index(CAUSE)]
    assert cause[0] > 0.5 and cause[-1] < 0.05
    assert np.all(cohort.recovered_fraction[:, cohort.treatments.index(INHIB_ONLY)] < 0.05)
    both = cohort.recovered_fraction[:, cohort.treatments.index(BOTH)]
    assert np.all(both >= cause)


def test_one_patient_early_late_and_very_late():
    early = simulate_reversal(ReversalParams(months_sensitised=1, inhibition_boost=0.0))
    assert early.recovered  # cause removed after one month: the switch falls back by itself
    late_cause_only = simulate_reversal(ReversalParams(months_sensitised=12, inhibition_boost=0.0))
    late_both = simulate_reversal(ReversalParams(months_sensitised=12))
    assert not late_cause_only.recovered and late_both.recovered
    # once below its tipping point, S stays low after the treatment has ended
    assert late_both.S[-1] < 0.1
    very_late = simulate_reversal(ReversalParams(months_sensitised=48))
    assert not very_late.recovered
    stronger = simulate_reversal(ReversalParams(months_sensitised=48, inhibition_boost=0.3, treatment_months=12))
    assert stronger.recovered  # harder, not impossible: more inhibition for longer


def test_consolidation_follows_s_slowly():
    r = simulate_reversal(ReversalParams(months_sensitised=12))
    assert r.recovered
    n = int(r.treatment_day)
    assert np.all(np.diff(r.M[:n]) >= 0)  # grows while sensitised
    assert r.M[n] < 1.0 and r.M[30] < 0.1  # slowly: after a month it is still small
    assert r.M[-1] < r.M[n]  # and falls once S is low


@settings(max_examples=20, deadline=None)
@given(h1=st.floats(0.0, 0.4), dh=st.floats(0.02, 0.1), months=st.floats(1.0, 60.0))
def test_more_inhibition_never_makes_recovery_less_likely(h1, dh, months):
    lo = simulate_reversal(ReversalParams(months_sensitised=months, inhibition_boost=h1, dt_days=2.0))
    hi = simulate_reversal(ReversalParams(months_sensitised=months, inhibition_boost=h1 + dh, dt_days=2.0))
    assert hi.recovered or not lo.recovered


@settings(max_examples=25, deadline=None)
@given(
    months=st.floats(*RANGES["months_sensitised"]),
    drive=st.floats(*RANGES["drive_before"]),
    red=st.floats(*RANGES["drive_reduction"]),
    h=st.floats(*RANGES["inhibition_boost"]),
    treat=st.floats(*RANGES["treatment_months"]),
    tau_m=st.floats(*RANGES["tau_M_days"]),
    margin=st.floats(*RANGES["fresh_margin"]),
    depth=st.floats(*RANGES["depth"]),
)
def test_over_the_valid_range(months, drive, red, h, treat, tau_m, margin, depth):
    r = simulate_reversal(ReversalParams(months_sensitised=months, drive_before=drive, drive_reduction=red,
                                         inhibition_boost=h, treatment_months=treat, tau_M_days=tau_m,
                                         fresh_margin=margin, depth=depth, follow_up_months=12, dt_days=5.0))
    for a in (r.S, r.M, r.pain_signal):
        assert np.all(np.isfinite(a))
    assert np.all((r.S >= 0) & (r.S <= 1)) and np.all((r.M >= 0) & (r.M <= 1))


@pytest.mark.parametrize("bad", [math.nan, math.inf, -1e6, 1e12])
def test_invalid_values_name_the_field(bad):
    for field in RANGES:
        with pytest.raises(ValueError, match=field):
            ReversalParams(**{field: bad}).validate()
    for field in COHORT_RANGES:
        with pytest.raises(ValueError, match=field):
            ReversalCohortParams(**{field: bad}).validate()
    with pytest.raises(ValueError, match="months"):
        reversal_cohort(months=[bad])
    with pytest.raises(ValueError, match="inhibition_boost"):
        reversal_cohort(treatments={"x": (1.0, bad)})


def _reversal_kernels_summary() -> dict:
    """A few numbers from each of the three kernels, the same with or without numba."""
    from course_lib.models.causes import TrappedNerveParams, run_trapped_nerve

    r = simulate_reversal(ReversalParams(months_sensitised=2, follow_up_months=2))
    c = reversal_cohort(months=[1.0], cohort=ReversalCohortParams(n_patients=10, follow_up_months=2))
    d = run_trapped_nerve(TrappedNerveParams(follow_up_days=60))
    return {"recovered": bool(r.recovered), "S_end": float(r.S[-1]), "pain_end": float(r.pain_signal[-1]),
            "cohort": [float(x) for x in np.ravel(c.recovered_fraction)], "shape": list(c.recovered_fraction.shape),
            "resolved": bool(d.resolved), "nerve_pain_end": float(np.ravel(d.pain_signal)[-1])}


def test_kernels_run_without_numba_and_agree_with_the_compiled_ones():
    code = ("import json, tests.science.test_reversal as t; "
            "print(json.dumps(t._reversal_kernels_summary()))")
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300,
                         cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert out.returncode == 0, out.stderr
    plain = json.loads(out.stdout.strip().splitlines()[-1])
    compiled = _reversal_kernels_summary()
    assert plain["shape"] == compiled["shape"] == [1, 3]  # one month x three treatments
    assert plain["recovered"] == compiled["recovered"] and plain["resolved"] == compiled["resolved"]
    for key in ("S_end", "pain_end", "nerve_pain_end"):
        assert plain[key] == pytest.approx(compiled[key], rel=1e-9, abs=1e-12), key
    assert plain["cohort"] == pytest.approx(compiled["cohort"], abs=1e-12)


@settings(max_examples=8, deadline=None)
@given(
    kappa_sd=st.floats(*COHORT_RANGES["kappa_sd"]),
    theta_sd=st.floats(*COHORT_RANGES["theta_sd"]),
    boost_sd=st.floats(*COHORT_RANGES["boost_log_sd"]),
    treat=st.floats(*COHORT_RANGES["treatment_months"]),
)
def test_cohort_over_its_valid_range(kappa_sd, theta_sd, boost_sd, treat):
    c = reversal_cohort(months=[2.0, 20.0], cohort=ReversalCohortParams(
        n_patients=40, kappa_sd=kappa_sd, theta_sd=theta_sd, boost_log_sd=boost_sd, treatment_months=treat,
        follow_up_months=max(treat, 1.0) + 3.0))
    assert np.all((c.recovered_fraction >= 0) & (c.recovered_fraction <= 1))
    assert np.all(c.recovered_fraction[1] <= c.recovered_fraction[0])  # same patients: later is never easier
