"""Quizzes for the course: question banks (YAML), grading, progress, and quiz widgets.

A notebook never calls this package directly: it calls its lesson's ``quiz()`` and
``question("id")`` (``course_lib.lessons``; docs/authoring.md), which come down to::

    from course_lib.quiz import make_quiz, question
    make_quiz("01_what_is_neuropathic_pain", ["iasp_definition", "prevalence"]).view  # a quiz
    q = question("01_what_is_neuropathic_pain", "prevalence")   # one question; displays itself
    question("predict_nav18_off")      # the id alone, when only one bank has it

Questions are numbered by their position in the bank, and a quiz shows them in bank order, so
a bank listed in the order the notebook meets its questions numbers them 1, 2, 3 down the page
(the notebook hygiene tests check it). A quiz's
opening lines (how many questions, how many predictions, which were met earlier) are written
from the bank by ``schema.quiz_intro``; a bank's ``intro`` adds words, not counts.

A lab hands its result to a predict-then-observe question with a plain call (no widgets)::

    from course_lib.quiz import observe
    observe("nav18_off_spikes", 1, description="Nav1.8 off, 400 pA step")

Progress: ``show_progress()`` (table + reset with confirmation), ``progress_summary()``
(rows), ``reset_progress(notebook=None)``. The learner's own record: ``show_record()`` (name
box, "Download my record" with an HTML page and a JSON file), ``learner_record(name=None)``
(the dict), ``record_html(record)``. Instructors: ``python -m course_lib.quiz check |
key [NOTEBOOK] | handout NOTEBOOK | report RECORDS... [--out report.html]``.

Layering: the schema, grading, progress and observation modules import no ipywidgets; the
widget module (``render``) is imported only when a widget is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .grading import AnswerError, Verdict, compare_prediction, grade, parse_number
from .loader import available_banks, find_question, load_all_banks, load_bank
from .observations import Observation, observe
from .progress import ProgressStore, ProgressWarning, SummaryRow, get_store
from .record import RecordError, learner_record, record_html, record_json
from .review import course_objectives, final_review  # notebook 06: the final review and the objective table
from .schema import QUESTION_TYPES, Bank, BankError, Question, quiz_intro

if TYPE_CHECKING:  # pragma: no cover
    from .record_widget import RecordView
    from .render import ProgressView, QuestionWidget, QuizView

__all__ = [
    "AnswerError", "Bank", "BankError", "Observation", "ProgressStore", "ProgressWarning",
    "QUESTION_TYPES", "Question", "RecordError", "SummaryRow", "Verdict", "available_banks",
    "compare_prediction",
    "find_question", "get_store", "grade", "learner_record", "load_all_banks", "load_bank",
    "make_quiz", "observe", "parse_number", "progress_summary", "progress_view", "question",
    "quiz_intro", "record_html", "record_json", "record_view",
    "reset_progress", "show_progress", "show_record",
]


def _display(obj: Any) -> None:
    from IPython.display import display

    display(obj.view)


def make_quiz(notebook: str, ids: list[str] | None = None,
              store: ProgressStore | None = None) -> QuizView:
    """Build (but do not display) a notebook's quiz; ``.questions`` holds the question widgets."""
    from .render import make_quiz as _make

    return _make(notebook, ids, store)


def question(notebook: str, question_id: str | None = None,
             store: ProgressStore | None = None) -> QuestionWidget:
    """One question widget, numbered by its position in the bank. It displays itself as a
    cell's last line; ``.view`` is the VBox. ``question(id)`` alone finds the bank."""
    from .render import question_widget

    if question_id is None:
        notebook, question_id = find_question(notebook), notebook
    return question_widget(notebook, question_id, store)


def progress_summary(store: ProgressStore | None = None) -> list[SummaryRow]:
    """One row per notebook with a bank (course order), plus saved progress without a bank."""
    store = store if store is not None else get_store()
    return store.summary(load_all_banks())


def progress_view(store: ProgressStore | None = None) -> ProgressView:
    from .render import ProgressView

    return ProgressView(store)


def show_progress(store: ProgressStore | None = None) -> None:
    """Display the progress table with a reset (asks for confirmation first)."""
    _display(progress_view(store))


def reset_progress(notebook: str | None = None, store: ProgressStore | None = None) -> None:
    """Delete saved progress for one notebook, or all of it. No confirmation: code asked for it."""
    from .observations import forget

    (store if store is not None else get_store()).reset(notebook)
    forget(notebook)


def record_view(store: ProgressStore | None = None) -> RecordView:
    """Build (but do not display) the "Download my record" widget."""
    from .record_widget import RecordView

    return RecordView(store)


def show_record(store: ProgressStore | None = None) -> None:
    """Display the name box, the "Download my record" button and a preview."""
    _display(record_view(store))
