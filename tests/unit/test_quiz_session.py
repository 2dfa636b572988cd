"""Attempts, hints, reveal and predict-then-observe, without widgets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from course_lib.quiz import load_bank, observe
from course_lib.quiz.session import PredictSession, QuestionSession

FIXTURES = Path(__file__).parent / "fixtures" / "quiz"
NB01 = "01_what_is_neuropathic_pain"
DEMO = FIXTURES / "predict_demo.yaml"


pytestmark = pytest.mark.usefixtures("fresh_observations")


def session(store, qid: str) -> QuestionSession:
    return QuestionSession(NB01, load_bank(NB01).get(qid), store)


def predict_session(store, qid: str) -> PredictSession:
    bank = load_bank(DEMO)
    return PredictSession(bank.notebook, bank.get(qid), store)


def test_only_readable_answers_cost_an_attempt(store):
    s = session(store, "prevalence")
    assert not s.submit("about eight").valid
    assert s.attempts == 0 and store.question_record(NB01, "prevalence") is None
    s.submit("20")
    assert s.attempts == 1 and s.attempts_left == 2


def test_answer_is_revealed_after_max_attempts_and_not_before(store):
    s = session(store, "allodynia")
    for k in range(s.question.max_attempts - 1):
        s.submit("numbness")
        assert not s.revealed and not s.explanation_visible
    s.submit("numbness")
    assert s.revealed and s.explanation_visible
    assert store.question_record(NB01, "allodynia")["revealed"] is True


def test_correct_answer_shows_the_explanation_without_revealing(store):
    s = session(store, "allodynia")
    s.submit("allodynia")
    assert s.solved and s.explanation_visible and not s.revealed


def test_show_answer_on_request(store):
    s = session(store, "causes")
    assert s.reveal() == s.question.answer_text()
    assert s.revealed and "answer shown" in s.status()


def test_hints_come_one_at_a_time_and_are_saved_with_the_attempt(store):
    s = session(store, "iasp_definition")
    assert s.next_hint() == s.question.hints[0]
    assert s.shown_hints() == s.question.hints[:1]
    assert s.next_hint() == s.question.hints[1]
    assert s.next_hint() is None and s.hints_left == 0
    s.submit("lesion")
    assert store.question_record(NB01, "iasp_definition")["hints_used"] == 2


def test_reopening_shows_the_saved_history(store):
    first = session(store, "allodynia")
    first.submit("numbness")
    first.submit("allodynia")
    reopened = session(store, "allodynia")  # a new kernel reading the same file
    assert reopened.status() == "Attempted 2 times, last correct."
    assert reopened.attempts == 0  # fresh attempts before the next reveal


# ----------------------------------------------------------------------------- predict

def test_prediction_first_then_a_lab_result(store):
    s = predict_session(store, "demo_spikes")
    saved = s.commit("one")
    assert saved.headline == "Prediction saved" and "Exactly one spike" in saved.text
    result = observe("demo_spikes", np.int64(1), description="Nav1.8 off, 400 pA",
                     notebook="predict_demo")
    assert result.value == 1 and isinstance(result.value, int)
    assert s.comparison is not None and s.comparison.correct
    record = store.question_record("predict_demo", "demo_spikes")
    assert record["matched"] is True and record["prediction"] == "one" and record["observed"] == 1
    assert "prediction matched" in s.status()


def test_a_result_that_arrives_first_is_held_back_until_the_prediction(store):
    s = predict_session(store, "demo_rheobase")
    observe("demo_rheobase", 326.0, "Nav1.8 off", notebook="predict_demo")
    assert s.comparison is None  # no peeking
    verdict = s.commit("100 pA")
    assert not verdict.correct and verdict.valid and "326 pA" in verdict.text


def test_a_question_created_after_the_lab_ran_still_gets_the_result(store):
    observe("demo_rheobase", 300.0, "Nav1.8 off", notebook="predict_demo")
    s = predict_session(store, "demo_rheobase")
    assert s.commit("310").correct


def test_observe_finds_the_notebook_by_question_id(store):
    s = predict_session(store, "demo_spikes")
    s.commit("many")
    observe("demo_spikes", 5, "strong step")  # no notebook given: any lab can call it like this
    assert s.comparison is not None and s.comparison.correct


def test_observe_rejects_unknown_ids_and_non_values():
    with pytest.raises(KeyError, match="no predict question"):
        observe("no_such_question", 1)
    with pytest.raises(TypeError):
        observe("demo_spikes", [1, 2], notebook="predict_demo")
    with pytest.raises(ValueError):
        observe("demo_spikes", float("nan"), notebook="predict_demo")


def test_a_failing_question_never_breaks_the_lab_that_reports(store):
    s = predict_session(store, "demo_spikes")
    s.commit("one")

    def broken(_session):
        raise RuntimeError("display exploded")

    s.add_listener(broken)
    observe("demo_spikes", 1, notebook="predict_demo")  # must not raise
    assert s.comparison.correct


def test_predicting_again_waits_for_a_new_result(store):
    s = predict_session(store, "demo_spikes")
    s.commit("one")
    observe("demo_spikes", 1, notebook="predict_demo")
    assert not s.commit("many").valid  # already locked in
    s.reset_prediction()
    s.commit("many")
    assert s.comparison is None
    observe("demo_spikes", 9, notebook="predict_demo")
    assert s.comparison.correct and store.question_record("predict_demo", "demo_spikes")["attempts"] == 2


def test_grading_progress_and_observe_need_no_widgets():
    code = ("import sys; import course_lib.quiz as q; from course_lib.quiz import observe; "
            "from course_lib.quiz import session, grading, progress; "
            "assert 'ipywidgets' not in sys.modules, 'ipywidgets imported'; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr


# ----------------------------------------------------------------------------- issue 9 items 12-13

def test_answering_after_show_answer_is_recorded_as_revealed_not_as_full_marks(store):
    s = session(store, "allodynia")
    s.reveal()
    verdict = s.submit("allodynia")  # copying the shown answer
    assert verdict.correct  # the learner still sees that the answer is right
    record = store.question_record(NB01, "allodynia")
    assert record["revealed"] is True and record["best_score"] == 0.0
    assert record["answered_after_reveal"] is True
    assert "answer shown" in s.status()
    from course_lib.quiz import progress_summary
    row = next(r for r in progress_summary(store) if r.notebook == NB01)
    assert row.score_percent == 0.0 and row.correct == 0


def test_a_reveal_in_an_earlier_session_still_counts(store):
    session(store, "allodynia").reveal()
    later = session(store, "allodynia")  # a new kernel; the saved record says "revealed"
    later.submit("allodynia")
    assert store.question_record(NB01, "allodynia")["best_score"] == 0.0


def test_a_score_earned_before_the_reveal_is_kept(store):
    s = session(store, "causes")
    s.submit(["trauma", "shingles"])  # half right, before any reveal
    s.reveal()
    s.submit(["trauma", "shingles", "diabetes", "chemo"])
    assert store.question_record(NB01, "causes")["best_score"] == pytest.approx(0.5)


def test_one_prediction_is_one_attempt_however_many_lab_updates_follow(store):
    s = predict_session(store, "demo_spikes")
    s.commit("one")
    for k in range(200):  # a learner dragging a slider: the lab reports after every move
        observe("demo_spikes", k % 4, f"run {k}", notebook="predict_demo")
    record = store.question_record("predict_demo", "demo_spikes")
    assert record["attempts"] == 1 and s.attempts == 1
    assert s.status() == "Predicted once, last prediction differed from the model."
    assert record["matched"] is False  # the outcome of the latest result (3: several spikes)
    s.reset_prediction()
    s.commit("many")
    observe("demo_spikes", 5, notebook="predict_demo")
    observe("demo_spikes", 6, notebook="predict_demo")
    assert store.question_record("predict_demo", "demo_spikes")["attempts"] == 2


def test_lab_updates_that_do_not_change_the_outcome_are_not_written_again(store, monkeypatch):
    """A slider drag reports dozens of results; each disk write costs milliseconds of the
    16 ms a slider update may take, so only a change of outcome (matched or not) is saved."""
    s = predict_session(store, "demo_spikes")
    s.commit("one")
    observe("demo_spikes", 5, "first run", notebook="predict_demo")
    writes = []
    real_update = store.update
    monkeypatch.setattr(store, "update", lambda change: writes.append(1) or real_update(change))
    for k in range(2, 60):  # all "several spikes": the outcome stays "differs"
        observe("demo_spikes", k, f"run {k}", notebook="predict_demo")
    assert writes == [] and s.comparison.text.count("run 59") == 1  # shown, not saved
    observe("demo_spikes", 1, "now one spike", notebook="predict_demo")  # the outcome flips
    assert len(writes) == 1
    record = store.question_record("predict_demo", "demo_spikes")
    assert record["matched"] is True and record["observed"] == 1 and record["attempts"] == 1
