"""The excitability balance model of a sensory neuron (Ratte et al. 2014).

What it models: one patch of membrane of a generic primary sensory (DRG) neuron, as in
Ratte S, Zhu Y, Lee KY, Prescott SA (2014) "Criticality and degeneracy in injury-induced
changes in primary afferent excitability and the implications for neuropathic pain",
eLife 3:e02370, doi:10.7554/eLife.02370. The spike-generating core is the Morris-Lecar
model written as in Rho YA & Prescott SA (2012) PLoS Comput Biol 8:e1002524,
doi:10.1371/journal.pcbi.1002524. On top of it sit two *subthreshold* conductances that
share one activation gate m: an inward sodium-like current (g_Na_sub) and an outward
potassium-like current (g_K_sub). Their balance decides whether the neuron fires once at
the start of a step (onset-only, as healthy cutaneous afferents do) or keeps firing
(repetitive, as after nerve injury). An optional slow calcium-activated-like potassium
current (AHP, gate z) turns repetitive firing into bursts. Optional seeded noise current.

Which neurons: the paper's recordings (and so the model's settings) are from the cell bodies
of medium-to-large DRG neurons, the kind that carry touch; it is a generic sensory neuron,
NOT a model of a nociceptor (a pain-sensing neuron). Its lesson still carries over to
nociceptors, because it rests only on what every spiking neuron shares: whether a cell
fires once or keeps firing is set by the balance of the inward and outward currents that
flow just below the spike threshold, whichever channels carry them.

    C dV/dt = I_stim + I_noise - g_fast m_inf(V) (V-E_Na) - g_slow w (V-E_K)
              - g_leak (V-E_leak) - g_Na_sub m (V-E_Na) - g_K_sub m (V-E_K) - g_AHP z (V-E_K)
    dw/dt = phi_w (w_inf(V) - w) / tau_w(V)
    dm/dt = alpha(V) (1-m) - beta(V) m,  alpha = k x/(exp(x)-1), x = (V-V_alpha)/s_alpha,
                                         beta = k exp((V-V_beta)/s_beta)
    dz/dt = (1/(1+exp((beta_z-V)/gamma_z)) - z) / tau_z

What it leaves out: real ion-channel identities (see ``drg.py`` for named channels), the
cell's shape (axon, terminals), temperature, ion concentration changes. It is a
minimal model chosen to show a principle, not a replica of a particular neuron. The noise
is an Ornstein-Uhlenbeck current with standard deviation ``noise_sd_uA_cm2`` (0.3 where the
paper used noise) and a correlation time of 5 ms; the correlation time is our own choice.

Units: V in mV, t in ms, C in uF/cm2, conductances in mS/cm2, currents in uA/cm2 (the
stimulus amplitude is a current density in uA/cm2), rates in 1/ms. The paper prints the
conductances as nS/pF, which equals mS/cm2 for 1 uF/cm2 -- we keep its numbers.

Numerics: classic fourth-order Runge-Kutta with a fixed step (default 0.025 ms), compiled
with numba. The voltage-dependent rates are read from a table built once per set of kinetic
parameters (0.05 mV spacing, linear interpolation, -200..+150 mV, edge values beyond), the
standard speed-up in NEURON. Spike times agree with scipy's LSODA on the exact formulas
(tests/science/test_numerics.py).
"""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
from numba import njit

from course_lib.models import _neuron_toolkit as toolkit
from course_lib.models import metrics
from course_lib.models._rate_table import N_TABLE, TABLE_DV, TABLE_V_MIN, table_slot
from course_lib.models._validation import (Validated, check_array, check_bool, check_int, check_params,
                                            check_positive, check_range, validate_fields)
from course_lib.models.stimulus import (NoStimulus, Step, Stimulus, check_stimulus,
                                        ou_noise_stage_samples, stage_samples,
                                        step_stage_samples)

RANGES: dict[str, tuple[float, float]] = {
    "g_na_sub_mS_cm2": (0.0, 40.0),
    "g_k_sub_mS_cm2": (0.0, 40.0),
    "g_ahp_mS_cm2": (0.0, 20.0),
    "c_uF_cm2": (0.1, 10.0),
    "e_na_mV": (0.0, 100.0),
    "e_k_mV": (-120.0, -50.0),
    "e_leak_mV": (-100.0, -30.0),
    "phi_w": (0.01, 2.0),
    "g_fast_mS_cm2": (0.0, 100.0),
    "g_slow_mS_cm2": (0.0, 100.0),
    "g_leak_mS_cm2": (0.01, 20.0),
    "beta_m_mV": (-40.0, 40.0),
    "gamma_m_mV": (1.0, 40.0),
    "beta_w_mV": (-40.0, 40.0),
    "gamma_w_mV": (1.0, 40.0),
    "v_alpha_mV": (-80.0, 20.0),
    "v_beta_mV": (-80.0, 20.0),
    "s_alpha_mV": (-40.0, -1.0),
    "s_beta_mV": (-40.0, -1.0),
    "k_sub_per_ms": (0.1, 10.0),
    "beta_z_mV": (-40.0, 40.0),
    "gamma_z_mV": (1.0, 40.0),
    "tau_z_ms": (1.0, 5000.0),
}

NOISE_SD_RANGE = (0.0, 5.0)
NOISE_SD_PAPER_uA_cm2 = 0.3
NOISE_TAU_MS = 5.0
DEFAULT_DT_MS = 0.025
DT_RANGE_MS = (1e-4, 0.2)    # RK4 spike times stay within 0.15 ms of dt = 0.025 up to 0.2
DURATION_RANGE_MS = (1.0, 60_000.0)
STEP_START_MS = 100.0
STEP_DURATION_MS = 1000.0
V_INIT_MV = -70.0


