"""Bad input the fuzz test once let through (issue 20 item 5 and "Bad input, everywhere"), each refused by name.

The complete table in test_model_input_fuzz.py keeps every function honest; these are the
cases the issue named, one test each, so a regression reads as the issue's own words.
"""

from __future__ import annotations

import math

import pytest

from course_lib.models import causes, drug_outcomes, gabapentinoid, outcomes, pathway, reversal, sensitisation, timeline

REFUSED = [
    ("hba1c", lambda: causes.damage_rate_per_year(math.nan)),
    ("hba1c", lambda: causes.damage_rate_per_year("7")),
    ("hba1c", lambda: causes.damage_rate_per_year(math.inf)),
    ("susceptibility", lambda: causes.damage_rate_per_year(7.0, 1, -1.0)),
    ("n_people", lambda: causes.shingles_cohort(n_people=10.5)),
    ("n =", lambda: drug_outcomes.per_100(math.nan)),
    ("n =", lambda: drug_outcomes.per_100(math.inf)),
    ("n =", lambda: drug_outcomes.per_100(0)),
    ("n =", lambda: drug_outcomes.per_100(-1)),
    ("inhibition", lambda: pathway.spinal_params(pathway.DEFAULT_PATHWAY, "0.3")),
    ("inhibition", lambda: pathway.spinal_params(pathway.DEFAULT_PATHWAY, None)),
    ("treatments", lambda: reversal.reversal_cohort(treatments=[(0.5, 0.1)])),
    ("pain_before_0_10", lambda: outcomes.OutcomeReport(pain_before_0_10=11.0).validate()),
    ("pain_before_0_10", lambda: outcomes.OutcomeReport(pain_before_0_10=0.0).validate()),
    # calibrate_type1 checked nothing
    ("conventional_incidence", lambda: causes.calibrate_type1(conventional_incidence=math.nan)),
    ("conventional_incidence", lambda: causes.calibrate_type1(conventional_incidence=0.0)),
    ("years", lambda: causes.calibrate_type1(years=0.0)),
    ("log_sd", lambda: causes.calibrate_type1(log_sd=-1.0)),
    ("hba1c_sd", lambda: causes.calibrate_type1(hba1c_sd=-0.7)),
    ("conventional", lambda: causes.calibrate_type1(conventional=6.0)),
    ("hba1c", lambda: causes.damage_rate_per_year(None)),
    ("diabetes_type", lambda: causes.damage_rate_per_year(7.0, True)),
    # counts and seeds of 20000.5 were cut to whole numbers
    ("n_per_arm", lambda: causes.virtual_glycaemic_trial(n_per_arm=20000.5)),
    ("seed", lambda: causes.virtual_glycaemic_trial(n_per_arm=20, seed=20000.5)),
    ("n_people", lambda: causes.shingles_cohort(n_people=20000.5)),
    ("seed", lambda: causes.shingles_cohort(n_people=10, seed=20000.5)),
    # gabapentinoid.occupancy checked nothing; sensitised_state named r_C for a bad drive
    ("t_days", lambda: gabapentinoid.occupancy([0.0, math.nan], 0.0, 10.0, 7.0, 2.0)),
    ("onset_days", lambda: gabapentinoid.occupancy([0.0, 1.0], 0.0, 10.0, 0.0, 2.0)),
    ("days_on", lambda: gabapentinoid.occupancy([0.0, 1.0], 0.0, -1.0, 7.0, 2.0)),
    ("^drive", lambda: gabapentinoid.sensitised_state(sensitisation.SensitisationParams(), math.nan)),
    # drive_time_course: inf means "never treated" (documented); -inf, NaN and text are refused
    ("treat_day", lambda: timeline.drive_time_course([0.0], 0.9, -math.inf, 30.0)),
    ("treat_day", lambda: timeline.drive_time_course([0.0], 0.9, math.nan, 30.0)),
    ("treat_day", lambda: timeline.drive_time_course([0.0], 0.9, "5", 30.0)),
    # parameter sets are checked when they are built, not when someone calls validate()
    ("months_untreated", lambda: timeline.TimelineParams(months_untreated=math.nan)),
    ("acute_severity", lambda: causes.run_scenario("shingles", acute_severity=math.nan)),
]


@pytest.mark.parametrize("name, call", REFUSED, ids=[f"{n}-{k}" for k, (n, _c) in enumerate(REFUSED)])
def test_bad_input_is_refused_with_the_parameter_named(name, call):
    with pytest.raises(ValueError, match=name):
        call()


def test_a_cohort_with_no_milder_case_of_phn_has_no_rate_ratio_rather_than_an_infinite_one():
    # damage_log_sd = 0: everyone keeps the same lasting damage, and nobody with milder acute pain
    # develops PHN; the ratio is undefined (nan), not infinite
    r = causes.shingles_cohort(damage_log_sd=0.0)
    assert math.isnan(r.phn_rate_ratio_severe_acute_pain)
    assert math.isfinite(causes.shingles_cohort().phn_rate_ratio_severe_acute_pain)


def test_never_treated_is_still_inf():
    assert timeline.drive_time_course([0.0, 100.0], 0.9, math.inf, 30.0).tolist() == [0.9, 0.9]


def test_good_input_still_works():
    assert causes.damage_rate_per_year(7.0) > 0
    assert drug_outcomes.per_100(4.0) == pytest.approx(25.0)
    assert outcomes.OutcomeReport().validate().pain_before_0_10 == 7.0
