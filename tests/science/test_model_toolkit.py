"""The shared toolkit of the compiled neuron models (course_lib/models/_neuron_toolkit.py).

Each piece is tested on its own, on problems whose answers are known: the equilibrium search on
functions with known zeros, the spike bookkeeping on synthetic traces (against
``metrics.spike_times``, which defines what a spike is), the stability test on linear systems,
the early-stop run on a scripted integrator, and the cache on a counted function. That the models
give the same answers through the toolkit is checked by their own tests (test_drg.py and
test_excitability.py compare the early-stopped runs with full-length ones).
"""

from __future__ import annotations

import numpy as np
import pytest
from numba import njit

from course_lib.models import _neuron_toolkit as toolkit
from course_lib.models import metrics

DT = 0.025
REARM = metrics.SPIKE_REARM_MV
WIDTH_STEPS = metrics.MAX_SPIKE_WIDTH_MS / DT


# ---------------------------------------------------------------- equilibria ------------

@njit
def _steady_gap(v, p, table, a, b):
    """A cubic with zeros at a, b and p[0]; table[0] shifts it (0 in most tests)."""
    return (v - a) * (v - b) * (v - p[0]) + table[0]


_find = toolkit.equilibrium_finder(_steady_gap, "_find", cache=False)


def test_equilibrium_search_finds_every_known_zero_to_machine_precision():
    roots = _find(np.array([33.1]), np.zeros(1), -61.3, -20.7, -150.0, 150.0, 0.25)
    np.testing.assert_allclose(roots, [-61.3, -20.7, 33.1], rtol=0, atol=1e-12)


def test_equilibrium_search_keeps_to_its_interval_and_handles_no_zero():
    roots = _find(np.array([33.1]), np.zeros(1), -61.3, -20.7, -40.0, 150.0, 0.25)
    np.testing.assert_allclose(roots, [-20.7, 33.1], atol=1e-12)
    # shifted up past its local maximum, the cubic has a single zero left (below -61.3)
    one = _find(np.array([33.1]), np.array([1e5]), -61.3, -20.7, -150.0, 150.0, 0.25)
    assert one.size == 1 and -80.0 < one[0] < -70.0
    assert abs(_steady_gap(one[0], np.array([33.1]), np.array([1e5]), -61.3, -20.7)) < 1e-6
    assert _find(np.array([33.1]), np.zeros(1), -61.3, -20.7, 40.0, 150.0, 0.25).size == 0


def test_equilibrium_search_reports_a_zero_on_the_grid_once():
    # -50 lies exactly on the grid -150 + k * 0.25
    roots = _find(np.array([10.0]), np.zeros(1), -50.0, -100.0, -150.0, 0.0, 0.25)
    np.testing.assert_array_equal(roots, [-100.0, -50.0])


def test_equilibrium_finder_requires_the_name_it_calls():
    @njit
    def gap(v, p, table, a, b):
        return v - a

    with pytest.raises(ValueError, match="_steady_gap"):
        toolkit.equilibrium_finder(gap, cache=False)


# ---------------------------------------------------------------- spike bookkeeping ------

def _synthetic_trace(spike_starts_ms, plateau=None, t_stop_ms=200.0):
    """-65 mV with 1 ms triangular spikes to +30 mV at the given times, and optionally a
    plateau (above 0 mV for longer than a spike may last) as (start_ms, length_ms)."""
    t = np.arange(int(round(t_stop_ms / DT)) + 1) * DT
    v = np.full(t.size, -65.0)
    for start in spike_starts_ms:
        rise = (t >= start) & (t < start + 0.5)
        fall = (t >= start + 0.5) & (t < start + 1.0)
        v[rise] = -65.0 + 95.0 * (t[rise] - start) / 0.5
        v[fall] = 30.0 - 95.0 * (t[fall] - start - 0.5) / 0.5
    if plateau is not None:
        start, length = plateau
        v[(t >= start) & (t < start + length)] = 10.0
    return t, v


