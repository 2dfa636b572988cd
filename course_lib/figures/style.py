"""House style for every figure in the course.

Colour-blind-safe Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"), with dashes and
markers so that colour never carries meaning alone, plus the display-side decimation that keeps long
voltage traces light in the browser while the model result keeps full resolution.

Contrast of marks (WCAG 1.4.11, 3:1 against the page in JupyterLab's light and dark themes) has one
rule, here: :func:`mark_shade` gives the palette's light colours (orange, sky blue, yellow, grey) a
darker shade of their own hue for edges and thin lines; :func:`marker_edge` puts it on filled
markers, :func:`theme_css` draws lines and outlines in it on the light page, and :func:`shape_line`
draws shapes that are marks opaque. Black marks follow the theme's text colour (figure_widget.css).
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

#: Trace colour for a "before" or baseline trace drawn under the current one: a grey a little
#: translucent (so the current trace reads as the one on top where they cross) but dark enough
#: to keep 3:1 against both page backgrounds (3.8:1 on white, 3.6:1 on JupyterLab's dark #111).
#: The palette's own grey at 0.55 was 1.7:1 on white and 2.8:1 on the dark page.
BASELINE_COLOUR = "rgba(118, 118, 118, 0.9)"

# ----- contrast of marks (WCAG 2.2 SC 1.4.11: graphical objects need 3:1 against what is next to them)

#: The page behind every course figure: JupyterLab's --jp-layout-color0 in the light and dark themes
#: (figure_widget.css paints the figure's background with that variable).
LIGHT_BACKGROUND = "#FFFFFF"
DARK_BACKGROUND = "#111111"

#: Non-text contrast a mark must reach against the page (WCAG 2.2 SC 1.4.11).
MIN_MARK_CONTRAST = 3.0

MAX_DISPLAY_POINTS = 2000

#: dtype of the arrays sent to the browser. float32 halves every trace update on the wire (plotly
#: sends numpy arrays as binary buffers of their own dtype) and keeps 7 significant digits, far
#: finer than a pixel; the model result keeps float64.
DISPLAY_DTYPE = np.float32


#: For an icon grid whose y axis is tied to its x axis (``scaleanchor``), so that a person is drawn round:
#: plotly keeps the ratio by shrinking the panel (``constrain="domain"``), never by widening the
#: ranges. Widening the ranges (plotly's default, "range") is written back into the figure's layout,
#: so each change of window width widened them again from the last: after six changes of width the
#: grid of 100 people was a quarter of its size. The grid stays under its panel's title.
KEEP_SQUARE_BY_DOMAIN: dict[str, dict[str, str]] = {
    "x": {"constrain": "domain", "constraintoward": "center"},
    "y": {"constrain": "domain", "constraintoward": "top"},
}


def legend_below(**extra: Any) -> dict[str, Any]:
    """A horizontal legend along the bottom edge of the figure, under the lowest axis title.

    It is placed against the figure's own box (``yref="container"``), not at a fraction of the
    plotting height below the charts: a fraction gives a different gap at each width (the plotting
    height changes as plotly makes room for more legend rows), and at some widths the first legend
    row sat on the axis title. Against the box, plotly widens the bottom margin for the legend's
    rows itself. ``extra`` adds to it (a legend title, say).
    """
    return {"orientation": "h", "x": 0, "xanchor": "left", "yref": "container", "y": 0, "yanchor": "bottom",
            **extra}


def subplot_layout(**overrides: Any) -> dict[str, Any]:
    """``base_layout`` for figures with subplot titles: the legend goes below the panels.

    Above the panels (the house default) a legend collides with the subplot titles.
    """
    layout = {
        "legend": legend_below(),
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


def _rgb(colour: str) -> tuple[float, float, float, float]:
    """``#RRGGBB``, ``rgb(r, g, b)`` or ``rgba(r, g, b, a)`` as (r, g, b, alpha), channels 0-255."""
    text = colour.strip()
    if text.startswith("#") and len(text) == 7:
        return int(text[1:3], 16), int(text[3:5], 16), int(text[5:7], 16), 1.0
    if text.startswith("rgb"):
        parts = [float(p) for p in text[text.index("(") + 1:text.rindex(")")].split(",")]
        if len(parts) in (3, 4):
            return parts[0], parts[1], parts[2], parts[3] if len(parts) == 4 else 1.0
    raise ValueError(f"colour {colour!r} is not allowed: use #RRGGBB, rgb(r, g, b) or rgba(r, g, b, a)")


