"""Removing the cause: four scenarios whose nerve drive changes over months (our teaching models).

What it models
    Each scenario produces a peripheral (ectopic) C-fibre drive that changes day by day, and
    :func:`run_drive` feeds it through the same chain as the 03 timeline model
    (``timeline.py``): the bistable sensitisation switch S (``sensitisation.py``) and the dorsal
    horn gate model's steady output, mapped onto our model pain signal (per cent of the model's
    maximum, ``timeline.py``). Treating the cause earlier means less drive for less time, so S is
    less likely to tip into its self-sustaining state, and less damage is left to recover.

    1. Diabetes (:class:`DiabetesParams`): nerve damage D accumulates every year at a rate that
       grows exponentially with HbA1c (glycaemic part) plus, in type 2, a part that glucose
       control does not touch (OUR TEACHING SIMPLIFICATION of the other risk factors, such as
       blood pressure, lipids and weight). D = 1 is our threshold for clinical neuropathy; the
       ectopic drive is proportional to D. Damage is not undone by better control; it only
       accumulates more slowly. :func:`virtual_glycaemic_trial` runs a virtual trial of
       intensive vs conventional control whose constants are CALIBRATED (:data:`TYPE1`,
       :data:`TYPE2`) so that type 1 reproduces the DCCT's roughly 60 % reduction in clinical
       neuropathy, and type 2 gives a small effect whose confidence interval crosses 1.
    2. Trapped nerve (:class:`TrappedNerveParams`): pressure causes demyelination (ectopic drive)
       and a slowly growing loss of axons; pressure is removed on a chosen day, after which the
       drive fades as described in ``recovery.py`` (remyelination in weeks, regrowth at about
       1 mm/day over the injury-to-target distance). The compression drive is OUR CHOICE, set
       below the level that tips S however long the pressure lasts (the switch tips only above
       a constant drive of about 0.83): cohorts after carpal tunnel release find that most people
       improve, including many who waited a long time, and that symptom duration predicts the
       outcome poorly (SCIENCE.md section 6). What a longer wait does in the model is lose more
       axons, which must regrow over months.
    3. Shingles (:class:`ShinglesParams`, :func:`shingles_cohort`): the reactivated virus
       inflames a nerve for a few weeks (acute drive proportional to acute pain severity) and
       may leave lasting damage. Vaccination prevents most shingles (about 90 % in ZOE-70,
       Cunningham et al. 2016). Severe acute pain is a risk factor for postherpetic neuralgia
       (rate ratio 2.23, Forbes et al. 2016): in the model, stronger and longer input is simply
       more likely to tip S.
    4. Chemotherapy (:class:`ChemoParams`): each cycle adds nerve damage, part of which recovers
       over months after the last dose; the dose can be kept, reduced or stopped from a chosen
       cycle. In reality that decision is made WITH THE ONCOLOGY TEAM, weighing the cancer
       treatment against the nerve damage; the model shows only the nerve side. Our values keep
       S below its tipping point at every dose, so that the usual step (a dose reduced by about a
       quarter) is never the one that fails: a full course leaves more lasting damage and a
       slower, less complete fading, not a tipped switch.

Source
    OUR OWN TEACHING MODELS built on the course's timeline model. Clinical facts they illustrate
    (see ``trials.PUBLISHED`` for every number and how it was checked): DCCT Research Group 1993
    (N Engl J Med 329:977, doi:10.1056/NEJM199309303291401), Callaghan et al. 2012 Cochrane
    CD007543 (doi:10.1002/14651858.CD007543.pub2), Cunningham et al. 2016 (N Engl J Med 375:1019,
    doi:10.1056/NEJMoa1603800), Forbes et al. 2016 (Pain 157:30, doi:10.1097/j.pain.0000000000000307).
    The calibration constants are fitted to reproduce the published effect sizes, not measured.

What it leaves out
    Everything that is not "drive over time": hypoglycaemia (the main harm of intensive control),
    blood pressure and lipid treatment, the virus's direct damage to the ganglion, antivirals,
    "coasting" (oxaliplatin neuropathy can go on worsening for up to about three months after the
    last dose; in the model damage is added only on dose days), the cancer itself, and the spread
    between people (one virtual person per scenario). Time constants are teaching choices.

Units
    time in days (years = 365.25 days, months = 30.44 days); HbA1c in per cent (DCCT units);
    damage D dimensionless (1 = our clinical-neuropathy threshold); drives dimensionless (the
    dorsal horn model's C-fibre drive scale); S 0-1; W in Hz; model pain signal in % of the model's
    maximum (ours, ``timeline.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from ._validation import (Validated, check_array, check_bool, check_choice, check_instance, check_int, check_params,
                          check_positive, check_range, params_or_default, validate_fields)
from .dorsal_horn import DorsalHornParams
from .recovery import RecoveryParams, recovery_drive
from .sensitisation import SensitisationParams, resting_state
from .timeline import DAYS_PER_MONTH, RESOLVED_BELOW, TimelineParams, pain_signal

DAYS_PER_YEAR = 365.25
MAX_DRIVE = 2.0  # the timeline model's largest injury drive


# ----- the shared chain: drive -> S -> dorsal horn -> model pain signal ---------------------------
@dataclass(frozen=True)
class DriveResult:
    """One person's months: drive in, sensitisation and the model pain signal out."""

    t_days: np.ndarray
    drive: np.ndarray  # ectopic drive, dimensionless
    S: np.ndarray  # sensitisation state, 0-1 (value at the start of each day)
    W_Hz: np.ndarray  # dorsal horn output under everyday input
    pain_signal: np.ndarray  # % of the model's maximum (0-100), our mapping (timeline.py)
    resolved: bool  # pain signal below RESOLVED_BELOW at the end

    @property
    def t_months(self) -> np.ndarray:
        return self.t_days / DAYS_PER_MONTH

    @property
    def final_pain(self) -> float:
        return float(self.pain_signal[-1])


