"""Notebook 06's invented cases: valid data, labs that open at the case's setting, and a model that
does what the notebook's text says (each claim is computed, so a model change that breaks the text
breaks a test)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from course_lib import cases
from course_lib.cases import CASES, case, case_course, case_preset, check_claims, pain_at_month, resolved_month, tipped
from course_lib.lessons import nb06
from course_lib.models.causes import PHN_DAY
from course_lib.models.timeline import GONE_LINE, RESOLVED_BELOW
from course_lib.quiz import load_bank
from course_lib.quiz.grading import observed_option
from course_lib.quiz.observations import forget, latest
from course_lib.figures.case_timeline import describe_timeline
from course_lib.widgets.case_lab import case_timeline, open_case_lab
from course_lib.widgets.predictions import controls_match

NOTEBOOK = "06_case_studies_and_review"
CASE_LABS = [(c, lab) for c, item in CASES.items() for lab in item.presets]


def test_the_four_cases_of_the_brief_are_there_and_labelled_invented():
    assert set(CASES) == {"diabetes", "shingles", "carpal_tunnel", "chemotherapy"}
    for item in CASES.values():
        assert "invented" in item.label
        assert item.story and item.events


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_case_data_are_valid(case_id):
    item = case(case_id)
    months = [e.month for e in item.events]
    assert months == sorted(months), "events must be in time order"
    result = case_course(case_id)
    assert 0.0 <= months[0] and months[-1] <= result.t_months[-1] + 0.1, "events outside the model's months"
    assert np.all(np.isfinite(result.pain_signal)) and result.pain_signal.min() >= 0 and result.pain_signal.max() <= 100
    assert "cause" in item.presets, "every case opens the treat-the-cause lab"


@pytest.mark.parametrize("case_id,lab", CASE_LABS)
def test_each_case_lab_opens_at_its_preset_and_reset_returns_to_it(case_id, lab):
    built = open_case_lab(case_id, lab)
    preset = case_preset(case_id, lab)
    assert built.last_error is None
    for name, value in preset.items():
        assert built.value(name) == value, name
    assert case(case_id).name in built.view.children[0].value  # the heading names the case
    moved = {"cause": ("treat_month", 0.5), "regrowth": ("rate_mm_per_day", 3.0)}[lab]
    if case_id == "shingles":
        moved = ("acute_severity", 0.1)
    built.controls[moved[0]].value = moved[1]
    assert built.value(moved[0]) == moved[1]
    built.reset()
    for name, value in preset.items():
        assert built.value(name) == value, f"Reset did not return {name} to the case's value"


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_the_cause_lab_at_the_preset_runs_the_same_course_as_the_case(case_id):
    lab = open_case_lab(case_id, "cause")
    treated = lab.result["treated"]
    course = case_course(case_id)
    assert treated.pain_signal.shape == course.pain_signal.shape
    assert np.allclose(treated.pain_signal, course.pain_signal)
    assert np.allclose(treated.S, course.S)


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_every_claim_of_the_text_holds_in_the_model(case_id):
    assert check_claims(case_id) == []


def test_a_claim_the_model_contradicts_is_reported(monkeypatch):
    """check_claims can fail: flip each case's claims and every flipped case is caught."""
    for case_id, item in CASES.items():
        flipped = dict(item.claims)
        flipped["resolves"] = not item.claims["resolves"]
        flipped["tipped"] = not item.claims["tipped"]
        monkeypatch.setitem(cases.CASES, case_id, dataclasses.replace(item, claims=flipped))
        problems = check_claims(case_id)
        assert any(p.startswith("resolves") for p in problems), case_id
        assert any(p.startswith("tipped") for p in problems), case_id


# ----- what the notebook's prose says, case by case ------------------------------------------------

