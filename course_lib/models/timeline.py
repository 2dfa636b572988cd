"""Months after a nerve injury: why treating the cause early matters (our teaching model).

What it models
    One person, day by day, after a nerve injury that keeps sending abnormal (ectopic) C-fibre
    input to the spinal cord:

    1. Peripheral drive r(t): the injured nerve's ectopic input, constant at ``injury_drive``
       until the day the cause is removed (``months_untreated``), then fading exponentially as
       the nerve heals (time constant ``healing_days``). If the cause is never removed it stays.
    2. Central sensitisation S(t): the bistable switch of ``sensitisation.py``, driven by r(t).
       Long enough drive carries S past its tipping point; after that S stays high even when
       r(t) has gone: the pain has become self-sustaining.
    3. Dorsal horn output W(t): the steady-state WDR rate of the gate model (``dorsal_horn.py``)
       under everyday input (light touch and the normal trickle of C-fibre activity) plus the
       ectopic drive, with synapses scaled by S (C weights x (1 + G S), inhibition x (1 - D S)).
    4. Model pain signal P(t), 0-100 % of the model's maximum: OUR OWN MAPPING of W,
       P = 100 x (W - W_healthy) / (W_max - W_healthy), clipped to 0-100, where W_healthy is the
       output of the healthy cord under the same everyday input: the share of the dorsal horn's
       spare output range in use. It is deliberately NOT on a 0-10 scale, so that nobody mistakes
       it for the clinical pain rating; it says nothing about how much a person hurts. We call
       the pain "gone" in the model when it stays below 10 % (``RESOLVED_BELOW``).

    It also gives stimulus-response curves, before the injury and now (the end of follow-up):
    integrated W spikes for a touch (A-beta) pulse and for a noxious (C) pulse of growing strength.
    A bigger touch response than before is allodynia; a bigger noxious response is hyperalgesia.

Source
    OUR OWN TEACHING MODEL built from the published gate model (Crodelle et al. 2017,
    doi:10.1007/978-3-319-60304-9_2) and our bistable S (SCIENCE.md section 4). The clinical
    facts it illustrates: pain lasting more than 3 months is classed as chronic (Treede et al.
    2019, Pain 160:19, doi:10.1097/j.pain.0000000000001384; older definitions used 3-6 months);
    central sensitisation (Woolf 2011, Pain 152:S2, doi:10.1016/j.pain.2010.09.030).

What it leaves out
    Everything that makes real recovery uncertain: regeneration distance, age, diabetes, mood,
    sleep, treatment side effects. The S time constant is a TEACHING COMPRESSION of weeks to
    months. Where the switch tips depends on the made-up parameter values, so the month at which
    early treatment stops working here is an illustration, not a prediction: the 3-month line
    of the chronic-pain definition is a clinical convention, not a biological switch.

Units
    time in days (months converted at 30.44 days per month); drives dimensionless; W in Hz;
    S dimensionless 0-1; pain signal in % of the model's maximum (0-100); stimulus responses in integrated W
    spikes (impulses per trial).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numba import njit

from ._validation import (Validated, check_array, check_bool, check_int, check_params, check_positive,
                          check_range, validate_fields)
from .dorsal_horn import STRONG_DRIVE, DorsalHornParams, pulse_responses
from .sensitisation import SensitisationParams, couple_to_dorsal_horn, resting_state, threshold_state

DAYS_PER_MONTH = 30.44
RESOLVED_BELOW = 10.0  # pain signal (% of the model's maximum) below which the model's pain is "gone" (our convention)
#: The learner's name for P (glossary: "model pain signal"). Deliberately not a score from 0 to 10: such a
#: number beside a named person reads as the clinical pain rating (issue 18).
PAIN_SIGNAL = "model pain signal"
GONE_LINE = f"{RESOLVED_BELOW:g} % of the model's maximum"


#: A named (invented) person's readout never prints a pain signal at or above this: a number near the
#: top of a scale beside a person's name reads as the worst pain possible. It says "high" instead.
NAMED_CASE_CAP = 80.0


def pain_signal_text(value: float, named: bool = False) -> str:
    """A model pain signal in words, e.g. "46 % of the model's maximum" (whole per cent).

    ``named=True`` (a readout about an invented person): values at or above ``NAMED_CASE_CAP``
    are given as "high" with no number.
    """
    value = check_range("value", value, 0.0, 100.0)      # a pain signal is a share of the maximum, in %
    if check_bool("named", named) and value >= NAMED_CASE_CAP:
        return "high in the model"
    return f"{value:.0f} % of the model's maximum"

RANGES: dict[str, tuple[float, float]] = {
    "months_untreated": (0.0, 60.0),
    "cause_removed": (0.0, 1.0),
    "injury_drive": (0.0, 2.0),
    "healing_days": (1.0, 365.0),
    "follow_up_months": (1.0, 120.0),
    "background_touch": (0.0, 2.0),
    "background_C": (0.0, 2.0),
    "dt_days": (0.05, 5.0),
}


@dataclass(frozen=True)
class TimelineParams(Validated):
    """The injury scenario (all values ours, chosen for teaching; see module docstring).

    months_untreated: when the cause is removed (months after the injury).
    cause_removed: 1 = removed at ``months_untreated``; 0 = never removed.
    injury_drive: ectopic C-fibre drive from the injured nerve (dimensionless).
    healing_days: time constant of the drive's fading once the cause is removed (days).
    follow_up_months: how long the timeline runs.
    background_touch / background_C: everyday A-beta and C-fibre input (dimensionless).
    dt_days: integration step.
    """

    months_untreated: float = 1.0
    cause_removed: float = 1.0
    injury_drive: float = 0.9
    healing_days: float = 30.0
    follow_up_months: float = 36.0
    background_touch: float = 0.5
    background_C: float = 0.2
    dt_days: float = 1.0

    def validate(self) -> "TimelineParams":
        validate_fields(self, RANGES)
        return self


@dataclass(frozen=True)
class TimelineResult:
    t_days: np.ndarray
    drive: np.ndarray  # peripheral (ectopic) drive, dimensionless
    S: np.ndarray  # sensitisation state, 0-1
    W_Hz: np.ndarray  # dorsal horn output under everyday input
    pain_signal: np.ndarray  # % of the model's maximum (0-100), our mapping
    treat_day: float  # inf if the cause was never removed
    resolved: bool  # pain signal below RESOLVED_BELOW at the end of follow-up
    resolved_day: float  # first day after which the pain signal stays below RESOLVED_BELOW (nan if never)
    tipping_S: float  # the tipping point of S with no drive (inf if no high state)

    @property
    def t_months(self) -> np.ndarray:
        return self.t_days / DAYS_PER_MONTH


def drive_time_course(t_days: np.ndarray, injury_drive: float, treat_day: float, healing_days: float) -> np.ndarray:
    """Ectopic drive: constant until ``treat_day``, then fading with time constant ``healing_days``.

    Works on arrays of any shape (broadcasting), so the cohort model can use it too.
    ``treat_day`` may be ``inf`` (the cause is never removed).
    """
    t = check_array("t_days", t_days, 0.0, 1e7)
    injury_drive = check_range("injury_drive", injury_drive, *RANGES["injury_drive"])
    healing_days = check_range("healing_days", healing_days, *RANGES["healing_days"])
    if not (isinstance(treat_day, (int, float, np.number)) and not isinstance(treat_day, bool)
            and (treat_day == np.inf or 0.0 <= treat_day <= 1e7)):
        raise ValueError(f"treat_day = {treat_day!r} is not allowed: it must be a number of days "
                         "from 0, or inf (never treated)")
    since = np.maximum(t - treat_day, 0.0)
    return injury_drive * np.exp(-since / healing_days)


@njit(cache=True)
def _timeline_kernel(s0, drive, dt_days, tau, w_c, kappa, theta, sigma):
    """S for each day; the step uses the drive at the start of the step (exponential Euler)."""
    n = drive.size
    out = np.empty(n)
    s = s0
    k = 1.0 - np.exp(-dt_days / tau)
    for j in range(n):
        out[j] = s
        x = (w_c * drive[j] + kappa * s - theta) / sigma
        s += k * (0.5 * (1.0 + np.tanh(0.5 * x)) - s)
    return out


def _steady_W(dh: DorsalHornParams, sens: SensitisationParams, S, f_abeta, f_c):
    """Steady-state W (Hz) for sensitisation S (any shape) and constant drives, vectorised."""
    S = np.clip(np.asarray(S, dtype=float), 0.0, 1.0)
    gain = 1.0 + sens.G * S
    keep = 1.0 - sens.D * S
    w_c_w = np.minimum(dh.w_C_W * gain, 5.0)
    w_c_e = np.minimum(dh.w_C_E * gain, 5.0)
    inh = dh.I_max_Hz * 0.5 * (1.0 + np.tanh((dh.w_Abeta_I * f_abeta - dh.b_I) / dh.a_I))
    e = dh.E_max_Hz * 0.5 * (1.0 + np.tanh((w_c_e * f_c - dh.w_I_E * keep * inh - dh.b_E) / dh.a_E))
    c_w = dh.w_Abeta_W * f_abeta + w_c_w * f_c + dh.w_E_W * e - dh.w_I_W * keep * inh
    return dh.W_max_Hz * 0.5 * (1.0 + np.tanh((c_w - dh.b_W) / dh.a_W))


def pain_signal_from_W(W_Hz, W_healthy_Hz: float, W_max_Hz: float):
    """Our model pain signal: the share of the dorsal horn's spare output range in use, in % (0-100)."""
    W_max_Hz = check_range("W_max_Hz", W_max_Hz, 1.0, 500.0)
    W_healthy_Hz = check_range("W_healthy_Hz", W_healthy_Hz, 0.0, W_max_Hz)
    W = check_array("W_Hz", W_Hz, 0.0, 500.0)
    return signal_from_span(W, W_healthy_Hz, W_max_Hz)


