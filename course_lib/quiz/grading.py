"""Grading: pure functions from (question, answer) to a :class:`Verdict`. No widgets here.

Each verdict states its result in words ("Correct —", "Not quite —", "Partly right —"), so
the widget layer never has to rely on colour. A malformed or incomplete answer (empty box,
"twelve", an unsorted item) gives a verdict with ``valid=False``: it explains what to fix
and does not cost the learner an attempt.

Numeric answers are parsed with a regular expression, never ``eval``: a learner's text is
data, not code.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .schema import (
    CategoriseQuestion,
    MultipleQuestion,
    NumericQuestion,
    Option,
    OrderQuestion,
    PredictQuestion,
    Question,
    SingleQuestion,
)

CORRECT = "Correct"
NOT_QUITE = "Not quite"
PARTLY = "Partly right"
NOT_CHECKED = "Not checked yet"
MATCH = "Your prediction matches the model"
DIFFERENT = "Your prediction differs from the model"

# Float round-off must not turn an answer exactly at the tolerance edge into a wrong one
# (8.45 - 1.55 is 6.8999999999999995 in binary floating point).
_EDGE_SLACK = 1e-9


@dataclass(frozen=True)
class Verdict:
    """The result of checking one answer.

    correct: the answer is fully right (for predictions: the prediction matched).
    score: 0..1, partial credit for multiple/categorise/order.
    headline: the verdict in words; ``text`` joins it to the feedback with an em dash.
    feedback: sentences that teach (per-option feedback, what to fix).
    missed: ids of correct options/items the learner did not give (multiple select).
    wrong: ids of options/items/steps the learner got wrong.
    valid: False when the answer could not be checked (empty, unreadable); no attempt counted.
    """

    correct: bool
    score: float
    headline: str
    feedback: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()
    wrong: tuple[str, ...] = ()
    valid: bool = True

    @property
    def text(self) -> str:
        body = " ".join(self.feedback)
        return f"{self.headline} — {body}" if body else f"{self.headline}."


class AnswerError(ValueError):
    """The learner's answer cannot be read; the message says how to fix it."""


def invalid(message: str) -> Verdict:
    return Verdict(correct=False, score=0.0, headline=NOT_CHECKED, feedback=(message,), valid=False)


# ----------------------------------------------------------------------------- numbers

_NUMBER_WITH_UNIT = re.compile(
    r"^(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(?P<unit>.*)$"
)
_PERCENT_WORDS = ("percent", "per cent", "pct")


def _accepted_units(unit: str, aliases: Iterable[str]) -> set[str]:
    accepted = {unit, *aliases}
    if unit == "%":
        accepted.update(_PERCENT_WORDS)
    return {u.casefold() for u in accepted if u}


def parse_number(text: Any, unit: str = "", aliases: Iterable[str] = ()) -> float:
    """Read a learner's number, optionally followed by the question's unit.

    Accepts "12", "12.0", "1.2e1", " 12 ", "-3", "12 %", "12%", "12 mV" (when mV is the
    question's unit; case is ignored so "12 mv" counts). Raises :class:`AnswerError` with a
    message for the learner otherwise. Actual numbers (int/float) pass straight through.
    """
    if isinstance(text, bool):
        raise AnswerError("Type a number, such as 12 or 12.5.")
    if isinstance(text, (int, float)):
        number = float(text)
    else:
        if text is None or not str(text).strip():
            raise AnswerError("Type a number in the box first.")
        raw = str(text).strip().replace("\u2212", "-")  # the typographic minus sign
        if "," in raw:
            raise AnswerError(f"'{raw}' has a comma. Use a dot for decimals (12.5) and no "
                              "thousands separators.")
        match = _NUMBER_WITH_UNIT.match(raw)
        if match is None:
            example = f" or 12 {unit}" if unit else ""
            raise AnswerError(f"'{raw}' is not a number I can read. Type digits, such as 12, "
                              f"12.5{example}.")
        given_unit = match.group("unit").strip()
        if given_unit:
            if not unit:
                raise AnswerError(f"This answer has no unit: type just the number, "
                                  f"without '{given_unit}'.")
            if given_unit.casefold() not in _accepted_units(unit, aliases):
                raise AnswerError(f"This question wants the answer in {unit}, but you typed "
                                  f"'{given_unit}'. Give the number in {unit}.")
        number = float(match.group("number"))
    if not math.isfinite(number):
        raise AnswerError("That number is too large to be an answer here.")
    return number


def within(value: float, target: float, tolerance: float) -> bool:
    """True when ``value`` is within ``tolerance`` of ``target``, edges included."""
    slack = _EDGE_SLACK * max(1.0, abs(target), abs(tolerance))
    return abs(value - target) <= tolerance + slack


def _format_number(value: float, unit: str) -> str:
    return f"{value:g} {unit}".strip() if unit != "%" else f"{value:g} %"


# ----------------------------------------------------------------------------- per type

