"""Wind-up lab: repeat the same C-fibre stimulus and watch the response climb (or not).

Controls: stimulus frequency (0.1-2 per second) and whether NMDA receptors work. The model is
our minimal wind-up model (``course_lib.models.windup``), a simplification of Aguiar et al. 2010.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..figures.dorsal_horn import build_windup_figure, describe_windup_figure, update_windup_figure
from ..models.windup import simulate_windup
from .base import Lab, float_slider

CONTROL_RANGES = {
    "frequency_hz": (0.1, 2.0, 0.1),
    "nmda_on": (False, True),
}
DEFAULTS = {"frequency_hz": 1.0, "nmda_on": True}
N_PULSES = 15


def windup_readout(result, nmda_on: bool) -> str:
    first, last = float(result.responses[0]), float(result.responses[-1])
    ratio = last / first if first > 0 else float("nan")
    rate = f"{result.frequency_hz:g} stimulus" if result.frequency_hz == 1 else f"{result.frequency_hz:g} stimuli"
    where = f"At {rate} per second with NMDA receptors {'working' if nmda_on else 'blocked'}"
    if ratio >= 1.5:
        verdict = f"the response climbs from {first:.1f} to {last:.1f} impulses ({ratio:.1f} times): wind-up."
    elif ratio >= 1.1:
        verdict = f"the response creeps up from {first:.1f} to {last:.1f} impulses: only slight wind-up."
    else:
        verdict = f"every stimulus gives about {first:.1f} impulses: no wind-up."
    return f"{where}, {verdict}"


class WindupLab(Lab):
    """Change the stimulus rate or block NMDA receptors and compare the 15 responses."""

    title = "Wind-up lab: the same stimulus, again and again (a teaching model)"

    def _build_controls(self) -> dict[str, widgets.Widget]:
        low, high, step = CONTROL_RANGES["frequency_hz"]
        return {
            "frequency_hz": float_slider("Stimuli per second (Hz)", DEFAULTS["frequency_hz"], low, high, step, ".1f"),
            "nmda_on": widgets.Checkbox(
                value=DEFAULTS["nmda_on"], description="NMDA receptors working", indent=False,
                style={"description_width": "initial"},
            ),
        }

    def _build_figure(self):
        return build_windup_figure()

    def _update(self) -> None:
        self.check_controls()
        frequency = float(self.value("frequency_hz"))
        nmda_on = bool(self.value("nmda_on"))
        result = simulate_windup(frequency_hz=frequency, n_pulses=N_PULSES, nmda_on=nmda_on)
        # the grey line is the previous setting (before/after), not a fixed "NMDA blocked" line,
        # which would answer the lab's Predict question before the learner tries it
        previous = self.result if self.result is not None else result
        update_windup_figure(self.figure, result, previous)
        self.result = result
        sentence = windup_readout(result, nmda_on)
        self.set_readout(sentence)
        self.set_description(describe_windup_figure(result, nmda_on))
        self._publish(result.windup_ratio, sentence)


__all__ = ["CONTROL_RANGES", "DEFAULTS", "WindupLab", "windup_readout"]
