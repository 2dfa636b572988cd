"""The final review of notebook 06: what it selects, where its answers go, and the objective table."""

from __future__ import annotations

import pytest

from course_lib import syllabus
from course_lib.lessons import nb06
from course_lib.quiz import available_banks, learner_record, load_bank
from course_lib.quiz.observations import forget
from course_lib.quiz.record import build_record
from course_lib.quiz.review import (REVIEW, STATUS_MET, STATUS_NOT_TRIED, STATUS_NOT_YET, FinalReview, ReviewItem,
                                    ObjectiveTable, objective_rows, review_items, revisit)
from course_lib.widgets.predictions import controls_match



def test_selection_covers_every_enabled_notebook_with_a_bank_and_banks_04_05():
    items = review_items()
    assert len(items) >= 12
    covered = {item.notebook for item in items}
    with_banks = {e.id for e in syllabus.enabled_notebooks()} & set(available_banks())
    assert with_banks <= covered
    assert {"04_interventions_aimed_at_resolution", "05_managing_persistent_pain"} <= covered
    assert len(items) == len(REVIEW), "every listed question exists in its bank"
    assert len({(i.notebook, i.question_id) for i in items}) == len(items), "a question is listed twice"
    assert all(item.why for item in items)


def test_each_review_question_checks_an_objective_where_the_course_map_names_them():
    for item in review_items():
        objectives = syllabus.entry(item.notebook).objectives
        if any(o.checked_by for o in objectives):  # 04 and 05 name theirs once they are written
            assert any(item.question_id in o.checked_by for o in objectives), item


def test_at_least_two_predict_questions_come_with_labs_that_start_away_from_the_answer():
    with_labs = [i for i in review_items() if i.lab]
    assert len(with_labs) >= 2
    for item in with_labs:
        assert load_bank(item.notebook).get(item.question_id).type == "predict"
        link = nb06.REVIEW_LINKS[item.lab]
        assert link.question_id == item.question_id
        lab = nb06.REVIEW_LABS[item.lab]()
        assert not controls_match(lab, link.when), f"the {item.lab} lab starts at the answer's setting"


def test_the_review_ends_with_notebook_06s_own_quiz_in_bank_order():
    own = [i.question_id for i in review_items() if i.notebook == nb06.NOTEBOOK]
    assert tuple(own) == nb06.LESSON.quiz_ids
    bank_ids = load_bank(nb06.NOTEBOOK).ids
    assert own == [q for q in bank_ids if q in own]
    assert review_items()[-len(own):] == [i for i in review_items() if i.notebook == nb06.NOTEBOOK]


def test_a_review_lab_needs_its_factory():
    with pytest.raises(ValueError, match="missing the review's lab"):
        FinalReview(items=[ReviewItem("03_acute_vs_chronic", "predict_late_removal", "why", lab="duration")], labs={})


def test_answers_in_the_review_reach_the_record_under_the_questions_own_notebook(store):
    forget()
    review = FinalReview(labs=nb06.REVIEW_LABS, store=store)
    assert len(review.questions) == len(review_items())
    single = review["all_in_your_head"]
    single.set_answer("real")
    single.check()
    record = learner_record(store=store)
    line = record["notebooks"]["03_acute_vs_chronic"]["questions"]["all_in_your_head"]
    assert line["answered"] and line["first_try_correct"] is True
    assert set(store.read()["notebooks"]) <= set(available_banks()), "answers must not go to a review namespace"

    predict = review["predict_knee_regrowth"]
    predict.set_answer("over_year")
    predict.check()
    review.labs["predict_knee_regrowth"].set_values(site="knee: about 45 cm (rough figure)", axon_loss=0.3,
                                                    rate_mm_per_day=1.0)
    record = learner_record(store=store)
    line = record["notebooks"]["04_interventions_aimed_at_resolution"]["questions"]["predict_knee_regrowth"]
    assert line["answered"] and line["matched"] is True


def test_the_review_shows_a_placeholder_on_first_view(store):
    review = FinalReview(labs=nb06.REVIEW_LABS, store=store)
    bundle = review._repr_mimebundle_()
    assert "Run this cell" in bundle["text/plain"] and "final review" in bundle["text/plain"]


# ----- the objective table -----------------------------------------------------------------------

