"""Grading of every question type, boundaries included, with no widgets involved."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.quiz import AnswerError, grade, load_bank, parse_number
from course_lib.quiz.grading import (
    CORRECT,
    DIFFERENT,
    MATCH,
    NOT_CHECKED,
    NOT_QUITE,
    PARTLY,
    compare_prediction,
    read_prediction,
)
from course_lib.quiz.schema import NumericQuestion, OrderQuestion, build_question

FIXTURES = Path(__file__).parent / "fixtures" / "quiz"
NB01 = "01_what_is_neuropathic_pain"


def q01(qid: str):
    return load_bank(NB01).get(qid)


def numeric(answer: float, tolerance: float, unit: str = "", **extra) -> NumericQuestion:
    data = {"id": "n", "type": "numeric", "prompt": "?", "explanation": "because",
            "answer": answer, "tolerance": tolerance, "unit": unit, "source": "test", **extra}
    return build_question(data, "test.yaml", 0, 3)


# ----------------------------------------------------------------------------- single

def test_single_correct_and_wrong_give_the_options_own_feedback():
    q = q01("allodynia")
    right = grade(q, "allodynia")
    assert right.correct and right.score == 1.0 and right.headline == CORRECT
    assert right.text.startswith("Correct — ")
    wrong = grade(q, "hyperalgesia")
    assert not wrong.correct and wrong.score == 0.0 and wrong.headline == NOT_QUITE
    assert wrong.text.startswith("Not quite — ")
    assert "already hurts" in wrong.text  # the misconception-specific feedback
    assert wrong.wrong == ("hyperalgesia",)


@pytest.mark.parametrize("answer", [None, "", "zzz"])
def test_single_empty_or_unknown_choice_is_not_checked(answer):
    verdict = grade(q01("allodynia"), answer)
    assert not verdict.valid and verdict.headline == NOT_CHECKED and not verdict.correct


# ----------------------------------------------------------------------------- multiple

def test_multiple_all_right():
    verdict = grade(q01("causes"), ["trauma", "shingles", "diabetes", "chemo"])
    assert verdict.correct and verdict.score == 1.0 and verdict.missed == ()


def test_multiple_missed_option_gets_its_own_feedback_and_is_reported():
    q = q01("causes")
    verdict = grade(q, {"trauma", "shingles", "diabetes"})
    assert not verdict.correct and verdict.headline == PARTLY
    assert verdict.missed == ("chemo",)
    assert verdict.score == pytest.approx(0.75)
    assert q.options[3].if_missed in verdict.feedback


def test_multiple_wrong_tick_costs_credit_and_names_the_misconception():
    q = q01("causes")
    verdict = grade(q, {"trauma", "shingles", "diabetes", "chemo", "weakness"})
    assert not verdict.correct and verdict.wrong == ("weakness",) and verdict.missed == ()
    assert verdict.score == pytest.approx(0.75)
    assert any("blame" in line for line in verdict.feedback)


def test_multiple_ticking_everything_loses_one_right_tick_per_wrong_one():
    q = q01("causes")  # 4 right, 2 wrong
    verdict = grade(q, [o.id for o in q.options])
    assert verdict.score == pytest.approx((4 - 2) / 4) and not verdict.correct
    assert grade(q, ["bruise", "weakness", "trauma"]).score == 0.0  # clipped, never negative


@pytest.mark.parametrize("answer", [[], set(), None, ["trauma", "nope"]])
def test_multiple_empty_or_unknown_is_not_checked(answer):
    assert not grade(q01("causes"), answer).valid


@settings(max_examples=30, deadline=None)
@given(st.sets(st.sampled_from(["trauma", "shingles", "diabetes", "chemo", "bruise", "weakness"]),
               min_size=1))
def test_multiple_score_is_bounded_and_full_only_for_the_exact_answer(chosen):
    q = q01("causes")
    verdict = grade(q, chosen)
    assert 0.0 <= verdict.score <= 1.0
    assert verdict.correct == (chosen == set(q.answer)) == (verdict.score == 1.0)
    assert set(verdict.missed) == set(q.answer) - chosen


# ----------------------------------------------------------------------------- numeric

@pytest.mark.parametrize("text", ["12", "12.0", "1.2e1", " 12 ", "12 mV", "12mV", "12 mv",
                                  "+12", "12.", "120e-1"])
def test_numeric_accepts_the_usual_spellings(text):
    assert parse_number(text, "mV") == pytest.approx(12.0)
    assert grade(numeric(12, 0, "mV"), text).correct


@pytest.mark.parametrize("text", ["12 %", "12%", "12 percent", " 12 pct "])
def test_percent_unit_and_its_words(text):
    assert parse_number(text, "%") == pytest.approx(12.0)


@pytest.mark.parametrize("text, words", [
    ("twelve", "not a number I can read"),
    ("12 mA", "answer in mV"),
    ("", "Type a number"),
    ("   ", "Type a number"),
    ("1,5", "Use a dot"),
    ("nan", "not a number I can read"),
    ("inf", "not a number I can read"),
    ("1e999", "too large"),
    ("2+3", "answer in mV"),
    ("__import__('os').getcwd()", "not a number I can read"),
    ("12 mV extra", "answer in mV"),
])
def test_numeric_rejects_malformed_answers_with_a_clear_message(text, words):
    with pytest.raises(AnswerError, match=words):
        parse_number(text, "mV")
    verdict = grade(numeric(12, 0, "mV"), text)
    assert not verdict.valid and verdict.headline == NOT_CHECKED  # no attempt is spent


@pytest.mark.parametrize("value, words", [(float("nan"), "not a number"), (float("inf"), "too large")])
def test_a_nan_handed_over_is_not_a_number_and_an_infinity_is_too_large(value, words):
    """Issue 23 item 9: grade(q, nan) once said 'That number is too large'."""
    with pytest.raises(AnswerError, match=words):
        parse_number(value, "mV")
    verdict = grade(numeric(12, 0, "mV"), value)
    assert not verdict.valid and verdict.headline == NOT_CHECKED


def test_numeric_without_a_unit_refuses_one():
    with pytest.raises(AnswerError, match="no unit"):
        parse_number("7 apples", "")
    assert parse_number("7", "") == 7.0


def test_numeric_is_never_evaluated_as_code():
    # "5" would be right if the text were evaluated; it must be refused instead.
    verdict = grade(numeric(5, 0), "2+3")
    assert not verdict.valid


def test_numeric_typographic_minus_and_real_numbers():
    assert parse_number("\u221270 mV", "mV") == -70.0
    assert grade(numeric(-70, 1, "mV"), -70.5).correct
    assert grade(numeric(-70, 1, "mV"), np.float64(-69.2)).correct
    assert not grade(numeric(-70, 1, "mV"), True).valid


def test_numeric_tolerance_edges_are_inclusive_and_tight():
    """The prevalence question's accepted range is exactly 6.9-10 % of 2,000 adults, 138-200
    people (SCIENCE.md section 5)."""
    q = q01("prevalence")
    for inside in ("138", "200", "200 people", "169", "1.38e2"):
        assert grade(q, inside).correct, inside
    for outside in ("137.99", "200.01", "1.3799e2"):
        assert not grade(q, outside).correct, outside


@settings(max_examples=40, deadline=None)
@given(answer=st.floats(-1e3, 1e3, allow_nan=False),
       tolerance=st.floats(0, 100, allow_nan=False),
       fraction=st.floats(-1, 1))
def test_numeric_within_tolerance_is_correct_and_beyond_is_not(answer, tolerance, fraction):
    q = numeric(answer, tolerance)
    assert grade(q, answer + fraction * tolerance).correct
    beyond = tolerance + 1e-6 * max(1.0, abs(answer), tolerance) + 1e-3
    assert not grade(q, answer + beyond).correct
    assert not grade(q, answer - beyond).correct


def test_numeric_feedback_ranges_and_direction():
    q = q01("prevalence")
    in_study_range = grade(q, "300")
    assert "above" in in_study_range.text and "3 to 17" in in_study_range.text
    far_above = grade(q, "800")
    assert q.too_high in far_above.feedback
    far_below = grade(q, "20")
    assert "below" in far_below.text and q.too_low in far_below.feedback


# ----------------------------------------------------------------------------- categorise

def test_categorise_all_right_one_wrong_and_unsorted():
    q = q01("sort_patient_stories")
    right = {i.id: i.group for i in q.items}
    assert grade(q, right).correct
    one_wrong = dict(right, widespread="neuropathic")
    verdict = grade(q, one_wrong)
    assert not verdict.correct and verdict.headline == PARTLY
    assert verdict.score == pytest.approx(5 / 6) and verdict.wrong == ("widespread",)
    assert q.items[5].feedback in verdict.feedback
    unsorted = dict(right, ankle=None)
    assert not grade(q, unsorted).valid
    assert not grade(q, dict(right, ankle="bones")).valid
    assert not grade(q, None).valid


# ----------------------------------------------------------------------------- order

def test_order_as_sequence_or_positions():
    q: OrderQuestion = q01("becoming_chronic")
    ids = [s.id for s in q.steps]
    assert grade(q, ids).correct
    assert grade(q, {sid: k + 1 for k, sid in enumerate(ids)}).correct
    swapped = [ids[1], ids[0], *ids[2:]]
    verdict = grade(q, swapped)
    assert not verdict.correct and verdict.score == pytest.approx(3 / 5)
    assert set(verdict.wrong) == {ids[0], ids[1]}
    reversed_order = grade(q, ids[::-1])
    assert reversed_order.score == pytest.approx(1 / 5)  # the middle step stays in place


@pytest.mark.parametrize("positions, words", [
    ({"injury": 1, "felt": 1, "misfire": 3, "amplify": 4, "chronic": 5}, "used 2 times"),
    ({"injury": 1, "felt": None, "misfire": 3, "amplify": 4, "chronic": 5}, "still without"),
    ({"injury": 1, "felt": 2, "misfire": 3, "amplify": 4, "chronic": 9}, "from 1 to 5"),
])
def test_order_malformed_positions_are_not_checked(positions, words):
    verdict = grade(q01("becoming_chronic"), positions)
    assert not verdict.valid and words in verdict.text


def test_order_sequence_must_use_each_step_once():
    verdict = grade(q01("becoming_chronic"), ["injury", "injury", "misfire", "amplify", "chronic"])
    assert not verdict.valid


# ----------------------------------------------------------------------------- predict

def predict(qid: str):
    return load_bank(FIXTURES / "predict_demo.yaml").get(qid)


def test_choice_prediction_maps_a_lab_number_onto_the_options():
    q = predict("demo_spikes")
    assert compare_prediction(q, "one", 1).correct
    assert compare_prediction(q, "one", np.int64(1)).headline == MATCH
    miss = compare_prediction(q, "one", 7, "Nav1.8 off, 400 pA")
    assert not miss.correct and miss.headline == DIFFERENT
    assert "Several spikes" in miss.text and "Nav1.8 off, 400 pA" in miss.text
    assert compare_prediction(q, "none", 0).correct
    assert compare_prediction(q, "many", "many").correct  # labs may report an option id
    assert not compare_prediction(q, "one", "a banana").valid


def test_numeric_prediction_matches_within_its_tolerance_edges():
    q = predict("demo_rheobase")  # tolerance 50 pA
    assert compare_prediction(q, 276.0, 326.0).correct
    assert compare_prediction(q, 376.0, 326.0).correct
    assert not compare_prediction(q, 275.9, 326.0).correct
    assert not compare_prediction(q, 300.0, "lots").valid
    assert not compare_prediction(q, 300.0, float("nan")).valid


def test_reading_predictions():
    assert read_prediction(predict("demo_rheobase"), "300 pA") == 300.0
    with pytest.raises(AnswerError):
        read_prediction(predict("demo_rheobase"), "lots")
    with pytest.raises(AnswerError):
        read_prediction(predict("demo_spikes"), None)
    with pytest.raises(AnswerError):
        read_prediction(predict("demo_spikes"), "seven")


def test_grade_refuses_predict_questions():
    with pytest.raises(TypeError):
        grade(predict("demo_spikes"), "one")
