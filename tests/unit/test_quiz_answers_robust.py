"""grade() never raises: any answer of any type gives a verdict (issue 9, items 11, 12 and 14).

An unreadable answer gives a "Not checked yet" verdict (``valid=False``), which costs the
learner no attempt. The fuzz tests below count the answers they try per question type; run
with ``QUIZ_FUZZ_REPORT=1 pytest -s`` to print the counts.
"""

from __future__ import annotations

import math
import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_lib.quiz import AnswerError, ProgressStore, grade, parse_number
from course_lib.quiz.grading import NOT_CHECKED, _format_number, compare_prediction, read_prediction
from course_lib.quiz.schema import build_bank
from course_lib.quiz.session import QuestionSession


def _bank():
    """One question of every type (a numeric one with a unit that has a plural)."""
    return build_bank({
        "notebook": "fuzz", "title": "Fuzz",
        "questions": [
            {"id": "s", "type": "single", "prompt": "Pick b.", "answer": "b",
             "explanation": "b is right.",
             "options": [{"id": "a", "text": "A", "feedback": "no"},
                         {"id": "b", "text": "B", "feedback": "yes"}]},
            {"id": "m", "type": "multiple", "prompt": "Pick a and c.", "answer": ["a", "c"],
             "explanation": "a and c.",
             "options": [{"id": "a", "text": "A", "feedback": "yes"},
                         {"id": "b", "text": "B", "feedback": "no"},
                         {"id": "c", "text": "C", "feedback": "yes"}]},
            {"id": "n", "type": "numeric", "prompt": "How many?", "answer": 12, "tolerance": 0.5,
             "unit": "months", "explanation": "12.", "source": "Made up."},
            {"id": "c", "type": "categorise", "prompt": "Sort.", "explanation": "Sorted.",
             "groups": [{"id": "g1", "label": "One"}, {"id": "g2", "label": "Two"}],
             "items": [{"id": "i1", "text": "first", "group": "g1"},
                       {"id": "i2", "text": "second", "group": "g2"}]},
            {"id": "o", "type": "order", "prompt": "Order.", "explanation": "1, 2, 3.",
             "steps": [{"id": "s1", "text": "one"}, {"id": "s2", "text": "two"},
                       {"id": "s3", "text": "three"}]},
            {"id": "pc", "type": "predict", "prompt": "Guess.", "prediction": "choice",
             "task": "run the lab.", "observe_with": "run the lab.", "explanation": "because",
             "options": [{"id": "lo", "text": "low", "feedback": "f", "when": [None, 1]},
                         {"id": "hi", "text": "high", "feedback": "f", "when": [1, None]}]},
            {"id": "pn", "type": "predict", "prompt": "Guess a rate.", "prediction": "numeric",
             "unit": "impulses per second", "tolerance": 1, "task": "run the lab.", "observe_with": "run the lab.",
             "explanation": "because"},
        ],
    }, "fuzz.yaml")


BANK = _bank()
GRADABLE = [q for q in BANK.questions if q.type != "predict"]

# Anything a notebook, a widget or a confused learner could hand to grade().
_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**300, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["a", "b", "c", "g1", "g2", "s1", "s2", "s3", "i1", "i2", "1", "2", "3",
                     "12", "12 months", "1/2", "inf", "nan", "1e999", "\u0661\u0662"]),
    st.binary(max_size=5), st.complex_numbers(allow_nan=True),
)
_answers = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.tuples(inner, inner), st.frozensets(_scalars, max_size=3),
        st.dictionaries(st.one_of(st.sampled_from(["a", "b", "c", "i1", "i2", "s1", "s2", "s3"]),
                                  st.integers(), st.none()), inner, max_size=4),
    ),
    max_leaves=8,
)

TRIED: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report_fuzz_counts():
    """Prints how many answers the fuzz tests tried, once the module is done (a report, not a test)."""
    yield
    if os.environ.get("QUIZ_FUZZ_REPORT"):
        print("\nanswers tried per question type:", dict(TRIED))


