"""First-view placeholders, the lessons' one-line calls, collapsed model numbers and the self-check."""

from __future__ import annotations

import pytest

from course_lib.placeholder import (PLACEHOLDER_CLASS, WIDGET_VIEW_MIME, placeholder_bundle, strip_widget_views,
                                    with_placeholder)


def test_placeholder_names_the_thing_and_hides_the_bare_repr():
    bundle = with_placeholder({"text/plain": "VBox(children=(...))", WIDGET_VIEW_MIME: {"model_id": "x"}},
                              "the channel lab", "<p><b>Figure description:</b> a chart &amp; a line</p>")
    assert bundle[WIDGET_VIEW_MIME] == {"model_id": "x"}  # the live widget still wins when it can render
    assert "VBox" not in bundle["text/plain"]
    assert bundle["text/plain"].startswith("Run this cell, or Run > Run All Cells, to start the channel lab.")
    assert "Figure description: a chart & a line" in bundle["text/plain"]  # tags stripped, entities decoded
    assert PLACEHOLDER_CLASS in bundle["text/html"] and "&amp;" in bundle["text/html"]


def test_only_outputs_with_a_placeholder_lose_their_widget_view():
    with_ph = {"output_type": "display_data", "data": dict(with_placeholder({WIDGET_VIEW_MIME: {}}, "the lab"))}
    without = {"output_type": "display_data", "data": {WIDGET_VIEW_MIME: {}, "text/plain": "VBox()"}}
    assert strip_widget_views([with_ph, without]) == 1
    assert WIDGET_VIEW_MIME not in with_ph["data"] and WIDGET_VIEW_MIME in without["data"]


def test_every_lab_question_and_quiz_offers_a_placeholder():
    from course_lib.lessons import nb02, nb03

    for thing, name in ((nb02.channel_lab(), "the channel lab"), (nb02.question("predict_nav18_off"), "this question"),
                        (nb02.quiz(), "the quiz"), (nb03.cohort_view(), "the virtual cohort figure")):
        bundle = thing._repr_mimebundle_()
        assert WIDGET_VIEW_MIME in bundle, name
        assert f"to start {name}." in bundle["text/plain"]


def test_mystery_placeholder_does_not_show_a_stored_mystery():
    from course_lib.widgets.mystery_neuron import MysteryNeuronLab

    lab = MysteryNeuronLab(seed=1)
    text = lab._repr_mimebundle_()["text/plain"]
    assert "spikes" not in text and "diagnose" in text


def test_model_numbers_are_collapsed_with_the_same_numbers_in_plain_text():
    from course_lib.lessons.nb00 import model_numbers

    bundle = model_numbers("gentle_touch")._repr_mimebundle_()
    assert bundle["text/html"].startswith("<details") and "<details open" not in bundle["text/html"]
    for line in bundle["text/plain"].splitlines()[1:]:
        assert line in bundle["text/html"]
    # "1 impulse per second", never "1 impulses"
    assert "1 impulses" not in bundle["text/plain"] and "impulse per second" in bundle["text/plain"]


def test_unknown_number_table_names_the_known_ones():
    from course_lib.lessons.nb02 import model_numbers

    with pytest.raises(ValueError, match="nav18_off"):
        model_numbers("no_such_table")


def test_self_check_lists_each_objective_with_the_learners_results(tmp_path, monkeypatch):
    from course_lib.lessons import SelfCheck
    from course_lib.quiz import progress
    from course_lib.quiz.progress import ProgressStore
    from course_lib.syllabus import entry

    store = ProgressStore(tmp_path)
    monkeypatch.setattr(progress, "get_store", lambda: store)
    import course_lib.quiz as quiz
    monkeypatch.setattr(quiz, "get_store", lambda: store)
    notebook = "01_what_is_neuropathic_pain"
    fresh = SelfCheck(notebook)
    assert [row[0] for row in fresh.rows] == [o.text for o in entry(notebook).objectives]
    assert all(status == "not tried yet" for _, results in fresh.rows for _, status in results)

    store.record_attempt(notebook, "iasp_definition", correct=True, score=1.0, answer="lesion")
    store.record_attempt(notebook, "how_it_feels", correct=False, score=0.5, answer=["burning"])
    checked = SelfCheck(notebook)
    statuses = dict(checked.rows)
    assert statuses[entry(notebook).objectives[0].text] == [("Question 2", "correct")]
    assert ("Question 3", "tried, not yet right") in statuses[entry(notebook).objectives[2].text]
    assert "correct" in checked._repr_mimebundle_()["text/html"]
