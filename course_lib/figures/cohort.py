"""Figure for the virtual cohort: probability of full resolution against time to treatment."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ..models.cohort import CohortResult
from ..models.timeline import GONE_LINE
from .figure_widget import CourseFigureWidget
from .style import PALETTE, base_layout, shape_line

CHRONIC_MONTHS = 3.0  # ICD-11 convention (Treede et al. 2019): marked on the plot, not a switch


def build_cohort_figure(result: CohortResult) -> go.FigureWidget:
    """Line chart of the fraction of virtual patients whose pain resolves, by month of treatment."""
    fig = CourseFigureWidget(
        layout=base_layout(
            title="Virtual cohort (teaching model): who recovers",  # fits 480 px; the x axis says "by month"
            xaxis={"title": "months before the cause is removed", "range": [0, float(result.months.max())]},
            yaxis={"title": "fraction whose pain fully resolves", "range": [0, 1.02], "tickformat": ".0%"},
            height=400,
            hovermode="closest",
        )
    )
    fig.add_scatter(
        x=np.asarray(result.months, dtype=float),
        y=np.asarray(result.p_resolved, dtype=float),
        mode="lines+markers",
        name=f"{result.resolved.shape[1]:,} virtual patients",
        line={"color": PALETTE["blue"], "width": 3},
        marker={"symbol": "circle", "size": 7},
        hovertemplate="removed at %{x:g} months: %{y:.0%} resolve<extra></extra>",
    )
    fig.add_vline(
        x=CHRONIC_MONTHS,
        **shape_line(PALETTE["vermillion"], "dash", 2),
        annotation_text="3 months: 'chronic' by convention",
        annotation_position="top right",
    )
    return fig


def describe_cohort_figure(result: CohortResult) -> str:
    """One-paragraph text description of the cohort figure (its wording follows the numbers)."""
    picks = [m for m in (1, 3, 6, 12) if np.isclose(result.months, m).any()]
    values = ", ".join(f"{result.probability_at(m):.0%} at {m} month{'s' if m != 1 else ''}" for m in picks)
    p = np.asarray(result.p_resolved, dtype=float)
    shape = ("falls as the delay grows" if p[-1] < p[0] - 0.01 and np.all(np.diff(p) <= 0.02)
             else "changes with the delay")
    return (
        "Line chart. Horizontal axis: months before the cause of the nerve injury is removed, from "
        f"{result.months.min():g} to {result.months.max():g}. Vertical axis: the share of "
        f"{result.resolved.shape[1]:,} virtual patients of the teaching model whose model pain signal falls back "
        f"below {GONE_LINE}. The line {shape}: {values}. A dashed vertical line marks 3 months, where pain is called "
        "chronic by convention. In this teaching model the chance of recovery changes gradually with the delay, "
        "not at a fixed date; the virtual patients are invented, so these are not odds for any real person."
    )
