"""Figures for notebook 04 (interventions aimed at resolution): treat-the-cause, regrowth and reversal labs.

Each lab has one builder (an empty ``FigureWidget`` with its traces in a fixed order, named by
the ``*_TRACE`` constants so tests and updaters never count by hand), one updater (numpy arrays
into those traces inside a single ``batch_update``) and one describer (the figure's text
description: chart type, axes, what changed, the takeaway).

Models only come in as results (``causes.DriveResult``, ``recovery.RecoveryResult``,
``reversal.ReversalResult``/``ReversalCohortResult``); this module never runs a model.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..models.causes import DriveResult
from ..models.recovery import RecoveryResult
from ..models.recovery import DAYS_PER_WEEK
from ..models.reversal import ReversalCohortResult, ReversalResult
from ..models.timeline import DAYS_PER_MONTH, GONE_LINE, PAIN_SIGNAL, RESOLVED_BELOW, pain_signal_text
from .style import BASELINE_COLOUR, PALETTE, decimate, subplot_layout
from course_lib.figures.figure_widget import CourseFigureWidget

EMPTY = np.array([], dtype=float)


def _vertical(x: float, low: float, high: float) -> tuple[np.ndarray, np.ndarray]:
    """A vertical segment as a trace (x, y), or nothing when x is not a number."""
    if x is None or not np.isfinite(x):
        return EMPTY, EMPTY
    return np.array([x, x], dtype=float), np.array([low, high], dtype=float)


# ----- treat-the-cause lab -----------------------------------------------------------------------
CAUSE_TRACE = {
    "drive_untreated": 0,
    "drive": 1,
    "S_untreated": 2,
    "S": 3,
    "pain_untreated": 4,
    "pain": 5,
    "treated": 6,
    "resolved_line": 7,
}


def build_cause_figure() -> go.FigureWidget:
    """Three stacked panels over months: nerve drive, sensitisation S and the model pain signal.

    Each panel shows the treated course (coloured, solid) over the untreated one (grey, dashed),
    a dashed vertical line when the cause is treated, and the "gone" level of the pain signal.
    """
    fig = CourseFigureWidget(make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.09, subplot_titles=("Drive from the injured nerve", "Central sensitisation S", "Model pain signal (% of its maximum)")))
    grey = {"color": BASELINE_COLOUR, "width": 3}
    for row, (key, name, colour, dash) in enumerate(
        (("drive", "nerve drive", PALETTE["orange"], "solid"),
         ("S", "sensitisation S", PALETTE["reddish_purple"], "dashdot"),
         ("pain", "pain signal", PALETTE["vermillion"], "solid")),
        start=1,
    ):
        fig.add_scatter(name="no treatment (all grey dashes)" if row == 1 else f"{name}, untreated", mode="lines",
                        line={**grey, "dash": "dash"},
                        legendgroup="untreated", showlegend=row == 1,
                        hovertemplate="untreated: %{y:.2f}<extra></extra>", row=row, col=1)
        fig.add_scatter(name=f"{name}, treated", mode="lines", line={"color": colour, "width": 3, "dash": dash},
                        hovertemplate=f"{name}: %{{y:.2f}}<extra></extra>", row=row, col=1)
    fig.add_scatter(name="cause treated", mode="lines", line={"color": PALETTE["black"], "dash": "dot", "width": 2},
                    hoverinfo="skip", row=3, col=1)
    fig.add_scatter(name=f"pain signal {RESOLVED_BELOW:g} %: gone below", mode="lines",
                    line={"color": PALETTE["bluish_green"], "dash": "longdash", "width": 1.5}, hoverinfo="skip",
                    row=3, col=1)
    fig.update_yaxes(title_text="drive (0-2)", range=[0, 2.05], row=1, col=1)
    fig.update_yaxes(title_text="S (0-1)", range=[0, 1.05], row=2, col=1)
    fig.update_yaxes(title_text="% of maximum", range=[0, 105], row=3, col=1)
    fig.update_xaxes(title_text="months from the start", row=3, col=1)
    fig.update_layout(**subplot_layout(height=680))
    return fig


def update_cause_figure(fig: go.FigureWidget, treated: DriveResult, untreated: DriveResult,
                        treat_month: float | None) -> None:
    """Put both courses into the figure; ``treat_month`` None = nothing to mark (e.g. prevention)."""
    months = treated.t_months
    months_u = untreated.t_months
    series = (("drive", treated.drive, untreated.drive), ("S", treated.S, untreated.S),
              ("pain", treated.pain_signal, untreated.pain_signal))
    with fig.batch_update():
        for key, now, before in series:
            fig.data[CAUSE_TRACE[f"{key}_untreated"]].x, fig.data[CAUSE_TRACE[f"{key}_untreated"]].y = decimate(months_u, before)
            fig.data[CAUSE_TRACE[key]].x, fig.data[CAUSE_TRACE[key]].y = decimate(months, now)
        line = fig.data[CAUSE_TRACE["treated"]]
        line.x, line.y = _vertical(treat_month, 0.0, 100.0)
        level = fig.data[CAUSE_TRACE["resolved_line"]]
        level.x = np.array([0.0, float(months[-1])])
        level.y = np.array([RESOLVED_BELOW, RESOLVED_BELOW])


def describe_cause_figure(cause: str, treated: DriveResult, untreated: DriveResult, what_was_done: str,
                          named: bool = False) -> str:
    """Text description of the treat-the-cause figure (``named``: set to an invented person's case)."""
    span = float(treated.t_months[-1])
    return (
        f"Three line charts stacked over the same {span:.0f} months (horizontal axis, months from the start) "
        f"for {cause}. Top: the drive from the injured nerve (0-2). Middle: central sensitisation S (0-1). "
        f"Bottom: the {PAIN_SIGNAL} (0-100 % of its maximum; not a pain score), with a long-dashed line at "
        f"{GONE_LINE}, below which we call the pain gone in the model, and "
        f"a dotted vertical line when the cause is treated. Grey dashed lines: no treatment; coloured lines: "
        f"{what_was_done}. At the end the {PAIN_SIGNAL} is {pain_signal_text(treated.final_pain, named)} with "
        f"treatment and {pain_signal_text(untreated.final_pain, named)} without; S peaks at "
        f"{float(treated.S.max()):.2f} with treatment. "
        "Takeaway: in this teaching model, treating the cause lowers the drive; whether the pain goes away "
        "depends on whether S stayed below its tipping point."
    )


# ----- regrowth lab ------------------------------------------------------------------------------
REGROWTH_TRACE = {
    "nerve": 0,
    "regrown": 1,
    "front": 2,
    "injury": 3,
    "target": 4,
    "drive": 5,
    "now": 6,
    "arrival": 7,
}
LIMB_Y = 0.0


def build_regrowth_figure() -> go.FigureWidget:
    """Top: a schematic limb with the regrowth front. Bottom: the nerve's abnormal drive over weeks."""
    fig = CourseFigureWidget(make_subplots(rows=2, cols=1, row_heights=[0.3, 0.7], vertical_spacing=0.3, subplot_titles=("Schematic limb: injury (left) to target (right)", "Abnormal drive from the nerve")))
    fig.add_scatter(name="nerve still to regrow", mode="lines", line={"color": BASELINE_COLOUR, "width": 10},
                    hoverinfo="skip", row=1, col=1)
    fig.add_scatter(name="regrown so far", mode="lines", line={"color": PALETTE["bluish_green"], "width": 10},
                    hovertemplate="regrown: %{x:.0f} mm<extra></extra>", row=1, col=1)
    fig.add_scatter(name="regrowth front", mode="markers", hovertemplate="front at %{x:.0f} mm<extra></extra>",
                    marker={"symbol": "triangle-right", "size": 18, "color": PALETTE["bluish_green"],
                            "line": {"color": PALETTE["black"], "width": 1.5}}, row=1, col=1)
    fig.add_scatter(name="injury", mode="markers+text", text=np.array(["injury"], dtype=object),
                    textposition="top center", hoverinfo="skip",
                    marker={"symbol": "x", "size": 16, "color": PALETTE["vermillion"]}, row=1, col=1)
    fig.add_scatter(name="target (skin or muscle)", mode="markers+text", text=np.array(["target"], dtype=object),
                    textposition="top center", hoverinfo="skip",
                    marker={"symbol": "square", "size": 14, "color": PALETTE["blue"]}, row=1, col=1)
    fig.add_scatter(name="abnormal drive", mode="lines", line={"color": PALETTE["orange"], "width": 3},
                    hovertemplate="week %{x:.0f}: drive %{y:.2f}<extra></extra>", row=2, col=1)
    fig.add_scatter(name="the week shown on the limb", mode="lines",
                    line={"color": PALETTE["black"], "dash": "dot", "width": 2}, hoverinfo="skip", row=2, col=1)
    fig.add_scatter(name="regrowth reaches the target", mode="lines",
                    line={"color": PALETTE["blue"], "dash": "dash", "width": 2}, hoverinfo="skip", row=2, col=1)
    fig.update_yaxes(visible=False, range=[-1.0, 1.4], fixedrange=True, row=1, col=1)
    fig.update_xaxes(title_text="distance from the injury (mm)", row=1, col=1)
    fig.update_yaxes(title_text="drive (0-1)", range=[0, 1.05], row=2, col=1)
    fig.update_xaxes(title_text="weeks since the cause was removed", row=2, col=1)
    fig.update_layout(**subplot_layout(height=560))
    return fig


def front_at(result: RecoveryResult, day: float) -> float:
    """How far (mm) the regrowth front has advanced on ``day`` (interpolated from the result)."""
    return float(np.interp(day, result.t_days, result.front_mm))


def update_regrowth_figure(fig: go.FigureWidget, result: RecoveryResult, distance_mm: float, week_shown: float,
                           axons_lost: bool, span_weeks: float) -> None:
    """Draw the limb at ``week_shown`` and the drive over ``span_weeks``."""
    front = front_at(result, week_shown * DAYS_PER_WEEK) if axons_lost else 0.0
    weeks = result.t_days / DAYS_PER_WEEK
    keep = weeks <= span_weeks + 1e-9
    with fig.batch_update():
        fig.data[REGROWTH_TRACE["nerve"]].x = np.array([0.0, distance_mm])
        fig.data[REGROWTH_TRACE["nerve"]].y = np.array([LIMB_Y, LIMB_Y])
        regrown = fig.data[REGROWTH_TRACE["regrown"]]
        regrown.x, regrown.y = (np.array([0.0, front]), np.array([LIMB_Y, LIMB_Y])) if axons_lost else (EMPTY, EMPTY)
        marker = fig.data[REGROWTH_TRACE["front"]]
        marker.x, marker.y = (np.array([front]), np.array([LIMB_Y])) if axons_lost else (EMPTY, EMPTY)
        fig.data[REGROWTH_TRACE["injury"]].x = np.array([0.0])
        fig.data[REGROWTH_TRACE["injury"]].y = np.array([LIMB_Y])
        fig.data[REGROWTH_TRACE["target"]].x = np.array([distance_mm])
        fig.data[REGROWTH_TRACE["target"]].y = np.array([LIMB_Y])
        top = max(float(result.drive.max()) * 1.05, 0.1)
        fig.data[REGROWTH_TRACE["drive"]].x, fig.data[REGROWTH_TRACE["drive"]].y = weeks[keep], result.drive[keep]
        now = fig.data[REGROWTH_TRACE["now"]]
        now.x, now.y = _vertical(week_shown, 0.0, top)
        arrival = fig.data[REGROWTH_TRACE["arrival"]]
        arrival.x, arrival.y = _vertical(result.regrowth_days / DAYS_PER_WEEK if axons_lost else None, 0.0, top)
        fig.layout.xaxis.range = [-0.06 * distance_mm, 1.08 * distance_mm]
        fig.layout.xaxis2.range = [0.0, span_weeks]
        fig.layout.yaxis2.range = [0.0, top]


def describe_regrowth_figure(site: str, distance_mm: float, rate: float, week_shown: float, front_mm: float,
                             axons_lost: bool, weeks_to_target: float, weeks_to_remyelinate: float) -> str:
    """Text description of the regrowth figure."""
    if axons_lost:
        limb = (f"a green bar shows the {front_mm:.0f} mm regrown by week {week_shown:g}, ending in a triangle "
                f"(the regrowth front); at {rate:g} mm a day the front reaches the target after about "
                f"{weeks_to_target:.0f} weeks, marked by a dashed vertical line below")
        takeaway = "the farther the injury is from the target, the longer the wait: distance divided by speed."
    else:
        limb = "no axons were lost, so nothing has to regrow: there is no regrowth front"
        takeaway = ("with pressure only, myelin repair ends the abnormal drive within weeks, whatever the "
                    "distance.")
    return (
        f"Two charts. Top: a schematic limb for {site}, a grey bar {distance_mm:.0f} mm long from the injury "
        f"(a cross, left) to its target in skin or muscle (a square, right); {limb}. Bottom: line chart of the "
        f"nerve's abnormal drive (vertical axis, 0-1) against weeks since the cause was removed (horizontal "
        f"axis), with a dotted line at week {week_shown:g}. Myelin repair brings most of the drive down in "
        f"about {weeks_to_remyelinate:.0f} weeks. Takeaway: in this teaching model, {takeaway}"
    )


# ----- sensitisation-reversal lab ----------------------------------------------------------------
REVERSAL_TRACE = {
    "S": 0,
    "M": 1,
    "tipping": 2,
    "pain": 3,
    "treatment": 4,
    "treatment_end": 5,
    "cohort": 6,
    "cohort_here": 7,
}


def build_reversal_figure() -> go.FigureWidget:
    """Top: S and its slow consolidation M over months. Middle: the model pain signal. Bottom: the virtual cohort."""
    fig = CourseFigureWidget(make_subplots(rows=3, cols=1, vertical_spacing=0.15, row_heights=[0.36, 0.32, 0.32], subplot_titles=("Sensitisation S and its consolidation M", "Model pain signal (% of its maximum)", "Virtual cohort: who recovers (press the button)")))
    fig.add_scatter(name="sensitisation S", mode="lines", line={"color": PALETTE["reddish_purple"], "width": 3},
                    hovertemplate="month %{x:.1f}: S %{y:.2f}<extra></extra>", row=1, col=1)
    fig.add_scatter(name="consolidation M (slow)", mode="lines",
                    line={"color": PALETTE["blue"], "width": 2, "dash": "dash"},
                    hovertemplate="month %{x:.1f}: M %{y:.2f}<extra></extra>", row=1, col=1)
    fig.add_scatter(name="S = 0.5", mode="lines", line={"color": PALETTE["grey"], "dash": "dot", "width": 1.5},
                    hoverinfo="skip", row=1, col=1)
    fig.add_scatter(name="pain signal", mode="lines", line={"color": PALETTE["vermillion"], "width": 3},
                    hovertemplate="month %{x:.1f}: pain signal %{y:.0f} %<extra></extra>", row=2, col=1)
    fig.add_scatter(name="treatment starts", mode="lines", line={"color": PALETTE["black"], "dash": "dot", "width": 2},
                    hoverinfo="skip", row=2, col=1)
    fig.add_scatter(name="extra inhibition ends", mode="lines",
                    line={"color": PALETTE["bluish_green"], "dash": "dashdot", "width": 2}, hoverinfo="skip", row=2, col=1)
    fig.add_scatter(name="cohort: recovered", mode="lines+markers", marker={"symbol": "diamond", "size": 8},
                    line={"color": PALETTE["bluish_green"], "width": 3},
                    hovertemplate="%{x:g} months sensitised: %{y:.0%} recover<extra></extra>", row=3, col=1)
    fig.add_scatter(name="your months sensitised", mode="markers",
                    marker={"symbol": "star", "size": 16, "color": PALETTE["orange"],
                            "line": {"color": PALETTE["black"], "width": 1}},
                    hovertemplate="%{x:g} months: %{y:.0%}<extra></extra>", row=3, col=1)
    fig.update_yaxes(title_text="S, M (0-1)", range=[0, 1.05], row=1, col=1)
    fig.update_yaxes(title_text="% of maximum", range=[0, 105], row=2, col=1)
    fig.update_xaxes(title_text="months from the onset (both charts above)", row=2, col=1)
    fig.update_yaxes(title_text="recovered", range=[0, 1.05], tickformat=".0%", row=3, col=1)
    fig.update_xaxes(title_text="months sensitised before treatment", row=3, col=1)
    fig.update_layout(**subplot_layout(height=800))
    return fig


def update_reversal_figure(fig: go.FigureWidget, result: ReversalResult, treatment_months: float,
                           cohort: ReversalCohortResult | None, months_sensitised: float) -> None:
    """One patient's course, plus the cohort curve when one has been run for these settings."""
    months = result.t_months
    start = result.treatment_day / DAYS_PER_MONTH
    with fig.batch_update():
        fig.data[REVERSAL_TRACE["S"]].x, fig.data[REVERSAL_TRACE["S"]].y = decimate(months, result.S)
        fig.data[REVERSAL_TRACE["M"]].x, fig.data[REVERSAL_TRACE["M"]].y = decimate(months, result.M)
        fig.data[REVERSAL_TRACE["tipping"]].x = np.array([0.0, float(months[-1])])
        fig.data[REVERSAL_TRACE["tipping"]].y = np.array([0.5, 0.5])
        fig.data[REVERSAL_TRACE["pain"]].x, fig.data[REVERSAL_TRACE["pain"]].y = decimate(months, result.pain_signal)
        t = fig.data[REVERSAL_TRACE["treatment"]]
        t.x, t.y = _vertical(start, 0.0, 100.0)
        e = fig.data[REVERSAL_TRACE["treatment_end"]]
        e.x, e.y = _vertical(start + treatment_months if treatment_months > 0 else None, 0.0, 100.0)
        curve = fig.data[REVERSAL_TRACE["cohort"]]
        here = fig.data[REVERSAL_TRACE["cohort_here"]]
        if cohort is None:
            curve.x, curve.y = EMPTY, EMPTY
            here.x, here.y = EMPTY, EMPTY
        else:
            frac = np.asarray(cohort.recovered_fraction[:, 0], dtype=float)
            curve.x, curve.y = np.asarray(cohort.months, dtype=float), frac
            here.x = np.array([months_sensitised])
            here.y = np.array([float(np.interp(months_sensitised, cohort.months, frac))])


def describe_reversal_figure(result: ReversalResult, months_sensitised: float, what_was_done: str,
                             cohort: ReversalCohortResult | None) -> str:
    """Text description of the reversal figure."""
    if cohort is None:
        cohort_text = "The bottom chart is empty until the virtual cohort is run with the button."
    else:
        frac = cohort.recovered_fraction[:, 0]
        cohort_text = (
            f"Bottom: line chart of the fraction of virtual patients who recover with {what_was_done} (vertical axis) "
            f"against months sensitised before treatment (horizontal axis, {cohort.months.min():g} to "
            f"{cohort.months.max():g}): from {frac[0]:.0%} down to {frac[-1]:.0%}, with a star at "
            f"{months_sensitised:g} months."
        )
    ending = (f"S falls below 0.5 {result.days_to_recovery / 7:.0f} weeks after treatment starts and the {PAIN_SIGNAL} "
              f"ends below {GONE_LINE}" if result.recovered else
              f"S stays high and the {PAIN_SIGNAL} ends at {pain_signal_text(result.pain_signal[-1])}")
    return (
        f"Top: line chart of sensitisation S and its slow consolidation M (0-1) over {result.t_months[-1]:.0f} "
        f"months from the onset, with a dotted line at S = 0.5. Middle: the {PAIN_SIGNAL} over the same months, "
        f"with a dotted vertical line where treatment starts, after {months_sensitised:g} months sensitised "
        f"({what_was_done}), and a dash-dot line where the extra inhibition ends. Here {ending}. {cohort_text} "
        "Takeaway: in this teaching model the switch can be turned back, but the longer S was high, the more it "
        "takes."
    )


__all__ = [
    "CAUSE_TRACE",
    "REGROWTH_TRACE",
    "REVERSAL_TRACE",
    "build_cause_figure",
    "build_regrowth_figure",
    "build_reversal_figure",
    "describe_cause_figure",
    "describe_regrowth_figure",
    "describe_reversal_figure",
    "front_at",
    "update_cause_figure",
    "update_regrowth_figure",
    "update_reversal_figure",
]
