"""Our virtual cohort: resolution becomes less likely the longer the cause goes untreated."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.models.cohort import CohortParams, run_cohort


@pytest.fixture(scope="module")
def default_cohort():
    return run_cohort()


def test_curve_is_monotone_non_increasing(default_cohort):
    assert np.all(np.diff(default_cohort.p_resolved) <= 0)


def test_each_patient_who_fails_early_also_fails_later(default_cohort):
    resolved = default_cohort.resolved
    assert np.all(resolved[:-1] >= resolved[1:])


def test_early_treatment_is_much_more_likely_to_resolve(default_cohort):
    p = {m: default_cohort.probability_at(m) for m in (1, 3, 6, 12)}
    assert p[1] > p[3] > p[6] > p[12]
    assert p[1] - p[12] > 0.2
    assert 0.0 < p[12] < 1.0  # neither all nor none: patients differ


def test_no_cliff_at_three_months(default_cohort):
    # The 3-month line is a clinical convention; the model's curve has no step there.
    drops = -np.diff(default_cohort.p_resolved)
    step_at_3 = default_cohort.probability_at(2) - default_cohort.probability_at(4)
    assert step_at_3 < 3 * np.median(drops[:6]) + 1e-9


def test_same_seed_same_cohort_other_seed_similar():
    a = run_cohort(months=[1, 6], cohort=CohortParams(n_patients=300, seed=1))
    b = run_cohort(months=[1, 6], cohort=CohortParams(n_patients=300, seed=1))
    c = run_cohort(months=[1, 6], cohort=CohortParams(n_patients=300, seed=2))
    assert np.array_equal(a.p_resolved, b.p_resolved)
    assert np.allclose(a.p_resolved, c.p_resolved, atol=0.1)


def test_result_comes_from_the_model_not_a_table():
    gentle = run_cohort(months=[6], cohort=CohortParams(n_patients=200, drive_median=0.5))
    severe = run_cohort(months=[6], cohort=CohortParams(n_patients=200, drive_median=1.5))
    assert gentle.p_resolved[0] > severe.p_resolved[0]


def test_unsorted_months_give_the_same_answers(default_cohort):
    shuffled = run_cohort(months=[12, 1, 6, 3])
    expected = [default_cohort.probability_at(m) for m in (12, 1, 6, 3)]
    assert np.allclose(shuffled.p_resolved, expected)


def test_kernel_runs_without_numba():
    code = (
        "import json; from course_lib.models.cohort import CohortParams, run_cohort;"
        "r = run_cohort(months=[0.5, 8], cohort=CohortParams(n_patients=20, follow_up_months=6));"
        "print(json.dumps(r.final_pain.tolist()))"
    )
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    expected = run_cohort(months=[0.5, 8], cohort=CohortParams(n_patients=20, follow_up_months=6)).final_pain
    assert np.allclose(json.loads(out.stdout), expected, rtol=1e-9, atol=1e-12)


def test_bad_settings_are_rejected():
    with pytest.raises(ValueError, match="n_patients"):
        run_cohort(cohort=CohortParams(n_patients=0))
    with pytest.raises(ValueError, match="months"):
        run_cohort(months=[-1.0])


@settings(max_examples=25, deadline=None)
@given(
    kappa_sd=st.floats(0.0, 0.5),
    theta_sd=st.floats(0.0, 0.5),
    drive_median=st.floats(0.01, 2.0),
    drive_log_sd=st.floats(0.0, 1.0),
    healing=st.floats(1.0, 365.0),
    healing_log_sd=st.floats(0.0, 1.0),
    tau=st.floats(1.0, 365.0),
    tau_log_sd=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_allowed_spread_gives_a_valid_monotone_curve(
    kappa_sd, theta_sd, drive_median, drive_log_sd, healing, healing_log_sd, tau, tau_log_sd, seed
):
    cohort = CohortParams(
        n_patients=30, seed=seed, kappa_sd=kappa_sd, theta_sd=theta_sd, drive_median=drive_median,
        drive_log_sd=drive_log_sd, healing_days_median=healing, healing_log_sd=healing_log_sd,
        tau_S_days_median=tau, tau_S_log_sd=tau_log_sd, follow_up_months=6, dt_days=2.0,
    )
    result = run_cohort(months=[0, 2, 6, 12], cohort=cohort)
    assert np.all(np.isfinite(result.final_pain))
    assert np.all((result.p_resolved >= 0) & (result.p_resolved <= 1))
    assert np.all(np.diff(result.p_resolved) <= 0)