def _statuses(store):
    return {(row.notebook, row.text): row.status for row in ObjectiveTable(store).rows}


def test_objective_table_reflects_a_synthetic_progress_store(store):
    nb03 = "03_acute_vs_chronic"
    objectives = syllabus.entry(nb03).objectives
    late = next(o for o in objectives if "predict_late_removal" in o.checked_by)
    gate = next(o for o in objectives if "peripheral_or_central" in o.checked_by)
    assert set(late.checked_by) == {"predict_late_removal", "healed_but_hurting"}
    # "met": both questions of the late-removal objective mastered (a prediction compared, a single right)
    store.record_attempt(nb03, "predict_late_removal", correct=True, score=1.0, kind="predict", matched=True)
    store.record_attempt(nb03, "healed_but_hurting", correct=True, score=1.0, kind="single", answer="central")
    # "not yet": one question of the gate objective answered wrong, the other not tried
    store.record_attempt(nb03, "peripheral_or_central", correct=False, score=0.4, kind="categorise")
    statuses = _statuses(store)
    assert statuses[(nb03, late.text)] == STATUS_MET
    assert statuses[(nb03, gate.text)] == STATUS_NOT_YET
    untouched = [o for o in syllabus.entry("01_what_is_neuropathic_pain").objectives]
    assert all(statuses[("01_what_is_neuropathic_pain", o.text)] == STATUS_NOT_TRIED for o in untouched)
    # every objective of the course has a row, in course-map order
    expected = [(e.id, o.text) for e in syllabus.COURSE for o in e.objectives]
    assert [(r.notebook, r.text) for r in ObjectiveTable(store).rows] == expected


def test_objective_rows_use_the_records_objective_logic():
    """A record built from a progress dict: the table's 'met' is exactly the record's 'met'."""
    from course_lib.quiz import load_all_banks

    progress = {"notebooks": {"00_start_here": {"questions": {
        "run_a_cell": {"attempts": 1, "best_score": 1.0, "last_correct": True},
        "milliseconds": {"attempts": 2, "best_score": 0.0, "last_correct": False}}}}}
    record = build_record(progress, load_all_banks(), syllabus.COURSE, generated="2026-01-01T00:00:00+00:00")
    rows = objective_rows(record)
    for row, objective in zip(rows, record["objectives"]):
        assert (row.status == STATUS_MET) == (objective["met"] is True)
    by_text = {r.text: r.status for r in rows if r.notebook == "00_start_here"}
    texts = [o.text for o in syllabus.entry("00_start_here").objectives]
    assert by_text[texts[0]] == STATUS_MET  # run_a_cell mastered
    assert by_text[texts[1]] == STATUS_NOT_TRIED  # predict_gentle_touch never tried
    assert by_text[texts[2]] == STATUS_NOT_YET  # milliseconds tried twice, not right


def test_revisit_links_point_at_a_section_of_the_notebook():
    href, label = revisit("03_acute_vs_chronic", ["predict_late_removal"])
    assert href == "03_acute_vs_chronic.ipynb#2.-Lab:-remove-the-cause-early-or-late"
    assert label == "notebook 03, section 2. Lab: remove the cause early or late"  # words, not a file name
    quiz_href, _ = revisit("03_acute_vs_chronic", ["three_month_line"])
    assert quiz_href.startswith("03_acute_vs_chronic.ipynb#") and "Quiz" in quiz_href
    missing_href, _ = revisit("99_not_a_notebook", ["x"])
    assert missing_href == "99_not_a_notebook.ipynb"


def test_objective_table_html_lists_links_and_results(store):
    bundle = ObjectiveTable(store)._repr_mimebundle_()
    assert bundle["text/html"].count("<tr>") == 1 + sum(len(e.objectives) for e in syllabus.COURSE)
    assert "href='06_case_studies_and_review.ipynb#" in bundle["text/html"]
    assert "not tried" in bundle["text/plain"]


def test_the_review_opens_with_a_choice_question(store):
    """The browser test answers a quiz cell's first radio with its first Check button: both must
    belong to the same (first) question."""
    first = FinalReview(labs=nb06.REVIEW_LABS, store=store).questions[0]
    assert first.question.type in ("single", "multiple")
