"""The course's figures in a real JupyterLab: plotly sent once, plots that fit, follow the theme, are named.

One notebook with three labs (02) is run once for the whole module at 1024x768 with the file
browser open (the narrow case a laptop learner meets), with a Chrome DevTools Protocol session
counting every byte the kernel's WebSocket delivers. The tests then look at that page in order:
bytes, rendering and sliders, width, names and descriptions, toolbar, dark theme, a re-run cell,
a kernel restart and rerun. The bytes sent are written to tests/browser/screenshots/figure-metrics.json;
slider-to-plot latency is measured by benchmarks/browser_bench.py (timing is not a pass/fail matter).
"""

from __future__ import annotations

import base64
import json
import time

import pytest

from course_lib.figures.figure_widget import compressed_bundle
from course_lib.syllabus import enabled_notebooks

from .jupyter import (
    contrast,
    luminance,
    lab_cell_indices,
    move_slider_and_wait_for_plot_change,
    open_notebook,
    restart_and_run_all,
    run_all,
    screenshot,
)

pytestmark = pytest.mark.browser

NOTEBOOK_ID = "02_how_neuropathic_pain_develops"
MAX_BYTES_PER_NOTEBOOK = 6_000_000  # DESIGN.md performance budget
VIEWPORT = {"width": 1024, "height": 768}
BUNDLE_BYTES = len(compressed_bundle())  # what the kernel sends: plotly's module, gzip-compressed

JS_FIGURE_FACTS = """(cell) => {
  const fig = cell.querySelector('.course-figure');
  if (!fig) return null;
  const out = fig.closest('.jp-OutputArea-output');
  const svg = fig.querySelector('.main-svg');
  const describedBy = fig.getAttribute('aria-describedby');
  const description = describedBy ? document.getElementById(describedBy) : null;
  const rect = (el) => { if (!el) return null; const r = el.getBoundingClientRect();
                         return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; };
  return {
    output: rect(out), figure: rect(fig), svg: rect(svg),
    scrollWidth: fig.scrollWidth, clientWidth: fig.clientWidth,
    role: fig.getAttribute('role'), label: fig.getAttribute('aria-label'),
    title: (fig.querySelector('.gtitle') || {}).textContent || '',
    describedBy, descriptionText: description ? description.textContent : null,
    descriptionColor: description ? getComputedStyle(description).color : null,
    buttons: Array.from(fig.querySelectorAll('.modebar-btn')).map(b => b.getAttribute('aria-label') || ''),
    logo: fig.querySelectorAll('.modebar-btn--logo, a[href*="plot.ly"], a[href*="plotly.com"]').length,
    modebar: rect(fig.querySelector('.modebar')), titleRect: rect(fig.querySelector('.gtitle')),
  };
}"""

JS_COLOURS = """(cell) => {
  const fig = cell.querySelector('.course-figure');
  const title = fig.querySelector('.gtitle') || fig.querySelector('.xtick text');
  return {
    background: getComputedStyle(fig.querySelector('.svg-container')).backgroundColor,
    plotArea: getComputedStyle(fig.querySelector('rect.bg')).fill,
    text: getComputedStyle(title).fill,
  };
}"""


class SocketMeter:
    """Counts the bytes of every WebSocket frame the page receives (CDP Network domain)."""

    def __init__(self, context, page):
        self.frames: list[int] = []
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.on("Network.webSocketFrameReceived", self._on_frame)

    def _on_frame(self, params) -> None:
        response = params["response"]
        payload = response.get("payloadData", "")
        size = len(base64.b64decode(payload)) if response.get("opcode") == 2 else len(payload.encode())
        self.frames.append(size)

    def mark(self) -> int:
        return len(self.frames)

    def since(self, mark: int) -> list[int]:
        return self.frames[mark:]


