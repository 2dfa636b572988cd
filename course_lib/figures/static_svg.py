"""A plotly figure's JSON drawn as a small static SVG: the picture a notebook shows before it is run.

A notebook opened fresh from a clone is untrusted, and no kernel runs: JupyterLab shows no widget and
no plotly.js, only sanitised HTML and safe images. :func:`figure_svg` draws the figure of a lab's
starting setting, from the same JSON the Explore edition stores (``figures.figure_json``: traces
decimated and rounded), as a compact SVG that ``course_lib.placeholder`` embeds as an ``<img>``.

It draws what the course's figures use, in plotly's ``simple_white`` look (the house template):
scatter lines (dashes, gaps) and markers (the symbols the course uses, open or filled, with text),
bars (vertical and horizontal, grouped, hatched), heatmaps, shapes (rects and lines, data or paper
coordinates), annotations (with arrows), axes on subplot domains (linear or category, ticks, tick
labels, titles, overlaying axes), the title and the legend. Hover, animation and anything interactive
are left out. The picture has its own white background (it reads the same in the light and dark
themes) and draws the palette's light colours in their darker shade (``style.LIGHT_PAGE_SHADES``),
as the live figure does on a white page.

Data in, text out: no plotly import, no widget, nothing executable in the SVG (every text escaped).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from html import escape as _escape
from typing import Any

from .style import LIGHT_BACKGROUND, LIGHT_PAGE_SHADES

#: Width of the picture in SVG units (pixels at 100 %): a typical notebook output area.
WIDTH = 700
FONT = "Arial, Helvetica, sans-serif"
TEXT_COLOUR = "rgb(36,36,36)"  # simple_white's font colour
AXIS_COLOUR = "rgb(36,36,36)"
GRID_COLOUR = "rgb(232,232,232)"
COLORWAY = ("#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F")
_SHADES = {k.lower(): v for k, v in LIGHT_PAGE_SHADES.items()}


def _esc(text: Any) -> str:
    return _escape(str(text), quote=True)


def _num(value: float) -> str:
    """A coordinate to 0.1 px, without a trailing '.0'."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _shade(colour: Any) -> Any:
    """The palette's light colours as they are drawn on a white page (their darker shade)."""
    if isinstance(colour, str):
        return _SHADES.get(colour.lower(), colour)
    return colour


def _lines(text: Any) -> list[tuple[str, bool]]:
    """plotly's small HTML subset as lines of plain text: (line, bold)."""
    out = []
    for part in re.split(r"<br\s*/?>", str(text or ""), flags=re.IGNORECASE):
        bold = bool(re.search(r"<b>", part, re.IGNORECASE))
        plain = re.sub(r"<[^>]+>", "", part)
        plain = plain.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        out.append((plain, bold))
    return out


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _values(value: Any) -> list:
    """A data array as a list (numpy arrays and plain lists; a scalar is a one-element list)."""
    if value is None:
        return []
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _pick(value: Any, index: int, default: Any = None) -> Any:
    """``value[index]`` for an array attribute, ``value`` for a scalar one."""
    if isinstance(value, (list, tuple)):
        return value[index] if index < len(value) and value[index] is not None else default
    return default if value is None else value


def _has_data(trace: Mapping[str, Any]) -> bool:
    """A trace with at least one point (plotly leaves an empty trace out of the legend)."""
    keys = ("z",) if trace.get("type") == "heatmap" else ("x", "y")
    return all(any(v is not None for v in _values(trace.get(k))) for k in keys)


# --------------------------------------------------------------------------------------------- axes


def _nice_step(span: float, count: float) -> float:
    raw = span / max(count, 1.0)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power * 1.0001:
            return factor * power
    return 10 * power


def _tick_label(value: float, step: float, fmt: str | None) -> str:
    if fmt and fmt.endswith("%"):
        digits = re.search(r"\.(\d+)", fmt)
        return f"{value * 100:.{int(digits.group(1)) if digits else 0}f}%"
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 0
    if step > 0 and abs(step * 10 ** decimals - round(step * 10 ** decimals)) > 1e-6:
        decimals += 1
    text = f"{value:.{decimals}f}"
    return "0" if re.fullmatch(r"-0(\.0+)?", text) else text.replace("-", "\u2212")


class _Axis:
    """One axis: its pixel span, data range and ticks."""

    def __init__(self, name: str, spec: Mapping[str, Any], pixels: tuple[float, float], vertical: bool):
        self.name, self.spec, self.vertical = name, dict(spec), vertical
        self.p0, self.p1 = pixels  # pixel of the range's low end, high end
        self.categories: list = list(spec.get("categoryarray") or []) if spec.get("type") == "category" else []
        self.category = spec.get("type") == "category"
        self.low, self.high = 0.0, 1.0

    def add_categories(self, values: Sequence) -> None:
        for value in values:
            if value is not None and value not in self.categories:
                self.categories.append(value)

    def position(self, value: Any) -> float | None:
        """A data value as a number on this axis (a category's index)."""
        if self.category:
            return float(self.categories.index(value)) if value in self.categories else None
        return float(value) if _is_number(value) else None

    def pixel(self, value: float) -> float:
        span = (self.high - self.low) or 1.0
        return self.p0 + (value - self.low) / span * (self.p1 - self.p0)

    def ticks(self) -> list[tuple[float, str]]:
        spec = self.spec
        if spec.get("tickmode") == "array" or spec.get("tickvals") is not None:
            vals = _values(spec.get("tickvals"))
            texts = _values(spec.get("ticktext")) or [None] * len(vals)
            out = []
            for val, text in zip(vals, texts):
                pos = self.position(val)
                if pos is not None and self.low - 1e-9 <= pos <= self.high + 1e-9:
                    out.append((pos, str(text) if text is not None else _tick_label(pos, 1, spec.get("tickformat"))))
            return out
        if self.category:
            return [(float(i), str(c)) for i, c in enumerate(self.categories) if self.low <= i <= self.high]
        length = abs(self.p1 - self.p0)
        wanted = spec.get("nticks") or max(2.0, min(10.0, length / (40 if self.vertical else 60)))
        step = _nice_step(self.high - self.low, float(wanted))
        first = math.ceil(self.low / step - 1e-9)
        out = []
        k = first
        while k * step <= self.high + step * 1e-9 and len(out) < 50:
            out.append((k * step, _tick_label(k * step, step, spec.get("tickformat"))))
            k += 1
        return out


