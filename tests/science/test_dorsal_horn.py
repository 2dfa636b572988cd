"""Validation of the Crodelle et al. (2017) gate-control model against SCIENCE.md section 3."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.models.dorsal_horn import (
    RANGES,
    DorsalHornParams,
    noxious_response,
    simulate_dorsal_horn,
    steady_state_rates,
    stimulus_trial,
    touch_response,
    with_inhibition,
)

DEFAULT = DorsalHornParams()


def test_c_input_alone_gives_about_six_and_a_half_w_spikes():
    # SCIENCE.md (re-run): about 6.5 integrated W spikes. Its window was not stated; under our
    # protocol (400-ms trial from silence) the integral includes ~0.8 spikes of resting firing,
    # so we allow 15 % (we get about 7.2; reported to the lead).
    assert noxious_response(DEFAULT) == pytest.approx(6.5, rel=0.15)


def test_touch_closes_the_gate_on_c_input():
    alone = noxious_response(DEFAULT)
    gated = noxious_response(DEFAULT, tonic_touch=2.0)
    assert gated < 0.3  # SCIENCE.md: "W falls to about 0"
    assert gated < 0.05 * alone


def test_without_inhibition_touch_alone_drives_w_at_about_48_hz():
    result = stimulus_trial(with_inhibition(DEFAULT, 0.0), touch=2.0)
    assert result.peak_W_Hz == pytest.approx(48.0, abs=1.5)
    w_steady, _, _ = steady_state_rates(with_inhibition(DEFAULT, 0.0), 2.0, 0.0)
    assert float(w_steady) == pytest.approx(48.0, abs=1.5)


@pytest.mark.parametrize("w_i_w, expected", [(0.15, 0.54), (0.05, 1.06), (0.0, 6.0)])
def test_touch_response_against_inhibition_weight(w_i_w, expected):
    # SCIENCE.md re-run values; our protocol (100-ms touch pulse, 400-ms trial) gives them to ~4 %.
    assert touch_response(with_inhibition(DEFAULT, w_i_w)) == pytest.approx(expected, rel=0.08)


def test_touch_response_rises_monotonically_as_inhibition_falls():
    weights = np.linspace(0.3, 0.0, 13)
    responses = [touch_response(with_inhibition(DEFAULT, w)) for w in weights]
    assert np.all(np.diff(responses) > 0)


def test_steady_state_formula_matches_a_long_simulation():
    n = 20000  # 2 s at 0.1 ms
    for f_ab, f_c in [(0.0, 0.0), (1.0, 1.5), (2.0, 2.0), (0.5, 0.8)]:
        result = simulate_dorsal_horn(DEFAULT, np.full(n, f_ab), np.full(n, f_c))
        w, e, i = steady_state_rates(DEFAULT, f_ab, f_c)
        assert result.W_Hz[-1] == pytest.approx(float(w), abs=1e-3)
        assert result.E_Hz[-1] == pytest.approx(float(e), abs=1e-3)
        assert result.I_Hz[-1] == pytest.approx(float(i), abs=1e-3)


def test_step_size_does_not_change_the_answer():
    fine = stimulus_trial(DEFAULT, noxious=2.0, dt_ms=0.02).integrated_W_spikes
    coarse = stimulus_trial(DEFAULT, noxious=2.0, dt_ms=0.1).integrated_W_spikes
    assert coarse == pytest.approx(fine, rel=0.01)


def test_bad_parameters_are_rejected_with_the_field_named():
    with pytest.raises(ValueError, match="w_I_W"):
        DorsalHornParams(w_I_W=float("nan")).validate()
    with pytest.raises(ValueError, match="tau_E_ms"):
        noxious_response(DorsalHornParams(tau_E_ms=-1.0))
    with pytest.raises(ValueError, match="f_c"):
        simulate_dorsal_horn(DEFAULT, np.zeros(10), np.full(10, -1.0))


def test_kernel_runs_without_numba():
    code = (
        "import json; from course_lib.models.dorsal_horn import *;"
        "print(json.dumps(noxious_response(DorsalHornParams(), dt_ms=0.5)))"
    )
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == pytest.approx(noxious_response(DEFAULT, dt_ms=0.5), rel=1e-9)


param_strategy = st.fixed_dictionaries({name: st.floats(lo, hi) for name, (lo, hi) in RANGES.items()})
drive = st.floats(0.0, 10.0)


@settings(max_examples=40, deadline=None)
@given(values=param_strategy, touch=st.floats(0.0, 5.0), noxious=drive, tonic=st.floats(0.0, 5.0))
def test_any_allowed_parameters_give_finite_bounded_rates(values, touch, noxious, tonic):
    params = DorsalHornParams(**values)
    result = stimulus_trial(params, touch=touch, noxious=noxious, tonic_touch=tonic, dt_ms=0.5)
    for trace, top in ((result.W_Hz, params.W_max_Hz), (result.E_Hz, params.E_max_Hz), (result.I_Hz, params.I_max_Hz)):
        assert np.all(np.isfinite(trace))
        assert trace.min() >= 0.0 and trace.max() <= top * (1 + 1e-9)
    assert np.isfinite(result.integrated_W_spikes)