@njit(cache=True)
def _s_series(s0, drive, dt_days, tau, w_c, kappa, theta, sigma):
    """S at the start of each step under a drive series (exponential Euler, as in timeline.py)."""
    n = drive.size
    out = np.empty(n)
    s = s0
    k = 1.0 - np.exp(-dt_days / tau)
    for j in range(n):
        out[j] = s
        x = (w_c * drive[j] + kappa * s - theta) / sigma
        s += k * (0.5 * (1.0 + np.tanh(0.5 * x)) - s)
    return out


@njit(cache=True)
def _s_batch(s0, drive, dt_days, tau, w_c, kappa, theta, sigma):
    """S at the end of the series for many people at once: drive has shape (people, steps)."""
    n_p, n_t = drive.shape
    out = np.empty(n_p)
    for i in range(n_p):
        k = 1.0 - np.exp(-dt_days / tau[i])
        s = s0[i]
        for j in range(n_t):
            x = (w_c * drive[i, j] + kappa[i] * s - theta[i]) / sigma
            s += k * (0.5 * (1.0 + np.tanh(0.5 * x)) - s)
        out[i] = s
    return out


def _check_drive_series(drive) -> np.ndarray:
    return np.ascontiguousarray(check_array("drive", drive, 0.0, 10.0, ndim=1, allow_empty=False))


def resolved_month(result: DriveResult) -> float:
    """First month from which the pain signal stays below the resolved level (``RESOLVED_BELOW``).

    0 if it never rises to that level; nan if it never falls back below it.
    """
    check_instance("result", result, DriveResult)
    above = np.nonzero(result.pain_signal >= RESOLVED_BELOW)[0]
    if above.size == 0:
        return 0.0
    if above[-1] == result.pain_signal.size - 1:
        return math.nan
    return float(result.t_months[above[-1] + 1])


def run_drive(
    drive,
    dt_days: float = 1.0,
    sens: SensitisationParams | None = None,
    dh: DorsalHornParams | None = None,
    background: TimelineParams | None = None,
    S0: float | None = None,
) -> DriveResult:
    """Feed a drive time course (one value per ``dt_days``) through S, the dorsal horn and the model pain signal.

    ``background`` supplies the everyday touch and C input (``TimelineParams`` fields
    background_touch and background_C); S0 defaults to the healthy resting state.
    """
    drive = _check_drive_series(drive)
    dt = check_range("dt_days", dt_days, 0.05, 5.0)
    sens = params_or_default("sens", sens, SensitisationParams)
    dh = params_or_default("dh", dh, DorsalHornParams)
    background = params_or_default("background", background, TimelineParams)
    s0 = resting_state(sens) if S0 is None else check_range("S0", S0, 0.0, 1.0)
    S = _s_series(s0, drive, dt, sens.tau_S_days, sens.w_C, sens.kappa, sens.theta, sens.sigma)
    W, pain = pain_signal(dh, sens, S, drive, background)
    t = np.arange(drive.size, dtype=float) * dt
    return DriveResult(t, drive, S, W, pain, bool(pain[-1] < RESOLVED_BELOW))


def _time_axis(follow_up_days: float, dt_days: float) -> np.ndarray:
    return np.arange(int(np.floor(follow_up_days / dt_days)) + 1, dtype=float) * float(dt_days)


# ----- 1. diabetes -------------------------------------------------------------------------------
#: HbA1c values the damage rate accepts (%): wider than the lab's sliders, because a virtual
#: trial's people are drawn around each arm's mean.
HBA1C_RANGE = (3.0, 25.0)


