"""The first view: every notebook opened in JupyterLab WITHOUT running it is readable.

A fresh clone is untrusted, so JupyterLab shows only safe outputs (sanitised HTML and plain text).
The shared ``notebook`` fixture (conftest.py) looks at each notebook as it opens, before its Run All
(:func:`first_view`). Each lab and quiz cell must then show its "Run this cell" placeholder, and nothing on the page may
be a widget error, a bare ``VBox(...)`` repr or a traceback. Screenshots of each unrun notebook go to
tests/browser/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import nbformat
import pytest

from course_lib.placeholder import PICTURE_CLASS, run_instruction

from .jupyter import screenshot

pytestmark = pytest.mark.browser

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

# Each cell's placeholder pictures as displayed: an <img> the sanitiser kept (its data: URI intact), that
# has loaded and decoded (naturalWidth > 0) and takes room on the page; or an inline <svg> (never expected).
JS_PICTURES = """(cls) => {
  const panel = window.jupyterapp.shell.currentWidget;
  return panel.content.widgets.map(w =>
    Array.from(w.node.querySelectorAll('.jp-OutputArea-output .' + cls + ' img, .jp-OutputArea-output .'
                                       + cls + ' svg')).map(e => {
      const box = e.getBoundingClientRect();
      return {tag: e.tagName.toLowerCase(), data: (e.getAttribute('src') || '').startsWith('data:image/svg+xml'),
              loaded: e.tagName === 'IMG' ? (e.complete && e.naturalWidth > 0) : true,
              width: box.width, height: box.height, alt: e.getAttribute('alt') || ''};
    }));
}"""


def lab_cells(path) -> list[int]:
    nb = nbformat.read(path, as_version=4)
    return [i for i, cell in enumerate(nb.cells) if "lab" in cell.get("metadata", {}).get("tags", [])]


def stored_pictures(path) -> list[int]:
    """Cells whose stored placeholder carries a picture."""
    nb = nbformat.read(path, as_version=4)
    return [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
            and any(PICTURE_CLASS in str(o.get("data", {}).get("text/html", "")) for o in cell.get("outputs", []))]


#: Lab cells whose first view has no picture, on purpose: the mystery neuron's starting figure shows one
#: random hidden change (not the one the learner will meet), so neither words nor a picture of it are stored.
NO_PICTURE_CALLS = ("mystery_neuron(",)


def lab_and_quiz_cells(path) -> list[int]:
    nb = nbformat.read(path, as_version=4)
    return [i for i, cell in enumerate(nb.cells)
            if {"lab", "quiz"} & set(cell.get("metadata", {}).get("tags", []))]


def first_view(page, entry, screenshot_dir) -> dict:
    """What the opened, unrun notebook shows (called by the shared ``notebook`` fixture in conftest.py
    before Run All): each cell's text and output texts; screenshots for a person to look at."""
    # the output renderers have finished (nothing is executed) once every lab and quiz cell shows its
    # placeholder; if one never does, the test names it
    try:
        page.wait_for_function("([cells, words]) => { const w = window.jupyterapp.shell.currentWidget.content.widgets;"
                               " return cells.every(i => w[i] && w[i].node.innerText.includes(words)); }",
                               arg=[lab_and_quiz_cells(entry.path), PLACEHOLDER_START], timeout=20_000)
    except Exception:
        pass
    try:  # the pictures are data: URIs, decoded off the main thread: wait until each has loaded
        page.wait_for_function("(cls) => Array.from(document.querySelectorAll('.' + cls + ' img'))"
                               ".every(i => i.complete && i.naturalWidth > 0)", arg=PICTURE_CLASS, timeout=10_000)
    except Exception:
        pass
    seen = {"texts": page.evaluate(JS_CELL_TEXTS), "outputs": page.evaluate(JS_OUTPUT_TEXTS),
            "pictures": page.evaluate(JS_PICTURES, PICTURE_CLASS),
            "trusted": page.evaluate("() => window.jupyterapp.shell.currentWidget.content.widgets"
                                     ".map(w => w.model.trusted)")}
    screenshot(page, screenshot_dir / f"{entry.id}-first-view-top.png")
    cells = page.locator(".jp-Notebook .jp-Cell")
    for index in sorted(set(lab_and_quiz_cells(entry.path)[:1] + lab_cells(entry.path)[:3])):
        cells.nth(index).scroll_into_view_if_needed()
        screenshot(cells.nth(index), screenshot_dir / f"{entry.id}-first-view-cell{index + 1:02d}.png")
    cells.first.scroll_into_view_if_needed()
    return seen


def test_first_view_shows_placeholders_not_errors(notebook):
    entry, texts, outputs = notebook.entry, notebook.first_view["texts"], notebook.first_view["outputs"]
    nb = nbformat.read(entry.path, as_version=4)
    assert len(texts) == len(nb.cells)

    missing = [i + 1 for i in lab_and_quiz_cells(entry.path) if PLACEHOLDER_START not in texts[i]]
    assert not missing, f"cells without a visible 'Run this cell' placeholder: {missing}"
    broken = [(i + 1, text[:80]) for i, cell_outputs in enumerate(outputs) for text in cell_outputs
              if text.startswith(BROKEN_STARTS) or TRACEBACK in text]
    assert not broken, f"broken outputs visible before anything was run: {broken}"
    assert all(cell.get("execution_count") for cell in nb.cells if cell.cell_type == "code"), \
        "the committed notebook should be executed (counts 1..N)"

    # each lab shows its starting figure as a still picture under the instruction (issue 21 item 7):
    # an <img> of an SVG data: URI, kept by the untrusted notebook's sanitiser, loaded, at a readable size
    pictures = notebook.first_view["pictures"]
    # as a fresh clone opens: untrusted, so only sanitised HTML and safe images are shown
    trust = [notebook.first_view["trusted"][i] for i in lab_cells(entry.path)]
    assert all(t is False for t in trust), f"the lab cells should open untrusted, as in a fresh clone: {trust}"
    expected = [i for i in lab_cells(entry.path) if not nb.cells[i].source.strip().startswith(NO_PICTURE_CALLS)]
    assert set(expected) <= set(stored_pictures(entry.path)), "a lab cell stores no picture: re-execute the notebook"
    shown = [i for i, found in enumerate(pictures)
             if any(p["tag"] == "img" and p["data"] and p["loaded"] and p["width"] >= 300 and p["height"] >= 150
                    and p["alt"].startswith("Still picture") for p in found)]
    assert set(expected) <= set(shown), (f"lab cells without a displayed picture: "
                                         f"{[i + 1 for i in expected if i not in shown]} (seen: "
                                         f"{[(i + 1, pictures[i]) for i in expected if i not in shown]})")
    extra = [i + 1 for i, found in enumerate(pictures) if found and i not in stored_pictures(entry.path)]
    assert not extra, f"pictures in cells that store none: {extra}"
