"""Reference versions of the two sensory-neuron models for scipy's ``solve_ivp``.

What it is: the same equations as ``excitability.py`` (Ratte et al. 2014,
doi:10.7554/eLife.02370; a generic sensory neuron built on medium-to-large DRG cell
bodies, not a nociceptor model) and ``drg.py`` (a small, pain-sensing DRG neuron; Choi &
Waxman 2011 kinetics, J Neurophysiol 106:3173, doi:10.1152/jn.00100.2011, as assembled in
ModelDB 264591), written a second time as plain numpy right-hand sides, in the textbook form of SCIENCE.md (tanh, cosh, the
alpha/beta rates as printed). The compiled fixed-step kernels are checked against these with
a stiff-capable variable-step solver (LSODA at tight tolerances) in the tests and in
``benchmarks/nociceptor_bench.py``.

What it leaves out: noise (the reference is deterministic) and early stopping.

Units: as in the model modules -- mV, ms, mS/cm2, uF/cm2; the balance model's stimulus in
uA/cm2, the DRG model's in pA.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.integrate import solve_ivp

from course_lib.models._validation import check_array, check_choice, check_params, check_positive
from course_lib.models.drg import DRGParams
from course_lib.models.excitability import ExcitabilityParams
from course_lib.models.stimulus import Stimulus, check_stimulus

#: solve_ivp's methods (LSODA, stiff-capable, is the one the tests and benchmarks use)
METHODS = ("LSODA", "Radau", "BDF", "RK45", "RK23", "DOP853")

# ---------------------------------------------------------------- balance model ---------


def excitability_rhs(t: float, y: np.ndarray, p: ExcitabilityParams, stimulus: Stimulus
                     ) -> list[float]:
    """dy/dt for y = (V, w, m, z) of the Ratte et al. 2014 model."""
    v, w, m, z = y
    i_stim = float(stimulus.waveform(t))
    m_inf = 0.5 * (1.0 + math.tanh((v - p.beta_m_mV) / p.gamma_m_mV))
    w_inf = 0.5 * (1.0 + math.tanh((v - p.beta_w_mV) / p.gamma_w_mV))
    tau_w = 1.0 / math.cosh((v - p.beta_w_mV) / (2.0 * p.gamma_w_mV))
    x = (v - p.v_alpha_mV) / p.s_alpha_mV
    alpha = p.k_sub_per_ms * (x / math.expm1(x) if x != 0.0 else 1.0)
    beta = p.k_sub_per_ms * math.exp((v - p.v_beta_mV) / p.s_beta_mV)
    z_inf = 1.0 / (1.0 + math.exp((p.beta_z_mV - v) / p.gamma_z_mV))
    i_ion = (p.g_fast_mS_cm2 * m_inf * (v - p.e_na_mV)
             + p.g_slow_mS_cm2 * w * (v - p.e_k_mV)
             + p.g_leak_mS_cm2 * (v - p.e_leak_mV)
             + p.g_na_sub_mS_cm2 * m * (v - p.e_na_mV)
             + p.g_k_sub_mS_cm2 * m * (v - p.e_k_mV)
             + p.g_ahp_mS_cm2 * z * (v - p.e_k_mV))
    return [(i_stim - i_ion) / p.c_uF_cm2,
            p.phi_w * (w_inf - w) / tau_w,
            alpha * (1.0 - m) - beta * m,
            (z_inf - z) / p.tau_z_ms]


# ---------------------------------------------------------------- DRG model -------------


def drg_rhs(t: float, y: np.ndarray, p: DRGParams, stimulus: Stimulus) -> list[float]:
    """dy/dt for y = (V, m17, h17, s17, m18, h18, n, nKA, hKA) of the DRG model."""
    v, m17, h17, s17, m18, h18, n, nka, hka = y
    i_density = 100.0 * float(stimulus.waveform(t)) / p.area_um2  # pA -> uA/cm2

    am = 15.5 / (1.0 + math.exp(-(v - 5.0) / 12.08))
    bm = 35.2 / (1.0 + math.exp((v + 72.7) / 16.7))
    ah = 0.38685 / (1.0 + math.exp((v + 122.35) / 15.29))
    bh = -0.00283 + 2.00283 / (1.0 + math.exp(-(v + 5.5266) / 12.70195))
    a_s = 0.00003 + 0.00092 / (1.0 + math.exp((v + 93.9) / 16.6))
    b_s = 132.05 - 132.05 / (1.0 + math.exp((v - 384.9) / 28.5))

    am18 = 2.85 - 2.839 / (1.0 + math.exp((v - 1.159) / 13.95))
    bm18 = 7.6205 / (1.0 + math.exp((v + 46.463) / 8.8289))
    h18_inf = 1.0 / (1.0 + math.exp((v + 32.2) / 4.0))
    tau_h18 = 1.218 + 42.043 * math.exp(-(v + 38.1) ** 2 / (2.0 * 15.19 ** 2))

    dv_n = v + 14.273
    an = 0.001265 * dv_n / (1.0 - math.exp(-dv_n / 10.0)) if dv_n != 0.0 else 0.01265
    bn = 0.125 * math.exp(-(v + 55.0) / 2.5)
    tau_n = 1.0 / (an + bn) + 1.0
    n_inf = 1.0 / (1.0 + math.exp(-(v + 14.62) / 18.38))

    nka_inf = (1.0 / (1.0 + math.exp(-(v + 5.4) / 16.4))) ** 4
    tau_nka = 0.25 + 10.04 * math.exp(-(v + 24.67) ** 2 / (2.0 * 34.8 ** 2))
    hka_inf = 1.0 / (1.0 + math.exp((v + 49.9) / 4.6))
    tau_hka = max(5.0, 20.0 + 50.0 * math.exp(-(v + 40.0) ** 2 / (2.0 * 40.0 ** 2)))

    i_ion = (p.g_nav17_mS_cm2 * m17 ** 3 * h17 * s17 * (v - p.e_na_mV)
             + p.g_nav18_mS_cm2 * m18 * h18 * (v - p.e_na_mV)
             + p.g_kdr_mS_cm2 * n * (v - p.e_k_mV)
             + p.g_ka_mS_cm2 * nka * hka * (v - p.e_k_mV)
             + p.g_leak_mS_cm2 * (v - p.e_leak_mV))
    return [(i_density - i_ion) / p.c_uF_cm2,
            am * (1.0 - m17) - bm * m17,
            ah * (1.0 - h17) - bh * h17,
            a_s * (1.0 - s17) - b_s * s17,
            am18 * (1.0 - m18) - bm18 * m18,
            (h18_inf - h18) / tau_h18,
            (n_inf - n) / tau_n,
            (nka_inf - nka) / tau_nka,
            (hka_inf - hka) / tau_hka]


# ---------------------------------------------------------------- driver ----------------


def solve_reference(rhs, y0: np.ndarray, params, stimulus: Stimulus, t_stop_ms: float,
                    rtol: float = 1e-9, atol: float = 1e-9, max_step_ms: float = 0.5,
                    method: str = "LSODA"):
    """Integrate ``rhs`` with ``solve_ivp``, restarting at every stimulus breakpoint.

    Returns (t_ms, y[n, k], spike_times_ms). Spike times come from solve_ivp's event
    location (upward zero crossing of V), so they do not depend on an output grid.
    ``max_step_ms`` stops the solver from stepping over a brief pulse.
    """
    # the right-hand sides run at every solver step unchecked, so everything they receive is checked here
    if rhs is excitability_rhs:
        check_params("params", params, ExcitabilityParams)
    elif rhs is drg_rhs:
        check_params("params", params, DRGParams)
    else:
        raise ValueError(f"rhs = {rhs!r:.80} is not allowed: it must be excitability_rhs or drg_rhs")
    size = 4 if rhs is excitability_rhs else 9
    y0 = check_array("y0", y0, -1e4, 1e4, ndim=1)
    if y0.size != size:
        raise ValueError(f"y0 = {y0.tolist()!r:.80} is not allowed: {rhs.__name__} needs {size} starting values")
    check_stimulus(stimulus)
    t_stop_ms = check_positive("t_stop_ms", t_stop_ms, 120_000.0)
    rtol = check_positive("rtol", rtol, 1.0)
    atol = check_positive("atol", atol, 1.0)
    max_step_ms = check_positive("max_step_ms", max_step_ms, 1000.0)
    check_choice("method", method, METHODS)
    edges = [0.0] + [b for b in stimulus.breakpoints() if 0.0 < b < t_stop_ms] + [t_stop_ms]

    def spike(t, y, *args):
        return y[0]
    spike.direction = 1.0

    ts, ys, spikes = [], [], []
    y = np.asarray(y0, dtype=float)
    for a, b in zip(edges[:-1], edges[1:]):
        if b <= a:
            continue
        # evaluate the stimulus just inside the piece so an edge belongs to one piece only
        mid_stim = _PieceStimulus(stimulus, a, b)
        sol = solve_ivp(rhs, (a, b), y, method=method, rtol=rtol, atol=atol,
                        max_step=max_step_ms, args=(params, mid_stim), events=spike)
        if not sol.success:
            raise RuntimeError(sol.message)
        ts.append(sol.t)
        ys.append(sol.y.T)
        spikes.extend(sol.t_events[0].tolist())
        y = sol.y[:, -1]
    return np.concatenate(ts), np.concatenate(ys), np.asarray(spikes)


class _PieceStimulus:
    """The stimulus restricted to one smooth piece (a, b): edges take the inside value."""

    def __init__(self, stimulus: Stimulus, a: float, b: float):
        self._stimulus = stimulus
        self._a = a
        self._b = b
        self._eps = 1e-9 * max(1.0, b - a)

    def waveform(self, t):
        t = min(max(float(t), self._a + self._eps), self._b - self._eps)
        return self._stimulus.waveform(t)
