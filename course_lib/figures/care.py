"""Figures for notebook 05's goals lab and care-plan builder.

Goals beyond the pain score (one FigureWidget, two panels stacked):
    top, a horizontal bar of the pain reduction in percent against the bands of Dworkin et al.
    2008 (dashed lines at 10, 30 and 50 %); below, a dot chart with one row per outcome domain
    and the verdict as a position (worse, same, better) AND a marker shape (triangle down,
    circle, triangle up), so colour is never needed to read it.

Care plan (one FigureWidget): a grid of goals (rows) by parts of care (columns). Open grey
circles mark every link the course suggests (careplan.yaml: OUR suggestions, not evidence-based
pairings); filled squares mark the links in the learner's plan (a chosen part of care serving a
chosen goal); a cross in the last column marks a chosen goal no chosen part of care serves.

Numbers and words come from ``course_lib.models.outcomes`` and ``course_lib.careplan``.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import careplan as cp
from ..models import outcomes as oc
from .style import PALETTE, base_layout, legend_below, shape_line, subplot_layout
from .trace_updates import update_traces
from course_lib.figures.figure_widget import CourseFigureWidget

# ----- goals beyond the pain score -----------------------------------------------------------
DOMAIN_ROWS = ("pain", "physical_function", "emotional_function", "sleep", "global_rating",
               "adverse_events")
DOMAIN_ROW_LABELS = {
    "pain": "pain", "physical_function": "physical function", "emotional_function": "mood",
    "sleep": "sleep*", "global_rating": "overall rating", "adverse_events": "side effects",
}
VERDICTS = ("worse", "same", "better")
VERDICT_STYLE = {  # (colour, symbol)
    "worse": (PALETTE["vermillion"], "triangle-down"),
    "same": (PALETTE["grey"], "circle"),
    "better": (PALETTE["bluish_green"], "triangle-up"),
}
GLOBAL_SCORES = dict(zip(oc.GLOBAL_IMPRESSIONS, (1.0, 1.0, 0.5, 0.0, -0.5, -1.0, -1.0)))
SIDE_EFFECT_SCORES = {"none": 0.0, "tolerable": -0.5, "made me stop": -1.0}
CHANGE_SCORES = {"better": 1.0, "same": 0.0, "worse": -1.0}
PAIN_RANGE_PERCENT = (-40.0, 100.0)
BANDS = ((oc.MINIMALLY_IMPORTANT_PERCENT, "minimal"), (oc.MODERATELY_IMPORTANT_PERCENT, "moderate"),
         (oc.SUBSTANTIAL_PERCENT, "substantial"))
OUTCOME_TRACE = {v: 1 + i for i, v in enumerate(VERDICTS)}   # trace 0 is the pain bar


def pain_score(reduction_percent: float) -> float:
    """Position of the pain row: +1 for at least a moderately important reduction (Dworkin
    2008), +0.5 for a minimally important one, 0 for little change, -1 for 10 % worse or more
    (the symmetric band for worsening is OUR choice)."""
    if reduction_percent >= oc.MODERATELY_IMPORTANT_PERCENT:
        return 1.0
    if reduction_percent >= oc.MINIMALLY_IMPORTANT_PERCENT:
        return 0.5
    if reduction_percent > -oc.MINIMALLY_IMPORTANT_PERCENT:
        return 0.0
    return -1.0


def domain_scores(report: oc.OutcomeReport) -> dict[str, float]:
    """Each row's position from -1 (worse) to +1 (better): OUR display mapping of the verdicts."""
    reduction = oc.percent_reduction(report.pain_before_0_10, report.pain_after_0_10)
    return {"pain": pain_score(reduction),
            "physical_function": CHANGE_SCORES[report.physical_function],
            "emotional_function": CHANGE_SCORES[report.emotional_function],
            "sleep": CHANGE_SCORES[report.sleep],
            "global_rating": GLOBAL_SCORES[report.global_impression],
            "adverse_events": SIDE_EFFECT_SCORES[report.side_effects]}


def verdict_of(score: float) -> str:
    return "better" if score > 0 else "worse" if score < 0 else "same"