def signal_from_span(W_Hz, W_healthy_Hz, W_max_Hz):
    """The mapping itself, on checked arrays: 100 x (W - W_healthy) / (W_max - W_healthy), clipped to 0-100.

    One home for the formula: the cohort model applies it with each patient's own healthy level.
    """
    span = np.maximum(W_max_Hz - np.asarray(W_healthy_Hz, dtype=float), 1e-9)
    return np.clip(100.0 * (np.asarray(W_Hz, dtype=float) - W_healthy_Hz) / span, 0.0, 100.0)


def pain_signal(dh: DorsalHornParams, sens: SensitisationParams, S, drive, timeline: TimelineParams):
    """Model pain signal (% of the model's maximum, ours) for sensitisation S and ectopic drive (arrays broadcast)."""
    check_params("dh", dh, DorsalHornParams)
    check_params("sens", sens, SensitisationParams)
    check_params("timeline", timeline, TimelineParams)
    S = check_array("S", S, 0.0, 1.0)
    drive = check_array("drive", drive, 0.0, 10.0)
    f_abeta = timeline.background_touch
    W = _steady_W(dh, sens, S, f_abeta, timeline.background_C + np.asarray(drive, dtype=float))
    W_healthy = float(_steady_W(dh, sens, resting_state(sens), f_abeta, timeline.background_C))
    return W, pain_signal_from_W(W, W_healthy, dh.W_max_Hz)


