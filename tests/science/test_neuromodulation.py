"""Conventional SCS and DRG stimulation in the gate model; 10 kHz SCS is not modelled."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.models.dorsal_horn import noxious_response, DorsalHornParams
from course_lib.models.neuromodulation import (
    SCS_RANGES,
    SCSParams,
    drg_stimulation,
    published_trial,
    scs_amplitude_curve,
    scs_gate,
)


def test_scs_closes_the_gate_and_the_c_response_falls():
    r = scs_gate(SCSParams(amplitude=1.5))
    assert r.gate_closed
    assert r.c_response_on < 0.2 * r.c_response_off
    # the same number as the dorsal horn model's own tonic-touch trial (no separate physics here)
    assert r.c_response_on == pytest.approx(noxious_response(DorsalHornParams(), tonic_touch=1.5, dt_ms=0.25))


def test_weak_stimulation_barely_moves_the_gate_and_strong_stimulation_closes_it():
    curve = scs_amplitude_curve([0.0, 0.5, 1.0, 2.0])
    assert curve[1] > 0.7 * curve[0]  # below the inhibitory interneurons' threshold
    assert curve[2] < 0.2 * curve[0] and curve[3] < 0.2 * curve[0]


def test_in_a_cord_that_has_lost_its_inhibition_scs_does_not_close_the_gate():
    # in this model the gate needs working inhibition: with S near 1 most of it is gone
    r = scs_gate(SCSParams(amplitude=1.5, S=0.98))
    assert not r.gate_closed
    assert r.stimulation_alone > scs_gate(SCSParams(amplitude=1.5, S=0.0)).stimulation_alone


def test_high_frequency_scs_is_refused_with_the_reason():
    with pytest.raises(ValueError, match="debated"):
        scs_gate(mode="10kHz")
    with pytest.raises(ValueError, match="mode"):
        scs_gate(mode="burst")


def test_drg_stimulation_acts_on_one_segment_only():
    r = drg_stimulation(segment_c_drives=(0.5, 2.0, 2.0, 0.5), stimulated=1)
    assert r.on[1] < 0.2 * r.off[1]
    assert r.on[2] == r.off[2]  # the neighbouring painful segment is untouched
    assert np.array_equal(np.delete(r.on, 1), np.delete(r.off, 1))
    assert r.total_on < r.total_off


@settings(max_examples=25, deadline=None)
@given(amp=st.floats(*SCS_RANGES["amplitude"]), S=st.floats(*SCS_RANGES["S"]),
       nox=st.floats(*SCS_RANGES["noxious_drive"]))
def test_gate_over_the_valid_range(amp, S, nox):
    r = scs_gate(SCSParams(amplitude=amp, S=S, noxious_drive=nox))
    for v in (r.c_response_off, r.c_response_on, r.stimulation_alone, r.relief_fraction):
        assert math.isfinite(v)
    assert r.c_response_off >= 0 and r.c_response_on >= 0


@settings(max_examples=20, deadline=None)
@given(a=st.floats(1.0, 3.9), S=st.floats(0.0, 0.3))
def test_with_inhibition_intact_any_stimulation_above_threshold_lowers_the_c_response(a, S):
    r = scs_gate(SCSParams(amplitude=a, S=S))
    assert r.c_response_on < r.c_response_off


def test_published_trials_for_the_trial_lab():
    assert published_trial("SENZA_PDN").out_of_100()["medical management"] == 5
    with pytest.raises(ValueError, match="key"):
        published_trial("DCCT_neuropathy")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -1.0, 99.0])
def test_invalid_values_name_the_field(bad):
    for field in SCS_RANGES:
        with pytest.raises(ValueError, match=field):
            SCSParams(**{field: bad}).validate()
    with pytest.raises(ValueError, match="amplitude"):
        drg_stimulation(amplitude=bad)
    with pytest.raises(ValueError, match="stimulated"):
        drg_stimulation(stimulated=7)


@settings(max_examples=15, deadline=None)
@given(drives=st.lists(st.floats(0.0, 5.0), min_size=1, max_size=6), amp=st.floats(0.0, 4.0), S=st.floats(0.0, 1.0),
       data=st.data())
def test_drg_stimulation_over_its_valid_range(drives, amp, S, data):
    k = data.draw(st.integers(0, len(drives) - 1))
    names = tuple(f"seg{i}" for i in range(len(drives)))
    r = drg_stimulation(tuple(drives), stimulated=k, amplitude=amp, S=S, segment_names=names)
    assert np.all(np.isfinite(r.on)) and np.all(np.isfinite(r.off))
    assert np.array_equal(np.delete(r.on, k), np.delete(r.off, k))
