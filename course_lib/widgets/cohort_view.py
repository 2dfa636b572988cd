"""A read-only view of the virtual cohort: its figure and the figure's text description."""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..figures.cohort import build_cohort_figure, describe_cohort_figure
from ..models.cohort import CohortResult, run_cohort


def cohort_view(result: CohortResult | None = None) -> widgets.VBox:
    """The cohort figure with its description underneath (runs the default cohort if none is given)."""
    result = result if result is not None else run_cohort()
    description = widgets.HTML(
        "<p style='font-size:0.9em;color:#333'><b>Figure description:</b> "
        f"{html.escape(describe_cohort_figure(result))}</p>"
    )
    return widgets.VBox([build_cohort_figure(result), description])
