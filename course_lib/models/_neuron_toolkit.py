"""Model-agnostic pieces shared by the compiled neuron models (drg and excitability).

Both models integrate their equations with the same fixed-step RK4 loop and answer the same
questions of it, so the bookkeeping around the loop lives here once:

- :func:`spike_watch`: the early stop at the first spike, called once per step from inside each
  model's compiled integrator. A spike is what ``metrics.spike_times`` counts: an upward crossing
  of 0 mV from below the re-arm level that returns below it within the largest spike width.
- :func:`quiet_check_due`: when the integrator should test whether the cell stands still.
- :func:`equilibrium_finder`: a compiled search for every membrane potential where a model's
  steady-state ``_steady_gap`` (its dV/dt, or net current, with the gates at steady state)
  changes sign on a voltage grid, refined by bisection. The search is written once here
  (:func:`_equilibria_template`) and compiled for each model with that model's ``_steady_gap``
  bound as a global, so numba calls it directly (and inlines it) and caches the result beside
  the model's other kernels, invalidated when the model's source changes. Passing the compiled
  function as an argument instead would be about three times slower (numba calls a function
  argument indirectly) and, compiled on its own, could not be cached at all.
- :func:`nearest_root`, :func:`central_jacobian`, :func:`is_stable`, :func:`settles_at`: the
  test that a run which came to a standstill sits at a stable equilibrium, so no spike can
  follow (Python level: a handful of right-hand-side evaluations and one eigenvalue problem).
- :func:`fires_with_early_stops`: one step response run to its first spike or to a verified
  standstill (the cheap yes/no a rheobase search asks many times); :func:`first_spike_step`.
- :func:`cache_ignoring_hint`: the memo for results whose last argument is only a hint (a search
  start) and must not be part of the key; everything else is cached with ``functools.lru_cache``.

No science lives here: each model's docstring gives its equations, sources and units.
Units: mV (voltages), ms (time), per ms (rates).
"""

from __future__ import annotations

import functools
import math
import sys
from types import FunctionType

import numpy as np
from numba import njit

from course_lib.models import metrics

# ---------------------------------------------------------------- spike bookkeeping ------


@njit(cache=True)
def spike_watch(v_old, v_new, step, armed, crossed_at, stop_after_step, rearm_mV, width_steps):
    """One step of the first-spike early stop. Returns (stop, armed, crossed_at).

    ``step`` is the index of the state ``v_new`` (the step just taken + 1); ``crossed_at`` the
    step of the pending upward crossing of 0 mV (-1: none); ``armed`` whether V has been below
    ``rearm_mV`` since the last crossing. ``stop`` is True once a spike whose crossing came at or
    after ``stop_after_step`` has returned below ``rearm_mV`` within ``width_steps`` steps; a
    crossing that stays up longer is a plateau, not a spike, and is forgotten.
    """
    if v_new < rearm_mV:
        if crossed_at >= stop_after_step and step - crossed_at <= width_steps:
            return True, armed, crossed_at
        return False, True, -1
    if armed and v_old < 0.0 and v_new >= 0.0:
        return False, False, step
    if crossed_at >= 0 and step - crossed_at > width_steps:
        return False, armed, -1          # a plateau, not a spike
    return False, armed, crossed_at


QUIET_CHECK_EVERY = 20   # steps between standstill tests (the test reads the step's k1)


@njit(cache=True)
def quiet_check_due(j, quiet_after_step, crossed_at):
    """True if step ``j`` should test for a standstill: from ``quiet_after_step`` on (-1: never),
    with no spike pending, every ``QUIET_CHECK_EVERY`` steps."""
    return 0 <= quiet_after_step <= j and crossed_at < 0 and j % QUIET_CHECK_EVERY == 0


# ---------------------------------------------------------------- equilibria ------------

