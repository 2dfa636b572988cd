"""A toy response curve for the start-here notebook's demo slider.

What it models: how strongly a sensory nerve fibre fires (impulses per second) as a stimulus gets
stronger, as a smooth S-shaped (logistic) curve with a threshold. Lowering the threshold shifts the
curve left, so a gentle stimulus that used to give almost nothing now gives a brisk response: the
idea behind the sensitised fibres met later in the course.

This is OUR OWN TEACHING TOY, not a published model. It leaves out everything about how a real
fibre fires (ion channels, spikes, adaptation); notebook 02 uses published models for that.

Units: stimulus strength is dimensionless (0-10, "how hard the press is"); firing rate in Hz
(impulses per second); threshold in the same units as stimulus strength.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import Validated, check_array, check_int, check_params, validate_fields

RANGES = {
    "threshold": (0.5, 9.5),
    "max_rate_hz": (1.0, 200.0),
    "steepness": (0.1, 10.0),
}


@dataclass(frozen=True)
class ToyFibreParams(Validated):
    """Parameters of the toy response curve (our own, for the demo)."""

    threshold: float = 6.0  # stimulus strength that gives half the maximum rate
    max_rate_hz: float = 50.0  # the fastest the toy fibre fires, in Hz
    steepness: float = 1.5  # how sharply the curve rises around the threshold, per unit strength

    def validate(self) -> "ToyFibreParams":
        validate_fields(self, RANGES)
        return self


def firing_rate_hz(stimulus: np.ndarray | float, params: ToyFibreParams) -> np.ndarray:
    """Firing rate (Hz) of the toy fibre for each stimulus strength."""
    check_params("params", params, ToyFibreParams)
    s = check_array("stimulus", stimulus, 0.0, 10.0)
    return params.max_rate_hz / (1.0 + np.exp(-params.steepness * (s - params.threshold)))


def response_curve(params: ToyFibreParams, n_points: int = 201) -> tuple[np.ndarray, np.ndarray]:
    """Stimulus strengths from 0 to 10 and the toy fibre's rate at each."""
    check_params("params", params, ToyFibreParams)
    n_points = check_int("n_points", n_points, 2, 100_000)
    strengths = np.linspace(0.0, 10.0, n_points)
    return strengths, firing_rate_hz(strengths, params)
