"""Gabapentinoid model: relief while taken, relapse after stopping, trial rates near the published ones."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.models.gabapentinoid import (
    RANGES,
    TRIAL_RANGES,
    DrugTrialParams,
    GabapentinoidParams,
    occupancy,
    simulate_course,
    virtual_drug_trial,
)
from course_lib.models.sensitisation import SensitisationParams, threshold_state
from course_lib.models.trials import PUBLISHED

PREGABALIN_NNT = PUBLISHED["Finnerup_pregabalin"].arms[0][1]  # 7.7


def test_relief_while_taken_and_pain_returns_after_stopping():
    r = simulate_course()
    assert r.on_drug_pain < 0.8 * r.baseline_pain
    assert r.relapsed
    assert r.after_pain == pytest.approx(r.baseline_pain, rel=0.02)


def test_a_short_course_does_not_cure_even_at_a_strong_effect():
    # the behaviour the issue forbids: a 20-day course permanently resetting sensitisation
    r = simulate_course(GabapentinoidParams(days_on=20, release_block=0.9))
    tipping = threshold_state(SensitisationParams(), 0.0)
    assert np.all(r.S > tipping)  # S never crosses its tipping point
    assert r.relapsed


def test_the_drug_acts_on_transmission_not_on_self_reinforcement():
    # with no ongoing drive, a sensitised cord has nothing for the drug to reduce but the everyday
    # C input: relief is partial and S stays high throughout
    r = simulate_course(GabapentinoidParams(ongoing_drive=0.0, release_block=0.6))
    assert r.S.min() > 0.9
    assert r.on_drug_pain < r.baseline_pain and r.relapsed


@settings(max_examples=25, deadline=None)
@given(b1=st.floats(0.0, 0.85), db=st.floats(0.01, 0.05), drive=st.floats(0.0, 1.0))
def test_more_release_block_means_no_more_pain_on_the_drug(b1, db, drive):
    lo = simulate_course(GabapentinoidParams(release_block=b1, ongoing_drive=drive))
    hi = simulate_course(GabapentinoidParams(release_block=b1 + db, ongoing_drive=drive))
    assert hi.on_drug_pain <= lo.on_drug_pain + 1e-9


def test_virtual_trial_responder_rates_sit_near_the_published_ones():
    r = virtual_drug_trial()
    # stated bands: placebo responders 20-30 %; drug 9-17 points more (NNT 5.9-11; published
    # pregabalin NNT 7.7, 95 % CI 6.5-9.4)
    assert 0.20 <= r.responders_placebo <= 0.30
    assert 0.09 <= r.responders_drug - r.responders_placebo <= 0.17
    assert r.nnt == pytest.approx(PREGABALIN_NNT, abs=2.0)


def test_after_stopping_most_drug_patients_relapse_and_the_arms_look_alike_again():
    r = virtual_drug_trial()
    assert r.relapse_fraction > 0.8
    assert abs(r.responders_drug_after - r.responders_placebo_after) < 0.03


def test_without_a_placebo_response_only_the_drug_makes_responders():
    with_placebo = virtual_drug_trial()
    without = virtual_drug_trial(DrugTrialParams(placebo_scale=0.0))
    assert without.responders_placebo == 0.0  # nothing changes the model's pain in the placebo arm
    assert 0.0 < without.responders_drug < with_placebo.responders_drug
    # what the drug adds is about the same with or without the placebo response
    added = with_placebo.responders_drug - with_placebo.responders_placebo
    assert without.responders_drug == pytest.approx(added, abs=0.04)


def test_a_drug_with_no_effect_matches_placebo():
    r = virtual_drug_trial(DrugTrialParams(block_mean=0.0, block_sd=0.0, n_per_arm=500))
    assert r.responders_drug == pytest.approx(r.responders_placebo)
    assert math.isinf(r.nnt)


@settings(max_examples=30, deadline=None)
@given(start=st.floats(0, 100), on=st.floats(0, 200), onset=st.floats(*RANGES["onset_days"]),
       offset=st.floats(*RANGES["offset_days"]))
def test_occupancy_is_zero_before_starting_and_stays_between_0_and_1(start, on, onset, offset):
    t = np.linspace(0, 400, 801)
    occ = occupancy(t, start, on, onset, offset)
    assert np.all((occ >= 0) & (occ <= 1))
    assert np.all(occ[t < start] == 0)
    assert np.all(np.diff(occ[t > start + on]) <= 1e-12)  # only falls after stopping


@settings(max_examples=20, deadline=None)
@given(block=st.floats(*RANGES["release_block"]), drive=st.floats(*RANGES["ongoing_drive"]),
       days=st.floats(*RANGES["days_on"]), heal=st.floats(*RANGES["drive_healing_days"]))
def test_course_over_the_valid_range(block, drive, days, heal):
    r = simulate_course(GabapentinoidParams(release_block=block, ongoing_drive=drive, days_on=days,
                                            drive_healing_days=heal, follow_up_days=400, dt_days=2.0))
    assert np.all(np.isfinite(r.pain_signal)) and np.all((r.pain_signal >= 0) & (r.pain_signal <= 100))
    assert np.all((r.S >= 0) & (r.S <= 1))


@pytest.mark.parametrize("bad", [math.nan, math.inf, -1e6, 1e12])
def test_invalid_values_name_the_field(bad):
    for field in RANGES:
        with pytest.raises(ValueError, match=field):
            GabapentinoidParams(**{field: bad}).validate()
    for field in TRIAL_RANGES:
        with pytest.raises(ValueError, match=field):
            DrugTrialParams(**{field: bad}).validate()


@settings(max_examples=15, deadline=None)
@given(
    weeks_on=st.floats(*TRIAL_RANGES["weeks_on"]),
    weeks_off=st.floats(*TRIAL_RANGES["weeks_off"]),
    block_mean=st.floats(*TRIAL_RANGES["block_mean"]),
    block_sd=st.floats(*TRIAL_RANGES["block_sd"]),
    nonresp=st.floats(*TRIAL_RANGES["nonresponder_fraction"]),
    pa=st.floats(*TRIAL_RANGES["placebo_a"]),
    pb=st.floats(*TRIAL_RANGES["placebo_b"]),
    drive=st.floats(*TRIAL_RANGES["drive_median"]),
    drive_sd=st.floats(*TRIAL_RANGES["drive_log_sd"]),
)
def test_trial_over_its_valid_range(weeks_on, weeks_off, block_mean, block_sd, nonresp, pa, pb, drive, drive_sd):
    r = virtual_drug_trial(DrugTrialParams(n_per_arm=50, weeks_on=weeks_on, weeks_off=weeks_off, block_mean=block_mean,
                                           block_sd=block_sd, nonresponder_fraction=nonresp, placebo_a=pa,
                                           placebo_b=pb, drive_median=drive, drive_log_sd=drive_sd))
    for v in (r.responders_placebo, r.responders_drug, r.responders_placebo_after, r.responders_drug_after):
        assert 0.0 <= v <= 1.0
    assert r.responders_drug >= r.responders_placebo  # the drug only ever lowers delivered input


@settings(max_examples=10, deadline=None)
@given(m1=st.floats(0.0, 0.8), dm=st.floats(0.02, 0.1))
def test_a_stronger_drug_never_gives_fewer_responders(m1, dm):
    lo = virtual_drug_trial(DrugTrialParams(n_per_arm=300, block_mean=m1))
    hi = virtual_drug_trial(DrugTrialParams(n_per_arm=300, block_mean=min(m1 + dm, 0.9)))
    assert hi.responders_drug >= lo.responders_drug
