"""Notebook 04 figure builders on their own: fixed trace order, numpy arrays in, honest descriptions out."""

import numpy as np
import pytest

from course_lib.figures.interventions import (CAUSE_TRACE, REGROWTH_TRACE, REVERSAL_TRACE, build_cause_figure,
                                              build_regrowth_figure, build_reversal_figure, describe_cause_figure,
                                              describe_regrowth_figure, front_at, update_cause_figure,
                                              update_regrowth_figure, update_reversal_figure)
from course_lib.figures.style import MAX_DISPLAY_POINTS, PALETTE
from course_lib.figures.trial_icons import TRIAL_TRACE, build_trial_figure, trial_positions, update_trial_figure
from course_lib.models.causes import run_scenario
from course_lib.models.recovery import RecoveryParams, recovery_time_course
from course_lib.models.reversal import simulate_reversal


@pytest.mark.parametrize("build, traces", [(build_cause_figure, CAUSE_TRACE), (build_regrowth_figure, REGROWTH_TRACE),
                                           (build_reversal_figure, REVERSAL_TRACE)])
def test_trace_maps_match_the_built_figures(build, traces):
    fig = build()
    assert len(fig.data) == len(traces) and sorted(traces.values()) == list(range(len(fig.data)))
    assert fig.layout.width is None  # sizes to its output area


def test_colour_never_carries_meaning_alone_in_the_cause_figure():
    fig = build_cause_figure()
    styles = {(t.line.color, t.line.dash) for t in fig.data}
    assert len(styles) >= 5  # distinct colour-and-dash pairs
    assert all(t.line.color in set(PALETTE.values()) or "rgba" in t.line.color for t in fig.data)


def test_long_courses_are_decimated_for_display():
    treated = run_scenario("diabetes", years_before_change=1.0, follow_up_years=15.0)
    untreated = run_scenario("diabetes", years_before_change=1.0, hba1c_after=9.0, follow_up_years=15.0)
    assert treated.t_days.size > MAX_DISPLAY_POINTS
    fig = build_cause_figure()
    update_cause_figure(fig, treated, untreated, 12.0)
    pain = fig.data[CAUSE_TRACE["pain"]]
    assert len(pain.x) <= MAX_DISPLAY_POINTS + 2
    assert np.asarray(pain.y)[-1] == pytest.approx(treated.final_pain)
    assert "180 months" in describe_cause_figure("diabetes", treated, untreated, "with better control")


def test_no_treatment_line_when_nothing_is_marked():
    r = run_scenario("shingles")
    fig = build_cause_figure()
    update_cause_figure(fig, r, r, None)
    assert len(fig.data[CAUSE_TRACE["treated"]].x) == 0


def test_regrowth_front_is_rate_times_time_and_the_description_says_so():
    result = recovery_time_course(RecoveryParams(distance_mm=300.0, rate_mm_per_day=2.0, axon_loss=0.5),
                                  np.arange(0.0, 400.0))
    assert front_at(result, 50.0) == pytest.approx(100.0)
    assert front_at(result, 399.0) == pytest.approx(300.0)
    fig = build_regrowth_figure()
    update_regrowth_figure(fig, result, 300.0, 5.0, True, 52.0)
    assert np.asarray(fig.data[REGROWTH_TRACE["front"]].x)[0] == pytest.approx(70.0)
    assert np.allclose(np.asarray(fig.data[REGROWTH_TRACE["arrival"]].x), 150.0 / 7.0)
    text = describe_regrowth_figure("the elbow", 300.0, 2.0, 5.0, 70.0, True, 150.0 / 7.0, 7.0)
    assert "300 mm" in text and "70 mm regrown by week 5" in text and "about 21 weeks" in text


def test_reversal_cohort_panel_is_empty_until_a_cohort_is_given():
    result = simulate_reversal()
    fig = build_reversal_figure()
    update_reversal_figure(fig, result, 6.0, None, 6.0)
    assert len(fig.data[REVERSAL_TRACE["cohort"]].x) == 0
    assert np.allclose(np.asarray(fig.data[REVERSAL_TRACE["treatment_end"]].x), 12.0, atol=0.05)


def test_icon_positions_fill_a_10_by_10_grid_group_after_group():
    places = trial_positions({"placebo": 23, "extra_from_drug": 13, "no_relief": 64})
    cells = [(x, y) for g in places for x, y in zip(*places[g])]
    assert len(cells) == 100 == len(set(cells))
    assert (places["placebo"][0][0], places["placebo"][1][0]) == (0.0, 9.0)  # top left first
    fig = build_trial_figure()
    update_trial_figure(fig, (("a", {"responder": 48, "no_relief": 52}, "n"),
                              ("b", {"placebo": 23, "extra_from_drug": 13, "no_relief": 64}, "n")))
    assert len(fig.data[TRIAL_TRACE[(1, "responder")]].x) == 48
    assert len(fig.data[TRIAL_TRACE[(2, "extra_from_drug")]].x) == 13
    with pytest.raises(ValueError, match="2 entries"):
        update_trial_figure(fig, (("a", {"responder": 100}, ""),))
