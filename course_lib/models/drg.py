"""A small DRG (pain-sensing) neuron with named ion channels.

What it models: one compartment of a small dorsal root ganglion neuron with five currents:
the sodium channels Nav1.7 (fast, TTX-sensitive; gates m^3 h s, s = slow inactivation) and
Nav1.8 (TTX-resistant, carries most of the upstroke; gates m h), the delayed-rectifier
potassium channel Kdr (gate n), the A-type potassium channel KA (gates nKA hKA) and a leak.

    c dV/dt = I/A - g17 m17^3 h17 s17 (V-E_Na) - g18 m18 h18 (V-E_Na)
              - gK n (V-E_K) - gKA nKA hKA (V-E_K) - gl (V-E_l)
    each gate x: dx/dt = (x_inf(V) - x)/tau_x(V)   (x_inf = a/(a+b), tau = 1/(a+b))

Sources: channel kinetics from Choi JS & Waxman SG (2011) J Neurophysiol 106:3173-3184,
doi:10.1152/jn.00100.2011; the model as assembled by Verma P, Kienle A, Flockerzi D,
Ramkrishna D (2019 Ind Eng Chem Res, doi:10.1021/acs.iecr.9b02222; 2020 arXiv:2001.04915),
ModelDB 264591 (DRG.ode). The rate functions are written out in the course's SCIENCE.md.

What it leaves out: Nav1.9, calcium and calcium-activated currents, HCN, the axon and its
terminals, temperature dependence, ion concentration changes. Changing a conductance here
stands for changing how many working channels the membrane has; it does not model how a
drug binds or how a mutation alters gating. In this model a pure negative shift of Nav1.7
activation changes rheobase by only ~2 pA, so it does NOT reproduce inherited
erythromelalgia (real mutants also slow deactivation and enlarge the ramp current); we do
not offer a preset that claims it.

Units: V in mV, t in ms, c in uF/cm2, conductances in mS/cm2, current densities in uA/cm2.
The stimulus amplitude is a whole-cell current in pA; the membrane area A is 2168 um2
(21.68 x 1e-6 cm2, inferred from ModelDB's I/A with I in pA), so 1 pA = 0.0461 uA/cm2.
Channel currents returned by :func:`channel_currents` are whole-cell currents in pA
(negative = inward, the electrophysiology convention).

Numerics: classic fourth-order Runge-Kutta with a fixed step (default 0.025 ms), compiled
with numba. The voltage-dependent rates are read from a table (0.05 mV spacing, linear
interpolation between -200 and +150 mV, edge values beyond), the standard speed-up in
NEURON. Spike times agree with scipy's LSODA on the exact formulas
(tests/science/test_numerics.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from functools import lru_cache

import numpy as np
from numba import njit

from course_lib.models import _neuron_toolkit as toolkit
from course_lib.models import metrics
from course_lib.models._rate_table import (N_TABLE, TABLE_DV, TABLE_V_MAX, TABLE_V_MIN,
                                           table_slot)
from course_lib.models._validation import (Validated, check_array, check_bool, check_params,
                                            check_positive, check_range, validate_fields)
from course_lib.models.stimulus import (NoStimulus, Step, Stimulus, check_stimulus,
                                        stage_samples, step_stage_samples)

RANGES: dict[str, tuple[float, float]] = {
    "g_nav17_mS_cm2": (0.0, 100.0),
    "g_nav18_mS_cm2": (0.0, 100.0),
    "g_kdr_mS_cm2": (0.0, 100.0),
    "g_ka_mS_cm2": (0.0, 100.0),
    "g_leak_mS_cm2": (0.001, 10.0),
    "e_na_mV": (0.0, 120.0),
    "e_k_mV": (-120.0, -40.0),
    "e_leak_mV": (-100.0, 0.0),
    "c_uF_cm2": (0.1, 10.0),
    "area_um2": (10.0, 100_000.0),
}

CHANNELS = ("nav17", "nav18", "kdr", "ka")
CHANNEL_LABELS = {"nav17": "Nav1.7", "nav18": "Nav1.8", "kdr": "Kdr", "ka": "KA",
                  "leak": "leak"}
STATE_NAMES = ("v", "m17", "h17", "s17", "m18", "h18", "n", "nka", "hka")
DEFAULT_DT_MS = 0.025
# RK4 on this model keeps spike times within 0.02 ms of dt = 0.025 up to dt = 0.1 (checked
# at 150-500 pA, double Na); beyond that the fast Nav1.7 gate makes it inaccurate.
DT_RANGE_MS = (1e-4, 0.1)
STEP_START_MS = 100.0
STEP_DURATION_MS = 500.0
V_INIT_MV = -66.478          # ModelDB 264591 initial condition
# The rate table covers these voltages; beyond them the rates are frozen at the edge values
# and the run no longer follows the published equations (e.g. Kdr off and a 300 pA step
# drive V to about +182 mV: the tiny leak is then the only current left to oppose the step).
VALID_V_RANGE_MV = (TABLE_V_MIN, TABLE_V_MAX)


@dataclass(frozen=True)
class DRGParams(Validated):
    """Parameters of the DRG model; defaults are ModelDB 264591's values."""

    g_nav17_mS_cm2: float = 18.0
    g_nav18_mS_cm2: float = 7.0
    g_kdr_mS_cm2: float = 4.78
    g_ka_mS_cm2: float = 8.33
    g_leak_mS_cm2: float = 0.0575
    e_na_mV: float = 67.1
    e_k_mV: float = -84.7
    e_leak_mV: float = -58.91
    c_uF_cm2: float = 0.93
    area_um2: float = 2168.0

    def validate(self) -> None:
        validate_fields(self, RANGES)

    def as_array(self) -> np.ndarray:
        return np.array([getattr(self, f.name) for f in fields(self)], dtype=np.float64)

    def with_scales(self, nav17: float = 1.0, nav18: float = 1.0, kdr: float = 1.0,
                    ka: float = 1.0) -> "DRGParams":
        """A copy with each channel's conductance multiplied by a factor (1 = unchanged).

        The channel lab maps 'on/off + 0-200 %' onto these factors, applied to the
        defaults: ``DRGParams().with_scales(nav18=0.0)`` removes Nav1.8.
        """
        base = DRGParams()
        nav17, nav18, kdr, ka = (check_range(name, value, 0.0, 5.0) for name, value in
                                 (("nav17", nav17), ("nav18", nav18), ("kdr", kdr), ("ka", ka)))
        return replace(self,
                       g_nav17_mS_cm2=base.g_nav17_mS_cm2 * float(nav17),
                       g_nav18_mS_cm2=base.g_nav18_mS_cm2 * float(nav18),
                       g_kdr_mS_cm2=base.g_kdr_mS_cm2 * float(kdr),
                       g_ka_mS_cm2=base.g_ka_mS_cm2 * float(ka))

    def scales(self) -> dict[str, float]:
        """Each channel's conductance as a fraction of the default."""
        base = DRGParams()
        return {name: getattr(self, f"g_{name}_mS_cm2") / getattr(base, f"g_{name}_mS_cm2")
                for name in CHANNELS}


