"""Notebook 05 in a real JupyterLab (issue 11): two treatments ticked, and a care plan previewed.

The notebook's shared run (the ``notebook`` fixture, conftest.py: Run All in a new kernel, once for
every module that reads notebook 05) is used after the accessibility tests have left every lab as
they found it (controls changed back, Reset pressed); then
* in the where-it-acts lab the learner ticks a gabapentinoid and an SNRI with the mouse: the readout
  names both and the signal to the brain falls; a screenshot goes to tests/browser/screenshots/;
* in the care-plan builder the learner ticks a goal and a part of care: the preview shows both, and
  the plan's HTML download link decodes to a page that holds them and says it is not medical advice.
"""

from __future__ import annotations

import re
import time

import pytest

from course_lib.syllabus import entry

from .test_cases_in_browser import _decode_data_url
from .jupyter import as_first_opened, screenshot

NOTEBOOK = entry("05_managing_persistent_pain")
# the shared run of notebook 05, not a second run of it: the tests are grouped with 05's other tests
pytestmark = [pytest.mark.browser,
              pytest.mark.parametrize("notebook", [NOTEBOOK], ids=[NOTEBOOK.id], indirect=True)]
SIGNAL = re.compile(r"([0-9.]+) impulses reach the brain|Signal to the brain: ([0-9.]+) impulses")


@pytest.fixture(autouse=True)
def window_as_first_opened(notebook):
    as_first_opened(notebook.page)  # earlier tests on the shared page narrowed it and opened the file browser


def _signal(text: str) -> float:
    match = SIGNAL.search(text)
    assert match, f"no signal to the brain in the readout: {text!r}"
    return float(match.group(1) or match.group(2))


def _tick(lab, label: str) -> None:
    box = lab.locator("label", has_text=label).locator("input[type=checkbox]").first
    box.check()


def test_05_two_treatments_ticked_in_the_where_it_acts_lab(notebook, screenshot_dir):
    page = notebook.page
    lab = page.locator(".course-lab", has_text="Where-it-acts lab").filter(
        has=page.locator("label:visible", has_text="SNRI (e.g. duloxetine)")).first
    lab.wait_for(timeout=60_000)
    lab.scroll_into_view_if_needed()
    readout = lab.locator(".course-lab-readout")
    before = _signal(readout.inner_text())
    _tick(lab, "gabapentinoid (pregabalin, gabapentin)")
    _tick(lab, "SNRI (e.g. duloxetine)")
    page.wait_for_function("(r) => r.textContent.includes('gabapentinoid') && r.textContent.includes('SNRI')",
                           arg=readout.element_handle(), timeout=30_000)
    after = _signal(readout.inner_text())
    assert after < before, f"two treatments did not lower the signal: {before} -> {after}"
    page.wait_for_timeout(500)  # let plotly finish drawing
    screenshot(lab, screenshot_dir / "05-where-it-acts-two-treatments.png")


def test_05_care_plan_preview_and_download_hold_the_choices(notebook, screenshot_dir):
    page = notebook.page
    lab = page.locator(".course-lab", has_text="Care-plan builder").first
    lab.wait_for(timeout=60_000)
    lab.scroll_into_view_if_needed()
    _tick(lab, "Walk further or stand for longer")
    _tick(lab, "Physiotherapy and graded exercise")
    # the preview's region is rebuilt on every update: ask the locator again, not one element
    preview = lab.locator("[role=region][aria-label='Preview of your care plan']")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not all(
            words in preview.inner_text() for words in ("Physiotherapy and graded exercise", "Walk further")):
        time.sleep(0.25)
    text = preview.inner_text()
    assert "Physiotherapy and graded exercise" in text and "Walk further" in text, text[:400]
    page_html = _decode_data_url(lab.locator("a[download$='.html']").get_attribute("href"))
    assert "Physiotherapy and graded exercise" in page_html and "Walk further" in page_html
    assert "not medical advice" in page_html.lower()
    # the builder is taller than the window: show the plan's preview, which is what changed
    preview.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    screenshot(preview, screenshot_dir / "05-care-plan-previewed.png")