@dataclass(frozen=True)
class ExcitabilityParams(Validated):
    """Parameters of the balance model. Defaults: the paper's 'normal' neuron.

    Sources: Ratte et al. 2014 (subthreshold currents, AHP, gamma_m = 14 as in the eLife
    paper, not 18 as in older code) and Rho & Prescott 2012 (Morris-Lecar core).
    """

    g_na_sub_mS_cm2: float = 2.0
    g_k_sub_mS_cm2: float = 2.5
    g_ahp_mS_cm2: float = 0.0
    c_uF_cm2: float = 2.0
    e_na_mV: float = 50.0
    e_k_mV: float = -100.0
    e_leak_mV: float = -70.0
    phi_w: float = 0.15
    g_fast_mS_cm2: float = 20.0
    g_slow_mS_cm2: float = 20.0
    g_leak_mS_cm2: float = 2.0
    beta_m_mV: float = -1.2
    gamma_m_mV: float = 14.0
    beta_w_mV: float = -10.0
    gamma_w_mV: float = 10.0
    v_alpha_mV: float = -24.0
    v_beta_mV: float = -24.0
    s_alpha_mV: float = -17.0
    s_beta_mV: float = -17.0
    k_sub_per_ms: float = 1.0
    beta_z_mV: float = 0.0
    gamma_z_mV: float = 5.0
    tau_z_ms: float = 300.0

    def validate(self) -> None:
        validate_fields(self, RANGES)

    def as_array(self) -> np.ndarray:
        """The parameters in field order, as the compiled kernel expects them."""
        return np.array([getattr(self, f.name) for f in fields(self)], dtype=np.float64)


BASE = ExcitabilityParams(g_na_sub_mS_cm2=0.0, g_k_sub_mS_cm2=0.0)
NORMAL = ExcitabilityParams()
NEUROPATHIC = ExcitabilityParams(g_na_sub_mS_cm2=2.5, g_k_sub_mS_cm2=2.0)
PRESETS = {"base": BASE, "normal": NORMAL, "neuropathic": NEUROPATHIC}

STATE_NAMES = ("v", "w", "m", "z")


# ---------------------------------------------------------------- compiled kernel --------

@njit(cache=True)
def _rates_exact(v, p):
    """(m_inf_fast, w_inf, 1/tau_w, alpha, beta, z_inf) at voltage v, published formulas."""
    m_fast = 0.5 * (1.0 + math.tanh((v - p[11]) / p[12]))
    u = (v - p[13]) / p[14]
    w_inf = 0.5 * (1.0 + math.tanh(u))
    inv_tau_w = math.cosh(0.5 * u)
    x = (v - p[15]) / p[17]
    if abs(x) < 1e-6:
        alpha = p[19] * (1.0 - 0.5 * x)          # limit of x/(exp(x)-1) near 0
    else:
        alpha = p[19] * x / math.expm1(min(x, 700.0))
    beta = p[19] * math.exp(min((v - p[16]) / p[18], 700.0))
    z_inf = 1.0 / (1.0 + math.exp(min((p[20] - v) / p[21], 700.0)))
    return m_fast, w_inf, inv_tau_w, alpha, beta, z_inf


_KINETIC_SLICE = slice(11, 22)   # the parameters the rate functions depend on


@njit(cache=True)
def _build_table(p, v_min, dv, n):
    """Rates on a voltage grid, flattened: entry 6*i + k is rate k at v_min + i*dv."""
    table = np.empty(n * 6)
    for i in range(n):
        r = _rates_exact(v_min + i * dv, p)
        for k in range(6):
            table[6 * i + k] = r[k]
    return table


def _kernel_params(params: ExcitabilityParams) -> np.ndarray:
    """as_array() with C and tau_z replaced by their reciprocals: the kernel multiplies
    instead of dividing, which shortens the chain of dependent operations in each step."""
    p = params.as_array()
    p[3] = 1.0 / p[3]
    p[22] = 1.0 / p[22]
    return p


@lru_cache(maxsize=16)
def _rate_table(kinetics: tuple) -> np.ndarray:
    """The rate table for one set of kinetic parameters (the labs only change conductances,
    so one table serves them all)."""
    p = ExcitabilityParams().as_array()
    p[_KINETIC_SLICE] = kinetics
    table = _build_table(p, TABLE_V_MIN, TABLE_DV, N_TABLE)
    table.setflags(write=False)
    return table


@njit(cache=True)
def _currents_to_dv(v, w, m, z, m_fast, i_app, p):
    """dV/dt; ``p[3]`` holds 1/C (see ``_kernel_params``)."""
    i_ion = (p[8] * m_fast * (v - p[4]) + p[9] * w * (v - p[5])
             + p[10] * (v - p[6]) + p[0] * m * (v - p[4])
             + p[1] * m * (v - p[5]) + p[2] * z * (v - p[5]))
    return (i_app - i_ion) * p[3]


@njit(cache=True)
def _rhs_table(v, w, m, z, i_app, p, t):
    """(dV, dw, dm, dz) with rates interpolated from the table ``t`` (edge values beyond)."""
    i, f = table_slot(v)
    g = 1.0 - f
    b = 6 * i
    c = b + 6
    m_fast = g * t[b] + f * t[c]
    w_inf = g * t[b + 1] + f * t[c + 1]
    inv_tau_w = g * t[b + 2] + f * t[c + 2]
    alpha = g * t[b + 3] + f * t[c + 3]
    beta = g * t[b + 4] + f * t[c + 4]
    z_inf = g * t[b + 5] + f * t[c + 5]
    return (_currents_to_dv(v, w, m, z, m_fast, i_app, p),
            p[7] * (w_inf - w) * inv_tau_w,
            alpha * (1.0 - m) - beta * m,
            (z_inf - z) * p[22])


