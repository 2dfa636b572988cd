"""Gate control in the spinal dorsal horn: a three-population firing-rate model.

What it models
    The first relay of pain signals in the spinal cord (Crodelle et al. 2017, a published model).
    Three neuron populations are each described by their average firing rate:

    * W, the wide-dynamic-range (WDR) projection neurons whose output goes up to the brain
      and stands in for the pain signal;
    * E, excitatory interneurons driven by C fibres (a polysynaptic excitatory path to W);
    * I, inhibitory interneurons driven by A-beta (touch) fibres: the "gate" of Melzack & Wall.

    Equations, for X in {W, E, I}::

        tau_X dX/dt = -X + X_max * 0.5 * (1 + tanh((c_X - b_X) / a_X))
        c_W = 0.6 f_Abeta + 0.3 f_Adelta + 0.4 f_C + 0.4 E - 0.15 I
        c_E = 0.6 f_C - 0.05 I
        c_I = 0.6 f_Abeta

    Touch (A-beta) input excites W a little but excites I a lot, so touch closes the gate on a
    noxious (C) input; remove the I -> W weight (disinhibition) and touch alone drives W hard,
    which is how the model shows allodynia (touch that hurts).

Source
    The model STRUCTURE (three populations, sigmoid rate functions, the connections above) is
    that of Crodelle J et al. (2017) "Modeling the spinal pain processing network", in
    *Women in Mathematical Biology* (Association for Women in Mathematics Series vol. 8,
    Springer), pp. 23-48, doi:10.1007/978-3-319-60304-9_2. The parameter VALUES are taken
    from a public implementation of the Crodelle et al. model (not checked against the
    chapter); that implementation holds more than one set, and this is the one collected in
    the course's SCIENCE.md section 3.
    Gate control theory: Melzack R & Wall PD (1965) Science 150:971.

What it leaves out
    Individual spikes, membrane voltages, synaptic kinetics (each population relaxes with one
    time constant), the brain's descending control, daily (circadian) rhythms, laminar
    anatomy, and every cell type beyond these three. The stimulus protocol used by the
    summary functions below (a C-fibre drive of 2.0 for 75 ms, pulse timing, 400-ms window,
    starting from silence) is OURS: the chapter's own stimulus time courses were not
    reproduced.

Units
    time in ms (time constants and step size), firing rates in Hz (impulses per second),
    afferent drives f_Abeta, f_Adelta, f_C dimensionless (0 = silent, about 2 = a strong
    stimulus; our C-fibre test input is 2.0 for 75 ms), synaptic weights
    dimensionless (per unit drive, or per Hz for E -> W and I -> W, I -> E), "integrated W
    spikes" = the time integral of W in Hz x s, i.e. the expected number of impulses one W
    neuron sends to the brain.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numba import njit

from ._validation import (Validated, check_array, check_bool, check_choice, check_params, check_range,
                          params_or_default, validate_fields)

WEIGHT_RANGE = (0.0, 5.0)

RANGES: dict[str, tuple[float, float]] = {
    "tau_W_ms": (0.1, 100.0),
    "tau_E_ms": (1.0, 200.0),
    "tau_I_ms": (1.0, 200.0),
    "W_max_Hz": (1.0, 500.0),
    "E_max_Hz": (1.0, 500.0),
    "I_max_Hz": (1.0, 500.0),
    "b_W": (-5.0, 5.0),
    "a_W": (0.01, 5.0),
    "b_E": (-5.0, 5.0),
    "a_E": (0.01, 5.0),
    "b_I": (-5.0, 5.0),
    "a_I": (0.01, 5.0),
    "w_Abeta_W": WEIGHT_RANGE,
    "w_Adelta_W": WEIGHT_RANGE,
    "w_C_W": WEIGHT_RANGE,
    "w_E_W": WEIGHT_RANGE,
    "w_I_W": WEIGHT_RANGE,
    "w_C_E": WEIGHT_RANGE,
    "w_I_E": WEIGHT_RANGE,
    "w_Abeta_I": WEIGHT_RANGE,
}

DRIVE_RANGE = (0.0, 10.0)  # allowed afferent drive (dimensionless)
DT_RANGE_MS = (0.001, 1.0)


@dataclass(frozen=True)
class DorsalHornParams(Validated):
    """Gate-control parameters of the Crodelle et al. (2017) model.

    Defaults: the values of a public implementation of the model (not checked against the
    chapter; see the module docstring).

    Weights are dimensionless: per unit afferent drive (w_Abeta_W, w_Adelta_W, w_C_W, w_C_E,
    w_Abeta_I) or per Hz of presynaptic rate (w_E_W, w_I_W, w_I_E). Inhibitory weights are stored
    as positive numbers and subtracted. Thresholds b_X and widths a_X are in units of the input c_X.
    """

    tau_W_ms: float = 1.0
    tau_E_ms: float = 20.0
    tau_I_ms: float = 20.0
    W_max_Hz: float = 50.0
    E_max_Hz: float = 60.0
    I_max_Hz: float = 80.0
    b_W: float = 0.5
    a_W: float = 0.4
    b_E: float = 1.2
    a_E: float = 0.3
    b_I: float = 1.0
    a_I: float = 0.45
    w_Abeta_W: float = 0.6
    w_Adelta_W: float = 0.3
    w_C_W: float = 0.4
    w_E_W: float = 0.4
    w_I_W: float = 0.15
    w_C_E: float = 0.6
    w_I_E: float = 0.05
    w_Abeta_I: float = 0.6

    def validate(self) -> "DorsalHornParams":
        validate_fields(self, RANGES)
        return self

    def as_array(self) -> np.ndarray:
        """The parameters in the fixed order the compiled kernel expects."""
        return np.array([getattr(self, name) for name in RANGES], dtype=float)


PARAM_INDEX = {name: i for i, name in enumerate(RANGES)}

# ----- the stimulus protocol used throughout the course (ours, see module docstring) -----------
WINDOW_MS = 400.0  # simulated time for one stimulus trial
ONSET_MS = 100.0  # when the test stimulus starts
C_PULSE_MS = 75.0  # C-fibre test pulse length (our protocol)
ABETA_PULSE_MS = 100.0  # touch test pulse length (our choice)
STRONG_DRIVE = 2.0  # our C-fibre test drive (our protocol); used for touch too
DEFAULT_DT_MS = 0.1


@dataclass(frozen=True)
class DorsalHornResult:
    """Time courses of the three populations (Hz) and the summary number the course uses."""

    t_ms: np.ndarray
    W_Hz: np.ndarray
    E_Hz: np.ndarray
    I_Hz: np.ndarray
    f_Abeta: np.ndarray
    f_C: np.ndarray
    integrated_W_spikes: float  # integral of W over the whole trial (Hz x s = impulses)
    peak_W_Hz: float


def _sigmoid(c, x_max, b, a):
    return x_max * 0.5 * (1.0 + np.tanh((c - b) / a))


@njit(cache=True)
def _rate_kernel(p, f_abeta, f_adelta, f_c, dt_ms, w0, e0, i0):
    """Integrate the rate equations with the exponential-Euler rule.

    Exponential Euler relaxes each rate exactly towards its current target over one step, so
    it stays stable (and rates stay between 0 and their maximum) for any step size.
    """
    n = f_abeta.size
    w_out = np.empty(n)
    e_out = np.empty(n)
    i_out = np.empty(n)
    k_w = 1.0 - np.exp(-dt_ms / p[0])
    k_e = 1.0 - np.exp(-dt_ms / p[1])
    k_i = 1.0 - np.exp(-dt_ms / p[2])
    w = w0
    e = e0
    inh = i0
    for k in range(n):
        c_w = p[12] * f_abeta[k] + p[13] * f_adelta[k] + p[14] * f_c[k] + p[15] * e - p[16] * inh
        c_e = p[17] * f_c[k] - p[18] * inh
        c_i = p[19] * f_abeta[k]
        w_target = p[3] * 0.5 * (1.0 + np.tanh((c_w - p[6]) / p[7]))
        e_target = p[4] * 0.5 * (1.0 + np.tanh((c_e - p[8]) / p[9]))
        i_target = p[5] * 0.5 * (1.0 + np.tanh((c_i - p[10]) / p[11]))
        w += k_w * (w_target - w)
        e += k_e * (e_target - e)
        inh += k_i * (i_target - inh)
        w_out[k] = w
        e_out[k] = e
        i_out[k] = inh
    return w_out, e_out, i_out


def _check_drive(name: str, drive: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(check_array(name, drive, *DRIVE_RANGE, ndim=1))


def _check_dt(dt_ms) -> float:
    # exponential Euler is stable for any step; the range keeps the 75-ms pulse resolved
    return check_range("dt_ms", dt_ms, *DT_RANGE_MS)


def simulate_dorsal_horn(
    params: DorsalHornParams,
    f_abeta: np.ndarray,
    f_c: np.ndarray,
    f_adelta: np.ndarray | None = None,
    dt_ms: float = DEFAULT_DT_MS,
    start_from_silence: bool = True,
) -> DorsalHornResult:
    """Run the rate model for drive time courses sampled every ``dt_ms`` ms.

    ``start_from_silence=True`` starts all rates at 0 Hz (our protocol); False starts them at the
    resting steady state with no input.
    """
    check_params("params", params, DorsalHornParams)
    dt_ms = _check_dt(dt_ms)
    start_from_silence = check_bool("start_from_silence", start_from_silence)
    f_abeta = _check_drive("f_abeta", f_abeta)
    f_c = _check_drive("f_c", f_c)
    f_adelta = np.zeros_like(f_c) if f_adelta is None else _check_drive("f_adelta", f_adelta)
    if not (f_abeta.size == f_c.size == f_adelta.size):
        raise ValueError("f_abeta, f_c and f_adelta must have the same length")
    if start_from_silence:
        w0 = e0 = i0 = 0.0
    else:
        w0, e0, i0 = (float(x) for x in steady_state_rates(params, 0.0, 0.0))
    w, e, i = _rate_kernel(params.as_array(), f_abeta, f_adelta, f_c, float(dt_ms), w0, e0, i0)
    t_ms = np.arange(f_c.size) * dt_ms
    return DorsalHornResult(
        t_ms=t_ms,
        W_Hz=w,
        E_Hz=e,
        I_Hz=i,
        f_Abeta=f_abeta,
        f_C=f_c,
        integrated_W_spikes=float(w.sum() * dt_ms / 1000.0),
        peak_W_Hz=float(w.max()) if w.size else 0.0,
    )


def pulse(
    amplitude: float, onset_ms: float, width_ms: float, window_ms: float = WINDOW_MS, dt_ms: float = DEFAULT_DT_MS
) -> np.ndarray:
    """A rectangular drive: ``amplitude`` from onset for ``width_ms``, zero elsewhere."""
    amplitude = check_range("amplitude", amplitude, *DRIVE_RANGE)
    dt_ms = _check_dt(dt_ms)
    window_ms = check_range("window_ms", window_ms, dt_ms, 600_000.0)
    onset_ms = check_range("onset_ms", onset_ms, 0.0, window_ms)
    width_ms = check_range("width_ms", width_ms, 0.0, window_ms)
    t = np.arange(int(round(window_ms / dt_ms))) * dt_ms
    return np.where((t >= onset_ms) & (t < onset_ms + width_ms), float(amplitude), 0.0)


def stimulus_trial(
    params: DorsalHornParams,
    touch: float = 0.0,
    noxious: float = 0.0,
    tonic_touch: float = 0.0,
    dt_ms: float = DEFAULT_DT_MS,
) -> DorsalHornResult:
    """One trial of the course's protocol (ours): 400 ms starting from silence.

    ``touch``: A-beta pulse height (100 ms from t = 100 ms). ``noxious``: C-fibre pulse height
    (75 ms from t = 100 ms). ``tonic_touch``: A-beta drive present for the whole trial (the idea
    behind rubbing a knock, TENS and spinal cord stimulation: keep large fibres busy).
    """
    check_params("params", params, DorsalHornParams)
    for name, value in (("touch", touch), ("noxious", noxious), ("tonic_touch", tonic_touch)):
        check_range(name, value, *DRIVE_RANGE)
    touch_pulse = pulse(touch, ONSET_MS, ABETA_PULSE_MS, dt_ms=dt_ms)
    f_abeta = touch_pulse + float(tonic_touch)
    f_c = pulse(noxious, ONSET_MS, C_PULSE_MS, dt_ms=dt_ms)
    return simulate_dorsal_horn(params, f_abeta, f_c, dt_ms=dt_ms)


def steady_state_rates(
    params: DorsalHornParams, f_abeta, f_c, f_adelta=0.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Steady-state rates (W, E, I) in Hz for constant drives, in closed form.

    The network is feed-forward at steady state (I depends on A-beta only, E on C and I, W on
    everything), so no iteration is needed and the function is vectorised over drives.
    """
    check_params("params", params, DorsalHornParams)
    f_abeta = check_array("f_abeta", f_abeta, *DRIVE_RANGE)
    f_c = check_array("f_c", f_c, *DRIVE_RANGE)
    f_adelta = check_array("f_adelta", f_adelta, *DRIVE_RANGE)
    inh = _sigmoid(params.w_Abeta_I * f_abeta, params.I_max_Hz, params.b_I, params.a_I)
    e = _sigmoid(params.w_C_E * f_c - params.w_I_E * inh, params.E_max_Hz, params.b_E, params.a_E)
    c_w = (
        params.w_Abeta_W * f_abeta
        + params.w_Adelta_W * f_adelta
        + params.w_C_W * f_c
        + params.w_E_W * e
        - params.w_I_W * inh
    )
    w = _sigmoid(c_w, params.W_max_Hz, params.b_W, params.a_W)
    return w, e, inh


