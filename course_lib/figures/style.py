"""House style for every figure in the course.

Colour-blind-safe Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"), with dashes and
markers so that colour never carries meaning alone, plus the display-side decimation that keeps long
voltage traces light in the browser while the model result keeps full resolution.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: Okabe-Ito colours, by name.
PALETTE: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}

#: Line dashes to pair with colours, in the order traces are usually added.
DASHES: tuple[str, ...] = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")

#: Trace colour for a "before" or baseline trace drawn under the current one.
BASELINE_COLOUR = "rgba(153, 153, 153, 0.55)"

MAX_DISPLAY_POINTS = 2000

#: dtype of the arrays sent to the browser. float32 halves every trace update on the wire (plotly
#: sends numpy arrays as binary buffers of their own dtype) and keeps 7 significant digits, far
#: finer than a pixel; the model result keeps float64.
DISPLAY_DTYPE = np.float32


def subplot_layout(**overrides: Any) -> dict[str, Any]:
    """``base_layout`` for figures with subplot titles: the legend goes below the panels.

    Above the panels (the house default) a legend collides with the subplot titles.
    """
    layout = {
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0},
        "margin": {"l": 70, "r": 20, "t": 60, "b": 120},
        "hovermode": "closest",
    }
    layout.update(overrides)
    return base_layout(**layout)


def base_layout(**overrides: Any) -> dict[str, Any]:
    """Return the course's default plotly layout, updated with ``overrides``.

    White background, readable font, room for axis titles, legend above the plot so it never
    covers a trace, and a unified hover so a learner can read values with the keyboard or mouse.
    The legend above suits up to about four short entries: at 480-600 px wide more entries wrap
    into extra rows that reach the title, so such figures put the legend below (as
    ``subplot_layout`` does). The width is never set: the figure takes its output area's.
    """
    layout: dict[str, Any] = {
        "template": "simple_white",
        "font": {"family": "Arial, Helvetica, sans-serif", "size": 13},
        "margin": {"l": 70, "r": 20, "t": 95, "b": 55},  # room for title above the legend
        "hovermode": "x unified",
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "title": {"y": 0.97, "yanchor": "top", "x": 0.02, "xanchor": "left"},
        "height": 420,
    }
    title = overrides.pop("title", None)
    if isinstance(title, str):
        title = {"text": title}
    if title is not None:
        # keep the house position unless the caller sets it: a bare string would drop it
        layout["title"] = {**layout["title"], **title}
    layout.update(overrides)
    return layout


def decimate(
    x: np.ndarray, y: np.ndarray, max_points: int = MAX_DISPLAY_POINTS
) -> tuple[np.ndarray, np.ndarray]:
    """Thin a long trace for display, keeping each bucket's minimum and maximum.

    Plain striding would drop the 1-ms peaks of action potentials from a 1-s trace; keeping the
    min and max of every bucket keeps every spike visible at about ``max_points`` points.
    Vectorised (no Python loop over buckets) because it runs on every slider change.
    Returns numpy arrays of ``DISPLAY_DTYPE`` (never lists: plotly serialises arrays far faster,
    and float32 halves the bytes sent to the browser).
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape, got {x.shape} and {y.shape}")
    if max_points < 8:
        raise ValueError(f"max_points = {max_points} is not allowed: it must be at least 8")
    n = x.size
    if n <= max_points:
        return x.astype(DISPLAY_DTYPE), y.astype(DISPLAY_DTYPE)
    buckets = (max_points - 3) // 2  # room for the tail bucket's min and max and the last point
    size = n // buckets
    used = buckets * size
    blocks = y[:used].reshape(buckets, size)
    offsets = np.arange(buckets) * size
    lows, highs = offsets + np.argmin(blocks, axis=1), offsets + np.argmax(blocks, axis=1)
    # each bucket's two indices in time order; buckets are already in order, so the whole list is
    # sorted without a sort (np.unique's sort was a sixth of a slider update)
    keep = [np.column_stack((np.minimum(lows, highs), np.maximum(lows, highs))).ravel()]
    if used < n:  # the samples left over after the equal buckets form one more bucket
        tail_low, tail_high = used + int(np.argmin(y[used:])), used + int(np.argmax(y[used:]))
        keep.append([min(tail_low, tail_high), max(tail_low, tail_high)])
    keep.append([n - 1])
    idx = np.concatenate(keep)
    idx = idx[np.concatenate(([True], idx[1:] != idx[:-1]))]  # a flat bucket's min and max coincide
    return x[idx].astype(DISPLAY_DTYPE), y[idx].astype(DISPLAY_DTYPE)


def describe_range(values: np.ndarray, unit: str, digits: int = 0) -> str:
    """Say in words the range a quantity spans, for a figure's text description."""
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return "no values"
    low, high = float(finite.min()), float(finite.max())
    return f"{low:.{digits}f} to {high:.{digits}f} {unit}".strip()
