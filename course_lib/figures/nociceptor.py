"""Figures for notebook 02's sensory-neuron labs: channel lab, balance lab, mystery neuron.

The channel lab and the mystery neuron show a small, pain-sensing DRG neuron (a nociceptor;
``models/drg.py``). The balance lab shows the generic sensory neuron of Ratte et al. 2014
(``models/excitability.py``), built on medium-to-large DRG cell bodies, not a nociceptor:
its lesson carries over because the balance of subthreshold inward and outward current
decides whether any neuron fires once or keeps firing.

Each lab has one builder (an empty FigureWidget with its traces in a fixed order), one
update function (new data in a single ``batch_update``, numpy arrays only) and one
description function (the figure's alt text: chart type, axes and ranges, what changed,
the takeaway). Model results in, figures out; nothing here runs a model.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from course_lib.models import metrics
from course_lib.models.drg import CHANNEL_LABELS, DRGResult
from course_lib.models.excitability import ExcitabilityResult

from .figure_widget import CourseFigureWidget
from .style import BASELINE_COLOUR, DASHES, PALETTE, base_layout, decimate, legend_below, subplot_layout

CHANNEL_STYLE = {
    "nav17": (PALETTE["orange"], DASHES[0]),
    "nav18": (PALETTE["vermillion"], DASHES[1]),
    "kdr": (PALETTE["blue"], DASHES[2]),
    "ka": (PALETTE["bluish_green"], DASHES[3]),
}
PATTERN_COLOURS = {
    metrics.SILENT: "#FFFFFF",
    metrics.ONSET_ONLY: PALETTE["sky_blue"],
    metrics.REPETITIVE: PALETTE["orange"],
    metrics.BURSTING: PALETTE["reddish_purple"],
    metrics.SPONTANEOUS: PALETTE["vermillion"],
    metrics.DEPOLARISATION_BLOCK: PALETTE["grey"],
}
PATTERN_LETTERS = {
    metrics.SILENT: "", metrics.ONSET_ONLY: "O", metrics.REPETITIVE: "R",
    metrics.BURSTING: "B", metrics.SPONTANEOUS: "S", metrics.DEPOLARISATION_BLOCK: "D",
}


# ================================================================ channel lab =============

def build_channel_figure() -> go.FigureWidget:
    """Two rows sharing time: membrane potential (previous setting faded) and channel currents."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        row_heights=[0.58, 0.42])
    fig = CourseFigureWidget(fig)
    # six legend entries wrap to three rows below 600 px: above the plot they ran into the title,
    # so they go below the time axis (legend below as in subplot_layout)
    fig.update_layout(**base_layout(title="Membrane potential and channel currents",
                                    height=600, hovermode="x",
                                    legend=legend_below(),
                                    margin={"l": 70, "r": 20, "t": 60, "b": 120}))
    fig.add_scatter(name="previous setting", mode="lines", row=1, col=1,
                    line={"color": BASELINE_COLOUR, "width": 2, "dash": "dot"})
    fig.add_scatter(name="membrane potential", mode="lines", row=1, col=1,
                    line={"color": PALETTE["black"], "width": 1.6})
    for key, (colour, dash) in CHANNEL_STYLE.items():
        fig.add_scatter(name=f"{CHANNEL_LABELS[key]} current", mode="lines", row=2, col=1,
                        line={"color": colour, "dash": dash, "width": 1.4})
    fig.update_yaxes(title_text="membrane potential (mV)", range=[-95, 60], row=1, col=1)
    fig.update_yaxes(title_text="current (pA, inward < 0)", row=2, col=1)
    fig.update_xaxes(title_text="time (ms)", row=2, col=1)
    return fig


