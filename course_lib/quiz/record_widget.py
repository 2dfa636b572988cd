"""The "Download my record" widget: an optional name, a button, two download links, a preview.

The links are ``<a download="..." href="data:...;base64,...">`` inside an ``ipywidgets.HTML``
widget, made again on every click so they carry the progress as it is then. This needs no
server route and no JavaScript of our own: ipywidgets' HTML widget sets its value as the
element's ``innerHTML`` with no sanitiser (checked in the JupyterLab bundle of ipywidgets
8.1: ``HTMLView.update`` does ``this.content.innerHTML = this.model.get("value")``; only
descriptions with ``description_allow_html`` are sanitised), so the ``download`` attribute
and the ``data:`` address reach the page, and browsers save a ``data:`` link that has a
``download`` attribute when the learner clicks it. A record is about 20 kB of JSON for the
whole course (under 40 kB for both base64 links), far below browsers' limits on ``data:``
addresses (2 MB in Chromium). The browser test of issue 12 is to click both links.

Nothing is stored about the learner's name: it goes into the two files and nowhere else.
"""

from __future__ import annotations

import base64
import html
from datetime import datetime
from typing import Any

import ipywidgets as W

from .progress import ProgressStore, get_store
from .record import MAX_NAME_CHARS, learner_record, parse_generated, record_html, record_json
from .render import _guarded


def data_link(content: str, mime: str, filename: str, label: str) -> str:
    """An HTML link that downloads ``content`` as ``filename`` when clicked."""
    encoded = base64.b64encode(content.encode("utf-8")).decode("ascii")
    return (f'<a download="{html.escape(filename, quote=True)}" '
            f'href="data:{mime};charset=utf-8;base64,{encoded}">{html.escape(label)}</a>')


def preview_html(record: dict[str, Any]) -> str:
    """A few lines saying what the downloaded record shows."""
    lines = []
    for nb in record["notebooks"].values():
        if not nb["enabled"]:
            continue
        c = nb["counts"]
        state = "quiz done" if nb["done"] else f"{c['finished']} of {c['questions']} finished"
        lines.append(f"<li>{html.escape(nb['title'])}: best score {c['score_percent']:.0f} %, "
                     f"{state}</li>")
    certificate = ("includes your certificate of completion" if record["complete"] else
                   "has no certificate yet: it appears when every quiz is done")
    who = (f" for <strong>{html.escape(record['learner'])}</strong>" if record["learner"]
           else " (no name: type one above if you want it on the page)")
    return (f"<p>Your record{who} {certificate}.</p><ul>{''.join(lines)}</ul>")


class RecordView:
    """Name box, "Download my record" button, the two links, and a preview.

    Test hooks: ``.name`` (Text), ``.button`` (Button), ``.make()`` (what a click does),
    ``.links.value`` (HTML with the two data: links), ``.preview.value``, ``.record``."""

    def __init__(self, store: ProgressStore | None = None):
        self.store = store if store is not None else get_store()
        self.record: dict[str, Any] | None = None
        self.name = W.Text(value="", placeholder="optional: your name for the certificate",
                           description="Your name (optional):", continuous_update=False,
                           style={"description_width": "initial"},
                           layout=W.Layout(width="auto"))
        self.button = W.Button(description="Download my record", button_style="primary",
                               icon="download", layout=W.Layout(width="auto"),
                               tooltip="Make your record (a web page and a JSON file) from "
                                       "your saved progress")
        self.verdict = W.HTML("")  # errors from _guarded land here
        self.links = W.HTML("")
        self.preview = W.HTML("")
        self.button.on_click(_guarded(self, lambda _b: self.make()))
        note = W.HTML("<small>The name stays in the two files you download; the course does "
                      f"not keep it. Up to {MAX_NAME_CHARS} characters.</small>")
        from ..widgets.a11y import course_access  # keys stay in the widget; Escape leaves; focus ring
        self.view = W.VBox([self.name, note, self.button, self.links, self.preview,
                            self.verdict, course_access()])
        self.view.add_class("course-quiz")

    def make(self) -> dict[str, Any]:
        """Build the record now and put fresh download links on screen."""
        record = learner_record(self.name.value, store=self.store)
        stamp = parse_generated(record["generated"]).strftime("%Y-%m-%d")
        self.links.value = (
            "<p>Your record is ready: "
            + data_link(record_html(record), "text/html", f"course-record-{stamp}.html",
                        "the web page (open it, print it or save it as PDF)")
            + " and "
            + data_link(record_json(record), "application/json", f"course-record-{stamp}.json",
                        "the JSON file (for your instructor)")
            + f". <small>Made {datetime.now().strftime('%H:%M')}.</small></p>")
        self.preview.value = preview_html(record)
        self.verdict.value = ""
        self.record = record
        return record

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.view._repr_mimebundle_(**kwargs)