def grade_single(question: SingleQuestion, answer: Any) -> Verdict:
    if answer is None or answer == "":
        return invalid("Choose one of the options first.")
    ids = [o.id for o in question.options]
    if answer not in ids:
        return invalid(f"'{answer}' is not one of this question's options.")
    option = question.option(answer)
    if answer == question.answer:
        return Verdict(True, 1.0, CORRECT, (option.feedback,))
    return Verdict(False, 0.0, NOT_QUITE, (option.feedback,), wrong=(answer,))


def grade_multiple(question: MultipleQuestion, answer: Any) -> Verdict:
    if answer is None or isinstance(answer, str):
        chosen = {answer} if answer else set()
    else:
        chosen = set(answer)
    if not chosen:
        return invalid("Tick at least one option first.")
    ids = {o.id for o in question.options}
    unknown = chosen - ids
    if unknown:
        return invalid(f"'{sorted(unknown)[0]}' is not one of this question's options.")
    hits = chosen & question.answer
    false_picks = chosen - question.answer
    missed = question.answer - chosen
    # Each wrong tick cancels one right tick, so ticking every box cannot earn full credit.
    score = max(0.0, (len(hits) - len(false_picks)) / len(question.answer))
    if not false_picks and not missed:
        return Verdict(True, 1.0, CORRECT,
                       (f"You found all {len(question.answer)} and ticked nothing else.",))
    feedback: list[str] = []
    ordered: list[Option] = list(question.options)
    for option in ordered:
        if option.id in false_picks:
            feedback.append(option.feedback)
    missed_texts = [o.if_missed for o in ordered if o.id in missed and o.if_missed]
    feedback.extend(missed_texts)
    if missed and not missed_texts:
        feedback.append(f"{len(missed)} statement(s) that belong are still unticked.")
    if missed and missed_texts:
        feedback.append(f"({len(missed)} statement(s) that belong are still unticked.)")
    headline = PARTLY if hits else NOT_QUITE
    return Verdict(False, score, headline, tuple(feedback),
                   missed=tuple(o.id for o in ordered if o.id in missed),
                   wrong=tuple(o.id for o in ordered if o.id in false_picks))


def grade_numeric(question: NumericQuestion, answer: Any) -> Verdict:
    try:
        value = parse_number(answer, question.unit, question.unit_aliases)
    except AnswerError as exc:
        return invalid(str(exc))
    shown = _format_number(value, question.unit)
    if within(value, question.answer, question.tolerance):
        return Verdict(True, 1.0, CORRECT, (f"{shown} is within the accepted range.",))
    feedback = [f"{shown} is {'below' if value < question.answer else 'above'} the accepted range."]
    ranged = [r.feedback for r in question.feedback_ranges if r.low <= value <= r.high]
    if ranged:
        feedback.extend(ranged)
    elif value < question.answer and question.too_low:
        feedback.append(question.too_low)
    elif value > question.answer and question.too_high:
        feedback.append(question.too_high)
    return Verdict(False, 0.0, NOT_QUITE, tuple(feedback))


def grade_categorise(question: CategoriseQuestion, answer: Any) -> Verdict:
    if not isinstance(answer, Mapping):
        return invalid("Put each item into a group first.")
    group_ids = {g.id for g in question.groups}
    unsorted = [i for i in question.items if answer.get(i.id) in (None, "")]
    if unsorted:
        return invalid(f"Sort every item before checking: {len(unsorted)} still without a group.")
    bad_group = [answer[i.id] for i in question.items if answer[i.id] not in group_ids]
    if bad_group:
        return invalid(f"'{bad_group[0]}' is not one of the groups.")
    wrong = [i for i in question.items if answer[i.id] != i.group]
    n = len(question.items)
    score = (n - len(wrong)) / n
    if not wrong:
        return Verdict(True, 1.0, CORRECT, (f"All {n} are in the right group.",))
    feedback = [f"{n - len(wrong)} of {n} are in the right group."]
    for item in wrong:
        feedback.append(item.feedback or f"Look again at: {item.text}")
    headline = PARTLY if score > 0 else NOT_QUITE
    return Verdict(False, score, headline, tuple(feedback), wrong=tuple(i.id for i in wrong))


def _order_from_answer(question: OrderQuestion, answer: Any) -> list[str]:
    """Accept a list of step ids in the learner's order, or {step id: position (1-based)}."""
    ids = [s.id for s in question.steps]
    n = len(ids)
    if isinstance(answer, Mapping):
        positions = {sid: answer.get(sid) for sid in ids}
        missing = [sid for sid, p in positions.items() if p in (None, "")]
        if missing:
            raise AnswerError(f"Give every step a position first: {len(missing)} still without one.")
        try:
            numbers = {sid: int(p) for sid, p in positions.items()}
        except (TypeError, ValueError):
            raise AnswerError("Positions must be whole numbers.") from None
        counts = Counter(numbers.values())
        repeated = sorted(p for p, c in counts.items() if c > 1)
        if repeated:
            raise AnswerError(f"Each position can be used once, but position {repeated[0]} is "
                              f"used {counts[repeated[0]]} times.")
        if set(numbers.values()) != set(range(1, n + 1)):
            raise AnswerError(f"Positions must run from 1 to {n}.")
        return sorted(ids, key=numbers.__getitem__)
    if isinstance(answer, str) or not isinstance(answer, Iterable):
        raise AnswerError("Put the steps in order first.")
    sequence = list(answer)
    if sorted(sequence) != sorted(ids):
        raise AnswerError(f"Use each of the {n} steps exactly once.")
    return sequence