def treatment_day(timeline: TimelineParams) -> float:
    """Day the cause is removed (inf if it never is)."""
    check_params("timeline", timeline, TimelineParams)
    return timeline.months_untreated * DAYS_PER_MONTH if timeline.cause_removed >= 0.5 else np.inf


def run_timeline(
    timeline: TimelineParams | None = None,
    sens: SensitisationParams | None = None,
    dh: DorsalHornParams | None = None,
) -> TimelineResult:
    """Simulate drive, S, dorsal horn output and the model pain signal day by day."""
    timeline = check_params("timeline", TimelineParams() if timeline is None else timeline,
                            TimelineParams)
    sens = check_params("sens", SensitisationParams() if sens is None else sens,
                        SensitisationParams)
    dh = check_params("dh", DorsalHornParams() if dh is None else dh, DorsalHornParams)
    n = int(np.floor(timeline.follow_up_months * DAYS_PER_MONTH / timeline.dt_days)) + 1
    t = np.arange(n) * timeline.dt_days
    treat = treatment_day(timeline)
    drive = drive_time_course(t, timeline.injury_drive, treat, timeline.healing_days)
    S = _timeline_kernel(
        resting_state(sens), drive, timeline.dt_days, sens.tau_S_days, sens.w_C, sens.kappa, sens.theta, sens.sigma
    )
    W, pain = pain_signal(dh, sens, S, drive, timeline)
    painful = np.nonzero(pain >= RESOLVED_BELOW)[0]
    if painful.size == 0:
        resolved_day = 0.0
    elif painful[-1] == n - 1:
        resolved_day = np.nan
    else:
        resolved_day = float(t[painful[-1] + 1])
    return TimelineResult(
        t_days=t,
        drive=drive,
        S=S,
        W_Hz=W,
        pain_signal=pain,
        treat_day=float(treat),
        resolved=bool(pain[-1] < RESOLVED_BELOW),
        resolved_day=resolved_day,
        tipping_S=threshold_state(sens, 0.0),
    )