@dataclass(frozen=True)
class GlycaemicCalibration:
    """Constants of the damage-rate law, CALIBRATED to published trial effects (not measured).

    rate per year = susceptibility x (k_glyc x exp(beta x (HbA1c - 7)) + k_other)
    log-susceptibility ~ Normal(0, log_sd) across people; HbA1c ~ Normal(arm mean, hba1c_sd).
    """

    k_glyc_per_year: float
    beta_per_percent: float
    k_other_per_year: float
    log_sd: float
    hba1c_sd: float
    intensive_hba1c: float
    conventional_hba1c: float
    trial_years: float
    label: str


def calibrate_type1(conventional_incidence: float = 0.10, reduction: float = 0.60, years: float = 6.5,
                    intensive: float = 7.0, conventional: float = 9.0, log_sd: float = 1.0,
                    hba1c_sd: float = 0.7) -> GlycaemicCalibration:
    """Solve the type 1 constants in closed form so that the virtual trial reproduces ``reduction``.

    With no non-glycaemic part, log(damage at the end) is normal, so each arm's incidence is
    Phi((log(k T) + beta (H - 7)) / sd_total) with sd_total^2 = log_sd^2 + beta^2 hba1c_sd^2.
    The conventional-arm incidence (10 % by default) is OUR CHOICE, not a DCCT number; the DCCT
    figure we reproduce is the relative reduction (about 60 %).
    """
    from statistics import NormalDist

    conventional_incidence = check_range("conventional_incidence", conventional_incidence, 0.001, 0.99)
    reduction = check_range("reduction", reduction, 0.0, 0.99)
    years = check_range("years", years, 0.5, 40.0)
    intensive = check_range("intensive", intensive, *HBA1C_RANGE)
    conventional = check_range("conventional", conventional, *HBA1C_RANGE)
    if conventional <= intensive:
        raise ValueError(f"conventional = {conventional!r} is not allowed: it must be above "
                         f"intensive = {intensive!r} (the conventional arm's HbA1c is the higher one)")
    log_sd = check_positive("log_sd", log_sd, 5.0)
    hba1c_sd = check_positive("hba1c_sd", hba1c_sd, 5.0)
    z_conv = NormalDist().inv_cdf(conventional_incidence)
    z_int = NormalDist().inv_cdf(conventional_incidence * (1.0 - reduction))
    gap = conventional - intensive
    # beta = (z_conv - z_int) sd / gap and sd^2 = log_sd^2 + beta^2 hba1c_sd^2
    c = (z_conv - z_int) / gap
    if (c * hba1c_sd) ** 2 >= 1.0:
        # the HbA1c spread alone would already separate the arms more than the target reduction
        raise ValueError(f"hba1c_sd = {hba1c_sd!r} is not allowed with these arms: it must be below "
                         f"{1.0 / abs(c):.3g} %")
    sd = log_sd / math.sqrt(1.0 - (c * hba1c_sd) ** 2)
    beta = c * sd
    log_kT = z_int * sd - beta * (intensive - 7.0)
    return GlycaemicCalibration(
        k_glyc_per_year=math.exp(log_kT) / years,
        beta_per_percent=beta,
        k_other_per_year=0.0,
        log_sd=log_sd,
        hba1c_sd=hba1c_sd,
        intensive_hba1c=intensive,
        conventional_hba1c=conventional,
        trial_years=years,
        label="type 1 (calibrated to the DCCT's ~60% reduction)",
    )


TYPE1 = calibrate_type1()
# Type 2 (OUR ASSUMPTIONS): the same glycaemic law, but most damage comes from factors glucose
# control does not touch, and trials separate HbA1c by only about one point over about 5 years.
# Calibrated so that the relative reduction is small (about 10 %) and, at trial sizes like
# DEFAULT_TYPE2_N_PER_ARM, its 95 % confidence interval usually crosses 1.
TYPE2 = GlycaemicCalibration(
    k_glyc_per_year=0.012,
    beta_per_percent=TYPE1.beta_per_percent,
    k_other_per_year=0.045,
    log_sd=1.0,
    hba1c_sd=0.7,
    intensive_hba1c=7.0,
    conventional_hba1c=8.0,
    trial_years=5.0,
    label="type 2 (our assumptions; small, uncertain effect)",
)
CALIBRATIONS = {1: TYPE1, 2: TYPE2}
DEFAULT_TYPE2_N_PER_ARM = 600


SUSCEPTIBILITY_MAX = 1e6


def damage_rate_per_year(hba1c, diabetes_type: int = 1, susceptibility=1.0):
    """Nerve damage per year (threshold units) at a given HbA1c (%), vectorised.

    ``hba1c`` and ``susceptibility`` are numbers or arrays of finite numbers (HbA1c 3-25 %,
    susceptibility 0 or more): text, NaN, infinities and negative susceptibilities are refused.
    """
    cal = _calibration(diabetes_type)
    h = check_array("hba1c", hba1c, *HBA1C_RANGE)
    z = check_array("susceptibility", susceptibility, 0.0, SUSCEPTIBILITY_MAX)
    return z * (
        cal.k_glyc_per_year * np.exp(cal.beta_per_percent * (h - 7.0)) + cal.k_other_per_year
    )


