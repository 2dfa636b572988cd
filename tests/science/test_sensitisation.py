"""Our bistable sensitisation switch (SCIENCE.md section 4)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.models.dorsal_horn import DorsalHornParams, touch_response, noxious_response
from course_lib.models.sensitisation import (
    RANGES,
    SensitisationParams,
    bistability_condition,
    couple_to_dorsal_horn,
    drive_function,
    fixed_points,
    is_bistable,
    resting_state,
    simulate_sensitisation,
    stable_states,
    with_kappa,
)

# SCIENCE.md's example: kappa = 1, theta = 0.6, sigma = 0.1
EXAMPLE = SensitisationParams(kappa=1.0, theta=0.6, sigma=0.1)


def test_two_stable_states_at_zero_input_match_science_md():
    assert bistability_condition(EXAMPLE)  # 1 / 0.4 = 2.5 > 1
    low, high = stable_states(EXAMPLE, r_C=0.0)
    assert low == pytest.approx(0.0025, abs=0.0005)
    assert high == pytest.approx(0.98, abs=0.005)
    assert len(fixed_points(EXAMPLE, 0.0)) == 3  # with the unstable tipping point between


def test_strong_long_input_flips_s_high_and_it_stays_high_after_input_stops():
    drive = np.concatenate([np.full(120, 1.5), np.zeros(730)])  # 4 months of input, then 2 years of none
    S = simulate_sensitisation(EXAMPLE, drive, dt_days=1.0)
    assert S[119] > 0.9
    assert S[-1] > 0.95  # self-sustaining: no input for two years, still sensitised


def test_brief_input_does_not_flip_the_switch():
    drive = np.concatenate([np.full(3, 1.5), np.zeros(365)])
    S = simulate_sensitisation(EXAMPLE, drive, dt_days=1.0)
    assert S[-1] == pytest.approx(resting_state(EXAMPLE), abs=1e-3)


def test_lowering_kappa_to_half_removes_the_high_state_and_s_falls_back():
    weaker = with_kappa(EXAMPLE, 0.5)
    assert bistability_condition(weaker)  # 0.5 / 0.4 = 1.25: the necessary condition still holds...
    assert not is_bistable(weaker, 0.0)  # ...but with theta = 0.6 the high state is gone
    assert stable_states(weaker, 0.0).max() < 0.05
    S = simulate_sensitisation(weaker, np.zeros(365), dt_days=1.0, S0=0.98)
    assert S[-1] < 0.05


def test_coupling_scales_c_weights_up_and_inhibition_down():
    dh = DorsalHornParams()
    sens = SensitisationParams(G=1.5, D=0.9)
    coupled = couple_to_dorsal_horn(dh, 1.0, sens)
    assert coupled.w_C_W == pytest.approx(dh.w_C_W * 2.5)
    assert coupled.w_C_E == pytest.approx(dh.w_C_E * 2.5)
    assert coupled.w_I_W == pytest.approx(dh.w_I_W * 0.1)
    assert coupled.w_I_E == pytest.approx(dh.w_I_E * 0.1)
    assert couple_to_dorsal_horn(dh, 0.0, sens) == dh
    # a sensitised cord answers touch (allodynia) and noxious input (hyperalgesia) more strongly
    assert touch_response(coupled) > 2 * touch_response(dh)
    assert noxious_response(coupled, drive=1.0) > 2 * noxious_response(dh, drive=1.0)


def test_bad_parameters_are_rejected():
    with pytest.raises(ValueError, match="sigma"):
        SensitisationParams(sigma=0.0).validate()
    with pytest.raises(ValueError, match="kappa"):
        simulate_sensitisation(SensitisationParams(kappa=float("nan")), np.zeros(3))
    with pytest.raises(ValueError, match="r_C"):
        simulate_sensitisation(EXAMPLE, np.array([0.1, np.nan]))


params_strategy = st.fixed_dictionaries({name: st.floats(lo, hi) for name, (lo, hi) in RANGES.items()})


@settings(max_examples=40, deadline=None)
@given(values=params_strategy, r_C=st.floats(0.0, 10.0))
def test_fixed_points_solve_the_equation_and_follow_the_condition(values, r_C):
    params = SensitisationParams(**values)
    points = fixed_points(params, r_C)
    assert points, "there is always at least one fixed point in [0, 1]"
    for p in points:
        assert 0.0 <= p.S <= 1.0
        assert float(drive_function(p.S, r_C, params)) == pytest.approx(p.S, abs=1e-6)
    if not bistability_condition(params):
        assert not is_bistable(params, r_C)  # the condition is necessary


@settings(max_examples=40, deadline=None)
@given(values=params_strategy, level=st.floats(0.0, 10.0), s0=st.floats(0.0, 1.0), dt=st.floats(0.01, 30.0))
def test_simulation_stays_finite_and_between_0_and_1(values, level, s0, dt):
    S = simulate_sensitisation(SensitisationParams(**values), np.full(50, level), dt_days=dt, S0=s0)
    assert np.all(np.isfinite(S)) and S.min() >= 0.0 and S.max() <= 1.0