def grade_order(question: OrderQuestion, answer: Any) -> Verdict:
    try:
        sequence = _order_from_answer(question, answer)
    except AnswerError as exc:
        return invalid(str(exc))
    right = [s.id for s in question.steps]
    wrong = [sid for sid, expected in zip(sequence, right) if sid != expected]
    n = len(right)
    if not wrong:
        return Verdict(True, 1.0, CORRECT, (f"All {n} steps are in the right order.",))
    score = (n - len(wrong)) / n
    feedback = [f"{n - len(wrong)} of {n} steps are in the right place."]
    by_id = {s.id: s for s in question.steps}
    feedback.extend(by_id[sid].feedback for sid in wrong if by_id[sid].feedback)
    headline = PARTLY if score > 0 else NOT_QUITE
    return Verdict(False, score, headline, tuple(feedback), wrong=tuple(wrong))


# ----------------------------------------------------------------------------- predictions

def read_prediction(question: PredictQuestion, value: Any) -> str | float:
    """Check a learner's prediction: an option id (choice) or a number. Raises AnswerError."""
    if question.prediction == "numeric":
        return parse_number(value, question.unit)
    if value is None or value == "":
        raise AnswerError("Choose your prediction first.")
    if value not in {o.id for o in question.options}:
        raise AnswerError(f"'{value}' is not one of the predictions on offer.")
    return value


def _plain(value: Any) -> Any:
    """numpy scalars -> Python scalars, so observations are JSON-safe and comparable."""
    item = getattr(value, "item", None)
    return item() if callable(item) and not isinstance(value, (str, bytes)) else value


def observed_option(question: PredictQuestion, observed: Any) -> Option | None:
    """Map a lab's result onto a choice: by option id, or by the option's numeric interval."""
    observed = _plain(observed)
    if isinstance(observed, str):
        return next((o for o in question.options if o.id == observed), None)
    if isinstance(observed, bool) or not isinstance(observed, (int, float)):
        return None
    for option in question.options:
        if option.when is None:
            continue
        low, high = option.when
        if (low is None or observed >= low) and (high is None or observed < high):
            return option
    return None


def describe_prediction(question: PredictQuestion, value: Any) -> str:
    if question.prediction == "numeric":
        return _format_number(float(value), question.unit)
    option = next((o for o in question.options if o.id == value), None)
    return option.text if option else str(value)


def compare_prediction(question: PredictQuestion, prediction: Any, observed: Any,
                       description: str = "") -> Verdict:
    """Compare a committed prediction with a lab's result."""
    observed = _plain(observed)
    said = describe_prediction(question, prediction)
    lab = f" ({description.rstrip('.')})" if description else ""  # the sentence ends after the bracket
    if question.prediction == "numeric":
        if isinstance(observed, bool) or not isinstance(observed, (int, float)) \
                or not math.isfinite(observed):
            return invalid(f"The lab reported {observed!r}, which is not a number to compare "
                           "with your prediction.")
        shown = _format_number(float(observed), question.unit)
        matched = within(float(prediction), float(observed), question.tolerance)
        margin = (f" (within {_format_number(question.tolerance, question.unit)})"
                  if question.tolerance else "")
        detail = f"You predicted {said}; the model gave {shown}{lab}{margin if matched else ''}."
    else:
        option = observed_option(question, observed)
        if option is None:
            return invalid(f"The lab reported {observed!r}, which does not match any of the "
                           "predictions on offer.")
        matched = option.id == prediction
        detail = f"You predicted: {said}. The model showed: {option.text}{lab}."
    if matched:
        return Verdict(True, 1.0, MATCH, (detail,))
    return Verdict(False, 0.0, DIFFERENT,
                   (detail, "A surprise is useful: the explanation below says why the model "
                            "behaves this way."))


# ----------------------------------------------------------------------------- dispatch

_GRADERS = {
    "single": grade_single,
    "multiple": grade_multiple,
    "numeric": grade_numeric,
    "categorise": grade_categorise,
    "order": grade_order,
}


def grade(question: Question, answer: Any) -> Verdict:
    """Grade any non-predict question. Predictions go through :func:`compare_prediction`."""
    if isinstance(question, PredictQuestion):
        raise TypeError("predict questions are compared with compare_prediction(), not graded")
    return _GRADERS[question.type](question, answer)
