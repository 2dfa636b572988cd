"""Every notebook in the course map, run in a real JupyterLab in headless Chromium.

For each notebook: open it in a new kernel and run all cells; then assert no error output, every ipywidget
rendered (no "Error displaying widget", no text fallback), a plotly figure in every cell tagged "lab",
and, for every lab with a slider, that moving the slider with the keyboard changes the plot.
Screenshots go to tests/browser/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request

import nbformat
import pytest

from course_lib.syllabus import enabled_notebooks

pytestmark = pytest.mark.browser

ENABLED = enabled_notebooks()
RUN_TIMEOUT_S = 240
TEXT_FALLBACKS = ("Error displaying widget", "VBox(children=", "FigureWidget({", "HBox(children=")

# JavaScript run in the page. `window.jupyterapp` exists because the server runs with
# --expose-app-in-browser.
JS_NOTEBOOK_READY = """() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  return !!(panel && panel.content && panel.sessionContext && panel.sessionContext.session
            && panel.sessionContext.session.kernel && panel.content.widgets.length > 0);
}"""

JS_RUN_STATE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = panel.content.widgets.map(w => w.model).filter(m => m.type === 'code');
  const errors = [];
  cells.forEach((m, i) => {
    for (const out of m.outputs.toJSON()) {
      if (out.output_type === 'error') errors.push(`cell ${i + 1}: ${out.ename}: ${out.evalue}`);
      if (out.output_type === 'stream' && out.name === 'stderr' && String(out.text).includes('Traceback'))
        errors.push(`cell ${i + 1}: traceback on stderr`);
    }
  });
  return {
    status: kernel ? kernel.status : 'none',
    done: cells.filter(m => m.executionCount !== null).length,
    total: cells.length,
    errors,
  };
}"""

JS_PLOT_DATA = """(cell) => {
  const plot = cell.querySelector('.js-plotly-plot');
  if (!plot || !plot.data) return null;
  return JSON.stringify(plot.data.map(t => [t.x ? Array.from(t.x) : [], t.y ? Array.from(t.y) : []]));
}"""

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


def open_and_run_all(browser, lab_server, entry):
    """A new 1280x1600 page with ``entry`` opened in a new kernel and run (Run All), with no error
    output; returns ``(context, page)``: close the context when done."""
    context = browser.new_context(viewport={"width": 1280, "height": 1600}, device_scale_factor=1)
    page = context.new_page()
    _open_notebook(page, lab_server, entry)
    state = _run_all(page)
    assert not state["errors"], state["errors"]
    return context, page


def _lab_cell_indices(path) -> list[int]:
    """Indices (among all cells) of the cells tagged "lab": each must show a plotly figure."""
    nb = nbformat.read(path, as_version=4)
    return [i for i, cell in enumerate(nb.cells) if "lab" in cell.get("metadata", {}).get("tags", [])]


def _widget_output_count(path) -> int:
    """How many live widgets Run All must render: one per cell tagged lab or quiz.

    (Stored outputs keep only the first-view placeholders, so they cannot be counted instead.)
    """
    nb = nbformat.read(path, as_version=4)
    return sum(1 for cell in nb.cells if {"lab", "quiz"} & set(cell.get("metadata", {}).get("tags", [])))


def _shut_down_sessions(lab_server, path: str) -> None:
    """Shut down every kernel session the server holds for the notebook at ``path``.

    JupyterLab reuses a notebook's running session when the notebook is opened again: without this,
    a page would join a kernel that an earlier test's page started (and left in any state).
    """
    api = f"{lab_server['base']}/api/sessions"
    with urllib.request.urlopen(f"{api}?token={lab_server['token']}", timeout=10) as response:
        sessions = json.load(response)
    for session in sessions:
        if session.get("path") == path:
            request = urllib.request.Request(f"{api}/{session['id']}?token={lab_server['token']}",
                                             method="DELETE")
            urllib.request.urlopen(request, timeout=30).close()


def _open_notebook(page, lab_server, entry):
    """Open ``entry`` in a new kernel (any earlier session of it is shut down first)."""
    _shut_down_sessions(lab_server, f"notebooks/{entry.filename}")
    url = (
        f"{lab_server['base']}/lab/workspaces/test-{entry.id}/tree/notebooks/{entry.filename}"
        f"?reset&token={lab_server['token']}"
    )
    page.goto(url)
    page.wait_for_function(JS_NOTEBOOK_READY, timeout=90_000)
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=90_000)


def _run_all(page) -> dict:
    """Run All in the new kernel the notebook was opened with (a learner's first Run All).

    What a test needs from "the notebook after a run" without Restart: after a restart JupyterLab
    asks the new kernel for every widget's state while Run All is already creating them, and on a
    page that has not drawn a plot yet that race can cost plotly's bundle a second trip (see
    figure_widget.py), which on a loaded machine has taken longer than a test waits. The restart
    itself is covered by test_figures_in_browser.
    """
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    return _wait_for_run(page)


