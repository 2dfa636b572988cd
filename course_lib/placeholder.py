"""What a lab or quiz cell shows before it has been run: a short, readable placeholder.

A notebook opened fresh from a clone is untrusted, so JupyterLab shows only "safe" outputs
(text/html, sanitised, and text/plain), never the interactive widget. And a trusted notebook
whose widget models are gone (the kernel has not run the cell in this session) would show
"Error displaying widget: model not found". So every lab and quiz offers, beside its widget
view, an HTML and a plain-text placeholder that tell the learner to run the cell, and
``tools/execute_notebooks.py`` stores only those placeholders in committed notebooks.

A lab's placeholder also shows its figure at the starting setting as a still picture (issue 21,
item 7): the same JSON the Explore edition stores for the lab's starting state
(``figures.figure_json``: traces decimated and rounded), drawn by ``figures.static_svg`` and embedded
as ``<img src="data:image/svg+xml;base64,...">``. That is what an untrusted notebook shows: JupyterLab's
HTML sanitizer (packages/apputils/src/sanitizer.ts) keeps ``<img>``, ``<figure>`` and ``<figcaption>``
and does not check the scheme of ``src`` (``allowedSchemesAppliedToAttributes: ['href', 'cite']``), while
it drops an inline ``<svg>`` (not an allowed tag) and an ``image/svg+xml`` output needs a trusted
notebook. An SVG drawn as an image runs no script and loads nothing.

Plain strings here, and no widget import at module level, so the quiz package and the labs can both
use it; the picture's helpers import plotly's JSON tools only when a figure is given.
"""

from __future__ import annotations

import html
import re
from typing import Any

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"

#: The marker every placeholder carries: tests and the browser check look for it.
PLACEHOLDER_CLASS = "course-placeholder"


def run_instruction(what: str) -> str:
    """The sentence every placeholder starts with, e.g. 'Run this cell ... to start the channel lab.'"""
    return f"Run this cell, or Run > Run All Cells, to start {what}."


def _plain(text_or_html: str) -> str:
    """Strip tags and collapse spaces (descriptions arrive as small HTML fragments)."""
    text = re.sub(r"<[^>]+>", " ", text_or_html)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


PICTURE_CLASS = "course-placeholder-picture"


def placeholder_bundle(what: str, details: str = "", picture: str = "") -> dict[str, str]:
    """text/html and text/plain placeholders: the instruction, then optional details in words.

    ``what`` names the thing ("the channel lab"); ``details`` is plain text or a small HTML
    fragment (for a lab, the text description of its default figure); ``picture`` is the HTML of a
    still picture of the figure (:func:`figure_picture`), shown under the instruction, with the
    details as its caption.
    """
    instruction = run_instruction(what)
    detail_text = _plain(details)
    plain = instruction + (f"\n{detail_text}" if detail_text else "")
    detail_html = f"<p style='font-size:0.9em'>{html.escape(detail_text)}</p>" if detail_text else ""
    if picture:
        caption = (f"<figcaption style='font-size:0.9em;margin-top:4px'>{html.escape(detail_text)}</figcaption>"
                   if detail_text else "")
        detail_html = f"<figure class='{PICTURE_CLASS}' style='margin:6px 0'>{picture}{caption}</figure>"
    # JupyterLab CSS variables, so the box follows the light and dark themes
    rich = (
        f"<div class='{PLACEHOLDER_CLASS}' style='border-left:4px solid var(--jp-brand-color1);"
        "padding:4px 10px;color:var(--jp-ui-font-color1)'>"
        f"<p><b>{html.escape(instruction)}</b></p>"
        + detail_html
        + "</div>"
    )
    return {"text/plain": plain, "text/html": rich}


def figure_state(figure: Any) -> dict[str, Any]:
    """A figure as the Explore edition stores a lab's state: plain JSON, traces decimated and rounded
    (``figures.figure_json``, decoded): the one home of "the figure at this setting" as data."""
    from .figures.figure_json import decode, figure_json

    return decode(figure_json(figure))


def figure_picture(figure: Any) -> str:
    """An ``<img>`` of ``figure`` (a plotly figure, or its :func:`figure_state`) as a still SVG picture."""
    from .figures.static_svg import figure_svg, svg_data_uri

    state = figure if isinstance(figure, dict) else figure_state(figure)
    title = state.get("layout", {}).get("title") or {}
    name = _plain(str(title.get("text", "") if isinstance(title, dict) else title))
    alt = "Still picture of the figure at its starting setting" + (f": {name}" if name else "") + "."
    svg = figure_svg(state, title=alt)
    width = re.search(r"width='(\d+)'", svg)
    return (f"<img src='{svg_data_uri(svg)}' alt='{html.escape(alt, quote=True)}' "
            f"width='{width.group(1) if width else 700}' "
            "style='max-width:100%;height:auto;border:1px solid var(--jp-border-color2);display:block'>")


def view_figure(widget_bundle: Any) -> Any:
    """The plotly figure shown at the top level of a displayed widget view (``VBox([figure, text])``,
    as the cohort view and a case timeline display), or None. Found through the view's model id."""
    model_id = (widget_bundle or {}).get(WIDGET_VIEW_MIME, {}).get("model_id")
    if not model_id:
        return None
    try:
        from ipywidgets.widgets.widget import _instances
        from plotly.basedatatypes import BaseFigure
    except ImportError:
        return None
    view = _instances.get(model_id)
    figures = [child for child in getattr(view, "children", ()) if isinstance(child, BaseFigure)]
    return figures[0] if len(figures) == 1 else None


#: ``with_placeholder``'s default: picture the one figure at the top of the widget view, if any.
FIND_FIGURE = "find"


def with_placeholder(widget_bundle: Any, what: str, details: str = "", figure: Any = FIND_FIGURE) -> dict[str, Any]:
    """A widget's own mime bundle plus the placeholders (the widget view wins when it can render).

    ``figure``: the plotly figure whose still picture the placeholder shows (its current state: at
    first display, the starting setting); None for no picture; by default (:data:`FIND_FIGURE`) the
    one figure at the top of the view, if there is one.
    """
    bundle = dict(widget_bundle or {})
    bundle.pop("text/plain", None)  # the bare `VBox(children=...)` repr: never show it
    if isinstance(figure, str) and figure == FIND_FIGURE:
        figure = view_figure(widget_bundle)
    picture = figure_picture(figure) if figure is not None else ""
    bundle.update(placeholder_bundle(what, details, picture))
    return bundle


def strip_widget_views(outputs: list[dict]) -> int:
    """Drop the widget-view part of stored outputs that also carry a placeholder; return how many.

    Committed notebooks have no widget state, so a stored widget view can only ever render as an
    error; its placeholder is what a reader should see until the cell is run.
    """
    stripped = 0
    for output in outputs:
        data = output.get("data", {})
        if WIDGET_VIEW_MIME in data and PLACEHOLDER_CLASS in str(data.get("text/html", "")):
            del data[WIDGET_VIEW_MIME]
            stripped += 1
    return stripped
