"""Figure for notebook 05's icon-array lab: out of 100 people in the trials, who got relief,
and the NeuPSIG tier ladder.

One FigureWidget, two rows:

* top: two 10 x 10 icon arrays side by side (the chosen drug class; the second one only in the
  "compare two drugs" view). Each group of people is its own trace with its own symbol AND
  colour, so the legend and the shapes carry the meaning without colour:
  relief on placebo too (filled circle), extra relief because of the drug (star), stopped
  because of side effects (x), no 50 % relief (open circle).
* bottom: the NeuPSIG recommendation ladder (first line at the top, then second and third line,
  then "recommended against"), every drug class as a small grey dot with its short name, the
  chosen class as a large star and the compared class as a large diamond.

Counts come only from ``course_lib.models.drug_outcomes`` (Finnerup et al. 2015 NNT/NNH,
placebo rate from a separate review); this module only places them.

OUR DISPLAY SIMPLIFICATION (say so next to the figure): the people who stop because of side
effects are drawn among those without 50 % relief. NNH counts how many MORE people stop than on
placebo; in a trial some of them might have had relief before stopping.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..models import drug_outcomes as do
from .style import KEEP_SQUARE_BY_DOMAIN, PALETTE, marker_edge, subplot_layout
from .trace_updates import update_traces
from course_lib.figures.figure_widget import CourseFigureWidget

GRID = 10                      # 10 x 10 icons = 100 people
GROUPS = ("placebo", "extra_from_drug", "stopped_side_effects", "no_relief")
GROUP_LABELS = {
    "placebo": "50 % relief on placebo too",
    "extra_from_drug": "extra 50 % relief because of the drug",
    "stopped_side_effects": "stopped because of side effects",
    "no_relief": "no 50 % relief",
}
GROUP_STYLE = {  # (colour, symbol): the symbol alone tells the groups apart
    "placebo": (PALETTE["sky_blue"], "circle"),
    "extra_from_drug": (PALETTE["bluish_green"], "star"),
    "stopped_side_effects": (PALETTE["vermillion"], "x"),
    "no_relief": (PALETTE["grey"], "circle-open"),
}
SHORT_NAMES = {
    "tca": "TCAs", "snri": "SNRIs", "pregabalin": "pregabalin", "gabapentin": "gabapentin",
    "gabapentin_er": "gabapentin ER", "tramadol": "tramadol", "capsaicin_8": "capsaicin 8 %",
    "lidocaine_plaster": "lidocaine", "strong_opioids": "strong opioids",
    "botulinum_toxin_a": "botulinum toxin A", "cannabinoids": "cannabinoids",
    "valproate": "valproate", "levetiracetam": "levetiracetam", "mexiletine": "mexiletine",
}
TIER_SHORT = {"first": "first line", "second": "second line", "third": "third line",
              "not recommended": "against"}
PANELS = (1, 2)

#: trace indices, fixed at build time
ICON_TRACE = {(panel, group): (panel - 1) * len(GROUPS) + i
              for panel in PANELS for i, group in enumerate(GROUPS)}
LADDER_ALL, LADDER_CHOSEN, LADDER_SECOND = 8, 9, 10
#: layout annotation indices: the three subplot titles, then one note per icon panel
TITLE_ANNOTATION = {1: 0, 2: 1}
NOTE_ANNOTATION = {1: 3, 2: 4}


def icon_groups(key: str) -> dict[str, int] | None:
    """Whole people per group (adding up to 100), or None if the class has no NNT.

    Straight from ``drug_outcomes.icon_counts(key).rounded()``; the people who stopped for side
    effects are taken out of the "no relief" group (see the module docstring).
    """
    counts = do.icon_counts(key).rounded()
    if counts["extra_from_drug"] is None:
        return None
    stopped = counts["stopped_side_effects"] or 0
    return {"placebo": counts["placebo"], "extra_from_drug": counts["extra_from_drug"],
            "stopped_side_effects": stopped, "no_relief": counts["no_extra_relief"] - stopped}


def icon_positions(groups: dict[str, int]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Grid positions, filled row by row from the top left, group after group."""
    start = 0
    out = {}
    for group in GROUPS:
        n = groups[group]
        idx = np.arange(start, start + n)
        out[group] = ((idx % GRID).astype(float), (GRID - 1 - idx // GRID).astype(float))
        start += n
    return out


def ladder_positions() -> dict[str, tuple[float, float]]:
    """Drug key -> (x, y) on the tier ladder; first line on top."""
    ladder = do.tier_ladder()
    out = {}
    for row, tier in enumerate(do.TIERS):
        for col, key in enumerate(ladder[tier]):
            out[key] = (float(col), float(len(do.TIERS) - 1 - row))
    return out


def build_icon_figure() -> go.FigureWidget:
    """Empty icon-array figure: two 10 x 10 panels and the tier ladder."""
    base = make_subplots(rows=2, cols=2, specs=[[{}, {}], [{"colspan": 2}, None]],
                         row_heights=[0.62, 0.38], vertical_spacing=0.1, horizontal_spacing=0.06,
                         subplot_titles=(" ", " ", "NeuPSIG recommendation (Finnerup et al. 2015)"))
    fig = CourseFigureWidget(base)
    for panel in PANELS:  # the drug names over the two arrays: 13 px fits a 170 px panel
        fig.layout.annotations[TITLE_ANNOTATION[panel]].font = {"size": 13}
    for panel in PANELS:
        for group in GROUPS:
            colour, symbol = GROUP_STYLE[group]
            fig.add_scatter(name=GROUP_LABELS[group], legendgroup=group, showlegend=panel == 1,
                            mode="markers", x=np.array([]), y=np.array([]),
                            marker={"color": colour, "symbol": symbol, "size": 11,
                                    "line": marker_edge(colour, 1.5)},
                            hovertemplate=f"{GROUP_LABELS[group]}<extra></extra>",
                            row=1, col=panel)
    positions = ladder_positions()
    keys = list(positions)
    fig.add_scatter(name="drug classes", showlegend=False, mode="markers+text",
                    x=np.array([positions[k][0] for k in keys]),
                    y=np.array([positions[k][1] for k in keys]),
                    text=np.array([SHORT_NAMES[k] for k in keys], dtype=object),
                    # names below and above the dots in turn: at 480 px a column is about 70 px
                    # wide and neighbouring names side by side ran into each other
                    textposition=np.array(["bottom center" if positions[k][0] % 2 == 0 else "top center"
                                           for k in keys], dtype=object),
                    textfont={"size": 9},
                    marker={"color": PALETTE["grey"], "size": 7, "symbol": "circle",
                            "line": marker_edge(PALETTE["grey"], 1)},
                    hoverinfo="text", row=2, col=1)
    fig.add_scatter(name="chosen drug", mode="markers", x=np.array([]), y=np.array([]),
                    marker={"color": PALETTE["orange"], "symbol": "star-open", "size": 20,
                            "line": {"width": 3}}, row=2, col=1)
    fig.add_scatter(name="compared drug", mode="markers", x=np.array([]), y=np.array([]),
                    marker={"color": PALETTE["blue"], "symbol": "diamond-open", "size": 18,
                            "line": {"width": 3}}, row=2, col=1)
    for panel in PANELS:
        axis = "" if panel == 1 else "2"
        fig.add_annotation(x=4.5, y=-1.0, xref=f"x{axis}", yref=f"y{axis}", text="",
                           showarrow=False, font={"size": 11})
    for col in PANELS:
        fig.update_xaxes(visible=False, range=[-0.7, GRID - 0.3], fixedrange=True, row=1, col=col,
                         **KEEP_SQUARE_BY_DOMAIN["x"])
        fig.update_yaxes(visible=False, range=[-1.6, GRID - 0.4], fixedrange=True,
                         scaleanchor=f"x{'' if col == 1 else '2'}", row=1, col=col, **KEEP_SQUARE_BY_DOMAIN["y"])
    widest = max(len(v) for v in do.tier_ladder().values())
    # half a column more room at each end: the outer names (centred under their dots) stay clear of the
    # tier names on a phone
    fig.update_xaxes(visible=False, range=[-0.9, widest - 0.1], fixedrange=True, row=2, col=1)
    fig.update_yaxes(range=[-0.6, len(do.TIERS) - 0.5], fixedrange=True, row=2, col=1,
                     tickmode="array", tickvals=np.arange(len(do.TIERS)),
                     ticktext=[TIER_SHORT[t] for t in reversed(do.TIERS)], showgrid=True)
    fig.update_layout(**subplot_layout(height=720, hovermode="closest",
                                       legend={"orientation": "h", "y": -0.06, "x": 0}))
    return fig


def _panel_note(key: str) -> str:
    d = do.drug(key)
    if d.tier == "not recommended":
        return "recommended against: no icon array"
    if d.nnt is None:
        return "no number needed to treat: no icon array"
    return f"NNT {d.nnt:g}" + (f", NNH {d.nnh:g}" if d.nnh is not None else ", no NNH")


def _panel_title(key: str | None) -> str:
    # two short lines: at 480 px a panel is about 170 px wide
    return "tick 'Compare'<br>to add a drug" if key is None else SHORT_NAMES[key]


def update_icon_figure(fig: go.FigureWidget, first: str, second: str | None) -> None:
    """Fill the icon panels for ``first`` (and ``second`` when comparing) and mark the ladder.

    Traces go through ``trace_updates.update_traces`` (only real changes, in one redraw); titles and
    notes in one layout batch.
    """
    positions = ladder_positions()
    empty = np.array([])
    updates: dict[int, dict] = {}
    for panel, key in zip(PANELS, (first, second)):
        groups = icon_groups(key) if key is not None else None
        places = icon_positions(groups) if groups is not None else None
        for group in GROUPS:
            x, y = places[group] if places is not None else (empty, empty)
            updates[ICON_TRACE[(panel, group)]] = {"x": x, "y": y}
    updates[LADDER_CHOSEN] = {"x": np.array([positions[first][0]]),
                              "y": np.array([positions[first][1]])}
    updates[LADDER_SECOND] = ({"x": np.array([positions[second][0]]),
                               "y": np.array([positions[second][1]])} if second
                              else {"x": empty, "y": empty})
    update_traces(fig, updates)
    with fig.batch_update():
        for panel, key in zip(PANELS, (first, second)):
            title = _panel_title(key)
            note = "" if key is None else _panel_note(key)
            if fig.layout.annotations[TITLE_ANNOTATION[panel]].text != title:
                fig.layout.annotations[TITLE_ANNOTATION[panel]].text = title
            if fig.layout.annotations[NOTE_ANNOTATION[panel]].text != note:
                fig.layout.annotations[NOTE_ANNOTATION[panel]].text = note


def describe_icon_figure(first: str, second: str | None) -> str:
    """Text description (alt text) of the icon-array figure for its current state."""
    def panel(key: str) -> str:
        groups = icon_groups(key)
        label = do.drug(key).label
        if groups is None:
            return f"{label}: no icon array, because {_panel_note(key).split(':')[0]}"
        stopped = (f"{groups['stopped_side_effects']} crosses (stopped because of side effects)"
                   if do.drug(key).nnh is not None
                   else "no crosses (no number needed to harm was given)")
        caveat = f" ({do.drug(key).caveat.rstrip('.')})" if do.drug(key).caveat else ""
        return (f"{label}: {groups['placebo']} filled circles (relief on placebo too), "
                f"{groups['extra_from_drug']} stars (extra relief because of the drug), "
                f"{stopped} and {groups['no_relief']} open circles (no 50 % relief){caveat}")

    arrays = panel(first) + (f". Right, for comparison, {panel(second)}" if second else "")
    tiers = f"{SHORT_NAMES[first]} is {do.TIER_LABELS[do.drug(first).tier]}"
    if second:
        tiers += f"; {SHORT_NAMES[second]} is {do.TIER_LABELS[do.drug(second).tier]}"
    return (
        "Icon arrays of 100 people like those in the trials, one symbol per person, filled row by "
        f"row from the top left. Left, {arrays}. Below: the NeuPSIG recommendation ladder with "
        f"four rows (first line at the top, then second line, third line, recommended against); "
        f"{tiers}. Takeaway: the stars are the people the medicine itself helped, on top of those "
        "who improve on placebo; these are averages over groups in trials, not a forecast for "
        "one person."
    )


__all__ = ["GROUPS", "GROUP_LABELS", "ICON_TRACE", "LADDER_CHOSEN", "LADDER_SECOND",
           "SHORT_NAMES", "build_icon_figure", "describe_icon_figure", "icon_groups",
           "icon_positions", "ladder_positions", "update_icon_figure"]