def update_channel_figure(fig: go.FigureWidget, result: DRGResult,
                          baseline: DRGResult | None, currents: dict[str, np.ndarray]) -> None:
    """Put one DRG run (and the faded previous run) into the channel-lab figure."""
    t = result.t_ms
    with fig.batch_update():
        if baseline is None:
            fig.data[0].x, fig.data[0].y = np.empty(0), np.empty(0)
        else:
            fig.data[0].x, fig.data[0].y = decimate(baseline.t_ms, baseline.v_mV)
        fig.data[1].x, fig.data[1].y = decimate(t, result.v_mV)
        for k, key in enumerate(CHANNEL_STYLE):
            fig.data[2 + k].x, fig.data[2 + k].y = decimate(t, currents[key])
        stim = result.stimulus
        fig.layout.shapes = (
            {"type": "rect", "xref": "x", "yref": "paper", "x0": stim.start_ms,
             "x1": min(stim.end_ms, t[-1]), "y0": 0, "y1": 1, "layer": "below",
             "line": {"width": 0}, "fillcolor": "rgba(240, 228, 66, 0.15)"},)
        fig.layout.xaxis.range = [0.0, float(t[-1])]


def describe_channel_figure(result: DRGResult, n_spikes: int, baseline_spikes: int | None,
                            changes: str) -> str:
    """Alt text for the channel-lab figure."""
    stim = result.stimulus
    before = ("" if baseline_spikes is None else
              f" A faded dotted trace shows the previous setting, which fired {baseline_spikes} "
              f"spike{'s' if baseline_spikes != 1 else ''}.")
    return (
        f"Two line charts sharing a time axis from 0 to {result.t_ms[-1]:.0f} ms. Top: membrane "
        f"potential (-95 to +60 mV); a shaded band marks the {stim.amplitude:g} pA current step "
        f"from {stim.start_ms:.0f} to {stim.end_ms:.0f} ms. The black trace fires {n_spikes} "
        f"spike{'s' if n_spikes != 1 else ''} ({changes}).{before} Bottom: the current through "
        "each channel in pA (inward, negative: Nav1.7 orange solid, Nav1.8 vermillion dashed; "
        "outward, positive: Kdr blue dotted, KA green dash-dot). Takeaway: each spike is an "
        "inward sodium surge followed by an outward potassium current; changing one channel "
        "changes how easily the next spike starts."
    )


# ================================================================ balance lab =============

def _pattern_colourscale() -> list:
    n = len(metrics.PATTERNS)
    scale = []
    for i, name in enumerate(metrics.PATTERNS):
        scale.append([i / n, PATTERN_COLOURS[name]])
        scale.append([(i + 1) / n, PATTERN_COLOURS[name]])
    return scale


def build_balance_figure() -> go.FigureWidget:
    """Left: the (Na, K) map shaded by firing pattern; right: traces at rest and under the step."""
    # the trace panels carry their unit in their titles, not as y-axis titles: at 480-600 px a
    # y-axis title there lands on the map's right-hand column
    fig = make_subplots(rows=2, cols=2, column_widths=[0.45, 0.55], horizontal_spacing=0.13,
                        vertical_spacing=0.14,
                        specs=[[{"rowspan": 2}, {}], [None, {}]],
                        subplot_titles=("Firing just above<br>threshold", "No stimulus (mV)",
                                        "Under the current step (mV)"))
    fig = CourseFigureWidget(fig)
    # the colour key sits at the far right, clear of the trace panels' axis labels
    fig.update_layout(**base_layout(title="Balance of subthreshold Na and K currents",
                                    height=560, hovermode="closest",
                                    margin={"l": 70, "r": 180, "t": 95, "b": 55}))
    fig.update_annotations(font_size=13)  # subplot titles: the panels are narrow on a laptop
    n = len(metrics.PATTERNS)
    fig.add_heatmap(row=1, col=1, name="pattern map", zmin=-0.5, zmax=n - 0.5,
                    colorscale=_pattern_colourscale(), showscale=True,
                    texttemplate="%{text}", hovertemplate=(
                        "subthreshold sodium %{x} mS/cm2<br>subthreshold potassium %{y} mS/cm2<br>%{customdata}"
                        "<extra></extra>"),
                    colorbar={"tickvals": list(range(n)), "len": 0.9, "x": 1.02,
                              "title": {"text": "map key"},
                              "ticktext": [f"{PATTERN_LETTERS[p] or '-'} {p}"
                                           for p in metrics.PATTERNS],
                              "thickness": 12, "tickfont": {"size": 11}})
    fig.add_scatter(row=1, col=1, name="normal / neuropathic examples", mode="markers",
                    marker={"symbol": ["circle-open", "diamond-open"], "size": 11,
                            "color": PALETTE["black"], "line": {"width": 2}},
                    text=["normal (2.0, 2.5)", "neuropathic (2.5, 2.0)"],
                    hovertemplate="%{text}<extra></extra>", showlegend=False)
    fig.add_scatter(row=1, col=1, name="your setting", mode="markers",
                    marker={"symbol": "x", "size": 14, "color": PALETTE["black"],
                            "line": {"width": 1, "color": "white"}})
    fig.add_scatter(row=1, col=2, name="no stimulus", mode="lines",
                    line={"color": PALETTE["vermillion"], "width": 1.3})
    fig.add_scatter(row=2, col=2, name="under the step", mode="lines",
                    line={"color": PALETTE["blue"], "width": 1.3})
    # short two-line axis titles (the figure's title says "subthreshold"): the map is narrow on a
    # laptop, and at 480 px a longer x-axis title ran into the "time (ms)" beside it
    fig.update_xaxes(title_text="sodium<br>(mS/cm2)", row=1, col=1)
    fig.update_yaxes(title_text="potassium<br>(mS/cm2)", row=1, col=1)
    fig.update_yaxes(range=[-90, 45], row=1, col=2)
    fig.update_yaxes(range=[-90, 45], row=2, col=2)
    fig.update_xaxes(title_text="time (ms)", row=2, col=2)
    fig.layout.showlegend = False
    return fig


