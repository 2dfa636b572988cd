"""Figure for the start-here demo: the toy fibre's response curve, now vs at the start."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .figure_widget import CourseFigureWidget
from .style import BASELINE_COLOUR, PALETTE, base_layout

GENTLE_TOUCH = 3.0  # the stimulus strength the demo's readout talks about


def build_response_figure() -> go.FigureWidget:
    """An empty FigureWidget with a baseline curve, the current curve and a marker for a gentle touch."""
    fig = CourseFigureWidget(
        layout=base_layout(
            title="Toy nerve fibre: firing rate against stimulus strength",
            xaxis={"title": "stimulus strength (0 = nothing, 10 = very strong)", "range": [0, 10]},
            yaxis={"title": "firing rate (impulses per second, Hz)", "rangemode": "tozero"},
            height=380,
        )
    )
    fig.add_scatter(name="at the start", mode="lines", line={"color": BASELINE_COLOUR, "dash": "dash", "width": 3})
    fig.add_scatter(name="now", mode="lines", line={"color": PALETTE["blue"], "width": 3})
    fig.add_scatter(
        name="a gentle touch",
        mode="markers",
        marker={"color": PALETTE["vermillion"], "size": 12, "symbol": "diamond"},
    )
    return fig


def update_response_figure(
    fig: go.FigureWidget,
    strengths: np.ndarray,
    baseline_rate: np.ndarray,
    current_rate: np.ndarray,
    touch_rate_hz: float,
) -> None:
    """Put new curves into the figure in one batch (one message to the browser)."""
    with fig.batch_update():
        fig.data[0].x, fig.data[0].y = strengths, baseline_rate
        fig.data[1].x, fig.data[1].y = strengths, current_rate
        fig.data[2].x, fig.data[2].y = np.array([GENTLE_TOUCH]), np.array([touch_rate_hz])


def describe_response_figure(threshold: float, start_threshold: float, touch_rate_hz: float) -> str:
    """One-paragraph text description of the demo figure (its alt text)."""
    direction = (
        "to the left of" if threshold < start_threshold else "to the right of" if threshold > start_threshold else "on top of"
    )
    return (
        "Line chart. Horizontal axis: stimulus strength from 0 to 10. Vertical axis: firing rate in "
        f"impulses per second. A dashed grey S-shaped curve shows the fibre at the start (threshold "
        f"{start_threshold:g}); a solid blue curve shows it now (threshold {threshold:g}), lying "
        f"{direction} the grey one. A diamond marks a gentle touch of strength {GENTLE_TOUCH:g}, which "
        f"now gives {touch_rate_hz:.0f} Hz. Takeaway: the lower the threshold, the more a gentle "
        "stimulus makes the fibre fire."
    )