def _calibration(diabetes_type) -> GlycaemicCalibration:
    # a whole number 1 or 2 (True, '1' and 1.5 are refused by name)
    return CALIBRATIONS[check_int("diabetes_type", diabetes_type, 1, 2)]


DIABETES_RANGES: dict[str, tuple[float, float]] = {
    "diabetes_type": (1, 2),
    "hba1c_before": (5.0, 14.0),
    "hba1c_after": (5.0, 14.0),
    "years_before_change": (0.0, 40.0),
    "follow_up_years": (0.5, 40.0),
    "susceptibility": (0.05, 20.0),
    "drive_per_damage": (0.0, 2.0),
    "dt_days": (0.5, 5.0),
}


@dataclass(frozen=True)
class DiabetesParams(Validated):
    """One person with diabetes (our teaching values).

    hba1c_before until ``years_before_change``, then hba1c_after (better control) until
    ``follow_up_years``. susceptibility multiplies the damage rate (1 = the cohort's median).
    drive_per_damage: ectopic drive per unit of damage (1 = the clinical threshold).
    """

    diabetes_type: int = 1
    hba1c_before: float = 9.0
    hba1c_after: float = 7.0
    years_before_change: float = 2.0
    follow_up_years: float = 15.0
    susceptibility: float = 3.0
    drive_per_damage: float = 0.5
    dt_days: float = 1.0

    def validate(self) -> "DiabetesParams":
        validate_fields(self, DIABETES_RANGES)
        _calibration(self.diabetes_type)
        return self


def diabetes_damage(params: DiabetesParams) -> tuple[np.ndarray, np.ndarray]:
    """(t_days, damage) for one person: damage accumulates, faster at higher HbA1c, never falls."""
    p = check_params("params", params, DiabetesParams)
    t = _time_axis(p.follow_up_years * DAYS_PER_YEAR, p.dt_days)
    change = p.years_before_change * DAYS_PER_YEAR
    h = np.where(t < change, p.hba1c_before, p.hba1c_after)
    rate_per_day = damage_rate_per_year(h, p.diabetes_type, p.susceptibility) / DAYS_PER_YEAR
    damage = np.concatenate([[0.0], np.cumsum(rate_per_day[:-1] * p.dt_days)])
    return t, damage


def diabetes_drive(params: DiabetesParams) -> tuple[np.ndarray, np.ndarray]:
    """(t_days, ectopic drive) for one person with diabetes."""
    t, damage = diabetes_damage(params)
    return t, np.minimum(params.drive_per_damage * damage, MAX_DRIVE)


def run_diabetes(params: DiabetesParams | None = None, sens=None, dh=None, background=None) -> DriveResult:
    """Drive, S and the model pain signal over the years for one person with diabetes."""
    p = params_or_default("params", params, DiabetesParams)
    _, drive = diabetes_drive(p)
    return run_drive(drive, p.dt_days, sens, dh, background)


@dataclass(frozen=True)
class GlycaemicTrialResult:
    diabetes_type: int
    n_per_arm: int
    years: float
    incidence_intensive: float  # fraction of the arm with clinical neuropathy at the end
    incidence_conventional: float
    relative_risk: float
    rr_ci95: tuple[float, float]  # log-normal (Katz) 95 % interval
    relative_reduction: float  # 1 - RR

    @property
    def significant(self) -> bool:
        return self.rr_ci95[1] < 1.0 or self.rr_ci95[0] > 1.0


def virtual_glycaemic_trial(diabetes_type: int = 1, n_per_arm: int = 20000, seed: int = 1993,
                            years: float | None = None) -> GlycaemicTrialResult:
    """Intensive vs conventional glucose control in two virtual arms (CALIBRATED, see TYPE1/TYPE2).

    Each virtual patient draws a susceptibility and an HbA1c around their arm's mean; clinical
    neuropathy = accumulated damage >= 1 by the end. Large arms show the model's true effect;
    arms the size of real trials show how uncertain a small effect is.
    """
    cal = _calibration(diabetes_type)
    n = check_int("n_per_arm", n_per_arm, 20, 1_000_000)
    seed = check_int("seed", seed, 0, 2**32 - 1)
    years = cal.trial_years if years is None else check_range("years", years, 0.5, 40.0)
    rng = np.random.default_rng(seed)
    incidence = []
    counts = []
    for mean_h in (cal.intensive_hba1c, cal.conventional_hba1c):
        z = np.exp(rng.normal(0.0, cal.log_sd, n))
        h = rng.normal(mean_h, cal.hba1c_sd, n)
        cases = int(np.count_nonzero(damage_rate_per_year(h, diabetes_type, z) * years >= 1.0))
        counts.append(cases)
        incidence.append(cases / n)
    a, b = counts
    rr = (a / n) / (b / n) if b else math.inf
    if a and b:
        se = math.sqrt(1 / a - 1 / n + 1 / b - 1 / n)
        ci = (rr * math.exp(-1.96 * se), rr * math.exp(1.96 * se))
    else:
        ci = (0.0, math.inf)
    return GlycaemicTrialResult(int(diabetes_type), n, float(years), incidence[0], incidence[1], rr, ci, 1.0 - rr)


