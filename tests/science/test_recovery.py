"""Nerve recovery (our teaching model): remyelination in weeks, regrowth time = distance / rate."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.models.drg import DRGParams
from course_lib.models.recovery import (
    EXAMPLE_DISTANCES_MM,
    RANGES,
    RecoveryParams,
    channel_scales_during_recovery,
    recovery_time_course,
    regrowth_days,
)

WRIST = EXAMPLE_DISTANCES_MM["wrist (carpal tunnel to fingertips)"]
KNEE = EXAMPLE_DISTANCES_MM["knee (peroneal nerve at the fibular head to the toes)"]


@settings(max_examples=40, deadline=None)
@given(
    distance=st.floats(*RANGES["distance_mm"]),
    rate=st.floats(*RANGES["rate_mm_per_day"]),
    latency=st.floats(*RANGES["latency_days"]),
)
def test_regrowth_time_is_latency_plus_distance_over_rate(distance, rate, latency):
    assert regrowth_days(distance, rate, latency) == pytest.approx(latency + distance / rate, rel=1e-12)


def test_a_knee_injury_takes_longer_than_a_wrist_injury_in_proportion_to_distance():
    wrist, knee = regrowth_days(WRIST, 1.0), regrowth_days(KNEE, 1.0)
    assert knee / wrist == pytest.approx(KNEE / WRIST)
    assert 90 <= wrist <= 180  # months, not weeks, at about 1 mm/day
    assert knee > 365  # more than a year
    # the fast end of the textbook range (4 mm/day) still leaves the knee injury months away
    assert regrowth_days(KNEE, 4.0) > 90


def test_the_regrowth_front_reaches_the_target_on_the_regrowth_day():
    p = RecoveryParams(distance_mm=200.0, rate_mm_per_day=2.0, latency_days=10.0, axon_loss=1.0)
    r = recovery_time_course(p)
    day = int(r.regrowth_days)
    assert r.regrowth_days == pytest.approx(110.0)
    assert r.front_mm[day] == pytest.approx(200.0)
    assert r.front_mm[day - 5] < 200.0
    assert np.all(r.front_mm[:11] == 0.0)  # nothing grows during the latent period
    assert np.all(np.diff(r.front_mm) >= 0)


def test_pure_demyelination_recovers_in_weeks_while_lost_axons_keep_firing_until_regrown():
    demyelinated_only = recovery_time_course(RecoveryParams(axon_loss=0.0, remyelination_days=21.0))
    assert demyelinated_only.drive[63] < 0.06 * demyelinated_only.drive[0]  # about 3 time constants
    all_cut = recovery_time_course(RecoveryParams(axon_loss=1.0, distance_mm=120.0))
    assert all_cut.drive[100] == pytest.approx(all_cut.drive[0])  # still firing before reaching the target
    assert all_cut.drive[-1] < 0.05 * all_cut.drive[0]  # fades once reinnervated


@settings(max_examples=30, deadline=None)
@given(
    distance=st.floats(*RANGES["distance_mm"]),
    rate=st.floats(*RANGES["rate_mm_per_day"]),
    remyel=st.floats(*RANGES["remyelination_days"]),
    loss=st.floats(*RANGES["axon_loss"]),
    drive0=st.floats(*RANGES["drive0"]),
)
def test_drive_never_rises_after_removal_and_stays_finite(distance, rate, remyel, loss, drive0):
    r = recovery_time_course(RecoveryParams(distance_mm=distance, rate_mm_per_day=rate, remyelination_days=remyel,
                                            axon_loss=loss, drive0=drive0))
    assert np.all(np.isfinite(r.drive))
    assert np.all(np.diff(r.drive) <= 1e-12)
    assert r.drive[0] == pytest.approx(drive0)
    assert np.all((r.recovered_fraction >= -1e-12) & (r.recovered_fraction <= 1 + 1e-12))


def test_a_longer_distance_means_a_later_recovery():
    def days_to_half(distance):
        r = recovery_time_course(RecoveryParams(distance_mm=distance, axon_loss=0.8))
        return int(np.argmax(r.drive < 0.5 * r.drive[0]))

    times = [days_to_half(d) for d in (50.0, 120.0, 300.0, 450.0)]
    assert times == sorted(times) and times[0] < times[-1]


def test_channel_balance_moves_from_injured_to_healthy():
    injured = {"kdr": 0.5, "ka": 0.4}
    assert channel_scales_during_recovery(1.0, injured) == DRGParams()
    start = channel_scales_during_recovery(0.0, injured).scales()
    assert start["kdr"] == pytest.approx(0.5) and start["ka"] == pytest.approx(0.4)
    half = channel_scales_during_recovery(0.5, injured).scales()
    assert half["kdr"] == pytest.approx(0.75) and half["nav18"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="unknown channels"):
        channel_scales_during_recovery(0.5, {"cav": 2.0})


BAD = [math.nan, math.inf, -math.inf, -1.0, 1e9]


@pytest.mark.parametrize("field", sorted(RANGES))
@pytest.mark.parametrize("bad", BAD)
def test_invalid_parameters_name_the_field(field, bad):
    low, high = RANGES[field]
    assert not (low <= bad <= high)  # every BAD value is outside every range here
    with pytest.raises(ValueError, match=field):
        RecoveryParams(**{field: bad}).validate()


def test_regrowth_days_rejects_bad_input():
    with pytest.raises(ValueError, match="rate_mm_per_day"):
        regrowth_days(100.0, 0.0)
    with pytest.raises(ValueError, match="distance_mm"):
        regrowth_days(math.nan)