@njit(cache=True, nogil=True)  # nogil: a lab runs its threshold search beside the trace
def _integrate(y0, i_start, i_mid, i_end, dt, p, table, spike_stop_after_step, rearm_mV,
               max_width_ms, quiet_after_step=-1, quiet_rate=1e-4):
    """Fixed-step RK4. Returns (states[n+1, 4], number of steps taken).

    If ``spike_stop_after_step >= 0`` the run stops at the first spike whose upward crossing
    of 0 mV ends at or after that step index (the early stop that makes rheobase cheap), as
    soon as the spike has come back below ``rearm_mV``. A spike is what
    ``metrics.spike_times`` counts: a crossing from below ``rearm_mV`` that returns below it
    within ``max_width_ms``; a held plateau is not one.

    With ``quiet_after_step >= 0`` it also stops, from that step on, once the cell stands
    still with no spike pending (w and m changing by less than ``quiet_rate`` per ms, V by
    less than 100 times that in mV/ms, the AHP gate z not falling); the caller must check
    that the standstill is a stable equilibrium (``_settled_quietly``).
    """
    n = i_start.shape[0]
    out = np.empty((n + 1, 4))
    v, w, m, z = y0[0], y0[1], y0[2], y0[3]
    out[0, 0] = v
    out[0, 1] = w
    out[0, 2] = m
    out[0, 3] = z
    h = 0.5 * dt
    armed = v < rearm_mV
    crossed_at = -1                      # step index of the pending upward crossing
    width_steps = max_width_ms / dt
    for j in range(n):
        a1, b1, c1, d1 = _rhs_table(v, w, m, z, i_start[j], p, table)
        a2, b2, c2, d2 = _rhs_table(v + h * a1, w + h * b1, m + h * c1, z + h * d1, i_mid[j],
                             p, table)
        a3, b3, c3, d3 = _rhs_table(v + h * a2, w + h * b2, m + h * c2, z + h * d2, i_mid[j],
                             p, table)
        a4, b4, c4, d4 = _rhs_table(v + dt * a3, w + dt * b3, m + dt * c3, z + dt * d3,
                             i_end[j], p, table)
        v_new = v + dt / 6.0 * (a1 + 2.0 * a2 + 2.0 * a3 + a4)
        w = w + dt / 6.0 * (b1 + 2.0 * b2 + 2.0 * b3 + b4)
        m = m + dt / 6.0 * (c1 + 2.0 * c2 + 2.0 * c3 + c4)
        z = z + dt / 6.0 * (d1 + 2.0 * d2 + 2.0 * d3 + d4)
        v_old = v
        v = v_new
        out[j + 1, 0] = v
        out[j + 1, 1] = w
        out[j + 1, 2] = m
        out[j + 1, 3] = z
        if spike_stop_after_step >= 0:
            stop, armed, crossed_at = toolkit.spike_watch(v_old, v, j + 1, armed, crossed_at,
                                                          spike_stop_after_step, rearm_mV,
                                                          width_steps)
            if stop:
                return out, j + 1
        if (toolkit.quiet_check_due(j, quiet_after_step, crossed_at)
                and abs(a1) < 100.0 * quiet_rate and abs(b1) < quiet_rate
                and abs(c1) < quiet_rate and d1 >= 0.0):
            return out, j + 1
    return out, n


@njit(cache=True)
def _steady_gap(v, p, t, i_app, z):
    """dV/dt with w and m at their steady states for ``v`` (z held), from the rate table."""
    i, f = table_slot(v)
    g = 1.0 - f
    b = 6 * i
    c = b + 6
    m_fast = g * t[b] + f * t[c]
    w_inf = g * t[b + 1] + f * t[c + 1]
    alpha = g * t[b + 3] + f * t[c + 3]
    beta = g * t[b + 4] + f * t[c + 4]
    return _currents_to_dv(v, w_inf, alpha / (alpha + beta), z, m_fast, i_app, p)


#: _equilibria(p, t, i_app, z, v_lo, v_hi, dv): every V in [v_lo, v_hi] where dV/dt = 0 with
#: w, m at steady state and z held.
_equilibria = toolkit.equilibrium_finder(_steady_gap, "_equilibria")


def _settled_quietly(state: np.ndarray, p: np.ndarray, table: np.ndarray,
                     i_app: float) -> bool:
    """True if a run that stopped at a standstill can fire no more under this constant current.

    The state must sit within 0.05 mV (and 1e-3 in w and m) of an equilibrium of (V, w, m),
    with z held, whose Jacobian has only eigenvalues with negative real part; z is not
    falling (a rising AHP current only pulls the cell further from firing).
    """
    v, z = float(state[0]), float(state[3])
    v_star = toolkit.nearest_root(_equilibria(p, table, i_app, z, -150.0, 120.0, 0.25), v, 0.05)
    if v_star is None:
        return False
    i, f = table_slot(v_star)
    row = (1.0 - f) * table[6 * i:6 * i + 6] + f * table[6 * i + 6:6 * i + 12]
    fixed = np.array([v_star, row[1], row[3] / (row[3] + row[4])])
    return toolkit.settles_at(state, fixed, (1, 2),
                              lambda y: _rhs_table(y[0], y[1], y[2], z, i_app, p, table)[:3])


QUIET_RATE = 1e-4       # per ms (w, m); 100x this in mV/ms for V: a standstill, then verified
QUIET_AFTER_MS = 20.0   # after the step's start: no standstill test during its first 20 ms


# ---------------------------------------------------------------- steady state ----------

def steady_gates(v_mV: float, params: ExcitabilityParams) -> np.ndarray:
    """State vector (V, w, m, z) with every gate at its steady-state value for ``v_mV``."""
    check_params("params", params, ExcitabilityParams)
    v_mV = check_range("v_mV", v_mV, -200.0, 150.0)
    p = params
    w = 0.5 * (1.0 + math.tanh((v_mV - p.beta_w_mV) / p.gamma_w_mV))
    x = (v_mV - p.v_alpha_mV) / p.s_alpha_mV
    alpha = p.k_sub_per_ms * (1.0 - 0.5 * x if abs(x) < 1e-6 else x / math.expm1(x))
    beta = p.k_sub_per_ms * math.exp((v_mV - p.v_beta_mV) / p.s_beta_mV)
    m = alpha / (alpha + beta)
    z = 1.0 / (1.0 + math.exp((p.beta_z_mV - v_mV) / p.gamma_z_mV))
    return np.array([v_mV, w, m, z])


