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
from .style import PALETTE, legend_below, mark_shade, shape_line, subplot_layout
from .trace_updates import update_traces
from course_lib.figures.figure_widget import CourseFigureWidget

# ----- diagram geometry (data units of the hidden top axes: x 0-10, y 0-4) -------------------
NODES: dict[str, tuple[float, float, str]] = {
    # stage: (x centre, y centre, label); the brain is not a model stage but closes the picture
    "nerve": (1.2, 3.0, "nerve"),
    "terminals": (3.65, 3.0, "C-fibre<br>endings"),
    "dorsal_horn": (6.1, 3.0, "dorsal<br>horn"),
    "brain": (8.9, 3.0, "brain"),
    "brainstem": (8.9, 1.2, "brain-<br>stem"),
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
# short titles carrying the unit (three panels share 480 px; y-axis titles would overlap)
BAR_TITLES = ("Nerve (Hz)", "Into cord (drive)", "To brain (impulses)")
BAR_LABELS = np.array(["untreated", "treated"])
BAR_RANGES = {"nerve": (0.0, 60.0), "cord": (0.0, 2.3), "brain": (0.0, 16.0)}

#: trace indices, fixed at build time
BAR_TRACE = {panel: i for i, panel in enumerate(BAR_PANELS)}
TREATMENT_TRACE = {key: len(BAR_PANELS) + i for i, key in enumerate(pw.TREATMENT_KEYS)}


def _box(x: float, y: float, dashed: bool = False) -> dict:
    return dict(type="rect", x0=x - NODE_HALF_WIDTH, x1=x + NODE_HALF_WIDTH,
                y0=y - NODE_HALF_HEIGHT, y1=y + NODE_HALF_HEIGHT, xref="x", yref="y",
                **shape_line(PALETTE["black"], "dot" if dashed else "solid", 1.5),
                fillcolor="rgba(0,0,0,0)")


def _arrow(x0: float, y0: float, x1: float, y1: float) -> dict:
    return dict(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y",
                showarrow=True, arrowhead=2, arrowwidth=2, arrowcolor=PALETTE["black"], text="")


def _diagram() -> tuple[list[dict], list[dict]]:
    """Shapes and annotations of the pathway diagram (data units of the top axes)."""
    shapes, notes = [], []
    for stage, (x, y, label) in NODES.items():
        shapes.append(_box(x, y, dashed=stage == "brain"))
        notes.append(dict(x=x, y=y, xref="x", yref="y", text=label, showarrow=False,
                          font={"size": 10}))
    half = NODE_HALF_WIDTH
    chain = ("nerve", "terminals", "dorsal_horn", "brain")
    for a, b in zip(chain, chain[1:]):
        notes.append(_arrow(NODES[a][0] + half, 3.0, NODES[b][0] - half, 3.0))
    # descending control: from the brainstem's top-left corner to the dorsal horn's lower right
    stem_x, stem_y, _ = NODES["brainstem"]
    notes.append(_arrow(stem_x - half, stem_y + NODE_HALF_HEIGHT,
                        NODES["dorsal_horn"][0] + half, 3.0 - NODE_HALF_HEIGHT))
    notes.append(dict(x=7.75, y=2.05, xref="x", yref="y", text="descending<br>control",
                      showarrow=False, font={"size": 9}, xanchor="left"))
    return shapes, notes


def marker_positions(stage: str, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Where the ``count`` markers of one stage go in the diagram: a row under its node.

    No text beside the markers (at 480 px it would overlap): each treatment has its own
    symbol and colour, named in the legend, and the figure description lists the sites.
    """
    x, y, _ = NODES[stage]
    xs = x + MARKER_SPACING * (np.arange(count) - (count - 1) / 2.0)
    return xs, np.full(count, y - MARKER_ROW_GAP)


def build_pathway_figure() -> go.FigureWidget:
    """Empty where-it-acts figure: the diagram on top, three stage bar panels below.

    Everything is added to a plain Figure in a few batched calls (one add_annotation per arrow
    took about 0.6 s in all), then wrapped in a FigureWidget once.
    """
    base = make_subplots(
        rows=2, cols=3, specs=[[{"colspan": 3}, None, None], [{}, {}, {}]],
        row_heights=[0.5, 0.5], vertical_spacing=0.16, horizontal_spacing=0.12,
        subplot_titles=("Where the ticked treatments act", *BAR_TITLES))
    bars = [go.Bar(name=f"{panel}: untreated vs treated", showlegend=False, x=BAR_LABELS,
                   y=np.zeros(2), marker={"color": [PALETTE["grey"], PALETTE["blue"]],
                                          "line": {"color": [mark_shade(PALETTE["grey"]), PALETTE["blue"]],
                                                   "width": 1.5},
                                          "pattern": {"shape": ["/", ""]}},
                   texttemplate="%{y:.3g}", textposition="outside",
                   hovertemplate="%{x}: %{y:.3g}<extra></extra>") for panel in BAR_PANELS]
    base.add_traces(bars, rows=[2, 2, 2], cols=[1, 2, 3])
    markers = [go.Scatter(name=SHORT_LABELS[key], mode="markers", x=np.array([]), y=np.array([]),
                          marker={"color": _STYLE[key][0], "symbol": _STYLE[key][1], "size": 13,
                                  "line": {"width": 1, "color": PALETTE["black"]}},
                          hovertemplate=f"{SHORT_LABELS[key]} acts here<extra></extra>")
               for key in pw.TREATMENT_KEYS]
    base.add_traces(markers, rows=1, cols=1)
    shapes, notes = _diagram()
    base.update_layout(shapes=shapes, annotations=[*base.layout.annotations, *notes])
    base.update_xaxes(visible=False, range=[0.2, 9.9], fixedrange=True, row=1, col=1)
    base.update_yaxes(visible=False, range=[0.0, 3.5], fixedrange=True, row=1, col=1)
    for panel, col in zip(BAR_PANELS, (1, 2, 3)):
        base.update_yaxes(range=list(BAR_RANGES[panel]), row=2, col=col)
    for note in base.layout.annotations[1:len(BAR_TITLES) + 1]:     # the bar panels' titles
        note.font = {"size": 13}
    base.update_layout(**subplot_layout(height=640, hovermode="closest",
                                        legend=legend_below(title={"text": "ticked: "})))
    return CourseFigureWidget(base)


def bar_values(result: pw.PathwayResult) -> dict[str, float]:
    """The three measured stages of a pathway result, keyed like BAR_PANELS."""
    return {"nerve": result.nerve_output_hz, "cord": result.c_drive, "brain": result.signal_to_brain}


def treatment_markers(treatments) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Treatment key -> (x, y) of its markers in the diagram (empty arrays when unticked)."""
    sites = pw.sites_of(treatments)
    xs: dict[str, list[float]] = {k: [] for k in pw.TREATMENT_KEYS}
    ys: dict[str, list[float]] = {k: [] for k in pw.TREATMENT_KEYS}
    for stage, keys in sites.items():
        sx, sy = marker_positions(stage, len(keys))
        for i, key in enumerate(keys):
            xs[key].append(float(sx[i]))
            ys[key].append(float(sy[i]))
    return {k: (np.array(xs[k], dtype=float), np.array(ys[k], dtype=float)) for k in pw.TREATMENT_KEYS}


def update_pathway_figure(fig: go.FigureWidget, result: pw.PathwayResult,
                          untreated: pw.PathwayResult) -> None:
    """Bars for the untreated and treated pathway; a marker at every site of each ticked drug.

    Sent through ``trace_updates.update_traces``: only what changed, in one redraw.
    """
    now, before = bar_values(result), bar_values(untreated)
    updates = {BAR_TRACE[panel]: {"y": np.array([before[panel], now[panel]], dtype=float)}
               for panel in BAR_PANELS}
    for key, (x, y) in treatment_markers(result.treatments).items():
        updates[TREATMENT_TRACE[key]] = {"x": x, "y": y}
    update_traces(fig, updates)


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
        "Top: a diagram of the pain pathway from left to right: nerve, C-fibre endings in the "
        "spinal cord, dorsal horn neurons, then the brain, with an arrow from the brainstem (PAG, "
        f"RVM, locus coeruleus) back onto the dorsal horn for descending control. {marked} "
        "Bottom: three bar charts, each with an untreated bar (grey, hatched) and a treated bar "
        f"(blue): nerve firing {before['nerve']:.0f} then {now['nerve']:.0f} Hz per fibre, averaged "
        "over the nerve (axis 0-60); C-fibre drive into the spinal cord "
        f"{before['cord']:.2f} then {now['cord']:.2f} (axis 0-2.3); signal to the brain "
        f"{before['brain']:.1f} then {now['brain']:.1f} impulses (axis 0-16). Takeaway: in this "
        "teaching model a treatment changes the stage where it acts and every stage after it, "
        "never the stages before it."
    )


__all__ = ["BAR_PANELS", "BAR_TRACE", "SHORT_LABELS", "TREATMENT_TRACE", "bar_values", "treatment_markers",
           "build_pathway_figure", "describe_pathway_figure", "marker_positions",
           "update_pathway_figure"]
