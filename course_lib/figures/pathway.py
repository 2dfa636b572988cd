"""Figure for notebook 05's where-it-acts lab: the pain pathway, where treatments act, and
what reaches each stage.

One FigureWidget, two rows:

* top: a diagram of the pathway drawn with plotly shapes and annotations (nerve in the skin ->
  C-fibre terminals in the spinal cord -> dorsal horn neurons -> brain, with the brainstem's
  descending arrow onto the dorsal horn). Each ticked treatment is a marker (its own colour AND
  symbol) beside every stage it acts on; unticked treatments have empty traces.
* bottom: three bar panels, one per stage the learner can measure (the nerve's firing, the
  C-fibre input into the spinal cord, the signal sent up to the brain), each with two bars:
  the untreated pathway (grey, hatched) and the pathway with the ticked treatments (blue, solid),
  labelled on the axis so colour never carries the meaning alone.

Numbers come from ``course_lib.models.pathway`` (our teaching model joining the 02 nociceptor
and the 03 dorsal horn); this module only draws them. The builder, updater and describer
follow the house pattern (see figures/dorsal_horn.py).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..models import pathway as pw
from .style import PALETTE, subplot_layout

# ----- diagram geometry (data units of the hidden top axes: x 0-10, y 0-4) -------------------
NODES: dict[str, tuple[float, float, str]] = {
    # stage: (x centre, y centre, label); the brain is not a model stage but closes the picture
    "nerve": (1.2, 3.0, "nerve<br>(skin, DRG)"),
    "terminals": (3.65, 3.0, "C-fibre<br>terminals"),
    "dorsal_horn": (6.1, 3.0, "dorsal horn<br>neurons"),
    "brain": (8.9, 3.0, "brain"),
    "brainstem": (8.9, 1.2, "brainstem<br>(PAG, RVM, LC)"),
}
NODE_HALF_WIDTH, NODE_HALF_HEIGHT = 0.85, 0.42
MARKER_SPACING = 0.45       # treatment markers sit in a row under the stage they act on
MARKER_ROW_GAP = 0.8        # from the node's centre down to its row of markers

#: Short names for the diagram's markers and legend; the lab's checkboxes use the full labels.
SHORT_LABELS = {
    "lidocaine_plaster": "lidocaine",
    "capsaicin_patch": "capsaicin 8 %",
    "gabapentinoid": "gabapentinoid",
    "tca": "TCA",
    "snri": "SNRI",
    "tramadol": "tramadol",
    "strong_opioid": "strong opioid",
}
_STYLE = {  # colour AND symbol per treatment (Okabe-Ito; the symbol carries the identity too)
    "lidocaine_plaster": (PALETTE["orange"], "square"),
    "capsaicin_patch": (PALETTE["vermillion"], "diamond"),
    "gabapentinoid": (PALETTE["bluish_green"], "triangle-up"),
    "tca": (PALETTE["blue"], "circle"),
    "snri": (PALETTE["sky_blue"], "triangle-down"),
    "tramadol": (PALETTE["reddish_purple"], "star"),
    "strong_opioid": (PALETTE["black"], "x"),
}

BAR_PANELS = ("nerve", "cord", "brain")
BAR_TITLES = ("Nerve firing", "Input into the spinal cord", "Signal to the brain")
BAR_LABELS = np.array(["untreated", "treated"])
BAR_RANGES = {"nerve": (0.0, 60.0), "cord": (0.0, 2.3), "brain": (0.0, 16.0)}
BAR_UNITS = {"nerve": "Hz (per fibre, nerve average)", "cord": "C-fibre drive (03's scale)",
             "brain": "impulses per stimulus"}

#: trace indices, fixed at build time
BAR_TRACE = {panel: i for i, panel in enumerate(BAR_PANELS)}
TREATMENT_TRACE = {key: len(BAR_PANELS) + i for i, key in enumerate(pw.TREATMENT_KEYS)}


def _box(fig: go.Figure, x: float, y: float, dashed: bool = False) -> None:
    fig.add_shape(type="rect", x0=x - NODE_HALF_WIDTH, x1=x + NODE_HALF_WIDTH,
                  y0=y - NODE_HALF_HEIGHT, y1=y + NODE_HALF_HEIGHT, xref="x", yref="y",
                  line={"color": PALETTE["black"], "width": 1.5, "dash": "dot" if dashed else "solid"},
                  fillcolor="rgba(0,0,0,0)")


def _arrow(fig: go.Figure, x0: float, y0: float, x1: float, y1: float, dash_text: str = "") -> None:
    fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y",
                       showarrow=True, arrowhead=2, arrowwidth=2, arrowcolor=PALETTE["black"],
                       text="")
    if dash_text:
        fig.add_annotation(x=(x0 + x1) / 2, y=(y0 + y1) / 2, xref="x", yref="y", text=dash_text,
                           showarrow=False, font={"size": 10}, xanchor="left")


def marker_positions(stage: str, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Where the ``count`` markers of one stage go in the diagram: a row under its node.

    No text beside the markers (at 480 px it would overlap): each treatment has its own
    symbol and colour, named in the legend, and the figure description lists the sites.
    """
    x, y, _ = NODES[stage]
    xs = x + MARKER_SPACING * (np.arange(count) - (count - 1) / 2.0)
    return xs, np.full(count, y - MARKER_ROW_GAP)


