"""A gabapentinoid (pregabalin, gabapentin) in the course's models: relief while taken, not a cure.

What it models
    Gabapentinoids bind the alpha-2-delta-1 subunit of voltage-gated calcium channels, which is
    up-regulated in sensory neurons after nerve injury, and reduce calcium-channel trafficking
    and transmitter release from primary afferent terminals in the dorsal horn. Here the drug
    scales down what C-fibre terminals deliver to the spinal cord::

        delivered C drive = (everyday C input + ectopic drive) x (1 - block(t))
        block(t) = release_block x occupancy(t)

    occupancy rises toward 1 while the drug is taken (time constant ``onset_days``: titration)
    and falls toward 0 after stopping (``offset_days``). The delivered drive enters both the
    dorsal horn gate model (model pain signal, as in ``timeline.py``) and the sensitisation switch S.

    The drug does NOT change the switch's self-reinforcement kappa, so it cannot erase a
    self-sustaining sensitised state: in a patient whose S is high and stays high without input,
    pain falls while the drug is taken and returns when it is stopped. (The older
    ``sensitisation.with_kappa`` idea, where a short course permanently resets S, is not used:
    it contradicts the trials.) Pain can stay low after stopping only if the drive itself has
    gone while the drug was taken (e.g. the nerve healed) in a patient whose S then fell back.

    A virtual placebo-controlled trial (:func:`virtual_drug_trial`) gives >= 50 % responder
    rates with and without the drug, and after stopping. Its placebo response (expectation,
    natural ups and downs, regression to the mean, lumped together as a per-patient fractional
    fall in REPORTED pain) and its spread of drug effect between patients are CALIBRATED so
    that the rates sit near the published ones: placebo responders about 20-30 %, drug about 13
    percentage points more (NNT 7.7 for pregabalin, Finnerup et al. 2015).

Source
    Mechanism: Field et al. 2006, PNAS, "Identification of the alpha2-delta-1 subunit of
    voltage-dependent calcium channels as a molecular target for pain mediating the analgesic
    actions of pregabalin" (in mice with the R217A mutation pregabalin lost its effect on
    allodynia; title and finding read in a summary; volume, pages and DOI not checked). Trial numbers:
    Finnerup et al. 2015, Lancet Neurol 14:162, doi:10.1016/S1474-4422(14)70251-0 (see
    ``trials.PUBLISHED``). The release-block model, the placebo model and all their values are
    OUR OWN TEACHING SIMPLIFICATIONS. The article's "normalise rather than mask" overstates the
    evidence: trials show symptom relief while the drug is taken, not a reversal.

What it leaves out
    Side effects (dizziness, sleepiness: the reason many stop), dose and kinetics beyond one
    onset and one offset time constant, withdrawal effects, drug interactions, and any effect
    of the drug on the brain. The placebo part is not a mechanism, only a calibrated spread.

Units
    time in days; drives dimensionless; block and occupancy fractions 0-1; model pain signal in % of the model's maximum
    (ours); responder rates as fractions 0-1 (reported as per cent).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from numba import njit

from ._validation import Validated, check_array, check_params, check_range, params_or_default, validate_fields
from .causes import _s_series
from .dorsal_horn import DorsalHornParams
from .sensitisation import SensitisationParams, stable_states
from .timeline import TimelineParams, _steady_W, pain_signal_from_W

RANGES: dict[str, tuple[float, float]] = {
    "release_block": (0.0, 0.9),
    "onset_days": (1.0, 30.0),
    "offset_days": (0.5, 30.0),
    "start_day": (0.0, 365.0),
    "days_on": (0.0, 730.0),
    "follow_up_days": (7.0, 1460.0),
    "ongoing_drive": (0.0, 2.0),
    "drive_healing_days": (0.0, 3650.0),
    "dt_days": (0.25, 2.0),
}


@dataclass(frozen=True)
class GabapentinoidParams(Validated):
    """One patient taking the drug (our teaching values).

    release_block: fraction of C-terminal transmitter release removed at full effect.
    onset_days / offset_days: how fast the effect builds (titration) and fades after stopping.
    start_day, days_on: when the drug is taken. follow_up_days: length of the simulation.
    ongoing_drive: the injured nerve's ectopic drive; drive_healing_days: if above 0, the
    drive fades with this time constant from day 0 (the cause healing); 0 = it persists.
    """

    release_block: float = 0.4
    onset_days: float = 7.0
    offset_days: float = 2.0
    start_day: float = 28.0
    days_on: float = 84.0
    follow_up_days: float = 224.0
    ongoing_drive: float = 0.1
    drive_healing_days: float = 0.0
    dt_days: float = 1.0

    def validate(self) -> "GabapentinoidParams":
        validate_fields(self, RANGES)
        return self


def occupancy(t_days, start_day: float, days_on: float, onset_days: float, offset_days: float) -> np.ndarray:
    """Drug effect 0-1 over time: first-order rise while taken, first-order fall after stopping.

    Times are in days from 0; the other arguments take the ranges of ``GabapentinoidParams``.
    """
    t = check_array("t_days", t_days, 0.0, 1e7)
    start_day = check_range("start_day", start_day, *RANGES["start_day"])
    days_on = check_range("days_on", days_on, *RANGES["days_on"])
    onset_days = check_range("onset_days", onset_days, *RANGES["onset_days"])
    offset_days = check_range("offset_days", offset_days, *RANGES["offset_days"])
    stop = start_day + days_on
    on = np.clip(t - start_day, 0.0, days_on)
    level = 1.0 - np.exp(-on / onset_days)
    at_stop = 1.0 - math.exp(-days_on / onset_days)
    after = np.maximum(t - stop, 0.0)
    return np.where(t < start_day, 0.0, np.where(t <= stop, level, at_stop * np.exp(-after / offset_days)))


def sensitised_state(sens: SensitisationParams, drive: float) -> float:
    """The highest stable S at constant drive: where a long-standing patient sits before treatment."""
    check_params("sens", sens, SensitisationParams)
    drive = check_range("drive", drive, 0.0, 10.0)      # checked here so the error names drive, not r_C
    return float(stable_states(sens, drive)[-1])


def _pain(dh, sens, S, delivered_c, background: TimelineParams):
    """Model pain signal for states S and delivered C input (background already included and scaled)."""
    W = _steady_W(dh, sens, S, background.background_touch, delivered_c)
    W_healthy = float(_steady_W(dh, sens, stable_states(sens, 0.0)[0], background.background_touch,
                                background.background_C))
    return W, pain_signal_from_W(W, W_healthy, dh.W_max_Hz)


@dataclass(frozen=True)
class DrugCourseResult:
    t_days: np.ndarray
    block: np.ndarray  # fraction of release removed, 0-1
    drive: np.ndarray  # ectopic drive before the drug acts
    S: np.ndarray
    pain_signal: np.ndarray  # % of the model's maximum (ours)
    baseline_pain: float  # model pain signal on the day the drug was started
    on_drug_pain: float  # model pain signal on the last day of the course
    after_pain: float  # model pain signal at the end of follow-up

    @property
    def relapsed(self) -> bool:
        """Pain back to at least 90 % of baseline at the end of follow-up (our definition)."""
        return self.after_pain >= 0.9 * self.baseline_pain


def simulate_course(
    params: GabapentinoidParams | None = None,
    sens: SensitisationParams | None = None,
    dh: DorsalHornParams | None = None,
    background: TimelineParams | None = None,
) -> DrugCourseResult:
    """One patient with established pain (S in its sensitised state) who takes the drug for a while."""
    p = params_or_default("params", params, GabapentinoidParams)
    sens = params_or_default("sens", sens, SensitisationParams)
    dh = params_or_default("dh", dh, DorsalHornParams)
    background = params_or_default("background", background, TimelineParams)
    t = np.arange(int(np.floor(p.follow_up_days / p.dt_days)) + 1, dtype=float) * float(p.dt_days)
    drive = np.full(t.size, p.ongoing_drive)
    if p.drive_healing_days > 0:
        drive = drive * np.exp(-np.minimum(t, 1e6) / max(p.drive_healing_days, 1e-3))  # no overflow for tiny values
    block = p.release_block * occupancy(t, p.start_day, p.days_on, p.onset_days, p.offset_days)
    delivered_ectopic = drive * (1.0 - block)
    S = _s_series(sensitised_state(sens, p.ongoing_drive), np.ascontiguousarray(delivered_ectopic), p.dt_days,
                  sens.tau_S_days, sens.w_C, sens.kappa, sens.theta, sens.sigma)
    _, pain = _pain(dh, sens, S, (background.background_C + drive) * (1.0 - block), background)

    def at(day):
        return float(pain[min(int(round(day / p.dt_days)), t.size - 1)])

    return DrugCourseResult(t, block, drive, S, pain, at(p.start_day), at(p.start_day + p.days_on), float(pain[-1]))


# ----- the virtual trial ------------------------------------------------------------------------
@njit(cache=True)
def _highest_state(drive, kappa, theta, w_c, sigma, iterations=2000):
    """Highest fixed point of S for each patient: iterate S = target(S) down from S = 1.

    The target rises with S, so the iteration from S = 1 falls monotonically onto the highest
    fixed point (the sensitised state if there is one, else the only, low, state).
    """
    out = np.empty(drive.size)
    for i in range(drive.size):
        s = 1.0
        for _ in range(iterations):
            new = 0.5 * (1.0 + np.tanh(0.5 * (w_c * drive[i] + kappa[i] * s - theta[i]) / sigma))
            if abs(new - s) < 1e-12:
                s = new
                break
            s = new
        out[i] = s
    return out


@njit(cache=True)
def _trial_kernel(s0, drive, block, occ, days_on, tau, w_c, kappa, theta, sigma):
    """S at the end of the course and at the end of follow-up, daily steps, per patient."""
    n = s0.size
    s_on = np.empty(n)
    s_off = np.empty(n)
    for i in range(n):
        k = 1.0 - np.exp(-1.0 / tau[i])
        s = s0[i]
        for j in range(occ.size):
            x = (w_c * drive[i] * (1.0 - block[i] * occ[j]) + kappa[i] * s - theta[i]) / sigma
            s += k * (0.5 * (1.0 + np.tanh(0.5 * x)) - s)
            if j == days_on - 1:
                s_on[i] = s
        s_off[i] = s
    return s_on, s_off


TRIAL_RANGES: dict[str, tuple[float, float]] = {
    "n_per_arm": (20, 200_000),
    "seed": (0, 2**32 - 1),
    "weeks_on": (1.0, 52.0),
    "weeks_off": (1.0, 52.0),
    "block_mean": (0.0, 0.9),
    "block_sd": (0.0, 0.5),
    "nonresponder_fraction": (0.0, 1.0),
    "placebo_a": (0.1, 20.0),
    "placebo_b": (0.1, 20.0),
    "placebo_scale": (0.0, 1.0),
    "drive_median": (0.0, 2.0),
    "drive_log_sd": (0.0, 1.5),
    "kappa_sd": (0.0, 0.3),
    "theta_sd": (0.0, 0.3),
}


@dataclass(frozen=True)
class DrugTrialParams(Validated):
    """The virtual placebo-controlled trial (CALIBRATED spreads; see module docstring).

    block_mean / block_sd: spread of the drug's release block between patients;
    nonresponder_fraction: patients on whom the drug has no effect at all;
    placebo_a / placebo_b: Beta distribution of each patient's fractional fall in reported pain
    from the placebo response (the same in both arms); placebo_scale multiplies it (0 = a
    lab's "placebo response off", to show what the drug does alone); drive_median / drive_log_sd: spread of
    ongoing ectopic drive; kappa_sd / theta_sd: spread of the switch around the defaults.
    """

    n_per_arm: int = 2000
    seed: int = 2015
    weeks_on: float = 12.0
    weeks_off: float = 8.0
    block_mean: float = 0.65
    block_sd: float = 0.1
    nonresponder_fraction: float = 0.82
    placebo_a: float = 1.6
    placebo_b: float = 3.0
    placebo_scale: float = 1.0
    drive_median: float = 0.1
    drive_log_sd: float = 0.6
    kappa_sd: float = 0.06
    theta_sd: float = 0.03

    def validate(self) -> "DrugTrialParams":
        validate_fields(self, TRIAL_RANGES)
        if int(self.n_per_arm) != self.n_per_arm or int(self.seed) != self.seed:
            raise ValueError(f"n_per_arm = {self.n_per_arm!r} and seed = {self.seed!r} must be whole numbers")
        return self


@dataclass(frozen=True)
class DrugTrialResult:
    responders_placebo: float  # fraction with >= 50 % relief of reported pain at the end of treatment
    responders_drug: float
    responders_placebo_after: float  # the same, weeks_off after stopping
    responders_drug_after: float
    relapse_fraction: float  # drug-arm patients with drug relief whose pain returned (>= 90 % of baseline)
    drug_relief_fraction: float  # drug-arm patients whose model pain fell >= 30 % on the drug
    baseline_pain_mean: float

    @property
    def nnt(self) -> float:
        diff = self.responders_drug - self.responders_placebo
        return math.inf if diff <= 0 else 1.0 / diff


def virtual_drug_trial(
    trial: DrugTrialParams | None = None,
    sens: SensitisationParams | None = None,
    dh: DorsalHornParams | None = None,
    background: TimelineParams | None = None,
    onset_days: float = 7.0,
    offset_days: float = 2.0,
) -> DrugTrialResult:
    """Drug vs placebo for ``weeks_on``, then both stopped for ``weeks_off`` (placebo part kept).

    ``n_per_arm`` virtual patients are drawn once and each goes through both arms (a what-if
    comparison, not two separate groups as in a real trial).

    Every patient starts in the sensitised state for their own switch and drive. Responder:
    reported pain (model pain x (1 - placebo fall)) at most half of baseline. Keeping the
    placebo part after stopping is OUR ASSUMPTION: it isolates what stopping the drug does.
    """
    tr = params_or_default("trial", trial, DrugTrialParams)
    sens = params_or_default("sens", sens, SensitisationParams)
    dh = params_or_default("dh", dh, DorsalHornParams)
    background = params_or_default("background", background, TimelineParams)
    onset = check_range("onset_days", onset_days, *RANGES["onset_days"])
    offset = check_range("offset_days", offset_days, *RANGES["offset_days"])
    rng = np.random.default_rng(int(tr.seed))
    n = int(tr.n_per_arm)
    # One virtual population goes through both arms (common random numbers): the difference
    # between the arms is then the drug's alone, without sampling noise between two groups.
    kappa = np.clip(rng.normal(sens.kappa, tr.kappa_sd, n), 0.0, 2.0)
    theta = np.clip(rng.normal(sens.theta, tr.theta_sd, n), 0.0, 2.0)
    drive = np.clip(tr.drive_median * np.exp(rng.normal(0.0, tr.drive_log_sd, n)), 0.0, 2.0)
    placebo_fall = tr.placebo_scale * rng.beta(tr.placebo_a, tr.placebo_b, n)
    drug_block = np.clip(rng.normal(tr.block_mean, tr.block_sd, n), 0.0, 0.9)
    drug_block[rng.random(n) < tr.nonresponder_fraction] = 0.0
    tau = np.full(n, sens.tau_S_days)
    # each patient's long-standing state: the highest fixed point of S under their own drive
    s_base = _highest_state(drive, kappa, theta, sens.w_C, sens.sigma)
    days_on = int(round(tr.weeks_on * 7))
    days_off = int(round(tr.weeks_off * 7))
    occ = occupancy(np.arange(days_on + days_off, dtype=float), 0.0, float(days_on), onset, offset)
    results = {}
    for arm in ("placebo", "drug"):
        if arm == "drug":
            block = drug_block
            s_on, s_off = _trial_kernel(s_base, drive, block, occ, days_on, tau, sens.w_C, kappa, theta, sens.sigma)
        else:  # nothing acts on the model in the placebo arm: S stays at its long-standing state
            block = np.zeros(n)
            s_on = s_off = s_base
        occ_end_on = float(occupancy(days_on, 0.0, float(days_on), onset, offset))
        occ_end_off = float(occupancy(days_on + days_off, 0.0, float(days_on), onset, offset))
        bg = background.background_C
        _, p0 = _pain(dh, sens, s_base, bg + drive, background)
        _, p_on = _pain(dh, sens, s_on, (bg + drive) * (1.0 - block * occ_end_on), background)
        _, p_off = _pain(dh, sens, s_off, (bg + drive) * (1.0 - block * occ_end_off), background)
        keep = 1.0 - placebo_fall
        base = np.maximum(p0, 1e-9)
        resp_on = p_on * keep <= 0.5 * base
        resp_off = p_off * keep <= 0.5 * base
        relief = p_on <= 0.7 * base
        relapsed = p_off >= 0.9 * base
        results[arm] = (resp_on.mean(), resp_off.mean(), relief, relapsed, p0.mean())
    relief = results["drug"][2]
    relapsed = results["drug"][3]
    return DrugTrialResult(
        responders_placebo=float(results["placebo"][0]),
        responders_drug=float(results["drug"][0]),
        responders_placebo_after=float(results["placebo"][1]),
        responders_drug_after=float(results["drug"][1]),
        relapse_fraction=float(relapsed[relief].mean()) if relief.any() else math.nan,
        drug_relief_fraction=float(relief.mean()),
        baseline_pain_mean=float(results["drug"][4]),
    )


__all__ = [
    "DrugCourseResult",
    "DrugTrialParams",
    "DrugTrialResult",
    "GabapentinoidParams",
    "RANGES",
    "TRIAL_RANGES",
    "occupancy",
    "sensitised_state",
    "simulate_course",
    "virtual_drug_trial",
]
