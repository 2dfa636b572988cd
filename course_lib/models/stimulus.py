"""Stimulus protocols: the current a virtual electrode injects into a model neuron.

What it models: four textbook current-clamp protocols -- no stimulus, a rectangular step,
a linear ramp, and a train of rectangular pulses -- as small frozen dataclasses that turn
into a current waveform on any time grid.

What it leaves out: electrode resistance, capacitance compensation, the noise of a real
amplifier (the balance model adds its own noise current, see ``excitability.py``).

Units: time in ms. The *amplitude* has the units of the model it drives:
  - uA/cm2 (current density) for the Ratte et al. 2014 balance model (``excitability.py``);
  - pA (whole-cell current) for the named-channel DRG model (``drg.py``).
The protocol objects do not know which model they feed, so the amplitude field is unit-free
here and each model's docstring states what it expects.

This is standard electrophysiology practice, not a published model.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Union

import numpy as np
from numba import njit

from course_lib.models._validation import (Validated, check_int, check_positive, check_range,
                                            validate_fields)

# Allowed ranges, one place. Amplitudes allow negative (hyperpolarising) current.
AMPLITUDE_RANGE = (-2000.0, 2000.0)
TIME_RANGE_MS = (0.0, 60_000.0)

NO_STIMULUS_RANGES: dict[str, tuple[float, float]] = {}
STEP_RANGES = {"amplitude": AMPLITUDE_RANGE, "start_ms": TIME_RANGE_MS,
               "duration_ms": TIME_RANGE_MS}
RAMP_RANGES = dict(STEP_RANGES)
PULSE_TRAIN_RANGES = {**STEP_RANGES, "pulse_width_ms": (0.01, 1000.0),
                      "frequency_hz": (0.1, 1000.0)}


@dataclass(frozen=True)
class NoStimulus(Validated):
    """Zero current at all times (used to look for spontaneous firing)."""

    def validate(self) -> None:
        validate_fields(self, NO_STIMULUS_RANGES)

    def waveform(self, t_ms) -> np.ndarray:
        """Current at each time in ``t_ms`` (all zero)."""
        return np.zeros_like(np.asarray(t_ms, dtype=float))

    def breakpoints(self) -> tuple[float, ...]:
        """Times where the waveform jumps or kinks (none)."""
        return ()

    @property
    def end_ms(self) -> float:
        return 0.0

    @property
    def start_ms(self) -> float:
        return 0.0

    def describe(self) -> str:
        return "no stimulus"


class _TimeWindow(Validated):
    """Shared by the protocols that are on from ``start_ms`` for ``duration_ms``."""

    start_ms: float
    duration_ms: float

    @property
    def end_ms(self) -> float:
        return self.start_ms + self.duration_ms

    def breakpoints(self) -> tuple[float, ...]:
        """Times where the waveform jumps: an integrator should land exactly on them."""
        return (self.start_ms, self.end_ms)


@dataclass(frozen=True)
class Step(_TimeWindow):
    """A rectangular current step: ``amplitude`` from ``start_ms`` for ``duration_ms``."""

    amplitude: float = 0.0
    start_ms: float = 100.0
    duration_ms: float = 1000.0

    def validate(self) -> None:
        validate_fields(self, STEP_RANGES)

    def waveform(self, t_ms) -> np.ndarray:
        t = np.asarray(t_ms, dtype=float)
        on = (t >= self.start_ms) & (t < self.end_ms)
        return np.where(on, float(self.amplitude), 0.0)

    def describe(self) -> str:
        return f"step of {self.amplitude:g} for {self.duration_ms:g} ms"


@dataclass(frozen=True)
class Ramp(_TimeWindow):
    """A linear ramp from 0 at ``start_ms`` to ``amplitude`` at the end, then back to 0."""

    amplitude: float = 0.0
    start_ms: float = 100.0
    duration_ms: float = 1000.0

    def validate(self) -> None:
        validate_fields(self, RAMP_RANGES)

    def waveform(self, t_ms) -> np.ndarray:
        t = np.asarray(t_ms, dtype=float)
        on = (t >= self.start_ms) & (t < self.end_ms)
        # duration 0 would divide by zero; such a ramp is simply off
        frac = (t - self.start_ms) / max(self.duration_ms, 1e-12)
        return np.where(on, float(self.amplitude) * frac, 0.0)

    def describe(self) -> str:
        return f"ramp to {self.amplitude:g} over {self.duration_ms:g} ms"


@dataclass(frozen=True)
class PulseTrain(_TimeWindow):
    """Rectangular pulses of ``pulse_width_ms`` at ``frequency_hz`` between start and end."""

    amplitude: float = 0.0
    start_ms: float = 100.0
    duration_ms: float = 1000.0
    pulse_width_ms: float = 2.0
    frequency_hz: float = 10.0

    def validate(self) -> None:
        validate_fields(self, PULSE_TRAIN_RANGES)

    @property
    def period_ms(self) -> float:
        return 1000.0 / self.frequency_hz

    def waveform(self, t_ms) -> np.ndarray:
        t = np.asarray(t_ms, dtype=float)
        since = t - self.start_ms
        phase = np.mod(since, self.period_ms)
        on = (since >= 0) & (t < self.end_ms) & (phase < self.pulse_width_ms)
        return np.where(on, float(self.amplitude), 0.0)

    def pulse_onsets_ms(self) -> np.ndarray:
        return np.arange(self.start_ms, self.end_ms, self.period_ms)

    def breakpoints(self) -> tuple[float, ...]:
        points = []
        for onset in self.pulse_onsets_ms():
            points.append(float(onset))
            points.append(float(min(onset + self.pulse_width_ms, self.end_ms)))
        points.append(self.end_ms)
        return tuple(sorted(set(points)))

    def describe(self) -> str:
        return (f"{self.frequency_hz:g} Hz train of {self.pulse_width_ms:g} ms pulses of "
                f"{self.amplitude:g} for {self.duration_ms:g} ms")


Stimulus = Union[NoStimulus, Step, Ramp, PulseTrain]
STIMULUS_TYPES = (NoStimulus, Step, Ramp, PulseTrain)


def check_stimulus(stimulus) -> None:
    """A protocol object from this module with valid fields; ValueError otherwise."""
    if not isinstance(stimulus, STIMULUS_TYPES):
        raise ValueError(f"stimulus = {stimulus!r:.80} is not allowed: it must be one of "
                         "NoStimulus, Step, Ramp or PulseTrain")
    stimulus.validate()


def stage_samples(stimulus: Stimulus, dt_ms: float, n_steps: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The current seen by the three time points of each Runge-Kutta step.

    Step k runs from t_k = k*dt to t_k + dt. A fixed-step solver evaluates the current at
    the start, the middle and the end of the step. We sample just *inside* the step at both
    ends, so a step edge that lies on the grid is seen as the one-sided value belonging to
    that step (sampling exactly on the edge would leak a sixth of a step of charge).

    Returns (i_start, i_mid, i_end), each of length ``n_steps``.
    """
    check_stimulus(stimulus)
    dt_ms = check_positive("dt_ms", dt_ms, 10.0)
    n_steps = check_int("n_steps", n_steps, 1, 100_000_000)
    t0 = np.arange(n_steps, dtype=float) * dt_ms
    inside = 1e-6 * dt_ms
    return (stimulus.waveform(t0 + inside),
            stimulus.waveform(t0 + 0.5 * dt_ms),
            stimulus.waveform(t0 + dt_ms - inside))