def build_pathway_figure() -> go.FigureWidget:
    """Empty where-it-acts figure: the diagram on top, three stage bar panels below."""
    base = make_subplots(
        rows=2, cols=3, specs=[[{"colspan": 3}, None, None], [{}, {}, {}]],
        row_heights=[0.5, 0.5], vertical_spacing=0.16, horizontal_spacing=0.12,
        subplot_titles=("Where the ticked treatments act", *BAR_TITLES))
    fig = go.FigureWidget(base)
    for panel, col in zip(BAR_PANELS, (1, 2, 3)):
        fig.add_bar(name=f"{panel}: untreated vs treated", showlegend=False, row=2, col=col,
                    x=BAR_LABELS, y=np.zeros(2),
                    marker={"color": [PALETTE["grey"], PALETTE["blue"]],
                            "pattern": {"shape": ["/", ""]}},
                    texttemplate="%{y:.3g}", textposition="outside",
                    hovertemplate="%{x}: %{y:.3g}<extra></extra>")
    for key in pw.TREATMENT_KEYS:
        colour, symbol = _STYLE[key]
        fig.add_scatter(name=SHORT_LABELS[key], mode="markers", x=np.array([]), y=np.array([]),
                        marker={"color": colour, "symbol": symbol, "size": 13,
                                "line": {"width": 1, "color": PALETTE["black"]}},
                        row=1, col=1,
                        hovertemplate=f"{SHORT_LABELS[key]} acts here<extra></extra>")
    for stage, (x, y, label) in NODES.items():
        _box(fig, x, y, dashed=stage == "brain")
        fig.add_annotation(x=x, y=y, xref="x", yref="y", text=label, showarrow=False,
                           font={"size": 11})
    half = NODE_HALF_WIDTH
    _arrow(fig, NODES["nerve"][0] + half, 3.0, NODES["terminals"][0] - half, 3.0)
    _arrow(fig, NODES["terminals"][0] + half, 3.0, NODES["dorsal_horn"][0] - half, 3.0)
    _arrow(fig, NODES["dorsal_horn"][0] + half, 3.0, NODES["brain"][0] - half, 3.0)
    # descending control: from the brainstem's top-left corner to the dorsal horn's lower right
    stem_x, stem_y, _ = NODES["brainstem"]
    _arrow(fig, stem_x - half, stem_y + NODE_HALF_HEIGHT,
           NODES["dorsal_horn"][0] + half, 3.0 - NODE_HALF_HEIGHT)
    fig.add_annotation(x=7.75, y=2.05, xref="x", yref="y", text="descending<br>control",
                       showarrow=False, font={"size": 10}, xanchor="left")
    fig.update_xaxes(visible=False, range=[0.2, 9.9], fixedrange=True, row=1, col=1)
    fig.update_yaxes(visible=False, range=[0.0, 3.5], fixedrange=True, row=1, col=1)
    for panel, col in zip(BAR_PANELS, (1, 2, 3)):
        fig.update_yaxes(title_text=BAR_UNITS[panel], range=list(BAR_RANGES[panel]),
                         title_font={"size": 11}, row=2, col=col)
    fig.update_layout(**subplot_layout(height=640, hovermode="closest",
                                       legend={"orientation": "h", "y": -0.12, "x": 0,
                                               "title": {"text": "ticked: "}}))
    return fig


