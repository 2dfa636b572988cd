"""Goals beyond the pain score (notebook 05): is a 30 % pain reduction a success?

The learner sets the results of an imaginary treatment: how much the pain fell (%), and whether
physical function, mood and sleep got better, stayed the same or got worse, plus the overall
impression and the side effects. The lab reads them domain by domain with
``course_lib.models.outcomes`` (IMMPACT domains, Turk et al. 2003 and Dworkin et al. 2005;
pain bands from Dworkin et al. 2008) and shows the verdict in words and as a chart.

The starting pain is fixed at 7 out of 10 (our example); the slider sets the reduction.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..figures.care import build_outcomes_figure, describe_outcomes_figure, update_outcomes_figure
from ..models import outcomes as oc
from .base import Lab

PAIN_BEFORE_0_10 = oc.EXAMPLE_PAIN_BEFORE_0_10
#: Slider (low, high, step) and the choices of each dropdown; the tests sweep exactly these.
CONTROL_RANGES: dict[str, tuple] = {
    "pain_reduction": (-40.0, 100.0, 5.0),
    "physical_function": oc.CHANGES,
    "emotional_function": oc.CHANGES,
    "sleep": oc.CHANGES,
    "global_impression": oc.GLOBAL_IMPRESSIONS,
    "side_effects": oc.SIDE_EFFECTS,
}
# the brief's example: 30 % less pain with better sleep and function reads as a success
DEFAULTS = {"pain_reduction": 30.0, "physical_function": "better", "emotional_function": "same",
            "sleep": "better", "global_impression": "much improved", "side_effects": "tolerable"}
LABELS = {
    "physical_function": "Physical function",
    "emotional_function": "Mood",
    "sleep": "Sleep",
    "global_impression": "Overall, the person feels",
    "side_effects": "Side effects",
}
_VERDICT_WORDS = {
    "physical_function": "physical functioning", "emotional_function": "mood",
    "sleep": "sleep", "global_rating": "overall rating",
}


OVERALL_IDS = ("success", "some_benefit", "no_benefit", "side_effects_outweigh")


def overall_id(overall: str) -> str:
    """A short id for ``outcomes.evaluate``'s overall verdict (what the lab publishes, so a
    predict-then-observe question can compare a prediction with it)."""
    if overall.startswith("the side effects outweighed"):
        return "side_effects_outweigh"
    if overall.startswith("a success"):
        return "success"
    if overall.startswith("some benefit"):
        return "some_benefit"
    return "no_benefit"


def goals_readout(report: oc.OutcomeReport) -> str:
    verdicts = oc.evaluate(report)
    reduction = oc.percent_reduction(report.pain_before_0_10, report.pain_after_0_10)
    pain = (f"{abs(reduction):.0f} % {'less' if reduction >= 0 else 'more'} pain: "
            f"{oc.pain_change_category(reduction)}")
    others = "; ".join(f"{_VERDICT_WORDS[k]} {verdicts[k]}" for k in _VERDICT_WORDS)
    return (f"In this imaginary example (pain {report.pain_before_0_10:g} out of 10 before, "
            f"{report.pain_after_0_10:.1f} after): {pain} (Dworkin et al. 2008); "
            f"{others}; {verdicts['adverse_events']}, {verdicts['disposition']}. "
            f"Read domain by domain: {verdicts['overall']}. The verdict is our teaching "
            "summary of group thresholds, not a judgement of any one person's treatment.")


class GoalsLab(Lab):
    """Set an imaginary treatment's results; read the verdict domain by domain."""

    title = "Goals beyond the pain score: reading a result domain by domain (IMMPACT)"

    def _build_controls(self) -> dict[str, widgets.Widget]:
        low, high, step = CONTROL_RANGES["pain_reduction"]
        controls: dict[str, widgets.Widget] = {
            "pain_reduction": widgets.FloatSlider(
                value=DEFAULTS["pain_reduction"], min=low, max=high, step=step,
                description="Pain reduction (%)", readout_format=".0f", continuous_update=True,
                style={"description_width": "13em"},
                layout=widgets.Layout(width="100%", max_width="480px")),
        }
        for name, label in LABELS.items():
            controls[name] = widgets.Dropdown(options=list(CONTROL_RANGES[name]), value=DEFAULTS[name],
                                              description=label, style={"description_width": "13em"},
                                              layout=widgets.Layout(width="100%", max_width="480px"))
        return controls

    def _build_figure(self):
        return build_outcomes_figure()

    def report(self) -> oc.OutcomeReport:
        return oc.report_from_change(**{name: self.value(name) for name in CONTROL_RANGES})

    def _update(self) -> None:
        report = self.report()
        update_outcomes_figure(self.figure, report)
        verdicts = oc.evaluate(report)
        self.result = {"report": report, "verdicts": verdicts}
        sentence = goals_readout(report)
        self.set_readout(sentence)
        self.set_description(describe_outcomes_figure(report))
        self._publish(overall_id(verdicts["overall"]), sentence)


__all__ = ["CONTROL_RANGES", "DEFAULTS", "GoalsLab", "OVERALL_IDS", "goals_readout", "overall_id"]