def _equilibria_template(p, table, a, b, v_lo, v_hi, dv):
    """Every V in [v_lo, v_hi] where ``_steady_gap(V, p, table, a, b)`` is zero: a sign change
    on a grid of ``dv``, refined by 60 bisections (to machine precision), or an exact zero on
    the grid. ``_steady_gap`` is the model's compiled steady-state dV/dt (or net current minus
    the applied one) at V; ``p`` its kernel parameters, ``table`` its rate table, ``a`` and
    ``b`` two numbers the model chooses (the applied current and a held slow gate)."""
    n = int((v_hi - v_lo) / dv) + 1
    roots = np.empty(n)
    count = 0
    v_prev = v_lo
    f_prev = _steady_gap(v_prev, p, table, a, b)  # noqa: F821 (bound by equilibrium_finder)
    for k in range(1, n):
        v = v_lo + k * dv
        f = _steady_gap(v, p, table, a, b)  # noqa: F821
        if f_prev == 0.0:
            roots[count] = v_prev
            count += 1
        elif f_prev * f < 0.0:
            lo, hi, f_lo = v_prev, v, f_prev
            for _ in range(60):
                mid = 0.5 * (lo + hi)
                f_mid = _steady_gap(mid, p, table, a, b)  # noqa: F821
                if (f_mid < 0.0) == (f_lo < 0.0):
                    lo, f_lo = mid, f_mid
                else:
                    hi = mid
            roots[count] = 0.5 * (lo + hi)
            count += 1
        v_prev, f_prev = v, f
    return roots[:count]


def equilibrium_finder(steady_gap, name: str = "_find_equilibria", cache: bool = True):
    """The compiled search ``name(p, table, a, b, v_lo, v_hi, dv) -> roots`` for one model.

    ``steady_gap(v, p, table, a, b) -> float`` is the model's compiled steady-state function;
    it must be a module-level kernel called ``_steady_gap`` (the name the search calls, so that
    ``course_lib.warmup`` can see that the search reaches it). The search is compiled as if
    written in the model's module (``name`` must be free there): numba keeps it in that module's
    cache, and recompiles it when that module's source changes (a change to this file, as with
    any kernel one model borrows from another module, needs the models' caches rebuilt, as
    ``make`` does: MODEL_SOURCES covers every file in course_lib/models/). ``cache=False``
    keeps it out of numba's disk cache (for tests).
    """
    module = sys.modules[steady_gap.py_func.__module__ if hasattr(steady_gap, "py_func")
                         else steady_gap.__module__]
    if steady_gap.__name__ != "_steady_gap":
        raise ValueError("the steady-state function must be called _steady_gap, not "
                         f"{steady_gap.__name__!r}")
    template = _equilibria_template
    code = template.__code__.replace(co_filename=module.__file__, co_name=name)
    if hasattr(code, "co_qualname"):          # Python 3.11+
        code = code.replace(co_qualname=name)
    search = FunctionType(code, {"np": np, "_steady_gap": steady_gap}, name,
                          template.__defaults__)
    search.__qualname__ = name
    search.__module__ = module.__name__
    search.__doc__ = template.__doc__
    return njit(cache=cache)(search)


# ---------------------------------------------------------------- stability -------------

def nearest_root(roots: np.ndarray, v_mV: float, within_mV: float) -> float | None:
    """The root closest to ``v_mV`` if it lies within ``within_mV`` of it, else None."""
    if roots.size == 0:
        return None
    v_star = float(roots[np.argmin(np.abs(roots - v_mV))])
    if abs(v_star - v_mV) > within_mV:
        return None
    return v_star


V_STEP = 1e-4       # mV: central-difference step in V
GATE_STEP = 1e-7    # central-difference step in a gate (or any other state)


def central_jacobian(rhs, x: np.ndarray, keep=None) -> np.ndarray:
    """Jacobian of ``rhs`` (state vector -> sequence of derivatives, one per state) at ``x`` by
    central differences (``V_STEP`` for x[0], ``GATE_STEP`` for the rest). ``keep``: the state
    indices to vary and to read (default all), e.g. all but a slow gate held fixed."""
    cols = range(x.size) if keep is None else keep
    rows = None if keep is None else list(keep)
    jac = np.empty((len(cols), len(cols)))
    for col, k in enumerate(cols):
        h = V_STEP if k == 0 else GATE_STEP
        up = x.copy()
        down = x.copy()
        up[k] += h
        down[k] -= h
        diff = np.array(rhs(up)) - np.array(rhs(down))
        jac[:, col] = (diff if rows is None else diff[rows]) / (2.0 * h)
    return jac


