"""The first view: every notebook opened in JupyterLab WITHOUT running it is readable.

A fresh clone is untrusted, so JupyterLab shows only safe outputs (sanitised HTML and plain text).
Each lab and quiz cell must then show its "Run this cell" placeholder, and nothing on the page may
be a widget error, a bare ``VBox(...)`` repr or a traceback. Screenshots of each unrun notebook go to
tests/browser/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import time

import nbformat
import pytest

from course_lib.placeholder import run_instruction
from course_lib.syllabus import enabled_notebooks

pytestmark = pytest.mark.browser

ENABLED = enabled_notebooks()
# What a broken first view looks like: an output that IS a widget error or a bare repr, or a traceback.
# (Prose that merely mentions the error, like notebook 00's troubleshooting steps, is fine.)
BROKEN_STARTS = ("Error displaying widget", "Loading widget", "VBox(", "HBox(", "FigureWidget(")
TRACEBACK = "Traceback (most recent call last)"
PLACEHOLDER_START = run_instruction("").split(",")[0]  # "Run this cell"

JS_CELL_TEXTS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  return panel.content.widgets.map(w => w.node.innerText);
}"""

JS_OUTPUT_TEXTS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  return panel.content.widgets.map(w =>
    Array.from(w.node.querySelectorAll('.jp-OutputArea-output')).map(o => o.innerText.trim()));
}"""

JS_READY = """() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  return !!(panel && panel.content && panel.content.widgets.length > 0 && panel.context
            && panel.context.isReady);
}"""


def _lab_and_quiz_cells(path) -> list[int]:
    nb = nbformat.read(path, as_version=4)
    return [i for i, cell in enumerate(nb.cells)
            if {"lab", "quiz"} & set(cell.get("metadata", {}).get("tags", []))]


@pytest.mark.parametrize("entry", ENABLED, ids=[e.id for e in ENABLED])
def test_first_view_shows_placeholders_not_errors(page, lab_server, entry, screenshot_dir):
    url = (f"{lab_server['base']}/lab/workspaces/first-view-{entry.id}/tree/notebooks/{entry.filename}"
           f"?reset&token={lab_server['token']}")
    page.goto(url)
    page.wait_for_function(JS_READY, timeout=90_000)
    time.sleep(2.0)  # let the output renderers finish (nothing is executed)
    texts = page.evaluate(JS_CELL_TEXTS)
    nb = nbformat.read(entry.path, as_version=4)
    assert len(texts) == len(nb.cells)

    missing = [i + 1 for i in _lab_and_quiz_cells(entry.path) if PLACEHOLDER_START not in texts[i]]
    assert not missing, f"cells without a visible 'Run this cell' placeholder: {missing}"
    outputs = page.evaluate(JS_OUTPUT_TEXTS)
    broken = [(i + 1, text[:80]) for i, cell_outputs in enumerate(outputs) for text in cell_outputs
              if text.startswith(BROKEN_STARTS) or TRACEBACK in text]
    assert not broken, f"broken outputs visible before anything was run: {broken}"
    assert all(cell.get("execution_count") for cell in nb.cells if cell.cell_type == "code"), \
        "the committed notebook should be executed (counts 1..N)"

    page.screenshot(path=str(screenshot_dir / f"{entry.id}-first-view-top.png"))
    cells = page.locator(".jp-Notebook .jp-Cell")
    for index in _lab_and_quiz_cells(entry.path)[:3]:
        cells.nth(index).scroll_into_view_if_needed()
        cells.nth(index).screenshot(path=str(screenshot_dir / f"{entry.id}-first-view-cell{index + 1:02d}.png"))
