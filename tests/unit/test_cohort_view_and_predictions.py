"""The cohort figure, and the bridge that hands lab results to predict-then-observe questions."""

import numpy as np
import pytest

from course_lib.figures.cohort import describe_cohort_figure
from course_lib.models.cohort import CohortParams, run_cohort
from course_lib.quiz.observations import latest
from course_lib.widgets.cohort_view import cohort_view
from course_lib.widgets.demo_lab import ThresholdDemoLab
from course_lib.widgets.predictions import connect_prediction, controls_match


@pytest.fixture(scope="module")
def small_cohort():
    return run_cohort(months=np.arange(0.0, 13.0), cohort=CohortParams(n_patients=200, seed=7))


def test_cohort_figure_shows_the_model_curve_and_the_3_month_line(small_cohort):
    view = cohort_view(small_cohort)
    fig = view.figure
    assert np.allclose(fig.data[0].y, small_cohort.p_resolved)
    assert [shape.x0 for shape in fig.layout.shapes] == [3.0]
    text = describe_cohort_figure(small_cohort)
    assert f"{small_cohort.probability_at(1):.0%} at 1 month," in text
    assert "virtual patients of the teaching model" in text and "not odds for any real person" in text


def test_controls_match_values_and_ranges():
    lab = ThresholdDemoLab()
    assert controls_match(lab, None)
    assert controls_match(lab, {"threshold": (5.0, 7.0)})
    assert not controls_match(lab, {"threshold": 2.0})


def test_results_reach_the_question_only_in_the_asked_setting(monkeypatch):
    sent = []
    import course_lib.quiz as quiz

    monkeypatch.setattr(quiz, "observe", lambda qid, value, description="": sent.append((qid, value)))
    lab = ThresholdDemoLab()  # threshold 6: outside the setting asked about
    connect_prediction(lab, "q1", when={"threshold": (2.0, 3.0)})
    assert sent == []
    lab.controls["threshold"].value = 3.0
    assert sent == [("q1", pytest.approx(25.0))]
    lab.controls["threshold"].value = 8.0
    assert len(sent) == 1


def test_connect_prediction_sends_the_current_result_at_once_and_checks_control_names(monkeypatch):
    sent = []
    import course_lib.quiz as quiz

    monkeypatch.setattr(quiz, "observe", lambda qid, value, description="": sent.append(value))
    lab = ThresholdDemoLab()
    connect_prediction(lab, "q2", value_of=lambda lab: lab.result["threshold"])
    assert sent == [6.0]
    with pytest.raises(KeyError, match="unknown control"):
        connect_prediction(lab, "q2", when={"no_such_control": 1})


def test_a_real_predict_question_receives_the_observation():
    # the fixture bank's numeric predict question, through the real observe()
    from course_lib.quiz import observe

    observe("demo_rheobase", 326.0, description="Nav1.8 off", notebook="predict_demo")
    assert latest("predict_demo", "demo_rheobase").value == 326.0
