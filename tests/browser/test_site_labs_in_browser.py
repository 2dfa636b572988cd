"""The Explore edition's labs in Chromium (issue 21, items 2 and 5): on every page, every explorable draws,
moving a control with the mouse and with the keyboard changes its plot and its readout, no console
error, no request leaves the local server, and a preset tied to a Predict question stays disabled until
the quiz reports the prediction locked in (the ``course:predicted`` event), then hands the lab's result
to the question (``window.courseQuiz.observe``). One load per page. On a phone (360 px), every lab page
scrolls only up and down, and in no drawn figure do the words run into each other or off the edge (the
notebooks' check of figure words, jupyter.JS_FIGURE_WORD_PROBLEMS).
Screenshots at 360 and 1280 px go to tests/browser/screenshots/ for a person to look at."""

from __future__ import annotations

import json

import pytest

from .jupyter import JS_FIGURE_WORD_PROBLEMS

pytestmark = pytest.mark.browser

LOCK_WORDS = "Lock in your prediction above first"

#: JavaScript: what one explorable shows now (its figure's data, its readout, whether it is drawn).
SNAPSHOT = """(section) => {
  const plot = section.querySelector('.explore-figure');
  const readout = section.querySelector('.explore-readout');
  return {drawn: !!section.querySelector('.explore-figure .main-svg') && !plot.hidden,
          data: plot && plot.data ? JSON.stringify(plot.data.map(t => [t.x, t.y, t.z, t.visible])) : '',
          readout: readout ? readout.textContent : ''};
}"""


def _pages_with_labs(folder_pages: list[str], base: str, page) -> list[str]:
    found = []
    for name in folder_pages:
        text = page.request.get(f"{base}/{name}").text()
        if "class='explore'" in text:
            found.append(name)
    return found


def _changed(before: dict, after: dict) -> bool:
    return before["data"] != after["data"] and before["readout"] != after["readout"]


def _try_moves(page, section, how: str) -> str | None:
    """Move each visible control of ``section`` (range inputs first) until the plot and the readout both
    change; None when one did, else what was tried."""
    tried = []
    inputs = section.locator(".explore-control:not([hidden]) input[type=range]:not([disabled])")
    for k in range(inputs.count()):
        control = inputs.nth(k)
        control.scroll_into_view_if_needed()
        before = section.evaluate(SNAPSHOT)
        if how == "mouse":
            box = control.bounding_box()
            value = int(control.input_value())
            top = int(control.get_attribute("max"))
            fraction = 0.1 if value > top / 2 else 0.9
            page.mouse.click(box["x"] + box["width"] * fraction, box["y"] + box["height"] / 2)
        else:
            control.focus()
            value = int(control.input_value())
            page.keyboard.press("ArrowLeft" if value > 0 else "ArrowRight")
        page.wait_for_timeout(60)
        after = section.evaluate(SNAPSHOT)
        if _changed(before, after):
            return None
        tried.append(control.get_attribute("id"))
    if how == "mouse":  # a lab of menus and boxes: click a checkbox
        boxes = section.locator(".explore-control:not([hidden]) input[type=checkbox]:not([disabled])")
        for k in range(boxes.count()):
            before = section.evaluate(SNAPSHOT)
            boxes.nth(k).click()
            page.wait_for_timeout(60)
            if _changed(before, section.evaluate(SNAPSHOT)):
                return None
            tried.append(boxes.nth(k).get_attribute("id"))
    else:
        menus = section.locator(".explore-control:not([hidden]) select:not([disabled])")
        for k in range(menus.count()):
            before = section.evaluate(SNAPSHOT)
            menus.nth(k).focus()
            page.keyboard.press("ArrowDown")
            page.wait_for_timeout(60)
            if _changed(before, section.evaluate(SNAPSHOT)):
                return None
            tried.append(menus.nth(k).get_attribute("id"))
    return f"no control changed both the plot and the readout with the {how} (tried {tried})"