def test_dev_better_control_keeps_pain_far_lower_but_does_not_end_it():
    at_7 = case_course("diabetes")
    at_6 = case_course("diabetes", hba1c_after=6.0)
    at_9 = case_course("diabetes", hba1c_after=9.0)
    assert at_6.final_pain < at_7.final_pain < at_9.final_pain
    assert at_6.final_pain >= RESOLVED_BELOW, "the text says the signal stays above the 'gone' line even at HbA1c 6 %"
    assert not tipped(at_7) and not tipped(at_6), "the text says Dev's spinal cord never tips"
    assert np.all(np.diff(at_7.pain_signal) >= -1e-9), "the text says damage only ever adds up"


def test_margaret_still_has_pain_after_the_rash_and_milder_shingles_fades():
    severe = case_course("shingles")
    assert pain_at_month(severe, PHN_DAY / 30.44) >= RESOLVED_BELOW  # postherpetic neuralgia at 3 months
    assert severe.final_pain >= RESOLVED_BELOW and not tipped(severe)
    assert severe.drive[-1] > 0, "the text says lasting damage keeps some drive"
    mild = case_course("shingles", acute_severity=0.5)
    assert math.isfinite(resolved_month(mild)) and mild.final_pain < RESOLVED_BELOW
    prevented = case_course("shingles", shingles=0.0)
    assert prevented.pain_signal.max() < RESOLVED_BELOW


def test_sara_improves_after_her_operation_even_after_a_long_wait():
    # Issue 18: a patient on a surgical waiting list must not read that waiting months means lasting
    # pain. In the model Sara's signal fades within weeks of release at month 14, and at month 30 too.
    at_14 = case_course("carpal_tunnel")
    assert not tipped(at_14) and at_14.final_pain < RESOLVED_BELOW and at_14.drive[-1] < 0.01
    assert cases.months_to_fade_after_release("carpal_tunnel", 14.0) < 2.0
    assert cases.months_to_fade_after_release("carpal_tunnel", nb06.SARA_LONGER_WAIT) < 2.0
    # ...and the longer wait costs more lost axons (slower recovery of feeling)
    from course_lib.models.causes import TrappedNerveParams

    assert (TrappedNerveParams(release_day=30 * 30.44).axon_loss_at_release()
            > TrappedNerveParams(release_day=14 * 30.44).axon_loss_at_release())


def test_sara_regrowth_takes_months_and_myelin_repair_weeks():
    lab = open_case_lab("carpal_tunnel", "regrowth")
    assert lab.result["weeks_to_target"] > 13.0  # "months": more than a quarter of a year
    assert lab.result["weeks_to_remyelinate"] < 13.0  # "within weeks"
    # the lab's severity is the choice nearest the trapped-nerve model's axon loss at release
    loss = cases.regrowth_axon_loss_at_release()
    choices = [0.0, 0.3, 0.9]
    assert min(choices, key=lambda c: abs(c - loss)) == case_preset("carpal_tunnel", "regrowth")["axon_loss"]


def test_tom_usual_quarter_reduction_fades_and_no_dose_tips():
    quarter = case_course("chemotherapy")
    assert case("chemotherapy").model_settings["dose_after_change"] == 0.75  # the usual step is his story
    assert math.isfinite(resolved_month(quarter)) and quarter.final_pain < RESOLVED_BELOW
    full = case_course("chemotherapy", dose_after_change=1.0)
    assert not tipped(full) and full.final_pain >= RESOLVED_BELOW  # lasting damage, not a tipped switch
    for dose in (0.5, 0.0):
        assert not tipped(case_course("chemotherapy", dose_after_change=dose))


def test_the_case_chemotherapy_change_is_at_the_month_the_lab_uses():
    from course_lib.models.causes import chemo_change_cycle

    assert chemo_change_cycle(case_preset("chemotherapy", "cause")["treat_month"]) == \
        case("chemotherapy").model_settings["change_from_cycle"]


# ----- predict questions: no spoiler at the preset, the right answer at the question's setting --------

