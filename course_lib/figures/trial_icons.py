"""Figure for notebook 04's trial lab: two icon arrays of 100 people side by side.

Reuses notebook 05's icon-array conventions (``figures.icon_array``: the 10 x 10 grid filled row
by row from the top left, and the symbol and colour of each group) so a learner sees the same
picture language in both notebooks. What is new here is only what the trial lab needs:

* two panels that can hold either a model and a published result (the drug view), or two
  published arms (the stimulation view);
* one more group, "responder", for a trial arm whose responders are not split into placebo and
  extra (stimulation trials had no placebo arm).

Counts come in as whole people out of 100; this module only places them and describes them.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .icon_array import GRID, GROUP_LABELS, GROUP_STYLE, icon_positions
from .style import KEEP_SQUARE_BY_DOMAIN, PALETTE, marker_edge, subplot_layout
from course_lib.figures.figure_widget import CourseFigureWidget

PANELS = (1, 2)
TRIAL_GROUPS = ("placebo", "extra_from_drug", "responder", "no_relief")
TRIAL_LABELS = {
    "placebo": GROUP_LABELS["placebo"],
    "extra_from_drug": GROUP_LABELS["extra_from_drug"],
    "responder": "reached the trial's outcome (about 50 % relief)",
    "no_relief": "did not reach it",
}
TRIAL_STYLE = {
    "placebo": GROUP_STYLE["placebo"],
    "extra_from_drug": GROUP_STYLE["extra_from_drug"],
    "responder": (PALETTE["blue"], "diamond"),
    "no_relief": GROUP_STYLE["no_relief"],
}
#: trace index of each (panel, group), fixed at build time
TRIAL_TRACE = {(panel, group): (panel - 1) * len(TRIAL_GROUPS) + i
               for panel in PANELS for i, group in enumerate(TRIAL_GROUPS)}
EMPTY = np.array([], dtype=float)


def check_counts(counts: dict[str, int]) -> dict[str, int]:
    """Whole, non-negative people per group that add up to 100 (raises ValueError otherwise)."""
    unknown = set(counts) - set(TRIAL_GROUPS)
    if unknown:
        raise ValueError(f"counts has unknown groups {sorted(unknown)}: allowed are {list(TRIAL_GROUPS)}")
    full = {g: int(counts.get(g, 0)) for g in TRIAL_GROUPS}
    if any(v < 0 for v in full.values()) or sum(full.values()) != 100:
        raise ValueError(f"counts = {full} is not allowed: whole people from 0 up, adding up to 100")
    return full


def trial_positions(counts: dict[str, int]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Grid positions per group, in the order of TRIAL_GROUPS, using notebook 05's grid filler."""
    full = check_counts(counts)
    # notebook 05's filler knows four groups in its own order; "responder" takes the first slot
    # (placebo responders are never shown with it), so the order on the grid is the same as ours
    head = full["placebo"] + full["responder"]
    places = icon_positions({"placebo": head, "extra_from_drug": full["extra_from_drug"],
                             "stopped_side_effects": 0, "no_relief": full["no_relief"]})
    first = places["placebo"]
    split = full["placebo"]
    return {
        "placebo": (first[0][:split], first[1][:split]),
        "responder": (first[0][split:], first[1][split:]),
        "extra_from_drug": places["extra_from_drug"],
        "no_relief": places["no_relief"],
    }


def build_trial_figure() -> go.FigureWidget:
    """Two empty 10 x 10 icon arrays with a title and a note under each."""
    fig = CourseFigureWidget(make_subplots(rows=1, cols=2, horizontal_spacing=0.06, subplot_titles=(" ", " ")))
    for panel in PANELS:
        for group in TRIAL_GROUPS:
            colour, symbol = TRIAL_STYLE[group]
            fig.add_scatter(name=TRIAL_LABELS[group], legendgroup=group, showlegend=panel == 1, mode="markers",
                            x=EMPTY, y=EMPTY, hovertemplate=f"{TRIAL_LABELS[group]}<extra></extra>",
                            marker={"color": colour, "symbol": symbol, "size": 11, "line": marker_edge(colour, 1.5)},
                            row=1, col=panel)
    for panel in PANELS:
        axis = "" if panel == 1 else "2"
        fig.add_annotation(x=(GRID - 1) / 2, y=-1.1, xref=f"x{axis}", yref=f"y{axis}", text="", showarrow=False,
                           font={"size": 11})
        fig.update_xaxes(visible=False, range=[-0.7, GRID - 0.3], fixedrange=True, row=1, col=panel,
                         **KEEP_SQUARE_BY_DOMAIN["x"])
        fig.update_yaxes(visible=False, range=[-1.7, GRID - 0.4], fixedrange=True, scaleanchor=f"x{axis}",
                         row=1, col=panel, **KEEP_SQUARE_BY_DOMAIN["y"])
    fig.update_layout(**subplot_layout(height=470, hovermode="closest",
                                       legend={"orientation": "h", "y": -0.05, "x": 0}))
    return fig


def update_trial_figure(fig: go.FigureWidget, panels: tuple[tuple[str, dict[str, int], str], ...]) -> None:
    """Fill both panels; each is (title, counts out of 100, note under the array)."""
    if len(panels) != len(PANELS):
        raise ValueError(f"panels must hold {len(PANELS)} entries, got {len(panels)}")
    placed = [trial_positions(counts) for _, counts, _ in panels]
    with fig.batch_update():
        for panel, (title, _counts, note), places in zip(PANELS, panels, placed):
            for group in TRIAL_GROUPS:
                trace = fig.data[TRIAL_TRACE[(panel, group)]]
                trace.x, trace.y = places[group] if places[group][0].size else (EMPTY, EMPTY)
            fig.layout.annotations[panel - 1].text = title
            fig.layout.annotations[panel - 1].font = {"size": 12}
            fig.layout.annotations[len(PANELS) + panel - 1].text = note


def describe_counts(counts: dict[str, int]) -> str:
    """One panel's groups in words, naming the symbol of each."""
    full = check_counts(counts)
    words = {
        "placebo": "filled circles (50 % relief on placebo too)",
        "extra_from_drug": "stars (extra 50 % relief because of the drug)",
        "responder": "diamonds (reached the trial's outcome)",
        "no_relief": "open circles (did not)",
    }
    return ", ".join(f"{full[g]} {words[g]}" for g in TRIAL_GROUPS if full[g] or g == "no_relief")


def describe_trial_figure(panels: tuple[tuple[str, dict[str, int], str], ...], takeaway: str) -> str:
    """Text description of the two icon arrays."""
    left, right = ((title.replace("<br>", " "), counts, note) for title, counts, note in panels)
    return (
        "Two icon arrays of 100 people each, one symbol per person, filled row by row from the top left. "
        f"Left, {left[0]}: {describe_counts(left[1])}. Right, {right[0]}: {describe_counts(right[1])}. "
        f"Takeaway: {takeaway}"
    )


__all__ = ["TRIAL_GROUPS", "TRIAL_LABELS", "TRIAL_TRACE", "build_trial_figure", "check_counts", "describe_counts",
           "describe_trial_figure", "trial_positions", "update_trial_figure"]
