"""Grading: pure functions from (question, answer) to a :class:`Verdict`. No widgets here.

Each verdict states its result in words ("Correct —", "Not quite —", "Partly right —"), so
the widget layer never has to rely on colour. A malformed or incomplete answer (empty box,
"twelve", an unsorted item) gives a verdict with ``valid=False``: it explains what to fix
and does not cost the learner an attempt.

Numeric answers are parsed with a regular expression, never ``eval``: a learner's text is
data, not code.
"""

from __future__ import annotations

import logging
import math
import numbers
import re
import unicodedata
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

log = logging.getLogger(__name__)

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


UNREADABLE = "I can't read this answer. Choose or type it again, then check it."

# A learner's own text is quoted back to them, but never more than this much of it: a pasted
# essay must not flood the verdict (or a screen reader announcing it).
ECHO_LIMIT = 80


def echo(value: Any) -> str:
    """A learner's answer as short quotable text: at most ``ECHO_LIMIT`` characters."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        return "a very long number"  # str() of a huge int is slow, or refused past 4300 digits
    try:
        text = value if isinstance(value, str) else repr(value)
    except Exception:  # a value whose repr fails is still an answer we must describe
        text = f"a {type(value).__name__}"
    text = " ".join(text.split())
    return text if len(text) <= ECHO_LIMIT else text[: ECHO_LIMIT - 1] + "\u2026"


# ----------------------------------------------------------------------------- numbers

_NUMBER_WITH_UNIT = re.compile(
    r"^(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(?P<unit>.*)$", re.ASCII | re.DOTALL
)
_FRACTION = re.compile(r"^[+-]?\d+(?:\.\d*)?\s*/\s*[+-]?\d", re.ASCII)
_PERCENT_WORDS = ("percent", "per cent", "pct")


def _accepted_units(unit: str, aliases: Iterable[str]) -> set[str]:
    accepted = {unit, *aliases}
    if unit == "%":
        accepted.update(_PERCENT_WORDS)
    return {u.casefold() for u in accepted if u}


def ascii_digits(text: str) -> str:
    """Read every Unicode decimal digit (category Nd: Arabic-Indic, Devanagari, fullwidth ...)
    as its ASCII digit, so "\u0661\u0662" is 12. Policy: a learner typing in their own script is
    not wrong. Superscripts, vulgar fractions and circled numbers are not decimal digits and
    are left alone, so "10\u00b2" is refused rather than misread as 102."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if unicodedata.category(ch) == "Nd" else ch
                   for ch in text)


def parse_number(text: Any, unit: str = "", aliases: Iterable[str] = ()) -> float:
    """Read a learner's number, optionally followed by the question's unit.

    Accepts "12", "12.0", "1.2e1", " 12 ", "-3", "12 %", "12%", "12 mV" (when mV is the
    question's unit; case is ignored so "12 mv" counts), and decimal digits of any script
    ("\u0661\u0662"). Raises :class:`AnswerError` with a message for the learner otherwise; the
    message quotes at most ``ECHO_LIMIT`` characters of the answer. Actual numbers (int,
    float, numpy scalars) pass straight through.
    """
    if isinstance(text, bool):
        raise AnswerError("Type a number, such as 12 or 12.5.")
    if isinstance(text, numbers.Real):
        try:
            number = float(text)
        except (OverflowError, ValueError, TypeError):
            raise AnswerError("That number is too large to be an answer here.") from None
    elif text is None or (isinstance(text, str) and not text.strip()):
        raise AnswerError("Type a number in the box first.")
    elif not isinstance(text, str):
        raise AnswerError("Type a number, such as 12 or 12.5.")
    else:
        raw = ascii_digits(text.strip()).replace("\u2212", "-")  # the typographic minus sign
        shown = echo(raw)
        if "," in raw:
            raise AnswerError(f"'{shown}' has a comma. Use a dot for decimals (12.5) and no "
                              "thousands separators.")
        if _FRACTION.match(raw):
            raise AnswerError(f"'{shown}' looks like a fraction. Type it as a decimal number "
                              "instead, such as 0.5 for 1/2.")
        match = _NUMBER_WITH_UNIT.match(raw)
        if match is None:
            example = f" or 12 {unit}" if unit else ""
            raise AnswerError(f"'{shown}' is not a number I can read. Type digits, such as 12, "
                              f"12.5{example}.")
        given_unit = match.group("unit").strip()
        if given_unit:
            if not unit:
                raise AnswerError(f"This answer has no unit: type just the number, "
                                  f"without '{echo(given_unit)}'.")
            if given_unit.casefold() not in _accepted_units(unit, aliases):
                raise AnswerError(f"This question wants the answer in {unit}, but you typed "
                                  f"'{echo(given_unit)}'. Give the number in {unit}.")
        number = float(match.group("number"))
    if math.isnan(number):  # "nan" typed, or a NaN handed over by code
        raise AnswerError("That is not a number. Type digits, such as 12 or 12.5.")
    if not math.isfinite(number):
        raise AnswerError("That number is too large to be an answer here.")
    return number


