"""Nerve recovery after the cause is removed: remyelination in weeks, axon regrowth in months.

What it models
    A peripheral nerve injured by pressure (or another cause) has two kinds of damage:

    1. Demyelination: the axons survive but lose part of their insulating myelin. Their
       abnormal (ectopic) firing fades as Schwann cells rebuild myelin, which takes WEEKS. We
       model the fraction still demyelinated as exp(-t / remyelination_days) after the cause
       is removed (OUR TEACHING SIMPLIFICATION: one time constant).
    2. Axon loss: a fraction of the axons is cut off and must regrow from the injury to the
       target (skin or muscle). After a latent period the regrowth front advances at a steady
       rate::

           front_mm(t) = rate_mm_per_day * max(t - latency_days, 0)
           regrowth_days = latency_days + distance_mm / rate_mm_per_day

       so the wait is set by the DISTANCE from the injury to the target. While they regrow,
       the injured axons keep adding ectopic drive; it fades once they reach their target
       (over ``settle_days``, our choice).

    The ectopic drive that the 03 timeline model feeds into the spinal cord is::

        drive(t) = drive0 * [ (1 - axon_loss) * demyelinated(t) + axon_loss * not_reinnervated(t) ]

    Optionally, the 02 DRG model's channel balance can be moved back toward healthy in
    proportion to recovery (:func:`channel_scales_during_recovery`).

Source
    Regrowth rate: about 1 mm/day in people (range 1-4 mm/day, faster after a crush than after
    cutting and repair) is a TEXTBOOK VALUE: we read only secondary sources for the human
    figure. The primary source we read is in rabbits: Gutmann, Guttmann, Medawar & Young 1942,
    J Exp Biol 19:14 (peroneal nerve: 2.77 mm/day after a crush, after a latent period of about
    18 days; 1.69 mm/day after cutting and suture). See ``trials.REGROWTH_SOURCES``.
    Remyelination "in weeks" is also textbook; the time constant here is our choice.

What it leaves out
    Misdirected regrowth (axons reaching the wrong target), regrowth that fails over long
    distances or after long delays (targets and Schwann cells stop supporting it), neuroma
    formation, age, diabetes, and the spinal cord's own changes (see ``reversal.py``).
    Distances for a wrist and a knee injury are rough anatomical figures of ours.

Units
    time in days; distances in mm; rates in mm/day; fractions 0-1; drive dimensionless (the
    dorsal horn model's C-fibre drive scale).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ._validation import Validated, check_array, check_params, check_range, params_or_default, validate_fields
from .drg import CHANNELS, DRGParams

RANGES: dict[str, tuple[float, float]] = {
    "distance_mm": (1.0, 1500.0),
    "rate_mm_per_day": (0.5, 5.0),
    "latency_days": (0.0, 60.0),
    "remyelination_days": (3.0, 180.0),
    "axon_loss": (0.0, 1.0),
    "drive0": (0.0, 2.0),
    "settle_days": (1.0, 180.0),
}

# Rough distances from an injury to the far end of the nerve's territory (ours, for teaching).
EXAMPLE_DISTANCES_MM = {
    "wrist (carpal tunnel to fingertips)": 120.0,
    "elbow (ulnar nerve to little finger)": 300.0,
    "knee (peroneal nerve at the fibular head to the toes)": 450.0,
}


@dataclass(frozen=True)
class RecoveryParams(Validated):
    """One injured nerve after its cause is removed (our teaching values; see module docstring).

    distance_mm: injury to target; rate_mm_per_day: regrowth speed (textbook about 1, range 1-4);
    latency_days: delay before regrowth starts; remyelination_days: time constant of myelin repair;
    axon_loss: fraction of axons that must regrow (0 = pure demyelination, 1 = all cut);
    drive0: ectopic drive at the moment the cause is removed; settle_days: how fast a
    regrown axon's abnormal firing settles once it reaches its target.
    """

    distance_mm: float = 120.0
    rate_mm_per_day: float = 1.0
    latency_days: float = 0.0
    remyelination_days: float = 21.0
    axon_loss: float = 0.3
    drive0: float = 0.9
    settle_days: float = 14.0

    def validate(self) -> "RecoveryParams":
        validate_fields(self, RANGES)
        return self


def regrowth_days(distance_mm: float, rate_mm_per_day: float = 1.0, latency_days: float = 0.0) -> float:
    """Days until regrowing axons reach their target: latency + distance / rate."""
    d = check_range("distance_mm", distance_mm, *RANGES["distance_mm"])
    r = check_range("rate_mm_per_day", rate_mm_per_day, *RANGES["rate_mm_per_day"])
    lat = check_range("latency_days", latency_days, *RANGES["latency_days"])
    return lat + d / r


DAYS_PER_WEEK = 7.0
#: Time constants of myelin repair until 90 % of the damage is repaired (exp(-t / tau) = 0.1).
MOSTLY_REPAIRED = math.log(10.0)


def weeks_to_target(distance_mm: float, rate_mm_per_day: float = 1.0) -> float:
    """Weeks until regrowing axons reach their target: distance / rate, with no latency (the regrowth
    lab's and the notebooks' arithmetic)."""
    return regrowth_days(distance_mm, rate_mm_per_day) / DAYS_PER_WEEK


def weeks_to_remyelinate(params: RecoveryParams | None = None) -> float:
    """Weeks until 90 % of the myelin damage is repaired (our teaching time constant)."""
    p = params_or_default("params", params, RecoveryParams)
    return p.remyelination_days * MOSTLY_REPAIRED / DAYS_PER_WEEK


@dataclass(frozen=True)
class RecoveryResult:
    t_days: np.ndarray  # days since the cause was removed
    demyelinated: np.ndarray  # fraction of surviving axons still demyelinated, 0-1
    front_mm: np.ndarray  # distance the regrowth front has advanced from the injury, mm
    reinnervated: np.ndarray  # fraction of lost axons that have reached the target and settled, 0-1
    drive: np.ndarray  # ectopic drive, dimensionless
    regrowth_days: float  # when the front reaches the target
    recovered_fraction: np.ndarray  # 1 - drive / drive0 (0 at removal, 1 when fully recovered)


def recovery_time_course(params: RecoveryParams | None = None, t_days=None) -> RecoveryResult:
    """Myelin repair, regrowth front and the fading ectopic drive after the cause is removed.

    ``t_days`` defaults to daily samples until 60 days after the front reaches the target.
    """
    p = params_or_default("params", params, RecoveryParams)
    t_reach = regrowth_days(p.distance_mm, p.rate_mm_per_day, p.latency_days)
    if t_days is None:
        t_days = np.arange(0.0, np.ceil(t_reach + 4 * p.settle_days + 60.0) + 1.0)
    t = check_array("t_days", t_days, 0.0, 1e7, ndim=1)
    demyel = np.exp(-t / p.remyelination_days)
    front = np.minimum(p.rate_mm_per_day * np.maximum(t - p.latency_days, 0.0), p.distance_mm)
    since_reach = np.maximum(t - t_reach, 0.0)
    reinnervated = np.where(t >= t_reach, 1.0 - np.exp(-since_reach / p.settle_days), 0.0)
    drive = p.drive0 * ((1.0 - p.axon_loss) * demyel + p.axon_loss * (1.0 - reinnervated))
    recovered = 1.0 - drive / p.drive0 if p.drive0 > 0 else np.ones_like(t)
    return RecoveryResult(t, demyel, front, reinnervated, drive, float(t_reach), recovered)


def recovery_drive(t_since_removal_days, params: RecoveryParams) -> np.ndarray:
    """Ectopic drive at each time since the cause was removed (0 before removal is the caller's job)."""
    check_params("params", params, RecoveryParams)
    t = check_array("t_since_removal_days", t_since_removal_days, -1e7, 1e7)
    return recovery_time_course(params, np.maximum(t, 0.0)).drive


def channel_scales_during_recovery(recovered_fraction: float, injured: dict[str, float]) -> DRGParams:
    """DRG parameters part-way back from an injured channel balance to healthy.

    ``injured`` maps channel names ('nav17', 'nav18', 'kdr', 'ka') to conductance scales of the
    injured neuron (1 = healthy). Each scale moves linearly toward 1 as ``recovered_fraction``
    goes from 0 to 1 (OUR SIMPLIFICATION: real channel expression recovers on its own time
    course). Which injured balance to start from is the caller's choice: SCIENCE.md notes that
    axotomy generally LOWERS Nav1.8 in injured cell bodies, so do not assume a rise.
    """
    f = check_range("recovered_fraction", recovered_fraction, 0.0, 1.0)
    if not isinstance(injured, Mapping):
        raise ValueError(f"injured = {injured!r:.80} is not allowed: it must map channel names "
                         f"({', '.join(CHANNELS)}) to conductance scales")
    scales = {}
    for name in CHANNELS:
        s = check_range(f"injured[{name!r}]", injured.get(name, 1.0), 0.0, 3.0)
        scales[name] = s + (1.0 - s) * f
    unknown = set(injured) - set(CHANNELS)
    if unknown:
        raise ValueError(f"injured has unknown channels {sorted(unknown)}: allowed are {list(CHANNELS)}")
    return DRGParams().with_scales(**scales)


__all__ = [
    "EXAMPLE_DISTANCES_MM",
    "RANGES",
    "RecoveryParams",
    "RecoveryResult",
    "channel_scales_during_recovery",
    "recovery_drive",
    "recovery_time_course",
    "regrowth_days",
    "weeks_to_remyelinate",
    "weeks_to_target",
]
