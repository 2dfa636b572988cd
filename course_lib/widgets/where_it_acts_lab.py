"""Where-it-acts lab (notebook 05): tick treatments and see which stage of the pathway changes.

Model: ``course_lib.models.pathway`` (our teaching model: the 02 nociceptor feeding the 03
dorsal horn, with descending control from the brainstem). Each treatment is a Checkbox
(combinations allowed). Sliders set the state of mind (attention, mood, sleep, fear of
movement), which moves descending control, and central sensitisation S (03's coupling), so a
learner can also see why psychological therapy is not "it's in your head".

The nerve stage is the costly one (a DRG simulation); the lab warms its cache when it is built,
so every tick afterwards is a cache hit and an update costs two dorsal horn trials.
"""

from __future__ import annotations

from dataclasses import replace

import ipywidgets as widgets

from ..figures.pathway import build_pathway_figure, describe_pathway_figure, update_pathway_figure
from ..models import pathway as pw
from .base import Lab

#: Slider ranges (low, high, step); the tests sweep exactly these.
CONTROL_RANGES: dict[str, tuple[float, float, float]] = {
    "attention_to_pain": (0.0, 1.0, 0.05),
    "mood": (0.0, 1.0, 0.05),
    "sleep_quality": (0.0, 1.0, 0.05),
    "fear_of_movement": (0.0, 1.0, 0.05),
    "sensitisation": (0.0, 1.0, 0.05),
}
TREATMENT_CONTROLS = pw.TREATMENT_KEYS       # one Checkbox each, named by the treatment key
MIND_CONTROLS = ("attention_to_pain", "mood", "sleep_quality", "fear_of_movement")
DEFAULTS: dict[str, object] = {
    **{key: False for key in TREATMENT_CONTROLS},
    **{name: 0.5 for name in MIND_CONTROLS},      # the neutral mind: the 03 model unchanged
    "sensitisation": 0.0,
}
SLIDER_LABELS = {
    "attention_to_pain": "Attention on the pain (0-1)",
    "mood": "Mood (0-1)",
    "sleep_quality": "Sleep quality (0-1)",
    "fear_of_movement": "Fear of movement (0-1)",
    "sensitisation": "Central sensitisation S (0-1)",
}
CHANGE_THRESHOLD_PERCENT = 0.5   # smaller changes are read out as "unchanged"


def _percent_change(now: float, before: float) -> float:
    return 0.0 if before == 0.0 else 100.0 * (now - before) / before


def stage_changes(result: pw.PathwayResult, untreated: pw.PathwayResult) -> dict[str, float]:
    """Percent change of each measured stage against the untreated pathway (same mind, same S)."""
    now, before = pw.stage_outputs(result), pw.stage_outputs(untreated)
    return {"nerve": _percent_change(now["nerve"], before["nerve"]),
            "cord": _percent_change(now["terminals"], before["terminals"]),
            "brain": _percent_change(now["brain"], before["brain"])}


_STAGE_WORDS = {"nerve": "the nerve's firing", "cord": "the input into the spinal cord",
                "brain": "the signal to the brain"}


def pathway_readout(result: pw.PathwayResult, untreated: pw.PathwayResult,
                    reference: pw.PathwayResult) -> str:
    """Which stages changed and by how much, in words about the model."""
    if not result.treatments:
        sentence = ("In this teaching model, with no treatment ticked, the nerve fires at "
                    f"{untreated.nerve_output_hz:.0f} Hz and {untreated.signal_to_brain:.1f} "
                    "impulses reach the brain per stimulus.")
    else:
        names = ", ".join(pw.TREATMENTS[k].label for k in result.treatments)
        changes = stage_changes(result, untreated)
        changed = [f"{_STAGE_WORDS[s]} {'down' if p < 0 else 'up'} {abs(p):.0f} %"
                   for s, p in changes.items() if abs(p) >= CHANGE_THRESHOLD_PERCENT]
        same = [_STAGE_WORDS[s] for s, p in changes.items() if abs(p) < CHANGE_THRESHOLD_PERCENT]
        sentence = f"In this teaching model, with {names}: " + "; ".join(changed or ["no stage changed"])
        if same:
            sentence += f"; unchanged: {', '.join(same)}"
        sentence += (f". Signal to the brain: {result.signal_to_brain:.1f} impulses instead of "
                     f"{untreated.signal_to_brain:.1f}.")
        if len(result.treatments) > 1:
            sentence += (" Careful: the model simply stacks the effects of combined treatments "
                         "and leaves out their side effects, which also add up; it cannot show "
                         "that more medicines means more relief.")
    if abs(untreated.signal_to_brain - reference.signal_to_brain) >= 0.05:
        direction = "raise" if untreated.signal_to_brain > reference.signal_to_brain else "lower"
        sentence += (f" The state of mind and sensitisation you set {direction} the untreated signal "
                     f"to {untreated.signal_to_brain:.1f} impulses, from "
                     f"{reference.signal_to_brain:.1f} with a neutral mind and no sensitisation: "
                     "a real change in the spinal cord, not an imagined one.")
    return sentence