@pytest.mark.parametrize("qid", [q.id for q in GRADABLE])
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=_answers)
def test_grade_never_raises_and_unreadable_answers_cost_nothing(qid, answer):
    q = BANK.get(qid)
    TRIED[q.type] += 1
    verdict = grade(q, answer)
    assert 0.0 <= verdict.score <= 1.0
    assert verdict.correct == (verdict.valid and verdict.score == 1.0)
    if not verdict.valid:
        assert verdict.headline == NOT_CHECKED and verdict.feedback
    for line in verdict.feedback:  # a learner's text is echoed at most ~80 characters
        assert len(line) < 400


@pytest.mark.parametrize("qid", ["pc", "pn"])
@settings(max_examples=300, deadline=None)
@given(value=_answers, observed=_answers)
def test_predictions_never_raise(qid, value, observed):
    q = BANK.get(qid)
    TRIED[f"predict ({q.prediction})"] += 1
    try:
        prediction = read_prediction(q, value)
    except AnswerError as refused:
        assert str(refused)  # the other allowed outcome: a refusal the learner can read
        return
    verdict = compare_prediction(q, prediction, observed)
    assert verdict.valid or verdict.headline == NOT_CHECKED


@settings(max_examples=300, deadline=None)
@given(answer=_answers)
def test_an_unreadable_answer_never_spends_an_attempt(tmp_path_factory, answer):
    store = ProgressStore(tmp_path_factory.mktemp("p"))
    TRIED["session (all types)"] += 1
    for q in GRADABLE:
        s = QuestionSession("fuzz", q, store)
        verdict = s.submit(answer)
        assert s.attempts == (1 if verdict.valid else 0)


@settings(max_examples=200, deadline=None)
@given(value=_answers, observed=_answers)
def test_a_prediction_session_never_raises_and_counts_only_readable_predictions(
        tmp_path_factory, value, observed):
    from course_lib.quiz.observations import Observation
    from course_lib.quiz.session import PredictSession

    store = ProgressStore(tmp_path_factory.mktemp("p"))
    for qid in ("pc", "pn"):
        TRIED["predict session"] += 1
        s = PredictSession("fuzz", BANK.get(qid), store)
        verdict = s.commit(value)
        assert verdict.valid == (s.prediction is not None)
        s.receive(Observation(observed, "fuzzed lab", "now"))  # whatever a lab hands over
        assert s.attempts == (1 if s.comparison is not None and s.comparison.valid else 0)


# ----------------------------------------------------------------------------- item 11 cases

@pytest.mark.parametrize("qid, answer", [
    ("n", 10**400), ("n", -(10**400)), ("n", 2**2000), ("n", complex(1, 2)), ("n", b"12"),
    ("n", [12]), ("n", {"x": 1}),
    ("m", 5), ("m", [["x"]]), ("m", ["zzz", 1]), ("m", [None]), ("m", {"a": "yes"}),
    ("c", {"i1": ["g1"], "i2": "g2"}), ("c", {"i1": {"g1"}, "i2": "g2"}), ("c", ["g1", "g2"]),
    ("o", {"s1": math.inf, "s2": 2, "s3": 3}), ("o", {"s1": math.nan, "s2": 2, "s3": 3}),
    ("o", ["s1", "s2", 3]), ("o", [1, 2, 3]), ("o", [["s1"], "s2", "s3"]),
    ("o", {"s1": "first", "s2": 2, "s3": 3}), ("o", {"s1": [1], "s2": 2, "s3": 3}),
    ("s", ["b"]), ("s", {"b": True}), ("s", 1),
])
def test_reported_crashes_give_a_not_checked_verdict(qid, answer):
    verdict = grade(BANK.get(qid), answer)
    assert not verdict.valid and verdict.headline == NOT_CHECKED and not verdict.correct


# ----------------------------------------------------------------------------- item 12 cases