# ---------------------------------------------------------------- results ---------------

@dataclass(frozen=True)
class ExcitabilityResult:
    """One simulation: full-resolution trace, stimulus, spikes and the inputs that made it."""

    t_ms: np.ndarray
    v_mV: np.ndarray
    states: np.ndarray          # shape (n, 4): V, w, m, z
    i_stim_uA_cm2: np.ndarray   # stimulus (without noise) at each time point
    spike_times_ms: np.ndarray
    params: ExcitabilityParams
    stimulus: Stimulus
    stopped_early: bool

    @property
    def n_spikes(self) -> int:
        return int(self.spike_times_ms.size)


def simulate(params: ExcitabilityParams = NORMAL, stimulus: Stimulus | None = None,
             t_stop_ms: float | None = None, dt_ms: float = DEFAULT_DT_MS,
             noise_sd_uA_cm2: float = 0.0, seed: int | None = 0,
             stop_at_first_spike_after_ms: float | None = None,
             v_init_mV: float = V_INIT_MV) -> ExcitabilityResult:
    """Run the balance model.

    stimulus: a protocol from ``stimulus.py`` with amplitude in uA/cm2; default a 1 s step
        of 0 from t = 100 ms (i.e. nothing).
    t_stop_ms: default = end of the stimulus (at least 1100 ms).
    noise_sd_uA_cm2: 0 for a deterministic run; 0.3 is the paper's value. ``seed`` makes a
        noisy run repeatable.
    stop_at_first_spike_after_ms: stop at the first spike at or after this time (None: run
        to the end). Used by rheobase.
    Starts with V = ``v_init_mV`` and every gate at its steady state for that V.
    """
    check_params("params", params, ExcitabilityParams)
    if stimulus is None:
        stimulus = Step(0.0, STEP_START_MS, STEP_DURATION_MS)
    check_stimulus(stimulus)
    dt_ms = check_range("dt_ms", dt_ms, *DT_RANGE_MS)
    noise_sd_uA_cm2 = check_range("noise_sd_uA_cm2", noise_sd_uA_cm2, *NOISE_SD_RANGE)
    v_init_mV = check_range("v_init_mV", v_init_mV, -120.0, 60.0)
    if seed is not None:
        seed = check_int("seed", seed, 0, 2**63 - 1)
    if t_stop_ms is None:
        t_stop_ms = max(stimulus.end_ms, STEP_START_MS + STEP_DURATION_MS)
    t_stop_ms = check_range("t_stop_ms", t_stop_ms, dt_ms, 120_000.0)
    if stop_at_first_spike_after_ms is not None:
        check_range("stop_at_first_spike_after_ms", stop_at_first_spike_after_ms, 0.0, t_stop_ms)
    n = int(round(t_stop_ms / dt_ms))
    i0, i1, i2 = stage_samples(stimulus, dt_ms, n)
    if noise_sd_uA_cm2 > 0.0:
        n0, n1, n2 = ou_noise_stage_samples(noise_sd_uA_cm2, NOISE_TAU_MS, dt_ms, n, seed)
        i0, i1, i2 = i0 + n0, i1 + n1, i2 + n2
    stop_step = toolkit.first_spike_step(stop_at_first_spike_after_ms, dt_ms)
    y0 = steady_gates(v_init_mV, params)
    p = _kernel_params(params)
    table = _rate_table(tuple(p[_KINETIC_SLICE]))
    out, taken = _integrate(y0, i0, i1, i2, dt_ms, p, table, stop_step,
                            metrics.SPIKE_REARM_MV, metrics.MAX_SPIKE_WIDTH_MS)
    states = out[: taken + 1]
    t = np.arange(taken + 1) * dt_ms
    v = states[:, 0]
    return ExcitabilityResult(
        t_ms=t, v_mV=v, states=states, i_stim_uA_cm2=stimulus.waveform(t),
        spike_times_ms=metrics._spike_times(t, v), params=params, stimulus=stimulus,
        stopped_early=taken < n)


# ---------------------------------------------------------------- metrics ---------------

def step_response(params: ExcitabilityParams, amplitude_uA_cm2: float,
                  dt_ms: float = DEFAULT_DT_MS, **kwargs) -> ExcitabilityResult:
    """The standard protocol: 1 s step of ``amplitude_uA_cm2`` from t = 100 ms."""
    check_range("amplitude_uA_cm2", amplitude_uA_cm2, -2000.0, 2000.0)
    return simulate(params, Step(amplitude_uA_cm2, STEP_START_MS, STEP_DURATION_MS),
                    dt_ms=dt_ms, **kwargs)


def firing_pattern(result: ExcitabilityResult) -> str:
    """Pattern name of a step response (see ``metrics.classify_pattern``)."""
    if not isinstance(result, ExcitabilityResult):
        raise ValueError(f"result = {result!r:.80} is not allowed: it must be an "
                         "ExcitabilityResult (what excitability.simulate returns)")
    stim = result.stimulus
    return metrics._classify_pattern(result.spike_times_ms, result.t_ms, result.v_mV,
                                    stim.start_ms, stim.end_ms, settle_ms=20.0)


def resting_potential(params: ExcitabilityParams, dt_ms: float = DEFAULT_DT_MS) -> float:
    """Membrane potential at zero stimulus after 1 s (mV); for a firing cell, the mean."""
    check_params("params", params, ExcitabilityParams)
    return _resting_potential(params, check_range("dt_ms", dt_ms, *DT_RANGE_MS))


@lru_cache(maxsize=1024)
def _resting_potential(params: ExcitabilityParams, dt_ms: float) -> float:
    res = simulate(params, NoStimulus(), t_stop_ms=1000.0, dt_ms=dt_ms)
    return metrics.resting_potential(res.t_ms, res.v_mV, window_ms=200.0)