def update_balance_map(fig: go.FigureWidget, g_na: np.ndarray, g_k: np.ndarray,
                       codes: np.ndarray) -> None:
    """Replace the pattern map (only when the AHP setting changes)."""
    names = np.asarray(metrics.PATTERNS, dtype=object)[codes]
    letters = np.vectorize(PATTERN_LETTERS.get, otypes=[object])(names)
    with fig.batch_update():
        heat = fig.data[0]
        heat.x, heat.y, heat.z = g_na, g_k, codes.astype(float)
        heat.text = letters
        heat.customdata = names
        fig.data[1].x = np.array([2.0, 2.5])
        fig.data[1].y = np.array([2.5, 2.0])


def update_balance_traces(fig: go.FigureWidget, g_na: float, g_k: float,
                          rest: ExcitabilityResult, step: ExcitabilityResult) -> None:
    """Move the marker and replace the two traces."""
    with fig.batch_update():
        fig.data[2].x, fig.data[2].y = np.array([g_na]), np.array([g_k])
        fig.data[3].x, fig.data[3].y = decimate(rest.t_ms, rest.v_mV)
        fig.data[4].x, fig.data[4].y = decimate(step.t_ms, step.v_mV)


def describe_balance_figure(g_na: float, g_k: float, map_pattern: str, rest_pattern: str,
                            step_pattern: str, amplitude: float, ahp: bool, map_shown: bool = True) -> str:
    """Alt text for the balance-lab figure (the map's content only when it is shown)."""
    if not map_shown:
        return (
            "Left: the grid map of firing patterns over subthreshold sodium (across) and potassium "
            "(down) conductance is hidden until you tick 'Show the map'; a cross marks your setting "
            f"(Na {g_na:.1f}, K {g_k:.1f}). Right, top: membrane potential with no stimulus "
            f"({rest_pattern}). Right, bottom: membrane potential under a 1 s step of "
            f"{amplitude:g} uA/cm2 from 100 ms ({step_pattern})."
        )
    return (
        "Left: a grid map (heat map) with subthreshold sodium conductance from 0 to 10 "
        "mS/cm2 across and subthreshold potassium conductance from 0 to 10 down the "
        "side; each cell is coloured and lettered by the firing pattern just above the cell's "
        "threshold (O onset-only, R repetitive, B bursting, S spontaneous, D depolarisation "
        f"block){' with the AHP current on' if ahp else ''}. Onset-only fills the upper left "
        "(more K than Na); repetitive and then spontaneous firing fill a band along and below "
        "the diagonal: the boundary runs parallel to the diagonal, so equal Na-minus-K "
        f"differences behave alike. A cross marks your setting (Na {g_na:.1f}, K {g_k:.1f}), "
        f"nearest map cell: {map_pattern}. Right, top: membrane potential with no stimulus "
        f"({rest_pattern}). Right, bottom: membrane potential under a 1 s step of "
        f"{amplitude:g} uA/cm2 from 100 ms ({step_pattern}). Takeaway: in this generic "
        "sensory neuron what matters is the balance of the two currents, and different "
        "changes can tip it the same way."
    )


