"""Goals lab: the domain-by-domain verdict of models.outcomes, in the chart and in words."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.figures.care import DOMAIN_ROWS, OUTCOME_TRACE, VERDICTS
from course_lib.models import outcomes as oc
from course_lib.widgets.goals_lab import (CONTROL_RANGES, DEFAULTS, OVERALL_IDS, PAIN_BEFORE_0_10,
                                          GoalsLab)


@pytest.fixture(scope="module")
def lab():
    return GoalsLab()


def plain(lab):
    return re.sub("<[^>]+>", "", lab.readout.value)


def rows_in(lab, verdict):
    return list(lab.figure.data[OUTCOME_TRACE[verdict]].y)


def test_thirty_percent_less_pain_with_better_sleep_and_function_reads_as_a_success(lab):
    lab.reset()
    assert DEFAULTS["pain_reduction"] == oc.MODERATELY_IMPORTANT_PERCENT
    assert "moderately important" in plain(lab)
    assert "a success in several domains" in plain(lab)
    assert "even though the pain is not gone" in plain(lab)
    assert set(rows_in(lab, "better")) >= {"pain", "physical function", "sleep*"}
    assert float(lab.figure.data[0].x[0]) == pytest.approx(30.0)


def test_the_same_pain_cut_with_nothing_else_better_is_only_some_benefit(lab):
    lab.set_values(physical_function="same", emotional_function="same", sleep="same",
                   global_impression="no change")
    assert "some benefit (pain)" in plain(lab)
    assert lab.last_published[0] == "some_benefit"
    assert rows_in(lab, "better") == ["pain"]
    lab.reset()


def test_side_effects_that_make_people_stop_outweigh_a_big_pain_cut(lab):
    lab.set_values(pain_reduction=60.0, side_effects="made me stop")
    assert "substantial" in plain(lab)
    assert "outweighed" in plain(lab)
    assert lab.last_published[0] == "side_effects_outweigh"
    assert "stopped the treatment" in plain(lab)
    assert "side effects" in rows_in(lab, "worse")
    lab.reset()


def test_worse_pain_is_said_as_more_pain_not_negative_less(lab):
    lab.set_values(pain_reduction=-20.0, physical_function="same", sleep="same",
                   global_impression="minimally worse")
    assert "20 % more pain" in plain(lab)
    assert "-20" not in plain(lab)
    assert "pain" in rows_in(lab, "worse")
    lab.reset()


def test_every_domain_appears_exactly_once_in_the_chart(lab):
    for reduction in (-40.0, 0.0, 15.0, 30.0, 100.0):
        lab.set_values(pain_reduction=reduction)
        shown = [row for v in VERDICTS for row in rows_in(lab, v)]
        assert len(shown) == len(DOMAIN_ROWS) == len(set(shown))
    lab.reset()


def test_pain_bar_moves_across_the_dworkin_bands(lab):
    seen = []
    for reduction, words in ((5.0, "smaller than a minimally important change"),
                             (15.0, "minimally important"), (35.0, "moderately important"),
                             (55.0, "substantial")):
        lab.set_values(pain_reduction=reduction)
        assert words in plain(lab)
        seen.append(float(lab.figure.data[0].x[0]))
    assert seen == [5.0, 15.0, 35.0, 55.0]
    after = PAIN_BEFORE_0_10 * (1 - 0.55)
    assert f"{after:.1f} after" in plain(lab)
    lab.reset()


@settings(max_examples=60, deadline=None)
@given(reduction=st.integers(0, 28).map(lambda k: -40.0 + 5.0 * k),
       physical=st.sampled_from(CONTROL_RANGES["physical_function"]),
       mood=st.sampled_from(CONTROL_RANGES["emotional_function"]),
       sleep=st.sampled_from(CONTROL_RANGES["sleep"]),
       impression=st.sampled_from(CONTROL_RANGES["global_impression"]),
       side=st.sampled_from(CONTROL_RANGES["side_effects"]))
def test_every_setting_reads_domain_by_domain_and_gives_the_models_verdict(lab, reduction, physical, mood, sleep,
                                                                           impression, side):
    # that every setting updates cleanly is checked for every lab in test_every_lab_view.py
    lab.set_values(pain_reduction=reduction, physical_function=physical, emotional_function=mood,
                   sleep=sleep, global_impression=impression, side_effects=side)
    assert lab.last_error is None
    text = plain(lab)
    assert "Read domain by domain:" in text
    assert np.isfinite(float(lab.figure.data[0].x[0]))
    expected = oc.evaluate(lab.report())["overall"]
    assert expected in text
    assert lab.last_published[0] in OVERALL_IDS
