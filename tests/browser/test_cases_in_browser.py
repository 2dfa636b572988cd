"""Notebook 06 in a real JupyterLab (issue 12): a case's lab opened at its preset, and the record download.

The notebook's shared run (the ``notebook`` fixture, conftest.py: Run All in a new kernel, once for
every module that reads notebook 06) is used after the accessibility tests have moved every lab's
controls and pressed its Reset; then
* Sara's treat-the-cause lab shows her case's setting (month 14) in its slider, names her case in its
  heading and describes month 14 in its readout (a case lab's Reset returns to its case's setting);
  a screenshot goes to tests/browser/screenshots/;
* the learner types a name and clicks "Download my record": two ``<a download>`` links appear, and
  the HTML link's ``data:`` address decodes to a page whose heading is the record's, with the name.
"""

from __future__ import annotations

import base64
import json
import urllib.parse

import pytest

from course_lib.syllabus import entry

from .jupyter import as_first_opened, screenshot

NOTEBOOK = entry("06_case_studies_and_review")
# the shared run of notebook 06, not a second run of it: the tests are grouped with 06's other tests
pytestmark = [pytest.mark.browser,
              pytest.mark.parametrize("notebook", [NOTEBOOK], ids=[NOTEBOOK.id], indirect=True)]


@pytest.fixture(autouse=True)
def window_as_first_opened(notebook):
    as_first_opened(notebook.page)  # earlier tests on the shared page narrowed it and opened the file browser


def _decode_data_url(href: str) -> str:
    header, _, payload = href.partition(",")
    assert header.startswith("data:") and header.endswith(";base64"), header
    return base64.b64decode(urllib.parse.unquote(payload)).decode("utf-8")


def test_06_sara_case_lab_opens_at_her_preset(notebook, screenshot_dir):
    page = notebook.page
    lab = page.locator(".course-lab", has_text="set to Sara's case").filter(has_text="Treat-the-cause").first
    lab.wait_for(timeout=60_000)
    lab.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    assert "month 14" in lab.locator(".course-lab-readout").inner_text()
    assert lab.locator(".js-plotly-plot").count() == 1
    readouts = [r.strip() for r in lab.locator(".widget-readout").all_inner_texts()]
    assert "14.0" in readouts, readouts
    screenshot(lab, screenshot_dir / "case-lab-sara-at-preset.png")


def test_06_record_download_link_holds_the_record(notebook, screenshot_dir):
    page = notebook.page
    record = page.locator(".course-quiz", has=page.locator("button", has_text="Download my record")).last
    record.scroll_into_view_if_needed()
    record.locator("input[type=text]").fill("Test Learner")
    record.locator("input[type=text]").press("Enter")
    record.locator("button", has_text="Download my record").click()
    link = record.locator("a[download$='.html']")
    link.wait_for(timeout=30_000)
    page_html = _decode_data_url(link.get_attribute("href"))
    assert "<h1>Course record of Test Learner</h1>" in page_html
    as_json = json.loads(_decode_data_url(record.locator("a[download$='.json']").get_attribute("href")))
    assert as_json["learner"] == "Test Learner" and "06_case_studies_and_review" in as_json["notebooks"]
    screenshot(record, screenshot_dir / "record-download-06.png")
