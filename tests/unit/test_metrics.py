"""Generic trace measurements: spikes, rest, pattern names, rheobase search."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.models import metrics


def spiky_trace(spike_ms, t_stop=1200.0, dt=0.1, rest=-65.0):
    """A synthetic trace: rest, with a 1 ms rectangular 'spike' to +30 mV at each time."""
    t = np.arange(0.0, t_stop, dt)
    v = np.full_like(t, rest)
    for s in spike_ms:
        v[(t >= s) & (t < s + 1.0)] = 30.0
    return t, v


def test_spike_times_interpolate_the_zero_crossing():
    t = np.arange(8.0)
    v = np.array([-60.0, -10.0, 10.0, -50.0, -30.0, 30.0, -40.0, -60.0])
    np.testing.assert_allclose(metrics.spike_times(t, v), [1.5, 4.5])


def test_a_held_plateau_is_not_a_spike():
    # depolarisation block: the membrane jumps above 0 mV and stays there for 400 ms
    t = np.arange(0.0, 600.0, 0.1)
    v = np.where((t >= 100.0) & (t < 500.0), 20.0, -65.0)
    assert metrics.spike_times(t, v).size == 0
    # the same excursion, brief, is a spike
    v_brief = np.where((t >= 100.0) & (t < 102.0), 20.0, -65.0)
    np.testing.assert_allclose(metrics.spike_times(t, v_brief), [100.0], atol=0.11)


def test_wobbles_around_0_mv_from_a_depolarised_membrane_are_not_spikes():
    # a cell held near -10 mV (block) that wobbles up towards 0 mV never re-arms
    t = np.arange(0.0, 300.0, 0.1)
    v = -8.0 + 11.0 * np.sin(2 * np.pi * t / 20.0)         # -19 to +3 mV
    assert metrics.spike_times(t, v).size == 0
    # a deeper wobble that dips below -20 mV between crossings: spikes, except the first
    # crossing, which starts from -15 mV (the trace has not yet been below -20 mV)
    v_deep = -15.0 + 40.0 * np.sin(2 * np.pi * t / 20.0)
    spikes = metrics.spike_times(t, v_deep)
    assert spikes.size == 14 and spikes[0] > 20.0


def test_a_spike_cut_off_by_the_end_of_the_run_still_counts():
    t = np.arange(0.0, 50.0, 0.1)
    v = np.where(t >= 45.0, 30.0, -65.0)
    np.testing.assert_allclose(metrics.spike_times(t, v), [45.0], atol=0.11)
    v_long = np.where(t >= 20.0, 30.0, -65.0)        # 30 ms above 0 at the end: a plateau
    assert metrics.spike_times(t, v_long).size == 0


@settings(max_examples=40, deadline=None)
@given(level=st.floats(1.0, 150.0), start=st.floats(10.0, 200.0),
       length=st.floats(metrics.MAX_SPIKE_WIDTH_MS + 0.5, 500.0))
def test_no_plateau_of_any_height_or_length_counts(level, start, length):
    t = np.arange(0.0, start + length + 100.0, 0.1)
    v = np.where((t >= start) & (t < start + length), level, -65.0)
    assert metrics.spike_times(t, v).size == 0


def test_no_spikes_in_a_flat_trace():
    assert metrics.spike_times(np.arange(5.0), np.full(5, -60.0)).size == 0


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(10, 1100), min_size=0, max_size=20, unique=True))
def test_spike_count_matches_synthetic_spikes(times):
    times = sorted(times)
    spaced = [s for i, s in enumerate(times) if i == 0 or s - times[i - 1] > 2.0]
    kept = [spaced[0]] if spaced else []
    for s in spaced[1:]:
        if s - kept[-1] > 2.0:
            kept.append(s)
    t, v = spiky_trace(kept)
    found = metrics.spike_times(t, v)
    assert found.size == len(kept)
    np.testing.assert_allclose(found, kept, atol=0.11)


def test_pattern_names():
    stim = (100.0, 1100.0)
    t, v = spiky_trace([])
    assert metrics.classify_pattern([], t, v, *stim) == metrics.SILENT
    onset = [105.0]
    assert metrics.classify_pattern(onset, *spiky_trace(onset), *stim) == metrics.ONSET_ONLY
    tonic = list(np.arange(105.0, 1100.0, 20.0))
    assert metrics.classify_pattern(tonic, *spiky_trace(tonic), *stim) == metrics.REPETITIVE
    bursts = [b + k * 3.0 for b in (105.0, 505.0, 905.0) for k in range(6)]
    assert metrics.isi_cv(bursts) > metrics.BURST_CV
    assert metrics.classify_pattern(bursts, *spiky_trace(bursts), *stim) == metrics.BURSTING
    early = [50.0]
    assert metrics.classify_pattern(early, *spiky_trace(early), *stim) == metrics.SPONTANEOUS
    t, v = spiky_trace([], rest=-5.0)
    assert metrics.classify_pattern([], t, v, *stim) == metrics.DEPOLARISATION_BLOCK


def test_two_late_spikes_are_not_repetitive():
    # SCIENCE.md: repetitive needs at least 3 spikes after the first 200 ms of the step
    spikes = [105.0, 150.0, 400.0, 700.0]
    assert metrics.classify_pattern(spikes, *spiky_trace(spikes), 100.0, 1100.0) \
        == metrics.ONSET_ONLY


def test_rate_and_cv():
    assert metrics.rate_hz([100, 200, 300, 1500], 0.0, 1000.0) == 3.0
    assert metrics.isi_cv([0, 10, 20, 30]) == pytest.approx(0.0)
    assert np.isnan(metrics.isi_cv([0, 10]))


@settings(max_examples=40, deadline=None)
@given(threshold=st.floats(0.0, 3000.0), tol=st.sampled_from([0.5, 1.0, 2.0]),
       guess=st.one_of(st.none(), st.floats(0.0, 5000.0)))
def test_rheobase_search_finds_the_grid_threshold_from_any_guess(threshold, tol, guess):
    calls = []

    def fires(a):
        calls.append(a)
        return a >= threshold
    found = metrics.rheobase_search(fires, guess, tolerance=tol, max_high=8192.0)
    # the smallest multiple of tol at or above the threshold, whatever the guess
    n = math.ceil(threshold / tol)
    while n > 0 and (n - 1) * tol >= threshold:
        n -= 1
    while n * tol < threshold:
        n += 1
    assert found == n * tol
    assert all(a % tol == pytest.approx(0.0, abs=1e-9) or a % tol == pytest.approx(tol)
               for a in calls)


def test_a_good_guess_needs_fewer_runs():
    def counting(threshold):
        calls = []
        return calls, lambda a: calls.append(a) or a >= threshold
    cold_calls, cold = counting(72.0)
    warm_calls, warm = counting(72.0)
    assert metrics.rheobase_search(cold) == metrics.rheobase_search(warm, guess=70.0) == 72.0
    assert len(warm_calls) < len(cold_calls)


def test_rheobase_is_infinite_when_nothing_fires():
    assert metrics.rheobase_search(lambda a: False, max_high=100.0) == np.inf
    assert metrics.rheobase_search(lambda a: False, guess=50.0, max_high=100.0) == np.inf
    assert metrics.rheobase_search(lambda a: True, guess=50.0) == 0.0


def test_fi_curve_shapes():
    amps, rates = metrics.fi_curve(lambda a: 2.0 * a, [0, 1, 2])
    np.testing.assert_array_equal(rates, [0, 2, 4])