HEALTHY = DRGParams()


# ---------------------------------------------------------------- rate functions --------

@njit(cache=True)
def _sig(x):
    """1/(1+exp(x)), safe for large |x|."""
    if x > 700.0:
        return 0.0
    return 1.0 / (1.0 + math.exp(x))


@njit(cache=True)
def _gate_rates(v):
    """(x_inf, 1/tau) for the eight gates at voltage v, from the published formulas.

    Order: m17, h17, s17, m18, h18, n, nKA, hKA.
    """
    am = 15.5 * _sig(-(v - 5.0) / 12.08)
    bm = 35.2 * _sig((v + 72.7) / 16.7)
    ah = 0.38685 * _sig((v + 122.35) / 15.29)
    bh = -0.00283 + 2.00283 * _sig(-(v + 5.5266) / 12.70195)
    a_s = 0.00003 + 0.00092 * _sig((v + 93.9) / 16.6)
    # 132.05 - 132.05/(1+e) = 132.05 * e/(1+e) = 132.05/(1+1/e): no cancellation
    b_s = 132.05 * _sig(-(v - 384.9) / 28.5)

    am18 = 2.85 - 2.839 * _sig((v - 1.159) / 13.95)
    bm18 = 7.6205 * _sig((v + 46.463) / 8.8289)
    h18_inf = _sig((v + 32.2) / 4.0)
    tau_h18 = 1.218 + 42.043 * math.exp(-(v + 38.1) ** 2 / (2.0 * 15.19 ** 2))

    dv_n = v + 14.273
    if abs(dv_n) < 1e-6:
        an = 0.001265 * 10.0 * (1.0 + dv_n / 20.0)   # limit of x/(1-exp(-x/10))
    else:
        an = 0.001265 * dv_n / (1.0 - math.exp(-dv_n / 10.0))
    bn = 0.125 * math.exp(min(-(v + 55.0) / 2.5, 700.0))
    tau_n = 1.0 / (an + bn) + 1.0
    n_inf = _sig(-(v + 14.62) / 18.38)

    nka_inf = _sig(-(v + 5.4) / 16.4) ** 4
    tau_nka = 0.25 + 10.04 * math.exp(-(v + 24.67) ** 2 / (2.0 * 34.8 ** 2))
    hka_inf = _sig((v + 49.9) / 4.6)
    tau_hka = max(5.0, 20.0 + 50.0 * math.exp(-(v + 40.0) ** 2 / (2.0 * 40.0 ** 2)))

    return (am / (am + bm), am + bm,
            ah / (ah + bh), ah + bh,
            a_s / (a_s + b_s), a_s + b_s,
            am18 / (am18 + bm18), am18 + bm18,
            h18_inf, 1.0 / tau_h18,
            n_inf, 1.0 / tau_n,
            nka_inf, 1.0 / tau_nka,
            hka_inf, 1.0 / tau_hka)




