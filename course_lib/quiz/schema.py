"""Question-bank schema: the dataclasses a bank becomes, and the checks that build them.

A bank is a YAML file (one per notebook) holding a list of questions. This module turns the
parsed YAML into frozen dataclasses and rejects anything malformed with a :class:`BankError`
whose message names the file, the question id and the field, so an instructor who edits a
bank sees exactly where the mistake is. Unknown fields are errors too: a misspelt
``explaination`` would otherwise vanish silently and the learner would never see it.

No ipywidgets here: the schema, the grading and the CLI all work without a browser.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

QUESTION_TYPES = ("single", "multiple", "numeric", "categorise", "order", "predict")
PREDICTION_KINDS = ("choice", "numeric")
DEFAULT_MAX_ATTEMPTS = 3

_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# A percentage in learner-facing text is treated as a clinical number that needs a source.
_PERCENT_NUMBER = re.compile(r"\d\s*%")

# Text that reads as program code or an author's wiring note, never as words for a learner: a
# lambda, a wiring keyword, a snake_case identifier, attribute or item access, an id.
_CODE_LIKE = re.compile(
    r"\blambda\b|\bvalue_of\b|\b[a-z]+_[a-z0-9_]+\b|\blab\.\w|\w\[['\"]|\bnan\b|Traceback"
    r"|\b(?:sends|verdict's|the question's) id\b|\bthe lab sends\b"
    # a dotted module path (not inside a DOI or link), a CONSTANT_NAME, a source file's name
    r"|(?<![/\w.])[a-z_]+\.[a-z_]+\.[a-z_]\w*|\b[A-Z]+_[A-Z0-9_]+\b|\b\w+\.(?:py|yaml|ipynb)\b")


def code_like(text: str) -> str | None:
    """The first piece of ``text`` that reads as code or a wiring note, or None."""
    match = _CODE_LIKE.search(text)
    return match.group(0) if match else None


_COMMON_FIELDS = {"id", "type", "prompt", "explanation", "hints", "max_attempts", "source"}
_FIELDS_BY_TYPE = {
    "single": {"options", "answer"},
    "multiple": {"options", "answer"},
    "numeric": {"answer", "tolerance", "unit", "unit_aliases", "too_low", "too_high",
                "feedback_ranges"},
    "categorise": {"groups", "items"},
    "order": {"steps"},
    "predict": {"prediction", "options", "unit", "tolerance", "task", "observe_with"},
}
_BANK_FIELDS = {"notebook", "title", "intro", "max_attempts", "questions"}


class LineDict(dict):
    """A mapping read from YAML that remembers where it was: ``line`` (its first line) and
    ``lines`` (the line of each key), so a schema error can say "line 7"."""

    line: int | None = None
    lines: dict[str, int] = {}


class BankError(ValueError):
    """A question bank is malformed. The message names the file, line (when known), question
    id and field."""

    def __init__(self, file: str | Path | None, question_id: str | None, field_name: str | None,
                 problem: str, line: int | None = None):
        self.file = str(file) if file is not None else "<bank>"
        self.question_id = question_id
        self.field = field_name
        self.problem = problem
        self.line = line
        where = [self.file if line is None else f"{self.file}, line {line}"]
        if question_id is not None:
            where.append(f"question '{question_id}'")
        if field_name is not None:
            where.append(f"field '{field_name}'")
        super().__init__(": ".join(where) + ": " + problem)


# ----------------------------------------------------------------------------- dataclasses

@dataclass(frozen=True)
class Option:
    """One choice of a single/multiple/predict question.

    ``feedback`` is shown when the learner picks this option; for a distractor it should
    name the misconception behind it. ``if_missed`` (multiple select) is shown when the
    option is correct but the learner left it unticked. ``when`` (predict, choice kind) is a
    numeric interval [low, high) that maps a lab's numeric result onto this option.
    """

    id: str
    text: str
    feedback: str = ""
    if_missed: str = ""
    when: tuple[float | None, float | None] | None = None


@dataclass(frozen=True)
class Group:
    id: str
    label: str


@dataclass(frozen=True)
class Item:
    """A thing to sort (categorise) or to place (order); ``group`` is empty for order steps."""

    id: str
    text: str
    group: str = ""
    feedback: str = ""


@dataclass(frozen=True)
class FeedbackRange:
    """Numeric answers inside [low, high] (and outside the tolerance) get this feedback."""

    low: float
    high: float
    feedback: str


def letter(index: int) -> str:
    """The option letter a printed page uses: 0 -> A, 1 -> B, ..."""
    return chr(65 + index)


def _option_lines(options: tuple[Option, ...], right: set[str] | frozenset[str]) -> list[str]:
    lines = []
    for i, o in enumerate(options):
        lines.append(f"- {letter(i)}. {o.text} {'**(correct)**' if o.id in right else '(wrong)'}  ")
        lines.append(f"  *Feedback:* {o.feedback}")
        if o.if_missed:
            lines.append(f"  *If missed:* {o.if_missed}")
    return lines


@dataclass(frozen=True)
class Question:
    """Fields every question has. Subclasses add what their type needs.

    What differs by type lives on the subclass, so a new type is one class here (plus its grader in
    ``grading``), not a branch in every module: ``answer_text`` (the answer in words),
    ``fingerprint_parts`` (what makes an answer right, for the record's fingerprint), ``saved_form``
    (a checked answer as plain JSON data for the progress file), ``key_lines`` and
    ``handout_lines`` (the Markdown of the answer key and the printable handout).
    """

    id: str
    type: str
    prompt: str
    explanation: str
    hints: tuple[str, ...] = ()
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    source: str = ""

    def answer_text(self) -> str:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def fingerprint_parts(self) -> list[Any]:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def saved_form(self, answer: Any) -> Any:
        """A checked answer as small JSON-safe data, or None when it has no plain form (a
        prediction is saved by the predict session, not here). Raises what grading's readers raise
        for an unreadable answer (the session turns that into None)."""
        return None

    def key_lines(self) -> list[str]:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def handout_lines(self) -> list[str]:  # pragma: no cover - every subclass overrides
        raise NotImplementedError


@dataclass(frozen=True)
class SingleQuestion(Question):
    options: tuple[Option, ...] = ()
    answer: str = ""

    def option(self, option_id: str) -> Option:
        return next(o for o in self.options if o.id == option_id)

    def answer_text(self) -> str:
        return self.option(self.answer).text

    def fingerprint_parts(self) -> list[Any]:
        return [[o.id for o in self.options], self.answer]

    def saved_form(self, answer: Any) -> Any:
        return answer if isinstance(answer, str) else None

    def key_lines(self) -> list[str]:
        return _option_lines(self.options, {self.answer})

    def handout_lines(self) -> list[str]:
        return [f"- ( ) {letter(i)}. {o.text}" for i, o in enumerate(self.options)]


@dataclass(frozen=True)
class MultipleQuestion(Question):
    options: tuple[Option, ...] = ()
    answer: frozenset[str] = frozenset()

    def answer_text(self) -> str:
        return "; ".join(o.text for o in self.options if o.id in self.answer)

    def fingerprint_parts(self) -> list[Any]:
        return [[o.id for o in self.options], sorted(self.answer)]

    def saved_form(self, answer: Any) -> Any:
        from .grading import ticked_options

        return sorted(ticked_options(answer))

    def key_lines(self) -> list[str]:
        return _option_lines(self.options, self.answer)

    def handout_lines(self) -> list[str]:
        return [f"- [ ] {letter(i)}. {o.text}" for i, o in enumerate(self.options)]


@dataclass(frozen=True)
class NumericQuestion(Question):
    answer: float = 0.0
    tolerance: float = 0.0
    unit: str = ""
    unit_aliases: tuple[str, ...] = ()
    too_low: str = ""
    too_high: str = ""
    feedback_ranges: tuple[FeedbackRange, ...] = ()

    def answer_text(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        if self.tolerance:
            return (f"{self.answer:g}{unit} (answers from {self.answer - self.tolerance:g} to "
                    f"{self.answer + self.tolerance:g}{unit} count)")
        return f"{self.answer:g}{unit}"

    def fingerprint_parts(self) -> list[Any]:
        return [self.answer, self.tolerance, self.unit]

    def saved_form(self, answer: Any) -> Any:
        from .grading import parse_number

        return parse_number(answer, self.unit, self.unit_aliases)

    def key_lines(self) -> list[str]:
        return [f"**Answer:** {self.answer_text()}",
                *(f"- {r.low:g} to {r.high:g}: {r.feedback}" for r in self.feedback_ranges)]

    def handout_lines(self) -> list[str]:
        unit = f" {self.unit}" if self.unit else ""
        return [f"Answer: ____________{unit}"]


@dataclass(frozen=True)
class CategoriseQuestion(Question):
    groups: tuple[Group, ...] = ()
    items: tuple[Item, ...] = ()

    def group_label(self, group_id: str) -> str:
        return next(g.label for g in self.groups if g.id == group_id)

    def answer_text(self) -> str:
        return "; ".join(f"{i.text} -> {self.group_label(i.group)}" for i in self.items)

    def fingerprint_parts(self) -> list[Any]:
        return [[g.id for g in self.groups], [[i.id, i.group] for i in self.items]]

    def saved_form(self, answer: Any) -> Any:
        return {i.id: str(answer.get(i.id)) for i in self.items}

    def key_lines(self) -> list[str]:
        return ["| Item | Group |", "|---|---|",
                *(f"| {item.text} | {self.group_label(item.group)} |" for item in self.items)]

    def handout_lines(self) -> list[str]:
        groups = " / ".join(g.label for g in self.groups)
        return [f"Groups: {groups}", "", "| Item | Your group |", "|---|---|",
                *(f"| {i.text} | |" for i in self.items)]


@dataclass(frozen=True)
class OrderQuestion(Question):
    """``steps`` are stored in the correct order; widgets show them shuffled."""

    steps: tuple[Item, ...] = ()

    def answer_text(self) -> str:
        return " -> ".join(s.text for s in self.steps)

    def fingerprint_parts(self) -> list[Any]:
        return [[s.id for s in self.steps]]

    def saved_form(self, answer: Any) -> Any:
        from .grading import _order_from_answer

        return _order_from_answer(self, answer)

    def shuffled_steps(self) -> list[Item]:
        """The steps in the order the widget and the handout show them: a shuffle seeded by the id,
        never the answer's order."""
        steps = list(self.steps)
        rng = random.Random(self.id)
        while [s.id for s in steps] == [s.id for s in self.steps]:
            rng.shuffle(steps)
        return steps

    def key_lines(self) -> list[str]:
        return [f"{k + 1}. {s.text}" for k, s in enumerate(self.steps)]

    def handout_lines(self) -> list[str]:
        return [f"- ____ {letter(i)}. {s.text}" for i, s in enumerate(self.shuffled_steps())]


@dataclass(frozen=True)
class PredictQuestion(Question):
    """Predict, then observe: the learner commits a prediction, a lab reports its result."""

    prediction: str = "choice"
    options: tuple[Option, ...] = ()
    unit: str = ""
    tolerance: float = 0.0
    # what the learner does in the lab, in plain words: shown after "Predict first, then"
    task: str = ""
    # for authors only (how the lab is wired to the question); never shown to a learner
    observe_with: str = ""

    def answer_text(self) -> str:
        return "(depends on the lab's result: see the explanation)"

    def fingerprint_parts(self) -> list[Any]:
        return [self.prediction, [[o.id, o.when] for o in self.options], self.unit, self.tolerance]

    def key_lines(self) -> list[str]:
        lines = [f"**The learner then:** {self.task}"]
        if self.prediction != "choice":
            return lines + [f"Numeric prediction in {self.unit or 'no unit'}, matching within ±{self.tolerance:g}."]
        for i, o in enumerate(self.options):
            when = ""
            if o.when is not None:
                low, high = o.when
                when = (f" (lab result from {low if low is not None else '-inf'} "
                        f"to below {high if high is not None else 'inf'})")
            lines.append(f"- {letter(i)}. {o.text}{when}: {o.feedback}")
        return lines

    def handout_lines(self) -> list[str]:
        lines = ["Your prediction (before running the lab):"]
        if self.prediction == "choice":
            lines.extend(f"- ( ) {letter(i)}. {o.text}" for i, o in enumerate(self.options))
        else:
            lines.append(f"____________ {self.unit}".rstrip())
        return lines + ["", f"Then: {self.task}", "", "What the model showed: ____________"]


@dataclass(frozen=True)
class Bank:
    """A validated question bank for one notebook."""

    notebook: str
    title: str
    questions: tuple[Question, ...]
    path: str = ""
    intro: str = ""
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    _index: dict[str, Question] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index.update({q.id: q for q in self.questions})

    def get(self, question_id: str) -> Question:
        try:
            return self._index[question_id]
        except KeyError:
            known = ", ".join(self._index) or "(none)"
            raise KeyError(
                f"no question '{question_id}' in bank '{self.notebook}'; known ids: {known}"
            ) from None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    def select(self, ids: list[str] | tuple[str, ...] | None = None) -> list[Question]:
        """The questions with these ids (all when None or empty), in bank order, each once.
        Raises KeyError naming an unknown id."""
        if not ids:
            return list(self.questions)
        wanted = {self.get(qid).id for qid in ids}
        return [q for q in self.questions if q.id in wanted]


# ----------------------------------------------------------------------------- intro text

def numbers_phrase(numbers: list[int]) -> str:
    """"Question 3", "Questions 4 to 8", "Questions 2 and 5", "Questions 1, 2 and 5"."""
    numbers = sorted(numbers)
    if len(numbers) == 1:
        return f"Question {numbers[0]}"
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"Questions {numbers[0]} to {numbers[-1]}"
    listed = ", ".join(str(n) for n in numbers[:-1])
    return f"Questions {listed} and {numbers[-1]}"


def quiz_intro(bank: Bank, ids: list[str] | tuple[str, ...] | None = None) -> str:
    """The opening lines of a quiz, written from the bank so that no count can go stale: how
    many questions are shown (and their numbers, for part of a bank), how many ask for a
    prediction, and which of the bank's questions the learner met earlier in the notebook
    (banks list questions in the order the notebook shows them). The bank's own ``intro``
    text, which should state no counts, follows."""
    shown = bank.select(ids)
    position = {q.id: k + 1 for k, q in enumerate(bank.questions)}
    n = len(shown)
    sentences = [f"This quiz has {n} question{'s' if n != 1 else ''}"
                 + (f" ({numbers_phrase([position[q.id] for q in shown])})." if ids else ".")]
    predicts = sum(1 for q in shown if q.type == "predict")
    if predicts:
        verb = "asks" if predicts == 1 else "ask"
        who = ("It" if n == 1 else f"All {n}") if predicts == n else f"{predicts} of them"
        sentences.append(f"{who} {verb} you to predict what a lab will show, before you run it.")
    if ids:
        last = max(position[q.id] for q in shown)
        shown_ids = {q.id for q in shown}
        earlier = [position[q.id] for q in bank.questions
                   if q.id not in shown_ids and position[q.id] < last]
        if earlier:
            sentences.append(f"You met {numbers_phrase(earlier)} earlier in this notebook; "
                             "your answers there count in your progress too.")
    if bank.intro:
        sentences.append(bank.intro)
    return " ".join(sentences)


# ----------------------------------------------------------------------------- validation

class _Checker:
    """Carries the file, question id and (for YAML input) line numbers, so every error
    message can name where the mistake is."""

    def __init__(self, file: str, question_id: str | None = None, data: Any = None):
        self.file = file
        self.qid = question_id
        self.data = data

    def line_of(self, field_name: str | None) -> int | None:
        """The line of the field's key in this question (or bank), else of the question."""
        lines = getattr(self.data, "lines", None) or {}
        if field_name is not None and field_name.split(".")[0] in lines:
            return lines[field_name.split(".")[0]]
        return getattr(self.data, "line", None)

    def fail(self, field_name: str | None, problem: str) -> BankError:
        return BankError(self.file, self.qid, field_name, problem, line=self.line_of(field_name))

    def text(self, data: dict, name: str, required: bool = True, within: str = "",
             learner: bool = True) -> str:
        """``within`` names the list the entry belongs to, so the error says 'options.text'.
        Text a learner (or a handout, or a learning platform) shows must read as words, not code."""
        label = f"{within}.{name}" if within else name
        value = data.get(name)
        if value is None:
            if required:
                raise self.fail(label, "is missing (it must be a non-empty piece of text)")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.fail(label, f"must be text, got {type(value).__name__}")
        text = str(value).strip()
        if required and not text:
            raise self.fail(label, "is empty (it must be a non-empty piece of text)")
        if learner and (code := code_like(text)):
            raise self.fail(label, f"is shown to learners and must be plain words, found {code!r}")
        return text

    def number(self, data: dict, name: str, required: bool = True,
               minimum: float | None = None, default: float = 0.0, within: str = "") -> float:
        """``within`` names the list the entry belongs to, so the error says 'feedback_ranges.low'."""
        value = data.get(name)
        name = f"{within}.{name}" if within else name
        if value is None:
            if required:
                raise self.fail(name, "is missing (it must be a number)")
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            hint = (" (numbers are plain decimals here, such as 10 or 0.5; write it without a "
                    "leading zero, underscores or colons)" if isinstance(value, str) else "")
            raise self.fail(name, f"must be a number, got {value!r}{hint}")
        try:
            number = float(value)
        except OverflowError:  # an integer with hundreds of digits
            raise self.fail(name, f"must be a finite number, got an integer of {len(str(value))} digits") from None
        if not math.isfinite(number):
            raise self.fail(name, f"must be a finite number, got {value!r}")
        if minimum is not None and number < minimum:
            raise self.fail(name, f"must be at least {minimum:g}, got {value!r}")
        return number

    def positive_int(self, data: dict, name: str, default: int) -> int:
        value = data.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.fail(name, f"must be a whole number of at least 1, got {value!r}")
        return value

    def identifier(self, value: Any, name: str) -> str:
        if not isinstance(value, str) or not _ID_PATTERN.match(value):
            raise self.fail(name, f"must be a short id of lower-case letters, digits, '_' or '-'"
                                  f" (got {value!r})")
        return value

    def mapping_list(self, data: dict, name: str, minimum: int) -> list[dict]:
        value = data.get(name)
        if value is None:
            raise self.fail(name, f"is missing (it must be a list of at least {minimum})")
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(name, "must be a list of entries, each with fields like 'id' and 'text'")
        if len(value) < minimum:
            raise self.fail(name, f"needs at least {minimum} entries, got {len(value)}")
        return value

    def unique_ids(self, entries: list[dict], name: str) -> list[str]:
        ids: list[str] = []
        for entry in entries:
            entry_id = self.identifier(entry.get("id"), f"{name}.id")
            if entry_id in ids:
                raise self.fail(name, f"id '{entry_id}' is used twice")
            ids.append(entry_id)
        return ids

    def no_unknown(self, data: dict, allowed: set[str], name_prefix: str = "") -> None:
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise self.fail(name_prefix + unknown[0],
                            f"is not a known field here (allowed: {', '.join(sorted(allowed))})")


def _options(check: _Checker, data: dict, with_when: bool = False) -> tuple[Option, ...]:
    raw = check.mapping_list(data, "options", minimum=2)
    check.unique_ids(raw, "options")
    allowed = {"id", "text", "feedback", "if_missed"} | ({"when"} if with_when else set())
    options = []
    for entry in raw:
        check.no_unknown(entry, allowed, "options.")
        when = _interval(check, entry.get("when")) if with_when and "when" in entry else None
        options.append(Option(
            id=entry["id"],
            text=check.text(entry, "text", within="options"),
            feedback=check.text(entry, "feedback", within="options"),
            if_missed=check.text(entry, "if_missed", required=False, within="options"),
            when=when,
        ))
    return tuple(options)


def _interval(check: _Checker, value: Any) -> tuple[float | None, float | None]:
    bad = check.fail("options.when", f"must be [low, high] with low < high (null = open end), "
                                     f"got {value!r}")
    if not isinstance(value, list) or len(value) != 2:
        raise bad
    bounds = []
    for v in value:
        if v is None:
            bounds.append(None)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            try:
                bound = float(v)
            except OverflowError:  # an integer with hundreds of digits
                raise bad from None
            if not math.isfinite(bound):
                raise bad
            bounds.append(bound)
        else:
            raise bad
    low, high = bounds
    if low is not None and high is not None and not low < high:
        raise bad
    return low, high


def _build_single(check: _Checker, data: dict, common: dict) -> SingleQuestion:
    options = _options(check, data)
    answer = data.get("answer")
    if not isinstance(answer, str):
        raise check.fail("answer", f"must be the id of one option, got {answer!r}")
    if answer not in {o.id for o in options}:
        raise check.fail("answer", f"'{answer}' is not among the options "
                                   f"({', '.join(o.id for o in options)})")
    return SingleQuestion(**common, options=options, answer=answer)


def _build_multiple(check: _Checker, data: dict, common: dict) -> MultipleQuestion:
    options = _options(check, data)
    answer = data.get("answer")
    if not isinstance(answer, list) or not answer or not all(isinstance(a, str) for a in answer):
        raise check.fail("answer", f"must be a list of one or more option ids, got {answer!r}")
    ids = {o.id for o in options}
    for a in answer:
        if a not in ids:
            raise check.fail("answer", f"'{a}' is not among the options ({', '.join(ids)})")
    if len(set(answer)) != len(answer):
        raise check.fail("answer", "lists the same option twice")
    return MultipleQuestion(**common, options=options, answer=frozenset(answer))


def _build_numeric(check: _Checker, data: dict, common: dict) -> NumericQuestion:
    aliases = data.get("unit_aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise check.fail("unit_aliases", f"must be a list of unit spellings, got {aliases!r}")
    unit = check.text(data, "unit", required=False)
    if aliases and not unit:
        raise check.fail("unit_aliases", "makes no sense without a 'unit'")
    ranges = []
    raw_ranges = data.get("feedback_ranges", [])
    if not isinstance(raw_ranges, list) or not all(isinstance(r, dict) for r in raw_ranges):
        raise check.fail("feedback_ranges", "must be a list of {low, high, feedback} entries")
    for entry in raw_ranges:
        check.no_unknown(entry, {"low", "high", "feedback"}, "feedback_ranges.")
        low = check.number(entry, "low", within="feedback_ranges")
        high = check.number(entry, "high", within="feedback_ranges")
        if low > high:
            raise check.fail("feedback_ranges", f"low ({low:g}) is above high ({high:g})")
        ranges.append(FeedbackRange(low, high,
                                    check.text(entry, "feedback", within="feedback_ranges")))
    return NumericQuestion(
        **common,
        answer=check.number(data, "answer"),
        tolerance=check.number(data, "tolerance", required=False, minimum=0.0),
        unit=unit,
        unit_aliases=tuple(a.strip() for a in aliases),
        too_low=check.text(data, "too_low", required=False),
        too_high=check.text(data, "too_high", required=False),
        feedback_ranges=tuple(ranges),
    )


def _build_categorise(check: _Checker, data: dict, common: dict) -> CategoriseQuestion:
    raw_groups = check.mapping_list(data, "groups", minimum=2)
    group_ids = check.unique_ids(raw_groups, "groups")
    groups = []
    for entry in raw_groups:
        check.no_unknown(entry, {"id", "label"}, "groups.")
        groups.append(Group(entry["id"], check.text(entry, "label", within="groups")))
    raw_items = check.mapping_list(data, "items", minimum=2)
    check.unique_ids(raw_items, "items")
    items = []
    for entry in raw_items:
        check.no_unknown(entry, {"id", "text", "group", "feedback"}, "items.")
        group = entry.get("group")
        if group not in group_ids:
            raise check.fail("items.group", f"item '{entry['id']}' is put in group {group!r}, "
                                            f"which is not among the groups ({', '.join(group_ids)})")
        items.append(Item(entry["id"], check.text(entry, "text", within="items"), group,
                          check.text(entry, "feedback", required=False, within="items")))
    return CategoriseQuestion(**common, groups=tuple(groups), items=tuple(items))


def _build_order(check: _Checker, data: dict, common: dict) -> OrderQuestion:
    raw = check.mapping_list(data, "steps", minimum=3)
    check.unique_ids(raw, "steps")
    steps = []
    for entry in raw:
        check.no_unknown(entry, {"id", "text", "feedback"}, "steps.")
        steps.append(Item(entry["id"], check.text(entry, "text", within="steps"),
                          feedback=check.text(entry, "feedback", required=False, within="steps")))
    return OrderQuestion(**common, steps=tuple(steps))


def _build_predict(check: _Checker, data: dict, common: dict) -> PredictQuestion:
    kind = data.get("prediction")
    if kind not in PREDICTION_KINDS:
        raise check.fail("prediction", f"must be one of {', '.join(PREDICTION_KINDS)}, got {kind!r}")
    observe_with = check.text(data, "observe_with", learner=False)  # the author's wiring note
    task = check.text(data, "task")
    if kind == "choice":
        for name in ("unit", "tolerance"):
            if name in data:
                raise check.fail(name, "only applies to numeric predictions")
        options = _options(check, data, with_when=True)
        return PredictQuestion(**common, prediction=kind, options=options, task=task,
                               observe_with=observe_with)
    if "options" in data:
        raise check.fail("options", "only applies to choice predictions")
    return PredictQuestion(
        **common, prediction=kind, task=task, observe_with=observe_with,
        unit=check.text(data, "unit", required=False),
        tolerance=check.number(data, "tolerance", minimum=0.0),
    )


_BUILDERS = {
    "single": _build_single,
    "multiple": _build_multiple,
    "numeric": _build_numeric,
    "categorise": _build_categorise,
    "order": _build_order,
    "predict": _build_predict,
}


def _all_text(data: Any) -> str:
    """Every string inside a question, so the citation check sees options and feedback too."""
    if isinstance(data, str):
        return data
    if isinstance(data, dict):
        return " ".join(_all_text(v) for v in data.values())
    if isinstance(data, list):
        return " ".join(_all_text(v) for v in data)
    return ""


def build_question(data: Any, file: str, position: int, bank_max_attempts: int) -> Question:
    """Validate one parsed question and return its dataclass."""
    if not isinstance(data, dict):
        raise BankError(file, f"#{position + 1}", None, "each question must be a mapping of fields")
    raw_id = data.get("id")
    check = _Checker(file, raw_id if isinstance(raw_id, str) else f"#{position + 1}", data)
    if raw_id is None:
        raise check.fail("id", "is missing")
    check.identifier(raw_id, "id")
    qtype = data.get("type")
    if qtype is None:
        raise check.fail("type", f"is missing (one of: {', '.join(QUESTION_TYPES)})")
    if qtype not in QUESTION_TYPES:
        raise check.fail("type", f"unknown question type {qtype!r} (known: {', '.join(QUESTION_TYPES)})")
    check.no_unknown(data, _COMMON_FIELDS | _FIELDS_BY_TYPE[qtype])
    hints = data.get("hints", [])
    if not isinstance(hints, list) or not all(isinstance(h, str) and h.strip() for h in hints):
        raise check.fail("hints", "must be a list of non-empty hint texts")
    source = check.text(data, "source", required=False)
    # A clinical number without a citation is a bug in a course that promises citations.
    if (qtype == "numeric" or _PERCENT_NUMBER.search(_all_text(data))) and not source:
        raise check.fail("source", "is missing: this question states or asks for a number, so it "
                                   "must cite where the number comes from")
    common = dict(
        id=raw_id,
        type=qtype,
        prompt=check.text(data, "prompt"),
        explanation=check.text(data, "explanation"),
        hints=tuple(h.strip() for h in hints),
        max_attempts=check.positive_int(data, "max_attempts", bank_max_attempts),
        source=source,
    )
    return _BUILDERS[qtype](check, data, common)


def build_bank(data: Any, file: str | Path, expected_notebook: str | None = None) -> Bank:
    """Validate a parsed bank (the YAML's top-level mapping) and return a :class:`Bank`."""
    file = str(file)
    check = _Checker(file, data=data)
    if not isinstance(data, dict):
        raise check.fail(None, "the bank must be a mapping with 'notebook', 'title' and 'questions'")
    check.no_unknown(data, _BANK_FIELDS)
    notebook = check.text(data, "notebook", learner=False)  # an id
    if expected_notebook is not None and notebook != expected_notebook:
        raise check.fail("notebook", f"says '{notebook}' but the file is named for "
                                     f"'{expected_notebook}'")
    max_attempts = check.positive_int(data, "max_attempts", DEFAULT_MAX_ATTEMPTS)
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise check.fail("questions", "must be a non-empty list of questions")
    questions: list[Question] = []
    seen: set[str] = set()
    for position, raw in enumerate(raw_questions):
        question = build_question(raw, file, position, max_attempts)
        if question.id in seen:
            raise BankError(file, question.id, "id", "is used by more than one question in this bank",
                            line=getattr(raw, "line", None))
        seen.add(question.id)
        questions.append(question)
    return Bank(notebook=notebook, title=check.text(data, "title"), questions=tuple(questions),
                path=file, intro=check.text(data, "intro", required=False),
                max_attempts=max_attempts)
