"""Issue 23 items 3-5 in a real JupyterLab: figure marks readable in both themes, and nothing clipped at 480 px
or colliding in a wide window.

Each notebook of the course map is opened and run once (a module-scoped fixture), then:

* **contrast of plotly marks** (WCAG 2.2 SC 1.4.11, non-text contrast 3:1), in the light and the dark
  theme. Every graphical mark of every course figure is read from the page as drawn
  (``getComputedStyle``: the theme CSS has already recoloured it) and its colour is composited over
  the figure's background with its opacities; the mark passes when its fill or its outline reaches
  3:1 against that background (the outline of a marker alone carries its shape: a light fill with a
  dark edge is as readable as a dark fill). Marks measured: shapes (boxes, event lines), annotation
  arrows and their heads, scatter lines and markers (the icon arrays are markers), bars (a hatched
  bar by its pattern's colours), error bars, and the legend's samples of them. A line has no area, so
  only its stroke counts. Not measured, and counted as exempt:

  - fills that are areas or bands (a scatter's ``fill``, a shape with no outline and a translucent
    fill such as a shaded time window): they are backgrounds behind marks and always sit under
    text or lines that say the same thing; WCAG 1.4.11 asks for the marks needed to understand
    the content, and these are not;
  - markers drawn over a heat map: they are read against the heat map's cells, not the page;
  - marks that are not drawn (hidden, zero size, an empty path).

* **reflow at 480 px** (WCAG 1.4.10): the notebook panel is made 480 px wide (sidebars collapsed; at
  200 % zoom a window about 1,100 px wide gives the notebook this many CSS pixels, and zoom changes
  nothing else about the layout), and every course output is checked: no control or
  readout is clipped (an element with hidden overflow whose content is wider than it, or anything
  reaching outside its output area), no control has shrunk to almost nothing, no figure needs a
  sideways scroll, and in each figure no title, axis title, annotation, legend entry or point label
  (the icon-array lab's drug names) overlaps another or a tick label, nor an axis title a plotting
  area, and no text is cut by the figure's edge. A legend row keeps a few pixels from an
  axis title (touching, the two read as one line of words).

* **the same checks in wide windows** (1280 and 1920 px, no sidebar): a legend below the charts is
  closest to the axis title in a wide figure, where it needs one row and plotly makes no room for more.

* **a resize leaves no trace**: after the window goes to 1024, 700 and 1920 px and back to 1280 px,
  every figure has its height, axis ranges and axis lengths again.

Screenshots (480 px, and the dark theme) go to tests/browser/screenshots/ for a person to look at.
"""

from __future__ import annotations

import pytest

from .jupyter import JS_FIGURE_WORD_PROBLEMS, course_cells, lab_cell_indices, next_frames, screenshot, set_theme

pytestmark = pytest.mark.browser

THEMES = ("JupyterLab Light", "JupyterLab Dark")
MIN_MARK_CONTRAST = 3.0  # WCAG 2.2 SC 1.4.11
NARROW_NOTEBOOK_PX = 480
WIDE_WINDOWS_PX = (1280, 1920)  # a laptop, a desktop monitor

# ----------------------------------------------------------------------------- contrast, in the page

