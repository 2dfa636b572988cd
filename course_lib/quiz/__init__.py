"""Quizzes for the course: question banks (YAML), grading, progress, and quiz widgets.

Notebook use (keep notebooks thin)::

    from course_lib.quiz import show_quiz, question
    show_quiz("01_what_is_neuropathic_pain")            # the whole bank
    show_quiz("01_what_is_neuropathic_pain", ids=["iasp_definition"])
    q = question("01_what_is_neuropathic_pain", "prevalence")   # one question; displays itself

A lab hands its result to a predict-then-observe question with a plain call (no widgets)::

    from course_lib.quiz import observe
    observe("nav18_off_spikes", 1, description="Nav1.8 off, 400 pA step")

Progress: ``show_progress()`` (table + reset with confirmation), ``progress_summary()``
(rows), ``reset_progress(notebook=None)``. Instructors: ``python -m course_lib.quiz check |
key [NOTEBOOK] | handout NOTEBOOK``.

Layering: the schema, grading, progress and observation modules import no ipywidgets; the
widget module (``render``) is imported only when a widget is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .grading import AnswerError, Verdict, compare_prediction, grade, parse_number
from .loader import available_banks, load_all_banks, load_bank
from .observations import Observation, observe
from .progress import ProgressStore, ProgressWarning, SummaryRow, get_store
from .schema import QUESTION_TYPES, Bank, BankError, Question

if TYPE_CHECKING:  # pragma: no cover
    from .render import ProgressView, QuestionWidget, QuizView

__all__ = [
    "AnswerError", "Bank", "BankError", "Observation", "ProgressStore", "ProgressWarning",
    "QUESTION_TYPES", "Question", "SummaryRow", "Verdict", "available_banks", "compare_prediction",
    "get_store", "grade", "load_all_banks", "load_bank", "make_quiz", "observe", "parse_number",
    "progress_summary", "progress_view", "question", "reset_progress", "show_progress",
    "show_quiz",
]


def _display(obj: Any) -> None:
    from IPython.display import display

    display(obj.view)


def make_quiz(notebook: str, ids: list[str] | None = None,
              store: ProgressStore | None = None) -> QuizView:
    """Build (but do not display) a notebook's quiz; ``.questions`` holds the question widgets."""
    from .render import make_quiz as _make

    return _make(notebook, ids, store)


def show_quiz(notebook: str, ids: list[str] | None = None,
              store: ProgressStore | None = None) -> None:
    """Display a notebook's quiz (all questions, or the ``ids`` given, in bank order)."""
    _display(make_quiz(notebook, ids, store))


def question(notebook: str, question_id: str, store: ProgressStore | None = None) -> QuestionWidget:
    """One question widget. It displays itself as a cell's last line; ``.view`` is the VBox."""
    from .render import question_widget

    bank = load_bank(notebook)
    return question_widget(notebook, question_id, store, number=bank.ids.index(question_id) + 1)


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