@pytest.fixture(scope="module")
def notebook_page(browser, lab_server, screenshot_dir):
    """Notebook 02 after Run All in a new kernel, at 1024x768 with the file browser open."""
    entry = next(e for e in enabled_notebooks() if e.id == NOTEBOOK_ID)
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    page = context.new_page()
    meter = SocketMeter(context, page)
    open_notebook(page, lab_server, entry)
    page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:activate')")
    start = meter.mark()
    state = run_all(page)
    assert state["errors"] == [], f"error output in the browser: {state['errors']}"
    cells = page.locator(".jp-Notebook .jp-Cell")
    labs = lab_cell_indices(entry.path)
    for index in labs:
        cells.nth(index).locator(".course-figure .main-svg").first.wait_for(timeout=60_000)
    time.sleep(1.0)  # the last trace updates after the plots appear
    metrics = {"run_all_ws_bytes": sum(meter.since(start)), "bundle_bytes": BUNDLE_BYTES}
    yield {"page": page, "meter": meter, "cells": cells, "labs": labs, "entry": entry,
           "run_all_frames": meter.since(start), "metrics": metrics}
    (screenshot_dir / "figure-metrics.json").write_text(json.dumps(metrics, indent=2))
    context.close()


def test_plotly_reaches_the_page_once(notebook_page):
    frames = notebook_page["run_all_frames"]
    carrying_plotly = [size for size in frames if size >= BUNDLE_BYTES]
    assert len(carrying_plotly) == 1, f"frames of plotly's size: {carrying_plotly}"
    assert sum(frames) <= MAX_BYTES_PER_NOTEBOOK, f"Run All sent {sum(frames)} bytes"


def test_every_lab_plot_renders_and_follows_its_slider(notebook_page):
    page, cells = notebook_page["page"], notebook_page["cells"]
    for index in notebook_page["labs"]:
        cell = cells.nth(index)
        cell.scroll_into_view_if_needed()
        assert cell.locator(".course-figure.js-plotly-plot .main-svg").count() >= 1
        assert cell.locator(".widget-slider .noUi-handle").count(), f"lab in cell {index + 1} has no slider"
        assert move_slider_and_wait_for_plot_change(page, cell), f"cell {index + 1}: plot did not change"


def test_figures_fit_their_output_area_with_the_sidebar_open(notebook_page, screenshot_dir):
    page, cells = notebook_page["page"], notebook_page["cells"]
    assert page.locator("#filebrowser").is_visible(), "the file browser should be open for this check"
    for index in notebook_page["labs"]:
        cell = cells.nth(index)
        facts = cell.evaluate(JS_FIGURE_FACTS)
        output, figure, svg = facts["output"], facts["figure"], facts["svg"]
        assert output["width"] < 700, "the output area should be narrower than plotly's old fixed width"
        assert figure["right"] <= output["right"] + 1 and svg["width"] <= figure["width"] + 1, facts
        assert facts["scrollWidth"] <= facts["clientWidth"] + 1, f"cell {index + 1}: the plot is cut off"
        cell.locator(".course-figure").scroll_into_view_if_needed()
        screenshot(page, screenshot_dir / f"figures-1024x768-light-cell{index + 1:02d}.png")


def test_figures_follow_their_output_area_down_to_480_px(notebook_page, screenshot_dir):
    page, cells = notebook_page["page"], notebook_page["cells"]
    first = cells.nth(notebook_page["labs"][0])
    wide = first.evaluate(JS_FIGURE_FACTS)["output"]["width"]
    narrower = VIEWPORT["width"] - round(wide - 480)  # the output area shrinks with the window
    page.set_viewport_size({"width": narrower, "height": VIEWPORT["height"]})
    try:
        page.wait_for_function(
            "(cell) => { const f = cell.querySelector('.course-figure');"
            " const svg = f && f.querySelector('.main-svg');"
            " return svg && Math.abs(svg.getBoundingClientRect().width - f.clientWidth) <= 1"
            " && f.closest('.jp-OutputArea-output').getBoundingClientRect().width < 500; }",
            arg=first.element_handle(), timeout=15_000,
        )
        for index in notebook_page["labs"]:
            facts = cells.nth(index).evaluate(JS_FIGURE_FACTS)
            assert facts["output"]["width"] < 500, facts["output"]
            assert abs(facts["svg"]["width"] - facts["clientWidth"]) <= 1, f"cell {index + 1} did not follow: {facts}"
            assert facts["scrollWidth"] <= facts["clientWidth"] + 1
        first.locator(".course-figure").scroll_into_view_if_needed()
        screenshot(page, screenshot_dir / "figures-480px-output-light.png")
    finally:
        page.set_viewport_size(VIEWPORT)


