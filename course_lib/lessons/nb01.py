"""Notebook 01 (what neuropathic pain is): cited facts, the sorting question and the quiz.

Notebook use: ``from course_lib.lessons.nb01 import *``.
"""

from __future__ import annotations

from ..evidence import cite
from . import Lesson

NOTEBOOK = "01_what_is_neuropathic_pain"

LESSON = Lesson(
    notebook=NOTEBOOK,
    quiz_ids=("iasp_definition", "how_it_feels", "allodynia", "causes", "prevalence",
              "chronic_months", "prognosis_factors", "becoming_chronic", "myth_or_fact"),
)

question = LESSON.question
quiz = LESSON.quiz
self_check = LESSON.self_check

__all__ = ["cite", "question", "quiz", "self_check"]
