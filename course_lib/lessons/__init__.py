"""One-line calls for the notebooks: each lesson module holds its notebook's wiring.

A notebook starts with one setup line, ``from course_lib.lessons.nb02 import *``, and then calls
``channel_lab()``, ``question("predict_nav18_off")``, ``model_numbers("nav18_off")``, ``quiz()``
and ``self_check()``: no imports, lambdas or f-strings in front of a learner. Which lab feeds
which predict question, and under which setting, lives here (``Lesson.connections``), where the
tests can check it (for example, that no lab's default setting already answers its question).

Layering: lessons sit on top (notebooks -> lessons -> widgets/quiz -> figures -> models).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..syllabus import entry


PREDICT_FIRST = ("Lock in your prediction in the question above first; the live lab, and a description "
                 "of its figure in words, appear here when this cell runs.")


@dataclass(frozen=True)
class Connection:
    """A lab feeding a predict-then-observe question (see ``widgets.predictions``)."""

    question_id: str
    when: Mapping[str, Any] | None = None
    value_of: Callable[[Any], Any] | None = None


class ModelNumbers:
    """Numbers computed by the models, shown collapsed: a learner opens them after predicting.

    The same lines go to text/plain (which nbval compares, so prose and model cannot drift
    apart) and to a closed ``<details>`` element in text/html (so nothing answers a Predict
    question on screen until the learner asks).
    """

    AFTER_PREDICTION = "open this after you have locked in your prediction"
    FOR_DETAILS = "open for the details"

    def __init__(self, title: str, lines: list[str], caption: str = AFTER_PREDICTION):
        self.title = title
        self.lines = list(lines)
        self.caption = caption  # what the folded box holds, or when to open it

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def _repr_mimebundle_(self, **_kwargs: Any) -> dict[str, str]:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines)
        rich = (f"<details class='course-model-numbers'><summary><b>{html.escape(self.title)}</b> "
                f"({html.escape(self.caption)})</summary><ul>{{items}}</ul></details>"
                ).replace("{items}", items)
        return {"text/plain": f"{self.title}\n{self.text}", "text/html": rich}

    def __repr__(self) -> str:
        return f"{self.title}\n{self.text}"


class OpenList:
    """A short list shown open (not folded), with a heading: for text every learner must see, such as
    the red flags. text/plain carries the same lines, which nbval compares."""

    def __init__(self, title: str, lines: list[str]):
        self.title = title
        self.lines = list(lines)

    def _repr_mimebundle_(self, **_kwargs: Any) -> dict[str, str]:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines)
        rich = f"<div class='course-open-list'><p><b>{html.escape(self.title)}</b></p><ul>{items}</ul></div>"
        return {"text/plain": "\n".join([self.title, *(f"- {line}" for line in self.lines)]), "text/html": rich}

    def __repr__(self) -> str:
        return "\n".join([self.title, *(f"- {line}" for line in self.lines)])


@dataclass
class Lesson:
    """The wiring of one notebook: its id, its end-of-notebook quiz and its number tables."""

    notebook: str
    quiz_ids: tuple[str, ...]
    numbers: dict[str, tuple[str, Callable[[], list[str]]]] = field(default_factory=dict)
    connections: dict[str, Connection] = field(default_factory=dict)
    #: number tables shown where no Predict question comes first: captioned for what they hold
    reference_numbers: frozenset[str] = frozenset()
    #: the notebook's quiz() is the course's final review (questions of every notebook, quiz.review.REVIEW)
    final_review: bool = False

    def question(self, question_id: str):
        """One question of this notebook's bank, numbered by its place in the bank."""
        from ..quiz import question

        return question(self.notebook, question_id)

    def quiz(self):
        """The end-of-notebook quiz: the questions not asked beside a lab, in bank order."""
        from ..quiz import make_quiz

        return make_quiz(self.notebook, list(self.quiz_ids))

    def model_numbers(self, key: str) -> ModelNumbers:
        """A collapsed list of the model's numbers for one Explain step."""
        if key not in self.numbers:
            raise ValueError(f"model_numbers: no table {key!r} in {self.notebook}; "
                             f"known: {sorted(self.numbers)}")
        title, compute = self.numbers[key]
        caption = ModelNumbers.FOR_DETAILS if key in self.reference_numbers else ModelNumbers.AFTER_PREDICTION
        return ModelNumbers(title, compute(), caption)

    def connect(self, lab, key: str):
        """Hand ``lab``'s results to the predict question named in ``connections[key]``."""
        from ..widgets.predictions import connect_prediction

        link = self.connections[key]
        connect_prediction(lab, link.question_id, when=link.when, value_of=link.value_of)
        # The first view of a lab with a Predict question: no figure description, which could
        # describe the very pattern the question asks about (the balance map, for one).
        lab.placeholder_details = lambda: PREDICT_FIRST
        return lab

    def self_check(self) -> SelfCheck:
        return SelfCheck(self.notebook)


def _question_status(record: dict[str, Any] | None, predict: bool) -> str:
    if not record or not record.get("attempts"):
        if record and record.get("revealed"):
            return "answer shown"
        return "not tried yet"
    if predict:
        matched = record.get("matched")
        if matched is True:
            return "predicted, and the model agreed"
        if matched is False:
            return "predicted; the model did something else (worth a second look)"
        return "prediction locked in; run the lab to compare"
    if record.get("revealed") and record.get("last_correct") is not True:
        return "answer shown"
    if record.get("last_correct") is True:
        return "correct"
    return "tried, not yet right"


class SelfCheck:
    """Each objective of a notebook with the learner's own results for its questions."""

    def __init__(self, notebook: str):
        from ..quiz import get_store, load_bank

        self.notebook = notebook
        bank = load_bank(notebook)
        store = get_store()
        self.rows: list[tuple[str, list[tuple[str, str]]]] = []
        for objective in entry(notebook).objectives:
            results = []
            for qid in objective.checked_by:
                number = bank.ids.index(qid) + 1
                predict = bank.get(qid).type == "predict"
                status = _question_status(store.question_record(notebook, qid), predict)
                results.append((f"Question {number}", status))
            self.rows.append((objective.text, results))

    def text(self) -> str:
        lines = ["Self-check: you can ..."]
        for objective, results in self.rows:
            lines.append(f"- {objective}: " + "; ".join(f"{q} {s}" for q, s in results))
        lines.append("Run this cell again after answering to update it.")
        return "\n".join(lines)

    def _repr_mimebundle_(self, **_kwargs: Any) -> dict[str, str]:
        body = "".join(
            f"<tr><td style='text-align:left'>{html.escape(objective)}</td><td style='text-align:left'>"
            + "<br>".join(f"{html.escape(q)}: {html.escape(s)}" for q, s in results) + "</td></tr>"
            for objective, results in self.rows)
        rich = ("<table class='course-self-check' style='text-align:left'><caption>Self-check: "
                "each objective and how your answers went</caption><tr><th scope='col'>You can ...</th>"
                f"<th scope='col'>Your answers</th></tr>{body}</table>"
                "<p><small>Run this cell again after answering to update it. Saved on this "
                "computer only.</small></p>")
        return {"text/plain": self.text(), "text/html": rich}


__all__ = ["Connection", "Lesson", "ModelNumbers", "SelfCheck"]
