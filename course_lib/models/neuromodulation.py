"""Neuromodulation: conventional spinal cord stimulation (SCS) and DRG stimulation in the gate model.

What it models
    Conventional (tonic, paraesthesia-based) SCS activates large A-beta fibres in the dorsal
    columns; in the gate model (``dorsal_horn.py``, Crodelle et al. 2017) A-beta input excites
    the inhibitory interneurons I, which close the gate on C-fibre input to the projection
    neurons W. We model it as a tonic A-beta drive present for the whole trial
    (``dorsal_horn.stimulus_trial(tonic_touch=...)``) and compare the W response to a C-fibre
    pulse with and without it. The sensitisation state S (``sensitisation.py``) can be set:
    with most inhibition lost (S near 1, inhibitory weights x (1 - D S)) the same A-beta drive
    excites W instead, so in this model the gate needs working inhibition to close.

    DRG stimulation acts on ONE segment: several spinal segments each receive their own C
    input, and the stimulator drives the A-beta neurons of the stimulated segment's ganglion
    only (OUR SIMPLIFICATION: the segment's own gate closes; the other segments are untouched).
    How DRG stimulation relieves pain is still studied; this is one reading, not settled.

    10 kHz ("high-frequency") SCS produces no paraesthesia and its mechanism is debated, so it
    is NOT modelled with the gate: asking for it raises an error that says so. Its trial result
    (SENZA-PDN) is shown as published numbers only (``trials.PUBLISHED``).

Source
    Gate model: Crodelle et al. 2017, doi:10.1007/978-3-319-60304-9_2 (parameters from a public
    implementation, see ``dorsal_horn.py``); gate control theory: Melzack & Wall 1965, Science
    150:971 (doi:10.1126/science.150.3699.971). Trials: Kumar et al. 2007 (PROCESS), Petersen
    et al. 2021 (SENZA-PDN), Deer et al. 2017 (ACCURATE): see ``trials.PUBLISHED`` for numbers,
    DOIs and caveats (open label, industry funding, selected patients).

What it leaves out
    Electrode placement, pulse width and frequency (tonic A-beta drive has one number), the
    paraesthesia map, habituation over months, device complications, the brain's part, and
    every mechanism beyond the segmental gate. The stimulus protocol is the course's (ours).

Units
    drives dimensionless (the dorsal horn model's scale: 2.0 = the chapter's C test pulse);
    responses in integrated W spikes per 400-ms trial (impulses); S 0-1; time in ms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import (Validated, check_array, check_choice, check_int, check_range, params_or_default,
                          validate_fields)
from .dorsal_horn import STRONG_DRIVE, DorsalHornParams, stimulus_trial
from .sensitisation import SensitisationParams, couple_to_dorsal_horn
from .trials import PUBLISHED, PublishedResult

FAST_DT_MS = 0.25  # the lab step (as in timeline.stimulus_response_curves)

HIGH_FREQUENCY_NOTE = (
    "10 kHz spinal cord stimulation produces no tingling (paraesthesia) and how it works is "
    "debated; it is not explained by the gate model, so this course does not simulate it. "
    "See its trial result (SENZA-PDN) in trials.PUBLISHED instead."
)

SCS_RANGES: dict[str, tuple[float, float]] = {
    "amplitude": (0.0, 4.0),
    "S": (0.0, 1.0),
    "noxious_drive": (0.0, 5.0),
}


@dataclass(frozen=True)
class SCSParams(Validated):
    """Conventional SCS in the gate model (our protocol).

    amplitude: tonic A-beta drive from the stimulator (0 = off); S: sensitisation state of the
    cord; noxious_drive: the C-fibre test pulse (2.0 for 75 ms, the chapter's test input).
    """

    amplitude: float = 1.5
    S: float = 0.0
    noxious_drive: float = STRONG_DRIVE

    def validate(self) -> "SCSParams":
        validate_fields(self, SCS_RANGES)
        return self


@dataclass(frozen=True)
class GateResult:
    c_response_off: float  # integrated W spikes for the C pulse, stimulator off
    c_response_on: float  # the same with the stimulator on
    stimulation_alone: float  # W spikes from the stimulator alone (no C pulse)
    relief_fraction: float  # 1 - on / off (negative: stimulation made it worse)

    @property
    def gate_closed(self) -> bool:
        """Our wording: the C response fell by at least half."""
        return self.relief_fraction >= 0.5


def _cord(S: float, sens: SensitisationParams | None, dh: DorsalHornParams | None) -> DorsalHornParams:
    sens = params_or_default("sens", sens, SensitisationParams)
    dh = params_or_default("dh", dh, DorsalHornParams)
    return couple_to_dorsal_horn(dh, S, sens) if S > 0 else dh


def scs_gate(params: SCSParams | None = None, sens=None, dh=None, mode: str = "conventional",
             dt_ms: float = FAST_DT_MS) -> GateResult:
    """C-fibre response with and without conventional SCS (tonic A-beta drive) in the gate model."""
    if mode in ("10kHz", "high_frequency"):
        raise ValueError(f"mode = {mode!r} is not modelled: {HIGH_FREQUENCY_NOTE}")
    check_choice("mode", mode, ("conventional",))
    p = params_or_default("params", params, SCSParams)
    cord = _cord(p.S, sens, dh)
    off = stimulus_trial(cord, noxious=p.noxious_drive, dt_ms=dt_ms).integrated_W_spikes
    on = stimulus_trial(cord, noxious=p.noxious_drive, tonic_touch=p.amplitude, dt_ms=dt_ms).integrated_W_spikes
    alone = stimulus_trial(cord, tonic_touch=p.amplitude, dt_ms=dt_ms).integrated_W_spikes
    relief = 1.0 - on / off if off > 0 else 0.0
    return GateResult(off, on, alone, relief)


def scs_amplitude_curve(amplitudes, S: float = 0.0, noxious_drive: float = STRONG_DRIVE, sens=None, dh=None,
                        dt_ms: float = FAST_DT_MS) -> np.ndarray:
    """C-pulse response (integrated W spikes) at each stimulator amplitude."""
    amps = np.atleast_1d(check_array("amplitudes", amplitudes, *SCS_RANGES["amplitude"]))
    if amps.ndim != 1 or amps.size == 0 or amps.size > 200:
        raise ValueError("amplitudes must be a 1-D list of 1 to 200 amplitudes")
    S = check_range("S", S, 0.0, 1.0)
    nox = check_range("noxious_drive", noxious_drive, *SCS_RANGES["noxious_drive"])
    cord = _cord(S, sens, dh)
    return np.array([stimulus_trial(cord, noxious=nox, tonic_touch=float(a), dt_ms=dt_ms).integrated_W_spikes
                     for a in amps])


# ----- DRG stimulation: one segment ------------------------------------------------------------
@dataclass(frozen=True)
class DRGStimResult:
    segment_names: tuple[str, ...]
    off: np.ndarray  # integrated W spikes per segment, stimulator off
    on: np.ndarray  # the same with the stimulated segment's gate driven
    stimulated: int

    @property
    def total_off(self) -> float:
        return float(self.off.sum())

    @property
    def total_on(self) -> float:
        return float(self.on.sum())


DEFAULT_SEGMENTS = ("L3", "L4", "L5", "S1")


def drg_stimulation(segment_c_drives=(0.5, 0.5, 2.0, 0.5), stimulated: int = 2, amplitude: float = 1.5,
                    S: float = 0.0, segment_names=DEFAULT_SEGMENTS, sens=None, dh=None,
                    dt_ms: float = FAST_DT_MS) -> DRGStimResult:
    """Each segment's W response to its own C pulse, with the stimulator on one segment's ganglion.

    Default: the painful input arrives mostly through L5 (a focal problem, as in the CRPS and
    causalgia patients of ACCURATE) and the lead sits on the L5 ganglion.
    """
    drives = check_array("segment_c_drives", segment_c_drives, 0.0, 5.0, ndim=1)
    if not 1 <= drives.size <= 12:
        raise ValueError(f"segment_c_drives = {segment_c_drives!r:.80} is not allowed: it must be 1 to 12 drives")
    if (isinstance(segment_names, str) or not isinstance(segment_names, (tuple, list))
            or len(segment_names) != drives.size or not all(isinstance(n, str) for n in segment_names)):
        raise ValueError(f"segment_names = {segment_names!r:.80} is not allowed: it must be {drives.size} "
                         "names (text), one per drive in segment_c_drives")
    k = check_int("stimulated", stimulated, 0, drives.size - 1)
    amp = check_range("amplitude", amplitude, *SCS_RANGES["amplitude"])
    S = check_range("S", S, 0.0, 1.0)
    cord = _cord(S, sens, dh)
    off = np.array([stimulus_trial(cord, noxious=float(d), dt_ms=dt_ms).integrated_W_spikes for d in drives])
    on = off.copy()
    on[k] = stimulus_trial(cord, noxious=float(drives[k]), tonic_touch=amp, dt_ms=dt_ms).integrated_W_spikes
    return DRGStimResult(tuple(segment_names), off, on, k)


# ----- published results, for the trial lab -----------------------------------------------------
NEUROMODULATION_TRIALS = ("PROCESS", "SENZA_PDN", "ACCURATE")


def published_trial(key: str) -> PublishedResult:
    """A neuromodulation trial's published numbers and caveats (see trials.PUBLISHED)."""
    if key not in NEUROMODULATION_TRIALS:
        raise ValueError(f"key = {key!r} is not allowed: it must be one of {list(NEUROMODULATION_TRIALS)}")
    return PUBLISHED[key]


__all__ = [
    "DEFAULT_SEGMENTS",
    "DRGStimResult",
    "GateResult",
    "HIGH_FREQUENCY_NOTE",
    "NEUROMODULATION_TRIALS",
    "SCSParams",
    "SCS_RANGES",
    "drg_stimulation",
    "published_trial",
    "scs_amplitude_curve",
    "scs_gate",
]