def fires_during_step(params: ExcitabilityParams, amplitude_uA_cm2: float,
                      dt_ms: float = DEFAULT_DT_MS) -> bool:
    """True if the standard step evokes (or the cell already shows) at least one spike.

    Spikes count from 20 ms on (earlier ones belong to the start from V = -70 mV). The run
    stops at the first spike, or once the cell stands still at a verified stable
    equilibrium under the step (``_settled_quietly``): then no spike can follow, so the
    many non-firing runs of a rheobase search end early without changing any answer
    (tests/science/test_excitability.py compares with full-length runs).
    """
    check_params("params", params, ExcitabilityParams)
    dt_ms = check_range("dt_ms", dt_ms, *DT_RANGE_MS)
    check_range("amplitude_uA_cm2", amplitude_uA_cm2, -2000.0, 2000.0)
    stimulus = Step(amplitude_uA_cm2, STEP_START_MS, STEP_DURATION_MS)
    n = int(round((STEP_START_MS + STEP_DURATION_MS) / dt_ms))
    i0, i1, i2 = step_stage_samples(stimulus, dt_ms, n)
    onset, fired_before, armed = _before_the_step(params, dt_ms)
    if fired_before:
        return True
    p = _kernel_params(params)
    table = _rate_table(tuple(p[_KINETIC_SLICE]))
    k0 = int(round(STEP_START_MS / dt_ms))
    if not armed:        # the membrane is held above -20 mV: run the whole protocol instead
        onset, k0 = steady_gates(V_INIT_MV, params), 0
    quiet_from = int(round((STEP_START_MS + QUIET_AFTER_MS) / dt_ms)) - k0
    return toolkit.fires_with_early_stops(
        _integrate, onset, i0[k0:], i1[k0:], i2[k0:], dt_ms, (p, table),
        max(0, int(math.floor(20.0 / dt_ms)) - k0), quiet_from, QUIET_RATE,
        lambda state, i_app: _settled_quietly(state, p, table, i_app), count_from_ms=20.0,
        offset_steps=k0)


def _before_the_step(params: ExcitabilityParams, dt_ms: float) -> tuple:
    """(state at the step's onset, fired from 20 ms on?, re-armed?) of the protocol's first
    100 ms, which has no stimulus and so is the same for every amplitude: computed once per
    setting, every run of a rheobase search starts at the onset. "Re-armed" means the
    membrane sits below -20 mV there, so a spike after the onset is judged exactly as in a
    run from t = 0 (otherwise the caller runs the whole protocol)."""
    return _first_100_ms(params, dt_ms)[:3]


def _before_the_step_trace(params: ExcitabilityParams, dt_ms: float) -> np.ndarray:
    """V over the protocol's first 100 ms (see :func:`_before_the_step`)."""
    return _first_100_ms(params, dt_ms)[3]


@lru_cache(maxsize=1024)
def _first_100_ms(params: ExcitabilityParams, dt_ms: float) -> tuple:
    k0 = int(round(STEP_START_MS / dt_ms))
    zero = np.zeros(k0)
    p = _kernel_params(params)
    out, _ = _integrate(steady_gates(V_INIT_MV, params), zero, zero, zero, dt_ms, p,
                        _rate_table(tuple(p[_KINETIC_SLICE])), -1, metrics.SPIKE_REARM_MV,
                        metrics.MAX_SPIKE_WIDTH_MS)
    spikes = metrics._spike_times(np.arange(k0 + 1) * dt_ms, out[:, 0])
    onset = out[-1].copy()
    v = out[:, 0].copy()
    onset.setflags(write=False)
    v.setflags(write=False)
    return (onset, bool(np.any(spikes >= 20.0)), bool(out[-1, 0] < metrics.SPIKE_REARM_MV), v)


def rheobase(params: ExcitabilityParams, tolerance_uA_cm2: float = 0.5,
             dt_ms: float = DEFAULT_DT_MS) -> float:
    """Smallest 1 s step (uA/cm2) that evokes a spike; 0 if the cell fires on its own.

    Found on a grid of ``tolerance_uA_cm2`` by bisection, each run stopping at its first
    spike; cached because parameters are frozen.
    """
    check_params("params", params, ExcitabilityParams)
    return _rheobase(params, check_positive("tolerance_uA_cm2", tolerance_uA_cm2, 100.0),
                     check_range("dt_ms", dt_ms, *DT_RANGE_MS))


@lru_cache(maxsize=4096)
def _rheobase(params: ExcitabilityParams, tolerance_uA_cm2: float, dt_ms: float) -> float:
    return metrics.rheobase_search(lambda a: fires_during_step(params, a, dt_ms),
                                   tolerance=tolerance_uA_cm2, max_high=1024.0)


def repetitive_threshold(params: ExcitabilityParams = NORMAL, tolerance_uA_cm2: float = 0.5,
                         dt_ms: float = DEFAULT_DT_MS) -> float:
    """Smallest 1 s step (uA/cm2, on a grid of ``tolerance_uA_cm2``) from which the cell
    fires repetitively (or in bursts) rather than only at the onset.

    The paper's 'normal' neuron is onset-only only up to a point: from about 110 uA/cm2 it
    fires repetitively too (0 if the cell fires on its own, ``inf`` if no step up to
    1024 uA/cm2 does). Assumes, as the search must, that once a step is strong enough to
    give repetitive firing every stronger step does too (true for the normal and neuropathic
    settings over the balance lab's 0-200 uA/cm2; tests/science/test_excitability.py checks).
    """
    check_params("params", params, ExcitabilityParams)
    return _repetitive_threshold(params,
                                 check_positive("tolerance_uA_cm2", tolerance_uA_cm2, 100.0),
                                 check_range("dt_ms", dt_ms, *DT_RANGE_MS))


