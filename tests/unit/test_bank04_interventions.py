"""Bank 04: each predict question is answered by the lab setting it names, and the bank keeps its promises."""

import pytest

from course_lib.quiz import load_bank
from course_lib.quiz.grading import observed_option
from course_lib.quiz.schema import PredictQuestion
from course_lib.widgets.cause_lab import CauseLab
from course_lib.widgets.regrowth_lab import SITES, RegrowthLab
from course_lib.widgets.reversal_lab import ReversalLab
from course_lib.widgets.trial_lab import DRUG, TrialLab

BANK = load_bank("04_interventions_aimed_at_resolution")


def question(qid):
    return BANK.get(qid)


def run(lab, **values):
    lab.set_values(**values)
    assert lab.last_error is None
    value, sentence = lab.last_published
    return value, sentence


# (question id, lab class, the setting named in observe_with, the option the explanation says happens)
CASES = [
    ("predict_release_after_long_wait", CauseLab, {"cause": "trapped nerve", "treat_month": 24.0}, "fades"),
    ("predict_knee_regrowth", RegrowthLab,
     {"site": next(s for s in SITES if s.startswith("knee")), "axon_loss": 0.3, "rate_mm_per_day": 1.0},
     "over_year"),
    ("predict_drug_after_stopping", TrialLab,
     {"treatment": DRUG, "placebo": True, "n_patients": 500, "after_stopping": True}, "placebo_level"),
    ("predict_reversal_duration", ReversalLab,
     {"cause_removed": True, "stronger_inhibition": True, "lower_drive": False, "treatment_months": 6.0,
      "months_sensitised": 24.0}, "not_recovered"),
]


@pytest.mark.parametrize("qid, lab_class, setting, expected", CASES, ids=[c[0] for c in CASES])
def test_predict_questions_are_answered_by_their_lab(qid, lab_class, setting, expected):
    value, _ = run(lab_class(), **setting)
    assert observed_option(question(qid), value).id == expected


def test_the_contrasting_settings_give_the_other_answer():
    # the "early" side of each contrast lands on the other option, so the question discriminates
    # the trapped nerve never released keeps its signal up, which the "stays" option describes
    assert observed_option(question("predict_release_after_long_wait"),
                           run(CauseLab(), cause="diabetes", treat_month=60.0, hba1c_after=10.0)[0]).id == "stays"
    assert observed_option(question("predict_drug_after_stopping"),
                           run(TrialLab(), treatment=DRUG, placebo=True, n_patients=500,
                               after_stopping=False)[0]).id == "kept"
    assert observed_option(question("predict_reversal_duration"),
                           run(ReversalLab(), cause_removed=True, stronger_inhibition=True, lower_drive=False,
                               treatment_months=6.0, months_sensitised=6.0)[0]).id == "recovers"


def test_bank_size_predict_count_and_sources():
    predicts = [q for q in BANK.questions if isinstance(q, PredictQuestion)]
    assert len(BANK.questions) >= 10 and len(predicts) >= 3
    assert all(q.observe_with for q in predicts)
    assert all(q.source for q in BANK.questions)
    assert not any(ch.isdigit() for ch in BANK.intro)  # no counts in the intro


@pytest.mark.parametrize("phrase", [
    "surgery always fixes nerve pain", "a stronger drug", "stem-cell treatment is proven",
    "a stimulator blocks the nerve", "if the drug helps, the damage is healed",
])
def test_each_misconception_is_targeted_by_option_feedback(phrase):
    feedback = " ".join(o.feedback.lower() for q in BANK.questions for o in getattr(q, "options", ()))
    words = {"surgery always fixes nerve pain": "surgery always fixes nerve pain",
             "a stronger drug": "stronger drug",
             "stem-cell treatment is proven": "stem-cell treatment is proven",
             "a stimulator blocks the nerve": "a stimulator blocks the nerve",
             "if the drug helps, the damage is healed": "if the drug helps, the damage is healed"}
    assert words[phrase] in feedback


def test_model_numbers_quoted_in_explanations_match_the_labs():
    trial = TrialLab()
    on_drug, _ = run(trial, treatment=DRUG, placebo=True, n_patients=500, after_stopping=False)
    placebo = trial.result["model_counts"]["placebo"]
    text = question("predict_drug_after_stopping").explanation
    assert f"about {on_drug} in 100 reach 50 % relief on the drug" in text
    assert f"about {placebo} in 100 on placebo" in text
    regrowth = RegrowthLab()
    knee, _ = run(regrowth, site=next(s for s in SITES if s.startswith("knee")), axon_loss=0.3, rate_mm_per_day=1.0)
    wrist, _ = run(regrowth, site=next(s for s in SITES if s.startswith("wrist")), axon_loss=0.3, rate_mm_per_day=1.0)
    text = question("predict_knee_regrowth").explanation
    assert f"about {knee:.0f} weeks" in text and f"about {wrist:.0f} weeks" in text
    long, _ = run(ReversalLab(), cause_removed=True, stronger_inhibition=True, lower_drive=False,
                  treatment_months=6.0, months_sensitised=24.0)
    assert "near half its maximum" in question("predict_reversal_duration").explanation and 40.0 <= long <= 60.0
    lab = CauseLab()
    for month in (3.0, 24.0):
        lab.set_values(cause="trapped nerve", treat_month=month)
        weeks = (lab.result["resolved_month"] - month) * 30.44 / 7
        assert weeks < 6, "the explanation says 'within a few weeks of the release'"
    assert "within a few weeks" in question("predict_release_after_long_wait").explanation