def _title_text(spec: Any) -> str:
    if isinstance(spec, Mapping):
        return str(spec.get("text") or "")
    return str(spec or "")


# ------------------------------------------------------------------------------------------ figure


class _Picture:
    def __init__(self, figure: Mapping[str, Any], width: int):
        self.data = [t for t in figure.get("data", []) if t.get("visible", True) is True]
        self.all_traces = list(figure.get("data", []))
        self.layout = dict(figure.get("layout", {}))
        self.width = width
        self.height = float(self.layout.get("height") or 450)
        margin = {"l": 80, "r": 80, "t": 100, "b": 80, **(self.layout.get("margin") or {})}
        self.ml, self.mr, self.mt, self.mb = (float(margin[k]) for k in ("l", "r", "t", "b"))
        self.pw = max(10.0, width - self.ml - self.mr)
        self.ph = max(10.0, self.height - self.mt - self.mb)
        self.font_size = float((self.layout.get("font") or {}).get("size") or 12)
        self.defs: list[str] = []
        self.patterns: dict[tuple, str] = {}
        self.axes: dict[str, _Axis] = {}
        self.left, self.right = 0.0, float(width)  # what the text reaches: the picture widens to show it
        self.bottom = self.height  # ... and grows downwards
        self._make_axes()

    # -- coordinates
    def paper_x(self, value: float) -> float:
        return self.ml + value * self.pw

    def paper_y(self, value: float) -> float:
        return self.mt + (1 - value) * self.ph

    def _axis_spec(self, name: str) -> dict:
        key = ("xaxis" if name.startswith("x") else "yaxis") + name[1:]
        return dict(self.layout.get(key) or {})

    def _make_axes(self) -> None:
        names = {k[0] + k[5:] for k in self.layout if re.fullmatch(r"[xy]axis\d*", k)}
        for trace in self.all_traces:
            names.add(trace.get("xaxis") or "x")
            names.add(trace.get("yaxis") or "y")
        for name in sorted(names):
            spec = self._axis_spec(name)
            domain = spec.get("domain") or [0, 1]
            if spec.get("overlaying"):
                domain = self._axis_spec(spec["overlaying"]).get("domain") or [0, 1]
            if name.startswith("x"):
                pixels = (self.paper_x(domain[0]), self.paper_x(domain[1]))
            else:
                pixels = (self.paper_y(domain[0]), self.paper_y(domain[1]))
            self.axes[name] = _Axis(name, spec, pixels, vertical=name.startswith("y"))
        # categories and data extents from the traces
        extents: dict[str, list[float]] = {n: [] for n in self.axes}
        padded: dict[str, bool] = {n: False for n in self.axes}
        for trace in self.data:
            xa, ya = self.axes[trace.get("xaxis") or "x"], self.axes[trace.get("yaxis") or "y"]
            kind = trace.get("type", "scatter")
            xs, ys = _values(trace.get("x")), _values(trace.get("y"))
            if kind == "heatmap":
                z = _values(trace.get("z"))
                xs = xs or list(range(len(z[0]) if z else 0))
                ys = ys or list(range(len(z)))
            for axis, values in ((xa, xs), (ya, ys)):
                if any(isinstance(v, str) for v in values):
                    axis.category = True
                if axis.category:
                    axis.add_categories(values)
            for axis, values in ((xa, xs), (ya, ys)):
                numbers = [p for p in (axis.position(v) for v in values) if p is not None]
                if kind == "heatmap" and len(numbers) > 1:
                    half = (numbers[1] - numbers[0]) / 2
                    numbers = [numbers[0] - half, numbers[-1] + half]
                extents[axis.name] += numbers
            if kind == "bar":
                value_axis = xa if trace.get("orientation") == "h" else ya
                extents[value_axis.name].append(0.0)
                padded[value_axis.name] = True
            elif kind == "scatter" and "markers" in self._mode(trace):
                padded[xa.name] = padded[ya.name] = True
            elif kind == "scatter":
                padded[ya.name] = True
        for name, axis in self.axes.items():
            spec = axis.spec
            matched = spec.get("matches")
            values = extents[name] + (extents.get(matched, []) if matched else [])
            given = spec.get("range") or (self._axis_spec(matched).get("range") if matched else None)
            if given and all(_is_number(v) for v in given):
                axis.low, axis.high = float(given[0]), float(given[1])
            elif axis.category:
                axis.low, axis.high = -0.5, max(len(axis.categories) - 0.5, 0.5)
            elif values:
                low, high = min(values), max(values)
                if spec.get("rangemode") in ("tozero", "nonnegative"):
                    low, high = min(low, 0.0), max(high, 0.0)
                if high == low:
                    low, high = (0.0, 1.0) if high == 0 and spec.get("rangemode") else (low - 1, high + 1)
                elif padded[name] or padded.get(matched, False):
                    pad = 0.05 * (high - low)
                    low = low if (low == 0 and spec.get("rangemode")) else low - pad
                    high += pad
                axis.low, axis.high = low, high

    @staticmethod
    def _mode(trace: Mapping[str, Any]) -> str:
        return trace.get("mode") or ("lines+markers" if len(_values(trace.get("x"))) < 20 else "lines")

    def ref_x(self, ref: str | None, value: Any) -> float | None:
        ref = ref or "x"
        if ref == "paper":
            return self.paper_x(float(value))
        if ref.endswith(" domain"):
            axis = self.axes.get(ref.split()[0])
            return None if axis is None else axis.p0 + float(value) * (axis.p1 - axis.p0)
        axis = self.axes.get(ref)
        pos = None if axis is None else axis.position(value)
        return None if pos is None else axis.pixel(pos)

    def ref_y(self, ref: str | None, value: Any) -> float | None:
        ref = ref or "y"
        if ref == "paper":
            return self.paper_y(float(value))
        return self.ref_x(ref, value)  # axes know their own direction

    # -- drawing
    def text(self, x: float, y: float, text: Any, size: float | None = None, anchor: str = "start",
             colour: str = TEXT_COLOUR, baseline: str = "middle", rotate: float = 0.0, bold: bool = False) -> str:
        lines = _lines(text)
        size = size or self.font_size
        height = size * 1.2
        if baseline == "top":
            first = y + size * 0.85
        elif baseline == "bottom":
            first = y - (len(lines) - 1) * height - size * 0.25
        else:
            first = y - (len(lines) - 1) * height / 2 + size * 0.35
        out = []
        transform = f" transform='rotate({_num(rotate)} {_num(x)} {_num(y)})'" if rotate else ""
        longest = max((len(line) for line, _ in lines), default=0) * size * 0.56
        if rotate:  # (the course rotates y titles by 90 degrees and tick labels by under 90)
            reach = abs(math.cos(math.radians(rotate))) * longest
            extent = (x - reach - size, x + size) if anchor == "end" else (x - size - reach / 2, x + size + reach / 2)
        else:
            start = {"start": x, "end": x - longest}.get(anchor, x - longest / 2)
            extent = (start, start + longest)
        self.left, self.right = min(self.left, extent[0]), max(self.right, extent[1])
        last = first + (len(lines) - 1) * height + size * 0.3
        self.bottom = max(self.bottom, last + (longest if rotate and anchor == "end" else 0.0))
        for i, (line, line_bold) in enumerate(lines):
            if not line.strip():
                continue
            weight = " font-weight='bold'" if bold or line_bold else ""
            fill = f" fill='{_esc(colour)}'" if colour != TEXT_COLOUR else ""
            out.append(f"<text x='{_num(x)}' y='{_num(first + i * height)}' font-size='{_num(size)}' "
                       f"text-anchor='{anchor}'{fill}{weight}{transform}>{_esc(line)}</text>")
        return "".join(out)

    def draw_axes(self) -> list[str]:
        out = []
        for name, axis in self.axes.items():
            spec = axis.spec
            if spec.get("visible") is False:
                continue
            other_name = spec.get("anchor") or ("y" if name.startswith("x") else "x")
            if spec.get("overlaying"):
                other_name = self._axis_spec(spec["overlaying"]).get("anchor") or other_name
            other = self.axes.get(other_name)
            ticks = axis.ticks()
            show_labels = spec.get("showticklabels", True) is not False
            size = self.font_size
            title = _title_text(spec.get("title"))
            if name.startswith("x"):
                y = other.p0 if other else self.paper_y(0)
                if spec.get("showgrid") and other:
                    for pos, _ in ticks:
                        px = axis.pixel(pos)
                        out.append(f"<path d='M{_num(px)} {_num(other.p0)}V{_num(other.p1)}' stroke='{GRID_COLOUR}'/>")
                out.append(f"<path d='M{_num(axis.p0)} {_num(y)}H{_num(axis.p1)}' stroke='{AXIS_COLOUR}'/>")
                angle = float(spec.get("tickangle") or 0)
                if "tickangle" not in spec and show_labels and len(ticks) > 1:
                    # plotly turns x tick labels 30 degrees when they would run into each other
                    gap = min(abs(axis.pixel(b) - axis.pixel(a)) for (a, _), (b, _) in zip(ticks, ticks[1:]))
                    if max(len(label) for _, label in ticks) * size * 0.56 > gap - 4:
                        angle = -30.0
                label_depth = 0.0
                for pos, label in ticks:
                    px = axis.pixel(pos)
                    out.append(f"<path d='M{_num(px)} {_num(y)}v5' stroke='{AXIS_COLOUR}'/>")
                    if show_labels:
                        if angle:
                            out.append(self.text(px, y + 9, label, size, "end", rotate=angle, baseline="top"))
                            label_depth = max(label_depth, abs(math.sin(math.radians(angle))) * len(label) * size * 0.55)
                        else:
                            out.append(self.text(px, y + 8, label, size, "middle", baseline="top"))
                            label_depth = max(label_depth, size * 1.2)
                if title:
                    out.append(self.text((axis.p0 + axis.p1) / 2, y + 12 + label_depth, title, size + 1, "middle",
                                         baseline="top"))
            else:
                right = spec.get("side") == "right"
                x = (other.p1 if right else other.p0) if other else self.paper_x(0)
                if spec.get("showgrid") and other:
                    for pos, _ in ticks:
                        py = axis.pixel(pos)
                        out.append(f"<path d='M{_num(other.p0)} {_num(py)}H{_num(other.p1)}' stroke='{GRID_COLOUR}'/>")
                out.append(f"<path d='M{_num(x)} {_num(axis.p0)}V{_num(axis.p1)}' stroke='{AXIS_COLOUR}'/>")
                sign = 1 if right else -1
                widest = 0.0
                for pos, label in ticks:
                    py = axis.pixel(pos)
                    out.append(f"<path d='M{_num(x)} {_num(py)}h{sign * 5}' stroke='{AXIS_COLOUR}'/>")
                    if show_labels:
                        out.append(self.text(x + sign * 8, py, label, size, "start" if right else "end"))
                        widest = max(widest, len(label) * size * 0.55)
                if title:
                    tx = x + sign * (14 + widest + size * 0.6)
                    out.append(self.text(tx, (axis.p0 + axis.p1) / 2, title, size + 1, "middle",
                                         rotate=90 if right else -90))
        return out

    def clip(self, xa: _Axis, ya: _Axis) -> str:
        key = f"c{xa.name}{ya.name}"
        if not any(f"id='{key}'" in d for d in self.defs):
            x0, x1 = sorted((xa.p0, xa.p1))
            y0, y1 = sorted((ya.p0, ya.p1))
            self.defs.append(f"<clipPath id='{key}'><rect x='{_num(x0 - 4)}' y='{_num(y0 - 4)}' "
                             f"width='{_num(x1 - x0 + 8)}' height='{_num(y1 - y0 + 8)}'/></clipPath>")
        return key

    def pattern(self, shape: str, colour: str) -> str:
        key = (shape, colour)
        if key not in self.patterns:
            pid = f"p{len(self.patterns)}"
            self.patterns[key] = pid
            stroke = _esc(_shade(colour))
            lines = {"/": "M0 8L8 0M-2 2L2 -2M6 10L10 6", "\\": "M0 0L8 8M-2 6L2 10M6 -2L10 2",
                     "x": "M0 8L8 0M0 0L8 8", "-": "M0 4H8", "|": "M4 0V8", "+": "M0 4H8M4 0V8"}.get(shape, "M0 8L8 0")
            self.defs.append(f"<pattern id='{pid}' width='8' height='8' patternUnits='userSpaceOnUse'>"
                             f"<rect width='8' height='8' fill='{LIGHT_BACKGROUND}'/>"
                             f"<path d='{lines}' stroke='{stroke}' stroke-width='1.5'/></pattern>")
        return self.patterns[key]

    def draw_scatter(self, trace: Mapping[str, Any], index: int) -> list[str]:
        xa, ya = self.axes[trace.get("xaxis") or "x"], self.axes[trace.get("yaxis") or "y"]
        xs, ys = _values(trace.get("x")), _values(trace.get("y"))
        mode = self._mode(trace)
        line = trace.get("line") or {}
        colour = line.get("color") or (trace.get("marker") or {}).get("color") or COLORWAY[index % len(COLORWAY)]
        if not isinstance(colour, str):
            colour = COLORWAY[index % len(COLORWAY)]
        points = []
        for x, y in zip(xs, ys):
            px, py = xa.position(x), ya.position(y)
            points.append(None if px is None or py is None else (xa.pixel(px), ya.pixel(py)))
        clip = self.clip(xa, ya)
        out = []
        if "lines" in mode:
            width = float(line.get("width", 2))
            dash = _dasharray(line.get("dash"), width)
            runs, run = [], []
            for point in points:
                if point is None:
                    if len(run) > 1:
                        runs.append(run)
                    run = []
                else:
                    run.append(point)
            if len(run) > 1:
                runs.append(run)
            attrs = (f" fill='none' stroke='{_esc(_shade(colour))}' stroke-width='{_num(width)}'"
                     + (f" stroke-dasharray='{dash}'" if dash else "") + f" clip-path='url(#{clip})'")
            for run in runs:
                out.append("<polyline points='" + " ".join(f"{_num(x)},{_num(y)}" for x, y in run) + f"'{attrs}/>")
        if "markers" in mode:
            marker = trace.get("marker") or {}
            edge = marker.get("line") or {}
            for i, point in enumerate(points):
                if point is None:
                    continue
                fill = _pick(marker.get("color"), i, colour)
                out.append(_marker(point, str(_pick(marker.get("symbol"), i, "circle")),
                                   float(_pick(marker.get("size"), i, 6)), fill,
                                   _pick(edge.get("color"), i, None), float(_pick(edge.get("width"), i, 0) or 0)))
        if "text" in mode and trace.get("text") is not None:
            font = trace.get("textfont") or {}
            size = float(font.get("size") or self.font_size)
            for i, point in enumerate(points):
                label = _pick(trace.get("text"), i, "")
                if point is None or not str(label).strip():
                    continue
                where = str(_pick(trace.get("textposition"), i, "middle center"))
                radius = float(_pick((trace.get("marker") or {}).get("size"), i, 6)) / 2 + 2
                x, y = point
                baseline = "middle"
                if where.startswith("top"):
                    y, baseline = y - radius, "bottom"
                elif where.startswith("bottom"):
                    y, baseline = y + radius, "top"
                anchor = "middle"
                if where.endswith("left"):
                    x, anchor = x - radius, "end"
                elif where.endswith("right"):
                    x, anchor = x + radius, "start"
                out.append(self.text(x, y, label, size, anchor, colour=str(font.get("color") or TEXT_COLOUR),
                                     baseline=baseline))
        return out

    def draw_bars(self, trace: Mapping[str, Any], index: int, slot: int, slots: int) -> list[str]:
        xa, ya = self.axes[trace.get("xaxis") or "x"], self.axes[trace.get("yaxis") or "y"]
        horizontal = trace.get("orientation") == "h"
        position_axis, value_axis = (ya, xa) if horizontal else (xa, ya)
        places = _values(trace.get("y") if horizontal else trace.get("x"))
        values = _values(trace.get("x") if horizontal else trace.get("y"))
        numeric = [p for p in (position_axis.position(v) for v in places) if p is not None]
        spacing = 1.0 if position_axis.category or len(numeric) < 2 else \
            min(b - a for a, b in zip(sorted(numeric), sorted(numeric)[1:]) if b > a) if len(set(numeric)) > 1 else 1.0
        group = 0.8 * spacing
        width = group / slots
        marker = trace.get("marker") or {}
        edge = marker.get("line") or {}
        shapes = (marker.get("pattern") or {}).get("shape")
        out = []
        labels = []
        for i, (place, value) in enumerate(zip(places, values)):
            pos = position_axis.position(place)
            if pos is None or not _is_number(value):
                continue
            start = pos - group / 2 + slot * width
            a0, a1 = position_axis.pixel(start), position_axis.pixel(start + width)
            b0, b1 = value_axis.pixel(0.0), value_axis.pixel(float(value))
            x0, x1, y0, y1 = (b0, b1, a0, a1) if horizontal else (a0, a1, b0, b1)
            x0, x1 = sorted((x0, x1))
            y0, y1 = sorted((y0, y1))
            colour = str(_pick(marker.get("color"), i, COLORWAY[index % len(COLORWAY)]))
            shape = _pick(shapes, i, "")
            fill = f"url(#{self.pattern(shape, colour)})" if shape else _esc(colour)
            stroke = _pick(edge.get("color"), i, colour if shape else None)
            stroke_width = float(_pick(edge.get("width"), i, 1 if shape else 0) or 0)
            stroke_attrs = (f" stroke='{_esc(_shade(stroke))}' stroke-width='{_num(stroke_width)}'"
                            if stroke and stroke_width else "")
            out.append(f"<rect x='{_num(x0)}' y='{_num(y0)}' width='{_num(max(x1 - x0, 0.5))}' "
                       f"height='{_num(max(y1 - y0, 0.5))}' fill='{fill}'{stroke_attrs}/>")
            template = trace.get("texttemplate")
            if template and trace.get("textposition", "outside") in ("outside", "auto"):
                label = _format_template(str(template), {"x": value if horizontal else place,
                                                         "y": place if horizontal else value})
                if horizontal:
                    labels.append(self.text(x1 + 4, (y0 + y1) / 2, label, self.font_size, "start"))
                else:
                    labels.append(self.text((x0 + x1) / 2, y0 - 3, label, self.font_size, "middle",
                                            baseline="bottom"))
        return out + labels

    def draw_heatmap(self, trace: Mapping[str, Any]) -> list[str]:
        xa, ya = self.axes[trace.get("xaxis") or "x"], self.axes[trace.get("yaxis") or "y"]
        z = [_values(row) for row in _values(trace.get("z"))]
        if not z or not z[0]:
            return []
        xs = [xa.position(v) for v in (_values(trace.get("x")) or list(range(len(z[0]))))]
        ys = [ya.position(v) for v in (_values(trace.get("y")) or list(range(len(z))))]
        finite = [v for row in z for v in row if _is_number(v)]
        if not finite:
            return []
        zmin = trace.get("zmin") if _is_number(trace.get("zmin")) else min(finite)
        zmax = trace.get("zmax") if _is_number(trace.get("zmax")) else max(finite)
        scale = trace.get("colorscale")
        if not isinstance(scale, list):
            scale = [[0, "#440154"], [0.5, "#21918c"], [1, "#fde725"]]

        def edges(centres: list) -> list[float]:
            if len(centres) == 1:
                return [centres[0] - 0.5, centres[0] + 0.5]
            mids = [(a + b) / 2 for a, b in zip(centres, centres[1:])]
            return [centres[0] - (mids[0] - centres[0])] + mids + [centres[-1] + (centres[-1] - mids[-1])]

        if None in xs or None in ys:
            return []
        xe, ye = edges(xs), edges(ys)
        out = []
        for j, row in enumerate(z[:len(ys)]):
            for i, value in enumerate(row[:len(xs)]):
                if not _is_number(value):
                    continue
                fraction = 0.0 if zmax == zmin else min(1.0, max(0.0, (value - zmin) / (zmax - zmin)))
                x0, x1 = sorted((xa.pixel(xe[i]), xa.pixel(xe[i + 1])))
                y0, y1 = sorted((ya.pixel(ye[j]), ya.pixel(ye[j + 1])))
                out.append(f"<rect x='{_num(x0)}' y='{_num(y0)}' width='{_num(x1 - x0 + 0.3)}' "
                           f"height='{_num(y1 - y0 + 0.3)}' fill='{_colour_at(scale, fraction)}'/>")
        return out

    def draw_shape(self, shape: Mapping[str, Any]) -> str:
        kind = shape.get("type", "rect")
        if kind not in ("rect", "line"):
            return ""
        x0, x1 = self.ref_x(shape.get("xref"), shape.get("x0", 0)), self.ref_x(shape.get("xref"), shape.get("x1", 0))
        y0, y1 = self.ref_y(shape.get("yref"), shape.get("y0", 0)), self.ref_y(shape.get("yref"), shape.get("y1", 0))
        if None in (x0, x1, y0, y1):
            return ""
        line = shape.get("line") or {}
        width = float(line.get("width", 0 if kind == "rect" else 2) or 0)
        stroke = _shade(line.get("color") or "#444")
        opacity = float(shape.get("opacity", 0.3))
        dash = _dasharray(line.get("dash"), width)
        stroke_attrs = (f" stroke='{_esc(stroke)}' stroke-width='{_num(width)}'"
                        + (f" stroke-dasharray='{dash}'" if dash else "")) if width else ""
        group = f" opacity='{_num(opacity * 100)}%'" if opacity < 1 else ""
        if kind == "line":
            return f"<path d='M{_num(x0)} {_num(y0)}L{_num(x1)} {_num(y1)}'{stroke_attrs}{group}/>"
        fill = shape.get("fillcolor") or ("black" if not width else "none")
        left, right = sorted((x0, x1))
        top, bottom = sorted((y0, y1))
        return (f"<rect x='{_num(left)}' y='{_num(top)}' width='{_num(right - left)}' height='{_num(bottom - top)}' "
                f"fill='{_esc(fill)}'{stroke_attrs}{group}/>")

    def draw_annotation(self, note: Mapping[str, Any]) -> str:
        text = note.get("text")
        if (not str(text or "").strip() and not note.get("showarrow", True)) or note.get("visible") is False:
            return ""
        x, y = self.ref_x(note.get("xref"), note.get("x", 0.5)), self.ref_y(note.get("yref"), note.get("y", 0.5))
        if x is None or y is None:
            return ""
        y -= float(note.get("yshift") or 0)
        x += float(note.get("xshift") or 0)
        font = note.get("font") or {}
        size = float(font.get("size") or self.font_size)
        colour = str(font.get("color") or TEXT_COLOUR)
        out = ""
        if note.get("showarrow", True):
            if note.get("axref", "pixel") == "pixel":
                tail_x = x + float(note.get("ax", -10) or 0)
            else:
                tail_x = self.ref_x(note.get("axref"), note.get("ax", 0)) or x
            if note.get("ayref", "pixel") == "pixel":
                tail_y = y + float(note.get("ay", -30) or 0)
            else:
                tail_y = self.ref_y(note.get("ayref"), note.get("ay", 0)) or y
            arrow = _shade(note.get("arrowcolor") or TEXT_COLOUR)
            width = float(note.get("arrowwidth") or 1)
            out += (f"<path d='M{_num(tail_x)} {_num(tail_y)}L{_num(x)} {_num(y)}' stroke='{_esc(arrow)}' "
                    f"stroke-width='{_num(width)}'/>")
            if note.get("arrowhead", 0):
                angle = math.atan2(y - tail_y, x - tail_x)
                head = 4 + 2 * width
                wings = [(x - head * math.cos(angle - s), y - head * math.sin(angle - s)) for s in (0.45, -0.45)]
                out += (f"<path d='M{_num(x)} {_num(y)}L{_num(wings[0][0])} {_num(wings[0][1])}"
                        f"L{_num(wings[1][0])} {_num(wings[1][1])}Z' fill='{_esc(arrow)}'/>")
            x, y = tail_x, tail_y
            anchor, baseline = "middle", "middle"
        else:
            anchor = {"left": "start", "right": "end"}.get(note.get("xanchor", "center"), "middle")
            baseline = {"top": "top", "bottom": "bottom"}.get(note.get("yanchor", "middle"), "middle")
            if baseline == "bottom":
                y -= 2
            elif baseline == "top":
                y += 2
        return out + self.text(x, y, text, size, anchor, colour=colour, baseline=baseline)

    def draw_legend(self) -> list[str]:
        if self.layout.get("showlegend") is False:
            return []
        entries = [(i, t) for i, t in enumerate(self.all_traces)
                   if t.get("visible", True) in (True, "legendonly") and t.get("showlegend") is not False
                   and str(t.get("name") or "").strip() and _has_data(t)]
        shown_by_default = len([t for t in self.all_traces if t.get("visible", True) is not False]) > 1
        entries = [(i, t) for i, t in entries if t.get("showlegend") is True or shown_by_default]
        if not entries:
            return []
        legend = self.layout.get("legend") or {}
        size = float((legend.get("font") or {}).get("size") or self.font_size)
        row_height = size * 1.6
        x_start = self.paper_x(float(legend.get("x", 1.02)))
        items, rows = [], [[]]
        x = x_start
        for i, trace in entries:
            item_width = 44 + len(str(trace["name"])) * size * 0.55 + 14
            if rows[-1] and (x + item_width > self.width - 4 or legend.get("orientation") != "h"):
                rows.append([])
                x = x_start
            rows[-1].append((i, trace, x))
            x += item_width
        total = len(rows) * row_height
        y_anchor = float(legend.get("y", 1))
        # a legend placed against the figure's box (style.legend_below) rather than the plotting area
        top = (1 - y_anchor) * self.height if legend.get("yref") == "container" else self.paper_y(y_anchor)
        if legend.get("yanchor", "auto") == "bottom" or (legend.get("yanchor") in (None, "auto") and y_anchor > 0.66):
            top -= total
        elif legend.get("yanchor") == "middle":
            top -= total / 2
        for r, row in enumerate(rows):
            cy = top + r * row_height + row_height / 2
            for i, trace, lx in row:
                items.append(self._legend_symbol(trace, i, lx, cy))
                items.append(self.text(lx + 44, cy, trace["name"], size, "start"))
        return items

    def _legend_symbol(self, trace: Mapping[str, Any], index: int, x: float, y: float) -> str:
        kind = trace.get("type", "scatter")
        marker = trace.get("marker") or {}
        colour = (trace.get("line") or {}).get("color") or marker.get("color") or COLORWAY[index % len(COLORWAY)]
        if not isinstance(colour, str):
            colour = _pick(colour, 0, COLORWAY[index % len(COLORWAY)])
        if kind == "bar" or kind == "heatmap":
            return f"<rect x='{_num(x + 8)}' y='{_num(y - 6)}' width='24' height='12' fill='{_esc(colour)}'/>"
        out = ""
        mode = self._mode(trace)
        if "lines" in mode:
            line = trace.get("line") or {}
            width = float(line.get("width", 2))
            dash = _dasharray(line.get("dash"), width)
            out += (f"<path d='M{_num(x + 2)} {_num(y)}h36' stroke='{_esc(_shade(colour))}' stroke-width='{_num(width)}'"
                    + (f" stroke-dasharray='{dash}'" if dash else "") + "/>")
        if "markers" in mode:
            edge = marker.get("line") or {}
            out += _marker((x + 20, y), str(_pick(marker.get("symbol"), 0, "circle")),
                           min(float(_pick(marker.get("size"), 0, 6)), 12), _pick(marker.get("color"), 0, colour),
                           _pick(edge.get("color"), 0, None), float(_pick(edge.get("width"), 0, 0) or 0))
        return out

    def render(self, title: str) -> str:
        body: list[str] = []
        shapes = self.layout.get("shapes") or []
        body += [self.draw_shape(s) for s in shapes if s.get("layer") == "below"]
        for trace in self.data:
            if trace.get("type") == "heatmap":
                body += self.draw_heatmap(trace)
        body += self.draw_axes()
        bars: dict[tuple, list[int]] = {}
        for i, trace in enumerate(self.data):
            if trace.get("type") == "bar":
                bars.setdefault((trace.get("xaxis") or "x", trace.get("yaxis") or "y"), []).append(i)
        for i, trace in enumerate(self.data):
            kind = trace.get("type", "scatter")
            if kind == "bar":
                group = bars[(trace.get("xaxis") or "x", trace.get("yaxis") or "y")]
                mode = self.layout.get("barmode", "group")
                slot, slots = (group.index(i), len(group)) if mode == "group" else (0, 1)
                body += self.draw_bars(trace, i, slot, slots)
            elif kind in ("scatter", "scattergl"):
                body += self.draw_scatter(trace, i)
        body += [self.draw_shape(s) for s in shapes if s.get("layer") != "below"]
        body += [self.draw_annotation(a) for a in self.layout.get("annotations") or []]
        body += self.draw_legend()
        heading = self.layout.get("title") or {}
        if _title_text(heading):
            spec = heading if isinstance(heading, Mapping) else {}
            size = float((spec.get("font") or {}).get("size") or self.font_size * 1.3)
            tx = float(spec.get("x", 0.05)) * self.width
            ty = (1 - float(spec.get("y", 0.97))) * self.height
            anchor = {"left": "start", "right": "end", "center": "middle"}.get(spec.get("xanchor", "left"), "start")
            body.append(self.text(tx, ty, _title_text(heading), size, anchor, baseline="top"))
        height = _num(math.ceil(max(self.height, self.bottom + 4)))
        defs = f"<defs>{''.join(self.defs)}</defs>" if self.defs else ""
        # plotly's automargin: a tick label or axis title past the edge widens the picture
        left = math.floor(min(0.0, self.left - 4))
        width = math.ceil(max(float(self.width), self.right + 4)) - left
        return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
                f"viewBox='{left} 0 {width} {height}' font-family='{FONT}' fill='{TEXT_COLOUR}' role='img'>"
                f"<title>{_esc(title)}</title>{defs}"
                f"<rect x='{left}' width='{width}' height='{height}' fill='{LIGHT_BACKGROUND}'/>"
                + "".join(b for b in body if b)
                + "</svg>")