def _first_stop(v, stop_after_step):
    """Drive spike_watch as an integrator does; the step it stops at, or None."""
    armed, crossed_at = v[0] < REARM, -1
    for j in range(1, v.size):
        stop, armed, crossed_at = toolkit.spike_watch(v[j - 1], v[j], j, armed, crossed_at,
                                                      stop_after_step, REARM, WIDTH_STEPS)
        if stop:
            return j
    return None


def _count_by_stops(v):
    count, after = 0, 0
    while (stop := _first_stop(v, after)) is not None:
        count += 1
        after = stop + 1
    return count


@pytest.mark.parametrize("starts, plateau", [
    ((20.0, 50.0, 80.5), None),
    ((20.0,), (60.0, 30.0)),               # a plateau is not a spike
    ((), None),
    ((10.0, 12.0, 14.0, 150.0), (100.0, 25.0)),
])
def test_spike_watch_counts_what_metrics_counts(starts, plateau):
    t, v = _synthetic_trace(starts, plateau)
    expected = metrics.spike_times(t, v).size
    assert expected == len(starts)
    assert _count_by_stops(v) == expected


def test_spike_watch_stops_once_the_first_spike_after_the_given_step_is_over():
    t, v = _synthetic_trace((20.0, 50.0, 80.0))
    stop = _first_stop(v, int(30.0 / DT))          # skips the spike at 20 ms
    assert stop is not None
    assert 50.5 < t[stop] < 51.0                   # back below -20 mV on the 50 ms spike's fall
    assert v[stop] < REARM <= v[stop - 1]
    assert _first_stop(v, int(90.0 / DT)) is None  # no spike after 90 ms


def test_quiet_check_due_only_from_its_step_every_twentieth_step_with_no_spike_pending():
    every = toolkit.QUIET_CHECK_EVERY
    assert toolkit.quiet_check_due(2 * every, every, -1)
    assert not toolkit.quiet_check_due(2 * every + 1, every, -1)
    assert not toolkit.quiet_check_due(2 * every, every, 5)       # a spike pending
    assert not toolkit.quiet_check_due(0, every, -1)               # before the start
    assert not toolkit.quiet_check_due(2 * every, -1, -1)          # never asked for


def test_first_spike_step():
    assert toolkit.first_spike_step(None, DT) == -1
    assert toolkit.first_spike_step(0.0, DT) == 0
    assert toolkit.first_spike_step(10.0, DT) == 400
    assert toolkit.first_spike_step(10.01, DT) == 400


# ---------------------------------------------------------------- stability -------------

def test_nearest_root():
    roots = np.array([-70.0, -40.0, 10.0])
    assert toolkit.nearest_root(roots, -41.0, 2.0) == -40.0
    assert toolkit.nearest_root(roots, -45.0, 2.0) is None
    assert toolkit.nearest_root(np.array([]), -45.0, 2.0) is None


def test_central_jacobian_of_a_linear_system_is_its_matrix_and_decides_stability():
    a = np.array([[-1.0, 2.0, 0.0], [0.5, -3.0, 1.0], [0.0, 0.2, -0.5]])
    x = np.array([-60.0, 0.3, 0.1])
    jac = toolkit.central_jacobian(lambda y: a @ y, x)
    np.testing.assert_allclose(jac, a, atol=1e-6)
    assert toolkit.is_stable(jac)
    kept = toolkit.central_jacobian(lambda y: a @ y, x, keep=(0, 2))
    np.testing.assert_allclose(kept, a[np.ix_([0, 2], [0, 2])], atol=1e-6)
    unstable = a.copy()
    unstable[2, 2] = 1.0
    assert not toolkit.is_stable(toolkit.central_jacobian(lambda y: unstable @ y, x))


def test_settles_at_needs_both_closeness_and_stability():
    a = np.diag([-1.0, -2.0, -3.0])
    fixed = np.array([-60.0, 0.3, 0.1])
    near = fixed + np.array([0.0, 5e-4, -5e-4])
    far = fixed + np.array([0.0, 5e-3, 0.0])
    assert toolkit.settles_at(near, fixed, (1, 2), lambda y: a @ (y - fixed))
    assert not toolkit.settles_at(far, fixed, (1, 2), lambda y: a @ (y - fixed))
    assert not toolkit.settles_at(near, fixed, (1, 2), lambda y: -a @ (y - fixed))