def is_stable(jac: np.ndarray) -> bool:
    """True if every eigenvalue of ``jac`` has a negative real part (the equilibrium then
    attracts everything near it)."""
    return bool(np.all(np.linalg.eigvals(jac).real < 0.0))


def settles_at(state: np.ndarray, fixed: np.ndarray, compare, rhs, keep=None,
               tolerance: float = 1e-3) -> bool:
    """True if ``state`` lies within ``tolerance`` of the equilibrium ``fixed`` in the entries
    ``compare`` and ``fixed`` is stable for ``rhs`` (see :func:`central_jacobian` for ``keep``).
    The caller has already matched V (with :func:`nearest_root`)."""
    if any(abs(fixed[k] - state[k]) > tolerance for k in compare):
        return False
    return is_stable(central_jacobian(rhs, fixed, keep))


# ---------------------------------------------------------------- runs ------------------

def first_spike_step(stop_at_first_spike_after_ms: float | None, dt_ms: float) -> int:
    """The integrators' ``spike_stop_after_step`` for a stop at the first spike at or after
    that time (-1: no such stop)."""
    if stop_at_first_spike_after_ms is None:
        return -1
    return max(0, int(math.floor(stop_at_first_spike_after_ms / dt_ms)))


def fires_with_early_stops(integrate, state, i0, i1, i2, dt_ms: float, kernel_args: tuple,
                           spike_from_step: int, quiet_from_step: int, quiet_rate: float,
                           settled, count_from_ms: float = 0.0, offset_steps: int = 0) -> bool:
    """True if a run under a constant current fires a spike at or after ``count_from_ms``.

    ``integrate`` is a model's compiled RK4 kernel, called as ``integrate(state, i0, i1, i2,
    dt_ms, *kernel_args, spike_stop_after_step, rearm_mV, max_width_ms, quiet_after_step,
    quiet_rate)`` with the stimulus at the start, middle and end of each step. The run stops at
    the first spike from ``spike_from_step`` on, or at a standstill from ``quiet_from_step`` on;
    ``settled(state, current)`` must then confirm that the standstill is a stable equilibrium
    under the current of its last step (no spike can follow), or the run goes on to the end.
    The arrays' index 0 is ``offset_steps`` steps after t = 0 (a run that starts at the step's
    onset).
    """
    n = i0.shape[0]
    out, taken = integrate(state, i0, i1, i2, dt_ms, *kernel_args, spike_from_step,
                           metrics.SPIKE_REARM_MV, metrics.MAX_SPIKE_WIDTH_MS, quiet_from_step,
                           quiet_rate)
    v = out[:taken + 1, 0]
    t = (offset_steps + np.arange(taken + 1)) * dt_ms
    if np.any(metrics._spike_times(t, v) >= count_from_ms):
        return True
    if taken == n or settled(out[taken], float(i1[taken - 1])):
        return False
    rest, _ = integrate(out[taken], i0[taken:], i1[taken:], i2[taken:], dt_ms, *kernel_args, 0,
                        metrics.SPIKE_REARM_MV, metrics.MAX_SPIKE_WIDTH_MS)
    whole = np.concatenate((v, rest[1:, 0]))
    spikes = metrics._spike_times(offset_steps * dt_ms + np.arange(whole.size) * dt_ms, whole)
    return bool(np.any(spikes >= count_from_ms))


# ---------------------------------------------------------------- caching ---------------

def cache_ignoring_hint(maxsize: int = 4096):
    """Memoise a function on all its positional arguments but the last, a hint that only makes
    the computation cheaper (say, a search start) and so must not split the cache. The memo is
    emptied when it holds more than ``maxsize`` results; ``cache_clear()`` empties it, as with
    ``functools.lru_cache``. Arguments must be hashable and already validated."""
    def decorate(function):
        store: dict = {}

        @functools.wraps(function)
        def cached(*args):
            key = args[:-1]
            if key not in store:
                value = function(*args)
                if len(store) > maxsize:
                    store.clear()
                store[key] = value
            return store[key]

        cached.cache_clear = store.clear
        return cached
    return decorate