# ---------------------------------------------------------------------------------------- helpers


def _dasharray(dash: Any, width: float) -> str:
    """plotly's named dashes, as plotly draws them (in units of the line width, at least 3 px)."""
    unit = max(width, 3.0)
    pattern = {"dot": (1, 1), "dash": (3, 3), "longdash": (5, 5), "dashdot": (3, 1, 1, 1),
               "longdashdot": (5, 2, 1, 2)}.get(str(dash or "solid"))
    if pattern is None:
        return str(dash).replace("px", "") if dash and re.fullmatch(r"[\d.,\s px]+", str(dash)) else ""
    return ",".join(_num(p * unit) for p in pattern)


def _marker(point: tuple[float, float], symbol: str, size: float, fill: Any, edge: Any, edge_width: float) -> str:
    x, y = point
    r = size / 2
    open_ = symbol.endswith("-open")
    base = symbol.removesuffix("-open")
    fill = _esc(fill if isinstance(fill, str) else "#444")
    if open_:
        paint = f" fill='none' stroke='{_esc(_shade(fill))}' stroke-width='{_num(max(edge_width, 1.5))}'"
    else:
        paint = f" fill='{fill}'" + (f" stroke='{_esc(_shade(edge))}' stroke-width='{_num(edge_width)}'"
                                     if edge and edge_width else "")
    if base == "circle":
        return f"<circle cx='{_num(x)}' cy='{_num(y)}' r='{_num(r)}'{paint}/>"
    if base == "square":
        return f"<rect x='{_num(x - r)}' y='{_num(y - r)}' width='{_num(2 * r)}' height='{_num(2 * r)}'{paint}/>"
    if base == "x":
        d = r * 0.9
        stroke = _esc(_shade(fill))
        return (f"<path d='M{_num(x - d)} {_num(y - d)}L{_num(x + d)} {_num(y + d)}M{_num(x - d)} {_num(y + d)}"
                f"L{_num(x + d)} {_num(y - d)}' stroke='{stroke}' stroke-width='{_num(max(r / 1.6, 1.5))}'/>")
    if base == "star":
        corners = []
        for k in range(10):
            radius = r * 1.2 if k % 2 == 0 else r * 0.5
            angle = -math.pi / 2 + k * math.pi / 5
            corners.append((x + radius * math.cos(angle), y + radius * math.sin(angle)))
    elif base == "diamond":
        corners = [(x, y - r * 1.2), (x + r * 1.2, y), (x, y + r * 1.2), (x - r * 1.2, y)]
    elif base.startswith("triangle"):
        direction = base.split("-", 1)[1] if "-" in base else "up"
        shapes = {"up": [(0, -1.2), (1.1, 0.8), (-1.1, 0.8)], "down": [(0, 1.2), (1.1, -0.8), (-1.1, -0.8)],
                  "right": [(1.2, 0), (-0.8, 1.1), (-0.8, -1.1)], "left": [(-1.2, 0), (0.8, 1.1), (0.8, -1.1)]}
        corners = [(x + dx * r, y + dy * r) for dx, dy in shapes.get(direction, shapes["up"])]
    else:
        return f"<circle cx='{_num(x)}' cy='{_num(y)}' r='{_num(r)}'{paint}/>"
    return "<path d='M" + "L".join(f"{_num(a)} {_num(b)}" for a, b in corners) + f"Z'{paint}/>"