def test_every_explorable_draws_moves_and_keeps_predictions_locked(browser, served, screenshot_dir):
    base, pages = served
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
    with_labs = _pages_with_labs(pages, base, page)
    assert len(with_labs) >= 6, with_labs
    for name in with_labs:
        page.goto(f"{base}/{name}", wait_until="load")
        page.wait_for_function("() => [...document.querySelectorAll('section.explore')].every("
                               "s => s.dataset.ready === 'true')", timeout=20000)
        notebook = name.removesuffix(".html")
        # the Predict lock: a preset that shows an answer is disabled until the prediction is locked in
        locked = page.locator("section.explore button[data-question]")
        questions = sorted({locked.nth(k).get_attribute("data-question") for k in range(locked.count())})
        for k in range(locked.count()):
            button = locked.nth(k)
            if not button.is_disabled() or LOCK_WORDS not in button.inner_text():
                problems.append(f"{name}: the preset for {button.get_attribute('data-question')} is open "
                                "before a prediction")
        for question in questions:
            page.evaluate("([notebook, question]) => document.dispatchEvent(new CustomEvent('course:predicted', "
                          "{detail: {notebook, question}}))", [notebook, question])
        # the lab hands its result at that setting to the question (quiz.js: window.courseQuiz.observe)
        page.evaluate("""() => { window.__observed = []; const quiz = window.courseQuiz;
          if (quiz && quiz.observe) { const real = quiz.observe;
            quiz.observe = (...args) => { window.__observed.push(args[1]); return real(...args); }; } }""")
        for k in range(locked.count()):
            button = locked.nth(k)
            question = button.get_attribute("data-question")
            if button.is_disabled() or LOCK_WORDS in button.inner_text():
                problems.append(f"{name}: the preset for {question} stays locked after course:predicted")
                continue
            button.click()
            if page.evaluate("() => !!window.courseQuiz") and question not in page.evaluate("() => window.__observed"):
                problems.append(f"{name}: the preset for {question} did not hand its result to the question")
        # "Predict again" (course:unlocked) hides the answer setting until the new prediction is locked in
        if questions:
            page.evaluate("([notebook, question]) => document.dispatchEvent(new CustomEvent('course:unlocked', "
                          "{detail: {notebook, question}}))", [notebook, questions[0]])
            again = page.locator(f"section.explore button[data-question='{questions[0]}']").first
            if not again.is_disabled():
                problems.append(f"{name}: the preset for {questions[0]} stays open after Predict again")
            page.evaluate("([notebook, question]) => document.dispatchEvent(new CustomEvent('course:predicted', "
                          "{detail: {notebook, question}}))", [notebook, questions[0]])  # locked in again
        sections = page.locator("section.explore")
        for k in range(sections.count()):
            section = sections.nth(k)
            label = f"{name}, {section.get_attribute('data-lab')}"
            if not section.evaluate(SNAPSHOT)["drawn"]:
                problems.append(f"{label}: no figure drawn")
                continue
            if section.locator(".explore-control").count() == 0:
                continue  # a figure without controls (the cohort, a case timeline)
            for how in ("mouse", "keyboard"):
                problem = _try_moves(page, section, how)
                if problem:
                    problems.append(f"{label}: {problem}")
        if name.startswith(("02_", "04_")):
            first = sections.first
            first.scroll_into_view_if_needed()
            first.screenshot(path=str(screenshot_dir / f"site-lab-1280-{notebook}.png"))
    problems += [f"console error: {e}" for e in errors]
    problems += [f"a request left the local server: {u}" for u in outside]
    context.close()

    # a phone: no sideways scrolling, no figure whose words run into each other, and a picture of two labs
    context = browser.new_context(viewport={"width": 360, "height": 800}, color_scheme="dark")
    page = context.new_page()
    drawn_on_phone = 0
    for name in with_labs:
        page.goto(f"{base}/{name}", wait_until="load")
        page.wait_for_function("() => [...document.querySelectorAll('section.explore')].every("
                               "s => s.dataset.ready === 'true')", timeout=20000)
        sideways = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if sideways > 1:
            problems.append(f"{name} at 360 px: {sideways} px of sideways scrolling")
        sections = page.locator("section.explore")
        for k in range(sections.count()):
            section = sections.nth(k)
            for figure in section.locator(".explore-figure:has(.main-svg)").all():
                drawn_on_phone += 1
                found = figure.evaluate(JS_FIGURE_WORD_PROBLEMS)
                lab = section.get_attribute("data-lab")
                problems += [f"{name}, {lab} at 360 px: {p}" for p in dict.fromkeys(found)]
                if found:  # a picture of what the check found, for the person reading the failure
                    figure.scroll_into_view_if_needed()
                    figure.screenshot(path=str(screenshot_dir / f"site-lab-360-words-{lab.replace('/', '-')}.png"))
        if name.startswith(("02_", "05_")):
            first = sections.first
            first.scroll_into_view_if_needed()
            first.screenshot(path=str(screenshot_dir / f"site-lab-360-dark-{name.removesuffix('.html')}.png"))
    context.close()
    assert drawn_on_phone >= len(with_labs), f"only {drawn_on_phone} figures drawn at 360 px"
    assert problems == [], json.dumps(problems, indent=1)