# Returns one record per mark of every plotly figure in the course outputs: its kind, the figure's
# name, the colours as drawn, the background, and the contrast (computed here, in the page, from
# getComputedStyle); plus the exempt marks, counted by reason.
JS_MARK_CONTRAST = r"""() => {
  const parse = (css) => {
    if (!css || css === 'none' || css === 'transparent' || css.startsWith('url')) return null;
    const m = /rgba?\(([^)]+)\)/.exec(css);
    if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (x, y) => { const a = lum(x), b = lum(y); return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); };
  const over = (c, alpha, bg) => ({r: c.r * alpha + bg.r * (1 - alpha), g: c.g * alpha + bg.g * (1 - alpha),
                                   b: c.b * alpha + bg.b * (1 - alpha), a: 1});
  const css = (c) => `rgb(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)})`;
  // the opacity the element is drawn with: its own and every ancestor's up to the figure
  const opacityOf = (el, stop) => {
    let o = 1;
    for (let n = el; n && n !== stop; n = n.parentElement) o *= parseFloat(getComputedStyle(n).opacity);
    return o;
  };
  const background = (plot) => {
    for (let n = plot.querySelector('.svg-container') || plot; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a === 1) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const KINDS = [
    ['.shapelayer path', 'shape'],
    ['.annotation-arrow-g path', 'arrow'],
    ['.scatterlayer path.js-line', 'line'],
    ['.scatterlayer path.point', 'marker'],
    ['.barlayer path', 'bar'],
    ['.errorbar path', 'error bar'],
    ['.legendlines path', 'legend line'],
    ['.legendpoints path', 'legend marker'],
  ];
  const marks = [], exempt = {};
  const skip = (why) => { exempt[why] = (exempt[why] || 0) + 1; };
  const plots = Array.from(document.querySelectorAll('.jp-OutputArea-output .js-plotly-plot'));
  plots.forEach((plot, figureIndex) => {
    const cell = plot.closest('.jp-Cell');
    const cellIndex = Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell')).indexOf(cell);
    const title = (plot.querySelector('.gtitle') || {}).textContent || plot.getAttribute('aria-label') || '';
    const bg = background(plot);
    for (const [selector, kind] of KINDS) {
      for (const el of plot.querySelectorAll(selector)) {
        const s = getComputedStyle(el);
        const d = el.getAttribute('d') || '';
        const box = el.getBoundingClientRect();
        if (s.display === 'none' || s.visibility === 'hidden' || !d || d === 'M0,0Z'
            || (box.width < 0.5 && box.height < 0.5)) { skip('not drawn'); continue; }
        const opacity = opacityOf(el, plot);
        if (opacity === 0) { skip('not drawn'); continue; }
        if (kind === 'marker' && el.closest('.subplot') && el.closest('.subplot').querySelector('.heatmaplayer .hm')) {
          skip('marker over a heat map'); continue;
        }
        const width = parseFloat(s.strokeWidth) || 0;
        const stroke = parse(s.stroke);
        // a pattern fill (hatched bars) is read by its drawn parts: the pattern's own background
        // and its hatching, whichever contrasts more
        let fill = parse(s.fill), fillOpacity = parseFloat(s.fillOpacity);
        if (s.fill.startsWith('url')) {
          const id = /url\(["']?#([^"')]+)/.exec(s.fill);
          const pattern = id && document.getElementById(id[1]);
          const parts = pattern ? Array.from(pattern.querySelectorAll('rect, path')).flatMap((p) => {
            const ps = getComputedStyle(p);
            return [[parse(ps.fill), parseFloat(ps.fillOpacity)], [parse(ps.stroke), parseFloat(ps.strokeOpacity)]];
          }).filter(([c]) => c) : [];
          const best = parts.map(([c, o]) => [c, o, ratio(over(c, c.a * o * opacity * fillOpacity, bg), bg)])
            .sort((a, b) => b[2] - a[2])[0];
          fill = best ? best[0] : null;
          fillOpacity = best ? best[1] * fillOpacity : 0;
        }
        const strokeAlpha = stroke ? stroke.a * parseFloat(s.strokeOpacity) * opacity : 0;
        const fillAlpha = fill ? fill.a * fillOpacity * opacity : 0;
        const outlined = stroke && width >= 1 && strokeAlpha > 0;
        // a line has no area: an open path's fill (plotly gives line shapes one) draws nothing
        const closed = /[zZ]/.test(d) || kind.includes('marker') || kind === 'bar';
        const filled = fill && fillAlpha > 0 && closed && kind !== 'line' && kind !== 'legend line';
        if (kind === 'shape' && !outlined && filled && fillAlpha < 1) { skip('band (translucent fill, no outline)'); continue; }
        if (!outlined && !filled) { skip('not drawn'); continue; }
        const strokeContrast = outlined ? ratio(over(stroke, strokeAlpha, bg), bg) : 0;
        const fillContrast = filled ? ratio(over(fill, fillAlpha, bg), bg) : 0;
        marks.push({kind, cell: cellIndex + 1, figure: figureIndex, title: title.slice(0, 60),
                    stroke: outlined ? css(over(stroke, strokeAlpha, bg)) : null,
                    fill: filled ? css(over(fill, fillAlpha, bg)) : null,
                    background: css(bg), contrast: Math.max(strokeContrast, fillContrast)});
      }
    }
  });
  return {figures: plots.length, marks, exempt};
}"""