def _rgb(colour: str) -> tuple[float, float, float]:
    colour = colour.strip()
    if colour.startswith("#"):
        digits = colour[1:]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return tuple(int(digits[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]
    numbers = re.findall(r"[\d.]+", colour)
    return tuple(float(n) for n in numbers[:3])  # type: ignore[return-value]


def _colour_at(scale: list, fraction: float) -> str:
    """The colour at ``fraction`` of a plotly colorscale ([[0, colour], ..., [1, colour]])."""
    for (f0, c0), (f1, c1) in zip(scale, scale[1:]):
        if f0 <= fraction <= f1:
            t = 0.0 if f1 == f0 else (fraction - f0) / (f1 - f0)
            a, b = _rgb(str(c0)), _rgb(str(c1))
            return "#" + "".join(f"{round(p + (q - p) * t):02x}" for p, q in zip(a, b))
    return str(scale[-1][1])


def _format_template(template: str, values: Mapping[str, Any]) -> str:
    """plotly's ``%{y:.3g}`` text templates, for the fields a bar's label uses."""

    def one(match: re.Match) -> str:
        name, _, fmt = match.group(1).partition(":")
        value = values.get(name)
        if value is None:
            return ""
        try:
            if fmt and fmt[-1] in "gG" and "#" not in fmt:
                fmt = "#" + fmt  # d3 (plotly) keeps trailing zeros: %{y:.3g} of 54 is 54.0
            return format(value, fmt) if fmt else str(value)
        except (TypeError, ValueError):
            return str(value)

    return re.sub(r"%\{([^}]+)\}", one, template)


def figure_svg(figure: Mapping[str, Any], title: str = "", width: int = WIDTH) -> str:
    """``figure`` (plotly JSON: ``{"data": [...], "layout": {...}}`` with plain arrays) as SVG markup.

    ``title`` becomes the SVG's ``<title>`` (its accessible name); by default the figure's own title.
    """
    layout = figure.get("layout") or {}
    name = title or _title_text(layout.get("title")) or "Figure"
    return _Picture(figure, width).render(re.sub(r"<[^>]+>", " ", name).strip())


def svg_data_uri(svg: str) -> str:
    """An SVG as a ``data:`` URI for an ``<img src=...>`` (base64: safe in any attribute quoting)."""
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


__all__ = ["WIDTH", "figure_svg", "svg_data_uri"]
