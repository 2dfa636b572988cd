"""The Explore edition's pages in Chromium (issue 21, item 5): served from a local folder (the
session's ``served`` fixture, conftest.py), every page loads with no console error and no request leaving the local server, fits a 360 px
phone without sideways scrolling, and axe-core finds no serious or critical problem, in the light and
the dark colour scheme. Screenshots at 360 and 1280 px go to tests/browser/screenshots/ for a person
to look at."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SERIOUS = {"serious", "critical"}


def test_every_page_loads_clean_fits_a_phone_and_passes_axe(browser, served, screenshot_dir):
    from axe_playwright_python.sync_playwright import Axe

    base, pages = served
    axe = Axe()
    problems: list[str] = []
    for scheme in ("light", "dark"):
        for width in (360, 1280):
            context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
            page = context.new_page()
            errors: list[str] = []
            outside: list[str] = []
            page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            page.on("request", lambda r, outside=outside: None if r.url.startswith(base) else outside.append(r.url))
            for name in pages:
                page.goto(f"{base}/{name}", wait_until="load")
                where = f"{name} at {width} px, {scheme}"
                sideways = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
                if sideways > 1:
                    problems.append(f"{where}: {sideways} px of sideways scrolling")
                if width == 1280 or scheme == "dark":
                    result = axe.run(page, options={"resultTypes": ["violations"]})
                    problems += [f"{where}: {v['id']} ({v['impact']}): {v['help']}"
                                 for v in result.response["violations"] if v["impact"] in SERIOUS]
                if scheme == "light" and name in ("index.html", pages[1], "04_interventions_aimed_at_resolution.html"):
                    page.screenshot(path=str(screenshot_dir / f"site-{width}-{name.replace('.html', '')}.png"),
                                    full_page=False)
            problems += [f"console error at {width} px, {scheme}: {e}" for e in errors]
            problems += [f"a request left the local server: {u}" for u in outside]
            context.close()
    assert problems == []


def test_a_dotted_word_shows_its_definition_on_focus(browser, served):
    base, _pages = served
    context = browser.new_context(viewport={"width": 360, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/01_what_is_neuropathic_pain.html", wait_until="load")
    word = page.locator("abbr[title]").first
    word.focus()
    shown = word.evaluate("(a) => getComputedStyle(a, '::after').content")
    assert word.get_attribute("title") in shown
    context.close()
