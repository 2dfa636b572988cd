"""Cause-removal scenarios (our teaching models) and the calibrated virtual glycaemic trial."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.models.causes import (
    CHEMO_RANGES,
    DEFAULT_TYPE2_N_PER_ARM,
    DIABETES_RANGES,
    SHINGLES_RANGES,
    TRAPPED_RANGES,
    ChemoParams,
    DiabetesParams,
    ShinglesParams,
    TrappedNerveParams,
    damage_rate_per_year,
    run_chemo,
    run_diabetes,
    run_drive,
    run_shingles,
    run_trapped_nerve,
    shingles_cohort,
    trapped_nerve_drive,
    virtual_glycaemic_trial,
)
from course_lib.models.trials import PUBLISHED

DCCT_REDUCTION = PUBLISHED["DCCT_neuropathy"].arms[0][1] / 100  # 0.60


# ----- diabetes ----------------------------------------------------------------------------------
def test_virtual_type1_trial_reproduces_the_dcct_reduction():
    r = virtual_glycaemic_trial(1)
    assert r.relative_reduction == pytest.approx(DCCT_REDUCTION, abs=0.07)  # band: 53-67 %
    assert r.significant


def test_a_dcct_sized_type1_trial_finds_the_effect_every_time():
    found = [virtual_glycaemic_trial(1, n_per_arm=720, seed=s).significant for s in range(10)]
    assert all(found)


def test_virtual_type2_effect_is_small_and_usually_not_significant_at_trial_size():
    big = virtual_glycaemic_trial(2)
    assert 0.0 < big.relative_reduction < 0.2  # small but real in the model
    crosses_one = [not virtual_glycaemic_trial(2, n_per_arm=DEFAULT_TYPE2_N_PER_ARM, seed=s).significant
                   for s in range(20)]
    assert sum(crosses_one) >= 15


@settings(max_examples=30, deadline=None)
@given(h=st.floats(5.0, 13.5), dh=st.floats(0.01, 0.5), kind=st.sampled_from([1, 2]))
def test_damage_accumulates_faster_at_higher_hba1c(h, dh, kind):
    assert damage_rate_per_year(h + dh, kind) > damage_rate_per_year(h, kind)


def test_improving_control_earlier_leaves_less_pain():
    finals = [run_diabetes(DiabetesParams(years_before_change=y)).final_pain for y in (0, 2, 4, 8, 15)]
    assert all(a <= b + 1e-9 for a, b in zip(finals, finals[1:]))
    assert finals[0] < 20.0 and finals[-1] > 50.0  # model pain signal, % of its maximum


def test_better_control_slows_damage_but_does_not_undo_it():
    from course_lib.models.causes import diabetes_damage

    t, d = diabetes_damage(DiabetesParams(years_before_change=5, hba1c_after=6.0))
    assert np.all(np.diff(d) >= 0)
    before = np.diff(d)[t[:-1] < 5 * 365.25].mean()
    after = np.diff(d)[t[:-1] > 6 * 365.25].mean()
    assert after < before


# ----- trapped nerve -----------------------------------------------------------------------------
def test_a_trapped_nerve_released_early_or_late_resolves_and_never_released_does_not():
    # Issue 18: cohorts after carpal tunnel release improve even after long waits, so the model's
    # compression never tips S: release at any month the lab offers ends the pain signal.
    for day in (30, 365, 730, 60 * 30.44):
        released = run_trapped_nerve(TrappedNerveParams(release_day=day, follow_up_days=day + 720))
        assert released.resolved, day
        assert released.S.max() < 0.5, day
        assert released.drive[-1] < 0.05  # the nerve itself has recovered by the end
    never = run_trapped_nerve(TrappedNerveParams(released=0.0, follow_up_days=3650))
    assert not never.resolved  # while the pressure stays, so does the pain signal
    assert never.S.max() < 0.5  # ...but from the nerve's input, not a tipped switch


def test_a_stronger_compression_would_tip_the_switch():
    # The default sits below the switch's tipping drive on purpose (about 0.83): the test would fail
    # if the switch itself changed so that no compression could tip it.
    strong = run_trapped_nerve(TrappedNerveParams(compression_drive=0.9, released=0.0, follow_up_days=730))
    assert strong.S[-1] > 0.5


def test_release_day_monotonic_and_more_axons_lost_when_released_later():
    days = [14, 30, 60, 120, 240, 480]
    finals = [run_trapped_nerve(TrappedNerveParams(release_day=d)).final_pain for d in days]
    assert all(a <= b + 1e-9 for a, b in zip(finals, finals[1:]))
    losses = [TrappedNerveParams(release_day=d).axon_loss_at_release() for d in days]
    assert losses == sorted(losses)


def test_drive_after_release_fades_and_never_exceeds_the_compressed_level():
    p = TrappedNerveParams(release_day=100)
    t, drive = trapped_nerve_drive(p)
    assert np.all(drive[t < 100] == p.compression_drive)
    assert np.all(np.diff(drive[t >= 100]) <= 1e-12)


# ----- shingles ----------------------------------------------------------------------------------
def test_no_shingles_no_drive_no_pain():
    r = run_shingles(ShinglesParams(shingles=0.0, acute_severity=1.0))
    assert np.all(r.drive == 0) and r.final_pain == 0


def test_more_severe_acute_pain_leaves_more_pain_at_three_months():
    pains = [run_shingles(ShinglesParams(acute_severity=s)).pain_signal[90] for s in (0.1, 0.3, 0.5, 0.7, 0.9)]
    assert all(a <= b + 1e-9 for a, b in zip(pains, pains[1:]))
    assert pains[-1] > pains[0]


def test_vaccination_prevents_most_postherpetic_neuralgia_and_severe_acute_pain_is_a_risk_factor():
    r = shingles_cohort(n_people=2000, vaccine_efficacy=0.9)
    assert r.phn_vaccinated < 0.2 * r.phn_unvaccinated
    assert r.phn_vaccinated == pytest.approx(r.phn_unvaccinated * 0.1, abs=0.02)
    assert r.phn_rate_ratio_severe_acute_pain > 1.5  # same direction as Forbes et al. 2016 (2.23)
    none = shingles_cohort(n_people=500, vaccine_efficacy=0.0)
    assert none.phn_vaccinated == pytest.approx(none.phn_unvaccinated)


# ----- chemotherapy ------------------------------------------------------------------------------
def test_stopping_chemotherapy_earlier_means_less_nerve_drive_and_less_pain():
    runs = [run_chemo(ChemoParams(change_from_cycle=c, dose_after_change=0.0)) for c in (2, 4, 6, 8, 10, 13)]
    peaks = [r.drive.max() for r in runs]
    finals = [r.final_pain for r in runs]
    assert peaks == sorted(peaks)
    assert all(a <= b + 1e-9 for a, b in zip(finals, finals[1:]))
    assert runs[2].resolved and not runs[-1].resolved


@pytest.mark.parametrize("cycle", [2, 5, 9, 13])
@pytest.mark.parametrize("dose", [1.0, 0.75, 0.5, 0.0])
def test_no_chemotherapy_dose_tips_the_switch(cycle, dose):
    # Issue 18: the usual step (a dose cut by about a quarter) must never be the one that fails for
    # good; in the model even a full course leaves lasting damage, not a self-sustaining switch.
    r = run_chemo(ChemoParams(change_from_cycle=cycle, dose_after_change=dose))
    assert r.S.max() < 0.5


def test_the_usual_quarter_reduction_lets_the_signal_fade_and_a_full_course_leaves_more():
    quarter = run_chemo(ChemoParams(change_from_cycle=5, dose_after_change=0.75, follow_up_days=26 * 30.44))
    full = run_chemo(ChemoParams(follow_up_days=26 * 30.44))
    assert quarter.resolved and not full.resolved
    assert full.final_pain > quarter.final_pain


def test_a_dose_reduction_sits_between_stopping_and_the_full_course():
    full = run_chemo(ChemoParams()).drive.max()
    reduced = run_chemo(ChemoParams(change_from_cycle=6, dose_after_change=0.5)).drive.max()
    stopped = run_chemo(ChemoParams(change_from_cycle=6, dose_after_change=0.0)).drive.max()
    assert stopped < reduced < full


# ----- shared chain, ranges and validation -------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(
    years=st.floats(*DIABETES_RANGES["years_before_change"]),
    h1=st.floats(*DIABETES_RANGES["hba1c_before"]),
    h2=st.floats(*DIABETES_RANGES["hba1c_after"]),
    sus=st.floats(*DIABETES_RANGES["susceptibility"]),
    kind=st.sampled_from([1, 2]),
)
def test_diabetes_over_its_valid_range(years, h1, h2, sus, kind):
    r = run_diabetes(DiabetesParams(diabetes_type=kind, years_before_change=years, hba1c_before=h1,
                                    hba1c_after=h2, susceptibility=sus, follow_up_years=10, dt_days=5))
    for a in (r.drive, r.S, r.pain_signal):
        assert np.all(np.isfinite(a))
    assert np.all((r.pain_signal >= 0) & (r.pain_signal <= 100))


@settings(max_examples=25, deadline=None)
@given(
    release=st.floats(*TRAPPED_RANGES["release_day"]),
    drive=st.floats(*TRAPPED_RANGES["compression_drive"]),
    loss=st.floats(*TRAPPED_RANGES["max_axon_loss"]),
    dist=st.floats(*TRAPPED_RANGES["distance_mm"]),
    rate=st.floats(*TRAPPED_RANGES["rate_mm_per_day"]),
)
def test_trapped_nerve_over_its_valid_range(release, drive, loss, dist, rate):
    r = run_trapped_nerve(TrappedNerveParams(release_day=release, compression_drive=drive, max_axon_loss=loss,
                                             distance_mm=dist, rate_mm_per_day=rate, dt_days=5))
    assert np.all(np.isfinite(r.pain_signal)) and np.all((r.S >= 0) & (r.S <= 1))


@settings(max_examples=25, deadline=None)
@given(
    sev=st.floats(*SHINGLES_RANGES["acute_severity"]),
    days=st.floats(*SHINGLES_RANGES["acute_days"]),
    dmg=st.floats(*SHINGLES_RANGES["lasting_damage"]),
    cycles=st.integers(1, 24),
    change=st.integers(1, 25),
    dose=st.floats(*CHEMO_RANGES["dose_after_change"]),
)
def test_shingles_and_chemo_over_their_valid_ranges(sev, days, dmg, cycles, change, dose):
    a = run_shingles(ShinglesParams(acute_severity=sev, acute_days=days, lasting_damage=dmg, dt_days=2))
    b = run_chemo(ChemoParams(cycles_planned=cycles, change_from_cycle=change, dose_after_change=dose, dt_days=2))
    for r in (a, b):
        assert np.all(np.isfinite(r.pain_signal)) and np.all((r.pain_signal >= 0) & (r.pain_signal <= 100))


BAD = [math.nan, math.inf, -1e6, 1e6]


@pytest.mark.parametrize(
    "cls,ranges",
    [(DiabetesParams, DIABETES_RANGES), (TrappedNerveParams, TRAPPED_RANGES), (ShinglesParams, SHINGLES_RANGES),
     (ChemoParams, CHEMO_RANGES)],
)
@pytest.mark.parametrize("bad", BAD)
def test_invalid_values_name_the_field(cls, ranges, bad):
    for field in ranges:
        with pytest.raises(ValueError, match=field):
            cls(**{field: bad}).validate()


def test_run_scenario_is_the_same_as_calling_the_runner():
    from course_lib.models.causes import run_scenario

    a = run_scenario("trapped nerve", release_day=90)
    b = run_trapped_nerve(TrappedNerveParams(release_day=90))
    assert np.array_equal(a.pain_signal, b.pain_signal)
    with pytest.raises(ValueError, match="cause"):
        run_scenario("sciatica")
    with pytest.raises(ValueError, match="hba1c"):
        run_scenario("shingles", hba1c_before=9.0)


def test_other_invalid_inputs():
    with pytest.raises(ValueError, match="diabetes_type"):
        virtual_glycaemic_trial(3)
    with pytest.raises(ValueError, match="n_per_arm"):
        virtual_glycaemic_trial(1, n_per_arm=math.nan)
    with pytest.raises(ValueError, match="drive"):
        run_drive(np.array([0.1, math.nan]))
    with pytest.raises(ValueError, match="whole numbers"):
        ChemoParams(cycles_planned=2.5).validate()
    with pytest.raises(ValueError, match="vaccine_efficacy"):
        shingles_cohort(vaccine_efficacy=1.5)


@settings(max_examples=20, deadline=None)
@given(kind=st.sampled_from([1, 2]), n=st.integers(20, 5000), years=st.floats(0.5, 40.0),
       seed=st.integers(0, 2**32 - 1))
def test_glycaemic_trial_over_its_valid_range(kind, n, years, seed):
    r = virtual_glycaemic_trial(kind, n_per_arm=n, seed=seed, years=years)
    assert 0 <= r.incidence_intensive <= 1 and 0 <= r.incidence_conventional <= 1
    lo, hi = r.rr_ci95
    assert lo <= hi


@settings(max_examples=10, deadline=None)
@given(eff=st.floats(0.0, 1.0), seed=st.integers(0, 1000))
def test_shingles_cohort_vaccination_never_adds_phn(eff, seed):
    r = shingles_cohort(n_people=200, vaccine_efficacy=eff, seed=seed)
    assert r.phn_vaccinated <= r.phn_unvaccinated
