"""Figure builders of notebook 05 on their own (no lab): geometry, fixed axes, descriptions."""

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import careplan as cp
from course_lib.figures import care, icon_array, pathway as pf
from course_lib.models import drug_outcomes as do
from course_lib.models import outcomes as oc
from course_lib.models import pathway as pw


def test_pathway_figure_has_one_bar_per_stage_and_one_trace_per_treatment():
    fig = pf.build_pathway_figure()
    assert isinstance(fig, go.FigureWidget)
    assert len(fig.data) == len(pf.BAR_PANELS) + len(pw.TREATMENT_KEYS)
    styles = {(fig.data[i].marker.symbol, fig.data[i].marker.color) for i in pf.TREATMENT_TRACE.values()}
    assert len({s for s, _ in styles}) == len(pw.TREATMENT_KEYS)     # symbols alone tell them apart
    assert fig.layout.width is None                                   # sizes to its output area


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_markers_sit_in_a_centred_row_under_their_node(count):
    for stage in pw.STAGES:
        xs, ys = pf.marker_positions(stage, count)
        assert xs.mean() == pytest.approx(pf.NODES[stage][0])
        assert np.all(np.diff(xs) > 0.3)                              # markers never overlap
        assert np.all(ys < pf.NODES[stage][1] - pf.NODE_HALF_HEIGHT)  # below the box


def test_fixed_bar_axes_hold_the_most_extreme_pathway_the_lab_allows():
    worst = pw.MindState(attention_to_pain=1.0, mood=0.0, sleep_quality=0.0, fear_of_movement=1.0)
    result = pw.simulate_pathway((), pw.PathwayParams(sensitisation_S=1.0), mind=worst)
    values = pf.bar_values(result)
    for panel in pf.BAR_PANELS:
        low, high = pf.BAR_RANGES[panel]
        assert low <= values[panel] < high


def test_pathway_description_follows_the_state():
    untreated = pw.simulate_pathway(())
    treated = pw.simulate_pathway(("lidocaine_plaster",))
    text = pf.describe_pathway_figure(treated, untreated)
    assert f"{untreated.nerve_output_hz:.0f} then {treated.nerve_output_hz:.0f} Hz" in text
    assert "lidocaine at the peripheral nerve" in text
    assert "No treatment is ticked" in pf.describe_pathway_figure(untreated, untreated)


@pytest.mark.parametrize("key", [k for k, d in do.DRUGS.items() if d.nnt is not None])
def test_icon_positions_fill_100_distinct_cells(key):
    places = icon_array.icon_positions(icon_array.icon_groups(key))
    cells = {(x, y) for g in icon_array.GROUPS for x, y in zip(*places[g])}
    assert len(cells) == 100
    assert all(0 <= x < 10 and 0 <= y < 10 for x, y in cells)


def test_ladder_puts_every_class_on_its_own_spot_in_its_tier_row():
    spots = icon_array.ladder_positions()
    assert set(spots) == set(do.DRUGS)
    assert len(set(spots.values())) == len(spots)
    for key, (_, y) in spots.items():
        assert y == len(do.TIERS) - 1 - do.TIERS.index(do.DRUGS[key].tier)


def test_icon_description_counts_and_notes_missing_numbers():
    text = icon_array.describe_icon_figure("capsaicin_8", "lidocaine_plaster")
    groups = icon_array.icon_groups("capsaicin_8")
    assert f"{groups['extra_from_drug']} stars" in text
    assert "no number needed to harm was given" in text
    assert "no icon array" in text


@pytest.mark.parametrize("reduction, score", [(-40, -1.0), (-10, -1.0), (-5, 0.0), (9.9, 0.0),
                                              (10, 0.5), (29.9, 0.5), (30, 1.0), (100, 1.0)])
def test_pain_row_follows_the_dworkin_bands(reduction, score):
    assert care.pain_score(reduction) == score


@settings(max_examples=40, deadline=None)
@given(after=st.floats(0.0, 10.0), physical=st.sampled_from(oc.CHANGES),
       impression=st.sampled_from(oc.GLOBAL_IMPRESSIONS), side=st.sampled_from(oc.SIDE_EFFECTS))
def test_domain_scores_stay_on_the_chart_and_match_the_words(after, physical, impression, side):
    report = oc.OutcomeReport(pain_before_0_10=7.0, pain_after_0_10=after, physical_function=physical,
                              global_impression=impression, side_effects=side)
    scores = care.domain_scores(report)
    assert set(scores) == set(care.DOMAIN_ROWS)
    assert all(-1.0 <= s <= 1.0 for s in scores.values())
    assert care.verdict_of(scores["physical_function"]) == physical


def test_care_grid_draws_every_suggested_link_once():
    data = cp.load_careplan()
    fig = care.build_care_figure(data)
    suggested = fig.data[care.CARE_TRACE["suggested"]]
    pairs = list(zip(suggested.x, suggested.y))
    assert len(pairs) == len(set(pairs)) == sum(len(c.serves) for c in data.components)
    plan = cp.build_plan(["sleep_better"], [], data=data)
    care.update_care_figure(fig, plan)
    assert list(fig.data[care.CARE_TRACE["unserved"]].y) == [care.GOAL_SHORT["sleep_better"]]
    assert "sleep" in care.describe_care_figure(plan)
