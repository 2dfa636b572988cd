"""The course's live figure: a plotly FigureWidget whose JavaScript reaches the browser once.

DESIGN NOTE (why this module exists, and why it is built this way)

plotly 7's ``go.FigureWidget`` is an anywidget: its ``_esm`` trait holds plotly's whole widget
module (plotly.js, lodash and the FigureWidget view, about 5 MB of text). ipywidgets syncs every
trait of every instance, so each figure sent its own 5 MB copy over the kernel WebSocket: about
15 MB for notebook 02 and 20 MB for 03, per learner, on one classroom Wi-Fi.

What anywidget does with ``_esm`` (anywidget 0.11, ``packages/anywidget/src/widget.js``): each
model imports its own ``_esm`` text from a Blob URL when it is created; nothing is shared or
cached between models, and an http(s) URL would be imported instead (a CDN: not allowed here,
the course must work offline). The model's ``initialize`` may be async: anywidget holds back the
model's incoming messages until it resolves (and gives up after 2 s).

The design, in two widgets:

* ``PlotlyBundle`` (one per kernel, never displayed) is a plain ipywidgets ``Widget`` whose only
  large synced trait is plotly's module as gzip-compressed *bytes* (1.5 MB instead of 5 MB), so it
  travels once, as one binary WebSocket buffer, and the browser inflates it with the standard
  ``DecompressionStream``. :func:`plotly_bundle` returns the kernel's one instance and makes a
  new one only if it was closed (``Widget.close_all()``, a new kernel).
* ``CourseFigureWidget`` subclasses ``go.FigureWidget`` and replaces ``_esm`` with a small
  module (``figure_widget.js``, a few kB) that looks the bundle widget up by id, imports its bytes
  once per page (a promise cached on ``globalThis`` under the bundle's content hash) and then
  delegates to plotly's own ``initialize`` and ``render``. Everything plotly's FigureWidget does
  from Python keeps working unchanged: ``batch_update``, numpy arrays, restyle and relayout
  messages, callbacks.

How it behaves in the situations a class meets:

* Run All, re-running a cell: every figure of the kernel shares the one bundle widget, so a
  re-run sends a few kB for the new figure and no second copy of plotly.
* Kernel restart and rerun: the new kernel makes a new bundle widget and sends it once (the page
  cannot be asked whether it still holds the old one without a kernel round trip, which would wait
  behind Run All); the page does not import it again (same content hash).
* Several notebooks open: one bundle per kernel, i.e. at most once per notebook; one import per
  page.
* Page reload: the widget manager restores every live model from the kernel; the bundle's bytes
  are left out of such full-state replies and the first figure asks the kernel for them with one
  custom message instead. Why left out: after a kernel restart JupyterLab sends the same
  full-state request, and it often reaches the kernel after Run All has begun, so with the stock
  FigureWidget every figure's plotly went twice. Here the page already holds plotly after a
  restart and asks for nothing. One race remains, on a page that has drawn no plot yet: if
  JupyterLab registers the kernel's models from that reply before the bundle's own opening
  message, the first figure finds the bundle without bytes and asks once more. Worst case the
  bundle travels twice (2 x 1.5 MB), never once per figure.

The alternative of a round trip (the page asks the kernel for plotly only when it lacks it) would
save the copy after a restart, but comm messages from the page queue behind running cells, so
during Run All no figure could draw until every cell had finished.

Presentation lives in the browser, not in the figure's layout: ``figure_widget.css`` recolours
the chart with JupyterLab's theme variables (light and dark), the figure takes the width of its
output area and follows it, the toolbar keeps two buttons (download image, reset axes) in a strip
of its own above the chart, and the chart gets an accessible name (its title) and
``aria-describedby`` pointing at its text description (``description_id``).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import secrets
from pathlib import Path
from typing import Any

import ipywidgets
import plotly
import plotly.graph_objects as go
import traitlets
from ipywidgets import widget_serialization
from plotly.basedatatypes import Undefined

from .style import theme_css

_HERE = Path(__file__).resolve().parent

#: plotly's own FigureWidget module (plotly.js included), the file ``go.FigureWidget._esm`` names.
PLOTLY_WIDGET_BUNDLE = Path(plotly.__file__).resolve().parent / "package_data" / "widgetbundle.js"

GZIP_MAGIC = b"\x1f\x8b"

#: plotly config for every course figure: no logo, no cloud links, two toolbar buttons only.
PLOT_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "displayModeBar": True,  # always shown (in its own strip), so keyboard users find it too
    "modeBarButtons": [["toImage", "resetScale2d"]],
    "toImageButtonOptions": {"format": "png", "filename": "course-figure", "scale": 2},
    "showLink": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
}

#: inline style of a figure description: JupyterLab's theme text colour, never a fixed one
DESCRIPTION_STYLE = "font-size:0.9em;color:var(--jp-content-font-color1)"

#: prefix of the id the figure's text description carries (see ``description_id``)
DESCRIPTION_ID_PREFIX = "course-figure-description-"


@functools.lru_cache(maxsize=1)
def _bundle_bytes() -> bytes:
    if not PLOTLY_WIDGET_BUNDLE.is_file():
        raise FileNotFoundError(
            f"plotly's widget bundle is missing at {PLOTLY_WIDGET_BUNDLE}; reinstall plotly (>= 6) "
            "with its package data"
        )
    return PLOTLY_WIDGET_BUNDLE.read_bytes()


@functools.lru_cache(maxsize=1)
def bundle_key() -> str:
    """Content hash of plotly's widget bundle: the page imports each distinct bundle once."""
    return f"plotly-{plotly.__version__}-{hashlib.sha256(_bundle_bytes()).hexdigest()[:16]}"