def within(value: float, target: float, tolerance: float) -> bool:
    """True when ``value`` is within ``tolerance`` of ``target``, edges included."""
    slack = _EDGE_SLACK * max(1.0, abs(target), abs(tolerance))
    return abs(value - target) <= tolerance + slack


def unit_for(value: float, unit: str) -> str:
    """The unit as it reads after ``value``: "1 month", "2 months", "1 impulse per second".

    Only a plural English word leading the unit is made singular (a lower-case word longer
    than two letters ending in a single "s"); symbols such as mV, pA, s, ms and % never change.
    """
    if unit and abs(value) == 1:
        first, _, rest = unit.partition(" ")
        if (len(first) > 2 and first.isalpha() and first.islower() and first.endswith("s")
                and not first.endswith("ss")):
            return f"{first[:-1]} {rest}".strip()
    return unit


def _format_number(value: float, unit: str) -> str:
    return f"{value:g} {unit_for(value, unit)}".strip() if unit != "%" else f"{value:g} %"


# ----------------------------------------------------------------------------- per type

def grade_single(question: SingleQuestion, answer: Any) -> Verdict:
    if answer is None or answer == "":
        return invalid("Choose one of the options first.")
    ids = [o.id for o in question.options]
    if not isinstance(answer, str) or answer not in ids:
        return invalid(f"'{echo(answer)}' is not one of this question's options.")
    option = question.option(answer)
    if answer == question.answer:
        return Verdict(True, 1.0, CORRECT, (option.feedback,))
    return Verdict(False, 0.0, NOT_QUITE, (option.feedback,), wrong=(answer,))


def ticked_options(answer: Any) -> set[str]:
    """The option ids a multiple-select answer ticks. Raises AnswerError if unreadable.

    Accepts option ids (a list, set or tuple; one id as a string) or ``{option id: ticked}``
    with True/False values, where only the True entries count: ``{"a": False}`` ticks nothing.
    """
    if answer is None:
        return set()
    if isinstance(answer, str):
        return {answer} if answer else set()
    if isinstance(answer, Mapping):
        not_ticks = [v for v in answer.values() if not isinstance(v, bool)]
        if not_ticks:
            raise AnswerError(f"Each option is ticked (True) or not (False), not "
                              f"'{echo(not_ticks[0])}'.")
        chosen = [k for k, ticked in answer.items() if ticked]
    elif isinstance(answer, (list, tuple, set, frozenset)):
        chosen = list(answer)
    else:
        raise AnswerError("Tick the options you choose first.")
    odd = [c for c in chosen if not isinstance(c, str)]
    if odd:
        raise AnswerError(f"'{echo(odd[0])}' is not one of this question's options.")
    return set(chosen)


def grade_multiple(question: MultipleQuestion, answer: Any) -> Verdict:
    try:
        chosen = ticked_options(answer)
    except AnswerError as exc:
        return invalid(str(exc))
    if not chosen:
        return invalid("Tick at least one option first.")
    ids = {o.id for o in question.options}
    unknown = chosen - ids
    if unknown:
        return invalid(f"'{echo(sorted(unknown)[0])}' is not one of this question's options.")
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
    if missed:
        still = ("1 statement that belongs is still unticked." if len(missed) == 1 else
                 f"{len(missed)} statements that belong are still unticked.")
        feedback.append(f"({still})" if missed_texts else still)
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
    chosen = {i.id: answer.get(i.id) for i in question.items}
    unsorted = [iid for iid, g in chosen.items() if g is None or g == ""]
    if unsorted:
        n_left = len(unsorted)
        return invalid(f"Sort every item before checking: {n_left} still without a group.")
    bad_group = [g for g in chosen.values() if not isinstance(g, str) or g not in group_ids]
    if bad_group:
        return invalid(f"'{echo(bad_group[0])}' is not one of the groups.")
    wrong = [i for i in question.items if chosen[i.id] != i.group]
    n = len(question.items)
    score = (n - len(wrong)) / n
    if not wrong:
        return Verdict(True, 1.0, CORRECT, (f"All {n} are in the right group.",))
    feedback = [f"{n - len(wrong)} of {n} are in the right group."]
    for item in wrong:
        feedback.append(item.feedback or f"Look again at: {item.text}")
    headline = PARTLY if score > 0 else NOT_QUITE
    return Verdict(False, score, headline, tuple(feedback), wrong=tuple(i.id for i in wrong))