# ----- 2. trapped nerve --------------------------------------------------------------------------
TRAPPED_RANGES: dict[str, tuple[float, float]] = {
    "release_day": (0.0, 3650.0),
    "released": (0.0, 1.0),
    "compression_drive": (0.0, 2.0),
    "max_axon_loss": (0.0, 1.0),
    "axon_loss_days": (10.0, 3650.0),
    "distance_mm": (1.0, 1500.0),
    "rate_mm_per_day": (0.5, 5.0),
    "remyelination_days": (3.0, 180.0),
    "follow_up_days": (30.0, 3650.0),
    "dt_days": (0.5, 5.0),
}


@dataclass(frozen=True)
class TrappedNerveParams(Validated):
    """A nerve under pressure (e.g. at the wrist), released on ``release_day`` (our teaching values).

    compression_drive: ectopic drive while compressed (0.75: below the level that tips S, see the
    module docstring); axons are lost slowly under pressure,
    approaching max_axon_loss with time constant axon_loss_days; after release the drive fades
    as in ``recovery.py``. released = 0 means the pressure is never removed.
    """

    release_day: float = 60.0
    released: float = 1.0
    compression_drive: float = 0.75
    max_axon_loss: float = 0.6
    axon_loss_days: float = 365.0
    distance_mm: float = 120.0
    rate_mm_per_day: float = 1.0
    remyelination_days: float = 21.0
    follow_up_days: float = 1095.0
    dt_days: float = 1.0

    def validate(self) -> "TrappedNerveParams":
        validate_fields(self, TRAPPED_RANGES)
        return self

    def axon_loss_at_release(self) -> float:
        return self.max_axon_loss * (1.0 - math.exp(-self.release_day / self.axon_loss_days))


def trapped_nerve_drive(params: TrappedNerveParams) -> tuple[np.ndarray, np.ndarray]:
    """(t_days, drive): constant under pressure, then fading by remyelination and regrowth."""
    p = check_params("params", params, TrappedNerveParams)
    t = _time_axis(p.follow_up_days, p.dt_days)
    drive = np.full(t.size, p.compression_drive)
    if p.released >= 0.5:
        after = t >= p.release_day
        rec = RecoveryParams(
            distance_mm=p.distance_mm,
            rate_mm_per_day=p.rate_mm_per_day,
            remyelination_days=p.remyelination_days,
            axon_loss=p.axon_loss_at_release(),
            drive0=p.compression_drive,
        )
        drive[after] = recovery_drive(t[after] - p.release_day, rec)
    return t, drive


def run_trapped_nerve(params: TrappedNerveParams | None = None, sens=None, dh=None, background=None) -> DriveResult:
    p = params_or_default("params", params, TrappedNerveParams)
    _, drive = trapped_nerve_drive(p)
    return run_drive(drive, p.dt_days, sens, dh, background)


# ----- 3. shingles -------------------------------------------------------------------------------
SHINGLES_RANGES: dict[str, tuple[float, float]] = {
    "acute_severity": (0.0, 1.0),
    "shingles": (0.0, 1.0),
    "acute_drive_max": (0.0, 2.0),
    "acute_days": (3.0, 90.0),
    "lasting_damage": (0.0, 1.0),
    "follow_up_days": (30.0, 3650.0),
    "dt_days": (0.5, 5.0),
}
PHN_DAY = 90.0  # our definition here: pain signal at or above RESOLVED_BELOW three months after the rash began


@dataclass(frozen=True)
class ShinglesParams(Validated):
    """One episode of shingles (our teaching values).

    acute_severity 0-1 scales the acute drive (inflamed nerve) for ``acute_days``, after which
    it fades with the same time constant, leaving a lasting drive of acute_severity x
    lasting_damage x acute_drive_max (nerve damage left by the virus). shingles = 0 means the
    episode did not happen (e.g. prevented by vaccination): the drive is zero.
    """

    acute_severity: float = 0.5
    shingles: float = 1.0
    acute_drive_max: float = 1.2
    acute_days: float = 28.0
    lasting_damage: float = 0.5
    follow_up_days: float = 365.0
    dt_days: float = 1.0

    def validate(self) -> "ShinglesParams":
        validate_fields(self, SHINGLES_RANGES)
        return self