def _contrast_failures(result: dict) -> list[dict]:
    return [m for m in result["marks"] if m["contrast"] < MIN_MARK_CONTRAST]


def _describe(mark: dict) -> str:
    return (f"cell {mark['cell']} {mark['title']!r}: {mark['kind']} stroke {mark['stroke']} fill {mark['fill']} "
            f"on {mark['background']} = {mark['contrast']:.2f}:1{' (' + mark['note'] + ')' if mark.get('note') else ''}")


# ----------------------------------------------------------------------------- reflow, in the page

# Problems in one course output at the current width (the output is `out`); [] when nothing is clipped.
JS_REFLOW_PROBLEMS = r"""(out) => {
  const problems = [];
  const area = out.getBoundingClientRect();
  const visible = (el) => { const s = getComputedStyle(el); const r = el.getBoundingClientRect();
    return s.display !== 'none' && s.visibility !== 'hidden' && (r.width > 0 || r.height > 0); };
  const name = (el) => {
    const text = (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 50);
    return `${el.tagName.toLowerCase()}.${String(el.className.baseVal ?? el.className).split(' ').filter(Boolean).slice(0, 2).join('.')}`
      + (text ? ` "${text}"` : '');
  };
  const insidePlot = (el) => !!el.closest('.js-plotly-plot');
  // 1. anything (outside the plot's own drawing) reaching out of the output area
  for (const el of out.querySelectorAll('*')) {
    if (insidePlot(el) || !visible(el)) continue;
    if (el.closest('.course-a11y-helper')) continue;
    const r = el.getBoundingClientRect();
    if (r.right > area.right + 1 || r.left < area.left - 1) {
      problems.push(`${name(el)} reaches outside the output area (${Math.round(r.left - area.left)}..${Math.round(r.right - area.left)} of ${Math.round(area.width)} px)`);
    }
  }
  // 2. clipped content: an element that hides or scrolls its overflow and is wider inside than out
  for (const el of [out, ...out.querySelectorAll('*')]) {
    if (!visible(el) || (insidePlot(el) && !el.classList.contains('js-plotly-plot'))) continue;
    const s = getComputedStyle(el);
    if (!['hidden', 'clip', 'auto', 'scroll'].includes(s.overflowX)) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${name(el)} is clipped or scrolls sideways (content ${el.scrollWidth} px in ${el.clientWidth} px)`);
    }
  }
  // 3. controls and readouts shrunk to almost nothing
  const controls = out.querySelectorAll('.noUi-target, .widget-readout, input:not([type=checkbox]):not([type=radio]), '
    + 'select, button, .widget-label, .course-lab-readout');
  for (const el of controls) {
    if (insidePlot(el) || !visible(el) || el.closest('.course-a11y-helper')) continue;
    if (el.classList.contains('widget-label') && !el.textContent.trim()) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 24) problems.push(`${name(el)} has shrunk to ${Math.round(r.width)} px`);
  }
  // 4. figures: the drawing fits, and its words do not run into each other or into a plotting area
  for (const plot of out.querySelectorAll('.js-plotly-plot')) {
    const svg = plot.querySelector('.main-svg');
    if (!svg) continue;
    const box = svg.getBoundingClientRect();
    if (box.right > area.right + 1) problems.push(`figure drawn ${Math.round(box.width)} px wide in ${Math.round(area.width)} px`);
    problems.push(...(%s)(plot));
  }
  return problems;
}""" % JS_FIGURE_WORD_PROBLEMS


def _make_notebook_width(page, width: int) -> int:
    """Collapse both sidebars and size the window so the notebook panel is ``width`` px wide."""
    page.evaluate("() => { window.jupyterapp.shell.collapseLeft(); window.jupyterapp.shell.collapseRight(); }")
    panel_width = "() => Math.round(window.jupyterapp.shell.currentWidget.node.getBoundingClientRect().width)"
    viewport = page.viewport_size
    for _ in range(4):  # the sidebars' tab bars take a fixed width: correct by the difference
        next_frames(page)
        current = page.evaluate(panel_width)
        if current == width:
            break
        page.set_viewport_size({"width": viewport["width"] + width - current, "height": viewport["height"]})
        viewport = page.viewport_size
        page.wait_for_function(f"() => ({panel_width})() !== {current}", timeout=10_000)
    return page.evaluate(panel_width)


