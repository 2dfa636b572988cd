"""Generic measurements on simulated voltage traces.

What it measures: spike times, resting potential, interspike-interval statistics, the firing pattern of a response to a current step, rheobase by
bisection, frequency-current curves and the spontaneous rate.

The firing-pattern words follow the course's SCIENCE.md (section 1), which follows
Ratte et al. 2014 (eLife 3:e02370, doi:10.7554/eLife.02370):
  - silent: no spike;
  - onset-only: spikes, but fewer than 3 after the first 200 ms of the step;
  - repetitive: at least 3 spikes after the first 200 ms of the step, regular intervals;
  - bursting: repetitive, but the interspike intervals are very uneven (coefficient of
    variation above ``BURST_CV``: clusters of spikes separated by long pauses);
  - spontaneous: spikes without any stimulus (before the step starts, or at zero current);
  - depolarisation block: no spikes at all while the membrane sits depolarised, above
    ``BLOCK_V_MV`` -- the sodium channels are inactivated and cannot fire.
The numeric thresholds for bursting and block are our own teaching choices (stated here).

What counts as a spike (our teaching definition, stated so a plateau is never called a spike):
an upward crossing of 0 mV that (1) starts from a membrane that has been below
``SPIKE_REARM_MV`` (-20 mV) since the previous crossing, and (2) falls back below
``SPIKE_REARM_MV`` within ``MAX_SPIKE_WIDTH_MS`` (20 ms). A cell held depolarised (a
plateau, depolarisation block) may sit above 0 mV for hundreds of ms: that is not a spike.
The spikes of the course's models fall back below -20 mV within 8 ms even at the largest
stimuli the labs allow, so the width limit leaves real spikes untouched.

Units: time in ms, voltage in mV, rates in Hz (spikes per second).
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np

from course_lib.models._validation import _is_number, check_array, check_positive, check_range

SILENT = "silent"
ONSET_ONLY = "onset-only"
REPETITIVE = "repetitive"
BURSTING = "bursting"
SPONTANEOUS = "spontaneous"
DEPOLARISATION_BLOCK = "depolarisation block"
PATTERNS = (SILENT, ONSET_ONLY, REPETITIVE, BURSTING, SPONTANEOUS, DEPOLARISATION_BLOCK)

V_LIMIT_MV = 10_000.0        # any trace value beyond this is not a membrane potential


def _trace(t_ms, v_mV) -> tuple[np.ndarray, np.ndarray]:
    """Check a (time, voltage) trace: 1-D, same length, finite, time increasing."""
    t = check_array("t_ms", t_ms, -1e9, 1e9, ndim=1)
    v = check_array("v_mV", v_mV, -V_LIMIT_MV, V_LIMIT_MV, ndim=1)
    if t.shape != v.shape:
        raise ValueError(f"t_ms and v_mV must have the same length, got {t.size} and {v.size}")
    if t.size > 1 and np.any(np.diff(t) <= 0):
        raise ValueError("t_ms must increase from sample to sample")
    return t, v


def _spikes(spikes_ms) -> np.ndarray:
    return check_array("spikes_ms", spikes_ms, -1e9, 1e9, ndim=1)


SPIKE_THRESHOLD_MV = 0.0
SPIKE_REARM_MV = -20.0       # a spike must start from, and return to, below this (ours)
MAX_SPIKE_WIDTH_MS = 20.0    # ... and return within this time of crossing 0 mV (ours)
ONSET_WINDOW_MS = 200.0      # SCIENCE.md: repetitive = >= 3 spikes after the first 200 ms
MIN_LATE_SPIKES = 3
BURST_CV = 1.0               # tonic firing has CV well below 0.5; bursts in the model ~2.8
BLOCK_V_MV = -30.0           # above the ~-35 mV spike threshold of the balance model


def spike_times(t_ms: np.ndarray, v_mV: np.ndarray,
                threshold_mV: float = SPIKE_THRESHOLD_MV,
                rearm_mV: float = SPIKE_REARM_MV,
                max_width_ms: float = MAX_SPIKE_WIDTH_MS) -> np.ndarray:
    """Spike times (ms): upward crossings of ``threshold_mV``, linearly interpolated.

    A crossing counts only if the membrane was below ``rearm_mV`` at some sample since the
    previous crossing (or the start), and falls below ``rearm_mV`` again within
    ``max_width_ms`` (see the module docstring). A crossing so close to the end of the trace
    that its return cannot be seen counts as a spike only if the trace ends less than
    ``max_width_ms`` after it (a spike cut off by the end of the run).
    """
    t, v = _trace(t_ms, v_mV)
    threshold_mV = check_range("threshold_mV", threshold_mV, -V_LIMIT_MV, V_LIMIT_MV)
    rearm_mV = check_range("rearm_mV", rearm_mV, -V_LIMIT_MV, threshold_mV)
    max_width_ms = check_positive("max_width_ms", max_width_ms)
    return _spike_times(t, v, threshold_mV, rearm_mV, max_width_ms)


def _spike_times(t: np.ndarray, v: np.ndarray, threshold_mV: float = SPIKE_THRESHOLD_MV,
                 rearm_mV: float = SPIKE_REARM_MV,
                 max_width_ms: float = MAX_SPIKE_WIDTH_MS) -> np.ndarray:
    """:func:`spike_times` without the input checks, for the models' own runs (float arrays
    they made themselves): the checks are several passes over traces of 40,000 samples."""
    if v.size < 2:
        return np.empty(0)
    up = np.flatnonzero((v[:-1] < threshold_mV) & (v[1:] >= threshold_mV))
    if up.size == 0:
        return np.empty(0)
    v0, v1 = v[up], v[up + 1]
    crossing = t[up] + (threshold_mV - v0) / (v1 - v0) * (t[up + 1] - t[up])
    below = np.flatnonzero(v < rearm_mV)
    if below.size == 0:
        return np.empty(0)         # never re-armed: no crossing can count
    previous = np.concatenate(([-1], up[:-1]))
    n_below_to_here = np.searchsorted(below, up, side="right")
    armed = n_below_to_here > np.searchsorted(below, previous, side="right")
    has_return = n_below_to_here < below.size
    return_t = np.where(has_return, t[below[np.minimum(n_below_to_here, below.size - 1)]],
                        np.inf)
    returned = return_t - crossing <= max_width_ms
    cut_off = ~has_return & (t[-1] - crossing < max_width_ms)
    return crossing[armed & (returned | cut_off)]


def resting_potential(t_ms: np.ndarray, v_mV: np.ndarray,
                      window_ms: float = 50.0, end_ms: float | None = None) -> float:
    """Mean membrane potential over the ``window_ms`` that ends at ``end_ms`` (default: end)."""
    t, v = _trace(t_ms, v_mV)
    if t.size == 0:
        raise ValueError("t_ms and v_mV must not be empty")
    window_ms = check_positive("window_ms", window_ms)
    end = t[-1] if end_ms is None else check_range("end_ms", end_ms, -1e9, 1e9)
    return _mean_before(t, v, window_ms, end)


def _mean_before(t: np.ndarray, v: np.ndarray, window_ms: float, end: float) -> float:
    sel = (t > end - window_ms) & (t <= end)
    if not np.any(sel):
        sel = slice(None)
    return float(np.mean(v[sel]))


def isi_cv(spikes_ms: Sequence[float]) -> float:
    """Coefficient of variation of the interspike intervals (nan with fewer than 3 spikes)."""
    s = _spikes(spikes_ms)
    if s.size < 3:
        return float("nan")
    isi = np.diff(s)
    mean = isi.mean()
    return float(isi.std() / mean) if mean > 0 else float("nan")


def rate_hz(spikes_ms: Sequence[float], start_ms: float, end_ms: float) -> float:
    """Spikes per second in the window [start_ms, end_ms)."""
    s = _spikes(spikes_ms)
    start_ms = check_range("start_ms", start_ms, -1e9, 1e9)
    end_ms = check_range("end_ms", end_ms, -1e9, 1e9)
    width = end_ms - start_ms
    if width <= 0:
        return 0.0
    n = np.count_nonzero((s >= start_ms) & (s < end_ms))
    return float(n * 1000.0 / width)


def classify_pattern(spikes_ms: Sequence[float], t_ms: np.ndarray, v_mV: np.ndarray,
                     stim_start_ms: float, stim_end_ms: float,
                     settle_ms: float = 0.0) -> str:
    """Name the firing pattern of a response to a current step (see the module docstring).

    ``settle_ms``: spikes earlier than this are ignored when looking for spontaneous firing
    (the first few ms of a simulation started away from rest).
    For a run with no stimulus, pass the whole run as the window: any spike then counts as
    spontaneous, and a silent depolarised membrane as depolarisation block.
    """
    s = _spikes(spikes_ms)
    t, v = _trace(t_ms, v_mV)
    if t.size == 0:
        raise ValueError("t_ms and v_mV must not be empty")
    stim_start_ms = check_range("stim_start_ms", stim_start_ms, -1e9, 1e9)
    stim_end_ms = check_range("stim_end_ms", stim_end_ms, stim_start_ms, 1e9)
    settle_ms = check_range("settle_ms", settle_ms, -1e9, 1e9)
    return _classify_pattern(s, t, v, stim_start_ms, stim_end_ms, settle_ms)


def _classify_pattern(s: np.ndarray, t: np.ndarray, v: np.ndarray, stim_start_ms: float,
                      stim_end_ms: float, settle_ms: float = 0.0) -> str:
    """:func:`classify_pattern` without the input checks (for the models' own runs)."""
    before = s[(s >= settle_ms) & (s < stim_start_ms)]
    if before.size > 0:
        return SPONTANEOUS
    during = s[(s >= stim_start_ms) & (s < stim_end_ms)]
    end_v = _mean_before(t, v, 100.0, min(stim_end_ms, t[-1]))
    late = during[during >= stim_start_ms + ONSET_WINDOW_MS]
    if late.size >= MIN_LATE_SPIKES:
        return BURSTING if isi_cv(during) > BURST_CV else REPETITIVE
    if during.size > 0:
        # one or a few spikes, then a steady (possibly depolarised) plateau: the paper's
        # onset-only response, even when the plateau sits above BLOCK_V_MV
        return ONSET_ONLY
    return DEPOLARISATION_BLOCK if end_v > BLOCK_V_MV else SILENT


def classify_spontaneous(spikes_ms: Sequence[float], t_ms: np.ndarray, v_mV: np.ndarray,
                         settle_ms: float) -> str:
    """Pattern at zero stimulus: 'spontaneous', 'silent' or 'depolarisation block'."""
    s = _spikes(spikes_ms)
    t, v_mV = _trace(t_ms, v_mV)
    if t.size == 0:
        raise ValueError("t_ms and v_mV must not be empty")
    settle_ms = check_range("settle_ms", settle_ms, -1e9, 1e9)
    return _classify_spontaneous(s, t, v_mV, settle_ms)


def _classify_spontaneous(s: np.ndarray, t: np.ndarray, v_mV: np.ndarray,
                          settle_ms: float) -> str:
    """:func:`classify_spontaneous` without the input checks (for the models' own runs)."""
    late = s[s >= settle_ms]
    # a neuron that fired once while settling and then stopped is not spontaneously active
    if late.size >= 2 or (late.size == 1 and t[-1] - late[-1] < 200.0):
        return SPONTANEOUS
    if _mean_before(t, v_mV, 100.0, t[-1]) > BLOCK_V_MV:
        return DEPOLARISATION_BLOCK
    return SILENT


def _widening_steps():
    """1, 1, 2, 4, 8, ...: how far each try of a guided rheobase search moves from the last."""
    yield 1
    step = 1
    while True:
        yield step
        step *= 2


def rheobase_search(fires: Callable[[float], bool], guess: float | None = None,
                    tolerance: float = 1.0, first_high: float = 64.0,
                    max_high: float = 4096.0) -> float:
    """Smallest multiple of ``tolerance`` at which ``fires(amplitude)`` is True.

    Assumes firing is monotone in amplitude (true for the step protocols used here). The
    search runs on the grid of multiples of ``tolerance``, so the answer does not depend on
    where it starts: ``guess`` (e.g. a neighbouring setting's rheobase) only makes it
    cheaper -- a few runs instead of a search from zero. Returns 0 if 0 already fires and
    ``inf`` if nothing up to ``max_high`` fires.
    """
    if not callable(fires):
        raise ValueError(f"fires = {fires!r:.80} is not allowed: it must be a function of the amplitude")
    tolerance = check_positive("tolerance", tolerance)
    max_high = check_range("max_high", max_high, tolerance, 1e9)
    first_high = check_range("first_high", first_high, tolerance, max_high)
    if guess is not None:           # a non-finite guess (inf, nan) just means "no guess"
        if not _is_number(guess):
            raise ValueError(f"guess = {guess!r} is not allowed: it must be a number or None")
        guess = float(guess) if math.isfinite(float(guess)) else None
    top = int(math.floor(max_high / tolerance))

    def fires_at(n: int) -> bool:
        return fires(n * tolerance)

    if guess is None or not math.isfinite(guess):
        if fires_at(0):
            return 0.0
        low, high, step = 0, max(1, int(math.ceil(first_high / tolerance))), None
        while not fires_at(high):
            low = high
            if high >= top:
                return float("inf")
            high = min(2 * high, top)
    else:
        g = min(max(int(round(guess / tolerance)), 0), top)
        # a guess from a neighbouring setting is usually exact or one grid point off, so the
        # search moves away from it by 1, 1, 2, 4, ... grid points: two runs settle an exact
        # guess and three an off-by-one guess (steps of 2, 4, ... took three for both)
        steps = _widening_steps()
        if fires_at(g):
            high, low = g, g - next(steps)
            while low > 0 and fires_at(low):
                high = low
                low = high - next(steps)
            if low <= 0:
                if fires_at(0):
                    return 0.0
                low = 0
        else:
            low, high = g, min(g + next(steps), top)
            while not fires_at(high):
                if high >= top:
                    return float("inf")
                low = high
                high = min(low + next(steps), top)
    while high - low > 1:
        mid = (low + high) // 2
        if fires_at(mid):
            high = mid
        else:
            low = mid
    return float(high * tolerance)


def fi_curve(rate_of: Callable[[float], float], amplitudes: Sequence[float]
             ) -> tuple[np.ndarray, np.ndarray]:
    """Frequency-current curve: (amplitudes, rate in Hz at each amplitude)."""
    if not callable(rate_of):
        raise ValueError(f"rate_of = {rate_of!r:.80} is not allowed: it must be a function")
    amps = check_array("amplitudes", amplitudes, -1e9, 1e9, ndim=1)
    return amps, np.array([rate_of(a) for a in amps], dtype=float)
