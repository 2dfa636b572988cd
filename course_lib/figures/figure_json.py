"""A plotly figure as small, plain JSON: its traces decimated and its numbers rounded.

The one home of "the figure at this setting" as data. The Explore edition stores each lab state this
way (``course_lib.site_labs``; ``explore.js`` draws it with plotly.js), and the Jupyter edition's first
view draws a lab's starting state from the same data as a still picture (``placeholder.figure_state``,
``figures.static_svg``).

* :func:`figure_json`: traces and layout without template or uids; long scatter traces decimated to
  :data:`MAX_POINTS` (each bucket's lowest and highest point, at fixed places in the bucket so states
  on one time grid share their x; a smooth curve to :data:`SMOOTH_POINTS`); numbers rounded to
  :data:`SIGNIFICANT` digits of their span; a long 1-D array delta-encoded as integers.
* :func:`decode`: undoes the encoding (and the site's pooling of repeated arrays).

Unlike :func:`course_lib.figures.style.decimate` (every slider change, vectorised, float32 for the
widget), this runs once per stored state and favours small, shareable JSON.
"""

from __future__ import annotations

import math

#: Most points one trace keeps (min-max decimation keeps every spike's peak and trough).
MAX_POINTS = 200
#: Points of a smooth curve (when straight lines between them follow it closely).
SMOOTH_POINTS = 100
#: Significant digits kept of each number array (relative to the array's span).
SIGNIFICANT = 3  # a thousandth of the span


def round_array(values):
    """A number array, rounded to :data:`SIGNIFICANT` digits; a long 1-D one delta-encoded as integers:
    ``{"_d": decimals, "_v": [first, step, step, ...]}`` (what :func:`decode` and explore.js undo)."""
    import numpy as np

    array = np.asarray(values)
    if array.dtype.kind in "iub" or array.dtype.kind != "f":
        return array.tolist()
    finite = np.isfinite(array)
    decimals = _decimals(array[finite])
    if array.ndim == 1 and len(array) >= 8 and finite.all():
        scaled = np.round(array.astype(float) * 10.0 ** decimals).astype(np.int64)
        return {"_d": decimals, "_v": np.concatenate([scaled[:1], np.diff(scaled)]).tolist()}
    rounded = np.round(array.astype(float), decimals)
    return _clean(rounded.tolist(), decimals)


def _decimals(finite) -> int:
    """Decimals that keep a thousandth of the array's span (its largest magnitude when flat): finer
    than a pixel of any figure, coarse enough to keep the JSON small."""
    import numpy as np

    if finite.size == 0:
        return 0
    span = float(np.max(finite) - np.min(finite)) or float(np.max(np.abs(finite)))
    if span == 0:
        return 0
    return int(min(6, max(0, math.ceil(-math.log10(span / 10 ** SIGNIFICANT)))))


def decode(value, pool: list = ()):
    """Undo :func:`_pooled` and the delta encoding of :func:`round_array` everywhere in ``value``
    (for tests; explore.js does the same)."""
    if isinstance(value, dict):
        if set(value) == {"_p"}:
            return decode(pool[value["_p"]])
        if set(value) == {"_d", "_v"}:
            total, out = 0, []
            for step in value["_v"]:
                total += step
                out.append(total / 10 ** value["_d"] if value["_d"] else total)
            return out
        return {k: decode(v, pool) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v, pool) for v in value]
    return value


def _clean(value, decimals: int):
    if isinstance(value, list):
        return [_clean(v, decimals) for v in value]
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if decimals == 0 or value == int(value):
            return int(value) + 0
        return value
    return value