def _sidebar_bars_width(page) -> int:
    """The width the window gives to anything but the notebook panel (the sidebars' tab bars)."""
    return page.evaluate("() => window.innerWidth - Math.round("
                         "window.jupyterapp.shell.currentWidget.node.getBoundingClientRect().width)")


def _wait_for_figures_to_fit(page) -> None:
    """Plotly redraws each figure after its output area changed width (ResizeObserver, then a short
    debounce): wait until every drawing is as wide as its figure box, give or take a pixel."""
    try:
        page.wait_for_function(
            """() => Array.from(document.querySelectorAll('.jp-OutputArea-output .course-figure')).every((f) => {
                 const svg = f.querySelector('.main-svg');
                 return !svg || Math.abs(svg.getBoundingClientRect().width - f.clientWidth) <= 2; })""",
            timeout=20_000)
    except Exception:
        pass  # the checks below name the figures that did not follow
    next_frames(page, 3)


# The notebook: the package-wide ``notebook`` fixture (conftest.py) opens and runs each notebook once.

def test_every_figure_mark_has_3_to_1_contrast_in_both_themes(notebook, screenshot_dir):
    page = notebook.page
    failures: list[str] = []
    summary = {}
    try:
        for theme in THEMES:
            set_theme(page, theme)
            result = page.evaluate(JS_MARK_CONTRAST)
            low = _contrast_failures(result)
            lowest = min((m["contrast"] for m in result["marks"]), default=float("nan"))
            summary[theme] = (result["figures"], len(result["marks"]), round(lowest, 2), result["exempt"])
            # one line per distinct problem (an icon array repeats one marker a hundred times)
            distinct = {}
            for mark in low:
                key = (mark["cell"], mark["kind"], mark["stroke"], mark["fill"])
                distinct.setdefault(key, [mark, 0])[1] += 1
            failures += [f"{theme}: {_describe(mark)} (x{count})" for mark, count in distinct.values()]
            if theme == "JupyterLab Dark":
                cells = page.locator(".jp-Notebook .jp-Cell")
                for index in course_cells(page):
                    cell = cells.nth(index)
                    if cell.locator(".js-plotly-plot").count():
                        cell.scroll_into_view_if_needed()
                        screenshot(cell, screenshot_dir / f"contrast-dark-{notebook.entry.id}-cell{index + 1:02d}.png")
    finally:
        set_theme(page, "JupyterLab Light")
    for theme, (figures, marks, lowest, exempt) in summary.items():
        print(f"\n{notebook.entry.id} {theme}: {figures} figures, {marks} marks measured, lowest {lowest}:1, "
              f"exempt {exempt}")
    if lab_cell_indices(notebook.entry.path):
        assert all(marks > 0 for _, marks, _, _ in summary.values()), "no mark measured: the selectors found nothing"
    assert failures == [], f"{len(failures)} kinds of mark below {MIN_MARK_CONTRAST}:1:\n" + "\n".join(failures[:60])


def _problems_in_course_outputs(page, pictures=None) -> tuple[int, list[str]]:
    """Check every course output of the page (JS_REFLOW_PROBLEMS): the number of course cells, and the
    problems found, each named by its cell. ``pictures``: a file-name prefix for a picture of each widget
    output."""
    cells = page.locator(".jp-Notebook .jp-Cell")
    indices = course_cells(page)
    problems: list[str] = []
    for index in indices:
        cell = cells.nth(index)
        cell.scroll_into_view_if_needed()
        outputs = cell.locator(".jp-OutputArea-output")
        for k in range(outputs.count()):
            found = outputs.nth(k).evaluate(JS_REFLOW_PROBLEMS)
            problems += [f"cell {index + 1}: {p}" for p in dict.fromkeys(found)]
            if pictures and outputs.nth(k).locator(".jupyter-widgets").count():
                screenshot(outputs.nth(k), f"{pictures}-cell{index + 1:02d}-output{k + 1}.png")
    return len(indices), problems