# ================================================================ mystery neuron ==========

def build_mystery_figure() -> go.FigureWidget:
    """Top: mystery and healthy traces at the probe current; bottom: spike counts probed so far."""
    fig = make_subplots(rows=2, cols=1, vertical_spacing=0.22, row_heights=[0.6, 0.4],
                        subplot_titles=("Response to the current step",
                                        "Spikes at each current you have tried"))
    fig = CourseFigureWidget(fig)
    # legend below the panels: above them it would collide with the subplot titles
    fig.update_layout(**subplot_layout(title="The mystery neuron", height=600))
    fig.add_scatter(name="healthy neuron", mode="lines", row=1, col=1,
                    line={"color": BASELINE_COLOUR, "width": 2, "dash": "dot"})
    fig.add_scatter(name="mystery neuron", mode="lines", row=1, col=1,
                    line={"color": PALETTE["reddish_purple"], "width": 1.6})
    fig.add_scatter(name="healthy: spikes", mode="markers", row=2, col=1,
                    marker={"symbol": "circle-open", "size": 10, "color": PALETTE["grey"],
                            "line": {"width": 2}})
    fig.add_scatter(name="mystery: spikes", mode="markers", row=2, col=1,
                    marker={"symbol": "diamond", "size": 9, "color": PALETTE["reddish_purple"]})
    fig.update_yaxes(title_text="membrane potential (mV)", range=[-95, 60], row=1, col=1)
    fig.update_xaxes(title_text="time (ms)", row=1, col=1)
    fig.update_yaxes(title_text="spikes in the step", rangemode="tozero", row=2, col=1)
    fig.update_xaxes(title_text="step current (pA)", row=2, col=1)
    return fig


def update_mystery_figure(fig: go.FigureWidget, mystery: DRGResult, healthy: DRGResult | None,
                          probes: dict[float, tuple[int, int]]) -> None:
    """Show the latest traces and every probe so far: amplitude -> (healthy, mystery) spikes."""
    amps = np.array(sorted(probes), dtype=float)
    healthy_n = np.array([probes[a][0] for a in sorted(probes)], dtype=float)
    mystery_n = np.array([probes[a][1] for a in sorted(probes)], dtype=float)
    with fig.batch_update():
        if healthy is None:
            fig.data[0].x, fig.data[0].y = np.empty(0), np.empty(0)
            fig.data[2].x, fig.data[2].y = np.empty(0), np.empty(0)
        else:
            fig.data[0].x, fig.data[0].y = decimate(healthy.t_ms, healthy.v_mV)
            fig.data[2].x, fig.data[2].y = amps, healthy_n
        fig.data[1].x, fig.data[1].y = decimate(mystery.t_ms, mystery.v_mV)
        fig.data[3].x, fig.data[3].y = amps, mystery_n


def describe_mystery_figure(amplitude: float, mystery_spikes: int, healthy_spikes: int | None,
                            n_probes: int) -> str:
    """Alt text for the mystery-neuron figure."""
    compare = ("" if healthy_spikes is None else
               f" A faded dotted trace shows a healthy neuron, which fires {healthy_spikes}.")
    return (
        "Top: line chart of membrane potential (-95 to +60 mV) against time for a "
        f"{amplitude:g} pA current step; the mystery neuron (purple) fires {mystery_spikes} "
        f"spike{'s' if mystery_spikes != 1 else ''}.{compare} Bottom: scatter chart of the "
        f"number of spikes against step current for the {n_probes} current"
        f"{'s' if n_probes != 1 else ''} tried so far (purple diamonds: mystery; grey "
        "circles: healthy). Takeaway: compare threshold, resting potential and firing with "
        "the healthy neuron to work out which channel changed."
    )