@lru_cache(maxsize=256)
def _repetitive_threshold(params: ExcitabilityParams, tolerance_uA_cm2: float,
                          dt_ms: float) -> float:
    def repetitive(amplitude: float) -> bool:
        pattern = firing_pattern(step_response(params, amplitude, dt_ms=dt_ms))
        return pattern in (metrics.REPETITIVE, metrics.BURSTING, metrics.SPONTANEOUS)

    return metrics.rheobase_search(repetitive, rheobase(params, dt_ms=dt_ms),
                                   tolerance=tolerance_uA_cm2, max_high=1024.0)


def _rest_run_args(params, duration_ms, settle_ms, dt_ms) -> tuple:
    check_params("params", params, ExcitabilityParams)
    return (params, check_range("duration_ms", duration_ms, *DURATION_RANGE_MS),
            check_range("settle_ms", settle_ms, 0.0, DURATION_RANGE_MS[1]),
            check_range("dt_ms", dt_ms, *DT_RANGE_MS))


def spontaneous_rate(params: ExcitabilityParams, duration_ms: float = 1000.0,
                     settle_ms: float = 200.0, dt_ms: float = DEFAULT_DT_MS,
                     noise_sd_uA_cm2: float = 0.0, seed: int | None = 0) -> float:
    """Firing rate (Hz) at zero stimulus, after discarding ``settle_ms``."""
    noise_sd_uA_cm2 = check_range("noise_sd_uA_cm2", noise_sd_uA_cm2, *NOISE_SD_RANGE)
    if seed is not None:
        seed = check_int("seed", seed, 0, 2**63 - 1)
    return _spontaneous_rate(*_rest_run_args(params, duration_ms, settle_ms, dt_ms),
                             noise_sd_uA_cm2, seed)


@lru_cache(maxsize=1024)
def _spontaneous_rate(params, duration_ms, settle_ms, dt_ms, noise_sd_uA_cm2, seed) -> float:
    res = simulate(params, NoStimulus(), t_stop_ms=settle_ms + duration_ms, dt_ms=dt_ms,
                   noise_sd_uA_cm2=noise_sd_uA_cm2, seed=seed)
    return metrics.rate_hz(res.spike_times_ms, settle_ms, settle_ms + duration_ms)


def spontaneous_pattern(params: ExcitabilityParams, duration_ms: float = 1000.0,
                        settle_ms: float = 200.0, dt_ms: float = DEFAULT_DT_MS) -> str:
    """'spontaneous', 'silent' or 'depolarisation block' at zero stimulus."""
    return _spontaneous_pattern(*_rest_run_args(params, duration_ms, settle_ms, dt_ms))


@lru_cache(maxsize=1024)
def _spontaneous_pattern(params, duration_ms, settle_ms, dt_ms) -> str:
    if settle_ms + duration_ms <= REST_RUN_MS:
        # the first part of the cached rest run is exactly this run: no need to repeat it
        res = rest_run(params, dt_ms)
        keep = res.t_ms <= settle_ms + duration_ms + 1e-9
        t, v = res.t_ms[keep], res.v_mV[keep]
        return metrics._classify_spontaneous(metrics._spike_times(t, v), t, v, settle_ms)
    res = simulate(params, NoStimulus(), t_stop_ms=settle_ms + duration_ms, dt_ms=dt_ms)
    return metrics._classify_spontaneous(res.spike_times_ms, res.t_ms, res.v_mV, settle_ms)


REST_RUN_MS = 1000.0


def rest_run(params: ExcitabilityParams, dt_ms: float = DEFAULT_DT_MS) -> ExcitabilityResult:
    """The cell with no stimulus for ``REST_RUN_MS`` from V = -70 mV, without noise. Cached:
    the balance lab shows it and the balance map's zero-stimulus test reads its first part."""
    check_params("params", params, ExcitabilityParams)
    return _rest_run(params, check_range("dt_ms", dt_ms, *DT_RANGE_MS))


@lru_cache(maxsize=256)
def _rest_run(params: ExcitabilityParams, dt_ms: float) -> ExcitabilityResult:
    res = simulate(params, NoStimulus(), t_stop_ms=REST_RUN_MS, dt_ms=dt_ms)
    for array in (res.t_ms, res.v_mV, res.states, res.i_stim_uA_cm2, res.spike_times_ms):
        array.setflags(write=False)
    return res


def fi_curve(params: ExcitabilityParams, amplitudes_uA_cm2, dt_ms: float = DEFAULT_DT_MS
             ) -> tuple[np.ndarray, np.ndarray]:
    """Mean rate (Hz) over the 1 s step for each amplitude."""
    amplitudes_uA_cm2 = check_array("amplitudes_uA_cm2", amplitudes_uA_cm2, -2000.0, 2000.0,
                                    ndim=1)

    def rate(a: float) -> float:
        res = step_response(params, a, dt_ms=dt_ms)
        return metrics.rate_hz(res.spike_times_ms, STEP_START_MS,
                               STEP_START_MS + STEP_DURATION_MS)
    return metrics.fi_curve(rate, amplitudes_uA_cm2)


def with_balance(params: ExcitabilityParams, g_na_sub_mS_cm2: float,
                 g_k_sub_mS_cm2: float) -> ExcitabilityParams:
    """A copy of ``params`` with new subthreshold Na and K conductances."""
    check_params("params", params, ExcitabilityParams)
    g_na = check_range("g_na_sub_mS_cm2", g_na_sub_mS_cm2, *RANGES["g_na_sub_mS_cm2"])
    g_k = check_range("g_k_sub_mS_cm2", g_k_sub_mS_cm2, *RANGES["g_k_sub_mS_cm2"])
    return replace(params, g_na_sub_mS_cm2=g_na, g_k_sub_mS_cm2=g_k)     # validated on construction


# ---------------------------------------------------------------- balance map -----------

MAP_PROBE_ABOVE_RHEOBASE = 6.0     # uA/cm2: SCIENCE.md's onset-only vs repetitive test