def test_nothing_is_clipped_in_a_480_px_notebook(notebook, screenshot_dir):
    page = notebook.page
    original = page.viewport_size
    width = _make_notebook_width(page, NARROW_NOTEBOOK_PX)
    try:
        assert abs(width - NARROW_NOTEBOOK_PX) <= 1, f"the notebook is {width} px wide, not {NARROW_NOTEBOOK_PX}"
        _wait_for_figures_to_fit(page)
        checked, problems = _problems_in_course_outputs(page, screenshot_dir / f"reflow-480-{notebook.entry.id}")
        print(f"\n{notebook.entry.id}: {checked} course cells checked at {width} px, "
              f"{len({p.split(':')[0] for p in problems})} with problems")
        assert checked, "no course output found"
        assert problems == [], f"{len(problems)} problems at {width} px:\n" + "\n".join(problems[:80])
    finally:
        page.set_viewport_size(original)


@pytest.mark.parametrize("window_width", WIDE_WINDOWS_PX)
def test_figure_words_keep_apart_in_a_wide_window(notebook, window_width):
    """The same checks in a laptop's and a desktop's window (no sidebar). A wide figure needs fewer
    legend rows, so plotly leaves less room under the charts: that is where a legend placed at a
    fraction of the plotting height once sat on the axis title (style.legend_below now places it
    against the figure's box)."""
    page = notebook.page
    original = page.viewport_size
    page.evaluate("() => { window.jupyterapp.shell.collapseLeft(); window.jupyterapp.shell.collapseRight(); }")
    try:
        _make_notebook_width(page, window_width - _sidebar_bars_width(page))
        _wait_for_figures_to_fit(page)
        checked, problems = _problems_in_course_outputs(page)
        assert checked, "no course output found"
        assert problems == [], f"{len(problems)} problems in a {window_width} px window:\n" + "\n".join(problems[:80])
    finally:
        page.set_viewport_size(original)


# Each drawn figure's height and, per axis, its range and length in pixels.
JS_FIGURE_GEOMETRY = """() => Array.from(document.querySelectorAll('.jp-OutputArea-output .course-figure'))
  .filter((f) => f._fullLayout).map((f) => {
    const layout = f._fullLayout;
    const axes = Object.keys(layout).filter((k) => /^[xy]axis\\d*$/.test(k)).sort().map((k) =>
      [k, (layout[k].range || []).map((v) => +Number(v).toPrecision(6)), Math.round(layout[k]._length)]);
    return {figure: f.getAttribute('aria-label'), height: layout.height, axes};
  })"""


def test_figures_look_the_same_after_the_window_narrows_and_widens(notebook):
    """Back at the same width, every figure has its height, ranges and axis lengths again. Plotly's
    resize once added the toolbar strip's 30 px to every figure's height at each change of width, and
    widened the ranges of the icon grids (whose y axis is tied to x) from their last value each time,
    so that after a few changes the grid of 100 people was a quarter of its size."""
    page = notebook.page
    original = page.viewport_size
    page.evaluate("() => { window.jupyterapp.shell.collapseLeft(); window.jupyterapp.shell.collapseRight(); }")
    bars = _sidebar_bars_width(page)
    try:
        _make_notebook_width(page, WIDE_WINDOWS_PX[0] - bars)
        _wait_for_figures_to_fit(page)
        before = page.evaluate(JS_FIGURE_GEOMETRY)
        for width in (1024, 700, WIDE_WINDOWS_PX[1], WIDE_WINDOWS_PX[0]):
            _make_notebook_width(page, width - bars)
            _wait_for_figures_to_fit(page)
        after = page.evaluate(JS_FIGURE_GEOMETRY)
        if lab_cell_indices(notebook.entry.path):
            assert before, "no figure found"
        changed = [f"{b['figure']}: {b} became {a}" for b, a in zip(before, after) if a != b]
        assert len(after) == len(before) and changed == [], "\n".join(changed)
    finally:
        page.set_viewport_size(original)