@lru_cache(maxsize=32)
def _unit_step_samples(start_ms: float, duration_ms: float, dt_ms: float, n_steps: int
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    samples = stage_samples(Step(1.0, start_ms, duration_ms), dt_ms, n_steps)
    for array in samples:
        array.setflags(write=False)
    return samples


def step_stage_samples(step: Step, dt_ms: float, n_steps: int
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`stage_samples` of a Step, from a cached unit step scaled by the amplitude.

    The same numbers (the waveform is 0 or the amplitude), without rebuilding the time grid
    for every run of a rheobase search, where only the amplitude changes.
    """
    if not isinstance(step, Step):
        raise ValueError(f"step = {step!r:.80} is not allowed: it must be a Step")
    step.validate()
    dt_ms = check_positive("dt_ms", dt_ms, 10.0)
    n_steps = check_int("n_steps", n_steps, 1, 100_000_000)
    unit = _unit_step_samples(float(step.start_ms), float(step.duration_ms), dt_ms, n_steps)
    amplitude = float(step.amplitude)
    return tuple(amplitude * array for array in unit)


def ou_noise_stage_samples(sd: float, tau_ms: float, dt_ms: float, n_steps: int,
                           seed: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Seeded Ornstein-Uhlenbeck noise current sampled at the Runge-Kutta stage times.

    Stationary standard deviation ``sd`` and correlation time ``tau_ms``. The exact OU
    update on a half-step grid keeps the standard deviation independent of ``dt_ms``.
    Returns zeros when ``sd == 0``.
    """
    sd = check_range("sd", sd, 0.0, 100.0)
    tau_ms = check_positive("tau_ms", tau_ms, 1e6)
    dt_ms = check_positive("dt_ms", dt_ms, 10.0)
    n_steps = check_int("n_steps", n_steps, 1, 100_000_000)
    if seed is not None:
        seed = check_int("seed", seed, 0, 2**63 - 1)
    if sd == 0.0:
        zero = np.zeros(n_steps)
        return zero, zero.copy(), zero.copy()
    rng = np.random.default_rng(seed)
    h = 0.5 * dt_ms
    decay = np.exp(-h / tau_ms)
    kick = sd * np.sqrt(1.0 - decay * decay)
    shocks = rng.standard_normal(2 * n_steps + 1)
    x = _ar1(shocks, sd, decay, kick)
    return x[0:-1:2].copy(), x[1::2].copy(), x[2::2].copy()


@njit(cache=True)
def _ar1(shocks, sd, decay, kick):
    """x[0] = sd*shocks[0]; x[j] = decay*x[j-1] + kick*shocks[j] (numpy has no AR(1))."""
    x = np.empty(shocks.shape[0])
    x[0] = sd * shocks[0]
    for j in range(1, shocks.shape[0]):
        x[j] = decay * x[j - 1] + kick * shocks[j]
    return x