def _composite(colour: str, background: str) -> tuple[float, float, float]:
    r, g, b, alpha = _rgb(colour)
    br, bg, bb, _ = _rgb(background)
    return (r * alpha + br * (1 - alpha), g * alpha + bg * (1 - alpha), b * alpha + bb * (1 - alpha))


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of an opaque colour (0 black .. 1 white)."""
    def channel(value: float) -> float:
        c = value / 255.0
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b, _ = _rgb(colour)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(colour: str, background: str) -> float:
    """WCAG contrast of ``colour`` (drawn over ``background``, with its alpha) against the background."""
    drawn = "rgb({:.3f}, {:.3f}, {:.3f})".format(*_composite(colour, background))
    high, low = sorted((relative_luminance(drawn), relative_luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mark_shade(colour: str) -> str:
    """The colour a mark's outline (or a thin line) is drawn in so it reaches 3:1 on both pages.

    A colour that already has 3:1 against white and against JupyterLab's dark page comes back as
    it is. A light one (the palette's orange, sky blue, yellow and grey are 1.3-2.9:1 on white)
    comes back darkened toward black in its own hue, just far enough for 3:1 on white; that
    shade still has more than 3:1 on the dark page. The hue is kept, so a marker's fill (the
    palette colour) and its edge read as one colour, and the colour-blind-safe palette is not
    changed: the darker edge adds shape, it does not replace the colour. A colour too dark for the
    dark page (the palette's black) is returned as it is: figure_widget.css draws black marks in
    the theme's text colour, which suits both pages.
    """
    r, g, b, alpha = _rgb(colour)
    if alpha != 1.0:
        raise ValueError(f"colour {colour!r} is not allowed: a mark's shade needs an opaque colour")
    if contrast_ratio(colour, LIGHT_BACKGROUND) >= MIN_MARK_CONTRAST:
        return colour
    for step in range(1, 101):  # 1 % darker each step: the lightest shade that passes
        k = 1 - step / 100
        shade = "#{:02X}{:02X}{:02X}".format(round(r * k), round(g * k), round(b * k))
        if contrast_ratio(shade, LIGHT_BACKGROUND) >= MIN_MARK_CONTRAST + 0.1:  # margin for rounding
            return shade
    raise AssertionError("unreachable: black has 21:1 on white")  # pragma: no cover


def marker_edge(colour: str, width: float = 1.5) -> dict[str, Any]:
    """``marker.line`` for a filled marker of ``colour``: an edge in :func:`mark_shade`'s shade.

    On white the edge carries the marker's shape at 3:1 when the fill is too light; on the dark
    page the light fill does. Use it for every filled marker in the palette's colours.
    """
    return {"color": mark_shade(colour), "width": width}


#: Palette colours too light for a thin mark on white, and the shade figure_widget.css draws their
#: lines and outlines in on the light page (see :func:`theme_css`).
LIGHT_PAGE_SHADES: dict[str, str] = {
    colour: mark_shade(colour) for colour in PALETTE.values() if mark_shade(colour) != colour
}


def shape_line(colour: str, dash: str = "solid", width: float = 1.0) -> dict[str, Any]:
    """Keyword arguments for a shape that is a mark (``add_vline``, ``add_hline``, a box's outline).

    The house template (plotly's ``simple_white``) draws every shape at 30 % opacity, meant for
    shaded bands; a black event line at 30 % is 2.1:1 on white and 1.0:1 on the dark page, and
    a 30 % grey threshold line is paler still. A shape that marks something is drawn opaque: its
    colour then follows the theme rules (black in the text colour on the dark page, the light
    palette colours in their shade on the light page). Bands keep their own translucent fill.
    """
    return {"line": {"color": colour, "dash": dash, "width": width}, "opacity": 1.0}


def _css_rgb(colour: str) -> str:
    r, g, b, _ = _rgb(colour)
    return f"rgb({r:.0f}, {g:.0f}, {b:.0f})"


def theme_css() -> str:
    """CSS that draws the light palette colours' lines and outlines in their shade on the light page.

    A line has no edge to add, and the palette colour of a thin line (orange Nav1.7 trace, grey
    threshold line, an open circle) is 2.3-2.9:1 on white, but 6-14:1 on the dark page, where it
    should stay as it is. plotly writes each colour as an inline style ("stroke: rgb(230, 159, 0)"),
    so a rule scoped to JupyterLab's light theme (``body[data-jp-theme-light="true"]``) and marked
    !important redraws those strokes, as figure_widget.css does for black in the dark theme.
    Generated here from the palette, so the shade has one home. Fills are left alone: filled
    markers carry their edge from :func:`marker_edge`.
    """
    rules = []
    for colour, shade in LIGHT_PAGE_SHADES.items():
        rules.append(
            f'body[data-jp-theme-light="true"] .course-figure svg.main-svg > g:not(.hoverlayer) '
            f'path[style*="stroke: {_css_rgb(colour)}"] {{\n  stroke: {_css_rgb(shade)} !important;\n}}'
        )
    header = ("/* Generated by course_lib.figures.style.theme_css(): on the light page, lines and outlines\n"
              " * in the palette's light colours are drawn in a darker shade of the same hue (3:1 on white). */")
    return "\n".join([header, *rules]) + "\n"