@njit(cache=True)
def _build_table(v_min, dv, n):
    """Rates on a voltage grid, flattened: entry 16*i + k is rate k at v_min + i*dv."""
    table = np.empty(n * 16)
    for i in range(n):
        r = _gate_rates(v_min + i * dv)
        for k in range(16):
            table[16 * i + k] = r[k]
    return table


RATE_TABLE = _build_table(TABLE_V_MIN, TABLE_DV, N_TABLE)


# ---------------------------------------------------------------- compiled kernel --------

def _kernel_params(params: DRGParams) -> np.ndarray:
    """as_array() with c replaced by 1/c: the kernel multiplies instead of dividing."""
    p = params.as_array()
    p[8] = 1.0 / p[8]
    return p


@njit(cache=True)
def _rhs_table(v, m17, h17, s17, m18, h18, n, nka, hka, i_density, p, t):
    """dy/dt as a 9-tuple with rates read from the table ``t`` (flattened RATE_TABLE).

    Outside the table's voltage range the edge values are used (such voltages lie far
    beyond both reversal potentials and only arise from huge stimuli).
    """
    i, f = table_slot(v)
    g = 1.0 - f
    b = 16 * i
    c = b + 16
    i_ion = (p[0] * m17 * m17 * m17 * h17 * s17 * (v - p[5])
             + p[1] * m18 * h18 * (v - p[5])
             + p[2] * n * (v - p[6])
             + p[3] * nka * hka * (v - p[6])
             + p[4] * (v - p[7]))
    return ((i_density - i_ion) * p[8],
            (g * t[b] + f * t[c] - m17) * (g * t[b + 1] + f * t[c + 1]),
            (g * t[b + 2] + f * t[c + 2] - h17) * (g * t[b + 3] + f * t[c + 3]),
            (g * t[b + 4] + f * t[c + 4] - s17) * (g * t[b + 5] + f * t[c + 5]),
            (g * t[b + 6] + f * t[c + 6] - m18) * (g * t[b + 7] + f * t[c + 7]),
            (g * t[b + 8] + f * t[c + 8] - h18) * (g * t[b + 9] + f * t[c + 9]),
            (g * t[b + 10] + f * t[c + 10] - n) * (g * t[b + 11] + f * t[c + 11]),
            (g * t[b + 12] + f * t[c + 12] - nka) * (g * t[b + 13] + f * t[c + 13]),
            (g * t[b + 14] + f * t[c + 14] - hka) * (g * t[b + 15] + f * t[c + 15]))


@njit(cache=True, nogil=True)  # nogil: a lab runs its threshold search beside the trace
def _integrate(y0, i_start, i_mid, i_end, dt, p, table, spike_stop_after_step, rearm_mV,
               max_width_ms, quiet_after_step=-1, quiet_rate=1e-5):
    """Fixed-step RK4 on the 9 states. Returns (states[n+1, 9], steps taken).

    Stimulus arrays are current densities
    (uA/cm2) at the start, middle and end of each step. With ``spike_stop_after_step >= 0``
    the run stops at the first spike (as ``metrics.spike_times`` defines it: an upward
    crossing of 0 mV from below ``rearm_mV`` that returns below it within ``max_width_ms``)
    whose crossing ends at or after that step, once the spike has returned below ``rearm_mV``.
    (The two limits are arguments, not globals, so numba's cache never keeps stale ones.)

    With ``quiet_after_step >= 0`` the run also stops, from that step on, once the cell has
    come to a standstill with no spike pending: every gate except Nav1.7 slow inactivation
    changing by less than ``quiet_rate`` per ms (V by less than 100 times that in mV/ms) and
    slow inactivation not rising. The caller
    must then check that the standstill is a stable equilibrium (``_settled_quietly``)
    before concluding that no spike will come.
    """
    n = i_start.shape[0]
    out = np.empty((n + 1, 9))
    y = y0.copy()
    k1 = np.empty(9)
    k2 = np.empty(9)
    k3 = np.empty(9)
    tmp = np.empty(9)
    out[0] = y
    h = 0.5 * dt
    sixth = dt / 6.0
    armed = y[0] < rearm_mV
    crossed_at = -1                      # step index of the pending upward crossing
    width_steps = max_width_ms / dt
    for j in range(n):
        r = _rhs_table(y[0], y[1], y[2], y[3], y[4], y[5], y[6], y[7], y[8], i_start[j], p, table)
        for q in range(9):
            k1[q] = r[q]
            tmp[q] = y[q] + h * r[q]
        r = _rhs_table(tmp[0], tmp[1], tmp[2], tmp[3], tmp[4], tmp[5], tmp[6], tmp[7], tmp[8],
                i_mid[j], p, table)
        for q in range(9):
            k2[q] = r[q]
            tmp[q] = y[q] + h * r[q]
        r = _rhs_table(tmp[0], tmp[1], tmp[2], tmp[3], tmp[4], tmp[5], tmp[6], tmp[7], tmp[8],
                i_mid[j], p, table)
        for q in range(9):
            k3[q] = r[q]
            tmp[q] = y[q] + dt * r[q]
        r = _rhs_table(tmp[0], tmp[1], tmp[2], tmp[3], tmp[4], tmp[5], tmp[6], tmp[7], tmp[8],
                i_end[j], p, table)
        v_old = y[0]
        for q in range(9):
            y[q] = y[q] + sixth * (k1[q] + 2.0 * k2[q] + 2.0 * k3[q] + r[q])
            out[j + 1, q] = y[q]
        if spike_stop_after_step >= 0:
            stop, armed, crossed_at = toolkit.spike_watch(v_old, y[0], j + 1, armed, crossed_at,
                                                          spike_stop_after_step, rearm_mV,
                                                          width_steps)
            if stop:
                return out, j + 1
        if toolkit.quiet_check_due(j, quiet_after_step, crossed_at):
            still = abs(k1[0]) < 100.0 * quiet_rate and k1[3] <= 0.0
            for q in (1, 2, 4, 5, 6, 7, 8):
                still = still and abs(k1[q]) < quiet_rate
            if still:
                return out, j + 1
    return out, n


