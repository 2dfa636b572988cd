"""Mystery neuron: one channel has changed -- probe the cell and work out which.

Model: the named-channel DRG model (``course_lib.models.drg``). A seeded random choice picks
one hidden change from ``MYSTERIES``; the learner sets a step current, compares with a
healthy neuron, and collects spike counts. ``answer_choices()`` and ``is_correct(choice)``
let a quiz question check the guess; this module never imports the quiz package (the
notebook wires the two together).
"""

from __future__ import annotations

import random

import ipywidgets as widgets

from course_lib.figures.nociceptor import (build_mystery_figure, describe_mystery_figure,
                                           update_mystery_figure)
from course_lib.models import drg
from course_lib.models.stimulus import Step

from .base import Lab, float_slider

# Every control's range, in one place (tests sweep exactly these): (min, max, step).
RANGES = {"amplitude_pA": (0.0, 500.0, 5.0)}
DEFAULTS = {"amplitude_pA": 50.0, "compare": True}
STEP_START_MS = 100.0
STEP_DURATION_MS = 500.0

# key -> (answer text, channel scales). Each hidden change leaves a distinct mark in the
# model: Nav1.8 up lowers the threshold (26 pA) and depolarises rest (-62 mV); KA removed
# keeps threshold and rest but makes taller (+55 mV), broader spikes; Nav1.8 blocked gives
# a hyperpolarised cell (-78 mV) that needs about 330 pA and then fires once.
MYSTERIES: dict[str, tuple[str, dict[str, float]]] = {
    "nav18_up": ("More Nav1.8 sodium channels (130 %)", {"nav18": 1.3}),
    "ka_off": ("A-type potassium channels (KA) removed", {"ka": 0.0}),
    "nav18_off": ("Nav1.8 sodium channels blocked (0 %)", {"nav18": 0.0}),
}
# Offered as a choice but never hidden. In this model removing Nav1.7 leaves threshold and
# rest unchanged and makes spikes *shorter* (+35 mV), so it is told apart from KA removal.
# (Fewer K channels is not offered: in this model it looks too much like more Nav1.8.)
DISTRACTORS: dict[str, str] = {"nav17_off": "Nav1.7 sodium channels removed (0 %)"}


#: Seeds that hide three different changes, one per group in a class (a test checks they differ).
CLASSROOM_SEEDS: tuple[int, ...] = (1, 5, 7)
OWN_MYSTERY = -1  # the group menu's value for "my own random mystery" (never a classroom seed)