def _cache_dir() -> Path:
    """Where the compressed bundle is kept between kernels (``COURSE_CACHE_DIR`` overrides)."""
    override = os.environ.get("COURSE_CACHE_DIR")
    if override:
        return Path(override)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "course_lib"


@functools.lru_cache(maxsize=1)
def compressed_bundle() -> bytes:
    """plotly's widget module, gzip-compressed (5 MB -> 1.5 MB); the browser inflates it.

    Compressing takes about half a second, so the result is kept on disk under the bundle's
    content hash and written atomically; if the cache cannot be written it is simply redone.
    """
    path = _cache_dir() / f"{bundle_key()}.js.gz"
    try:
        cached = path.read_bytes()
        if cached[:2] == GZIP_MAGIC:
            return cached
    except OSError:
        pass
    data = gzip.compress(_bundle_bytes(), compresslevel=9, mtime=0)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError:
        pass  # a read-only home: compress again next time
    return data


class PlotlyBundle(ipywidgets.Widget):
    """Carries plotly's widget module to the browser, once per kernel. Never displayed.

    A plain ipywidgets ``Widget`` (the base ``WidgetModel`` in the browser: no view, no code of its
    own); figures find it by id and import its bytes.

    The bytes go with the comm's opening message only. A later full-state request (the page's
    ``request_states`` after a reload, or one that a kernel restart makes arrive after Run All has
    begun) gets the state without them, so they are never sent twice by accident; a page that
    lacks them asks with a custom message ``{"request": "bundle", "encoding": ...}`` and gets them
    as a buffer (``encoding`` "identity" for a browser without ``DecompressionStream``).
    """

    bundle = traitlets.Bytes(help="plotly's FigureWidget ES module, compressed as ``encoding``").tag(sync=True)
    encoding = traitlets.Unicode("gzip").tag(sync=True)
    key = traitlets.Unicode(help="content hash of the uncompressed module").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_msg(self._on_custom_message)

    @traitlets.default("bundle")
    def _default_bundle(self) -> bytes:
        return compressed_bundle()

    @traitlets.default("key")
    def _default_key(self) -> str:
        return bundle_key()

    def get_state(self, key: Any = None, drop_defaults: bool = False) -> dict[str, Any]:
        state = super().get_state(key, drop_defaults)
        if key is None and self.comm is not None:  # a full state after the opening message
            state.pop("bundle", None)
        return state

    def _on_custom_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        answer_bundle_request(self, content)


def answer_bundle_request(widget: ipywidgets.Widget, content: Any) -> bool:
    """Send plotly's module over ``widget``'s comm if ``content`` asks for it; True if it did.

    The request is ``{"request": "bundle", "encoding": "gzip" | "identity"}``; the reply is
    ``{"bundle": encoding}`` with the bytes as its one buffer.
    """
    if not isinstance(content, dict) or content.get("request") != "bundle":
        return False
    encoding = "identity" if content.get("encoding") == "identity" else "gzip"
    data = _bundle_bytes() if encoding == "identity" else compressed_bundle()
    widget.send({"bundle": encoding}, buffers=[data])
    return True


_KERNEL_BUNDLE: PlotlyBundle | None = None


def plotly_bundle() -> PlotlyBundle:
    """The kernel's one ``PlotlyBundle`` widget, made on first use and again only if it was closed."""
    global _KERNEL_BUNDLE
    if _KERNEL_BUNDLE is None or _KERNEL_BUNDLE.comm is None:
        _KERNEL_BUNDLE = PlotlyBundle()
    return _KERNEL_BUNDLE