def test_multiple_answer_as_a_dict_counts_only_the_ticked_options():
    q = BANK.get("m")
    assert not grade(q, {"a": False, "c": False}).valid  # nothing ticked: not checked, not Correct
    assert grade(q, {"a": True, "b": False, "c": True}).correct
    partly = grade(q, {"a": True, "b": True, "c": False})
    assert partly.valid and not partly.correct and partly.wrong == ("b",)


@pytest.mark.parametrize("positions", [
    {"s1": 1.9, "s2": 2.9, "s3": 3.9},      # int() would truncate these to 1, 2, 3
    {"s1": True, "s2": 2, "s3": 3},         # True is not position 1
    {"s1": "1", "s2": "2", "s3": "3.5"},
])
def test_order_positions_must_be_whole_numbers_not_truncated(positions):
    verdict = grade(BANK.get("o"), positions)
    assert not verdict.valid and "whole number" in verdict.text


def test_order_positions_that_are_whole_floats_or_digit_strings_are_read():
    q = BANK.get("o")
    assert grade(q, {"s1": 1.0, "s2": 2.0, "s3": 3.0}).correct
    assert grade(q, {"s1": "1", "s2": " 2 ", "s3": "3"}).correct


# ----------------------------------------------------------------------------- item 14 cases

def test_a_long_answer_is_echoed_at_most_about_80_characters():
    long = "x" * 5000
    for q, answer in ((BANK.get("n"), long), (BANK.get("n"), "12 " + long),
                      (BANK.get("s"), long), (BANK.get("m"), [long]),
                      (BANK.get("c"), {"i1": long, "i2": "g1"})):
        verdict = grade(q, answer)
        assert not verdict.valid
        assert "x" * 81 not in verdict.text and len(verdict.text) < 300, verdict.text


@pytest.mark.parametrize("text", ["1/2", "3/4 months", "12/2"])
def test_a_fraction_is_not_read_as_a_number_followed_by_a_unit(text):
    with pytest.raises(AnswerError) as info:
        parse_number(text, "months")
    message = str(info.value)
    assert "fraction" in message and "unit" not in message.split("fraction")[0]
    assert "0.5" in message  # says what to type instead


@pytest.mark.parametrize("text, value", [
    ("\u0661\u0662", 12.0),            # Arabic-Indic digits
    ("\u0967\u0968.\u096b", 12.5),     # Devanagari digits with a dot
    ("\uff11\uff12", 12.0),            # fullwidth digits
    ("\u0661\u0662 months", 12.0),
])
def test_non_ascii_decimal_digits_are_read_as_the_same_digits(text, value):
    """Policy: any Unicode decimal digit (category Nd) is read as its ASCII digit."""
    assert parse_number(text, "months") == value
    verdict = grade(BANK.get("n"), text)
    assert verdict.correct and "12" in verdict.text  # echoed back in ASCII digits


@pytest.mark.parametrize("text", ["10\u00b2", "\u00bd", "\u2460", "1\u00b9"])
def test_superscripts_and_other_digit_like_signs_are_refused(text):
    """Superscripts, vulgar fractions and circled numbers are not decimal digits."""
    with pytest.raises(AnswerError):
        parse_number(text, "months")


def test_units_are_singular_for_one_and_plural_otherwise():
    assert _format_number(1, "months") == "1 month"
    assert _format_number(-1, "months") == "-1 month"
    assert _format_number(2, "months") == "2 months"
    assert _format_number(1, "impulses per second") == "1 impulse per second"
    assert _format_number(1.5, "impulses per second") == "1.5 impulses per second"
    assert _format_number(1, "mV") == "1 mV" and _format_number(1, "s") == "1 s"
    assert _format_number(1, "%") == "1 %"
    assert _format_number(1, "ms") == "1 ms" and _format_number(1, "class") == "1 class"
    q = BANK.get("pn")
    text = compare_prediction(q, 1.0, 1.0, "a gentle touch").text
    assert "1 impulse per second" in text and "1 impulses" not in text
