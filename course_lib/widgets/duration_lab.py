"""Duration lab: how long the cause goes untreated decides whether the pain can go away.

Controls: the month the cause is removed (0-24) and whether it is removed at all. The figure
shows 36 months of nerve input, central sensitisation S and the model pain signal (a
teaching-model number, not a clinical score), plus touch and
noxious stimulus-response curves before the injury and at the end. All models are our teaching
models (see ``course_lib.models.timeline``).
"""

from __future__ import annotations

import math

import ipywidgets as widgets

from ..figures.dorsal_horn import build_duration_figure, describe_duration_figure, update_duration_figure
from ..models.timeline import GONE_LINE, PAIN_SIGNAL, TimelineParams, pain_signal_text, run_timeline, stimulus_response_curves
from .base import Lab, float_slider

#: Every control's range, in one place (min, max, step) - the property tests sweep exactly these.
CONTROL_RANGES = {
    "months_untreated": (0.0, 24.0, 0.5),
    "cause_removed": (False, True),
}
DEFAULTS = {"months_untreated": 2.0, "cause_removed": True}
FOLLOW_UP_MONTHS = 36.0


def _months(value: float) -> str:
    return f"{value:g} month" + ("" if value == 1 else "s")


def duration_readout(result, months_untreated: float, cause_removed: bool) -> str:
    """The lab's sentence in words: about the teaching model, and true for the current setting."""
    if not cause_removed:
        return (
            f"Cause never removed: in this teaching model the {PAIN_SIGNAL} stays at about "
            f"{pain_signal_text(result.pain_signal[-1])} for all {FOLLOW_UP_MONTHS:.0f} months."
        )
    if result.resolved:
        week = max(1, math.ceil(result.resolved_day / 7.0))
        return (
            f"Cause removed at {_months(months_untreated)}: in this teaching model the {PAIN_SIGNAL} falls "
            f"below {GONE_LINE} by about week {week} after the injury."
        )
    return (
        f"Cause removed at {_months(months_untreated)}: in this teaching model the {PAIN_SIGNAL} stays at about "
        f"{pain_signal_text(result.pain_signal[-1])} long after the nerve's input has gone (the sensitisation "
        "level has passed its tipping point and keeps itself high)."
    )


class DurationLab(Lab):
    """Move the month the cause is removed and watch whether the pain goes away."""

    title = "Duration lab: remove the cause early or late (a teaching model)"

    def _build_controls(self) -> dict[str, widgets.Widget]:
        low, high, step = CONTROL_RANGES["months_untreated"]
        return {
            "months_untreated": float_slider("Months before the cause is removed", DEFAULTS["months_untreated"],
                                             low, high, step, ".1f", max_width="520px"),
            "cause_removed": widgets.Checkbox(
                value=DEFAULTS["cause_removed"], description="The cause is removed",
                style={"description_width": "initial"}, indent=False,
            ),
        }

    def _build_figure(self):
        return build_duration_figure()

    def _update(self) -> None:
        months = float(self.value("months_untreated"))
        removed = bool(self.value("cause_removed"))
        self.controls["months_untreated"].disabled = not removed
        result = run_timeline(
            TimelineParams(months_untreated=months, cause_removed=1.0 if removed else 0.0, follow_up_months=FOLLOW_UP_MONTHS)
        )
        curves = stimulus_response_curves(float(result.S[-1]))
        update_duration_figure(self.figure, result, curves)
        self.result = {"timeline": result, "curves": curves, "resolved": result.resolved,
                       "resolved_week": result.resolved_day / 7.0 if result.resolved else float("nan")}
        sentence = duration_readout(result, months, removed)
        self.set_readout(sentence)
        self.set_description(describe_duration_figure(result, curves, months if removed else None))
        self._publish(float(result.pain_signal[-1]), sentence)  # % of the model's maximum at the end of follow-up


__all__ = ["CONTROL_RANGES", "DEFAULTS", "DurationLab", "duration_readout"]
