"""The printable PDFs as an instructor gets them (issue 22 item 3): pages and text, made by Chromium.

Marked ``browser``: they need the same Chromium as the browser tests (and fail under CI without it)."""

from __future__ import annotations

import pytest

from course_lib.cases import CASES
from course_lib.quiz import load_bank
from course_lib.quiz.__main__ import main
from course_lib.syllabus import enabled_notebooks

pytestmark = pytest.mark.browser
ENABLED = enabled_notebooks()


@pytest.fixture
def chromium(chromium_path, monkeypatch):
    monkeypatch.setenv("COURSE_CHROMIUM", chromium_path)
    return chromium_path


def pages_text(path) -> list[str]:
    """Each page's text; NFKC undoes the print's ligatures ("ﬁ" is "fi" again)."""
    import unicodedata

    from pypdf import PdfReader

    return [" ".join(unicodedata.normalize("NFKC", page.extract_text() or "").split())
            for page in PdfReader(path).pages]


def test_each_quick_reference_is_one_page(chromium, tmp_path):
    for entry in ENABLED:
        target = tmp_path / f"q{entry.id[:2]}.pdf"
        assert main(["quickref", entry.id[:2], "--pdf", "-o", str(target)]) == 0
        pages = pages_text(target)
        assert len(pages) == 1, f"{entry.id}: the quick reference runs to {len(pages)} pages"
        assert "quick reference" in pages[0] and "Misconceptions to listen for" in pages[0]


def test_case_cards_are_one_page_per_case(chromium, tmp_path):
    target = tmp_path / "cards.pdf"
    assert main(["cases", "--pdf", "-o", str(target)]) == 0
    pages = pages_text(target)
    assert len(pages) == len(CASES)
    for page, case in zip(pages, CASES.values(), strict=True):
        assert case.name in page and "invented" in page and "Predict 1" in page


@pytest.mark.parametrize("notebook", ["02", "04"])
def test_handout_and_key_pdfs_hold_every_question(chromium, tmp_path, notebook):
    bank = load_bank(next(e.id for e in ENABLED if e.id.startswith(notebook)))
    assert main(["handout", notebook, "--pdf", "-o", str(tmp_path / "h.pdf")]) == 0
    assert main(["key", notebook, "--pdf", "-o", str(tmp_path / "k.pdf")]) == 0
    handout = " ".join(pages_text(tmp_path / "h.pdf"))
    key = " ".join(pages_text(tmp_path / "k.pdf"))
    for n, question in enumerate(bank.questions, 1):
        assert f"Question {n}" in handout
        assert question.explanation.split()[0] in key
    assert key.count("Explanation:") == len(bank.questions) and "Explanation:" not in handout
