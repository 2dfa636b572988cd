"""Issue 13 in a real JupyterLab: axe-core, keyboard-only use, and a narrow window.

Each notebook of the course map is opened and run once (a module-scoped fixture; pytest groups the
tests by notebook), then:

* axe-core (shipped by the pinned axe-playwright-python, no download) checks every output that
  holds a course widget, one output at a time after scrolling it into view, with every rule in the
  light theme and the rules that read colours in the dark theme: no serious or critical violation
  may come from course content;
* every lab is used with the keyboard alone: from the cell (command mode) Tab reaches each control,
  the keys a user would press change it, letters that are notebook shortcuts ("a", "b", "m", "d d"
  ...) change nothing in the notebook, the focus ring is visible (3:1), and the readout is one
  live region whose text changes;
* one question of every type is answered with the keyboard (a single-choice one with arrow keys);
* at 1024x768 with the file browser open, no figure is wider than its output area.

Screenshots (dark theme, 1024x768) go to tests/browser/screenshots/ for a person to look at.
"""

from __future__ import annotations

import json
import re
import time

import pytest

from .jupyter import (contrast, course_cells, lab_cell_indices, next_frames, run_axe, screenshot, set_theme,
                      wait_until)

pytestmark = pytest.mark.browser

THEMES = ("JupyterLab Light", "JupyterLab Dark")
SERIOUS = {"serious", "critical"}
MIN_FOCUS_CONTRAST = 3.0  # WCAG 2.2 SC 1.4.11 / 2.4.13: focus indicator against what is next to it
# Notebook shortcuts that change a notebook in command mode: insert above/below, to markdown/raw,
# cut, delete (d d), undo, move between cells (j, k). Typed inside a course widget they must do nothing.
SHORTCUT_LETTERS = ["a", "b", "m", "r", "x", "d", "d", "z", "j", "k"]

# axe runs only inside course outputs, so JupyterLab's menus, sidebars, toolbars and prompts are
# outside its scope by selector. No axe rule is switched off: none fired on course content.
COURSE_OUTPUT = ".jp-OutputArea-output"
# JupyterLab lays its shell out absolutely inside a zero-height <body> with overflow hidden; axe's
# visibility test then counts every text as clipped and skips color-contrast altogether (0 nodes
# checked). Giving html/body the viewport's height moves nothing (the shell is absolutely placed)
# and lets axe measure contrast.
AXE_VISIBLE_BODY = "html, body { height: 100% !important; }"

JS_CELL_COUNT = "() => window.jupyterapp.shell.currentWidget.content.widgets.length"
JS_NOTEBOOK_STATE = """() => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  return {cells: nb.widgets.length, active: nb.activeCellIndex, mode: nb.mode,
          types: nb.widgets.map(w => w.model.type).join(',')};
}"""

# Mark each focusable control in a course widget (outside the plotly figure) with data-a11y-control
# and its kind, so the test can tell which ones Tab reached.
JS_MARK_CONTROLS = """(root) => {
  root.querySelectorAll('[data-a11y-control]').forEach((el) => el.removeAttribute('data-a11y-control'));
  const kinds = [['.noUi-handle', 'slider'], ['select', 'select'], ['input[type=checkbox]', 'checkbox'],
                 ['input[type=radio]', 'radio'], ['input[type=text], textarea', 'text'], ['button', 'button']];
  const found = [];
  for (const el of root.querySelectorAll(kinds.map(k => k[0]).join(', '))) {  // document (= Tab) order
    if (el.closest('.js-plotly-plot') || el.disabled || !el.getClientRects().length) continue;
    const kind = kinds.find(k => el.matches(k[0]))[1];
    el.dataset.a11yControl = `${kind}-${found.length}`;
    found.push(el.dataset.a11yControl);
  }
  return found;
}"""

# What a test needs to know about a focused element: its focus ring (outline, and the first opaque
# background behind it), where it sits (which marked lab) and its value.
FOCUS_FACTS = """(el) => {
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  let bg = null;
  for (let n = el.parentElement; n && !bg; n = n.parentElement) {
    const c = getComputedStyle(n).backgroundColor;
    const m = /rgba?\\(([^)]+)\\)/.exec(c);
    if (m && (m[1].split(',').length < 4 || parseFloat(m[1].split(',')[3]) === 1)) bg = c;
  }
  const lab = el.closest('[data-a11y-lab]');
  return {control: el.dataset.a11yControl || null, tag: el.tagName, inCourse: !!el.closest('.course-a11y'),
          lab: lab ? lab.dataset.a11yLab : null,
          outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth),
          outlineColor: s.outlineColor, background: bg || 'rgb(255, 255, 255)',
          checked: el.checked === undefined ? null : el.checked, value: el.value === undefined ? null : el.value,
          valuenow: el.getAttribute('aria-valuenow'), valuetext: el.getAttribute('aria-valuetext'),
          name: el.getAttribute('aria-labelledby')
                ? (document.getElementById(el.getAttribute('aria-labelledby')) || {}).textContent : null};
}"""
JS_FOCUSED = f"() => ({FOCUS_FACTS})(document.activeElement)"