ASKED = {  # the setting each case question asks about, and the option the model must land in
    ("diabetes", "cause"): ({"hba1c_after": 6.0}, "lower_not_gone"),
    ("shingles", "cause"): ({"acute_severity": 0.5}, "fades"),
    ("carpal_tunnel", "cause"): ({"treat_month": 30.0}, "weeks"),
    ("carpal_tunnel", "regrowth"): ({"axon_loss": 0.0}, "weeks"),
    ("chemotherapy", "cause"): ({"chemo_dose": 1.0}, "above"),
}


@pytest.mark.parametrize("key", sorted(nb06.CASE_LINKS))
def test_case_lab_does_not_open_at_its_question_and_answers_it_when_moved(key):
    link = nb06.CASE_LINKS[key]
    forget(NOTEBOOK)
    lab = nb06.case_lab(*key)
    assert not controls_match(lab, link.when), f"{key} opens in the setting {link.question_id} asks about"
    assert latest(NOTEBOOK, link.question_id) is None, "the preset already answered the question"
    change, expected = ASKED[key]
    lab.set_values(**change)
    assert controls_match(lab, link.when)
    seen = latest(NOTEBOOK, link.question_id)
    assert seen is not None, "the lab did not hand its result to the question"
    question = load_bank(NOTEBOOK).get(link.question_id)
    assert observed_option(question, seen.value).id == expected


def test_every_case_predict_question_has_a_case_lab():
    predicts = [q.id for q in load_bank(NOTEBOOK).questions if q.type == "predict"]
    assert sorted(predicts) == sorted(link.question_id for link in nb06.CASE_LINKS.values())


# ----- timeline and bad input --------------------------------------------------------------------

def test_timeline_description_follows_the_model():
    still = describe_timeline("diabetes", case_course("diabetes"))
    assert "is still" in still and "stays below its tipping point" in still and "not a prediction" in still
    fading = describe_timeline("chemotherapy", case_course("chemotherapy"))
    assert f"falls below {GONE_LINE} from month" in fading and "stays below its tipping point" in fading
    tipped_course = case_course("diabetes", hba1c_after=9.0)
    assert "passes its tipping point" in describe_timeline("diabetes", tipped_course)
    view = case_timeline("shingles")
    bundle = view._repr_mimebundle_()
    assert "Run this cell" in bundle["text/plain"] and "Margaret" in bundle["text/plain"]
    assert len(view.figure.data) == 2


@pytest.mark.parametrize("call", [lambda: case("nope"), lambda: case_preset("diabetes", "regrowth"),
                                  lambda: case_course("shingles", nonsense=1.0),
                                  lambda: pain_at_month(case_course("shingles"), math.nan),
                                  lambda: pain_at_month(case_course("shingles"), 99.0),
                                  lambda: cases.regrowth_axon_loss_at_release("diabetes")])
def test_bad_input_gets_a_clear_value_error(call):
    with pytest.raises(ValueError, match="not allowed|not settings"):
        call()


def test_published_prints_a_checked_table_entry_and_rejects_an_unknown_key(capsys):
    nb06.published("ZOE70_zoster")
    out = capsys.readouterr().out
    assert "about 90 %" in out and "Cunningham et al. 2016" in out and "10.1056/NEJMoa1603800" in out
    assert "print '" not in out, "the table's notes to authors are not for learners"
    nb06.published("Forbes_PHN_acute_pain")
    out = capsys.readouterr().out
    assert "rate ratio: 2.23" in out and "x 100" not in out and "stored" not in out and "1.71-2.92" in out
    with pytest.raises(ValueError, match="key = 'nope' is not allowed"):
        nb06.published("nope")


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_case_lab_shows_its_cause_fixed_with_its_controls_under_the_menu(case_id):
    from course_lib.widgets.cause_lab import CAUSE_CONTROLS

    lab = open_case_lab(case_id, "cause")
    cause = case(case_id).cause
    menu = lab.controls["cause"]
    assert menu.value == cause and menu.disabled
    assert menu.layout.display != "none", "the case's cause must be visible"
    assert all(lab.controls[n].layout is not menu.layout for n in lab.controls if n != "cause")
    shown = list(lab.view.children[1].children[0].children)
    assert shown[0] is menu
    assert shown[1:1 + len(CAUSE_CONTROLS[cause])] == [lab.controls[n] for n in CAUSE_CONTROLS[cause]]
    assert all(lab.controls[n].layout.display != "none" for n in CAUSE_CONTROLS[cause])
    assert len(shown) == len(lab.controls)


