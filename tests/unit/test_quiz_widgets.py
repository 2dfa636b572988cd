"""Quiz widgets driven programmatically: set an answer, press Check, read the verdict."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as W
import pytest

from course_lib.quiz import make_quiz, observe, progress_view, question

FIXTURES = Path(__file__).parent / "fixtures" / "quiz"
NB00, NB01 = "00_start_here", "01_what_is_neuropathic_pain"
DEMO = str(FIXTURES / "predict_demo.yaml")


pytestmark = pytest.mark.usefixtures("fresh_observations")


def test_single_choice_uses_native_radio_buttons_and_states_the_verdict_in_words(store):
    q = question(NB01, "allodynia", store=store)
    assert isinstance(q.controls["choice"], W.RadioButtons)
    assert q.controls["choice"].value is None  # nothing pre-selected
    q.controls["choice"].value = "hyperalgesia"
    q.check_button.click()
    assert "Not quite —" in q.verdict.value and "already hurts" in q.verdict.value
    assert "2 attempts left" in q.verdict.value
    assert q.explanation.value == ""
    q.set_answer("allodynia")
    verdict = q.check()
    assert verdict.correct and "Correct —" in q.verdict.value
    assert "Why:" in q.explanation.value and "Answer:" not in q.explanation.value
    assert "Attempted 2 times, last correct" in q.status.value


def test_multiple_select_uses_checkboxes_and_reports_missed_options(store):
    q = question(NB01, "causes", store=store)
    assert all(isinstance(c, W.Checkbox) for c in q.controls.values())
    q.set_answer({"trauma", "shingles", "diabetes"})
    q.check_button.click()
    assert "Partly right —" in q.verdict.value
    assert "harm nerve fibres too" in q.verdict.value  # the missed option's own nudge
    assert q.session.last_verdict.missed == ("chemo",)


def test_numeric_text_is_read_without_eval_and_bad_text_costs_nothing(store):
    q = question(NB01, "prevalence", store=store)
    assert isinstance(q.controls["value"], W.Text) and "people" in q.controls["value"].description
    q.set_answer("a lot")
    q.check_button.click()
    assert "Not checked yet —" in q.verdict.value and "not a number" in q.verdict.value
    assert "Not attempted yet" in q.status.value
    q.set_answer(" 150 people ")
    q.check_button.click()
    assert "Correct —" in q.verdict.value and "van Hecke" in q.explanation.value


def test_categorise_and_order_use_one_dropdown_per_item(store):
    quiz = make_quiz(NB01, store=store)
    sort = quiz["sort_patient_stories"]
    assert len(sort.controls) == 6 and all(isinstance(d, W.Dropdown) for d in sort.controls.values())
    answers = {i.id: i.group for i in sort.question.items}
    sort.set_answer(dict(answers, ankle="neuropathic"))
    sort.check_button.click()
    assert "Partly right —" in sort.verdict.value and "5 of 6" in sort.verdict.value
    order = quiz["becoming_chronic"]
    assert [s.id for s in order.display_order] != [s.id for s in order.question.steps]
    order.set_answer([s.id for s in order.question.steps])
    order.check_button.click()
    assert "Correct —" in order.verdict.value
    order.controls["injury"].value = order.controls["felt"].value  # two steps at one position
    order.check_button.click()
    assert "Not checked yet —" in order.verdict.value and "used 2 times" in order.verdict.value


def test_answer_revealed_after_max_attempts_or_on_request(store):
    q = question(NB00, "run_a_cell", store=store)
    for _ in range(q.question.max_attempts):
        q.set_answer("enter")
        q.check_button.click()
    assert "Answer:" in q.explanation.value and "Shift + Enter" in q.explanation.value
    other = question(NB00, "milliseconds", store=store)
    other.show_answer_button.click()
    assert "0.5 s" in other.explanation.value and "answer shown" in other.status.value


def test_hints_are_revealed_one_at_a_time(store):
    q = question(NB01, "iasp_definition", store=store)
    assert q.hints.value == ""
    q.hint_button.click()
    assert "Hint 1 of 2" in q.hints.value and "Hint 2" not in q.hints.value
    q.hint_button.click()
    assert "Hint 2 of 2" in q.hints.value and q.hint_button.description == "No more hints"
    assert not q.hint_button.disabled  # it has the focus: disabling it would drop focus


def test_reopening_a_notebook_shows_saved_progress(store):
    first = question(NB01, "allodynia", store=store)
    first.set_answer("numbness")
    first.check()
    again = question(NB01, "allodynia", store=store)
    assert "Attempted once, last not yet correct" in again.status.value


def test_an_error_inside_a_callback_is_shown_not_raised(store, monkeypatch):
    q = question(NB01, "allodynia", store=store)

    def explode(_answer):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(q.session, "submit", explode)
    q.set_answer("allodynia")
    q.check_button.click()  # must not raise into the kernel
    assert "Something went wrong" in q.verdict.value and "disk on fire" in q.verdict.value
    assert q.check() is None


def test_quiz_subset_keeps_bank_numbering_in_bank_order(store):
    quiz = make_quiz(NB01, ids=["prevalence", "allodynia"], store=store)
    bank_ids = list(quiz.bank.ids)
    in_bank_order = sorted(["prevalence", "allodynia"], key=bank_ids.index)
    assert [w.question.id for w in quiz.questions] == in_bank_order  # numbers ascend
    first = in_bank_order[0]
    assert f"Question {bank_ids.index(first) + 1}." in quiz.questions[0].prompt.value
    assert quiz.view.children[1] is quiz.questions[0].view


def test_a_quiz_view_holds_its_header_questions_reset_and_key_helper(store):
    quiz = make_quiz(NB00, store=store)
    assert isinstance(quiz.view, W.VBox)
    # the header, every question, the reset control and the quiz's key helper
    assert len(quiz.view.children) == 3 + len(quiz.questions)


# ----------------------------------------------------------------------------- predict

def test_predict_widget_commits_then_compares_with_any_lab_result(store):
    q = question(DEMO, "demo_spikes", store=store)
    assert "Predict first" in q.verdict.value
    q.set_answer("many")
    q.check_button.click()
    assert "Prediction saved —" in q.verdict.value
    assert q.controls["prediction"].disabled
    assert q.check_button.description == "Prediction locked in" and not q.check_button.disabled
    observe("demo_spikes", 1, description="Nav1.8 off, 400 pA step", notebook="predict_demo")
    assert "differs from the model —" in q.verdict.value
    assert "Several spikes" in q.comparison.value and "Exactly one spike" in q.comparison.value
    assert "Nav1.8 off, 400 pA step" in q.comparison.value
    assert "Why:" in q.explanation.value
    q.predict_again_button.click()
    q.set_answer("one")
    q.check_button.click()
    q.observe(1, description="second run")  # the question's own hook does the same
    assert "matches the model —" in q.verdict.value and "second run" in q.comparison.value


def test_numeric_prediction_waits_for_the_learner_if_the_lab_ran_first(store):
    q = question(DEMO, "demo_rheobase", store=store)
    observe("demo_rheobase", 326.0, "rheobase with Nav1.8 off", notebook="predict_demo")
    assert q.comparison.value == ""  # no peeking before predicting
    q.set_answer("300 pA")
    q.check_button.click()
    assert "matches the model —" in q.verdict.value and "326 pA" in q.comparison.value


# ----------------------------------------------------------------------------- progress view

def test_progress_reset_asks_for_confirmation(store):
    store.record_attempt(NB00, "run_a_cell", correct=True, score=1.0)
    store.record_attempt(NB01, "causes", correct=True, score=1.0)
    view = progress_view(store)
    assert "1 of 3" in view.table.value  # notebook 00: one of its three questions tried
    view.reset.confirm_button.click()  # not asked yet: nothing happens
    assert store.notebook_records(NB00)
    view.notebook_choice.value = NB00
    view.reset.reset_button.click()
    assert view.reset.confirm_row.layout.display != "none" and NB00 in view.reset.question.value
    view.reset.cancel_button.click()
    assert store.notebook_records(NB00) and "Nothing was deleted" in view.reset.verdict.value
    view.reset.reset_button.click()
    view.reset.confirm_button.click()
    assert store.notebook_records(NB00) == {} and store.notebook_records(NB01)
    assert "0 of 3" in view.table.value


def test_quiz_reset_clears_only_its_notebook_and_updates_the_status(store):
    store.record_attempt(NB00, "run_a_cell", correct=True, score=1.0)
    quiz = make_quiz(NB01, store=store)
    quiz["allodynia"].set_answer("allodynia")
    quiz["allodynia"].check()
    quiz.reset.reset_button.click()
    quiz.reset.confirm_button.click()
    assert store.notebook_records(NB01) == {} and store.notebook_records(NB00)
    assert "Not attempted yet" in quiz["allodynia"].status.value
