"""Quiz answers that quote a model number must agree with the model, so the two cannot drift apart."""

from course_lib.models import drg
from course_lib.quiz import load_bank


def _question(bank_id, question_id):
    bank = load_bank(bank_id)
    return next(q for q in bank.questions if q.id == question_id)


def test_the_healthy_rheobase_a_question_quotes_matches_the_drg_model():
    import re

    q = _question("02_how_neuropathic_pain_develops", "healthy_rheobase")
    quoted = float(re.search(r"about (\d+) pA", q.prompt).group(1))
    assert abs(drg.rheobase(drg.HEALTHY) - quoted) <= 3


def test_nav18_off_prediction_options_cover_what_the_model_does():
    # the model fires exactly one spike at 400 pA without Nav1.8; that must be the 'one' option
    from course_lib.quiz.grading import observed_option
    from course_lib.models.stimulus import Step

    result = drg.simulate(drg.HEALTHY.with_scales(nav18=0.0), Step(400.0, drg.STEP_START_MS, drg.STEP_DURATION_MS))
    q = _question("02_how_neuropathic_pain_develops", "predict_nav18_off")
    assert observed_option(q, result.n_spikes).id == "one"
