"""Labs set to an invented case of notebook 06, and each case's timeline figure.

``open_case_lab("carpal_tunnel", "regrowth")`` builds the course's regrowth lab with Sara's
setting (``course_lib.cases``) and labels it as her case's; its Reset button goes back to the
case's setting, not to the lab's general default. ``case_timeline("shingles")`` shows the case's
events over the teaching model's pain signal and sensitisation level.

The timeline's figure comes from ``figures.case_timeline``; the numbers from ``cases.case_course``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from ..cases import case, case_course, case_preset
from ..figures.case_timeline import build_timeline_figure, describe_timeline
from ..figures.figure_widget import DESCRIPTION_STYLE, description_html
from .base import Lab


def _cause_lab() -> Lab:
    from .cause_lab import CauseLab

    return CauseLab()


def _regrowth_lab() -> Lab:
    from .regrowth_lab import RegrowthLab

    return RegrowthLab()


#: The labs a case can open, by the name a notebook uses.
LAB_FACTORIES: dict[str, Callable[[], Lab]] = {"cause": _cause_lab, "regrowth": _regrowth_lab}


def open_case_lab(case_id: str, lab: str = "cause") -> Lab:
    """Lab ``lab`` set to case ``case_id``: the case's values, its name in the heading, Reset back to them."""
    preset = case_preset(case_id, lab)  # ValueError for an unknown case or lab
    built = LAB_FACTORIES[lab]()
    # Before the first update at the case's setting: a lab about a named person words its
    # readout for one (no pain signal near the top of the scale, ``timeline.pain_signal_text``).
    built.case_id = case_id
    if "cause" in preset:
        _case_cause_first(built, preset["cause"])
    built.set_values(**preset)
    # The case's setting becomes the lab's starting point: Reset returns to it.
    built.defaults = {name: built.controls[name].value for name in built.defaults}
    item = case(case_id)
    built.title = f"{built.title}, set to {item.name}'s case (invented)"
    built.view.children[0].value = f"<b>{html.escape(built.title)}</b>"
    return built


def _case_cause_first(lab: Lab, cause: str) -> None:
    """Fix the menu at the case's cause (shown, not changeable) and put the case's controls under it.

    A case lab is about one person's cause: the general treat-the-cause lab of notebook 04 is where
    causes are switched.
    """
    from .cause_lab import CAUSE_CONTROLS

    menu = lab.controls["cause"]
    with lab.updates_suspended():  # one update, from set_values, not one per change here
        menu.value = cause
    menu.disabled = True
    menu.tooltip = "This lab is set to the case's cause; notebook 04's treat-the-cause lab switches causes"
    box = lab.view.children[1].children[0]  # Lab._build_view: VBox([controls, Reset]); controls first
    order = ["cause", *CAUSE_CONTROLS[cause]]
    order += [name for name in lab.controls if name not in order]
    box.children = tuple(lab.controls[name] for name in order)


# ----- the timeline ------------------------------------------------------------------------------


class CaseTimeline:
    """A case's timeline figure with its description underneath; displays itself with a placeholder."""

    def __init__(self, case_id: str):
        self.case_id = case_id
        self.result = case_course(case_id)
        self.figure = build_timeline_figure(case_id, self.result)
        self.description_text = describe_timeline(case_id, self.result)
        self.description = widgets.HTML(description_html(
            self.figure, f"<b>Figure description:</b> {html.escape(self.description_text)}",
            style=DESCRIPTION_STYLE))
        self.description.add_class("course-lab-description")
        self.view = widgets.VBox([self.figure, self.description])

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        from ..placeholder import with_placeholder

        return with_placeholder(self.view._repr_mimebundle_(**kwargs),
                                f"{case(self.case_id).name}'s timeline", self.description_text)


def case_timeline(case_id: str) -> CaseTimeline:
    return CaseTimeline(case_id)


__all__ = ["CaseTimeline", "LAB_FACTORIES", "case_timeline",
           "open_case_lab"]
