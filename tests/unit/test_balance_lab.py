"""Balance lab: drive the controls, check the map, the traces and the readout."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.models import metrics
from course_lib.widgets.balance_lab import DEFAULTS, BalanceLab


@pytest.fixture(scope="module")
def lab():
    return BalanceLab()


def spikes(trace) -> int:
    v = np.asarray(trace.y, dtype=float)
    return int(np.count_nonzero((v[:-1] < 0) & (v[1:] >= 0)))


def test_map_shows_the_tipping_line(lab):
    lab.reset()
    heat = lab.figure.data[0]
    z = np.asarray(heat.z, dtype=int)
    na, k = np.asarray(heat.x), np.asarray(heat.y)
    onset = metrics.PATTERNS.index(metrics.ONSET_ONLY)
    repetitive = metrics.PATTERNS.index(metrics.REPETITIVE)
    spontaneous = metrics.PATTERNS.index(metrics.SPONTANEOUS)
    # more K than Na: onset-only; more Na than K: repetitive, then spontaneous
    assert z[np.searchsorted(k, 5.0), np.searchsorted(na, 2.0)] == onset
    assert z[np.searchsorted(k, 0.0), np.searchsorted(na, 3.0)] == repetitive
    assert z[np.searchsorted(k, 0.0), np.searchsorted(na, 9.0)] == spontaneous
    # degeneracy: along a line of equal Na - K the map cells agree
    assert len({z[np.searchsorted(k, g - 1.0), np.searchsorted(na, g)] for g in (3, 4, 5)}) == 1


def test_normal_then_neuropathic_changes_trace_and_readout(lab):
    lab.reset()
    normal_spikes = spikes(lab.figure.data[4])
    assert "fires only at the start" in lab.readout.value
    lab.set_values(g_na_sub=2.5, g_k_sub=2.0)
    assert spikes(lab.figure.data[4]) > normal_spikes + 10
    assert "fires repetitively" in lab.readout.value
    assert "rheobase) is 50" in lab.readout.value
    marker = lab.figure.data[2]
    assert (marker.x[0], marker.y[0]) == (2.5, 2.0)


def test_spontaneous_firing_appears_at_zero_stimulus(lab):
    lab.reset()
    assert spikes(lab.figure.data[3]) == 0
    lab.set_values(g_na_sub=7.5, g_k_sub=2.0)
    assert spikes(lab.figure.data[3]) > 30
    assert "fires on its own at about 78 Hz" in lab.readout.value


def test_adding_k_reverses_the_change(lab):
    lab.set_values(g_na_sub=2.5, g_k_sub=3.0)
    assert lab.result["map_pattern"] == metrics.ONSET_ONLY


def test_ahp_turns_repetitive_firing_into_bursts(lab):
    lab.set_values(g_na_sub=2.5, g_k_sub=2.0, amplitude=80.0, ahp=True)
    assert lab.result["step_pattern"] == metrics.BURSTING
    assert "bursts" in lab.readout.value
    lab.controls["ahp"].value = False
    assert lab.result["step_pattern"] == metrics.REPETITIVE


def test_noise_checkbox_jitters_the_resting_trace(lab):
    lab.reset()
    quiet = np.asarray(lab.figure.data[3].y, dtype=float)
    lab.controls["noise"].value = True
    noisy = np.asarray(lab.figure.data[3].y, dtype=float)
    assert "noise on" in lab.readout.value
    assert not np.array_equal(quiet, noisy)


def test_reset_restores_defaults(lab):
    lab.set_values(g_na_sub=9.0, g_k_sub=1.0, amplitude=10.0, noise=True)
    lab.reset()
    for name, value in DEFAULTS.items():
        assert lab.controls[name].value == value


def test_the_map_stays_hidden_until_asked_for_because_it_answers_the_predict_question():
    lab = BalanceLab()
    assert lab.figure.data[0].visible is False
    assert "hidden" in lab.description.value and "S spontaneous" not in lab.description.value
    lab.controls["show_map"].value = True
    assert lab.figure.data[0].visible is True
    assert "S spontaneous" in lab.description.value
