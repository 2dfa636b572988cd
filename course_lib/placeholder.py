"""What a lab or quiz cell shows before it has been run: a short, readable placeholder.

A notebook opened fresh from a clone is untrusted, so JupyterLab shows only "safe" outputs
(text/html, sanitised, and text/plain), never the interactive widget. And a trusted notebook
whose widget models are gone (the kernel has not run the cell in this session) would show
"Error displaying widget: model not found". So every lab and quiz offers, beside its widget
view, an HTML and a plain-text placeholder that tell the learner to run the cell, and
``tools/execute_notebooks.py`` stores only those placeholders in committed notebooks.

Plain strings only: no ipywidgets here, so the quiz package and the labs can both use it.
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


def placeholder_bundle(what: str, details: str = "") -> dict[str, str]:
    """text/html and text/plain placeholders: the instruction, then optional details in words.

    ``what`` names the thing ("the channel lab"); ``details`` is plain text or a small HTML
    fragment (for a lab, the text description of its default figure).
    """
    instruction = run_instruction(what)
    detail_text = _plain(details)
    plain = instruction + (f"\n{detail_text}" if detail_text else "")
    # JupyterLab CSS variables, so the box follows the light and dark themes
    rich = (
        f"<div class='{PLACEHOLDER_CLASS}' style='border-left:4px solid var(--jp-brand-color1);"
        "padding:4px 10px;color:var(--jp-ui-font-color1)'>"
        f"<p><b>{html.escape(instruction)}</b></p>"
        + (f"<p style='font-size:0.9em'>{html.escape(detail_text)}</p>" if detail_text else "")
        + "</div>"
    )
    return {"text/plain": plain, "text/html": rich}


def with_placeholder(widget_bundle: Any, what: str, details: str = "") -> dict[str, Any]:
    """A widget's own mime bundle plus the placeholders (the widget view wins when it can render)."""
    bundle = dict(widget_bundle or {})
    bundle.pop("text/plain", None)  # the bare `VBox(children=...)` repr: never show it
    bundle.update(placeholder_bundle(what, details))
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
