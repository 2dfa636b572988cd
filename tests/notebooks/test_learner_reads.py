"""What a learner reads before and around the labs (issue 19): the short answer first, no Predict
answer given away above its question, and minutes that come from the text, not a guess.

``GIVEAWAYS`` lists, per Predict question, wordings that once stated its outcome above it (in an
objective, a heading, an introduction or a placeholder). ``test_giveaway_scan_catches_each_wording``
proves the scan finds each one in a fixture notebook, so a pattern cannot silently stop matching.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from course_lib.notebook_text import (MINUTES_PER_LAB, MINUTES_PER_QUESTION, READING_WORDS_PER_MINUTE,
                                      measured_minutes)
from course_lib.quiz import load_bank
from course_lib.quiz.loader import questions_called
from course_lib.syllabus import enabled_notebooks

from .hygiene import sections, tags

ENABLED = enabled_notebooks()

#: Predict question -> wordings that answer it (case-insensitive; whitespace may break lines)
GIVEAWAYS: dict[str, tuple[str, ...]] = {
    "predict_balance_tip": ("until it fires with no stimulus",),
    "predict_late_removal": ("adaptations can outlast the injury", "removing the cause late may not end"),
    "predict_windup_nmda": ("it depends on NMDA", "NMDA receptors, which let each response"),
    "predict_disinhibited_touch": ("why touch can hurt", "explain touch-evoked pain"),
    "predict_release_after_long_wait": ("nothing turned it back", "before the spinal cord has learned"),
    "predict_drug_after_stopping": ("relief lasts only while", "only while it is taken"),
    "predict_reversal_duration": ("less easily the longer it has lasted",),
    "predict_goals_success": ("change a life without removing the pain",),
    "predict_sara_myelin_only": ("is repaired in weeks", "repaired within weeks"),
    "predict_sara_longer_wait": ("it never tips the switch, however long the wait",),
    "predict_dev_lowest_hba1c": ("some damage keeps adding up",),
    "predict_knee_regrowth": ("distance divided by speed gives the wait", "about a millimetre a day"),
}


def _text(cell) -> str:
    """A cell's source and its stored outputs (placeholders included), as one line of text."""
    parts = [cell.source]
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        parts += [str(data.get("text/html", "")), str(data.get("text/plain", "")), str(output.get("text", ""))]
    return " ".join(" ".join(parts).split())


def _predict_cells(nb) -> dict[str, int]:
    """Question id -> index of the cell that shows it."""
    found = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            for qid in questions_called(cell.source):
                found.setdefault(qid, index)
    return found


def giveaways_above(nb) -> list[str]:
    """Each giveaway wording found above its Predict question, outside folded Explain cells, and in
    the question's own placeholder."""
    problems = []
    for qid, index in _predict_cells(nb).items():
        for wording in GIVEAWAYS.get(qid, ()):
            pattern = re.compile(r"\s+".join(map(re.escape, wording.split())), re.I)
            for k, cell in enumerate(nb.cells[: index + 1]):
                if "explain" in cell.metadata.get("tags", []):
                    continue  # folded, opened after an earlier prediction
                if pattern.search(_text(cell)):
                    problems.append(f"cell {k + 1} gives away {qid}: {wording!r}")
    return problems


@pytest.mark.parametrize("entry", ENABLED, ids=[e.id for e in ENABLED])
def test_no_predict_answer_is_given_away_above_its_question(entry):
    nb = nbformat.read(entry.path, as_version=4)
    assert giveaways_above(nb) == []


@pytest.mark.parametrize("qid, wording", [(q, w) for q, ws in GIVEAWAYS.items() for w in ws])
def test_giveaway_scan_catches_each_wording(qid, wording):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"## Objectives\n\nYou will see {wording.upper()} here."),
                nbformat.v4.new_code_cell(f'question("{qid}")')]
    assert giveaways_above(nb), f"the scan missed {wording!r}"
    nb.cells[0].metadata["tags"] = ["explain"]
    assert giveaways_above(nb) == []


def test_every_giveaway_names_a_predict_question_of_the_course():
    predicts = {q.id for e in ENABLED for q in load_bank(e.id).questions if q.type == "predict"}
    assert set(GIVEAWAYS) <= predicts


#: Cells that tell a case's own course: its timeline figure and its "What decides" summary.
CASE_COURSE = re.compile(r"case_timeline\(|^\*\*What decides whether it goes away\?\*\*", re.M)


def case_course_before_predict(nb) -> list[str]:
    """In a section with a Predict question, a cell telling the case's own course above the question.

    A case's Predict asks what a change to the story would do; its timeline and summary show how the
    story ends in the model, so they come after the Explain, not before the learner commits."""
    problems = []
    for group in sections(nb):
        questions = [i for i, cell in group if "predict" in tags(cell)]
        if questions:
            problems += [f"cell {i + 1} tells the case's course above the Predict question in cell {questions[0] + 1}"
                         for i, cell in group if i < questions[0] and CASE_COURSE.search(cell.source)]
    return problems


@pytest.mark.parametrize("entry", ENABLED, ids=[e.id for e in ENABLED])
def test_a_case_predict_comes_before_the_case_own_course(entry):
    nb = nbformat.read(entry.path, as_version=4)
    assert case_course_before_predict(nb) == []