class WhereItActsLab(Lab):
    """Tick treatments; see where each acts and what reaches the nerve, spinal cord and brain."""

    title = "Where-it-acts lab: treatments along the pain pathway (our teaching model)"

    def __init__(self, params: pw.PathwayParams = pw.DEFAULT_PATHWAY) -> None:
        self.params = params.validate()
        self.nerve_variants = pw.warm_nerve_cache(self.params)
        super().__init__()

    # ----- controls --------------------------------------------------------------------------
    def _build_controls(self) -> dict[str, widgets.Widget]:
        controls: dict[str, widgets.Widget] = {}
        for key in TREATMENT_CONTROLS:
            controls[key] = widgets.Checkbox(value=DEFAULTS[key], description=pw.TREATMENTS[key].label,
                                             indent=False, style={"description_width": "initial"},
                                             tooltip=pw.TREATMENTS[key].mechanism)
        for name, (low, high, step) in CONTROL_RANGES.items():
            controls[name] = widgets.FloatSlider(
                value=DEFAULTS[name], min=low, max=high, step=step, description=SLIDER_LABELS[name],
                readout_format=".2f", continuous_update=False,
                style={"description_width": "initial"}, layout=widgets.Layout(width="100%", max_width="480px"))
        return controls

    def _layout_controls(self) -> widgets.Widget:
        ticks = widgets.VBox([widgets.HTML("<b>Treatments</b> (tick one or more)"),
                              *(self.controls[k] for k in TREATMENT_CONTROLS)])
        mind = widgets.VBox([widgets.HTML(
            "<b>State of mind and of the spinal cord</b>: 0.5 is neutral; attention 1 = "
            "focused on the pain; mood and sleep 1 = good; fear 1 = strong fear that moving "
            "harms; S 1 = fully sensitised (notebook 03)"),
                             *(self.controls[n] for n in CONTROL_RANGES)])
        return widgets.VBox([ticks, mind])

    # ----- model -----------------------------------------------------------------------------
    def treatments(self) -> tuple[str, ...]:
        return tuple(k for k in TREATMENT_CONTROLS if self.value(k))

    def mind(self) -> pw.MindState:
        return pw.MindState(**{n: float(self.value(n)) for n in MIND_CONTROLS})

    def pathway_params(self) -> pw.PathwayParams:
        return replace(self.params, sensitisation_S=float(self.value("sensitisation")))

    # ----- figure and update -----------------------------------------------------------------
    def _build_figure(self):
        return build_pathway_figure()

    def _update(self) -> None:
        params, mind = self.pathway_params(), self.mind()
        result = pw.simulate_pathway(self.treatments(), params, mind=mind)
        untreated = pw.simulate_pathway((), params, mind=mind)
        neutral = (mind == pw.NEUTRAL_MIND and params.sensitisation_S == self.params.sensitisation_S)
        reference = untreated if neutral else pw.simulate_pathway((), self.params)
        update_pathway_figure(self.figure, result, untreated)
        self.result = {"treated": result, "untreated": untreated, "reference": reference,
                       "changes": stage_changes(result, untreated)}
        sentence = pathway_readout(result, untreated, reference)
        self.set_readout(sentence)
        self.set_description(describe_pathway_figure(result, untreated))
        self._publish(float(result.signal_to_brain), sentence)


__all__ = ["CONTROL_RANGES", "DEFAULTS", "MIND_CONTROLS", "TREATMENT_CONTROLS", "WhereItActsLab",
           "pathway_readout", "stage_changes"]