_WHOLE = re.compile(r"^\s*\d+\s*$", re.ASCII)


def _position(value: Any) -> int:
    """A step's position: a whole number (int, whole float, or digits). Never truncated:
    1.9 is refused, not read as 1; True is not position 1."""
    if isinstance(value, bool):
        raise AnswerError("Positions must be whole numbers, such as 1, 2 or 3.")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isfinite(number) and number.is_integer():
            return int(number)
    if isinstance(value, str) and _WHOLE.match(ascii_digits(value)):
        return int(ascii_digits(value).strip()[:6])  # 6 digits: far beyond any step count
    raise AnswerError(f"Positions must be whole numbers, such as 1, 2 or 3 (not "
                      f"'{echo(value)}').")


def _order_from_answer(question: OrderQuestion, answer: Any) -> list[str]:
    """Accept a list of step ids in the learner's order, or {step id: position (1-based)}."""
    ids = [s.id for s in question.steps]
    n = len(ids)
    if isinstance(answer, Mapping):
        positions = {sid: answer.get(sid) for sid in ids}
        missing = [sid for sid, p in positions.items() if p is None or p == ""]
        if missing:
            raise AnswerError(f"Give every step a position first: {len(missing)} still without one.")
        numbers_ = {sid: _position(p) for sid, p in positions.items()}
        counts = Counter(numbers_.values())
        repeated = sorted(p for p, c in counts.items() if c > 1)
        if repeated:
            raise AnswerError(f"Each position can be used once, but position {repeated[0]} is "
                              f"used {counts[repeated[0]]} times.")
        if set(numbers_.values()) != set(range(1, n + 1)):
            raise AnswerError(f"Positions must run from 1 to {n}.")
        return sorted(ids, key=numbers_.__getitem__)
    if not isinstance(answer, (list, tuple)):
        raise AnswerError("Put the steps in order first.")
    sequence = list(answer)
    if not all(isinstance(sid, str) for sid in sequence) or sorted(sequence) != sorted(ids):
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
    if not isinstance(value, str) or value not in {o.id for o in question.options}:
        raise AnswerError(f"'{echo(value)}' is not one of the predictions on offer.")
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
    if isinstance(observed, float) and math.isnan(observed):
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


def _finite(value: Any) -> float | None:
    """``value`` as a finite float, or None (bools, text, huge ints, NaN and inf)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def compare_prediction(question: PredictQuestion, prediction: Any, observed: Any,
                       description: str = "") -> Verdict:
    """Compare a committed prediction with a lab's result. Never raises: a result that cannot
    be compared gives a "Not checked yet" verdict."""
    try:
        return _compare_prediction(question, prediction, observed, description)
    except Exception:  # a lab's odd value must never crash the lab or the quiz
        log.exception("comparing prediction for %s failed", question.id)
        return invalid(f"The lab reported '{echo(observed)}', which cannot be compared with "
                       "your prediction.")


def _compare_prediction(question: PredictQuestion, prediction: Any, observed: Any,
                        description: str) -> Verdict:
    observed = _plain(observed)
    said = describe_prediction(question, prediction)
    lab = f" ({description.rstrip('.')})" if description else ""  # the sentence ends after the bracket
    if question.prediction == "numeric":
        if _finite(observed) is None:
            return invalid(f"The lab reported '{echo(observed)}', which is not a number to "
                           "compare with your prediction.")
        shown = _format_number(float(observed), question.unit)
        matched = within(float(prediction), float(observed), question.tolerance)
        margin = (f" (within {_format_number(question.tolerance, question.unit)})"
                  if question.tolerance else "")
        detail = f"You predicted {said}; the model gave {shown}{lab}{margin if matched else ''}."
    else:
        option = observed_option(question, observed)
        if option is None:
            return invalid(f"The lab reported '{echo(observed)}', which does not match any "
                           "of the predictions on offer.")
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
    try:
        return _GRADERS[question.type](question, answer)
    except Exception:  # whatever reaches grade(), the learner gets a verdict, not a traceback
        log.exception("grading %s failed for an answer of type %s", question.id,
                      type(answer).__name__)
        return invalid(UNREADABLE)
