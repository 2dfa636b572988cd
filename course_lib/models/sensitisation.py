"""Central sensitisation as a switch that can stay on: a one-variable bistable teaching model.

What it models
    S (0 to 1) is the "sensitisation state" of the spinal cord's pain circuit: 0 = normal,
    1 = fully sensitised. Input from C fibres (r_C) pushes S up; S also reinforces itself
    (kappa, standing for the many positive-feedback loops of central sensitisation: NMDA
    receptor upregulation, glial activation, loss of inhibition...)::

        tau_S dS/dt = -S + 1 / (1 + exp(-(w_C r_C + kappa S - theta) / sigma))

    With enough self-reinforcement the switch has two stable states at r_C = 0: a low one
    (normal) and a high one (sensitised). Strong or long C input flips S into the high state,
    and it STAYS there after the input stops: pain without continued input from the injury.
    A necessary condition for two stable states is that the feedback can be steeper than the
    decay, kappa / (4 sigma) > 1 (the logistic's largest slope is 1/4). Whether both states
    exist at a given input also depends on theta and w_C r_C: :func:`fixed_points` finds them.
    Lowering kappa (the idea behind drugs that reduce transmitter release, e.g. gabapentinoids)
    to 0.5 removes the high state, so S falls back.

    Coupling to the dorsal horn gate model (``dorsal_horn.py``): C-fibre weights are scaled by
    (1 + G S) and inhibitory weights by (1 - D S), so a sensitised cord amplifies noxious input
    (hyperalgesia) and lets touch through the weakened gate (allodynia).

Source
    This is OUR OWN TEACHING MODEL (SCIENCE.md section 4): no compact published model of the
    persistence of central sensitisation was found. The ideas it stands for: central
    sensitisation (Woolf 2011, Pain 152:S2-S15, doi:10.1016/j.pain.2010.09.030), disinhibition
    through loss of KCC2 (Prescott, Sejnowski & De Koninck 2006, Mol Pain 2:32,
    doi:10.1186/1744-8069-2-32). The (1 + G S) / (1 - D S) coupling is ours too.

What it leaves out
    Everything molecular and cellular: S lumps many processes with different time courses into
    one number. Its time constant tau_S is a TEACHING COMPRESSION of weeks to months: real
    sensitisation has no single time constant. The brain's contribution (descending
    facilitation, cortical changes) is not separate here.

Units
    S dimensionless (0-1); r_C dimensionless C-fibre drive (same scale as the dorsal horn model's
    f_C); w_C, kappa, theta, sigma, G, D dimensionless; tau_S and time in days.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from numba import njit

from ._validation import Validated, check_array, check_int, check_params, check_range, validate_fields
from .dorsal_horn import DorsalHornParams

RANGES: dict[str, tuple[float, float]] = {
    "tau_S_days": (1.0, 365.0),
    "w_C": (0.0, 2.0),
    "kappa": (0.0, 2.0),
    "theta": (0.0, 2.0),
    "sigma": (0.02, 1.0),
    "G": (0.0, 3.0),
    "D": (0.0, 1.0),
}
DRIVE_RANGE = (0.0, 10.0)   # C-fibre drive r_C, the dorsal horn model's drive scale


@dataclass(frozen=True)
class SensitisationParams(Validated):
    """Parameters of the bistable S switch (our own teaching values, SCIENCE.md section 4).

    tau_S_days: time constant of S (teaching compression of weeks to months).
    w_C: how strongly C-fibre drive pushes S; kappa: self-reinforcement; theta: threshold;
    sigma: softness of the switch; G: extra gain on C-fibre synapses when S = 1;
    D: fraction of inhibition lost when S = 1.
    """

    tau_S_days: float = 20.0
    w_C: float = 0.34
    kappa: float = 1.0
    theta: float = 0.6
    sigma: float = 0.1
    G: float = 1.5
    D: float = 0.9

    def validate(self) -> "SensitisationParams":
        validate_fields(self, RANGES)
        return self


def drive_function(S, r_C, params: SensitisationParams):
    """The logistic target that S relaxes towards, for state(s) S and C drive r_C."""
    check_params("params", params, SensitisationParams)
    S = check_array("S", S, 0.0, 1.0)
    r_C = check_array("r_C", r_C, *DRIVE_RANGE)
    x = (params.w_C * np.asarray(r_C, dtype=float) + params.kappa * np.asarray(S, dtype=float) - params.theta) / params.sigma
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # = 1/(1+exp(-x)), without overflow warnings


def bistability_condition(params: SensitisationParams) -> bool:
    """True if kappa/(4 sigma) > 1: necessary (not sufficient) for two stable states."""
    check_params("params", params, SensitisationParams)
    return params.kappa / (4.0 * params.sigma) > 1.0


@dataclass(frozen=True)
class FixedPoint:
    """One fixed point of S and whether it is stable."""

    S: float
    stable: bool


def fixed_points(params: SensitisationParams, r_C: float = 0.0, n_grid: int = 4001) -> list[FixedPoint]:
    """All fixed points of S for constant C drive ``r_C``, lowest first, with their stability.

    Found by bracketing sign changes of F(S) = target(S) - S on a fine grid over [0, 1] (every
    fixed point lies there because the target is between 0 and 1), then bisection. A fixed
    point is stable when the target's slope there is below 1. (A fixed point that only touches
    zero without crossing, exactly at a saddle-node, can be missed.) Results are cached.
    """
    check_params("params", params, SensitisationParams)
    r_C = check_range("r_C", r_C, *DRIVE_RANGE)
    n_grid = check_int("n_grid", n_grid, 11, 1_000_001)
    return list(_fixed_points_cached(params, r_C, n_grid))


@lru_cache(maxsize=256)
def _fixed_points_cached(params: SensitisationParams, r_C: float, n_grid: int) -> tuple[FixedPoint, ...]:
    grid = np.linspace(0.0, 1.0, n_grid)
    f = drive_function(grid, r_C, params) - grid
    roots = [float(grid[k]) for k in np.nonzero(f == 0.0)[0]]  # exact hits on the grid
    for k in np.nonzero(f[:-1] * f[1:] < 0.0)[0]:
        lo, hi, f_lo = grid[k], grid[k + 1], f[k]
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            f_mid = float(drive_function(mid, r_C, params)) - mid
            if f_mid == 0.0:
                lo = hi = mid
                break
            if (f_mid > 0.0) == (f_lo > 0.0):
                lo, f_lo = mid, f_mid
            else:
                hi = mid
        roots.append(0.5 * (lo + hi))
    points: list[FixedPoint] = []
    for s_star in sorted(roots):
        if points and abs(points[-1].S - s_star) < 1e-6:
            continue
        target = float(drive_function(s_star, r_C, params))
        slope = params.kappa / params.sigma * target * (1.0 - target)
        points.append(FixedPoint(S=float(s_star), stable=bool(slope < 1.0)))
    return tuple(points)


def stable_states(params: SensitisationParams, r_C: float = 0.0) -> np.ndarray:
    """Stable fixed points of S at constant drive r_C, lowest first."""
    return np.array([p.S for p in fixed_points(params, r_C) if p.stable])


def is_bistable(params: SensitisationParams, r_C: float = 0.0) -> bool:
    """True if S has two stable states at constant drive r_C."""
    return stable_states(params, r_C).size >= 2


def threshold_state(params: SensitisationParams, r_C: float = 0.0) -> float:
    """The unstable middle fixed point: the tipping point between normal and sensitised.

    Returns +inf when there is no high state (S always falls back) and -inf when there is no low
    state (S always rises).
    """
    points = fixed_points(params, r_C)
    unstable = [p.S for p in points if not p.stable]
    if unstable and is_bistable(params, r_C):
        return float(unstable[0])
    stable = stable_states(params, r_C)
    if stable.size and stable[0] > 0.5:
        return -np.inf
    return np.inf


@njit(cache=True)
def _s_kernel(s0, r_c, dt_days, tau, w_c, kappa, theta, sigma):
    n = r_c.size
    out = np.empty(n)
    s = s0
    k = 1.0 - np.exp(-dt_days / tau)
    for j in range(n):
        x = (w_c * r_c[j] + kappa * s - theta) / sigma
        target = 0.5 * (1.0 + np.tanh(0.5 * x))
        s += k * (target - s)
        out[j] = s
    return out


def simulate_sensitisation(
    params: SensitisationParams, r_C: np.ndarray, dt_days: float = 1.0, S0: float | None = None
) -> np.ndarray:
    """S after each step of ``dt_days`` for a C-drive time course ``r_C`` (one value per step).

    S0 defaults to the lowest stable state at zero drive (a person before the injury).
    Exponential Euler: stable for any step and keeps S within [0, 1].
    """
    check_params("params", params, SensitisationParams)
    r_C = np.ascontiguousarray(check_array("r_C", r_C, *DRIVE_RANGE, ndim=1))
    # exponential Euler is stable for any step; 30 days keeps tau_S (>= 1 day) meaningful
    dt_days = check_range("dt_days", dt_days, 0.001, 30.0)
    S0 = resting_state(params) if S0 is None else check_range("S0", S0, 0.0, 1.0)
    return _s_kernel(
        float(S0), r_C, float(dt_days), params.tau_S_days, params.w_C, params.kappa, params.theta, params.sigma
    )


def resting_state(params: SensitisationParams) -> float:
    """The lowest stable state of S with no C drive (before any injury)."""
    return float(stable_states(params, 0.0)[0])


def couple_to_dorsal_horn(dh: DorsalHornParams, S: float, params: SensitisationParams) -> DorsalHornParams:
    """Dorsal horn parameters for sensitisation level S: C weights x (1+G S), inhibition x (1-D S)."""
    check_params("dh", dh, DorsalHornParams)
    check_params("params", params, SensitisationParams)
    S = check_range("S", S, 0.0, 1.0)
    gain = 1.0 + params.G * S
    keep = 1.0 - params.D * S
    return replace(
        dh,
        w_C_W=min(dh.w_C_W * gain, 5.0),
        w_C_E=min(dh.w_C_E * gain, 5.0),
        w_I_W=dh.w_I_W * keep,
        w_I_E=dh.w_I_E * keep,
    ).validate()


def with_kappa(params: SensitisationParams, kappa: float) -> SensitisationParams:
    """A copy with different self-reinforcement (e.g. 0.5: the gabapentinoid idea)."""
    check_params("params", params, SensitisationParams)
    return replace(params, kappa=check_range("kappa", kappa, *RANGES["kappa"])).validate()