QUIET_RATE = 1e-4      # per ms (gates); 100x this in mV/ms for V: a standstill, then verified


# ---------------------------------------------------------------- steady state ----------

def steady_state(v_mV: float) -> np.ndarray:
    """State vector with every gate at its steady-state value for ``v_mV``."""
    v_mV = check_range("v_mV", v_mV, *VALID_V_RANGE_MV)
    r = _gate_rates(v_mV)
    return np.array([v_mV] + [r[2 * g] for g in range(8)])


@njit(cache=True)
def _steady_gates(v, t, s_fixed):
    """The eight gates (order of STATE_NAMES[1:]) at the steady state the integrator itself
    uses (the table ``t``, interpolated); ``s_fixed`` in [0, 1] holds Nav1.7 slow inactivation
    at that value instead (the equilibrium of the fast gates alone)."""
    i, f = table_slot(v)
    g = 1.0 - f
    b = 16 * i
    c = b + 16
    return (g * t[b] + f * t[c],
            g * t[b + 2] + f * t[c + 2],
            s_fixed if s_fixed >= 0.0 else g * t[b + 4] + f * t[c + 4],
            g * t[b + 6] + f * t[c + 6],
            g * t[b + 8] + f * t[c + 8],
            g * t[b + 10] + f * t[c + 10],
            g * t[b + 12] + f * t[c + 12],
            g * t[b + 14] + f * t[c + 14])


@njit(cache=True)
def _steady_gap(v, p, t, i_density, s_fixed):
    """Net ionic current density (uA/cm2, outward > 0) with every gate at steady state (see
    ``_steady_gates``), minus ``i_density``: zero at an equilibrium under that stimulus."""
    x = _steady_gates(v, t, s_fixed)
    i_ion = (p[0] * x[0] * x[0] * x[0] * x[1] * x[2] * (v - p[5])
             + p[1] * x[3] * x[4] * (v - p[5])
             + p[2] * x[5] * (v - p[6])
             + p[3] * x[6] * x[7] * (v - p[6])
             + p[4] * (v - p[7]))
    return i_ion - i_density


def _table_steady(v: float, t: np.ndarray, s_fixed: float = -1.0) -> np.ndarray:
    """The gates of ``_steady_gates`` as an array: with V, an exact equilibrium state of the
    compiled kernel."""
    return np.array(_steady_gates(v, t, s_fixed))


_find_equilibria = toolkit.equilibrium_finder(_steady_gap)


def _equilibria(p: np.ndarray, t: np.ndarray, i_density: float, v_lo: float, v_hi: float,
                dv: float, s_fixed: float = -1.0) -> np.ndarray:
    """Every V in [v_lo, v_hi] where the steady-state current balances ``i_density``
    (a sign change on a grid of ``dv``, refined by bisection to machine precision)."""
    return _find_equilibria(p, t, i_density, s_fixed, v_lo, v_hi, dv)


def _equilibrium_state(v_mV: float, p: np.ndarray) -> np.ndarray:
    return np.concatenate(([v_mV], _table_steady(v_mV, RATE_TABLE)))


def _is_stable(state: np.ndarray, p: np.ndarray, i_density: float = 0.0,
               frozen_s17: bool = False) -> bool:
    """True if every eigenvalue of the kernel's Jacobian at ``state`` has a negative real part
    (central differences; the equilibrium then attracts everything near it). With
    ``frozen_s17`` the Jacobian of the other eight states, slow inactivation held fixed."""
    return toolkit.is_stable(toolkit.central_jacobian(_rhs_at(p, i_density), state,
                                                      _NOT_S17 if frozen_s17 else None))


