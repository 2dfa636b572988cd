"""Figures for notebook 03 (acute vs chronic): the duration, wind-up and gate labs.

Each lab has one builder (an empty FigureWidget with its traces in a fixed order), one updater
(new numpy arrays into those traces inside a single ``batch_update``) and one describer (the
figure's text description: chart type, axes, what changed, the takeaway).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..models.dorsal_horn import DorsalHornResult
from ..models.timeline import DAYS_PER_MONTH, GONE_LINE, PAIN_SIGNAL, StimulusResponse, TimelineResult, pain_signal_text
from ..models.windup import WindupResult
from .figure_widget import CourseFigureWidget
from .style import BASELINE_COLOUR, PALETTE, decimate, mark_shade, shape_line, subplot_layout

CHRONIC_LINE_MONTHS = 3.0  # ICD-11 (Treede et al. 2019): pain for more than 3 months is "chronic"


# ----- duration lab ---------------------------------------------------------------------------
def build_duration_figure() -> go.FigureWidget:
    """Four panels: nerve input, sensitisation, the model pain signal (over months) and stimulus-response curves."""
    fig = make_subplots(
        rows=2,
        cols=2,
        # short titles, and a wide gap for the right column's y-axis title: at 480 px each panel
        # is about 150 px wide, and longer titles ran into each other and off the edge
        subplot_titles=(
            "Nerve input",
            "Sensitisation S",
            "Model pain signal",
            "Stimulus responses",
        ),
        horizontal_spacing=0.22,
        vertical_spacing=0.28,  # room for the top row's axis titles above the bottom row's titles
    )
    fig = CourseFigureWidget(fig)
    line = {"width": 3}
    fig.add_scatter(name="nerve input", mode="lines", line={**line, "color": PALETTE["orange"]}, row=1, col=1)
    fig.add_scatter(name="sensitisation S", mode="lines", line={**line, "color": PALETTE["reddish_purple"]}, row=1, col=2)
    fig.add_scatter(
        name="tipping point of S", mode="lines", line={"color": PALETTE["grey"], "dash": "dot", "width": 2}, row=1, col=2
    )
    fig.add_scatter(name="pain signal", mode="lines", line={**line, "color": PALETTE["vermillion"]}, row=2, col=1)
    fig.add_scatter(
        name="cause removed", mode="lines", line={"color": PALETTE["black"], "dash": "dash", "width": 2}, row=2, col=1
    )
    fig.add_scatter(name="touch, before injury", mode="lines", line={"color": BASELINE_COLOUR, "dash": "dash", "width": 3}, row=2, col=2)
    fig.add_scatter(name="touch, now", mode="lines+markers", marker={"symbol": "circle"}, line={**line, "color": PALETTE["blue"]}, row=2, col=2)
    fig.add_scatter(name="noxious, before injury", mode="lines", line={"color": BASELINE_COLOUR, "dash": "dot", "width": 3}, row=2, col=2)
    fig.add_scatter(name="noxious, now", mode="lines+markers", marker={"symbol": "diamond"}, line={**line, "color": PALETTE["vermillion"], "dash": "dashdot"}, row=2, col=2)
    for row, col in ((1, 1), (1, 2), (2, 1)):
        fig.add_vline(x=CHRONIC_LINE_MONTHS, **shape_line(PALETTE["grey"], "dot", 1), row=row, col=col)
    fig.add_annotation(
        # inside the panel (top edge at 100 %), not above it where the panel's title sits
        x=CHRONIC_LINE_MONTHS, y=100, yanchor="top", xref="x3", yref="y3", text="3 months: 'chronic'",
        showarrow=False, xanchor="left", font={"size": 11, "color": "#555"},
    )
    fig.update_xaxes(title_text="months after injury", row=1, col=1)
    fig.update_xaxes(title_text="months after injury", row=1, col=2)
    fig.update_xaxes(title_text="months after injury", row=2, col=1)
    fig.update_xaxes(title_text="stimulus strength (0-2)", row=2, col=2)
    fig.update_yaxes(title_text="drive (0-2)", range=[0, 2.05], row=1, col=1)
    fig.update_yaxes(title_text="S (0 normal, 1 sensitised)", range=[0, 1.05], row=1, col=2)
    fig.update_yaxes(title_text="% of its maximum", range=[0, 105], row=2, col=1)
    fig.update_yaxes(title_text="impulses to the brain", rangemode="tozero", row=2, col=2)
    fig.update_layout(**subplot_layout(height=720))
    return fig


def update_duration_figure(fig: go.FigureWidget, result: TimelineResult, curves: StimulusResponse) -> None:
    months = result.t_months
    # A line with nothing to mark (the cause never removed, no tipping point) is hidden, not moved to
    # NaN: the figure's data stay finite, and its legend entry goes with it.
    removed = bool(np.isfinite(result.treat_day))
    tips = bool(np.isfinite(result.tipping_S))
    treat = result.treat_day / DAYS_PER_MONTH if removed else float(months[0])
    tipping = result.tipping_S if tips else 0.0
    with fig.batch_update():
        fig.data[0].x, fig.data[0].y = months, result.drive
        fig.data[1].x, fig.data[1].y = months, result.S
        fig.data[2].x, fig.data[2].y = np.array([months[0], months[-1]]), np.array([tipping, tipping])
        fig.data[2].visible = tips
        fig.data[3].x, fig.data[3].y = months, result.pain_signal
        fig.data[4].x, fig.data[4].y = np.array([treat, treat]), np.array([0.0, 100.0])
        fig.data[4].visible = removed
        fig.data[5].x, fig.data[5].y = curves.drives, curves.touch_before
        fig.data[6].x, fig.data[6].y = curves.drives, curves.touch_now
        fig.data[7].x, fig.data[7].y = curves.drives, curves.noxious_before
        fig.data[8].x, fig.data[8].y = curves.drives, curves.noxious_now


def describe_duration_figure(result: TimelineResult, curves: StimulusResponse, months_untreated: float | None) -> str:
    """Text description of the duration figure; its takeaway follows the current setting."""
    span = result.t_months[-1]
    when = "the cause is never removed" if months_untreated is None else f"the cause is removed at {months_untreated:g} months"
    if result.resolved:
        week = max(1, int(np.ceil(result.resolved_day / 7.0)))
        takeaway = (
            f"in this teaching model the {PAIN_SIGNAL} falls below {GONE_LINE} by about week {week} and stays there: "
            "the sensitisation level never passed its tipping point for long, so it fell back once the input faded."
        )
    elif np.isfinite(result.treat_day):
        takeaway = (
            f"in this teaching model the {PAIN_SIGNAL} stays at about {pain_signal_text(result.pain_signal[-1])} although the "
            "nerve's input has faded: removed this late, the sensitisation level had passed its tipping point and "
            "keeps itself high, because the model has nothing that calms it (notebooks 04 and 05 look at what does)."
        )
    else:
        takeaway = (
            f"in this teaching model the nerve's input never stops, so the {PAIN_SIGNAL} stays at about "
            f"{pain_signal_text(result.pain_signal[-1])}."
        )
    touch_ratio = float(curves.touch_now.max() / max(curves.touch_before.max(), 1e-9))
    return (
        f"Four line charts. Top left: input from the injured nerve (0-2) over {span:.0f} months. Top right: "
        "the sensitisation level S (0-1), with a dotted line at its tipping point. Bottom left: the model pain "
        "signal, 0-100 % of its maximum (not a pain score), with a dashed vertical line on the day the cause is removed and a "
        "dotted line at 3 months. Bottom right: impulses sent to the brain for touch and for a noxious stimulus "
        "of strength 0-2, before the injury (grey) and at the end (coloured); the strongest touch response at "
        f"the end is {touch_ratio:.1f} times what it was before. Here {when}: {takeaway}"
    )


# ----- wind-up lab ----------------------------------------------------------------------------
def build_windup_figure() -> go.FigureWidget:
    """Left: impulses per stimulus over the train. Right: the firing rate over time."""
    fig = CourseFigureWidget(
        make_subplots(
            # short titles and a wide gap (the right panel's y-axis title sits in it): see above
            rows=1, cols=2, column_widths=[0.45, 0.55], horizontal_spacing=0.2,
            subplot_titles=("Each stimulus", "Dorsal horn firing"),
        )
    )
    fig.add_scatter(name="previous setting", mode="lines+markers", marker={"symbol": "square"},
                    line={"color": BASELINE_COLOUR, "dash": "dash", "width": 3}, row=1, col=1)
    fig.add_scatter(name="this setting", mode="lines+markers", marker={"symbol": "circle", "size": 8},
                    line={"color": PALETTE["vermillion"], "width": 3}, row=1, col=1)
    fig.add_scatter(name="firing rate", mode="lines", line={"color": PALETTE["blue"], "width": 1.5}, row=1, col=2)
    fig.add_scatter(name="stimuli", mode="markers", marker={"symbol": "triangle-up", "size": 8, "color": PALETTE["black"]},
                    row=1, col=2)
    # whole-number ticks chosen by plotly: one tick per stimulus crowded together below 600 px
    fig.update_xaxes(title_text="stimulus number", row=1, col=1, nticks=10)
    fig.update_yaxes(title_text="impulses per stimulus", rangemode="tozero", row=1, col=1)
    fig.update_xaxes(title_text="time (s)", row=1, col=2)
    fig.update_yaxes(title_text="firing rate (impulses/s)", rangemode="tozero", row=1, col=2)
    fig.update_layout(**subplot_layout(height=470))
    return fig


def update_windup_figure(fig: go.FigureWidget, result: WindupResult, reference: WindupResult) -> None:
    """Draw ``result`` over ``reference`` (the lab passes its previous setting)."""
    numbers = np.arange(1, result.responses.size + 1)
    t_s, rate = decimate(result.t_ms / 1000.0, result.rate_Hz)
    with fig.batch_update():
        fig.data[0].x, fig.data[0].y = numbers, reference.responses
        fig.data[1].x, fig.data[1].y = numbers, result.responses
        fig.data[2].x, fig.data[2].y = t_s, rate
        fig.data[3].x, fig.data[3].y = result.pulse_times_ms / 1000.0, np.zeros(result.pulse_times_ms.size)


def describe_windup_figure(result: WindupResult, nmda_on: bool) -> str:
    """Text description of the wind-up figure; its takeaway is about the current setting only."""
    first, last = float(result.responses[0]), float(result.responses[-1])
    if last > 1.2 * first:
        takeaway = (f"with this setting the response grows along the train, to {last / max(first, 1e-9):.1f} "
                    "times the first: wind-up")
    else:
        takeaway = "with this setting the response stays about the same from the first stimulus to the last"
    return (
        f"Two charts. Left: a line of {result.responses.size} points, the impulses the dorsal horn neuron fires after "
        f"each of {result.responses.size} identical C-fibre stimuli at {result.frequency_hz:g} per second, from "
        f"{first:.1f} for the first to {last:.1f} for the last; a dashed grey line shows the previous setting "
        "for comparison. Right: the neuron's firing rate over "
        f"{result.t_ms[-1] / 1000:.0f} s with triangles marking the stimuli. NMDA receptors are "
        f"{'working' if nmda_on else 'blocked'}. In this model, {takeaway}."
    )


# ----- gate lab -------------------------------------------------------------------------------
GATE_BAR_LABELS = np.array(["noxious alone", "touch alone", "touch + noxious"])


def build_gate_figure() -> go.FigureWidget:
    """Left: output neuron W over one trial. Right: impulses to the brain for three trials."""
    fig = CourseFigureWidget(
        make_subplots(
            rows=1, cols=2, column_widths=[0.6, 0.4], horizontal_spacing=0.2,
            subplot_titles=("Output in one trial", "Per trial"),
        )
    )
    fig.add_scatter(name="noxious alone", mode="lines", line={"color": BASELINE_COLOUR, "dash": "dash", "width": 3}, row=1, col=1)
    fig.add_scatter(name="touch + noxious", mode="lines", line={"color": PALETTE["vermillion"], "width": 3}, row=1, col=1)
    fig.add_scatter(name="inhibitory interneurons", mode="lines", line={"color": PALETTE["bluish_green"], "dash": "dot", "width": 2}, row=1, col=1)
    bar_colours = [PALETTE["grey"], PALETTE["blue"], PALETTE["vermillion"]]
    fig.add_bar(name="impulses per trial", marker={"color": bar_colours, "pattern": {"shape": ["", "/", "x"]},
                                                   "line": {"color": [mark_shade(c) for c in bar_colours], "width": 1.5}},
                row=1, col=2, showlegend=False)
    fig.update_xaxes(title_text="time (ms)", row=1, col=1)
    fig.update_yaxes(title_text="firing rate (impulses/s)", range=[0, 82], row=1, col=1)
    fig.update_yaxes(title_text="impulses to the brain", rangemode="tozero", row=1, col=2)
    fig.update_layout(**subplot_layout(height=470))
    return fig


def update_gate_figure(
    fig: go.FigureWidget, noxious_alone: DorsalHornResult, both: DorsalHornResult, spikes: np.ndarray
) -> None:
    with fig.batch_update():
        fig.data[0].x, fig.data[0].y = decimate(noxious_alone.t_ms, noxious_alone.W_Hz)
        fig.data[1].x, fig.data[1].y = decimate(both.t_ms, both.W_Hz)
        fig.data[2].x, fig.data[2].y = decimate(both.t_ms, both.I_Hz)
        fig.data[3].x, fig.data[3].y = GATE_BAR_LABELS, np.asarray(spikes, dtype=float)


def describe_gate_figure(touch: float, noxious: float, inhibition: float, spikes: np.ndarray) -> str:
    """Text description of the gate figure; its takeaway is about the current setting only."""
    noxious_alone, touch_alone, both = (float(x) for x in spikes[:3])
    if both < 0.5 * noxious_alone:
        takeaway = "with this setting, touch closes the gate: adding it cuts the noxious response"
    elif touch_alone > 2.0:
        takeaway = "with this setting, touch on its own drives the pathway to the brain"
    else:
        takeaway = "with this setting, touch changes the noxious response little"
    return (
        "Two charts. Left: line chart of the output neuron's firing rate (impulses per second, 0-80) over a "
        f"400-ms trial, for a noxious pulse of strength {noxious:g} alone (dashed grey) and with touch of "
        f"strength {touch:g} throughout (red), plus the inhibitory interneurons (dotted green). Right: bar chart "
        f"of impulses to the brain: noxious alone {noxious_alone:.1f}, touch alone {touch_alone:.1f}, touch and "
        f"noxious together {both:.1f}, with the inhibitory synapse at strength {inhibition:g}. In this model, "
        f"{takeaway}."
    )