"""The Explore edition's static site (issue 21, first layer): built from the notebooks, nothing fetched
from outside, no code or Jupyter instructions on a page, every local link resolving."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import nbformat
import pytest

from course_lib import site
from course_lib.quiz.loader import questions_called
from course_lib.quiz.review import review_items
from course_lib.syllabus import enabled_notebooks

ENABLED = enabled_notebooks()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    site.build(target)
    return target


def test_every_notebook_has_a_page_beside_the_map_and_the_glossary(built):
    names = {p.name for p in built.glob("*.html")}
    assert names == {"index.html", "glossary.html"} | {site.page_name(e.id) for e in ENABLED}
    home = (built / "index.html").read_text()
    assert all(f"href='{site.page_name(e.id)}'" in home for e in ENABLED)


@pytest.mark.parametrize("entry", ENABLED, ids=[e.id for e in ENABLED])
def test_a_page_has_the_notebooks_words_and_its_questions(built, entry):
    page = (built / site.page_name(entry.id)).read_text()
    nb = nbformat.read(entry.path, as_version=4)
    assert entry.title in page and "The short answer" in page and "In plain words" in page
    asked = sum(len(questions_called(c.source)) for c in nb.cells if c.cell_type == "code")
    lesson = importlib.import_module(f"course_lib.lessons.nb{entry.id[:2]}").LESSON
    # notebook 06's quiz is the course's final review, with questions from every notebook
    quiz = len(review_items()) if lesson.final_review else len(lesson.quiz_ids)
    assert page.count("class='question'") == asked + quiz
    assert "Open this notebook with the live labs" in page


@pytest.mark.parametrize("entry", ENABLED, ids=[e.id for e in ENABLED])
def test_no_code_and_no_jupyter_instructions_on_a_page(built, entry):
    page = (built / site.page_name(entry.id)).read_text()
    text = re.sub(r"<[^>]+>", " ", page)
    for code in ("from course_lib", "question(", "_lab()", "quiz()", "self_check()"):
        assert code not in text, f"{entry.id}: {code!r} on the page"
    if entry.number > 0:  # notebook 00 is about using JupyterLab: its page may say how
        for jupyter in ("Run this cell", "Run the cell below first", "Shift + Enter"):
            assert jupyter not in text, f"{entry.id}: {jupyter!r} on the page"


def test_nothing_is_loaded_from_outside_and_every_local_link_resolves(built):
    for path in [*built.glob("*.html"), built / "site.css"]:
        text = path.read_text()
        # resources the browser fetches by itself: stylesheets, scripts, images, fonts, frames
        loads = re.findall(r"""(?:<(?:script|img|iframe|source)[^>]*\bsrc|<link[^>]*\bhref)=['"]([^'"]+)""", text)
        loads += re.findall(r"url\(['\"]?([^)'\"]+)", text)
        assert not [u for u in loads if re.match(r"(?:https?:)?//", u)], f"{path.name} loads from outside"
        for link in re.findall(r"""(?:href|src)=['"]([^'"#]+)""", text):
            if not re.match(r"(?:https?:|mailto:|data:)", link):
                assert (built / link).exists(), f"{path.name}: {link} does not exist in the site"


def test_dotted_words_take_focus_so_touch_and_keyboard_reach_them(built):
    page = (built / site.page_name(ENABLED[1].id)).read_text()
    assert "<abbr title=" not in page and page.count("<abbr tabindex='0' title=") > 5
    assert "abbr[title]:focus::after" in (built / "site.css").read_text()
