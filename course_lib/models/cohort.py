"""A virtual cohort: how the chance of full resolution falls with time to treatment (our model).

What it models
    Many virtual patients (1,000 by default), each the timeline model of ``timeline.py`` with
    their own parameters drawn from a seeded random generator:

    * kappa (how strongly sensitisation reinforces itself), normal around 1.0;
    * theta (the switch's threshold), normal around 0.6;
    * injury_drive (how much ectopic input the injured nerve sends), log-normal around 0.9;
    * healing_days (how fast the drive fades once the cause is removed), log-normal around 30;
    * tau_S_days (how fast sensitisation builds), log-normal around 20.

    For each time-to-treatment (months from injury to removal of the cause), every patient is
    simulated until ``follow_up_months`` after treatment, and counted as fully resolved if their
    model pain signal (our mapping, see ``timeline.py``) is below 10 % of the model's maximum then. The probability of full
    resolution at each time-to-treatment is the fraction of resolved patients. Nothing about the
    answer is written into the code: it emerges from each patient's switch tipping or not.

    Because every patient's sensitisation only ever gets pushed further by longer exposure, the
    curve can only fall (or stay level) as treatment is delayed. It falls gradually, not at a
    cliff, because patients tip at different times. The 3-month line used to call pain
    "chronic" (Treede et al. 2019, ICD-11) is a CLINICAL CONVENTION, NOT A BIOLOGICAL SWITCH:
    nothing in this model (or, as far as is known, in people) changes at exactly 3 months.

Source
    OUR OWN TEACHING MODEL. The parameter spreads are invented to give a plausible variety of
    patients; they are not fitted to any clinical data set, so the probabilities are an
    illustration of the idea "duration predicts resolution", not clinical estimates.

What it leaves out
    Everything else that differs between people (age, diabetes, the kind of nerve lesion, mood,
    sleep, other treatments), and any chance of later recovery from a treatment aimed at the
    central changes (see the intervention labs for those).

Units
    time in months (30.44 days) and days; drives and S dimensionless; model pain signal in % of the model's maximum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from ._validation import Validated, check_array, check_params, check_range, validate_fields
from .dorsal_horn import DorsalHornParams
from .sensitisation import SensitisationParams
from .timeline import DAYS_PER_MONTH, RESOLVED_BELOW, TimelineParams, _steady_W, signal_from_span

RANGES: dict[str, tuple[float, float]] = {
    "n_patients": (1, 100_000),
    "seed": (0, 2**32 - 1),
    "kappa_mean": (0.0, 2.0),
    "kappa_sd": (0.0, 0.5),
    "theta_mean": (0.0, 2.0),
    "theta_sd": (0.0, 0.5),
    "drive_median": (0.01, 2.0),
    "drive_log_sd": (0.0, 1.0),
    "healing_days_median": (1.0, 365.0),
    "healing_log_sd": (0.0, 1.0),
    "tau_S_days_median": (1.0, 365.0),
    "tau_S_log_sd": (0.0, 1.0),
    "follow_up_months": (1.0, 60.0),
    "dt_days": (0.1, 5.0),
}

DEFAULT_MONTHS = np.arange(0.0, 24.0 + 1e-9, 1.0)  # time-to-treatment grid, months


@dataclass(frozen=True)
class CohortParams(Validated):
    """How the virtual patients vary (our invented spreads; see module docstring)."""

    n_patients: int = 1000
    seed: int = 2024
    kappa_mean: float = 1.0
    kappa_sd: float = 0.08
    theta_mean: float = 0.6
    theta_sd: float = 0.03
    drive_median: float = 0.9
    drive_log_sd: float = 0.15
    healing_days_median: float = 30.0
    healing_log_sd: float = 0.4
    tau_S_days_median: float = 20.0
    tau_S_log_sd: float = 0.25
    follow_up_months: float = 12.0
    dt_days: float = 1.0

    def validate(self) -> "CohortParams":
        validate_fields(self, RANGES)
        for name in ("n_patients", "seed"):
            if int(getattr(self, name)) != getattr(self, name):
                raise ValueError(f"{name} = {getattr(self, name)!r} is not allowed: it must be a "
                                 f"whole number from {RANGES[name][0]:g} to {RANGES[name][1]:g}")
        return self


@dataclass(frozen=True)
class Patients:
    kappa: np.ndarray
    theta: np.ndarray
    injury_drive: np.ndarray
    healing_days: np.ndarray
    tau_S_days: np.ndarray
    S_rest: np.ndarray  # each patient's normal (pre-injury) sensitisation level


@dataclass(frozen=True)
class CohortResult:
    months: np.ndarray  # time to treatment, months
    p_resolved: np.ndarray  # fraction of patients fully resolved, per time-to-treatment
    resolved: np.ndarray  # bool, shape (len(months), n_patients)
    final_pain: np.ndarray  # model pain signal (%) at the end of follow-up, same shape
    patients: Patients

    def probability_at(self, month: float) -> float:
        """Probability of full resolution when the cause is removed at ``month`` (must be on the grid)."""
        idx = np.nonzero(np.isclose(self.months, check_range("month", month, 0.0, 120.0)))[0]
        if idx.size == 0:
            raise ValueError(f"month = {month!r} is not allowed: it must be on this cohort's grid "
                             f"{self.months.tolist()}")
        return float(self.p_resolved[idx[0]])


def _lowest_fixed_point(kappa, theta, sigma, w_c_r=0.0, iterations=400):
    """Lowest fixed point of S = target(S), vectorised: iterate upwards from S = 0.

    The target is increasing in S, so the iteration from 0 rises monotonically to the lowest
    fixed point.
    """
    s = np.zeros_like(kappa)
    for _ in range(iterations):
        s = 0.5 * (1.0 + np.tanh(0.5 * (w_c_r + kappa * s - theta) / sigma))
    return s


def draw_patients(cohort: CohortParams, sens: SensitisationParams) -> Patients:
    """Draw the cohort with a seeded generator; redraw anyone who would be sensitised before injury.

    A patient whose switch has no low state at zero drive would be in pain before any injury,
    which is not the situation the course is about, so their kappa and theta are drawn again.
    """
    check_params("cohort", cohort, CohortParams)
    check_params("sens", sens, SensitisationParams)
    rng = np.random.default_rng(int(cohort.seed))
    n = int(cohort.n_patients)
    kappa = np.clip(rng.normal(cohort.kappa_mean, cohort.kappa_sd, n), 0.0, 2.0)
    theta = np.clip(rng.normal(cohort.theta_mean, cohort.theta_sd, n), 0.0, 2.0)
    for _ in range(50):
        s_rest = _lowest_fixed_point(kappa, theta, sens.sigma)
        bad = s_rest > 0.5
        if not bad.any():
            break
        kappa[bad] = np.clip(rng.normal(cohort.kappa_mean, cohort.kappa_sd, bad.sum()), 0.0, 2.0)
        theta[bad] = np.clip(rng.normal(cohort.theta_mean, cohort.theta_sd, bad.sum()), 0.0, 2.0)
    else:
        raise ValueError("these cohort settings give patients who are sensitised before any injury")
    drive = np.clip(cohort.drive_median * np.exp(rng.normal(0.0, cohort.drive_log_sd, n)), 0.0, 2.0)
    healing = np.clip(cohort.healing_days_median * np.exp(rng.normal(0.0, cohort.healing_log_sd, n)), 1.0, 365.0)
    tau_s = np.clip(cohort.tau_S_days_median * np.exp(rng.normal(0.0, cohort.tau_S_log_sd, n)), 1.0, 365.0)
    return Patients(kappa, theta, drive, healing, tau_s, s_rest)


@njit(cache=True, parallel=True)
def _cohort_kernel(treat_days, follow_up_days, dt, kappa, theta, sigma, w_c, drive0, healing, tau_s, s_rest):
    """Final S and final drive for every (time-to-treatment, patient) pair.

    ``treat_days`` must be sorted ascending. The untreated phase is shared: each patient is run
    forward once, and every treatment time branches off from it. After treatment a branch stops
    early once the drive has faded to nothing and S has settled (nothing can change after that).
    Plain loops, so the kernel also runs without numba.
    """
    n_t = treat_days.size
    n_p = kappa.size
    s_end = np.empty((n_t, n_p))
    r_end = np.empty((n_t, n_p))
    n_after = int(follow_up_days / dt + 0.5)
    for j in prange(n_p):  # patients are independent
        k = 1.0 - np.exp(-dt / tau_s[j])
        fade = np.exp(-dt / healing[j])
        s_untreated = s_rest[j]
        steps_done = 0
        for i in range(n_t):
            n_before = int(treat_days[i] / dt + 0.5)
            while steps_done < n_before:  # continue the shared untreated phase
                x = 0.5 * (w_c * drive0[j] + kappa[j] * s_untreated - theta[j]) / sigma
                s_untreated += k * (0.5 * (1.0 + np.tanh(x)) - s_untreated)
                steps_done += 1
            s = s_untreated
            r = drive0[j]
            for _ in range(n_after):
                x = 0.5 * (w_c * r + kappa[j] * s - theta[j]) / sigma
                step = k * (0.5 * (1.0 + np.tanh(x)) - s)
                s += step
                r *= fade
                if w_c * r < 1e-6 and abs(step) < 1e-9:
                    r = 0.0
                    break
            s_end[i, j] = s
            r_end[i, j] = r
    return s_end, r_end


def run_cohort(
    months=DEFAULT_MONTHS,
    cohort: CohortParams | None = None,
    sens: SensitisationParams | None = None,
    dh: DorsalHornParams | None = None,
    timeline: TimelineParams | None = None,
) -> CohortResult:
    """Probability of full resolution for each time-to-treatment in ``months``.

    ``sens`` supplies the shared settings (sigma, w_C, G, D); each patient's own kappa and tau_S
    replace the defaults. ``timeline`` supplies the everyday background input for the model pain signal.
    """
    cohort = check_params("cohort", CohortParams() if cohort is None else cohort, CohortParams)
    sens = check_params("sens", SensitisationParams() if sens is None else sens,
                        SensitisationParams)
    dh = check_params("dh", DorsalHornParams() if dh is None else dh, DorsalHornParams)
    timeline = check_params("timeline", TimelineParams() if timeline is None else timeline,
                            TimelineParams)
    months = np.atleast_1d(check_array("months", months, 0.0, 120.0, allow_empty=False))
    if months.ndim != 1:
        raise ValueError("months must be a non-empty list of times from 0 to 120 months")
    patients = draw_patients(cohort, sens)
    order = np.argsort(months, kind="stable")
    s_sorted, r_sorted = _cohort_kernel(
        months[order] * DAYS_PER_MONTH,
        cohort.follow_up_months * DAYS_PER_MONTH,
        float(cohort.dt_days),
        patients.kappa,
        patients.theta,
        sens.sigma,
        sens.w_C,
        patients.injury_drive,
        patients.healing_days,
        patients.tau_S_days,
        patients.S_rest,
    )
    s_end = np.empty_like(s_sorted)
    r_end = np.empty_like(r_sorted)
    s_end[order] = s_sorted
    r_end[order] = r_sorted
    W_end = _steady_W(dh, sens, s_end, timeline.background_touch, timeline.background_C + r_end)
    W_healthy = _steady_W(dh, sens, patients.S_rest, timeline.background_touch, timeline.background_C)
    final_pain = pain_signal_from_W_per_patient(W_end, W_healthy, dh.W_max_Hz)
    resolved = final_pain < RESOLVED_BELOW
    return CohortResult(
        months=months,
        p_resolved=resolved.mean(axis=1),
        resolved=resolved,
        final_pain=final_pain,
        patients=patients,
    )


def pain_signal_from_W_per_patient(W_Hz: np.ndarray, W_healthy_Hz: np.ndarray, W_max_Hz: float) -> np.ndarray:
    """The model pain signal (% of maximum) of ``timeline.pain_signal_from_W``, with each patient's own healthy level."""
    W_max_Hz = check_range("W_max_Hz", W_max_Hz, 1.0, 500.0)
    W_Hz = check_array("W_Hz", W_Hz, 0.0, W_max_Hz)
    W_healthy_Hz = check_array("W_healthy_Hz", W_healthy_Hz, 0.0, W_max_Hz)
    return signal_from_span(W_Hz, W_healthy_Hz, W_max_Hz)


__all__ = ["CohortParams", "CohortResult", "DEFAULT_MONTHS", "Patients", "draw_patients", "run_cohort"]