# ---------------------------------------------------------------- early-stop runs -------

class _ScriptedIntegrator:
    """Plays back traces in place of a model's kernel and records how it was called."""

    def __init__(self, *runs):
        self.runs = list(runs)
        self.calls = []

    def __call__(self, state, i0, i1, i2, dt, *args):
        self.calls.append((state.copy(), i0.size, args))
        v, taken = self.runs.pop(0)
        return np.column_stack((v, np.zeros(v.size))), taken


def _fires(integrate, settled_answer, n=8000, count_from_ms=0.0, offset_steps=0):
    i = np.zeros(n)
    seen = []

    def settled(state, current):
        seen.append((state.copy(), current))
        return settled_answer

    fired = toolkit.fires_with_early_stops(integrate, np.array([-65.0, 0.0]), i, i, i, DT,
                                           ("p", "table"), 0, 800, 1e-4, settled,
                                           count_from_ms=count_from_ms,
                                           offset_steps=offset_steps)
    return fired, seen


def test_early_stop_run_reports_a_spike_in_the_first_part():
    _, v = _synthetic_trace((20.0,), t_stop_ms=30.0)
    integrate = _ScriptedIntegrator((v, v.size - 1))
    fired, seen = _fires(integrate, settled_answer=True)
    assert fired and not seen and len(integrate.calls) == 1
    assert integrate.calls[0][2] == ("p", "table", 0, REARM, metrics.MAX_SPIKE_WIDTH_MS, 800,
                                     1e-4)


def test_early_stop_run_trusts_a_verified_standstill_and_runs_on_after_an_unverified_one():
    quiet = np.full(1001, -65.0)
    integrate = _ScriptedIntegrator((quiet, 1000))
    fired, seen = _fires(integrate, settled_answer=True)
    assert not fired and len(integrate.calls) == 1 and len(seen) == 1
    # not verified: the rest of the step is run, from where the run stopped, and its spike counts
    _, later = _synthetic_trace((50.0,), t_stop_ms=175.0)
    integrate = _ScriptedIntegrator((quiet, 1000), (later, later.size - 1))
    fired, seen = _fires(integrate, settled_answer=False)
    assert fired and len(seen) == 1 and len(integrate.calls) == 2
    assert integrate.calls[1][1] == 8000 - 1000
    # the spike at 50 ms of the second part is at 75 ms of the whole: not counted from 80 ms on
    integrate = _ScriptedIntegrator((quiet, 1000), (later, later.size - 1))
    assert not _fires(integrate, settled_answer=False, count_from_ms=80.0)[0]
    # ... unless the arrays start 200 steps (5 ms) later than t = 0
    integrate = _ScriptedIntegrator((quiet, 1000), (later, later.size - 1))
    assert _fires(integrate, settled_answer=False, count_from_ms=80.0, offset_steps=200)[0]


def test_early_stop_run_that_reaches_the_end_asks_nothing_more():
    quiet = np.full(8001, -65.0)
    integrate = _ScriptedIntegrator((quiet, 8000))
    fired, seen = _fires(integrate, settled_answer=False)
    assert not fired and not seen and len(integrate.calls) == 1


# ---------------------------------------------------------------- caching ---------------

def test_cache_ignoring_hint_keys_on_all_but_the_hint():
    calls = []

    @toolkit.cache_ignoring_hint(maxsize=2)
    def slow(a, b, hint):
        calls.append((a, b, hint))
        return a + b

    assert slow(1, 2, None) == 3
    assert slow(1, 2, 99.0) == 3               # another hint: the cached answer
    assert calls == [(1, 2, None)]
    assert slow(2, 2, None) == 4 and len(calls) == 2
    slow.cache_clear()
    assert slow(1, 2, 5.0) == 3 and len(calls) == 3
    for k in range(5):                          # more than maxsize entries: emptied, still right
        assert slow(k, 0, None) == k
    n_calls = len(calls)
    assert slow(4, 0, 1.0) == 4 and len(calls) == n_calls
    assert slow.__name__ == "slow"
