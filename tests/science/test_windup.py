"""Our minimal wind-up model: qualitative behaviour from SCIENCE.md section 4."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.models.windup import FREQUENCY_RANGE_HZ, RANGES, WindupParams, simulate_windup


def test_response_winds_up_over_15_pulses_at_1_hz():
    result = simulate_windup(frequency_hz=1.0, n_pulses=15)
    assert result.responses.size == 15
    assert result.responses[-1] > 1.5 * result.responses[0]
    assert np.all(np.diff(result.responses) >= -1e-9)  # it climbs, pulse after pulse


def test_no_windup_without_nmda():
    result = simulate_windup(frequency_hz=1.0, n_pulses=15, nmda_on=False)
    assert result.responses[0] > 0.5  # the neuron still answers each pulse...
    assert np.ptp(result.responses) < 1e-6 * result.responses[0]  # ...the same every time
    assert result.slow_C.max() == 0.0


def test_blocking_nmda_lowers_the_last_response():
    on = simulate_windup(frequency_hz=1.0).responses[-1]
    off = simulate_windup(frequency_hz=1.0, nmda_on=False).responses[-1]
    assert off < 0.5 * on


def test_slow_stimulation_does_not_wind_up():
    # Textbook behaviour (absent at 0.1 Hz), UNVERIFIED in a primary source; our model shows it
    # because the slow depolarisation decays (tau 2 s) long before the next pulse.
    assert simulate_windup(frequency_hz=0.1).windup_ratio < 1.05


def test_windup_grows_with_stimulus_frequency():
    ratios = [simulate_windup(frequency_hz=f).windup_ratio for f in (0.1, 0.3, 0.5, 1.0, 2.0)]
    assert np.all(np.diff(ratios) > 0)


def test_bad_inputs_are_rejected():
    with pytest.raises(ValueError, match="frequency_hz"):
        simulate_windup(frequency_hz=0.0)
    with pytest.raises(ValueError, match="g_NMDA"):
        simulate_windup(WindupParams(g_NMDA=float("inf")))
    with pytest.raises(ValueError, match="n_pulses"):
        simulate_windup(n_pulses=2.5)


def test_kernel_runs_without_numba():
    code = (
        "import json; from course_lib.models.windup import simulate_windup;"
        "print(json.dumps(simulate_windup(frequency_hz=2.0, n_pulses=4, dt_ms=2.0).responses.tolist()))"
    )
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    expected = simulate_windup(frequency_hz=2.0, n_pulses=4, dt_ms=2.0).responses
    assert np.allclose(json.loads(out.stdout), expected, rtol=1e-9)


@settings(max_examples=30, deadline=None)
@given(
    values=st.fixed_dictionaries({name: st.floats(lo, hi) for name, (lo, hi) in RANGES.items()}),
    frequency=st.floats(0.2, FREQUENCY_RANGE_HZ[1]),
    nmda_on=st.booleans(),
)
def test_any_allowed_parameters_give_finite_responses(values, frequency, nmda_on):
    params = WindupParams(**values)
    result = simulate_windup(params, frequency_hz=frequency, n_pulses=6, nmda_on=nmda_on, dt_ms=2.0)
    assert np.all(np.isfinite(result.responses)) and np.all(np.isfinite(result.rate_Hz))
    assert result.responses.min() >= 0.0
    assert result.slow_C.min() >= 0.0 and result.slow_C.max() <= params.C_max * (1 + 1e-9)


def test_windup_ratio_has_converged_at_the_default_step():
    # issue 9 item 8: a first-order scheme gave 2.47 at dt = 1 ms against 2.37 converged
    coarse = simulate_windup(frequency_hz=1.0).windup_ratio            # dt 1 ms (default)
    fine = simulate_windup(frequency_hz=1.0, dt_ms=0.05).windup_ratio
    assert fine == pytest.approx(2.373, abs=0.002)
    assert coarse == pytest.approx(fine, rel=2e-3)
    for frequency in (0.3, 0.5, 2.0):
        assert simulate_windup(frequency_hz=frequency).windup_ratio == pytest.approx(
            simulate_windup(frequency_hz=frequency, dt_ms=0.05).windup_ratio, rel=2e-3)


@pytest.mark.parametrize("bad", ["no", "False", 0, 1, None])
def test_nmda_switch_must_be_true_or_false(bad):
    # "no" is a non-empty string: plain Python would have run it with NMDA on
    with pytest.raises(ValueError, match="nmda_on"):
        simulate_windup(nmda_on=bad)