# The focus ring of every marked control in ``root``, focused one after another in the page. Focus
# moved by a script after a key press shows the ring a key would (``:focus-visible``; each result
# says whether it matched, so a check that measured no ring fails instead of passing).
JS_RING_OF_EVERY_CONTROL = f"""(root) => {{
  const facts = {FOCUS_FACTS};
  const own = Array.from(root.querySelectorAll('[data-a11y-control]'))
    .filter((el) => el.closest('.course-a11y') === root);  // a widget inside another is measured once
  return own.map((el) => {{
    el.focus({{preventScroll: true}});
    return {{...facts(document.activeElement), requested: el.dataset.a11yControl,
             ringShown: el.matches(':focus-visible')}};
  }});
}}"""


# ----------------------------------------------------------------------------- helpers

def test_contrast_formula_matches_wcag_examples():
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21.0)
    assert contrast("rgb(25, 118, 210)", "rgb(255, 255, 255)") == pytest.approx(4.6, abs=0.05)
    assert contrast("rgb(51, 51, 51)", "rgb(17, 17, 17)") == pytest.approx(1.49, abs=0.02)


def _focus_problem(focused: dict | None) -> str | None:
    """Why the focused element's focus is not visible enough, or None."""
    if focused is None:
        return "focus was lost to the page"
    if focused["outlineStyle"] in ("none", "hidden") or focused["outlineWidth"] < 2:
        return f"no visible focus outline ({focused['outlineStyle']} {focused['outlineWidth']}px)"
    ratio = contrast(focused["outlineColor"], focused["background"])
    if ratio < MIN_FOCUS_CONTRAST:
        return f"focus outline {focused['outlineColor']} on {focused['background']} is {ratio:.2f}:1"
    return None


# The notebook: the package-wide ``notebook`` fixture (conftest.py) opens and runs each notebook once.

AXE_TARGET = {"include": [["[data-axe-target]"]]}
# The dark theme changes colours only (JupyterLab's themes are CSS variables): every other rule found
# the same passes, incomplete and violations, node by node, in both themes on every widget output
# of every notebook (55 outputs, 10,186 findings). So the dark theme is checked with the rules that
# read colours, the rules axe runs by default that do: text contrast and links told apart by colour.
COLOUR_RULES = {"runOnly": ["color-contrast", "link-in-text-block"], "resultTypes": ["violations"]}
CONTRAST_IN_FULL = {"runOnly": ["color-contrast"], "resultTypes": ["violations", "incomplete", "passes"]}


def _contrast_findings(result: dict) -> list[tuple[str, str, str]]:
    return sorted((kind, json.dumps(node["target"]), json.dumps([c.get("data") for c in node["any"]], sort_keys=True))
                  for kind in ("violations", "incomplete", "passes")
                  for rule in result.get(kind, []) for node in rule["nodes"])


def _check_skipping_other_cells_changes_nothing(page) -> None:
    """The per-output runs leave other cells out of axe's colour grid (run_axe's skip_other_cells):
    on the output checked last, that finds exactly what a plain run finds, text by text."""
    skipped = _contrast_findings(run_axe(page, AXE_TARGET, CONTRAST_IN_FULL, skip_other_cells=True))
    plain = _contrast_findings(run_axe(page, AXE_TARGET, CONTRAST_IN_FULL))
    assert plain, "the cross-check found no text to check"
    assert skipped == plain, ("leaving other cells out changed axe's colour-contrast findings: "
                              f"{sorted(set(plain) ^ set(skipped))[:5]}")