def build_outcomes_figure() -> go.FigureWidget:
    """Empty goals figure: pain reduction bar (left) and domain-by-domain dot chart (right)."""
    # stacked, not side by side: at 480 px the domain names need the full width
    base = make_subplots(rows=2, cols=1, row_heights=[0.32, 0.68], vertical_spacing=0.22,
                         subplot_titles=("Pain reduction (%)", "Domain by domain"))
    fig = CourseFigureWidget(base)
    fig.add_bar(name="pain reduction", orientation="h", x=np.zeros(1), y=np.array(["pain"]),
                marker={"color": PALETTE["blue"], "pattern": {"shape": "/"}}, showlegend=False,
                texttemplate="%{x:.0f} %", textposition="outside", row=1, col=1,
                hovertemplate="%{x:.0f} % less pain<extra></extra>")
    for verdict in VERDICTS:
        colour, symbol = VERDICT_STYLE[verdict]
        fig.add_scatter(name=verdict, mode="markers", x=np.array([]), y=np.array([]),
                        marker={"color": colour, "symbol": symbol, "size": 15,
                                "line": {"width": 1, "color": PALETTE["black"]}},
                        hovertemplate="%{y}: " + verdict + "<extra></extra>", row=2, col=1)
    for level, (value, label) in enumerate(BANDS):
        fig.add_vline(x=value, **shape_line(PALETTE["black"], "dash", 1),
                      row=1, col=1)
        # staggered heights so the three labels never overlap at 480 px
        fig.add_annotation(x=value, y=0.45 + 0.3 * level, xref="x", yref="y",
                           text=f" {value:.0f} % {label}", showarrow=False, font={"size": 10},
                           xanchor="left", yanchor="bottom")
    fig.add_annotation(x=1.0, y=0.0, xref="paper", yref="paper", xanchor="right", yanchor="top",
                       yshift=-30, showarrow=False, font={"size": 10},
                       text="* sleep is not an IMMPACT core domain, but many people value it")
    fig.update_xaxes(range=list(PAIN_RANGE_PERCENT), title_text="% less pain than before",
                     row=1, col=1)
    fig.update_yaxes(visible=False, range=[-0.6, 1.5], row=1, col=1)
    fig.update_xaxes(range=[-1.4, 1.4], tickmode="array", tickvals=[-1, 0, 1],
                     ticktext=["worse", "same", "better"], showgrid=True, row=2, col=1)
    fig.update_yaxes(type="category", categoryorder="array",
                     categoryarray=[DOMAIN_ROW_LABELS[d] for d in reversed(DOMAIN_ROWS)], row=2, col=1)
    fig.update_layout(**subplot_layout(height=560, hovermode="closest",
                                       margin={"l": 130, "r": 20, "t": 60, "b": 110},
                                       legend=legend_below()))
    return fig


def update_outcomes_figure(fig: go.FigureWidget, report: oc.OutcomeReport) -> None:
    reduction = oc.percent_reduction(report.pain_before_0_10, report.pain_after_0_10)
    scores = domain_scores(report)
    updates = {0: {"x": np.array([reduction])}}
    for verdict in VERDICTS:
        rows = [d for d in DOMAIN_ROWS if verdict_of(scores[d]) == verdict]
        updates[OUTCOME_TRACE[verdict]] = {
            "x": np.array([scores[d] for d in rows], dtype=float),
            "y": np.array([DOMAIN_ROW_LABELS[d] for d in rows], dtype=object)}
    update_traces(fig, updates)


def describe_outcomes_figure(report: oc.OutcomeReport) -> str:
    reduction = oc.percent_reduction(report.pain_before_0_10, report.pain_after_0_10)
    scores = domain_scores(report)
    rows = "; ".join(f"{DOMAIN_ROW_LABELS[d].rstrip('*')} {verdict_of(scores[d])}" for d in DOMAIN_ROWS)
    return (
        "Two charts. Top: one horizontal bar showing the pain reduction, "
        f"{reduction:.0f} % on an axis from -40 to 100 %, with dashed lines at 10 % (minimal), "
        "30 % (moderate) and 50 % (substantial), the bands of Dworkin et al. 2008. Below: one row "
        "per outcome domain with a marker at worse (triangle down), same (circle) or better "
        f"(triangle up): {rows}. Sleep (starred) is not one of the IMMPACT core domains but many "
        "people value it. Takeaway: a treatment is judged on every domain, not on the pain score "
        "alone."
    )


# ----- care plan -----------------------------------------------------------------------------
GOAL_SHORT = {"walk_further": "walk further", "sleep_better": "sleep", "return_to_work":
              "work or study", "better_mood": "mood", "everyday_life": "everyday tasks",
              "time_with_others": "family, friends", "fewer_side_effects": "fewer side effects"}
COMPONENT_SHORT = {"physiotherapy_exercise": "physio", "psychological_therapy": "psych. therapy",
                   "pain_science_education": "pain education", "sleep_habits": "sleep habits",
                   "pacing": "pacing", "medication_review": "medicine review",
                   "pain_programme": "pain programme"}
