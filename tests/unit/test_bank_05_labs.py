"""Bank 05 against the labs that answer it: each predict question, run at the setting it names,
lands on the option its explanation calls right; and the bank keeps the brief's shape."""

import re

import pytest

from course_lib.quiz import load_bank
from course_lib.quiz.grading import observed_option
from course_lib.quiz.schema import PredictQuestion
from course_lib.widgets.goals_lab import GoalsLab
from course_lib.widgets.icon_array_lab import IconArrayLab
from course_lib.widgets.predictions import connect_prediction
from course_lib.widgets.where_it_acts_lab import TREATMENT_CONTROLS, WhereItActsLab

BANK_ID = "05_managing_persistent_pain"


@pytest.fixture(scope="module")
def bank():
    return load_bank(BANK_ID)


@pytest.fixture(scope="module")
def pathway_lab():
    return WhereItActsLab()


def question(bank, qid) -> PredictQuestion:
    return next(q for q in bank.questions if q.id == qid)


def test_bank_has_the_shape_the_brief_asks_for(bank):
    assert len(bank.questions) >= 10
    predicts = [q for q in bank.questions if isinstance(q, PredictQuestion)]
    assert len(predicts) >= 3
    for q in predicts:
        assert "lab" in q.observe_with
    assert not re.search(r"\d", bank.intro)            # no counts in the intro
    for q in bank.questions:
        for option in getattr(q, "options", ()):
            assert option.feedback                      # per-option feedback everywhere


@pytest.mark.parametrize("words", [
    "only if it removes the pain", "rest as much as possible", "strongest painkiller should",
    "pain is imagined", "more medicines means more relief"])
def test_each_misconception_is_a_distractor_with_its_own_feedback(bank, words):
    hits = [(q, o) for q in bank.questions for o in getattr(q, "options", ())
            if words in o.text.lower()]
    assert hits, words
    for q, o in hits:
        assert o.id != getattr(q, "answer", None)


def test_mind_question_is_answered_by_the_pathway_lab(bank, pathway_lab):
    q = question(bank, "predict_mind_signal")
    pathway_lab.reset()
    pathway_lab.set_values(attention_to_pain=1.0, mood=0.0, sleep_quality=0.0, fear_of_movement=1.0)
    r = pathway_lab.result
    ratio = r["untreated"].signal_to_brain / r["reference"].signal_to_brain
    assert observed_option(q, ratio).id == "higher"
    pathway_lab.reset()
    r = pathway_lab.result
    assert observed_option(q, r["untreated"].signal_to_brain / r["reference"].signal_to_brain).id == "same"


def test_snri_question_is_answered_by_the_pathway_lab(bank, pathway_lab):
    q = question(bank, "predict_snri_nerve")
    pathway_lab.set_values(**{k: k == "snri" for k in TREATMENT_CONTROLS})
    assert observed_option(q, pathway_lab.result["changes"]["nerve"]).id == "unchanged"
    pathway_lab.set_values(**{k: k == "lidocaine_plaster" for k in TREATMENT_CONTROLS})
    assert observed_option(q, pathway_lab.result["changes"]["nerve"]).id == "falls"
    pathway_lab.reset()


def test_tca_question_is_answered_by_the_icon_array_lab(bank):
    q = question(bank, "predict_tca_extra")
    lab = IconArrayLab()
    lab.set_values(drug="tca")
    assert observed_option(q, lab.last_published[0]).id == "quarter"


def test_goals_question_is_answered_by_the_goals_lab_at_its_start(bank):
    q = question(bank, "predict_goals_success")
    lab = GoalsLab()
    assert observed_option(q, lab.last_published[0]).id == "success"
    lab.set_values(side_effects="made me stop")
    assert observed_option(q, lab.last_published[0]).id == "side_effects_outweigh"


def test_connect_prediction_hands_the_lab_result_to_the_question(pathway_lab):
    from course_lib.quiz import observations

    connect_prediction(pathway_lab, "predict_snri_nerve", when={"snri": True},
                       value_of=lambda lab: lab.result["changes"]["nerve"])
    pathway_lab.set_values(**{k: k == "snri" for k in TREATMENT_CONTROLS})
    seen = observations.latest(BANK_ID, "predict_snri_nerve")
    assert seen is not None and seen.value == pytest.approx(0.0, abs=0.5)
    pathway_lab.reset()
    observations.forget(BANK_ID)