class CourseFigureWidget(go.FigureWidget):
    """A ``go.FigureWidget`` that shares one copy of plotly per kernel and fits the course's pages.

    Build it exactly like a FigureWidget (``CourseFigureWidget(make_subplots(...))``,
    ``CourseFigureWidget(layout=...)``) and update it the same way (``batch_update``, numpy arrays).

    Extra synced traits:
        description_id: the HTML id the figure's text description must carry; the chart points at
            it with ``aria-describedby`` (see :func:`description_html`).
        accessible_name: the chart's name for screen readers when it has no title (a chart with
            a title is named by its title).
    """

    _esm = _HERE / "figure_widget.js"
    # the theme rules, plus the light page's shades of the palette's light colours (generated from
    # the palette in figures.style, so the shade has one home)
    _css = (_HERE / "figure_widget.css").read_text(encoding="utf-8") + "\n" + theme_css()

    _plotly_bundle = traitlets.Instance(PlotlyBundle).tag(sync=True, **widget_serialization)
    _bundle_key = traitlets.Unicode().tag(sync=True)
    description_id = traitlets.Unicode().tag(sync=True)
    accessible_name = traitlets.Unicode("").tag(sync=True)

    # Defaults, not assignments in __init__: the comm opens inside FigureWidget's constructor with
    # the state it has then, and the browser needs these from the first message on.
    @traitlets.default("_plotly_bundle")
    def _default_plotly_bundle(self) -> PlotlyBundle:
        return plotly_bundle()

    @traitlets.default("_bundle_key")
    def _default_bundle_key(self) -> str:
        return bundle_key()

    @traitlets.default("description_id")
    def _default_description_id(self) -> str:
        return DESCRIPTION_ID_PREFIX + secrets.token_hex(6)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # a figure can be asked for plotly's module too: after the kernel connection dropped and
        # came back, the page may hold a bundle model whose comm is gone ("Cannot send"), while the
        # figure's own comm, opened later, works (figure_widget.js then asks here)
        self.on_msg(lambda _widget, content, _buffers: answer_bundle_request(self, content))

    @traitlets.default("_config")
    def _default_config(self) -> dict[str, Any]:
        return dict(PLOT_CONFIG)

    @traitlets.validate("_config")
    def _keep_course_config(self, proposal: traitlets.Bunch) -> dict[str, Any]:
        # plotly assigns its own (empty) config after the comm opened: keep the course's on top
        return {**(proposal["value"] or {}), **PLOT_CONFIG}

    # One batch_update sends one message whose per-trace lists hold plotly's ``Undefined`` for every
    # trace that did not change a property another trace changed, and the browser may then drop
    # that property: notebook 06's case lab lost the y of its "cause treated" line (x of 2 points,
    # y gone) after a slider move, caught by the browser test's broken-trace check (see also
    # trace_updates.py). Python's data stays right, so the fix is in transport: each placeholder is
    # replaced by the value the trace already holds. The update stays one message, so the browser
    # redraws once per slider step (splitting it by trace group cost one redraw per group: the
    # balance lab's p95 went over 100 ms in the browser); the price is resending an unchanged value.
    def _send_update_msg(self, restyle_data, relayout_data, trace_indexes=None, source_view_id=None):
        indexes = self._normalize_trace_indexes(trace_indexes)
        filled = fill_placeholder_restyle(restyle_data, indexes, self._data)
        super()._send_update_msg(restyle_data if filled is None else filled, relayout_data, indexes,
                                 source_view_id)

    def _send_restyle_msg(self, restyle_data, trace_indexes=None, source_view_id=None):
        indexes = self._normalize_trace_indexes(trace_indexes)
        filled = fill_placeholder_restyle(restyle_data, indexes, self._data)
        super()._send_restyle_msg(restyle_data if filled is None else filled, indexes, source_view_id)


def _trace_value(trace: dict, path: str) -> Any:
    """A trace property by plotly path ("y", "line.color"); None (plotly's default) when unset."""
    value: Any = trace
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def fill_placeholder_restyle(restyle_data: dict, trace_indexes: list[int], traces: list[dict]
                             ) -> dict | None:
    """Replace plotly's ``Undefined`` placeholders by the values the traces already hold.

    ``traces`` is the figure's data as plain dicts (``FigureWidget._data``). Returns ``None`` when
    there is nothing to fill (no placeholder, or values that are not one list entry per trace);
    otherwise a new restyle dict without placeholders. An unset property becomes None, which
    plotly.js reads as "use the default", i.e. what the trace shows already.
    """
    n = len(trace_indexes)
    if not restyle_data or not all(isinstance(v, list) and len(v) == n for v in restyle_data.values()):
        return None
    if not any(v is Undefined for values in restyle_data.values() for v in values):
        return None
    return {prop: [_trace_value(traces[trace_indexes[k]], prop) if v is Undefined else v
                   for k, v in enumerate(values)]
            for prop, values in restyle_data.items()}


def description_html(figure: CourseFigureWidget | Any, text_html: str, style: str = "") -> str:
    """Wrap a figure's (already escaped) description in a paragraph the chart is described by.

    The paragraph carries ``figure.description_id`` so the chart's ``aria-describedby`` resolves to
    it; a figure without that trait (a plain FigureWidget) gets a paragraph without an id.
    """
    element_id = getattr(figure, "description_id", "")
    id_attribute = f" id='{element_id}'" if element_id else ""
    style_attribute = f" style='{style}'" if style else ""
    return f"<p{id_attribute}{style_attribute}>{text_html}</p>"