def shingles_drive(params: ShinglesParams, severity=None) -> tuple[np.ndarray, np.ndarray]:
    """(t_days, drive) for the episode; ``severity`` may be an array (one row per person)."""
    p = check_params("params", params, ShinglesParams)
    t = _time_axis(p.follow_up_days, p.dt_days)
    if severity is None:
        sev = np.asarray(p.acute_severity, dtype=float)
    else:
        sev = check_array("severity", severity, 0.0, 1.0, ndim=1, allow_empty=False)[:, None]
    shape = np.where(t < p.acute_days, 1.0, np.exp(-(t - p.acute_days) / p.acute_days))
    drive = np.maximum(sev * p.acute_drive_max * shape, sev * p.lasting_damage * p.acute_drive_max)
    drive = drive * (p.shingles >= 0.5)
    return t, np.minimum(drive, MAX_DRIVE)


def run_shingles(params: ShinglesParams | None = None, sens=None, dh=None, background=None) -> DriveResult:
    p = params_or_default("params", params, ShinglesParams)
    _, drive = shingles_drive(p)
    return run_drive(drive, p.dt_days, sens, dh, background)


@dataclass(frozen=True)
class ShinglesCohortResult:
    n_people: int
    vaccine_efficacy: float
    shingles_unvaccinated: float  # fraction who got shingles (of those who would have)
    shingles_vaccinated: float
    phn_unvaccinated: float  # fraction of all people with PHN (pain at PHN_DAY)
    phn_vaccinated: float
    phn_rate_ratio_severe_acute_pain: float  # PHN risk, severe vs less severe acute pain, among those with shingles (nan if no milder case had PHN)


def shingles_cohort(n_people: int = 2000, vaccine_efficacy: float = 0.9, seed: int = 2016,
                    severe_above: float = 0.6, params: ShinglesParams | None = None,
                    sens: SensitisationParams | None = None, theta_sd: float = 0.05,
                    damage_log_sd: float = 1.0, dh=None, background=None) -> ShinglesCohortResult:
    """People who would get shingles, with and without vaccination (our teaching cohort).

    Each person draws an acute severity (Beta(2, 2)), a switch threshold theta (spread
    ``theta_sd`` around the default) and how much lasting damage the virus leaves (log-normal
    spread ``damage_log_sd`` around ``params.lasting_damage``). Vaccination prevents the episode in a fraction
    ``vaccine_efficacy`` (about 0.9 in ZOE-70; a breakthrough episode is modelled like any
    other, an assumption). PHN risk by acute severity EMERGES from the switch: it is not
    calibrated to Forbes et al.'s 2.23, which is shown beside it for comparison (with the default
    spreads the model's ratio is about 4: same direction, steeper, because the model has far
    fewer other sources of variation between people than real patients do).
    """
    n = check_int("n_people", n_people, 10, 200_000)
    eff = check_range("vaccine_efficacy", vaccine_efficacy, 0.0, 1.0)
    seed = check_int("seed", seed, 0, 2**32 - 1)
    severe = check_range("severe_above", severe_above, 0.05, 0.95)
    theta_sd = check_range("theta_sd", theta_sd, 0.0, 0.3)
    damage_log_sd = check_range("damage_log_sd", damage_log_sd, 0.0, 2.0)
    p = params_or_default("params", params, ShinglesParams)
    sens = params_or_default("sens", sens, SensitisationParams)
    dh = params_or_default("dh", dh, DorsalHornParams)
    background = params_or_default("background", background, TimelineParams)
    rng = np.random.default_rng(seed)
    severity = rng.beta(2.0, 2.0, n)
    theta = np.clip(rng.normal(sens.theta, theta_sd, n), 0.3, 1.2)
    damage = np.minimum(p.lasting_damage * np.exp(rng.normal(0.0, damage_log_sd, n)), 1.0)
    prevented = rng.random(n) < eff
    t = _time_axis(PHN_DAY, p.dt_days)
    shape = np.where(t < p.acute_days, 1.0, np.exp(-(t - p.acute_days) / p.acute_days))
    acute = severity[:, None] * p.acute_drive_max * shape
    lasting = (severity * damage * p.acute_drive_max)[:, None]
    drive = np.ascontiguousarray(np.minimum(np.maximum(acute, lasting), MAX_DRIVE))
    s0 = np.full(n, resting_state(sens))
    S_end = _s_batch(s0, drive, p.dt_days, np.full(n, sens.tau_S_days), sens.w_C, np.full(n, sens.kappa),
                     theta, sens.sigma)
    _, pain = pain_signal(dh, sens, S_end, drive[:, -1], background)
    phn = pain >= RESOLVED_BELOW
    is_severe = severity > severe
    risk_severe = phn[is_severe].mean() if is_severe.any() else math.nan
    risk_mild = phn[~is_severe].mean() if (~is_severe).any() else math.nan
    # nobody with milder acute pain developed PHN (e.g. damage_log_sd = 0: everyone keeps the same
    # lasting damage): the ratio is undefined, and nan says so (an infinite ratio would read as a result)
    ratio = risk_severe / risk_mild if risk_mild > 0 else math.nan
    return ShinglesCohortResult(
        n_people=n,
        vaccine_efficacy=eff,
        shingles_unvaccinated=1.0,
        shingles_vaccinated=float(1.0 - prevented.mean()),
        phn_unvaccinated=float(phn.mean()),
        phn_vaccinated=float((phn & ~prevented).mean()),
        phn_rate_ratio_severe_acute_pain=float(ratio),
    )