def balance_point_pattern(params: ExcitabilityParams, rheobase_guess: float | None = None,
                          check_rest: bool = True, dt_ms: float = DEFAULT_DT_MS
                          ) -> tuple[str, float]:
    """(pattern, rheobase) of one setting, as the balance map shows it.

    At zero stimulus the cell may already fire ('spontaneous') or sit silent but
    depolarised ('depolarisation block'); otherwise the pattern is the response to a 1 s
    step 6 uA/cm2 above the cell's own rheobase -- 'onset-only' or 'repetitive' (or
    'bursting' with an AHP) -- the test SCIENCE.md uses to tell normal from neuropathic.
    ``check_rest=False`` skips the zero-stimulus run when the caller knows the cell is
    quiet at rest. The rheobase here is found to 2 uA/cm2 (the map's resolution).
    """
    check_params("params", params, ExcitabilityParams)
    rheobase_guess = _check_guess(rheobase_guess)
    check_rest = check_bool("check_rest", check_rest)
    dt_ms = check_range("dt_ms", dt_ms, *DT_RANGE_MS)
    if check_rest:
        at_rest = spontaneous_pattern(params, duration_ms=500.0, dt_ms=dt_ms)
        if at_rest != metrics.SILENT:
            return at_rest, 0.0
    fires = lambda a: fires_during_step(params, a, dt_ms)   # noqa: E731
    threshold = metrics.rheobase_search(fires, rheobase_guess, tolerance=2.0,
                                        max_high=1024.0)
    if not math.isfinite(threshold):
        return metrics.SILENT, threshold
    if threshold == 0.0:
        return metrics.SPONTANEOUS, 0.0
    return _step_pattern(params, threshold + MAP_PROBE_ABOVE_RHEOBASE, dt_ms), threshold


def _step_pattern(params: ExcitabilityParams, amplitude: float, dt_ms: float) -> str:
    """``firing_pattern(step_response(params, amplitude))``, computed faster: the run starts
    at the shared step onset and ends early once the cell stands still at a verified stable
    equilibrium (no spike can follow, so the rest of the step adds nothing to the pattern:
    an onset-only response is decided as soon as the cell has settled after its spike)."""
    onset, fired_before, armed = _before_the_step(params, dt_ms)
    if fired_before or not armed:
        return firing_pattern(step_response(params, amplitude, dt_ms=dt_ms))
    stimulus = Step(amplitude, STEP_START_MS, STEP_DURATION_MS)
    n = int(round((STEP_START_MS + STEP_DURATION_MS) / dt_ms))
    k0 = int(round(STEP_START_MS / dt_ms))
    i0, i1, i2 = step_stage_samples(stimulus, dt_ms, n)
    p = _kernel_params(params)
    table = _rate_table(tuple(p[_KINETIC_SLICE]))
    out, taken = _integrate(onset, i0[k0:], i1[k0:], i2[k0:], dt_ms, p, table, -1,
                            metrics.SPIKE_REARM_MV, metrics.MAX_SPIKE_WIDTH_MS,
                            int(round(QUIET_AFTER_MS / dt_ms)), QUIET_RATE)
    before = _before_the_step_trace(params, dt_ms)
    if k0 + taken == n:          # it ran to the end (it kept firing): the whole trace is here
        v = np.concatenate((before, out[1:taken + 1, 0]))
    elif not _settled_quietly(out[taken], p, table, float(i1[k0 + taken - 1])):
        return firing_pattern(step_response(params, amplitude, dt_ms=dt_ms))
    else:
        # the settled cell stays where it stopped: extend the trace flat to the step's end
        v = np.concatenate((before, out[1:taken + 1, 0], np.full(n - (k0 + taken), out[taken, 0])))
    t = np.arange(n + 1) * dt_ms
    return metrics._classify_pattern(metrics._spike_times(t, v), t, v, stimulus.start_ms,
                                    stimulus.end_ms, settle_ms=20.0)


MAP_MAX_STEP_uA_cm2 = 1024.0


def _check_guess(guess):
    """A rheobase guess is None or a number from 0 to the largest step searched."""
    return None if guess is None else check_range("rheobase_guess", guess, 0.0,
                                                  MAP_MAX_STEP_uA_cm2)


def point_pattern(params: ExcitabilityParams, rheobase_guess: float | None = None
                  ) -> tuple[str, float]:
    """Cached :func:`balance_point_pattern` (the guess only speeds the search up)."""
    check_params("params", params, ExcitabilityParams)
    return _point_pattern(params, _check_guess(rheobase_guess))


@toolkit.cache_ignoring_hint(maxsize=4096)
def _point_pattern(params: ExcitabilityParams, rheobase_guess: float | None) -> tuple:
    return balance_point_pattern(params, rheobase_guess)


def map_rheobase_guess(g_na_sub: float, g_k_sub: float, g_ahp_mS_cm2: float = 0.0
                       ) -> float | None:
    """Rheobase read off the cached balance map by bilinear interpolation (a search start)."""
    g_na_sub = check_range("g_na_sub", g_na_sub, *RANGES["g_na_sub_mS_cm2"])
    g_k_sub = check_range("g_k_sub", g_k_sub, *RANGES["g_k_sub_mS_cm2"])
    na, k, _, thresholds = balance_map(g_ahp_mS_cm2)
    j = int(np.clip(np.searchsorted(na, g_na_sub) - 1, 0, na.size - 2))
    i = int(np.clip(np.searchsorted(k, g_k_sub) - 1, 0, k.size - 2))
    fx = float(np.clip((g_na_sub - na[j]) / (na[j + 1] - na[j]), 0.0, 1.0))
    fy = float(np.clip((g_k_sub - k[i]) / (k[i + 1] - k[i]), 0.0, 1.0))
    corners = thresholds[i:i + 2, j:j + 2]
    if not np.all(np.isfinite(corners)) or np.any(corners <= 0):
        return None
    top = corners[0, 0] * (1 - fx) + corners[0, 1] * fx
    bottom = corners[1, 0] * (1 - fx) + corners[1, 1] * fx
    return float(top * (1 - fy) + bottom * fy)