NOT_SERVED = "none chosen"
CARE_TRACE = {"suggested": 0, "in_plan": 1, "unserved": 2}


def _short(mapping: dict[str, str], entry) -> str:
    return mapping.get(entry.id, entry.label)


def build_care_figure(data: cp.CarePlanData | None = None) -> go.FigureWidget:
    """Goals (rows) by parts of care (columns); the suggested links drawn once, at build time."""
    data = data or cp.load_careplan()
    columns = [_short(COMPONENT_SHORT, c) for c in data.components] + [NOT_SERVED]
    rows = [_short(GOAL_SHORT, g) for g in data.goals]
    xs, ys = [], []
    for c in data.components:
        for g in c.serves:
            xs.append(_short(COMPONENT_SHORT, c))
            ys.append(_short(GOAL_SHORT, data.goal(g)))
    # legend below the grid (above, it collides with the title at 480 px)
    fig = CourseFigureWidget(layout=base_layout(height=500, hovermode="closest",
                                             margin={"l": 120, "r": 20, "t": 50, "b": 190},
                                             legend=legend_below(),
                                             title="Which parts of care serve which goals"))
    fig.add_scatter(name="suggested link (course's suggestion)", mode="markers",
                    x=np.array(xs, dtype=object), y=np.array(ys, dtype=object),
                    marker={"symbol": "circle-open", "size": 12, "color": PALETTE["grey"],
                            "line": {"width": 2}},
                    hovertemplate="%{x} can serve %{y}<extra></extra>")
    fig.add_scatter(name="in your plan", mode="markers", x=np.array([], dtype=object),
                    y=np.array([], dtype=object),
                    marker={"symbol": "square", "size": 12, "color": PALETTE["bluish_green"],
                            "line": {"width": 1, "color": PALETTE["black"]}},
                    hovertemplate="%{x} serves your goal %{y}<extra></extra>")
    fig.add_scatter(name="goal with no chosen part of care", mode="markers",
                    x=np.array([], dtype=object), y=np.array([], dtype=object),
                    marker={"symbol": "x", "size": 13, "color": PALETTE["vermillion"]},
                    hovertemplate="%{y}: no chosen part of care serves it<extra></extra>")
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=columns, tickangle=-40,
                     range=[-0.5, len(columns) - 0.5], showgrid=True)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(reversed(rows)),
                     range=[-0.5, len(rows) - 0.5], showgrid=True)
    return fig


def plan_links(plan: cp.Plan) -> tuple[list[tuple[str, str]], list[str]]:
    """(component short name, goal short name) for each link in the plan, and unserved goals."""
    chosen = {g.id for g in plan.goals}
    links = [(_short(COMPONENT_SHORT, c), _short(GOAL_SHORT, g))
             for c in plan.components for g in plan.goals if g.id in c.serves and g.id in chosen]
    unserved = [_short(GOAL_SHORT, g) for g in plan.unserved_goals()]
    return links, unserved


def update_care_figure(fig: go.FigureWidget, plan: cp.Plan) -> None:
    links, unserved = plan_links(plan)
    update_traces(fig, {
        CARE_TRACE["in_plan"]: {"x": np.array([c for c, _ in links], dtype=object),
                                "y": np.array([g for _, g in links], dtype=object)},
        CARE_TRACE["unserved"]: {"x": np.full(len(unserved), NOT_SERVED, dtype=object),
                                 "y": np.array(unserved, dtype=object)}})


def describe_care_figure(plan: cp.Plan) -> str:
    links, unserved = plan_links(plan)
    if links:
        linked = "; ".join(f"{c} for {g}" for c, g in links)
        in_plan = f"Filled squares mark the links in your plan: {linked}."
    else:
        in_plan = "No filled squares yet: tick at least one goal and one part of care that serves it."
    missing = (f" Crosses in the last column mark goals no chosen part of care serves: "
               f"{', '.join(unserved)}." if unserved else "")
    return (
        "A grid with your possible goals as rows and parts of multidisciplinary care as columns. "
        "Open grey circles mark every link the course suggests (our suggestions for a "
        f"conversation, not evidence-based pairings). {in_plan}{missing} Takeaway: most goals "
        "can be served by more than one part of care, and most parts serve several goals."
    )


__all__ = ["DOMAIN_ROWS", "VERDICTS", "build_care_figure", "build_outcomes_figure",
           "describe_care_figure", "describe_outcomes_figure", "domain_scores", "plan_links",
           "update_care_figure", "update_outcomes_figure"]