_NOT_S17 = (0, 1, 2, 4, 5, 6, 7, 8)   # every state but Nav1.7 slow inactivation


def _rhs_at(p: np.ndarray, i_density: float):
    """The kernel's right-hand side as a function of the state vector alone."""
    return lambda y: _rhs_table(*y, i_density, p, RATE_TABLE)


def _settled_quietly(state: np.ndarray, p: np.ndarray, i_density: float) -> bool:
    """True if a run that stopped at a standstill (``quiet_after_step``) can fire no more.

    The state must sit within 0.05 mV of an equilibrium of the fast gates (slow
    inactivation held at its current value) that is stable, with slow inactivation falling:
    a falling s17 only removes Nav1.7 current, so the cell drifts further from firing. A
    standstill that fails this test (a slow passage near threshold) is run on to the end.
    """
    roots = _equilibria(p, RATE_TABLE, i_density, -150.0, 150.0, 0.25, state[3])
    v_star = toolkit.nearest_root(roots, state[0], 0.05)
    if v_star is None:
        return False
    fixed = np.concatenate(([v_star], _table_steady(v_star, RATE_TABLE, state[3])))
    fixed[3] = state[3]
    return toolkit.settles_at(state, fixed, (1, 2, 4, 5, 6, 7, 8), _rhs_at(p, i_density),
                              keep=_NOT_S17)


def _stable_equilibrium_near(v_mV: float, p: np.ndarray, within_mV: float):
    """The stable equilibrium (state vector) closest to ``v_mV`` if within ``within_mV``."""
    v_star = toolkit.nearest_root(_equilibria(p, RATE_TABLE, 0.0, -150.0, 120.0, 0.25), v_mV,
                                  within_mV)
    if v_star is None:
        return None
    state = _equilibrium_state(v_star, p)
    return state if _is_stable(state, p) else None


FIRST_LOOK_MS = 300.0        # a quiet cell is usually close to its rest by then
SETTLE_MS = 1000.0           # otherwise: run this long from ModelDB's initial condition ...
RATE_MIN_SPIKES = 8          # ... or, if it fires, until this many spikes give the rate
RATE_FROM_MS = 200.0         # (counted from here on: the start-up transient is over by then)
RATE_MAX_MS = 6000.0         # (never longer than this)


@dataclass(frozen=True)
class RestInfo:
    """What the cell does with no stimulus (see :func:`rest_info`).

    kind: ``metrics.SILENT`` (quiet at a stable resting potential),
        ``metrics.DEPOLARISATION_BLOCK`` (quiet, but held above ``metrics.BLOCK_V_MV``:
        its sodium channels are inactivated and it cannot fire) or ``metrics.SPONTANEOUS``.
    v_mV: the resting potential; for a firing cell the mean V over the measured window.
    rate_hz: spontaneous rate from the mean inter-spike interval (0 for a quiet cell).
    converged: True when the rest is the exact stable equilibrium of the model.
    state: the state a run ``initial="rest"`` starts from (read-only).
    """

    kind: str
    v_mV: float
    rate_hz: float
    converged: bool
    state: np.ndarray


def rest_info(params: DRGParams, dt_ms: float = DEFAULT_DT_MS) -> RestInfo:
    """Let the cell sit without stimulus from ModelDB's initial condition, until settled.

    A quiet cell's rest is found exactly, as the stable equilibrium the run is heading to:
    simulating would be slow, because Nav1.7 slow inactivation has a time constant of about
    3.4 s near -78 mV (the Nav1.8-off cell needs more than 15 s to get within 1 % of it).
    The run decides which equilibrium (a cell with two, such as Kdr at 0 %, rests where the
    run goes) and whether the cell fires on its own instead. A firing cell's rate comes from
    its mean inter-spike interval over ``RATE_MIN_SPIKES`` spikes after ``RATE_FROM_MS``
    (a slow firer's after ``SETTLE_MS / 2``, the run extended up to ``RATE_MAX_MS``), so it
    is not limited to whole spikes per window. Cached: parameters are frozen.
    """
    check_params("params", params, DRGParams)
    return _rest_info(params, check_range("dt_ms", dt_ms, *DT_RANGE_MS))


