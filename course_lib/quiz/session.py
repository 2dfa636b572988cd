"""One learner working on one question: attempts, hints, reveal, saved progress. No widgets.

The widget layer (``render.py``) wraps a session and only turns its results into text. Keeping
the rules here (when the answer is revealed, what counts as an attempt) means they are tested
without ipywidgets.
"""

from __future__ import annotations

from typing import Any

from . import observations
from .grading import AnswerError, Verdict, compare_prediction, describe_prediction, grade, \
    invalid, read_prediction
from .progress import ProgressStore, get_store, status_text
from .schema import PredictQuestion, Question


def saved_answer(question: Question, answer: Any) -> Any:
    """A checked answer as small JSON-safe data for the progress file (and so for the
    learner's record and the class report): an option id, a sorted list of ticked option
    ids, a number, ``{item: group}``, or step ids in the learner's order. None when the
    answer has no such plain form. Only called for answers that grading could read."""
    try:
        return question.saved_form(answer)
    except (AnswerError, AttributeError, TypeError, ValueError):
        return None


class QuestionSession:
    """Attempts and hints for one question in this kernel; every checked answer is saved.

    ``attempts`` counts this session (it decides when the answer is revealed); the saved
    record counts all sessions (it feeds "attempted 2 times, last correct"). An answer given
    after the answer was shown still counts as an attempt but never raises the best score
    (see :meth:`ProgressStore.record_attempt`). An unreadable answer costs no attempt.
    """

    def __init__(self, notebook: str, question: Question, store: ProgressStore | None = None):
        self.notebook = notebook
        self.question = question
        self.store = store if store is not None else get_store()
        self.attempts = 0
        self.hints_shown = 0
        self.solved = False
        self.revealed = False
        self.last_verdict: Verdict | None = None
        self.saved_record: dict[str, Any] | None = self.store.question_record(notebook, question.id)

    # -------------------------------------------------------------- answering

    def submit(self, answer: Any) -> Verdict:
        """Grade ``answer``; a readable answer counts as an attempt and is saved."""
        verdict = grade(self.question, answer)
        self.last_verdict = verdict
        if not verdict.valid:
            return verdict
        self.attempts += 1
        self.solved = self.solved or verdict.correct
        self.saved_record = self.store.record_attempt(
            self.notebook, self.question.id, correct=verdict.correct, score=verdict.score,
            kind=self.question.type, hints_used=self.hints_shown,
            answer=saved_answer(self.question, answer), wrong=verdict.wrong)
        if not verdict.correct and self.attempts >= self.question.max_attempts:
            self.reveal()
        return verdict

    @property
    def attempts_left(self) -> int:
        return max(0, self.question.max_attempts - self.attempts)

    @property
    def explanation_visible(self) -> bool:
        """The explanation is shown once the learner is right or the answer is revealed."""
        return self.solved or self.revealed

    # -------------------------------------------------------------- help

    @property
    def hints_left(self) -> int:
        return len(self.question.hints) - self.hints_shown

    def next_hint(self) -> str | None:
        """Reveal the next hint (one at a time); None when there are no more."""
        if self.hints_left <= 0:
            return None
        self.hints_shown += 1
        return self.question.hints[self.hints_shown - 1]

    def shown_hints(self) -> tuple[str, ...]:
        return self.question.hints[: self.hints_shown]

    def reveal(self) -> str:
        """Show the answer and explanation (on request or after the last attempt)."""
        if not self.revealed:
            self.revealed = True
            self.store.record_reveal(self.notebook, self.question.id)
            self.saved_record = self.store.question_record(self.notebook, self.question.id)
        return self.question.answer_text()

    def status(self) -> str:
        return status_text(self.saved_record)


class PredictSession(QuestionSession):
    """Predict, then observe. The learner commits first; a lab hands in its result by calling
    :func:`course_lib.quiz.observe` (any lab, with a plain value and a description).

    A result that arrives before the prediction is kept but not shown: seeing the answer
    first would defeat the point of predicting.

    One prediction is one attempt: the first comparison with a lab result is saved as an
    attempt; later results for the same prediction (a slider being dragged) update what is
    shown, and are saved only when the outcome (match or not) changes. "Predict again"
    starts a new prediction, which is the next attempt.
    """

    question: PredictQuestion

    def __init__(self, notebook: str, question: PredictQuestion,
                 store: ProgressStore | None = None):
        super().__init__(notebook, question, store)
        self.prediction: str | float | None = None
        self.observation: observations.Observation | None = None
        self.comparison: Verdict | None = None
        self._counted = False  # has the current prediction been counted as an attempt?
        self._listeners: list[Any] = []
        observations.register(notebook, question.id, self)
        earlier = observations.latest(notebook, question.id)
        if earlier is not None:
            self.observation = earlier

    def add_listener(self, callback: Any) -> None:
        """``callback(session)`` runs after each comparison (the widget uses this)."""
        self._listeners.append(callback)

    def submit(self, answer: Any) -> Verdict:
        return self.commit(answer)

    def commit(self, value: Any) -> Verdict:
        """Lock in a prediction; compare at once if a lab has already reported."""
        if self.prediction is not None:
            return invalid("Your prediction is already locked in. Run the lab to compare.")
        try:
            self.prediction = read_prediction(self.question, value)
        except AnswerError as exc:
            return invalid(str(exc))
        said = describe_prediction(self.question, self.prediction)
        verdict = Verdict(False, 0.0, "Prediction saved",
                          (f"You predicted: {said}. Now {self.question.task}",))
        self.last_verdict = verdict
        if self.observation is not None:
            return self._compare()
        return verdict

    def receive(self, observation: observations.Observation) -> Verdict | None:
        """Called by :mod:`observations` when a lab reports a result."""
        self.observation = observation
        if self.prediction is None:
            return None
        return self._compare()

    def _compare(self) -> Verdict:
        assert self.observation is not None and self.prediction is not None
        verdict = compare_prediction(self.question, self.prediction, self.observation.value,
                                     self.observation.description)
        self.comparison = verdict
        self.last_verdict = verdict
        if verdict.valid:
            self.solved = True  # a committed, compared prediction is complete either way
            if not self._counted:
                # One prediction is one attempt; a lab reporting again (every slider move)
                # only updates the result shown and saved.
                self._counted = True
                self.attempts += 1
                self.saved_record = self.store.record_attempt(
                    self.notebook, self.question.id, correct=verdict.correct,
                    score=verdict.score, kind="predict", matched=verdict.correct,
                    prediction=self.prediction, observed=self.observation.value,
                    answer=self.prediction)
            elif (self.saved_record or {}).get("matched") is not verdict.correct:
                # Saved only when the outcome changes: a slider drag reports many results,
                # and a disk write per result would eat the lab's time budget.
                self.saved_record = self.store.record_result(
                    self.notebook, self.question.id, last_correct=verdict.correct,
                    last_score=verdict.score, matched=verdict.correct,
                    observed=self.observation.value)
        for callback in list(self._listeners):
            callback(self)
        return verdict

    def reset_prediction(self) -> None:
        """Let the learner predict again; the next lab result is compared with the new one."""
        self.prediction = None
        self.comparison = None
        self.observation = None
        self._counted = False
