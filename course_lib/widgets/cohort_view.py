"""A read-only view of the virtual cohort: its figure and the figure's text description."""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..figures.cohort import build_cohort_figure, describe_cohort_figure
from ..figures.figure_widget import DESCRIPTION_STYLE, description_html
from ..models.cohort import CohortResult, run_cohort


def cohort_view(result: CohortResult | None = None) -> widgets.VBox:
    """The cohort figure with its description underneath (runs the default cohort if none is given)."""
    result = result if result is not None else run_cohort()
    figure = build_cohort_figure(result)
    description = widgets.HTML(
        description_html(
            figure,
            f"<b>Figure description:</b> {html.escape(describe_cohort_figure(result))}",
            style=DESCRIPTION_STYLE,
        )
    )
    description.add_class("course-lab-description")
    return widgets.VBox([figure, description])