def _decimate(x, y, limit: int = MAX_POINTS):
    """At most ``limit`` points (:data:`MAX_POINTS`): each bucket's lowest and highest y, in time order, drawn at
    fixed places in the bucket (its first and third quarter). A spike keeps its peak and trough; the x
    values depend only on the time grid, so states that share a grid store x once (in the first state)."""
    import numpy as np

    x, y = np.asarray(x), np.asarray(y)
    if x.ndim != 1 or y.ndim != 1:
        return x, y
    n = len(x)
    if n <= limit or y.dtype.kind != "f" or x.dtype.kind not in "fi" or len(y) != n:
        return x, y
    # a smooth curve needs far fewer points: every k-th point, when straight lines between them stay
    # within a three-hundredth of the curve's span of every point left out
    finite = np.isfinite(y)
    if finite.all() and np.all(np.diff(x) > 0):
        keep = np.unique(np.linspace(0, n - 1, SMOOTH_POINTS).round().astype(int))
        span = float(np.ptp(y)) or 1.0
        if float(np.max(np.abs(np.interp(x, x[keep], y[keep]) - y))) <= span / 300:
            return x[keep], y[keep]
    buckets = limit // 2 - 1
    edges = np.linspace(1, n - 1, buckets + 1).astype(int)
    steps = np.diff(x.astype(float))
    uniform = len(steps) > 0 and np.allclose(steps, steps[0], rtol=1e-3, atol=0)
    xs, ys = [x[0]], [y[0]]
    for start, stop in zip(edges[:-1], edges[1:]):
        if stop <= start:
            continue
        chunk = y[start:stop]
        width = stop - start
        if not np.isfinite(chunk).all():
            places = [start, start + width // 2]
            xs += [x[p] for p in places]
            ys += [y[p] for p in places]
            continue
        low, high = int(np.argmin(chunk)), int(np.argmax(chunk))
        first, second = sorted((low, high))
        if uniform:  # drawn at fixed places, so states on the same time grid share their x
            places = [start + width // 4, start + (3 * width) // 4]
        else:
            places = [start + first, start + second]
        xs += [x[p] for p in places]
        ys += [chunk[first], chunk[second]]
    xs.append(x[-1])
    ys.append(y[-1])
    return np.asarray(xs), np.asarray(ys, dtype=float)


def _typed(value):
    """plotly's binary array ({"dtype": "f4", "bdata": base64, "shape": "r, c"}) as a numpy array."""
    import base64

    import numpy as np

    if isinstance(value, dict) and "bdata" in value and "dtype" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        if "shape" in value:
            array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
        return array
    return value


def plain_value(value):
    """Any value of a figure (or handed to a question) as JSON-ready data: numpy arrays and floats rounded."""
    import numpy as np

    value = _typed(value)

    if isinstance(value, np.ndarray):
        return round_array(value)
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(v, (float, int, np.floating, np.integer)) and not isinstance(v, bool)
                         for v in value) and any(isinstance(v, (float, np.floating)) for v in value):
            return round_array(np.asarray(value, dtype=float))
        return [plain_value(v) for v in value]
    if isinstance(value, dict):
        return {k: plain_value(v) for k, v in value.items()}
    if isinstance(value, (np.floating, float)):
        value = float(value)
        if not math.isfinite(value):
            return None
        return int(value) if value == int(value) and abs(value) < 1e15 else float(f"{value:.6g}")
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def figure_json(figure, max_points: int = MAX_POINTS) -> dict:
    """A figure's traces and layout as the site stores them (no template, no uids, decimated, rounded)."""
    raw = figure.to_dict()
    data = []
    for trace in raw.get("data", []):
        trace = dict(trace)
        trace.pop("uid", None)
        if trace.get("type", "scatter") in ("scatter", "scattergl") and trace.get("x") is not None \
                and trace.get("y") is not None:
            trace["x"], trace["y"] = _decimate(_typed(trace["x"]), _typed(trace["y"]), max_points)
            if trace.get("type") == "scattergl":
                trace["type"] = "scatter"  # the cartesian bundle has no WebGL traces
        data.append(plain_value(trace))
    layout = {k: plain_value(v) for k, v in raw.get("layout", {}).items() if k not in ("template", "width")}
    return {"data": data, "layout": layout}