def test_axe_finds_no_serious_or_critical_problem_in_course_output(notebook, screenshot_dir):
    page = notebook.page
    page.add_style_tag(content=AXE_VISIBLE_BODY)
    report: dict[str, dict[str, int]] = {}
    serious: list[str] = []
    checked_outputs = 0
    try:
        for theme in THEMES:
            set_theme(page, theme)
            counts: dict[str, int] = {}
            outputs = page.locator(COURSE_OUTPUT)
            for k in range(outputs.count()):
                output = outputs.nth(k)
                if not output.locator(".jupyter-widgets").count():
                    continue  # not a course widget (printed numbers, citations)
                checked_outputs += 1
                output.evaluate("(o) => { document.querySelectorAll('[data-axe-target]')"
                                ".forEach(e => e.removeAttribute('data-axe-target'));"
                                " o.setAttribute('data-axe-target', ''); o.scrollIntoView({block: 'start'}); }")
                next_frames(page)
                result = run_axe(page, context=AXE_TARGET, options=None if theme == THEMES[0] else COLOUR_RULES,
                                 skip_other_cells=True)
                for violation in result["violations"]:
                    key = f"{violation['id']} ({violation['impact']})"
                    counts[key] = counts.get(key, 0) + len(violation["nodes"])
                    if violation["impact"] in SERIOUS:
                        targets = [node["target"] for node in violation["nodes"]][:3]
                        serious.append(f"{theme}: {violation['id']} ({violation['impact']}) at {targets}: "
                                       f"{violation['help']}")
                if theme == "JupyterLab Dark":
                    cell = output.locator("xpath=ancestor::div[contains(@class, 'jp-Cell')][1]")
                    screenshot(cell, screenshot_dir / f"a11y-dark-{notebook.entry.id}-output{k + 1:02d}.png")
            report[theme] = counts
            if theme == THEMES[0]:
                _check_skipping_other_cells_changes_nothing(page)
    finally:
        set_theme(page, "JupyterLab Light")
    print(f"\naxe-core on {notebook.entry.id}: {report}")
    assert checked_outputs >= 2, "axe checked no course output: the scope selector found nothing"
    assert serious == [], "axe-core found serious problems in course output:\n" + "\n".join(serious)


def _tab_to(page, control: str, lab: str, max_tabs: int = 40) -> dict | None:
    """Press Tab until ``control`` has focus; None if focus leaves the lab first."""
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        focused = page.evaluate(JS_FOCUSED)
        if focused and focused["control"] == control:
            return focused
        if not focused or focused["lab"] != lab:
            return None
    return None


def _press_shortcut_letters(page) -> None:
    for key in SHORTCUT_LETTERS:
        page.keyboard.press(key)


def _change_with_keys(page, kind: str, before: dict) -> tuple[bool, dict]:
    """Press the keys a user would press on a control of this kind; did its value change?"""
    if kind == "slider":
        page.keyboard.press("ArrowRight")
        if not wait_until(lambda: page.evaluate(JS_FOCUSED)["valuenow"] != before["valuenow"], 5):
            page.keyboard.press("ArrowLeft")  # it was at its maximum
            page.keyboard.press("ArrowLeft")
        changed = wait_until(lambda: page.evaluate(JS_FOCUSED)["valuenow"] != before["valuenow"], 5)
    elif kind == "checkbox":
        page.keyboard.press("Space")
        changed = wait_until(lambda: page.evaluate(JS_FOCUSED)["checked"] != before["checked"], 5)
    elif kind == "select":
        page.keyboard.press("ArrowDown")
        changed = wait_until(lambda: page.evaluate(JS_FOCUSED)["value"] != before["value"], 5)
    else:
        return True, before
    return changed, page.evaluate(JS_FOCUSED)