@lru_cache(maxsize=1024)
def _rest_info(params: DRGParams, dt_ms: float) -> RestInfo:
    p = _kernel_params(params)
    zero = np.zeros(int(round(RATE_MAX_MS / dt_ms)))

    def run_on(out, ms):
        n = int(round(ms / dt_ms))
        more, _ = _integrate(out[-1], zero[:n], zero[:n], zero[:n], dt_ms, p, RATE_TABLE, -1,
                             metrics.SPIKE_REARM_MV, metrics.MAX_SPIKE_WIDTH_MS)
        return np.concatenate((out, more[1:]))

    out = run_on(steady_state(V_INIT_MV)[None, :], FIRST_LOOK_MS)
    t = np.arange(out.shape[0]) * dt_ms
    spikes = metrics._spike_times(t, out[:, 0])
    if not np.any(spikes >= FIRST_LOOK_MS / 3):
        rest = _stable_equilibrium_near(out[-1, 0], p, within_mV=0.5)
        if rest is not None:
            return _quiet(rest, converged=True)
    # not obviously settled: carry on, 100 ms at a time, until the cell has fired
    # RATE_MIN_SPIKES spikes after RATE_FROM_MS (a firing cell: its rate from those
    # intervals is within 0.1 Hz of a 5-6 s count) or SETTLE_MS has passed
    while t[-1] < SETTLE_MS - 1e-9:
        window = spikes[spikes >= RATE_FROM_MS]
        if window.size >= RATE_MIN_SPIKES and t[-1] >= SETTLE_MS / 2 - 1e-9:
            return _firing(out, t, window, RATE_FROM_MS)
        out = run_on(out, min(100.0, SETTLE_MS - t[-1]))
        t = np.arange(out.shape[0]) * dt_ms
        spikes = metrics._spike_times(t, out[:, 0])
    window = spikes[spikes >= RATE_FROM_MS]
    if window.size >= RATE_MIN_SPIKES:
        return _firing(out, t, window, RATE_FROM_MS)
    late = spikes[spikes >= SETTLE_MS / 2]
    if late.size == 0:
        rest = _stable_equilibrium_near(out[-1, 0], p, within_mV=2.0)
        if rest is not None:
            return _quiet(rest, converged=True)
        return _quiet(out[-1].copy(), converged=False,
                      v_mV=float(np.mean(out[out.shape[0] // 2:, 0])))
    # a slow firer: extend (up to RATE_MAX_MS) until enough intervals after SETTLE_MS / 2
    while late.size < RATE_MIN_SPIKES and t[-1] < RATE_MAX_MS - 1e-9:
        out = run_on(out, min(2000.0, RATE_MAX_MS - t[-1]))
        t = np.arange(out.shape[0]) * dt_ms
        late = metrics._spike_times(t, out[:, 0])
        late = late[late >= SETTLE_MS / 2]
    return _firing(out, t, late, SETTLE_MS / 2)


def _firing(out: np.ndarray, t: np.ndarray, spikes: np.ndarray, from_ms: float) -> RestInfo:
    """RestInfo of a cell firing on its own: rate from the mean interval of ``spikes``."""
    if spikes.size >= 2:
        rate = 1000.0 * (spikes.size - 1) / (spikes[-1] - spikes[0])
    else:
        rate = 1000.0 * spikes.size / (t[-1] - from_ms)
    state = out[-1].copy()
    state.setflags(write=False)
    return RestInfo(metrics.SPONTANEOUS, float(np.mean(out[t >= from_ms, 0])), float(rate),
                    False, state)


def _quiet(state: np.ndarray, converged: bool, v_mV: float | None = None) -> RestInfo:
    state.setflags(write=False)
    v = float(state[0]) if v_mV is None else v_mV
    kind = metrics.DEPOLARISATION_BLOCK if v > metrics.BLOCK_V_MV else metrics.SILENT
    return RestInfo(kind, v, 0.0, converged, state)


def rest_state(params: DRGParams, dt_ms: float = DEFAULT_DT_MS) -> np.ndarray:
    """The state the cell settles to without stimulus (see :func:`rest_info`).

    For a quiet cell this is its resting state (an exact equilibrium); for a cell that
    fires on its own, a point on its firing cycle. Read-only (it is cached and shared).
    """
    return rest_info(params, dt_ms).state


def _initial_state(params: DRGParams, initial, dt_ms: float) -> np.ndarray:
    if isinstance(initial, str):
        if initial == "rest":
            return rest_state(params, dt_ms).copy()
        if initial == "modeldb":
            return steady_state(V_INIT_MV)
        raise ValueError(f"initial = {initial!r} is not allowed: use 'rest', 'modeldb' "
                         "or a state vector of length 9")
    state = check_array("initial", initial, -np.inf, np.inf, ndim=1)
    if state.shape != (9,):
        raise ValueError("initial state must be 9 finite numbers (V and eight gates)")
    check_range("initial V (initial[0], mV)", state[0], *VALID_V_RANGE_MV)
    check_array("initial gates (initial[1:])", state[1:], 0.0, 1.0)
    return state.copy()


# ---------------------------------------------------------------- results ---------------

@dataclass(frozen=True)
class DRGResult:
    """One simulation: full-resolution states, stimulus (pA), spikes and inputs."""

    t_ms: np.ndarray
    v_mV: np.ndarray
    states: np.ndarray        # shape (n, 9), order STATE_NAMES
    i_stim_pA: np.ndarray
    spike_times_ms: np.ndarray
    params: DRGParams
    stimulus: Stimulus
    stopped_early: bool

    @property
    def n_spikes(self) -> int:
        return int(self.spike_times_ms.size)

    @property
    def out_of_range(self) -> bool:
        """True if V left ``VALID_V_RANGE_MV`` at any time (see there)."""
        return bool(self.v_mV.min() < VALID_V_RANGE_MV[0]
                    or self.v_mV.max() > VALID_V_RANGE_MV[1])


def simulate(params: DRGParams = HEALTHY, stimulus: Stimulus | None = None,
             t_stop_ms: float | None = None, dt_ms: float = DEFAULT_DT_MS,
             stop_at_first_spike_after_ms: float | None = None,
             initial: str | np.ndarray = "rest") -> DRGResult:
    """Run the DRG model.

    stimulus: a protocol from ``stimulus.py`` with amplitude in pA; default a 500 ms step
        of 0 pA from t = 100 ms.
    t_stop_ms: default = end of the stimulus (at least 600 ms).
    stop_at_first_spike_after_ms: stop at the first spike at or after this time.
    initial: "rest" (default) starts from the cell's own resting state, found by letting
        it sit for 1 s without stimulus (see :func:`rest_state`), so a changed cell does not
        fire an artefactual spike while drifting from the healthy resting potential;
        "modeldb" starts at ModelDB's V = -66.478 mV with every gate at steady state (the
        healthy cell's rest); or a state vector of length 9.
    """
    check_params("params", params, DRGParams)
    if stimulus is None:
        stimulus = Step(0.0, STEP_START_MS, STEP_DURATION_MS)
    check_stimulus(stimulus)
    dt_ms = check_range("dt_ms", dt_ms, *DT_RANGE_MS)
    if t_stop_ms is None:
        t_stop_ms = max(stimulus.end_ms, STEP_START_MS + STEP_DURATION_MS)
    t_stop_ms = check_range("t_stop_ms", t_stop_ms, dt_ms, 120_000.0)
    if stop_at_first_spike_after_ms is not None:
        check_range("stop_at_first_spike_after_ms", stop_at_first_spike_after_ms, 0.0, t_stop_ms)
    n = int(round(t_stop_ms / dt_ms))
    to_density = 100.0 / params.area_um2          # pA -> uA/cm2
    i0, i1, i2 = (a * to_density for a in stage_samples(stimulus, dt_ms, n))
    stop_step = toolkit.first_spike_step(stop_at_first_spike_after_ms, dt_ms)
    out, taken = _integrate(_initial_state(params, initial, dt_ms), i0, i1, i2, dt_ms,
                            _kernel_params(params), RATE_TABLE, stop_step,
                            metrics.SPIKE_REARM_MV, metrics.MAX_SPIKE_WIDTH_MS)
    states = out[: taken + 1]
    t = np.arange(taken + 1) * dt_ms
    v = states[:, 0]
    return DRGResult(t_ms=t, v_mV=v, states=states, i_stim_pA=stimulus.waveform(t),
                     spike_times_ms=metrics._spike_times(t, v), params=params,
                     stimulus=stimulus, stopped_early=taken < n)


def channel_currents(result: DRGResult) -> dict[str, np.ndarray]:
    """Whole-cell current of each channel in pA (negative = inward), at every time point."""
    _check_result(result)
    p = result.params
    s = result.states
    v = s[:, 0]
    to_pA = p.area_um2 / 100.0                   # uA/cm2 -> pA
    return {
        "nav17": to_pA * p.g_nav17_mS_cm2 * s[:, 1] ** 3 * s[:, 2] * s[:, 3] * (v - p.e_na_mV),
        "nav18": to_pA * p.g_nav18_mS_cm2 * s[:, 4] * s[:, 5] * (v - p.e_na_mV),
        "kdr": to_pA * p.g_kdr_mS_cm2 * s[:, 6] * (v - p.e_k_mV),
        "ka": to_pA * p.g_ka_mS_cm2 * s[:, 7] * s[:, 8] * (v - p.e_k_mV),
        "leak": to_pA * p.g_leak_mS_cm2 * (v - p.e_leak_mV),
    }


# ---------------------------------------------------------------- metrics ---------------

def step_response(params: DRGParams, amplitude_pA: float, dt_ms: float = DEFAULT_DT_MS,
                  duration_ms: float = STEP_DURATION_MS, **kwargs) -> DRGResult:
    """The standard protocol: a step of ``amplitude_pA`` from t = 100 ms (500 ms long)."""
    check_range("amplitude_pA", amplitude_pA, -RHEOBASE_MAX_PA, RHEOBASE_MAX_PA)
    return simulate(params, Step(amplitude_pA, STEP_START_MS, duration_ms), dt_ms=dt_ms,
                    **kwargs)


def _check_result(result) -> None:
    if not isinstance(result, DRGResult):
        raise ValueError(f"result = {result!r:.80} is not allowed: it must be a DRGResult "
                         "(what drg.simulate returns)")


def firing_pattern(result: DRGResult) -> str:
    """Pattern name of a step response (see ``metrics.classify_pattern``)."""
    _check_result(result)
    stim = result.stimulus
    return metrics._classify_pattern(result.spike_times_ms, result.t_ms, result.v_mV,
                                    stim.start_ms, stim.end_ms, settle_ms=20.0)


def resting_potential(params: DRGParams, dt_ms: float = DEFAULT_DT_MS) -> float:
    """Membrane potential (mV) at zero stimulus once settled (see :func:`rest_info`).

    For a cell that fires on its own: the mean over the measured part of the settling run.
    """
    return rest_info(params, dt_ms).v_mV


def fires_during_step(params: DRGParams, amplitude_pA: float,
                      dt_ms: float = DEFAULT_DT_MS) -> bool:
    """True if a 500 ms step from rest evokes at least one spike.

    The run stops at the first spike, or earlier once the cell has settled at a stable
    equilibrium under the step (then no spike can follow: see ``_settled_quietly``), which
    makes the many non-firing runs of a rheobase search cheap without changing any answer
    (tests/science/test_drg.py compares with full-length runs).
    """
    check_params("params", params, DRGParams)
    dt_ms = check_range("dt_ms", dt_ms, *DT_RANGE_MS)
    check_range("amplitude_pA", amplitude_pA, -RHEOBASE_MAX_PA, RHEOBASE_MAX_PA)
    stimulus = Step(amplitude_pA, 0.0, STEP_DURATION_MS)
    check_stimulus(stimulus)
    n = int(round(STEP_DURATION_MS / dt_ms))
    i0, i1, i2 = (a * (100.0 / params.area_um2) for a in step_stage_samples(stimulus, dt_ms, n))
    p = _kernel_params(params)
    return toolkit.fires_with_early_stops(
        _integrate, rest_state(params, dt_ms).copy(), i0, i1, i2, dt_ms, (p, RATE_TABLE), 0,
        int(round(QUIET_AFTER_MS / dt_ms)), QUIET_RATE,
        lambda state, i_density: _settled_quietly(state, p, i_density))


QUIET_AFTER_MS = 20.0    # no standstill test during the step's first 20 ms


RHEOBASE_MAX_PA = 2000.0     # the largest step the stimulus protocols allow


def rheobase(params: DRGParams, tolerance_pA: float = 1.0, dt_ms: float = DEFAULT_DT_MS,
             guess_pA: float | None = None) -> float:
    """Smallest 500 ms step (pA, on a grid of ``tolerance_pA``) that evokes a spike.

    0 if the cell fires on its own; ``inf`` if no step up to ``RHEOBASE_MAX_PA`` fires;
    ``nan`` if the cell sits in depolarisation block (a held plateau has no threshold).
    ``guess_pA`` (e.g. the rheobase of the previous slider
    position) only makes the search cheaper; the answer does not depend on it. Cached.
    """
    check_params("params", params, DRGParams)
    tolerance_pA = check_positive("tolerance_pA", tolerance_pA, 100.0)
    dt_ms = check_range("dt_ms", dt_ms, *DT_RANGE_MS)
    if guess_pA is not None:
        guess_pA = check_range("guess_pA", guess_pA, 0.0, RHEOBASE_MAX_PA)
    return _rheobase(params, tolerance_pA, dt_ms, guess_pA)


@toolkit.cache_ignoring_hint(maxsize=4096)
def _rheobase(params: DRGParams, tolerance_pA: float, dt_ms: float,
              guess_pA: float | None) -> float:
    kind = rest_info(params, dt_ms).kind
    if kind == metrics.SPONTANEOUS:
        return 0.0
    if kind == metrics.DEPOLARISATION_BLOCK:
        return math.nan
    return metrics.rheobase_search(lambda a: fires_during_step(params, a, dt_ms), guess_pA,
                                   tolerance=tolerance_pA, first_high=128.0,
                                   max_high=RHEOBASE_MAX_PA)


def spontaneous_rate(params: DRGParams, dt_ms: float = DEFAULT_DT_MS) -> float:
    """Firing rate (Hz) at zero stimulus, from the mean inter-spike interval once the cell
    has fired for ``SETTLE_MS / 2`` (see :func:`rest_info`); 0 for a quiet cell."""
    return rest_info(params, dt_ms).rate_hz


def fi_curve(params: DRGParams, amplitudes_pA, dt_ms: float = DEFAULT_DT_MS
             ) -> tuple[np.ndarray, np.ndarray]:
    """Mean rate (Hz) during the 500 ms step for each amplitude."""
    amplitudes_pA = check_array("amplitudes_pA", amplitudes_pA, -RHEOBASE_MAX_PA,
                                RHEOBASE_MAX_PA, ndim=1)

    def rate(a: float) -> float:
        res = step_response(params, a, dt_ms=dt_ms)
        return metrics.rate_hz(res.spike_times_ms, STEP_START_MS,
                               STEP_START_MS + STEP_DURATION_MS)
    return metrics.fi_curve(rate, amplitudes_pA)