# ----- stimulus-response curves: before vs now ----------------------------------------------------
@dataclass(frozen=True)
class StimulusResponse:
    drives: np.ndarray  # stimulus strengths (dimensionless)
    touch_before: np.ndarray  # integrated W spikes per touch pulse, before the injury
    touch_now: np.ndarray
    noxious_before: np.ndarray  # integrated W spikes per C pulse
    noxious_now: np.ndarray


def stimulus_response_curves(
    S_now: float,
    sens: SensitisationParams | None = None,
    dh: DorsalHornParams | None = None,
    n_points: int = 11,
    max_drive: float = STRONG_DRIVE,
    dt_ms: float = 0.25,
) -> StimulusResponse:
    """Touch and noxious stimulus-response curves before the injury and at sensitisation S_now.

    Uses the dorsal horn model's trial protocol (pulse from 100 ms, 400-ms trial, from silence);
    the default step of 0.25 ms is coarser than the model's default 0.1 ms to keep the lab fast
    (the integrated spikes differ by well under 1 %).
    """
    sens = check_params("sens", SensitisationParams() if sens is None else sens,
                        SensitisationParams)
    dh = check_params("dh", DorsalHornParams() if dh is None else dh, DorsalHornParams)
    S_now = check_range("S_now", S_now, 0.0, 1.0)
    n_points = check_int("n_points", n_points, 2, 200)
    max_drive = check_positive("max_drive", max_drive, 10.0)
    dt_ms = check_range("dt_ms", dt_ms, 0.001, 1.0)
    drives = np.linspace(0.0, max_drive, n_points)
    touch_before, noxious_before = _curves_before_injury(dh, sens, int(n_points), float(max_drive), float(dt_ms))
    now = couple_to_dorsal_horn(dh, S_now, sens)
    return StimulusResponse(
        drives=drives,
        touch_before=touch_before.copy(),
        touch_now=pulse_responses(now, drives, "touch", dt_ms),
        noxious_before=noxious_before.copy(),
        noxious_now=pulse_responses(now, drives, "noxious", dt_ms),
    )


@lru_cache(maxsize=32)
def _curves_before_injury(dh, sens, n_points, max_drive, dt_ms):
    """The pre-injury curves never change for given parameters, so a lab computes them once."""
    drives = np.linspace(0.0, max_drive, n_points)
    before = couple_to_dorsal_horn(dh, resting_state(sens), sens)
    return pulse_responses(before, drives, "touch", dt_ms), pulse_responses(before, drives, "noxious", dt_ms)


__all__ = [
    "DAYS_PER_MONTH",
    "RANGES",
    "RESOLVED_BELOW",
    "StimulusResponse",
    "TimelineParams",
    "TimelineResult",
    "drive_time_course",
    "GONE_LINE",
    "NAMED_CASE_CAP",
    "PAIN_SIGNAL",
    "pain_signal",
    "pain_signal_text",
    "pain_signal_from_W",
    "run_timeline",
    "stimulus_response_curves",
    "treatment_day",
]