def test_regrowth_sliders_speak_their_millimetres():
    from course_lib.widgets.a11y import slider_units

    for lab in (open_case_lab("carpal_tunnel", "regrowth"), nb06.REVIEW_LABS["regrowth"]()):
        units = slider_units(lab.controls, getattr(lab, "control_units", None))
        assert units[lab.controls["distance_mm"].description] == "millimetres"


def test_the_time_words_of_the_explanations_hold_in_the_model():
    """Words such as "within weeks" and "about ten months after the last cycle" in the Explain texts and the bank."""
    for month in (2.0, 14.0, nb06.SARA_LONGER_WAIT):
        assert cases.months_to_fade_after_release("carpal_tunnel", month) < 1.5, \
            f"Sara freed at month {month:g}: 'falls below the line within a few weeks'"
    mild = case_course("shingles", acute_severity=0.5)
    assert resolved_month(mild) < 6.0, "Margaret, milder shingles: 'falls below the line within months'"
    quarter = case_course("chemotherapy")
    last_cycle = case("chemotherapy").events[-1].month
    assert 8.0 < resolved_month(quarter) - last_cycle < 12.0, "Tom: 'about ten months after the last cycle'"
    lab = open_case_lab("carpal_tunnel", "regrowth")
    assert round(lab.result["weeks_to_target"]) == 17, "the bank says 'about 17 weeks' from the wrist"
    assert lab.result["weeks_to_remyelinate"] < 13.0, "'within weeks'"


def test_tom_last_cycle_is_the_twelfth_dose_day_rounded():
    # Issue 18: "month 5.51905" was printed; the 12th cycle is given on day 11 x 14 = 154.
    assert case("chemotherapy").events[-1].month == 5.1


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_no_named_case_prints_a_pain_signal_near_the_top_of_the_scale(case_id):
    """Issue 18: a number near the worst possible beside a person's name reads as their pain score.
    Every text about a case (its numbers table, timeline description and case-lab readouts at the
    case's setting and at each question's setting) is read for such values, and for the old 0-10 words."""
    import re

    from course_lib.models.timeline import NAMED_CASE_CAP

    texts = []
    item = case(case_id)
    texts.append(describe_timeline(case_id, case_course(case_id)))
    for key, (title, compute) in nb06.LESSON.numbers.items():
        texts.extend(compute())
    for lab_name in item.presets:
        lab = open_case_lab(case_id, lab_name)
        texts.append(lab.readout.value)
        texts.append(lab.description.value)
        for (cid, lname), (change, _expected) in ASKED.items():
            if (cid, lname) == (case_id, lab_name):
                lab.set_values(**change)
                texts.append(lab.readout.value)
                texts.append(lab.description.value)
        if lab_name == "cause":  # the untreated comparison is printed in the readout
            lab.set_values(**{name: value for name, value in case_preset(case_id, lab_name).items()})
    for text in texts:
        assert "out of 10" not in text and "pain index" not in text, text
        for value in re.findall(r"(\d+(?:\.\d+)?) % of the model", text):
            assert float(value) < NAMED_CASE_CAP, f"{case_id}: {text}"


def test_the_named_case_check_can_fail():
    from course_lib.models.timeline import pain_signal_text

    assert pain_signal_text(100.0) == "100 % of the model's maximum"  # a general lab may print it
    assert "100" not in pain_signal_text(100.0, named=True)  # a case never does
