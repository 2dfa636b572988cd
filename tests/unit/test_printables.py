"""Printable pages (issue 22 items 2-3): built from the course's own sources, nothing for authors only.

The PDFs themselves (pages and text) are checked in tests/browser/test_printables_pdf.py, which needs
Chromium."""

from __future__ import annotations

import html
import re

import pytest

from course_lib import printables
from course_lib.cases import CASES
from course_lib.careplan import load_careplan
from course_lib.quiz import load_bank
from course_lib.quiz.__main__ import answer_key, handout, main
from course_lib.syllabus import enabled_notebooks

ENABLED = enabled_notebooks()


def visible_text(page: str) -> str:
    """A page's text without tags, whitespace collapsed."""
    tags_out = re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", page, flags=re.S))
    return " ".join(html.unescape(tags_out).split())


@pytest.mark.parametrize("entry", ENABLED, ids=[e.id for e in ENABLED])
def test_a_quick_reference_carries_the_notebooks_own_words(entry):
    page = printables.quick_reference(entry.id)
    text = visible_text(page)
    first_sentence = visible_text(printables.markdown_html(printables.short_answer(entry.id))).split(". ")[0]
    assert first_sentence in text
    for objective in entry.objectives:
        assert " ".join(objective.text.split()) in text
    for question in load_bank(entry.id).questions:
        if question.type == "predict":
            assert question.id in text and question.observe_with[:40] not in text
    assert "Misconceptions to listen for" in text and "(#In-plain-words)" not in page
    flags = [flag.text for flag in load_careplan().red_flags]
    assert (flags[0] in text) == (entry.id[:2] in ("05", "06")), "red flags belong to 05 and 06 only"


def test_every_case_has_a_card_and_every_case_predict_is_on_exactly_one():
    cards = printables.case_cards()
    assert [c.name for c in cards] == [c.name for c in CASES.values()]
    predicts = [q for q in load_bank("06_case_studies_and_review").questions if q.type == "predict"]
    on_cards = [prompt for card in cards for prompt, _options, _task in card.questions]
    assert sorted(on_cards) == sorted(" ".join(q.prompt.split()) for q in predicts)
    page = visible_text(printables.case_cards_page())
    assert all(q.observe_with[:40] not in page for q in predicts)
    assert " lab below" not in page, "paper has no 'below'"


@pytest.mark.parametrize("entry", ENABLED, ids=[e.id for e in ENABLED])
def test_a_printable_handout_asks_every_question_and_gives_no_answer(entry):
    bank = load_bank(entry.id)
    page = printables.blocks_page("Handout", handout(bank))
    text = visible_text(page)
    for question in bank.questions:
        assert " ".join(question.prompt.split())[:60] in text
    assert "(correct)" not in text and "Explanation:" not in text
    assert page.count('class="block"') == len(bank.questions)  # each question kept on one page
    key = visible_text(printables.blocks_page("Key", answer_key(bank), keep_together=False))
    assert key.count("Explanation:") == len(bank.questions)


def test_without_chromium_a_pdf_is_refused_with_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setattr(printables, "find_chromium", lambda: None)
    with pytest.raises(printables.PrintError, match="Chromium.*--html"):
        printables.write_pdf("<p>x</p>", tmp_path / "x.pdf")
    assert main(["handout", "02", "--pdf", "-o", str(tmp_path / "h.pdf")]) == 1
    assert not (tmp_path / "h.pdf").exists()


def test_html_pages_are_written_where_asked(tmp_path, capsys):
    assert main(["quickref", "03", "-o", str(tmp_path / "q.html")]) == 0
    assert "Explore why the duration of pain matters" in (tmp_path / "q.html").read_text()
    assert main(["cases", "--html", "-o", str(tmp_path / "c.html")]) == 0
    assert (tmp_path / "c.html").read_text().count('class="card"') == len(CASES)
    assert main(["key", "--pdf"]) == 2  # a printable key is one notebook at a time
    assert "one notebook at a time" in capsys.readouterr().err