MAP_G_VALUES = tuple(float(g) for g in np.arange(0.0, 10.01, 1.0))


def balance_map(g_ahp_mS_cm2: float = 0.0, g_na_values: tuple = MAP_G_VALUES,
                g_k_values: tuple = MAP_G_VALUES
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Firing pattern over the (g_Na_sub, g_K_sub) plane; computed once per AHP setting.

    Returns (g_na values, g_k values, pattern index [len(k), len(na)] into
    ``metrics.PATTERNS``, rheobase [len(k), len(na)] in uA/cm2). Rows are K, columns Na
    (the layout a heat map wants). Read-only arrays, cached in memory and on disk
    (:func:`_map_cache_file`): computing a map takes about a second, which a lab should not
    spend while a class waits. Two facts keep the computation short: rheobase grows
    almost linearly with g_K_sub, so each point's search starts from the straight-line
    guess through the two points below it; and more K never makes a quiet cell fire on
    its own, so once a column is quiet at rest the zero-stimulus run is skipped.
    """
    g_ahp = check_range("g_ahp_mS_cm2", g_ahp_mS_cm2, *RANGES["g_ahp_mS_cm2"])
    grids = []
    for name, values, field in (("g_na_values", g_na_values, "g_na_sub_mS_cm2"),
                                ("g_k_values", g_k_values, "g_k_sub_mS_cm2")):
        grid = check_array(name, values, *RANGES[field], ndim=1, allow_empty=False)
        if grid.size < 2 or np.any(np.diff(grid) <= 0):
            raise ValueError(f"{name} must be at least two increasing conductances")
        grids.append(tuple(float(g) for g in grid))
    return _balance_map(g_ahp, *grids)


@lru_cache(maxsize=8)
def _balance_map(g_ahp: float, g_na_values: tuple, g_k_values: tuple) -> tuple:
    path = _map_cache_file(g_ahp, g_na_values, g_k_values)
    arrays = _load_map(path, len(g_na_values), len(g_k_values)) if path else None
    if arrays is None:
        arrays = _compute_balance_map(g_ahp, g_na_values, g_k_values)
        if path:
            _save_map(path, arrays)
    for array in arrays:
        array.setflags(write=False)
    return arrays


def _map_cache_file(g_ahp: float, g_na_values: tuple, g_k_values: tuple):
    """Where a map is kept on disk, or None if nowhere is writable.

    The name holds a hash of everything the map depends on: the settings, the grids and
    the source of the modules that compute it, so a changed model never reads an old map.
    The folder is numba's choice for this package (its ``NUMBA_CACHE_DIR``, or the
    package's ``__pycache__``, or the temporary fallback of ``course_lib.models``).
    """
    from course_lib import models as package
    from course_lib.models import _rate_table, stimulus

    digest = hashlib.sha256()
    digest.update(repr((g_ahp, g_na_values, g_k_values, NORMAL.as_array().tolist(),
                        MAP_PROBE_ABOVE_RHEOBASE, DEFAULT_DT_MS)).encode())
    for module in (metrics, _rate_table, stimulus, toolkit):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(Path(__file__).read_bytes())
    folders = [package._numba_config.CACHE_DIR,
               os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__")]
    for folder in folders:
        if folder and package._writable_dir(folder):
            return os.path.join(folder, f"balance_map-{digest.hexdigest()[:20]}.npz")
    return None


def _load_map(path: str, n_na: int, n_k: int):
    """The four map arrays from ``path``, or None if missing, unreadable or the wrong shape."""
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = tuple(np.array(data[key]) for key in ("na", "k", "codes", "thresholds"))
    except (OSError, KeyError, ValueError):
        return None
    na, k, codes, thresholds = arrays
    if (na.shape != (n_na,) or k.shape != (n_k,) or codes.shape != (n_k, n_na)
            or thresholds.shape != (n_k, n_na) or codes.min() < 0
            or codes.max() >= len(metrics.PATTERNS)):
        return None
    return arrays


def _save_map(path: str, arrays: tuple) -> None:
    """Write atomically (a temporary file, then a rename); a failure only costs the cache."""
    na, k, codes, thresholds = arrays
    try:
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".npz")
        with os.fdopen(handle, "wb") as out:
            np.savez(out, na=na, k=k, codes=codes, thresholds=thresholds)
        os.replace(temporary, path)
    except OSError:
        try:
            os.unlink(temporary)
        except (OSError, UnboundLocalError):
            pass


def _compute_balance_map(g_ahp_mS_cm2: float, g_na_values: tuple, g_k_values: tuple
                         ) -> tuple:
    na = np.asarray(g_na_values, dtype=float)
    k = np.asarray(g_k_values, dtype=float)
    codes = np.zeros((k.size, na.size), dtype=int)
    thresholds = np.full((k.size, na.size), np.nan)
    base = replace(NORMAL, g_ahp_mS_cm2=float(g_ahp_mS_cm2))
    quiet = (metrics.ONSET_ONLY, metrics.REPETITIVE, metrics.BURSTING)
    for j, g_na in enumerate(na):
        known: list[tuple[float, float]] = []     # (g_k, rheobase) of quiet cells so far
        check_rest = True
        for i, g_k in enumerate(k):
            guess = None
            if len(known) >= 2:
                (k0, r0), (k1, r1) = known[-2:]
                guess = r1 + (r1 - r0) * (g_k - k1) / (k1 - k0)
            elif known:
                guess = known[-1][1]
            if guess is not None:
                guess = min(max(guess, 0.0), MAP_MAX_STEP_uA_cm2)
            pattern, threshold = balance_point_pattern(
                with_balance(base, g_na, g_k), guess, check_rest=check_rest)
            codes[i, j] = metrics.PATTERNS.index(pattern)
            thresholds[i, j] = threshold
            if pattern in quiet and math.isfinite(threshold):
                known.append((g_k, threshold))
                check_rest = False
    return na, k, codes, thresholds