class MysteryNeuronLab(Lab):
    """Probe a neuron with one hidden channel change; compare it with a healthy one."""

    title = "Mystery neuron: which channel changed?"

    def __init__(self, seed: int | None = None) -> None:
        self._rng = random.Random(seed)
        self._mystery_key = self._rng.choice(sorted(MYSTERIES))
        self.probes: dict[float, tuple[int, int]] = {}
        self._initial_seed = seed
        super().__init__()

    # ----- the puzzle ----------------------------------------------------------------------
    def answer_choices(self) -> list[str]:
        """Every possible answer, in a fixed order (the hidden one is among them)."""
        return [text for text, _ in MYSTERIES.values()] + list(DISTRACTORS.values())

    def is_correct(self, choice: str) -> bool:
        """True if ``choice`` (one of ``answer_choices()``) names the hidden change."""
        return choice == MYSTERIES[self._mystery_key][0]

    @property
    def hidden_key(self) -> str:
        """The hidden change's key (e.g. "ka_off"): what a diagnosis question is checked against."""
        return self._mystery_key

    def new_mystery(self) -> None:
        """Pick another hidden change (from the same seeded sequence) and start afresh."""
        self._mystery_key = self._rng.choice(sorted(MYSTERIES))
        self.probes = {}
        self.refresh()

    def placeholder_details(self) -> str:
        # The stored figure would show one random mystery's firing: say what the lab does instead.
        return ("A neuron with one hidden channel change, beside a healthy one. Set a step current, "
                "compare the two traces, and diagnose the change.")

    def use_seed(self, seed: int | None) -> None:
        """Start the seeded sequence ``seed`` (a classroom group's mystery), or a random one for None."""
        self._rng = random.Random(seed)
        self.new_mystery()

    def _layout_controls(self) -> widgets.Widget:
        # Outside self.controls on purpose: Reset clears the probes, never the group's mystery.
        # "my own" is OWN_MYSTERY, not None: a Dropdown reads the value None as "nothing chosen" and
        # shows an empty menu, even when an option's value is None
        options = [("my own random mystery", OWN_MYSTERY)] + [
            (f"group {chr(65 + i)} (classroom seed {seed})", seed) for i, seed in enumerate(CLASSROOM_SEEDS)]
        self.group_choice = widgets.Dropdown(
            options=options, value=self._initial_seed if self._initial_seed in CLASSROOM_SEEDS else OWN_MYSTERY,
            description="Mystery for", style={"description_width": "initial"},
            tooltip="Instructors: give each group its own hidden change",
        )
        self.group_choice.observe(
            lambda change: self.use_seed(None if change["new"] == OWN_MYSTERY else change["new"]), names="value")
        self.new_button = widgets.Button(description="New mystery", icon="random",
                                         tooltip="Hide another channel change and start again")
        self.new_button.on_click(lambda _button: self.new_mystery())
        return widgets.VBox([widgets.HBox([self.group_choice, self.new_button]), *self.controls.values()])

    def _mystery_params(self) -> drg.DRGParams:
        return drg.HEALTHY.with_scales(**MYSTERIES[self._mystery_key][1])

    # ----- controls, figure, update ----------------------------------------------------------
    def _build_controls(self) -> dict[str, widgets.Widget]:
        lo, hi, step = RANGES["amplitude_pA"]
        amp = float_slider("Step current (pA)", DEFAULTS["amplitude_pA"], lo, hi, step, ".0f", max_width="420px")
        compare = widgets.Checkbox(value=DEFAULTS["compare"], indent=False,
                                   description="Show a healthy neuron for comparison",
                                   style={"description_width": "initial"})
        return {"amplitude": amp, "compare": compare}

    def _build_figure(self):
        return build_mystery_figure()

    def reset(self) -> None:
        self.probes = {}
        super().reset()

    def _update(self) -> None:
        amplitude = float(self.value("amplitude"))
        compare = bool(self.value("compare"))
        stimulus = Step(amplitude, STEP_START_MS, STEP_DURATION_MS)
        stop = STEP_START_MS + STEP_DURATION_MS + 100.0
        mystery = drg.simulate(self._mystery_params(), stimulus, t_stop_ms=stop)
        healthy = drg.simulate(drg.HEALTHY, stimulus, t_stop_ms=stop)
        n_m, n_h = _in_step(mystery), _in_step(healthy)
        self.probes[amplitude] = (n_h, n_m)
        update_mystery_figure(self.figure, mystery, healthy if compare else None,
                              self.probes)
        rest_m = drg.resting_potential(self._mystery_params())
        rest_h = drg.resting_potential(drg.HEALTHY)
        spont = drg.spontaneous_rate(self._mystery_params())
        peak = ("" if n_m == 0 else f", tallest spike {mystery.v_mV.max():+.0f} mV"
                + (f" (healthy: {healthy.v_mV.max():+.0f} mV)" if compare and n_h else ""))
        sentence = (f"At {amplitude:g} pA the mystery neuron fires {_count(n_m)}"
                    + (f" (healthy: {_count(n_h)})" if compare else "") + peak + ". "
                    + (f"With no stimulus it fires on its own at about {spont:.0f} Hz."
                       if spont > 0 else
                       f"Its resting potential is {rest_m:.1f} mV"
                       + (f" (healthy: {rest_h:.1f} mV)." if compare else ".")))
        self.result = {"amplitude_pA": amplitude, "mystery": mystery, "healthy": healthy,
                       "n_spikes_mystery": n_m, "n_spikes_healthy": n_h,
                       "resting_mV": rest_m, "probes": dict(self.probes)}
        self.set_readout(sentence)
        self.set_description(describe_mystery_figure(amplitude, n_m, n_h if compare else None,
                                                     len(self.probes)))
        self._publish(self.result, sentence)


def _in_step(result: drg.DRGResult) -> int:
    s = result.spike_times_ms
    stim = result.stimulus
    return int(((s >= stim.start_ms) & (s < stim.end_ms)).sum())


def _count(n: int) -> str:
    return f"{n} spike{'s' if n != 1 else ''}"


__all__ = ["MysteryNeuronLab", "MYSTERIES", "DISTRACTORS", "RANGES"]