def test_figures_are_named_described_and_have_a_small_toolbar(notebook_page):
    for index in notebook_page["labs"]:
        facts = notebook_page["cells"].nth(index).evaluate(JS_FIGURE_FACTS)
        assert facts["role"] == "figure" and facts["label"] and facts["label"] != "Interactive chart", facts
        if facts["title"]:
            assert facts["label"] == facts["title"]
        assert facts["descriptionText"] and facts["descriptionText"].startswith("Figure description:"), facts
        assert facts["buttons"] and len(facts["buttons"]) <= 3 and all(facts["buttons"]), facts["buttons"]
        assert facts["logo"] == 0
        toolbar, title = facts["modebar"], facts["titleRect"]
        if toolbar and title:
            overlaps = not (toolbar["bottom"] <= title["top"] or title["bottom"] <= toolbar["top"]
                            or toolbar["right"] <= title["left"] or title["right"] <= toolbar["left"])
            assert not overlaps, f"cell {index + 1}: the toolbar covers the title: {toolbar} {title}"


def test_dark_theme_gives_dark_plots_with_readable_text(notebook_page, screenshot_dir):
    page, cells = notebook_page["page"], notebook_page["cells"]
    page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})")
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'", timeout=30_000)
    page.wait_for_function("() => !document.body.classList.contains('jp-mod-themeLoading')", timeout=30_000)
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    try:
        for index in notebook_page["labs"]:
            cell = cells.nth(index)
            colours = cell.evaluate(JS_COLOURS)
            assert luminance(colours["background"]) < 0.05, colours
            assert luminance(colours["plotArea"]) < 0.05, colours
            assert contrast(colours["text"], colours["background"]) >= 4.5, colours
            facts = cell.evaluate(JS_FIGURE_FACTS)
            assert contrast(facts["descriptionColor"], colours["background"]) >= 4.5, facts
            cell.locator(".course-figure").scroll_into_view_if_needed()
            screenshot(page, screenshot_dir / f"figures-1024x768-dark-cell{index + 1:02d}.png")
    finally:
        page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Light'})")
        page.wait_for_function("() => document.body.dataset.jpThemeLight === 'true'", timeout=30_000)
    colours = cells.nth(notebook_page["labs"][0]).evaluate(JS_COLOURS)
    assert luminance(colours["background"]) > 0.8, f"back in the light theme: {colours}"


def test_rerunning_a_lab_cell_sends_no_second_copy_of_plotly(notebook_page):
    page, cells, meter = notebook_page["page"], notebook_page["cells"], notebook_page["meter"]
    index = notebook_page["labs"][0]
    cell = cells.nth(index)
    cell.scroll_into_view_if_needed()
    mark = meter.mark()
    cell.locator(".jp-InputArea-editor").click()
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-cell')")
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=60_000)
    cell.locator(".course-figure .main-svg").first.wait_for(timeout=60_000)
    sent = sum(meter.since(mark))
    notebook_page["metrics"]["rerun_one_lab_ws_bytes"] = sent
    assert sent < BUNDLE_BYTES / 4, f"re-running one lab sent {sent} bytes"


def test_kernel_restart_and_rerun_sends_plotly_once_more_and_redraws(notebook_page):
    # a new kernel cannot know what the page holds, so it sends plotly once again (once, not per figure)
    page, meter = notebook_page["page"], notebook_page["meter"]
    mark = meter.mark()
    state = restart_and_run_all(page)
    assert state["errors"] == [], state["errors"]
    cells = page.locator(".jp-Notebook .jp-Cell")
    for index in notebook_page["labs"]:
        cells.nth(index).locator(".course-figure .main-svg").first.wait_for(timeout=60_000)
        assert move_slider_and_wait_for_plot_change(page, cells.nth(index)), f"cell {index + 1} after restart"
    frames = meter.since(mark)
    notebook_page["metrics"]["restart_run_all_ws_bytes"] = sum(frames)
    assert sum(1 for size in frames if size >= BUNDLE_BYTES) == 1