def test_every_lab_works_with_the_keyboard_alone(notebook):
    page = notebook.page
    cells = page.locator(".jp-Notebook .jp-Cell")
    start = page.evaluate(JS_NOTEBOOK_STATE)
    problems: list[str] = []
    labs = [i for i in course_cells(page) if cells.nth(i).locator(".course-lab").count()]
    if lab_cell_indices(notebook.entry.path):
        assert labs, f"{notebook.entry.id} has labs, but none was found in the page"
    for index in labs:
        cell = cells.nth(index)
        lab = cell.locator(".course-lab").first
        where = f"cell {index + 1}"
        cell.scroll_into_view_if_needed()
        lab.evaluate("(l, i) => { l.dataset.a11yLab = String(i); }", index)
        controls = lab.evaluate(JS_MARK_CONTROLS)
        assert controls, f"{where}: a lab without controls"
        readout = lab.locator(".course-lab-readout")
        readout.evaluate("(r) => { r.__sameNode = true; }")
        readouts = {readout.inner_text()}
        # arrive at the lab as a keyboard user would, Tabbing in from just before its first control
        # (not from the cell: a visible code cell's editor comes first, and Tab there indents, which
        # is JupyterLab's own behaviour)
        lab.evaluate("(l) => { l.tabIndex = -1; l.focus(); }")
        # Reset sits after every other control (Lab._build_view); a lab's own buttons (the mystery
        # neuron's "New mystery") come before it
        reset = [c for c in controls if c.startswith("button")][-1]
        for control in controls:
            kind = control.split("-")[0]
            if control == reset:
                continue  # pressed once at the end
            focused = _tab_to(page, control, str(index))
            if focused is None:
                problems.append(f"{where}: Tab never reached {control}")
                lab.locator(f"[data-a11y-control='{control}']").focus()  # carry on from there
                continue
            if problem := _focus_problem(focused):
                problems.append(f"{where} {control}: {problem}")
            if kind == "button":
                continue  # reached with a visible focus; pressing it is that lab's own test
            if kind == "slider":
                if not focused["name"]:
                    problems.append(f"{where} {control}: slider without a visible-label name")
                if not focused["valuetext"] or not re.search(r"[a-z]{3}", focused["valuetext"]):
                    problems.append(f"{where} {control}: aria-valuetext {focused['valuetext']!r} has no words")
            changed, after = _change_with_keys(page, kind, focused)
            if not changed:
                problems.append(f"{where} {control}: its keys did not change it")
            if kind == "slider" and after["valuetext"] == focused["valuetext"]:
                problems.append(f"{where} {control}: aria-valuetext stayed {after['valuetext']!r}")
            if changed and kind in ("checkbox", "select"):
                # change it back: a choice may hide or disable the controls after it (another
                # cause shows other settings; a published-only trial disables the virtual trial's).
                # First let the readout show the change, and then let the kernel's answer to the
                # change back arrive (it shows the hidden controls again) before Tab moves on.
                _wait_for_new_readout(page, readout, readouts)
                changed_text = readout.inner_text()
                readouts.add(changed_text)
                key, field = ("Space", "checked") if kind == "checkbox" else ("ArrowUp", "value")
                page.keyboard.press(key)
                if not wait_until(lambda: page.evaluate(JS_FOCUSED)[field] == focused[field], 5):
                    problems.append(f"{where} {control}: its keys did not change it back")
                _wait_for_answer(page, readout, changed_text)
            if kind != "select":  # a select's typeahead rightly uses letters
                _press_shortcut_letters(page)
            state = page.evaluate(JS_NOTEBOOK_STATE)
            if state != {**start, "active": index}:
                problems.append(f"{where} {control}: keys reached the notebook: {start} -> {state}")
            refocused = page.evaluate(JS_FOCUSED)
            if not refocused or refocused["control"] != control:
                problems.append(f"{where} {control}: focus moved away to {refocused}")
            if kind == "slider":  # a checkbox or menu is back where it was: so is its readout
                _wait_for_new_readout(page, readout, readouts)
                readouts.add(readout.inner_text())
        if _tab_to(page, reset, str(index)) is None:
            problems.append(f"{where}: Tab never reached the Reset button")
        else:
            page.keyboard.press("Shift+Tab")  # back into the controls (the last slider's number box)
            back = page.evaluate(JS_FOCUSED) or {}
            if back.get("lab") != str(index) or back.get("control") == reset:
                problems.append(f"{where}: Shift+Tab from Reset went to {back.get('tag')} outside the lab")
            page.keyboard.press("Tab")
            page.keyboard.press("Enter")
        if not readout.evaluate("(r) => r.__sameNode === true && r.getAttribute('aria-live') === 'polite'"):
            problems.append(f"{where}: the readout's live region was replaced or is not polite")
        if len(readouts) < 2:
            problems.append(f"{where}: the readout text never changed while the controls did")
        page.keyboard.press("Escape")
        back = page.evaluate(JS_NOTEBOOK_STATE)
        if back["mode"] != "command" or back["active"] != index or page.evaluate(
                "() => !!document.activeElement.closest('.course-a11y')"):
            problems.append(f"{where}: Escape did not leave the lab for its cell in command mode: {back}")
    assert page.evaluate(JS_CELL_COUNT) == start["cells"]
    assert problems == [], "\n".join(problems)


JS_QUESTIONS = """() => Array.from(document.querySelectorAll('.course-a11y-helper')).map(h => h.parentElement)
  .filter(box => !box.classList.contains('course-lab') && !box.querySelector('.course-lab'))
  .map((box, i) => {
    box.dataset.a11yQuestion = String(i);
    const kind = box.querySelector('input[type=radio]') ? 'radio'
      : box.querySelector('input[type=checkbox]') ? 'checkbox'
      : box.querySelector('input[type=text]') ? 'text'
      : box.querySelector('select') ? 'select' : 'other';
    const button = Array.from(box.querySelectorAll('button')).find(b => /^(Check|Lock in)/.test(b.textContent.trim()));
    return {index: i, kind, submit: button ? button.textContent.trim() : null,
            selects: box.querySelectorAll('select').length};
  })"""


