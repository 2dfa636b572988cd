"""Reversing central sensitisation: the switch can be turned back, less easily the longer it was on.

What it models (OUR OWN TEACHING MODEL)
    The bistable sensitisation switch S of ``sensitisation.py``, with one addition: a slow
    CONSOLIDATION variable M (0-1) that follows S over months and deepens the sensitised state
    by lowering the switch's threshold::

        tau_S dS/dt = -S + logistic((w_C r + kappa S - theta_eff - h) / sigma)
        tau_M dM/dt = S - M
        theta_eff   = theta + fresh_margin - depth x M

    * r: ectopic drive (``drive_before`` while the cause is active; reduced by
      ``drive_reduction`` when treatment starts: "sustained lower drive").
    * h: extra inhibition during treatment (``inhibition_boost`` for ``treatment_months``):
      a stand-in for everything that strengthens inhibition or dampens the cord's
      self-reinforcement (drugs acting on descending inhibition, exercise, pain education).
    * Freshly sensitised (M = 0), theta_eff is high enough that S has no high state without
      drive: removing the cause alone lets S fall. As M grows, the high state persists
      without drive, and only extra inhibition removes it; the longer S was high, the more
      inhibition and the more time it takes (S crawls past the vanishing high state slowly).
      Once S is below its tipping point it stays low after treatment ends (the low state is
      stable too), and M then decays.

    Why a consolidation variable: in people, pain and hypersensitivity often ease over months
    once the cause is gone, yet long-standing pain is harder to treat. Central sensitisation
    involves slow processes (gene expression, glial activation, structural change of
    synapses) layered on fast ones; M lumps the slow ones into one number. This justification
    is qualitative: M, its time constant and its effect are our choices, not measurements.

    :func:`reversal_cohort` runs a virtual cohort and gives the fraction who recover against
    months sensitised and what was done.

Source
    OUR TEACHING MODEL, built on the course's switch (SCIENCE.md section 4). Ideas: central
    sensitisation (Woolf 2011, Pain 152:S2, doi:10.1016/j.pain.2010.09.030); no treatment is
    proven to reverse established neuropathic pain (Petersen et al. 2022, Diabetes Care 45:e3,
    doi:10.2337/dc21-1813: "no disease-modifying treatments" for painful diabetic neuropathy).

What it leaves out
    Everything the switch leaves out, plus: which treatment raises inhibition by how much (h is
    not a dose of any drug), relapse triggers, mood, sleep. Numbers of months are illustrations.

Units
    time in days (months = 30.44 days); S, M, drives, theta, h dimensionless; model pain signal in % of the model's maximum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from ._validation import Validated, check_array, check_bool, check_range, params_or_default, validate_fields
from .dorsal_horn import DorsalHornParams
from .sensitisation import SensitisationParams
from .timeline import DAYS_PER_MONTH, RESOLVED_BELOW, TimelineParams, pain_signal

RANGES: dict[str, tuple[float, float]] = {
    "months_sensitised": (0.0, 120.0),
    "drive_before": (0.0, 2.0),
    "drive_reduction": (0.0, 1.0),
    "inhibition_boost": (0.0, 0.5),
    "treatment_months": (0.0, 60.0),
    "follow_up_months": (1.0, 120.0),
    "tau_M_days": (30.0, 3650.0),
    "fresh_margin": (0.0, 0.5),
    "depth": (0.0, 0.5),
    "dt_days": (0.5, 5.0),
}


@dataclass(frozen=True)
class ReversalParams(Validated):
    """One patient: months sensitised, then a treatment (our teaching values; see module docstring).

    drive_reduction: fraction of the ectopic drive removed when treatment starts (1 = cause gone).
    inhibition_boost: extra inhibition h during the first treatment_months of treatment.
    follow_up_months: from the start of treatment. tau_M_days: consolidation time constant.
    fresh_margin: how far above the default theta a fresh switch's threshold sits; depth: how
    much full consolidation lowers it.
    """

    months_sensitised: float = 6.0
    drive_before: float = 0.9
    drive_reduction: float = 1.0
    inhibition_boost: float = 0.12
    treatment_months: float = 6.0
    follow_up_months: float = 18.0
    tau_M_days: float = 365.0
    fresh_margin: float = 0.18
    depth: float = 0.25
    dt_days: float = 1.0

    def validate(self) -> "ReversalParams":
        validate_fields(self, RANGES)
        return self


@njit(cache=True)
def _step(s, m, r, h, k_s, k_m, w_c, kappa, theta0, depth, sigma):
    x = (w_c * r + kappa * s - (theta0 - depth * m) - h) / sigma
    s_new = s + k_s * (0.5 * (1.0 + np.tanh(0.5 * x)) - s)
    m_new = m + k_m * (s - m)
    return s_new, m_new


@njit(cache=True)
def _reversal_series(n_before, n_after, n_treat, s0, r_before, r_after, h, dt, tau_s, tau_m, w_c, kappa,
                     theta0, depth, sigma):
    n = n_before + n_after
    S = np.empty(n)
    M = np.empty(n)
    k_s = 1.0 - np.exp(-dt / tau_s)
    k_m = 1.0 - np.exp(-dt / tau_m)
    s = s0
    m = 0.0
    for j in range(n):
        S[j] = s
        M[j] = m
        if j < n_before:
            s, m = _step(s, m, r_before, 0.0, k_s, k_m, w_c, kappa, theta0, depth, sigma)
        else:
            hh = h if j - n_before < n_treat else 0.0
            s, m = _step(s, m, r_after, hh, k_s, k_m, w_c, kappa, theta0, depth, sigma)
    return S, M


@dataclass(frozen=True)
class ReversalResult:
    t_days: np.ndarray  # from the onset of sensitisation
    S: np.ndarray
    M: np.ndarray
    drive: np.ndarray
    pain_signal: np.ndarray
    treatment_day: float
    recovered: bool  # pain signal below RESOLVED_BELOW at the end
    days_to_recovery: float  # from the start of treatment to the first day S < 0.5 (nan if never)

    @property
    def t_months(self) -> np.ndarray:
        return self.t_days / DAYS_PER_MONTH


def _theta0(sens: SensitisationParams, p: ReversalParams) -> float:
    return sens.theta + p.fresh_margin


def simulate_reversal(params: ReversalParams | None = None, sens: SensitisationParams | None = None,
                      dh: DorsalHornParams | None = None, background: TimelineParams | None = None) -> ReversalResult:
    """S, M and the model pain signal from the onset of sensitisation through treatment and follow-up."""
    p = params_or_default("params", params, ReversalParams)
    sens = params_or_default("sens", sens, SensitisationParams)
    dh = params_or_default("dh", dh, DorsalHornParams)
    background = params_or_default("background", background, TimelineParams)
    n_before = int(round(p.months_sensitised * DAYS_PER_MONTH / p.dt_days))
    n_after = int(round(p.follow_up_months * DAYS_PER_MONTH / p.dt_days)) + 1
    n_treat = int(round(p.treatment_months * DAYS_PER_MONTH / p.dt_days))
    r_after = p.drive_before * (1.0 - p.drive_reduction)
    S, M = _reversal_series(n_before, n_after, n_treat, 0.99, p.drive_before, r_after, p.inhibition_boost,
                            p.dt_days, sens.tau_S_days, p.tau_M_days, sens.w_C, sens.kappa, _theta0(sens, p),
                            p.depth, sens.sigma)
    t = np.arange(S.size, dtype=float) * float(p.dt_days)
    drive = np.where(np.arange(S.size) < n_before, p.drive_before, r_after)
    _, pain = pain_signal(dh, sens, S, drive, background)
    low = np.nonzero(S[n_before:] < 0.5)[0]
    days = float(low[0] * p.dt_days) if low.size else np.nan
    return ReversalResult(t, S, M, drive, pain, float(n_before * p.dt_days), bool(pain[-1] < RESOLVED_BELOW), days)


# ----- the virtual cohort -------------------------------------------------------------------------
TREATMENTS: dict[str, tuple[float, float]] = {
    # name: (drive_reduction, inhibition_boost)
    "cause removed": (1.0, 0.0),
    "inhibition only (cause still active)": (0.0, 0.12),
    "both": (1.0, 0.12),
}
DEFAULT_MONTHS = (1.0, 3.0, 6.0, 12.0, 24.0, 48.0)

COHORT_RANGES: dict[str, tuple[float, float]] = {
    "n_patients": (10, 100_000),
    "seed": (0, 2**32 - 1),
    "kappa_sd": (0.0, 0.3),
    "theta_sd": (0.0, 0.3),
    "tau_S_log_sd": (0.0, 1.0),
    "tau_M_log_sd": (0.0, 1.0),
    "boost_log_sd": (0.0, 1.5),
    "treatment_months": (0.0, 60.0),
    "follow_up_months": (1.0, 120.0),
}


@dataclass(frozen=True)
class ReversalCohortParams(Validated):
    """How the virtual patients vary (our invented spreads) and how long treatment lasts."""

    n_patients: int = 1000
    seed: int = 2011
    kappa_sd: float = 0.05
    theta_sd: float = 0.03
    tau_S_log_sd: float = 0.25
    tau_M_log_sd: float = 0.3
    boost_log_sd: float = 0.5
    treatment_months: float = 6.0
    follow_up_months: float = 18.0

    def validate(self) -> "ReversalCohortParams":
        validate_fields(self, COHORT_RANGES)
        if int(self.n_patients) != self.n_patients or int(self.seed) != self.seed:
            raise ValueError(f"n_patients = {self.n_patients!r} and seed = {self.seed!r} must be whole numbers")
        return self


@njit(cache=True, parallel=True)
def _cohort_kernel(months_days, reductions, boosts, follow_days, treat_days, dt, r0, tau_s, tau_m, kappa,
                   theta0, boost_scale, w_c, depth, sigma):
    """Final S and days-to-recovery for every (months, treatment, patient).

    The sensitised phase is shared: each patient runs forward once through the sorted months
    grid, and every treatment branches off from there.
    """
    n_m = months_days.size
    n_t = reductions.size
    n_p = kappa.size
    s_end = np.empty((n_m, n_t, n_p))
    days_rec = np.empty((n_m, n_t, n_p))
    n_after = int(follow_days / dt + 0.5)
    n_treat = int(treat_days / dt + 0.5)
    for i in prange(n_p):  # patients are independent
        k_s = 1.0 - np.exp(-dt / tau_s[i])
        k_m = 1.0 - np.exp(-dt / tau_m[i])
        s = 0.99
        m = 0.0
        done = 0
        for a in range(n_m):
            target = int(months_days[a] / dt + 0.5)
            while done < target:
                s, m = _step(s, m, r0, 0.0, k_s, k_m, w_c, kappa[i], theta0[i], depth, sigma)
                done += 1
            for b in range(n_t):
                ss = s
                mm = m
                r = r0 * (1.0 - reductions[b])
                h = boosts[b] * boost_scale[i]
                first = np.nan
                for j in range(n_after):
                    hh = h if j < n_treat else 0.0
                    ss, mm = _step(ss, mm, r, hh, k_s, k_m, w_c, kappa[i], theta0[i], depth, sigma)
                    if ss < 0.5 and np.isnan(first):
                        first = (j + 1) * dt
                s_end[a, b, i] = ss
                days_rec[a, b, i] = first
    return s_end, days_rec


@dataclass(frozen=True)
class ReversalCohortResult:
    months: np.ndarray  # months sensitised before treatment
    treatments: tuple[str, ...]
    recovered_fraction: np.ndarray  # shape (months, treatments)
    median_days_to_recovery: np.ndarray  # among those who recovered (nan if nobody), same shape

    def table(self) -> list[dict]:
        """Rows for printing: months, then the recovered per cent under each treatment."""
        rows = []
        for a, m in enumerate(self.months):
            row = {"months sensitised": float(m)}
            for b, name in enumerate(self.treatments):
                row[name] = round(100.0 * float(self.recovered_fraction[a, b]), 1)
            rows.append(row)
        return rows


def reversal_cohort(months=DEFAULT_MONTHS, treatments: dict[str, tuple[float, float]] | None = None,
                    cohort: ReversalCohortParams | None = None, base: ReversalParams | None = None,
                    sens: SensitisationParams | None = None, dh: DorsalHornParams | None = None,
                    background: TimelineParams | None = None) -> ReversalCohortResult:
    """Fraction who recover (pain signal below RESOLVED_BELOW at the end) by months sensitised and treatment.

    ``treatments`` maps a name to (drive_reduction, inhibition_boost); each patient's boost is
    the treatment's boost times their own response factor (log-normal, ``boost_log_sd``).
    """
    c = params_or_default("cohort", cohort, ReversalCohortParams)
    base = params_or_default("base", base, ReversalParams)
    sens = params_or_default("sens", sens, SensitisationParams)
    dh = params_or_default("dh", dh, DorsalHornParams)
    background = params_or_default("background", background, TimelineParams)
    treatments = TREATMENTS if treatments is None else treatments
    if not isinstance(treatments, Mapping) or not all(
            isinstance(v, (tuple, list)) and len(v) == 2 for v in treatments.values()):
        raise ValueError(f"treatments = {treatments!r:.80} is not allowed: it must map each treatment's "
                         "name to (drive_reduction, inhibition_boost)")
    if not treatments:
        raise ValueError("treatments must name at least one treatment")
    names = tuple(treatments)
    red = np.array([check_range(f"treatments[{k!r}] drive_reduction", v[0], 0.0, 1.0) for k, v in treatments.items()])
    boo = np.array([check_range(f"treatments[{k!r}] inhibition_boost", v[1], 0.0, 0.5) for k, v in treatments.items()])
    months = np.atleast_1d(check_array("months", months, 0.0, 120.0))
    if months.ndim != 1 or months.size == 0:
        raise ValueError("months must be a non-empty list of months from 0 to 120")
    order = np.argsort(months, kind="stable")
    rng = np.random.default_rng(int(c.seed))
    n = int(c.n_patients)
    kappa = np.clip(rng.normal(sens.kappa, c.kappa_sd, n), 0.0, 2.0)
    theta0 = np.clip(rng.normal(sens.theta, c.theta_sd, n), 0.0, 2.0) + base.fresh_margin
    tau_s = np.clip(sens.tau_S_days * np.exp(rng.normal(0.0, c.tau_S_log_sd, n)), 1.0, 365.0)
    tau_m = np.clip(base.tau_M_days * np.exp(rng.normal(0.0, c.tau_M_log_sd, n)), 30.0, 3650.0)
    scale = np.exp(rng.normal(0.0, c.boost_log_sd, n))
    s_sorted, d_sorted = _cohort_kernel(
        months[order] * DAYS_PER_MONTH, red, boo, c.follow_up_months * DAYS_PER_MONTH,
        c.treatment_months * DAYS_PER_MONTH, base.dt_days, base.drive_before, tau_s, tau_m, kappa, theta0,
        scale, sens.w_C, base.depth, sens.sigma,
    )
    s_end = np.empty_like(s_sorted)
    d_rec = np.empty_like(d_sorted)
    s_end[order] = s_sorted
    d_rec[order] = d_sorted
    r_end = base.drive_before * (1.0 - red)[None, :, None]
    _, pain = pain_signal(dh, sens, s_end, r_end, background)
    recovered = pain < RESOLVED_BELOW
    frac = recovered.mean(axis=2)
    med = np.full(frac.shape, np.nan)
    for a in range(months.size):
        for b in range(len(names)):
            d = d_rec[a, b][recovered[a, b] & np.isfinite(d_rec[a, b])]
            if d.size:
                med[a, b] = float(np.median(d))
    return ReversalCohortResult(months, names, frac, med)


#: The reversal lab's "lower the drive" without removing the cause: half the drive (our choice).
LOWER_DRIVE_REDUCTION = 0.5
#: Follow-up after a course of treatment: at least 18 months, and 12 months past its end (our choice,
#: long enough for the slow consolidation variable to show whether S stays down).
MIN_FOLLOW_UP_MONTHS = 18.0
AFTER_TREATMENT_MONTHS = 12.0


def treatment_levels(cause_removed: bool, stronger_inhibition: bool, lower_drive: bool,
                     params: ReversalParams | None = None) -> tuple[float, float]:
    """(drive_reduction, inhibition_boost) for a combination of the reversal lab's three treatments:
    removing the cause takes all the drive away; lowering the drive without removing the cause takes
    ``LOWER_DRIVE_REDUCTION``; stronger inhibition adds the model's ``inhibition_boost``."""
    p = params_or_default("params", params, ReversalParams)
    removed = check_bool("cause_removed", cause_removed)
    inhibit = check_bool("stronger_inhibition", stronger_inhibition)
    lower = check_bool("lower_drive", lower_drive)
    reduction = 1.0 if removed else (LOWER_DRIVE_REDUCTION if lower else 0.0)
    return reduction, (p.inhibition_boost if inhibit else 0.0)


def follow_up_after(treatment_months: float) -> float:
    """Months of follow-up for a course of ``treatment_months`` (see ``MIN_FOLLOW_UP_MONTHS``)."""
    months = check_range("treatment_months", treatment_months, *RANGES["treatment_months"])
    return max(MIN_FOLLOW_UP_MONTHS, months + AFTER_TREATMENT_MONTHS)


__all__ = [
    "COHORT_RANGES",
    "DEFAULT_MONTHS",
    "RANGES",
    "ReversalCohortParams",
    "ReversalCohortResult",
    "ReversalParams",
    "ReversalResult",
    "TREATMENTS",
    "follow_up_after",
    "reversal_cohort",
    "simulate_reversal",
    "treatment_levels",
]