def bar_values(result: pw.PathwayResult) -> dict[str, float]:
    """The three measured stages of a pathway result, keyed like BAR_PANELS."""
    return {"nerve": result.nerve_output_hz, "cord": result.c_drive, "brain": result.signal_to_brain}


def update_pathway_figure(fig: go.FigureWidget, result: pw.PathwayResult,
                          untreated: pw.PathwayResult) -> None:
    """Bars for the untreated and treated pathway; a marker at every site of each ticked drug."""
    now, before = bar_values(result), bar_values(untreated)
    sites = pw.sites_of(result.treatments)
    xs: dict[str, list[np.ndarray]] = {k: [] for k in pw.TREATMENT_KEYS}
    ys: dict[str, list[np.ndarray]] = {k: [] for k in pw.TREATMENT_KEYS}
    for stage, keys in sites.items():
        sx, sy = marker_positions(stage, len(keys))
        for i, key in enumerate(keys):
            xs[key].append(sx[i:i + 1])
            ys[key].append(sy[i:i + 1])
    with fig.batch_update():
        for panel in BAR_PANELS:
            fig.data[BAR_TRACE[panel]].y = np.array([before[panel], now[panel]], dtype=float)
        for key in pw.TREATMENT_KEYS:
            trace = fig.data[TREATMENT_TRACE[key]]
            x = np.concatenate(xs[key]) if xs[key] else np.array([])
            trace.x = x
            trace.y = np.concatenate(ys[key]) if ys[key] else np.array([])


def describe_pathway_figure(result: pw.PathwayResult, untreated: pw.PathwayResult) -> str:
    """Text description (alt text) of the where-it-acts figure for its current state."""
    now, before = bar_values(result), bar_values(untreated)
    if result.treatments:
        where = "; ".join(
            f"{SHORT_LABELS[k]} at the " + " and the ".join(
                pw.STAGE_LABELS[s].split(" (")[0] for s in pw.TREATMENTS[k].stages)
            for k in result.treatments)
        marked = f"Markers show where each ticked treatment acts: {where}."
    else:
        marked = "No treatment is ticked, so no markers are shown."
    return (
        "Top: a diagram of the pain pathway from left to right: nerve in the skin, C-fibre "
        "terminals in the spinal cord, dorsal horn neurons, then the brain, with an arrow from the "
        f"brainstem back onto the dorsal horn for descending control. {marked} Bottom: three bar "
        "charts, each with an untreated bar (grey, hatched) and a treated bar (blue): nerve firing "
        f"{before['nerve']:.0f} then {now['nerve']:.0f} Hz (axis 0-60); input into the spinal cord "
        f"{before['cord']:.2f} then {now['cord']:.2f} (axis 0-2.3); signal to the brain "
        f"{before['brain']:.1f} then {now['brain']:.1f} impulses (axis 0-16). Takeaway: in this "
        "teaching model a treatment changes the stage where it acts and every stage after it, "
        "never the stages before it."
    )


__all__ = ["BAR_PANELS", "BAR_TRACE", "SHORT_LABELS", "TREATMENT_TRACE", "bar_values",
           "build_pathway_figure", "describe_pathway_figure", "marker_positions",
           "update_pathway_figure"]
