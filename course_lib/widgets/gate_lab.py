"""Gate lab: touch closes the spinal gate on pain, unless inhibition is lost.

Controls: touch (A-beta) drive held through the trial, a noxious (C) pulse, and the strength of
the inhibitory synapse onto the output neuron (the I -> W weight of Crodelle et al. 2017).
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..figures.dorsal_horn import build_gate_figure, describe_gate_figure, update_gate_figure
from ..models.dorsal_horn import gate_trials
from .base import Lab, float_slider

CONTROL_RANGES = {
    "touch": (0.0, 3.0, 0.1),
    "noxious": (0.0, 3.0, 0.1),
    "inhibition": (0.0, 0.3, 0.01),
}
DEFAULTS = {"touch": 2.0, "noxious": 2.0, "inhibition": 0.15}
ALLODYNIA_SPIKES = 2.0  # touch alone above this many impulses: "touch now gets through" (our threshold)


def gate_readout(spikes: np.ndarray, touch: float, noxious: float, inhibition: float) -> str:
    alone, touch_only, both = (float(x) for x in spikes)
    if touch <= 0.0:
        gate = f"With no touch, the noxious pulse sends {alone:.1f} impulses to the brain."
    elif both < 0.5 * alone:
        gate = f"Touch closes the gate: the noxious pulse sends {both:.1f} impulses instead of {alone:.1f}."
    elif both <= alone:
        gate = f"Touch only partly closes the gate: {both:.1f} impulses instead of {alone:.1f}."
    else:
        gate = f"The gate stays open: with touch the brain gets {both:.1f} impulses, not fewer than {alone:.1f}."
    if touch > 0.0 and touch_only > ALLODYNIA_SPIKES:
        feel = f" Touch alone sends {touch_only:.1f} impulses: with inhibition at {inhibition:.2f}, touch itself would hurt (allodynia)."
    elif touch > 0.0:
        feel = f" Touch alone sends only {touch_only:.1f} impulses: it feels like touch, not pain."
    else:
        feel = ""
    return gate + feel


class GateLab(Lab):
    """Rub it better: touch, noxious input and the strength of spinal inhibition."""

    title = "Gate lab: touch, pain and spinal inhibition (Crodelle et al. 2017 model)"

    def _build_controls(self) -> dict[str, widgets.Widget]:
        def slider(name, description, fmt):
            return float_slider(description, DEFAULTS[name], *CONTROL_RANGES[name], fmt)

        return {
            "touch": slider("touch", "Touch (A-beta) drive, 0-3", ".1f"),
            "noxious": slider("noxious", "Noxious (C) drive, 0-3", ".1f"),
            "inhibition": slider("inhibition", "Inhibition onto the output neuron", ".2f"),
        }

    def _build_figure(self):
        return build_gate_figure()

    def _update(self) -> None:
        self.check_controls()
        touch = float(self.value("touch"))
        noxious = float(self.value("noxious"))
        inhibition = float(self.value("inhibition"))
        noxious_alone, touch_alone, both = gate_trials(touch, noxious, inhibition)
        spikes = np.array([r.integrated_W_spikes for r in (noxious_alone, touch_alone, both)])
        update_gate_figure(self.figure, noxious_alone, both, spikes)
        self.result = {"spikes": spikes, "noxious_alone": noxious_alone, "touch_alone": touch_alone, "both": both}
        sentence = gate_readout(spikes, touch, noxious, inhibition)
        self.set_readout(sentence)
        self.set_description(describe_gate_figure(touch, noxious, inhibition, spikes))
        self._publish(float(spikes[2]), sentence)


__all__ = ["CONTROL_RANGES", "DEFAULTS", "GateLab", "gate_readout"]
