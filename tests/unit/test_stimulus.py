"""Stimulus protocols: waveforms, validation and the Runge-Kutta stage samples."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.models.stimulus import (NoStimulus, PulseTrain, Ramp, Step,
                                        ou_noise_stage_samples, stage_samples)


def test_step_is_on_only_inside_its_window():
    step = Step(amplitude=50.0, start_ms=100.0, duration_ms=200.0)
    t = np.array([0.0, 99.99, 100.0, 250.0, 299.99, 300.0, 400.0])
    np.testing.assert_array_equal(step.waveform(t), [0, 0, 50, 50, 50, 0, 0])
    assert step.end_ms == 300.0
    assert step.breakpoints() == (100.0, 300.0)


def test_ramp_rises_linearly_then_stops():
    ramp = Ramp(amplitude=100.0, start_ms=0.0, duration_ms=100.0)
    np.testing.assert_allclose(ramp.waveform([0.0, 25.0, 50.0, 99.0, 100.0]),
                               [0.0, 25.0, 50.0, 99.0, 0.0])


def test_pulse_train_counts_and_widths():
    train = PulseTrain(amplitude=1.0, start_ms=10.0, duration_ms=1000.0,
                       pulse_width_ms=2.0, frequency_hz=10.0)
    t = np.arange(0.0, 1200.0, 0.01)
    on = train.waveform(t) > 0
    onsets = np.flatnonzero(on[1:] & ~on[:-1])
    assert onsets.size == 10
    assert np.count_nonzero(on) * 0.01 == pytest.approx(20.0, abs=0.05)
    assert len(train.pulse_onsets_ms()) == 10


def test_no_stimulus_is_zero():
    assert not np.any(NoStimulus().waveform(np.linspace(0, 100, 11)))


@pytest.mark.parametrize("kind, field, value", [
    (Step, "amplitude", math.nan),
    (Step, "duration_ms", -1.0),
    (Ramp, "start_ms", math.inf),
    (PulseTrain, "frequency_hz", 0.0),
])
def test_invalid_protocols_are_rejected_by_name(kind, field, value):
    # a protocol checks itself when it is built
    with pytest.raises(ValueError, match=field):
        kind(**{field: value})


def test_stage_samples_take_the_inside_value_at_step_edges():
    step = Step(amplitude=10.0, start_ms=1.0, duration_ms=1.0)
    dt = 0.5
    start, mid, end = stage_samples(step, dt, 6)
    # step k covers [k*dt, (k+1)*dt]; the step is on in steps 2 and 3 only
    np.testing.assert_array_equal(start, [0, 0, 10, 10, 0, 0])
    np.testing.assert_array_equal(mid, [0, 0, 10, 10, 0, 0])
    np.testing.assert_array_equal(end, [0, 0, 10, 10, 0, 0])


@settings(max_examples=30, deadline=None)
@given(amplitude=st.floats(-500, 500), start=st.floats(0, 500), duration=st.floats(0, 500))
def test_step_charge_equals_amplitude_times_duration(amplitude, start, duration):
    step = Step(amplitude, start, duration)
    step.validate()
    dt = 0.05
    n = int((start + duration) / dt) + 10
    s, m, e = stage_samples(step, dt, n)
    charge = np.sum(dt * (s + 4 * m + e) / 6.0)          # what RK4 integrates
    assert charge == pytest.approx(amplitude * duration, abs=abs(amplitude) * 2 * dt + 1e-9)


def test_ou_noise_has_the_requested_sd_and_is_seeded():
    a = ou_noise_stage_samples(0.3, 5.0, 0.025, 400_000, seed=3)
    b = ou_noise_stage_samples(0.3, 5.0, 0.025, 400_000, seed=3)
    c = ou_noise_stage_samples(0.3, 5.0, 0.025, 400_000, seed=4)
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])
    assert np.std(a[1]) == pytest.approx(0.3, rel=0.1)
    assert not np.any(ou_noise_stage_samples(0.0, 5.0, 0.025, 100, seed=1)[0])