def test_case_course_scan_finds_a_timeline_above_a_predict():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("## 2. Dev"), nbformat.v4.new_code_cell('case_timeline("diabetes")'),
                nbformat.v4.new_markdown_cell("**What decides whether it goes away?**\n\n- cause"),
                nbformat.v4.new_code_cell('question("predict_dev_lowest_hba1c")',
                                          metadata={"tags": ["predict"]})]
    assert len(case_course_before_predict(nb)) == 2
    nb.cells = [nb.cells[0], nb.cells[3], nb.cells[1], nb.cells[2]]
    assert case_course_before_predict(nb) == []


@pytest.mark.parametrize("entry", ENABLED, ids=[e.id for e in ENABLED])
def test_each_notebook_opens_with_the_short_answer(entry):
    nb = nbformat.read(entry.path, as_version=4)
    second = nb.cells[1]
    assert second.cell_type == "markdown" and second.source.startswith("## The short answer"), \
        f"{entry.id}: the cell after the title must be '## The short answer'"
    body = second.source.split("\n", 1)[1]
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", " ".join(body.split())) if s]
    assert 3 <= len(sentences) <= 7 and len(body.split()) <= 110, f"{entry.id}: keep it to a few plain sentences"
    assert "(#In-plain-words)" in body and any(c.source.startswith("## In plain words") for c in nb.cells)
    assert re.search(r"\bsections? \d|\bnotebooks? 0\d", body, re.I), f"{entry.id}: say where the notebook shows it"


@pytest.mark.parametrize("entry", ENABLED, ids=[e.id for e in ENABLED])
def test_minutes_come_from_the_text_the_labs_and_the_questions(entry):
    nb = nbformat.read(entry.path, as_version=4)
    questions = len(load_bank(entry.id).questions)
    measured = measured_minutes(nb.cells, questions)
    assert entry.minutes == measured, (
        f"{entry.id}: the course map says {entry.minutes} minutes; its words at "
        f"{READING_WORDS_PER_MINUTE} a minute, {MINUTES_PER_LAB} minutes a lab and {MINUTES_PER_QUESTION} "
        f"a question come to {measured} (update course_lib/syllabus.py, or trim the notebook)")


def test_measured_minutes_count_reading_labs_and_questions():
    text = " ".join(["word"] * 300)  # two minutes of reading
    cells = [nbformat.v4.new_markdown_cell(text),
             nbformat.v4.new_code_cell("lab()", metadata={"tags": ["lab"]})]
    assert measured_minutes(cells, questions=2) == 10  # 2 + 4 + 3 = 9, rounded up to 5
    cells.append(nbformat.v4.new_markdown_cell(text + " " + text))  # 4 more minutes of reading
    assert measured_minutes(cells, questions=2) == 15


@pytest.mark.parametrize("entry", ENABLED, ids=[e.id for e in ENABLED])
def test_folded_boxes_ask_for_a_prediction_only_where_there_is_one(entry):
    """A folded box says "open this after you have locked in your prediction" only in a section with
    a Predict question; elsewhere it is captioned for what it holds (Lesson.reference_numbers)."""
    import importlib

    nb = nbformat.read(entry.path, as_version=4)
    for group in sections(nb):
        if any("predict" in tags(cell) for _, cell in group):
            continue
        for index, cell in group:
            assert "locked in your prediction" not in _text(cell), \
                f"{entry.id} cell {index + 1}: asks for a prediction in a section that has none"
    lesson = importlib.import_module(f"course_lib.lessons.nb{entry.id[:2]}").LESSON
    assert lesson.reference_numbers <= set(lesson.numbers), "a reference table that does not exist"


MAX_PARAGRAPH_WORDS = 120


def prose_paragraphs(markdown: str) -> list[str]:
    """The running-text paragraphs of a Markdown cell (headings, lists, tables and quotes left out),
    with hover definitions and tags removed."""
    text = re.sub(r'<abbr title="[^"]*">([^<]*)</abbr>', r"\1", markdown)
    text = re.sub(r"<[^>]+>", " ", text)
    paragraphs = []
    for block in text.split("\n\n"):
        first = block.strip().split("\n")[0] if block.strip() else ""
        if not first or re.match(r"([-*]|\d+\.)\s|[|#>]", first):
            continue
        paragraphs.append(" ".join(block.split()))
    return paragraphs


def test_paragraph_splitting_sees_prose_and_skips_lists():
    cell = "## Head\n\n" + "word " * 130 + "\n\n- item " + "word " * 200 + "\n\n| a | b |"
    assert [len(p.split()) for p in prose_paragraphs(cell)] == [130]


@pytest.mark.parametrize("entry", ENABLED, ids=[e.id for e in ENABLED])
def test_no_wall_of_text(entry):
    """Issue 19 item 11: a paragraph a patient meets stays under about 120 words."""
    nb = nbformat.read(entry.path, as_version=4)
    long = [(k + 1, len(p.split()), p[:60]) for k, cell in enumerate(nb.cells) if cell.cell_type == "markdown"
            and "words" not in cell.metadata.get("tags", []) for p in prose_paragraphs(cell.source)
            if len(p.split()) > MAX_PARAGRAPH_WORDS]
    assert long == [], f"{entry.id}: split these paragraphs: {long}"
