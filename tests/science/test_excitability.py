"""Validation of the balance model (Ratte et al. 2014) against SCIENCE.md section 1.

Every expected number below is SCIENCE.md's published claim or its re-run value, with the
tolerance stated next to it. Protocol (as SCIENCE.md): 1 s current steps from t = 100 ms,
spike = upward crossing of 0 mV, repetitive = at least 3 spikes after the first 200 ms.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.models import excitability as ex
from course_lib.models import metrics
from course_lib.models.excitability import ExcitabilityParams as P
from course_lib.models.stimulus import Step

RHEOBASE_TOL = 3.0      # uA/cm2: re-run values come from a coarse amplitude grid
REST_TOL_MV = 0.3


def pattern_at(params: P, amplitude: float) -> str:
    return ex.firing_pattern(ex.step_response(params, amplitude))


# ---------------------------------------------------------------- resting potential -----

@pytest.mark.parametrize("name, expected_mV", [("base", -69.9), ("normal", -68.8),
                                               ("neuropathic", -68.1)])
def test_resting_potential_matches_rerun(name, expected_mV):
    assert ex.resting_potential(ex.PRESETS[name]) == pytest.approx(expected_mV, abs=REST_TOL_MV)


# ---------------------------------------------------------------- rheobase --------------

@pytest.mark.parametrize("name, expected", [("base", 68.0), ("normal", 80.0),
                                            ("neuropathic", 50.0)])
def test_rheobase_matches_rerun(name, expected):
    assert ex.rheobase(ex.PRESETS[name]) == pytest.approx(expected, abs=RHEOBASE_TOL)


def test_normal_is_onset_only_from_rheobase_to_108_and_repetitive_from_112():
    # SCIENCE.md: normal onset-only from 80 to 108, repetitive only at >= 112
    for amplitude in (80.0, 86.0, 96.0, 108.0):
        assert pattern_at(ex.NORMAL, amplitude) == metrics.ONSET_ONLY, amplitude
    for amplitude in (112.0, 120.0):
        assert pattern_at(ex.NORMAL, amplitude) == metrics.REPETITIVE, amplitude


def test_onset_only_versus_repetitive_at_rheobase_plus_6():
    normal = ex.step_response(ex.NORMAL, ex.rheobase(ex.NORMAL) + 6.0)
    neuropathic = ex.step_response(ex.NEUROPATHIC, ex.rheobase(ex.NEUROPATHIC) + 6.0)
    assert ex.firing_pattern(normal) == metrics.ONSET_ONLY
    assert normal.n_spikes == 1
    assert ex.firing_pattern(neuropathic) == metrics.REPETITIVE
    assert neuropathic.n_spikes > 20


def test_neuropathic_repetitive_from_about_52_to_56():
    assert pattern_at(ex.NEUROPATHIC, 56.0) == metrics.REPETITIVE


# ---------------------------------------------------------------- degeneracy ------------

@pytest.mark.parametrize("na, k", [(1.5, 2.0), (2.0, 2.5), (2.5, 3.0)])
def test_balance_minus_half_gives_rheobase_80_onset_only(na, k):
    params = P(na, k)
    rheobase = ex.rheobase(params)
    assert rheobase == pytest.approx(80.0, abs=RHEOBASE_TOL)
    assert pattern_at(params, rheobase + 6.0) == metrics.ONSET_ONLY


@pytest.mark.parametrize("na, k", [(2.0, 1.5), (2.5, 2.0), (3.0, 2.5)])
def test_balance_plus_half_gives_rheobase_50_repetitive(na, k):
    params = P(na, k)
    rheobase = ex.rheobase(params)
    assert rheobase == pytest.approx(50.0, abs=RHEOBASE_TOL)
    assert pattern_at(params, rheobase + 6.0) == metrics.REPETITIVE


@pytest.mark.parametrize("na, k", [(3.0, 2.0), (3.5, 2.5), (4.0, 3.0)])
def test_balance_plus_one_gives_rheobase_24_to_36_repetitive(na, k):
    params = P(na, k)
    rheobase = ex.rheobase(params)
    assert 24.0 <= rheobase <= 36.0
    # SCIENCE.md says "repetitive at rheobase"; its rheobase sits on a 4 uA/cm2 grid, so we
    # allow one grid step above our finer bisection value
    assert pattern_at(params, rheobase + 4.0) == metrics.REPETITIVE


def test_equal_difference_gives_equal_behaviour():
    # degeneracy: three different channel changes, one state
    rheobases = [ex.rheobase(P(na, na - 0.5)) for na in (2.0, 2.5, 3.0)]
    assert max(rheobases) - min(rheobases) <= 2.0


# ---------------------------------------------------------------- reversal --------------

@pytest.mark.parametrize("added_k", [0.5, 1.0])
def test_added_k_restores_onset_only(added_k):
    before = ex.NEUROPATHIC
    after = ex.with_balance(before, before.g_na_sub_mS_cm2,
                            before.g_k_sub_mS_cm2 + added_k)
    assert pattern_at(before, ex.rheobase(before) + 6.0) == metrics.REPETITIVE
    assert pattern_at(after, ex.rheobase(after) + 6.0) == metrics.ONSET_ONLY
    assert ex.rheobase(after) > ex.rheobase(before) + 5.0


# ---------------------------------------------------------------- spontaneous -----------

@pytest.mark.parametrize("na", [0.0, 2.5, 5.0])
def test_silent_at_zero_stimulus_up_to_na_5(na):
    params = P(na, 2.0)
    assert ex.spontaneous_rate(params) == 0.0
    assert ex.spontaneous_pattern(params) == metrics.SILENT


@pytest.mark.parametrize("na, rate_hz", [(7.5, 78.0), (10.0, 110.0)])
def test_spontaneous_firing_window(na, rate_hz):
    params = P(na, 2.0)
    assert ex.spontaneous_pattern(params) == metrics.SPONTANEOUS
    assert ex.spontaneous_rate(params) == pytest.approx(rate_hz, rel=0.1)


def test_depolarisation_block_at_na_30():
    params = P(30.0, 2.0)
    assert ex.spontaneous_pattern(params) == metrics.DEPOLARISATION_BLOCK
    assert ex.resting_potential(params) == pytest.approx(-3.5, abs=1.0)


def test_step_classification_reports_spontaneous_activity():
    assert pattern_at(P(10.0, 2.0), 20.0) == metrics.SPONTANEOUS
    assert ex.rheobase(P(10.0, 2.0)) == 0.0


# ---------------------------------------------------------------- bursting --------------

def test_bursting_needs_the_ahp():
    bursting = ex.step_response(P(2.5, 2.0, g_ahp_mS_cm2=8.0), 80.0)
    assert ex.firing_pattern(bursting) == metrics.BURSTING
    assert metrics.isi_cv(bursting.spike_times_ms) == pytest.approx(2.8, abs=0.6)


@pytest.mark.parametrize("g_ahp", [0.0, 2.0, 4.0])
def test_weak_ahp_stays_tonic(g_ahp):
    tonic = ex.step_response(P(2.5, 2.0, g_ahp_mS_cm2=g_ahp), 80.0)
    assert ex.firing_pattern(tonic) == metrics.REPETITIVE
    assert metrics.isi_cv(tonic.spike_times_ms) < 0.5


# ---------------------------------------------------------------- noise -----------------

def test_noise_is_seeded_and_changes_the_trace():
    a = ex.simulate(ex.NORMAL, t_stop_ms=300.0, noise_sd_uA_cm2=0.3, seed=1)
    b = ex.simulate(ex.NORMAL, t_stop_ms=300.0, noise_sd_uA_cm2=0.3, seed=1)
    c = ex.simulate(ex.NORMAL, t_stop_ms=300.0, noise_sd_uA_cm2=0.3, seed=2)
    quiet = ex.simulate(ex.NORMAL, t_stop_ms=300.0)
    np.testing.assert_array_equal(a.v_mV, b.v_mV)
    assert not np.allclose(a.v_mV, c.v_mV)
    # noise of SD 0.3 uA/cm2 jitters the resting membrane by a fraction of a millivolt
    jitter = np.std(a.v_mV[2000:] - quiet.v_mV[2000:])
    assert 0.005 < jitter < 1.0


# ---------------------------------------------------------------- parameters ------------

@pytest.mark.parametrize("field, bad", [("g_na_sub_mS_cm2", math.nan),
                                        ("g_k_sub_mS_cm2", -1.0),
                                        ("gamma_m_mV", math.inf)])
def test_bad_parameters_are_rejected_by_name(field, bad):
    with pytest.raises(ValueError, match=field):
        ex.simulate(P(**{field: bad}), t_stop_ms=10.0)


def test_published_defaults():
    assert ex.NORMAL.gamma_m_mV == 14.0          # the eLife value, not the older 18
    assert (ex.NORMAL.g_na_sub_mS_cm2, ex.NORMAL.g_k_sub_mS_cm2) == (2.0, 2.5)
    assert (ex.NEUROPATHIC.g_na_sub_mS_cm2, ex.NEUROPATHIC.g_k_sub_mS_cm2) == (2.5, 2.0)


@settings(max_examples=15, deadline=None)
@given(na=st.floats(0.0, 6.0), k=st.floats(0.0, 6.0), extra_k=st.floats(0.5, 3.0))
def test_more_subthreshold_k_never_lowers_rheobase(na, k, extra_k):
    low = ex.rheobase(P(na, k), tolerance_uA_cm2=1.0)
    high = ex.rheobase(P(na, k + extra_k), tolerance_uA_cm2=1.0)
    assert high >= low - 1.0


def test_normal_neuron_turns_repetitive_from_about_110_uA_cm2():
    # issue 9 item 5: the "normal" neuron is onset-only only up to a point
    threshold = ex.repetitive_threshold(ex.NORMAL)
    assert threshold == pytest.approx(110.0, abs=2.0)
    rheobase = ex.rheobase(ex.NORMAL)
    for amplitude in np.arange(rheobase, threshold, 6.0).tolist() + [threshold - 0.5]:
        assert ex.firing_pattern(ex.step_response(ex.NORMAL, amplitude)) == metrics.ONSET_ONLY
    # ... and repetitive everywhere above it up to the balance lab's 200 uA/cm2 slider end
    for amplitude in np.arange(threshold, 200.01, 15.0).tolist() + [200.0]:
        assert ex.firing_pattern(ex.step_response(ex.NORMAL, amplitude)) == metrics.REPETITIVE


def test_neuropathic_neuron_is_repetitive_almost_from_its_rheobase():
    assert ex.repetitive_threshold(ex.NEUROPATHIC) <= ex.rheobase(ex.NEUROPATHIC) + 6.0


def _fires_over_the_whole_protocol(params, amplitude):
    run = ex.simulate(params, Step(amplitude, ex.STEP_START_MS, ex.STEP_DURATION_MS),
                      stop_at_first_spike_after_ms=20.0)
    return bool(np.any(run.spike_times_ms >= 20.0))


@settings(max_examples=12, deadline=None)
@given(na=st.floats(0.0, 10.0), k=st.floats(0.0, 10.0), ahp=st.sampled_from([0.0, 8.0]))
def test_fast_probes_give_the_same_rheobase_as_full_runs(na, k, ahp):
    # fires_during_step starts at the shared step onset and stops at a verified standstill;
    # the rheobase must be exactly what full-length runs from t = 0 give, on the same grid
    params = ex.ExcitabilityParams(g_na_sub_mS_cm2=round(na, 1), g_k_sub_mS_cm2=round(k, 1),
                                   g_ahp_mS_cm2=ahp)
    fast = ex.rheobase(params)
    slow = metrics.rheobase_search(lambda a: _fires_over_the_whole_protocol(params, a),
                                   tolerance=0.5, max_high=1024.0)
    assert fast == slow


@settings(max_examples=15, deadline=None)
@given(na=st.floats(0.0, 10.0), k=st.floats(0.0, 10.0), ahp=st.sampled_from([0.0, 8.0]),
       amplitude=st.floats(0.0, 200.0))
def test_fast_step_pattern_matches_the_full_run(na, k, ahp, amplitude):
    params = ex.ExcitabilityParams(g_na_sub_mS_cm2=na, g_k_sub_mS_cm2=k, g_ahp_mS_cm2=ahp)
    full = ex.firing_pattern(ex.step_response(params, amplitude))
    assert ex._step_pattern(params, amplitude, ex.DEFAULT_DT_MS) == full


def test_balance_map_is_kept_on_disk_and_a_bad_file_is_recomputed(tmp_path, monkeypatch):
    grid = (0.0, 2.5, 5.0)
    target = tmp_path / "balance_map-test.npz"
    monkeypatch.setattr(ex, "_map_cache_file", lambda *args: str(target))
    ex._balance_map.cache_clear()
    first = ex.balance_map(0.0, grid, grid)
    assert target.exists()
    ex._balance_map.cache_clear()

    def must_not_run(*args):
        raise AssertionError("the map should have been read from disk")

    with monkeypatch.context() as patch:
        patch.setattr(ex, "_compute_balance_map", must_not_run)
        again = ex.balance_map(0.0, grid, grid)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    target.write_bytes(b"not an npz file")
    ex._balance_map.cache_clear()
    fresh = ex.balance_map(0.0, grid, grid)
    np.testing.assert_array_equal(fresh[2], first[2])
    ex._balance_map.cache_clear()


def test_the_map_on_disk_is_named_by_everything_it_depends_on():
    grid = ex.MAP_G_VALUES
    names = {ex._map_cache_file(0.0, grid, grid), ex._map_cache_file(8.0, grid, grid),
             ex._map_cache_file(0.0, grid[:-1], grid)}
    assert len(names) == 3 and None not in names