def _wait_for_run(page) -> dict:
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while True:
        state = page.evaluate(JS_RUN_STATE)
        if state["errors"]:
            return state
        if state["total"] and state["done"] == state["total"] and state["status"] == "idle":
            return state
        if time.monotonic() > deadline:
            pytest.fail(f"notebook did not finish running in {RUN_TIMEOUT_S} s: {state}")
        time.sleep(0.5)


def _restart_and_run_all(page):
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:restart-run-all'); }")
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    accept.wait_for(timeout=30_000)
    accept.click()
    return _wait_for_run(page)


def _move_slider_and_wait_for_plot_change(page, cell) -> bool:
    handle = cell.locator(".widget-slider .noUi-handle").first
    before = cell.evaluate(JS_PLOT_DATA)
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if cell.evaluate(JS_PLOT_DATA) != before:
            return True
        time.sleep(0.25)
    return False


@pytest.mark.parametrize("entry", ENABLED, ids=[e.id for e in ENABLED])
def test_notebook_runs_and_renders_in_jupyterlab(page, lab_server, entry, screenshot_dir, record_timing):
    _open_notebook(page, lab_server, entry)
    started = time.monotonic()
    state = _run_all(page)
    record_timing(entry.id, time.monotonic() - started)
    page.screenshot(path=str(screenshot_dir / f"{entry.id}-top.png"))
    assert state["errors"] == [], f"error output in the browser: {state['errors']}"

    # a widget that failed to render shows as an error box or as its text/plain repr
    rendered_outputs = page.locator(
        '.jp-OutputArea-output[data-mime-type="text/plain"], '
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.widget-view+json"]'
    ).all_inner_texts()
    for fallback in TEXT_FALLBACKS:
        offending = [text[:120] for text in rendered_outputs if fallback in text]
        assert not offending, f"a widget did not render: found {fallback!r} in {offending}"

    # every widget output rendered as a live widget
    expected_widgets = _widget_output_count(entry.path)
    page.wait_for_function(
        "(n) => document.querySelectorAll('.jp-OutputArea-output .jupyter-widgets, "
        ".jp-OutputArea-output .widget-box').length >= n",
        arg=expected_widgets,
        timeout=30_000,
    )

    cells = page.locator(".jp-Notebook .jp-Cell")
    for index in _lab_cell_indices(entry.path):
        cell = cells.nth(index)
        cell.scroll_into_view_if_needed()
        try:
            cell.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=60_000)  # slow under load
        except Exception as timeout:
            cell.screenshot(path=str(screenshot_dir / f"{entry.id}-cell{index + 1:02d}-no-plot.png"))
            state = cell.evaluate(JS_FIGURE_STATE)
            problems = getattr(page, "console_problems", [])[-15:]
            raise AssertionError(f"cell {index + 1}: no plot drawn in 60 s; figure {state}; "
                                 f"browser console: {problems}") from timeout
        if cell.locator(".widget-slider .noUi-handle").count():
            assert _move_slider_and_wait_for_plot_change(page, cell), (
                f"moving the first slider in cell {index + 1} did not change the plot"
            )
            time.sleep(0.5)  # let plotly finish drawing before the screenshot
            assert cell.evaluate(JS_BROKEN_TRACES) == [], f"cell {index + 1}: traces lost data"
        cell.screenshot(path=str(screenshot_dir / f"{entry.id}-cell{index + 1:02d}.png"))

    notebook = nbformat.read(entry.path, as_version=4)
    quiz_cells = [i for i, c in enumerate(notebook.cells) if "quiz" in _tags(c)]
    for index in quiz_cells:
        cell = cells.nth(index)
        cell.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / f"{entry.id}-cell{index + 1:02d}-quiz.png"))
    checkable = [i for i in quiz_cells if cells.nth(i).get_by_role("button", name="Check").count()]
    if quiz_cells:
        assert checkable, "no quiz cell with a Check button"
        _answer_a_question_in_the_browser(cells.nth(checkable[0]))
    for index in [i for i, c in enumerate(notebook.cells) if "browser-observe" in _tags(c)]:
        next_lab = next(i for i in _lab_cell_indices(entry.path) if i > index)
        _predict_then_observe(page, cells.nth(index), cells.nth(next_lab))
        page.screenshot(path=str(screenshot_dir / f"{entry.id}-cell{index + 1:02d}-predict-observed.png"))


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _predict_then_observe(page, predict_cell, lab_cell):
    """Lock in a prediction, push the lab's first slider to its end, and see the comparison appear."""
    predict_cell.scroll_into_view_if_needed()
    predict_cell.locator(".widget-radio-box input[type=radio]").first.check()
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
