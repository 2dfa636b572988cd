"""Notebook 05's wiring (course_lib.lessons.nb05) and the claims its prose makes about the models.

The labs themselves are tested in their own files; here: each lab built by the lesson function the
notebook calls starts away from its Predict question's setting, hands the question the bank's right
answer once the learner sets what the prompt says, and the model-number tables say what the notebook's
Explain text says they say (nerve unchanged by the mind, combinations stacking, the largest first-line
share for TCAs, the three goals verdicts).
"""

from __future__ import annotations

import re

import pytest

from course_lib.lessons import nb05
from course_lib.quiz import load_bank, observations
from course_lib.quiz.grading import observed_option
from course_lib.widgets.predictions import controls_match

BANK = "05_managing_persistent_pain"

# What each prompt asks the learner to set, written out here from the bank's prompts (not taken
# from nb05, so a wrong `when=` in the lesson cannot pass by agreeing with itself).
PROMPT_SETTINGS = {
    "mind": {"attention_to_pain": 1.0, "mood": 0.0, "sleep_quality": 0.0, "fear_of_movement": 1.0},
    "where_it_acts": {"snri": True},
    "icon_array": {"drug": "tca"},
    "goals": {"pain_reduction": 30.0, "physical_function": "better", "emotional_function": "same",
              "sleep": "better", "global_impression": "much improved", "side_effects": "tolerable"},
}
RIGHT_OPTION = {"mind": "higher", "where_it_acts": "unchanged", "icon_array": "quarter", "goals": "success"}


@pytest.fixture(autouse=True)
def fresh_observations():
    observations.forget(BANK)
    yield
    observations.forget(BANK)


def _lab(key):
    # the notebook's lab cell calls the lesson function named after the connection
    return getattr(nb05, f"{key}_lab")()


def test_every_connection_is_a_lab_the_notebook_calls_by_name():
    for key in nb05.LESSON.connections:
        assert f"{key}_lab" in nb05.__all__, key
    assert set(nb05.LESSON.connections) == set(PROMPT_SETTINGS)


@pytest.mark.parametrize("key", sorted(PROMPT_SETTINGS))
def test_lab_starts_away_from_its_question_and_no_answer_is_sent(key):
    link = nb05.LESSON.connections[key]
    lab = _lab(key)
    assert not controls_match(lab, link.when)
    assert observations.latest(BANK, link.question_id) is None


@pytest.mark.parametrize("key", sorted(PROMPT_SETTINGS))
def test_setting_what_the_prompt_says_sends_the_banks_right_answer(key):
    link = nb05.LESSON.connections[key]
    question = load_bank(BANK).get(link.question_id)
    lab = _lab(key)
    lab.set_values(**PROMPT_SETTINGS[key])
    seen = observations.latest(BANK, link.question_id)
    assert seen is not None, f"{key}: the prompt's setting does not match the lesson's when="
    assert observed_option(question, seen.value).id == RIGHT_OPTION[key]


def test_a_different_setting_sends_nothing():
    lab = _lab("where_it_acts")
    lab.set_values(snri=True, gabapentinoid=True)       # a combination is not the question's setting
    assert observations.latest(BANK, "predict_snri_nerve") is None


def test_goals_lab_starts_from_nothing_changed_and_reset_returns_to_the_labs_defaults():
    from course_lib.widgets.goals_lab import DEFAULTS

    lab = nb05.goals_lab()
    assert {name: lab.value(name) for name in nb05.GOALS_START} == nb05.GOALS_START
    lab.reset()
    assert {name: lab.value(name) for name in DEFAULTS} == DEFAULTS


def _numbers(pattern: str, line: str) -> list[float]:
    return [float(x) for x in re.findall(pattern, line)]


def test_mind_table_nerve_is_the_same_and_the_signal_moves_as_the_explain_text_says():
    neutral, worried, helpful = nb05.model_numbers("mind").lines
    nerve = [_numbers(r"nerve (\d+) Hz", line)[0] for line in (neutral, worried, helpful)]
    signal = [_numbers(r"brain ([\d.]+) impulses", line)[0] for line in (neutral, worried, helpful)]
    assert nerve[0] == nerve[1] == nerve[2]
    assert signal[1] > signal[0] > signal[2]


def test_treatment_table_matches_the_explain_text():
    rows = {}
    for line in nb05.model_numbers("treatments").lines:
        match = re.fullmatch(r"(.+): nerve (\d+) Hz, C-fibre drive ([\d.]+), signal to the brain ([\d.]+) impulses",
                             line)
        assert match, line
        rows[match.group(1)] = tuple(float(match.group(i)) for i in (2, 3, 4))
    none = rows.pop("no treatment")
    singles = {name: row for name, row in rows.items() if " + " not in name}
    combos = {name: row for name, row in rows.items() if " + " in name}
    assert len(singles) == 7 and combos
    for name, (nerve, drive, brain) in singles.items():
        assert brain < none[2], f"{name} does not lower the signal to the brain"
        assert nerve <= none[0]
    # SNRI and gabapentinoid leave the nerve alone; the SNRI leaves the C-fibre drive alone too
    snri = next(row for name, row in singles.items() if name.startswith("SNRI"))
    gaba = next(row for name, row in singles.items() if name.startswith("gabapentinoid"))
    assert snri[0] == none[0] and snri[1] == none[1]
    assert gaba[0] == none[0] and gaba[1] < none[1]
    # "with two treatments ticked, the signal falls further than with either alone"
    for name, (_, _, brain) in combos.items():
        parts = name.split(" + ")
        assert brain < min(singles[p][2] for p in parts), name


def test_icon_table_tcas_give_the_largest_extra_share_of_the_first_line_classes():
    first_line = [line for line in nb05.model_numbers("icons").lines if ", first line:" in line]
    extra = {line.split(",")[0]: _numbers(r"(\d+) more because of the drug", line)[0] for line in first_line}
    assert len(extra) >= 4
    best = max(extra, key=extra.get)
    assert best.startswith("tricyclic")
    assert all(value < 50 for value in extra.values())    # "even that is a minority"


def test_goals_table_gives_success_side_effects_and_no_benefit():
    from course_lib.widgets.goals_lab import overall_id

    verdicts = [line.split(": ", 1)[1] for line in nb05.model_numbers("goals").lines]
    assert [overall_id(v) for v in verdicts] == ["success", "side_effects_outweigh", "no_benefit"]