# ----- 4. chemotherapy ---------------------------------------------------------------------------
CHEMO_RANGES: dict[str, tuple[float, float]] = {
    "cycles_planned": (1, 24),
    "cycle_days": (7.0, 42.0),
    "damage_per_cycle": (0.0, 1.0),
    "change_from_cycle": (1, 25),
    "dose_after_change": (0.0, 1.0),
    "recovery_days": (14.0, 1095.0),
    "permanent_fraction": (0.0, 1.0),
    "drive_per_damage": (0.0, 2.0),
    "follow_up_days": (30.0, 3650.0),
    "dt_days": (0.5, 5.0),
}


@dataclass(frozen=True)
class ChemoParams(Validated):
    """A course of nerve-toxic chemotherapy (our teaching values).

    cycles_planned cycles every cycle_days; from cycle ``change_from_cycle`` (1-based) the dose
    is multiplied by dose_after_change (1 = kept at full dose, 0.75 = reduced by about a
    quarter, 0 = stopped). Each full dose adds
    damage_per_cycle; after the doses, the recoverable part fades with recovery_days, the
    permanent_fraction stays. The decision to change the dose is made with
    the oncology team.
    """

    cycles_planned: int = 12
    cycle_days: float = 14.0
    damage_per_cycle: float = 0.15
    change_from_cycle: int = 13
    dose_after_change: float = 1.0
    recovery_days: float = 180.0
    permanent_fraction: float = 0.5
    drive_per_damage: float = 0.6
    follow_up_days: float = 730.0
    dt_days: float = 1.0

    def validate(self) -> "ChemoParams":
        validate_fields(self, CHEMO_RANGES)
        if int(self.cycles_planned) != self.cycles_planned or int(self.change_from_cycle) != self.change_from_cycle:
            raise ValueError(
                f"cycles_planned = {self.cycles_planned!r} and change_from_cycle = {self.change_from_cycle!r} "
                "must be whole numbers"
            )
        return self

    def doses(self) -> np.ndarray:
        """Dose of each planned cycle (1 = full)."""
        k = np.arange(1, int(self.cycles_planned) + 1)
        return np.where(k >= self.change_from_cycle, self.dose_after_change, 1.0)


def chemo_damage(params: ChemoParams) -> tuple[np.ndarray, np.ndarray]:
    """(t_days, damage): a step at each dose; the recoverable part fades between and after doses."""
    p = check_params("params", params, ChemoParams)
    t = _time_axis(p.follow_up_days, p.dt_days)
    damage = np.zeros_like(t)
    for k, dose in enumerate(p.doses()):
        day = k * p.cycle_days
        since = t - day
        added = dose * p.damage_per_cycle
        on = since >= 0
        damage[on] += added * (p.permanent_fraction + (1.0 - p.permanent_fraction) * np.exp(-since[on] / p.recovery_days))
    return t, damage


def chemo_drive(params: ChemoParams) -> tuple[np.ndarray, np.ndarray]:
    t, damage = chemo_damage(params)
    return t, np.minimum(params.drive_per_damage * damage, MAX_DRIVE)


def run_chemo(params: ChemoParams | None = None, sens=None, dh=None, background=None) -> DriveResult:
    p = params_or_default("params", params, ChemoParams)
    _, drive = chemo_drive(p)
    return run_drive(drive, p.dt_days, sens, dh, background)


# ----- one entry point for the treat-the-cause lab ------------------------------------------------
SCENARIOS = {
    "diabetes": (DiabetesParams, run_diabetes),
    "trapped nerve": (TrappedNerveParams, run_trapped_nerve),
    "shingles": (ShinglesParams, run_shingles),
    "chemotherapy": (ChemoParams, run_chemo),
}