@njit(cache=True)
def _pulse_batch_kernel(p, amplitudes, touch, onset_steps, width_steps, n_steps, dt_ms):
    """Integrated W spikes for one pulse trial per amplitude (from silence), in one compiled call."""
    out = np.empty(amplitudes.size)
    zeros = np.zeros(n_steps)
    for j in range(amplitudes.size):
        drive = np.zeros(n_steps)
        for k in range(onset_steps, min(onset_steps + width_steps, n_steps)):
            drive[k] = amplitudes[j]
        if touch:
            w, _, _ = _rate_kernel(p, drive, zeros, zeros, dt_ms, 0.0, 0.0, 0.0)
        else:
            w, _, _ = _rate_kernel(p, zeros, zeros, drive, dt_ms, 0.0, 0.0, 0.0)
        out[j] = w.sum() * dt_ms / 1000.0
    return out


def pulse_responses(
    params: DorsalHornParams, amplitudes, kind: str = "touch", dt_ms: float = DEFAULT_DT_MS
) -> np.ndarray:
    """Integrated W spikes for a touch or noxious pulse of each amplitude (our trial protocol).

    Same numbers as calling :func:`touch_response` / :func:`noxious_response` in a loop, faster.
    """
    check_params("params", params, DorsalHornParams)
    check_choice("kind", kind, ("touch", "noxious"))
    dt_ms = _check_dt(dt_ms)
    amplitudes = _check_drive("amplitudes", np.atleast_1d(check_array("amplitudes", amplitudes,
                                                                     *DRIVE_RANGE)))
    width = ABETA_PULSE_MS if kind == "touch" else C_PULSE_MS
    t = np.arange(int(round(WINDOW_MS / dt_ms))) * dt_ms
    on = np.nonzero((t >= ONSET_MS) & (t < ONSET_MS + width))[0]
    return _pulse_batch_kernel(
        params.as_array(), amplitudes, kind == "touch", int(on[0]), int(on.size), t.size, float(dt_ms)
    )


