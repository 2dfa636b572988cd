"""A read-only view of the virtual cohort: its figure and the figure's text description.

The cohort is 1,000 virtual patients of a teaching model (``course_lib.models.cohort``); the
view says so, so its percentages are never read as odds for a real person.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from ..figures.cohort import build_cohort_figure, describe_cohort_figure
from ..figures.figure_widget import DESCRIPTION_STYLE, description_html
from ..models.cohort import CohortResult, run_cohort


class CohortView:
    """The cohort figure with its description underneath; displays itself (with a first-view placeholder)."""

    def __init__(self, result: CohortResult):
        self.result = result
        self.figure = build_cohort_figure(result)
        self.description_text = describe_cohort_figure(result)
        self.description = widgets.HTML(
            description_html(
                self.figure,
                f"<b>Figure description:</b> {html.escape(self.description_text)}",
                style=DESCRIPTION_STYLE,
            )
        )
        self.description.add_class("course-lab-description")
        self.view = widgets.VBox([self.figure, self.description])

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        from ..placeholder import with_placeholder

        return with_placeholder(self.view._repr_mimebundle_(**kwargs), "the virtual cohort figure",
                                self.description_text)


def cohort_view(result: CohortResult | None = None) -> CohortView:
    """The cohort figure with its description (runs the default cohort if none is given)."""
    return CohortView(result if result is not None else run_cohort())
