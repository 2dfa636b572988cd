"""Driving JupyterLab in the browser tests: open a notebook in a new kernel, Run All, wait for it, switch
the theme, wait for frames. One home for what several browser test modules (and their shared
``notebook`` fixture in conftest.py) do to a page."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from contextlib import contextmanager

import nbformat
import pytest

RUN_TIMEOUT_S = 240

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
    kernel_id: kernel ? kernel.id : null,
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

# Problems with the words of one drawn plotly figure (`plot`, its .js-plotly-plot element): a title, axis
# title, annotation, legend entry or point label that overlaps another or a tick label, a legend row
# closer than LEGEND_GAP_PX to an axis title (touching, the two read as one line of words), an axis title
# across a plotting area, or text cut by the figure's edge. [] when the words keep apart. Used on the
# notebooks' outputs (test_contrast_and_reflow) and on the Explore edition's labs on a phone.
LEGEND_GAP_PX = 4
JS_FIGURE_WORD_PROBLEMS = r"""(plot) => {
  const LEGEND_GAP_PX = %d;
  const problems = [];
  const svg = plot.querySelector('.main-svg');
  if (!svg) return problems;
  const box = svg.getBoundingClientRect();
  const visible = (el) => { const s = getComputedStyle(el); const r = el.getBoundingClientRect();
    return s.display !== 'none' && s.visibility !== 'hidden' && (r.width > 0 || r.height > 0); };
  const texts = [];
  const add = (selector, kind) => plot.querySelectorAll(selector).forEach((t) => {
    if (!visible(t) || !t.textContent.trim()) return;
    const r = t.getBoundingClientRect();
    if (r.left < box.left - 1 || r.right > box.right + 1) problems.push(`text "${t.textContent.trim().slice(0, 40)}" is cut by the figure's edge`);
    texts.push({kind, text: t.textContent.trim().slice(0, 40), r});
  });
  add('.g-gtitle text', 'title');
  add('.infolayer g[class^="g-x"] text, .infolayer g[class^="g-y"] text', 'axis title');
  add('.annotation-text-g text', 'annotation');
  add('.legend .legendtext', 'legend');
  add('.textpoint text', 'point label');
  const ticks = [];
  plot.querySelectorAll('g[class$="tick"] text').forEach((t) => {  // xtick, ytick, y2tick, ...
    if (visible(t) && t.textContent.trim()) ticks.push({kind: 'tick', text: t.textContent.trim(), r: t.getBoundingClientRect()});
  });
  // boxes overlap by more than `by` px both ways (a negative `by` asks for that much room between them)
  const overlap = (a, b, by = 2) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > by
                                    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > by;
  const room = (a, b) => ((a.kind === 'legend' && b.kind === 'axis title')
                          || (a.kind === 'axis title' && b.kind === 'legend')) ? -LEGEND_GAP_PX : 2;
  const seen = new Set();
  for (let i = 0; i < texts.length; i++) {
    for (const other of [...texts.slice(i + 1), ...ticks]) {
      if (overlap(texts[i].r, other.r, room(texts[i], other))) {
        const key = `${texts[i].text}|${other.text}`;
        if (!seen.has(key)) problems.push(`${texts[i].kind} "${texts[i].text}" overlaps ${other.kind} "${other.text}"`
                                          + (room(texts[i], other) < 0 ? ` (or is within ${LEGEND_GAP_PX} px of it)` : ''));
        seen.add(key);
      }
    }
  }
  const areas = Array.from(plot.querySelectorAll('.nsewdrag')).map((d) => d.getBoundingClientRect());
  for (const t of texts.filter((t) => t.kind === 'axis title')) {
    if (areas.some((a) => overlap(t.r, a))) problems.push(`axis title "${t.text}" lies across a plotting area`);
  }
  return problems;
}""" % LEGEND_GAP_PX


def lab_cell_indices(path) -> list[int]:
    """Indices (among all cells) of the cells tagged "lab": each must show a plotly figure."""
    nb = nbformat.read(path, as_version=4)
    return [i for i, cell in enumerate(nb.cells) if "lab" in cell.get("metadata", {}).get("tags", [])]


def widget_output_count(path) -> int:
    """How many live widgets Run All must render: one per cell tagged lab or quiz.

    (Stored outputs keep only the first-view placeholders, so they cannot be counted instead.)
    """
    nb = nbformat.read(path, as_version=4)
    return sum(1 for cell in nb.cells if {"lab", "quiz"} & set(cell.get("metadata", {}).get("tags", [])))


def shut_down_sessions(lab_server, path: str) -> None:
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


def open_notebook(page, lab_server, entry):
    """Open ``entry`` in a new kernel (any earlier session of it is shut down first)."""
    shut_down_sessions(lab_server, f"notebooks/{entry.filename}")
    url = (
        f"{lab_server['base']}/lab/workspaces/test-{entry.id}/tree/notebooks/{entry.filename}"
        f"?reset&token={lab_server['token']}"
    )
    page.goto(url)
    page.wait_for_function(JS_NOTEBOOK_READY, timeout=90_000)
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=90_000)


def run_all(page) -> dict:
    """Run All in the new kernel the notebook was opened with (a learner's first Run All).

    What a test needs from "the notebook after a run" without Restart: after a restart JupyterLab
    asks the new kernel for every widget's state while Run All is already creating them, and on a
    page that has not drawn a plot yet that race can cost plotly's bundle a second trip (see
    figure_widget.py), which on a loaded machine has taken longer than a test waits. The restart
    itself is covered by test_figures_in_browser.
    """
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    return wait_for_run(page)


def wait_for_run(page) -> dict:
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


def restart_and_run_all(page):
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:restart-run-all'); }")
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    accept.wait_for(timeout=30_000)
    accept.click()
    return wait_for_run(page)


def move_slider_and_wait_for_plot_change(page, cell) -> bool:
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


def set_theme(page, theme: str) -> None:
    page.evaluate("(t) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})", theme)
    page.wait_for_selector(f'body[data-jp-theme-name="{theme}"]', state="attached", timeout=30_000)
    page.wait_for_function("() => !document.body.classList.contains('jp-mod-themeLoading')", timeout=30_000)
    # the theme's colours are CSS variables: once the notebook's background has the theme's
    # lightness, figures and widgets (styled from the same variables) have it too
    page.wait_for_function(
        """(dark) => {
          const c = getComputedStyle(document.body).getPropertyValue('--jp-layout-color0').trim();
          const probe = document.createElement('div');
          probe.style.color = c; document.body.appendChild(probe);
          const [r, g, b] = getComputedStyle(probe).color.match(/[\\d.]+/g).map(Number);
          probe.remove();
          return ((r + g + b) / 3 < 128) === dark;
        }""", arg="Dark" in theme, timeout=30_000)
    next_frames(page)


def screenshot(target, path) -> None:
    """Save a picture of ``target`` (a page or a locator) for a person to look at. The text caret is
    left as it is: hiding it (playwright's default) restyles the whole page twice, which on a run
    notebook of about 10,000 elements took 0.2 s a picture instead of 0.12 s (chromium CPU, 06)."""
    target.screenshot(path=str(path), caret="initial")


def as_first_opened(page) -> None:
    """Put a shared notebook page back to how it opened (1280 x 1600, light theme, no sidebar), for a
    test that reads the shared run after tests that narrowed the window or opened the file browser."""
    page.set_viewport_size({"width": 1280, "height": 1600})
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    set_theme(page, "JupyterLab Light")


def next_frames(page, frames: int = 2) -> None:
    """Return after the browser has painted ``frames`` more frames (layout and styles applied)."""
    page.evaluate("(n) => new Promise((done) => { const step = (k) => k ? requestAnimationFrame("
                  "() => step(k - 1)) : done(); step(n); })", frames)


def wait_until(predicate, timeout_s: float = 20.0, step_s: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step_s)
    return False


def course_cells(page) -> list[int]:
    """Indices of the cells whose output holds a course widget."""
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'))"
        ".map((c, i) => c.querySelector('.jp-OutputArea-output .jupyter-widgets') ? i : -1).filter(i => i >= 0)")


def turn_off_autosave(lab_server) -> None:
    """A notebook stays open here for minutes: JupyterLab's autosave (every 120 s) would write the
    run outputs over the committed notebook in the repository. The setting goes to the test
    server's own settings directory, never to the user's."""
    url = (f"{lab_server['base']}/lab/api/settings/@jupyterlab/docmanager-extension:plugin"
           f"?token={lab_server['token']}")
    body = json.dumps({"raw": json.dumps({"autosave": False})}).encode()
    request = urllib.request.Request(url, data=body, method="PUT",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status in (200, 204), f"could not turn autosave off: HTTP {response.status}"


def keep_console_problems(page):
    """``page`` with ``page.console_problems``: the browser's own errors and warnings, for failure
    messages (a plot that never draws says why here)."""
    page.console_problems = []
    page.on("console", lambda m: m.type in ("error", "warning") and page.console_problems.append(
        f"{m.type}: {m.text[:300]}"))
    page.on("pageerror", lambda e: page.console_problems.append(f"pageerror: {str(e)[:300]}"))
    return page


@contextmanager
def notebook_page(browser, lab_server, entry, before_run=None):
    """A notebook opened and run (Run All, no error output) in its own page; its kernel is shut
    down and its page closed afterwards. For fixtures that several tests read. ``before_run(page)``,
    if given, is called on the opened notebook before anything runs (its first view)."""
    turn_off_autosave(lab_server)
    context = browser.new_context(viewport={"width": 1280, "height": 1600}, device_scale_factor=1)
    page = keep_console_problems(context.new_page())
    try:
        open_notebook(page, lab_server, entry)
        if before_run is not None:
            before_run(page)
        state = run_all(page)
        assert state["errors"] == [], f"error output in the browser: {state['errors']}"
        yield page
    finally:
        try:
            page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
        finally:
            context.close()


# axe-core's colour-contrast rule first maps every element of the page onto a grid of screen
# positions (axe-core 4.12: one TreeWalker from document.body, its only use of createTreeWalker), to
# find what lies behind each piece of text. On a run notebook that is about 10,000 elements, most of
# them other cells' plots: about 0.85 s per run, whatever the run checks. Notebook cells are stacked
# one below the other and never overlap, so nothing in another cell can be behind or in front of the
# output under check; while ``skip_other_cells`` is set, the walker leaves out every cell that holds
# none of the checked elements. Same results, measured on every output of every notebook in both
# themes; 06's 16 outputs x 2 themes 34.5 s -> 19.1 s. The accessibility test also checks one output
# per notebook with a plain run and fails if the findings differ (a guard for a later axe-core).
# Installed once per page; ``window.__courseAxeKeep`` (the checked elements) is set only during a run.
JS_CELL_SKIPPING_WALKER = """() => {
  if (window.__courseAxeWalker) return;
  window.__courseAxeWalker = true;
  const original = document.createTreeWalker.bind(document);
  const skip = {acceptNode: (node) => {
    const keep = window.__courseAxeKeep;
    return keep && node.classList && node.classList.contains('jp-Cell') && !keep.some((k) => node.contains(k))
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
  }};
  document.createTreeWalker = (root, what, filter, ...rest) => original(root, what, filter || skip, ...rest);
}"""


def run_axe(page, context=None, options=None, *, skip_other_cells: bool = False) -> dict:
    """axe-core's violations for ``context`` on ``page``. The axe script (about 0.5 MB, shipped by the
    pinned axe-playwright-python) is injected once per page, not once per call as that package's
    ``Axe.run`` does: a notebook's outputs are checked one at a time, in two themes.
    ``skip_other_cells`` (for a context of one notebook output): see JS_CELL_SKIPPING_WALKER."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        from axe_playwright_python.sync_playwright import Axe

        page.evaluate(Axe().axe_script)
        page.evaluate(JS_CELL_SKIPPING_WALKER)
    return page.evaluate(
        """async ([context, options, skip]) => {
          const target = context || document;
          window.__courseAxeKeep = skip && target.include
            ? target.include.flatMap((selectors) => Array.from(document.querySelectorAll(selectors[0]))) : null;
          try { return await axe.run(target, options || {}); } finally { window.__courseAxeKeep = null; }
        }""",
        [context, options or {"resultTypes": ["violations"]}, skip_other_cells])


def _rgb(css: str) -> tuple[float, float, float]:
    parts = re.findall(r"[\d.]+", css)
    if len(parts) < 3:
        raise ValueError(f"not an rgb colour: {css!r}")
    return float(parts[0]), float(parts[1]), float(parts[2])


def luminance(css: str) -> float:
    """WCAG 2.2 relative luminance of a CSS rgb()/rgba() colour (its alpha is ignored)."""
    def channel(value: float) -> float:
        c = value / 255.0
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(css))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two CSS colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