def run_scenario(cause: str, sens=None, dh=None, background=None, **settings) -> DriveResult:
    """Run one cause with its parameters given by name (one call per slider change in a lab).

    ``run_scenario("trapped nerve", release_day=90)`` equals
    ``run_trapped_nerve(TrappedNerveParams(release_day=90))``.
    """
    check_choice("cause", cause, tuple(SCENARIOS))
    params_cls, runner = SCENARIOS[cause]
    unknown = set(settings) - set(params_cls.__dataclass_fields__)
    if unknown:
        raise ValueError(f"{sorted(unknown)} are not settings of {cause!r}: allowed are "
                         f"{sorted(params_cls.__dataclass_fields__)}")
    return runner(params_cls(**settings), sens, dh, background)


#: How long the treat-the-cause lab follows a case after its treatment month, so the outcome shows
#: (our choice).
MIN_FOLLOW_UP_MONTHS = 24.0
#: The months at which a treatment can be given in the treat-the-cause lab.
TREAT_MONTH_RANGE = (0.0, 60.0)


def chemo_change_cycle(treat_month: float, params: ChemoParams | None = None) -> int:
    """The first cycle given at the new dose when the change is made at ``treat_month``; a change
    after the planned course has ended changes nothing (``cycles_planned + 1``)."""
    chemo = params_or_default("params", params, ChemoParams)
    month = check_range("treat_month", treat_month, *TREAT_MONTH_RANGE)
    cycle = int(math.floor(month * DAYS_PER_MONTH / chemo.cycle_days)) + 1
    return min(cycle, chemo.cycles_planned + 1)


def scenario_settings(cause: str, treat_month: float, hba1c_after: float, chemo_dose: float,
                      vaccinated: bool, acute_severity: float) -> tuple[dict, dict, float | None]:
    """(treated settings, untreated settings, month to mark) for :func:`run_scenario`: the treat-the-cause
    lab's controls in each scenario's own parameters. Only the controls of ``cause`` are used; the
    others are checked all the same, so a bad value never waits for the cause that reads it."""
    check_choice("cause", cause, tuple(SCENARIOS))
    month = check_range("treat_month", treat_month, *TREAT_MONTH_RANGE)
    check_range("hba1c_after", hba1c_after, *DIABETES_RANGES["hba1c_after"])
    check_range("chemo_dose", chemo_dose, 0.0, 1.0)
    check_bool("vaccinated", vaccinated)
    check_range("acute_severity", acute_severity, 0.0, 1.0)
    if cause == "diabetes":
        years = max(15.0, month / 12.0 + MIN_FOLLOW_UP_MONTHS / 12.0)
        common = {"years_before_change": month / 12.0, "follow_up_years": years}
        before = DiabetesParams().hba1c_before
        return ({**common, "hba1c_after": hba1c_after}, {**common, "hba1c_after": before}, month)
    if cause == "trapped nerve":
        days = max(36.0, month + MIN_FOLLOW_UP_MONTHS) * DAYS_PER_MONTH
        common = {"release_day": month * DAYS_PER_MONTH, "follow_up_days": days}
        return ({**common, "released": 1.0}, {**common, "released": 0.0}, month)
    if cause == "shingles":
        common = {"acute_severity": acute_severity}
        return ({**common, "shingles": 0.0 if vaccinated else 1.0}, {**common, "shingles": 1.0}, None)
    chemo = ChemoParams()
    days = max(24.0, month + MIN_FOLLOW_UP_MONTHS) * DAYS_PER_MONTH
    cycle = chemo_change_cycle(month)
    treated = {"change_from_cycle": cycle, "dose_after_change": chemo_dose, "follow_up_days": days}
    untreated = {"change_from_cycle": chemo.cycles_planned + 1, "follow_up_days": days}
    return treated, untreated, (month if cycle <= chemo.cycles_planned else None)


__all__ = [
    "CALIBRATIONS",
    "SCENARIOS",
    "run_scenario",
    "ChemoParams",
    "DAYS_PER_YEAR",
    "DEFAULT_TYPE2_N_PER_ARM",
    "DiabetesParams",
    "DriveResult",
    "GlycaemicCalibration",
    "GlycaemicTrialResult",
    "PHN_DAY",
    "ShinglesCohortResult",
    "ShinglesParams",
    "TYPE1",
    "TYPE2",
    "TrappedNerveParams",
    "MIN_FOLLOW_UP_MONTHS",
    "TREAT_MONTH_RANGE",
    "calibrate_type1",
    "chemo_change_cycle",
    "chemo_damage",
    "chemo_drive",
    "damage_rate_per_year",
    "diabetes_damage",
    "diabetes_drive",
    "run_chemo",
    "run_diabetes",
    "run_drive",
    "run_shingles",
    "run_trapped_nerve",
    "scenario_settings",
    "shingles_cohort",
    "shingles_drive",
    "trapped_nerve_drive",
    "virtual_glycaemic_trial",
]
