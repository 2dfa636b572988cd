"""Every notebook in the course map, run in a real JupyterLab in headless Chromium.

For each notebook: open it in a new kernel and run all cells; then assert no error output, every ipywidget
rendered (no "Error displaying widget", no text fallback), a plotly figure in every cell tagged "lab",
and, for every lab with a slider, that moving the slider with the keyboard changes the plot.
Screenshots go to tests/browser/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from .jupyter import (as_first_opened, lab_cell_indices, move_slider_and_wait_for_plot_change, next_frames,
                      screenshot, widget_output_count)

pytestmark = pytest.mark.browser

TEXT_FALLBACKS = ("Error displaying widget", "VBox(children=", "FigureWidget({", "HBox(children=")

# A trace the browser has lost part of: plotly drops a property sent as its "unchanged" placeholder
# (see CourseFigureWidget._send_update_msg), leaving x without y or arrays of different lengths.
JS_BROKEN_TRACES = """(cell) => {
  const plot = cell.querySelector('.js-plotly-plot');
  if (!plot || !plot.data) return ['no plot'];
  const length = (a) => (a === undefined || a === null) ? null : (a.length === undefined ? -1 : a.length);
  return plot.data.map((t, i) => [i, t.type || 'scatter', length(t.x), length(t.y)])
    .filter(([i, type, nx, ny]) => ['scatter', 'scattergl', 'bar'].includes(type)
            && ((nx === null) !== (ny === null) || (nx !== null && nx !== ny)))
    .map(([i, type, nx, ny]) => `trace ${i}: x ${nx}, y ${ny}`);
}"""


# What a course figure that has not drawn looks like (for the failure message).
JS_FIGURE_STATE = """(cell) => {
  const fig = cell.querySelector('.course-figure');
  if (!fig) return {figure: false, widgets: cell.querySelectorAll('.jupyter-widgets').length,
                    text: cell.innerText.slice(0, 200)};
  return {figure: true, width: fig.clientWidth, height: fig.clientHeight, svg: !!fig.querySelector('.main-svg'),
          text: fig.textContent.slice(0, 200), plotly: !!globalThis.Plotly};
}"""


def test_notebook_runs_and_renders_in_jupyterlab(notebook, screenshot_dir):
    # the shared fixture ran the notebook (Run All in a new kernel, no error output, timed); earlier
    # modules may have left the page narrow or dark: back to the size and theme of a first visit
    page, entry = notebook.page, notebook.entry
    as_first_opened(page)
    page.evaluate("() => window.jupyterapp.shell.currentWidget.content.widgets[0].node.scrollIntoView()")
    screenshot(page, screenshot_dir / f"{entry.id}-top.png")

    # a widget that failed to render shows as an error box or as its text/plain repr
    rendered_outputs = page.locator(
        '.jp-OutputArea-output[data-mime-type="text/plain"], '
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.widget-view+json"]'
    ).all_inner_texts()
    for fallback in TEXT_FALLBACKS:
        offending = [text[:120] for text in rendered_outputs if fallback in text]
        assert not offending, f"a widget did not render: found {fallback!r} in {offending}"

    # every widget output rendered as a live widget
    expected_widgets = widget_output_count(entry.path)
    page.wait_for_function(
        "(n) => document.querySelectorAll('.jp-OutputArea-output .jupyter-widgets, "
        ".jp-OutputArea-output .widget-box').length >= n",
        arg=expected_widgets,
        timeout=30_000,
    )

    cells = page.locator(".jp-Notebook .jp-Cell")
    for index in lab_cell_indices(entry.path):
        cell = cells.nth(index)
        cell.scroll_into_view_if_needed()
        try:
            cell.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=60_000)  # slow under load
        except Exception as timeout:
            screenshot(cell, screenshot_dir / f"{entry.id}-cell{index + 1:02d}-no-plot.png")
            state = cell.evaluate(JS_FIGURE_STATE)
            problems = getattr(page, "console_problems", [])[-15:]
            raise AssertionError(f"cell {index + 1}: no plot drawn in 60 s; figure {state}; "
                                 f"browser console: {problems}") from timeout
        if cell.locator(".widget-slider .noUi-handle").count():
            assert move_slider_and_wait_for_plot_change(page, cell), (
                f"moving the first slider in cell {index + 1} did not change the plot"
            )
            next_frames(page, 3)  # plotly has drawn the new data before the screenshot and the check
            assert cell.evaluate(JS_BROKEN_TRACES) == [], f"cell {index + 1}: traces lost data"
        screenshot(cell, screenshot_dir / f"{entry.id}-cell{index + 1:02d}.png")

    notebook = nbformat.read(entry.path, as_version=4)
    quiz_cells = [i for i, c in enumerate(notebook.cells) if "quiz" in _tags(c)]
    for index in quiz_cells:
        cell = cells.nth(index)
        cell.scroll_into_view_if_needed()
        screenshot(page, screenshot_dir / f"{entry.id}-cell{index + 1:02d}-quiz.png")
    checkable = [i for i in quiz_cells if cells.nth(i).get_by_role("button", name="Check").count()]
    if quiz_cells:
        assert checkable, "no quiz cell with a Check button"
        _answer_a_question_in_the_browser(cells.nth(checkable[0]))
    for index in [i for i, c in enumerate(notebook.cells) if "browser-observe" in _tags(c)]:
        next_lab = next(i for i in lab_cell_indices(entry.path) if i > index)
        _predict_then_observe(page, cells.nth(index), cells.nth(next_lab))
        screenshot(page, screenshot_dir / f"{entry.id}-cell{index + 1:02d}-predict-observed.png")


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _predict_then_observe(page, predict_cell, lab_cell):
    """Lock in a prediction, push the lab's first slider to its end, and see the comparison appear."""
    predict_cell.scroll_into_view_if_needed()
    # an earlier test on this page (the keyboard test) may have locked a prediction in already: the
    # choices are then disabled, and the lab's result is still to come
    first_choice = predict_cell.locator(".widget-radio-box input[type=radio]").first
    if first_choice.is_enabled():
        first_choice.check()
        predict_cell.get_by_role("button", name="Lock in my prediction").click()
    lab_cell.scroll_into_view_if_needed()
    lab_cell.locator(".widget-slider .noUi-handle").first.focus()
    page.keyboard.press("End")
    predict_cell.get_by_text(re.compile("Model.s result")).first.wait_for(timeout=30_000)
    predict_cell.scroll_into_view_if_needed()


def _answer_a_question_in_the_browser(cell):
    """Answer the first question of a quiz cell as a learner would, and read the verdict in words."""
    radio = cell.locator(".widget-radio-box input[type=radio]")
    dropdown = cell.locator(".widget-dropdown select")
    if radio.count():
        radio.first.check()
    elif dropdown.count():
        for i in range(dropdown.count()):  # a sorting question grades only when every item is placed
            dropdown.nth(i).select_option(index=1)
    else:
        raise AssertionError("the first quiz cell has no radio or dropdown question to answer")
    cell.get_by_role("button", name="Check").first.click()
    cell.get_by_text(re.compile(r"(Correct|Not quite|Partly right)")).first.wait_for(timeout=15_000)