JS_KERNEL_STATUS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext.session && panel.sessionContext.session.kernel;
  return kernel ? kernel.status : 'none';
}"""


def _wait_for_quiet_kernel(page, timeout_s: float = 15.0) -> None:
    """Wait until the kernel has been idle for a moment.

    ipywidgets sends a model's next state change only after the kernel has answered the previous
    one (the rest wait in a buffer), but a button's click goes at once: a test that presses Check
    milliseconds after a second change of the same dropdown can beat that change to the kernel on
    a loaded machine. A person takes longer than the kernel's round trip to reach Check.
    """
    deadline, quiet = time.monotonic() + timeout_s, 0
    while time.monotonic() < deadline and quiet < 3:
        quiet = quiet + 1 if page.evaluate(JS_KERNEL_STATUS) == "idle" else 0
        time.sleep(0.15)


def _wait_for_new_readout(page, readout, seen: set[str], timeout_s: float = 10.0) -> None:
    """Wait until the readout shows a text not in ``seen``, or the kernel has gone quiet.

    A change that leaves the readout's sentence as it was (a slider step too small to change a
    rounded number) would otherwise cost the whole timeout; once the kernel has answered and been
    idle for a moment, nothing more is coming. The first 0.6 s always wait: the change may not yet
    have reached the kernel (ipywidgets throttles slider messages).
    """
    started = time.monotonic()
    deadline, quiet = started + timeout_s, 0
    while time.monotonic() < deadline:
        if readout.inner_text() not in seen:
            return
        quiet = quiet + 1 if page.evaluate(JS_KERNEL_STATUS) == "idle" else 0
        if quiet >= 3 and time.monotonic() - started > 0.6:
            return
        time.sleep(0.15)


def _wait_for_answer(page, readout, changed_text: str) -> None:
    """Wait until the kernel has answered the latest change of a lab's control.

    Once the readout has left ``changed_text``, the kernel is handling the change (its busy status
    reaches the page before anything the handler sends), so the first idle status after that means
    every message of the answer has arrived, controls shown or hidden again included. A change that
    leaves the readout as it was falls back to waiting for a quiet kernel.
    """
    _wait_for_new_readout(page, readout, {changed_text})
    if readout.inner_text() == changed_text:
        _wait_for_quiet_kernel(page)
    else:
        wait_until(lambda: page.evaluate(JS_KERNEL_STATUS) == "idle", 15, 0.05)


def _submit_with_keyboard(page, box, label: str) -> bool:
    _wait_for_quiet_kernel(page)
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("(l) => document.activeElement.tagName === 'BUTTON' && "
                         "document.activeElement.textContent.trim() === l", label):
            page.keyboard.press("Enter")
            return True
    return False


def test_one_question_of_each_type_is_answered_with_the_keyboard(notebook):
    page = notebook.page
    start = page.evaluate(JS_CELL_COUNT)
    questions = page.evaluate(JS_QUESTIONS)
    assert questions, "no quiz question found"
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for question in questions:
        kind_key = (question["kind"], question["submit"] or "")
        if kind_key in seen or question["submit"] is None:
            continue
        seen.add(kind_key)
        box = page.locator(f"[data-a11y-question='{question['index']}']")
        where = f"question {question['index'] + 1} ({question['kind']}, {question['submit']})"
        box.scroll_into_view_if_needed()
        text_before = box.inner_text()
        # arrive at the question as a keyboard user would: Tab from just before its first control
        box.evaluate("(b) => { b.tabIndex = -1; b.focus(); }")
        page.keyboard.press("Tab")
        focused = page.evaluate(JS_FOCUSED)
        if problem := _focus_problem(focused):
            problems.append(f"{where}: first control: {problem}")
        if question["kind"] == "radio":
            page.keyboard.press("ArrowDown")  # from the first option to the second, which it checks
            checked = box.evaluate("(b) => Array.from(b.querySelectorAll('input[type=radio]')).map(r => r.checked)")
            if checked.count(True) != 1 or checked.index(True) != 1:
                problems.append(f"{where}: arrow keys did not move the choice: {checked}")
        elif question["kind"] == "checkbox":
            page.keyboard.press("Space")
        elif question["kind"] == "text":
            page.keyboard.type("3")
        elif question["kind"] == "select":
            for k in range(question["selects"]):
                if k:
                    page.keyboard.press("Tab")
                # dropdown k goes to option k + 1 (option 0 is "— choose —"; an unanswered dropdown
                # starts at index -1), so an order question gets distinct positions
                for _ in range(k + 3):
                    if page.evaluate("() => document.activeElement.selectedIndex") >= min(
                            k + 1, page.evaluate("() => document.activeElement.options.length - 1")):
                        break
                    page.keyboard.press("ArrowDown")
            chosen = box.evaluate("(b) => Array.from(b.querySelectorAll('select')).map(s => s.selectedIndex)")
            if 0 in chosen:
                problems.append(f"{where}: arrow keys left a dropdown unchosen: {chosen}")
        if question["kind"] in ("radio", "checkbox"):  # letters are text in a text box
            _press_shortcut_letters(page)
        if not _submit_with_keyboard(page, box, question["submit"]):
            problems.append(f"{where}: Tab never reached {question['submit']!r}")
            continue
        if not wait_until(lambda: box.inner_text() != text_before, 15):
            problems.append(f"{where}: pressing Enter on {question['submit']!r} showed no verdict")
        elif "Not checked yet" in box.inner_text():  # the answer given by keys never reached Python
            problems.append(f"{where}: the keyboard answer was not received: {box.inner_text()[-200:]!r}")
        after = page.evaluate(JS_FOCUSED)
        if after is None or not box.evaluate("(b) => b.contains(document.activeElement)"):
            problems.append(f"{where}: after {question['submit']!r} focus left the question "
                            f"({after and after['tag']})")
        elif problem := _focus_problem(after):
            problems.append(f"{where}: after {question['submit']!r}: {problem}")
        if page.evaluate(JS_CELL_COUNT) != start:
            problems.append(f"{where}: the notebook's cell count changed")
    assert seen, "no question with a Check button was answered"
    assert problems == [], "\n".join(problems)


# How wide one figure is drawn against its output area; plotly's own widths say, when it does not
# fit, whether plotly was asked to resize (its layout) or never heard of the new width.
JS_FIGURE_WIDTH = """(p) => { const out = p.closest('.jp-OutputArea-output').getBoundingClientRect();
  // the drawing (svg), not its div: the div takes the area's width and clips
  const box = (p.querySelector('.main-svg') || p).getBoundingClientRect();
  return {plot: Math.round(box.width), area: Math.round(out.width),
          overflow: Math.round(box.right - out.right), div: p.clientWidth,
          plotly_width: p._fullLayout ? p._fullLayout.width : null,
          fixed_width: p.layout ? (p.layout.width ?? null) : null}; }"""
JS_FIGURE_FITS = """(p) => { const svg = p.querySelector('.main-svg');
  return !!svg && svg.getBoundingClientRect().right
                  <= p.closest('.jp-OutputArea-output').getBoundingClientRect().right + 1; }"""


def test_no_figure_is_wider_than_its_output_area_at_1024x768(notebook, screenshot_dir):
    """Each figure is measured as a learner meets it: on screen, once the window is 1024 x 768 with
    the file browser open (plotly follows its output area through a ResizeObserver)."""
    page = notebook.page
    page.set_viewport_size({"width": 1024, "height": 768})
    page.evaluate("() => window.jupyterapp.shell.activateById('filebrowser')")
    page.wait_for_selector("#filebrowser:not(.lm-mod-hidden)", timeout=10_000)
    plots = []
    for index in course_cells(page):
        cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
        figures = cell.locator(".jp-OutputArea-output .js-plotly-plot")
        count = figures.count()
        for k in range(count):
            figure = figures.nth(k)
            figure.scroll_into_view_if_needed()
            try:
                page.wait_for_function(JS_FIGURE_FITS, arg=figure.element_handle(), timeout=10_000)
            except Exception:
                pass  # the measurement below names the figure that did not fit
            next_frames(page)
            plots.append({"cell": index + 1, **figure.evaluate(JS_FIGURE_WIDTH)})
        if count:
            # the whole window, as a learner sees it (a cell taller than the window would not fit)
            screenshot(page, screenshot_dir / f"a11y-1024x768-{notebook.entry.id}-cell{index + 1:02d}.png")
    screenshot(page, screenshot_dir / f"a11y-1024x768-{notebook.entry.id}.png")
    if lab_cell_indices(notebook.entry.path):
        assert plots, "no figure found"
    too_wide = [p for p in plots if p["overflow"] > 1]
    assert too_wide == [], f"figures wider than their output area (px): {too_wide}"


def test_focus_ring_is_visible_on_every_control_in_the_dark_theme(notebook, screenshot_dir):
    """The keyboard tests above check the ring in the light theme, Tabbing through every lab; here the
    ring of every control of every course widget is measured in the dark theme (3:1 against the
    dark background). One Tab starts keyboard use; the page then moves focus from control to control
    itself (one call per widget, not two per key press), and each must show the ring a key would."""
    page = notebook.page
    problems: list[str] = []
    first_of_kind: dict[str, str] = {}
    measured = 0
    set_theme(page, "JupyterLab Dark")
    try:
        roots = page.locator(".course-a11y")
        assert roots.count(), "no course widget found"
        roots.first.evaluate("(r) => { r.tabIndex = -1; r.focus(); }")
        page.keyboard.press("Tab")  # from here on, focus moved by a script shows the keyboard's ring
        for k in range(roots.count()):
            root = roots.nth(k)
            root.evaluate(JS_MARK_CONTROLS)
            for focused in root.evaluate(JS_RING_OF_EVERY_CONTROL):
                measured += 1
                where = f"widget {k + 1} {focused['requested']}"
                if focused["control"] != focused["requested"]:
                    problems.append(f"{where}: could not take focus (focus went to {focused['tag']})")
                    continue
                if not focused["ringShown"]:
                    problems.append(f"{where}: no keyboard focus ring (:focus-visible) after a key press")
                elif problem := _focus_problem(focused):
                    problems.append(f"{where}: {problem}")
                kind = focused["control"].split("-")[0]
                if kind not in first_of_kind:  # one picture of the ring on each kind of control
                    first_of_kind[kind] = focused["control"]
                    root.locator(f"[data-a11y-control='{focused['control']}']").first.focus()
                    screenshot(root, screenshot_dir / f"a11y-dark-focus-{notebook.entry.id}-{kind}.png")
    finally:
        set_theme(page, "JupyterLab Light")
    print(f"\n{notebook.entry.id}: focus ring measured on {measured} controls in the dark theme, "
          f"kinds {sorted(first_of_kind)}")
    assert first_of_kind, "no course control found in the dark theme"
    assert problems == [], "\n".join(problems)


# ----------------------------------------------------------------------------- what a learner reads

# Text that reads as program code, an author's wiring note or a failure, never as words for a learner
# (issue 19): the quiz schema's rule for Predict tasks, plus file names, "coming soon" and error names.
STALE = re.compile(r"\bcoming soon\b", re.I)
CODE = re.compile(r"\b[A-Z]\w*Error\b|\bundefined\b|\.ipynb\b|\bdef \w+\(|\b\w+\(\)")


# The one place package names belong: notebook 00's setup check, a table of package and version.
PACKAGE_VERSION_ROW = re.compile(r"^[A-Za-z][\w.-]*\t\d+(?:\.\d+)+\S*$")


def _code_like_lines(lines: list[str]) -> list[str]:
    from course_lib.quiz.schema import code_like

    return [line for line in lines if not PACKAGE_VERSION_ROW.match(line)
            and (code_like(line) or STALE.search(line) or CODE.search(line))]


def test_code_like_check_catches_author_notes():
    found = _code_like_lines([
        "Predict first — then connect with value_of=lambda lab: lab.result['untreated']",
        "the lab sends the overall verdict's id", "Firing rate: nan Hz", "Traceback (most recent call last)",
        "revisit: 03_acute_vs_chronic.ipynb", "Notebook 07 (coming soon)", "ValueError: bad input",
        "Rheobase 327 pA; the neuron fires on its own at about 12 Hz", "jupyterlab_widgets\t3.0.17"])
    assert len(found) == 7 and "Rheobase" not in " ".join(found) and "3.0.17" not in " ".join(found), found


def test_no_code_or_author_notes_in_what_a_learner_sees(notebook):
    """Every visible line of every output (widgets, readouts, verdicts, figure descriptions) after Run
    All reads as words for a learner: no code, wiring notes, ids, file names, nan or tracebacks."""
    lines = notebook.page.evaluate(
        "() => Array.from(document.querySelectorAll('.jp-OutputArea-output'))"
        ".flatMap(o => o.innerText.split('\\n')).map(l => l.trim()).filter(l => l)")
    print(f"\n{notebook.entry.id}: {len(lines)} visible lines of output read")
    assert len(lines) > 20, "too little text found: the selector read nothing"
    bad = _code_like_lines(lines)
    assert bad == [], "code or author notes on a learner's screen:\n" + "\n".join(bad[:30])


def test_dotted_words_show_their_definition_by_keyboard_and_by_tap(notebook):
    """Issue 19 item 10: a definition is not hover-only. A dotted word takes focus; Enter shows its
    definition after it and Enter again hides it, without editing the notebook; a click or tap
    does the same."""
    page = notebook.page
    page.wait_for_selector(".jp-RenderedMarkdown abbr[data-course-term]", state="attached", timeout=30_000)
    count = page.evaluate("() => document.querySelectorAll('.jp-RenderedMarkdown abbr[title]').length")
    marked = page.evaluate("() => document.querySelectorAll('.jp-RenderedMarkdown abbr[data-course-term]').length")
    assert count and marked == count, f"{marked} of {count} dotted words can take focus"
    term = page.locator(".jp-RenderedMarkdown abbr[data-course-term]").nth(1 if count > 1 else 0)
    term.scroll_into_view_if_needed()
    start = page.evaluate(JS_NOTEBOOK_STATE)
    definition = term.get_attribute("title")
    term.focus()
    assert term.evaluate("(t) => document.activeElement === t"), "a dotted word cannot take focus"
    focused = page.evaluate(JS_FOCUSED)
    assert _focus_problem(focused) is None, _focus_problem(focused)
    shown = term.locator("xpath=following-sibling::span[contains(@class, 'course-term-definition')]")
    page.keyboard.press("Enter")
    assert shown.count() == 1 and definition in shown.inner_text()
    assert term.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Enter")
    assert shown.count() == 0 and term.get_attribute("aria-expanded") == "false"
    state = page.evaluate(JS_NOTEBOOK_STATE)
    assert state["cells"] == start["cells"] and state["mode"] == "command", f"Enter reached the notebook: {state}"
    term.click()
    assert shown.count() == 1 and definition in shown.inner_text()
    term.click()
    assert shown.count() == 0


# Every control a learner can focus in any output outside a lab (the labs' own keyboard test
# covers theirs): quiz answers and buttons, Reset progress, the record's name box and download,
# links in course tables, plotly's toolbar. One tab stop per radio group.
JS_FOCUSABLE_OUTSIDE_LABS = """() => {
  const selector = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';
  const found = [];
  const groups = new Set();
  for (const output of document.querySelectorAll('.jp-OutputArea-output')) {
    for (const el of output.querySelectorAll(selector)) {
      if (el.closest('.course-lab') || el.disabled || !el.getClientRects().length) continue;
      if (el.type === 'radio') { if (groups.has(el.name)) continue; groups.add(el.name); }
      el.dataset.keyProbe = String(found.length);
      found.push(el.tagName.toLowerCase() + (el.type ? `[${el.type}]` : ''));
    }
  }
  return found;
}"""


# Records every change to the notebook's list of cells (an insert, a delete, and a change of cell
# type, which JupyterLab makes by replacing the cell) with the key that was down when it happened.
# Installed once per page; ``window.__courseCellChanges`` is emptied before each control.
JS_RECORD_CELL_CHANGES = """() => {
  window.__courseCellChanges = [];
  if (window.__courseCellRecorder) return;
  window.__courseCellRecorder = true;
  let key = null;
  window.addEventListener('keydown', (e) => { key = e.key; }, true);
  window.jupyterapp.shell.currentWidget.content.model.cells.changed.connect(
    (_, change) => window.__courseCellChanges.push(`${change.type} after "${key}"`));
}"""

JS_FOCUS_PROBE = """(k) => {
  window.__courseCellChanges = [];
  const probe = document.querySelector(`[data-key-probe='${k}']`);
  probe.focus({preventScroll: true});
  return document.activeElement === probe;
}"""

JS_AFTER_KEYS = """() => ({
  changes: window.__courseCellChanges,
  mode: window.jupyterapp.shell.currentWidget.content.mode,
  inOutput: !!(document.activeElement && document.activeElement.closest('.jp-OutputArea-output')),
})"""


def test_no_single_key_on_any_control_outside_a_lab_edits_the_notebook(notebook):
    """Issue 23 item 1: "a" and "b" (insert a cell), "m" (make it Markdown) and "d d" (delete it), pressed
    on every focusable element of every output outside the labs, change nothing; Escape then
    leaves for the cell in command mode. The page records each change to the notebook's cells with
    the key that made it, so one look after the keys tells, even when "d d" would undo an "a"."""
    page = notebook.page
    kinds = page.evaluate(JS_FOCUSABLE_OUTSIDE_LABS)
    start = page.evaluate(JS_NOTEBOOK_STATE)
    page.evaluate(JS_RECORD_CELL_CHANGES)
    problems = []
    for k, kind in enumerate(kinds):
        if not page.evaluate(JS_FOCUS_PROBE, k):
            problems.append(f"element {k} ({kind}): could not take focus")
            continue
        page.keyboard.type("abmdd")
        page.keyboard.press("Escape")
        after = page.evaluate(JS_AFTER_KEYS)
        if after["changes"]:
            problems.append(f"element {k} ({kind}): the keys reached the notebook: {after['changes']}")
            break  # the first control that lets a key through is the one to mend; its changes stay
        if after["mode"] != "command" or after["inOutput"]:
            problems.append(f"element {k} ({kind}): Escape did not leave it for the cell")
    state = page.evaluate(JS_NOTEBOOK_STATE)
    print(f"\n{notebook.entry.id}: {len(kinds)} controls outside labs, {6 * len(kinds)} keys pressed")
    assert kinds, "no focusable element found outside the labs"
    assert problems == [], "\n".join(problems[:20])
    assert (state["cells"], state["types"]) == (start["cells"], start["types"]), "the notebook changed"