def touch_response(params: DorsalHornParams, drive: float = STRONG_DRIVE, dt_ms: float = DEFAULT_DT_MS) -> float:
    """Integrated W spikes for a touch (A-beta) pulse alone, under our protocol."""
    check_range("drive", drive, *DRIVE_RANGE)
    return stimulus_trial(params, touch=drive, dt_ms=dt_ms).integrated_W_spikes


def noxious_response(
    params: DorsalHornParams, drive: float = STRONG_DRIVE, tonic_touch: float = 0.0, dt_ms: float = DEFAULT_DT_MS
) -> float:
    """Integrated W spikes for a C-fibre pulse, optionally with tonic touch (the gate)."""
    check_range("drive", drive, *DRIVE_RANGE)
    return stimulus_trial(params, noxious=drive, tonic_touch=tonic_touch, dt_ms=dt_ms).integrated_W_spikes


#: Time step of the gate lab's three trials (ms): coarser than the default, fine for pulse responses.
GATE_TRIAL_DT_MS = 0.25


def gate_trials(touch: float, noxious: float, inhibition: float, params: DorsalHornParams | None = None,
                dt_ms: float = GATE_TRIAL_DT_MS) -> tuple[DorsalHornResult, DorsalHornResult, DorsalHornResult]:
    """The pain gate's three trials (our protocol on the published model): the noxious pulse alone,
    steady touch alone, and both together, with the inhibitory weight onto the output neuron set to
    ``inhibition`` (``w_I_W``; 0 is full disinhibition)."""
    base = params_or_default("params", params, DorsalHornParams)
    check_range("touch", touch, *DRIVE_RANGE)
    check_range("noxious", noxious, *DRIVE_RANGE)
    cord = with_inhibition(base, check_range("inhibition", inhibition, *WEIGHT_RANGE))
    dt = check_range("dt_ms", dt_ms, *DT_RANGE_MS)
    return (stimulus_trial(cord, noxious=noxious, dt_ms=dt),
            stimulus_trial(cord, tonic_touch=touch, dt_ms=dt),
            stimulus_trial(cord, noxious=noxious, tonic_touch=touch, dt_ms=dt))


def with_inhibition(params: DorsalHornParams, w_I_W: float) -> DorsalHornParams:
    """A copy of ``params`` with a different I -> W weight (0 = full disinhibition)."""
    check_params("params", params, DorsalHornParams)
    return replace(params, w_I_W=check_range("w_I_W", w_I_W, *WEIGHT_RANGE)).validate()
