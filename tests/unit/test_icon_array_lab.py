"""Icon-array lab: icon counts per drug class equal drug_outcomes' numbers; ladder; compare view."""


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.figures.icon_array import (GROUPS, ICON_TRACE, LADDER_CHOSEN, LADDER_SECOND,
                                           NOTE_ANNOTATION, TITLE_ANNOTATION)
from course_lib.models import drug_outcomes as do
from course_lib.widgets.icon_array_lab import CONTROL_RANGES, DEFAULTS, IconArrayLab

WITH_NNT = [k for k, d in do.DRUGS.items() if d.nnt is not None]
WITHOUT_NNT = [k for k, d in do.DRUGS.items() if d.nnt is None]


@pytest.fixture(scope="module")
def lab():
    return IconArrayLab()


def icons(lab, panel):
    return {g: len(lab.figure.data[ICON_TRACE[(panel, g)]].x) for g in GROUPS}


def text(lab):
    return lab.readout.value


@pytest.mark.parametrize("key", WITH_NNT)
def test_icon_counts_follow_from_the_nnt_and_nnh(lab, key):
    lab.set_values(drug=key, compare=False)
    d = do.drug(key)
    counts = icons(lab, 1)
    # recomputed here from the published NNT/NNH and the placebo rate, not read from the lab
    placebo = round(do.PLACEBO_RESPONDERS_PER_100)
    extra = round(100.0 / d.nnt)
    stopped = 0 if d.nnh is None else round(100.0 / d.nnh)
    assert counts == {"placebo": placebo, "extra_from_drug": extra,
                      "stopped_side_effects": stopped,
                      "no_relief": 100 - placebo - extra - stopped}
    assert sum(counts.values()) == 100
    r = do.icon_counts(key).rounded()
    assert counts["extra_from_drug"] == r["extra_from_drug"]
    assert counts["placebo"] == r["placebo"]


@pytest.mark.parametrize("key", WITH_NNT)
def test_readout_gives_the_confidence_interval_and_the_overstatement(lab, key):
    lab.set_values(drug=key, compare=False)
    low, high = do.drug(key).nnt_ci
    assert f"95 % CI {round(100 / high)} to {round(100 / low)}" in text(lab)
    assert "overstate" in text(lab)
    assert f"about {100 / do.drug(key).nnt * 0.9:.0f} rather than" in text(lab)
    assert "not a prediction for one person" in text(lab)


@pytest.mark.parametrize("key", WITHOUT_NNT)
def test_classes_without_an_nnt_show_no_icons_and_say_why(lab, key):
    lab.set_values(drug=key, compare=False)
    assert sum(icons(lab, 1).values()) == 0
    assert "no number needed to treat" in text(lab) or "recommends against" in text(lab)
    assert "no icon array" in lab.figure.layout.annotations[NOTE_ANNOTATION[1]].text
    assert lab.last_error is None


@pytest.mark.parametrize("key", list(do.DRUGS))
def test_the_ladder_marks_the_chosen_class_on_its_tier(lab, key):
    lab.set_values(drug=key)
    row = len(do.TIERS) - 1 - do.TIERS.index(do.drug(key).tier)     # first line on top
    assert list(lab.figure.data[LADDER_CHOSEN].y) == [row]
    assert do.TIER_LABELS[do.drug(key).tier] in lab.description.value


def test_compare_view_fills_the_second_array_and_explains_the_overlap(lab):
    lab.set_values(drug="pregabalin", second_drug="gabapentin", compare=False)
    assert sum(icons(lab, 2).values()) == 0
    assert lab.controls["second_drug"].disabled
    assert len(lab.figure.data[LADDER_SECOND].x) == 0
    lab.set_values(compare=True)
    assert not lab.controls["second_drug"].disabled
    assert icons(lab, 2)["extra_from_drug"] == round(100 / do.drug("gabapentin").nnt)
    assert icons(lab, 1)["extra_from_drug"] == round(100 / do.drug("pregabalin").nnt)
    assert "overlap" in text(lab)
    assert "not the two drugs head to head" in text(lab)
    assert lab.figure.layout.annotations[TITLE_ANNOTATION[2]].text == "gabapentin"
    assert len(lab.figure.data[LADDER_SECOND].x) == 1
    lab.reset()
    assert {k: c.value for k, c in lab.controls.items()} == DEFAULTS


def test_tca_and_snri_intervals_do_not_overlap_in_the_readout(lab):
    lab.set_values(drug="tca", second_drug="snri", compare=True)
    assert do.compare("tca", "snri").nnt_intervals_overlap is False
    assert "do not overlap" in text(lab)
    lab.reset()


def test_groups_differ_by_symbol_and_colour(lab):
    symbols = {lab.figure.data[ICON_TRACE[(1, g)]].marker.symbol for g in GROUPS}
    colours = {lab.figure.data[ICON_TRACE[(1, g)]].marker.color for g in GROUPS}
    assert len(symbols) == len(GROUPS) and len(colours) == len(GROUPS)
    # the second panel repeats the first's style and stays out of the legend
    for g in GROUPS:
        assert lab.figure.data[ICON_TRACE[(2, g)]].marker.symbol == lab.figure.data[ICON_TRACE[(1, g)]].marker.symbol
        assert lab.figure.data[ICON_TRACE[(2, g)]].showlegend is False


def test_no_two_icons_share_a_cell(lab):
    lab.set_values(drug="botulinum_toxin_a")
    cells = set()
    for g in GROUPS:
        trace = lab.figure.data[ICON_TRACE[(1, g)]]
        cells |= set(zip(np.asarray(trace.x), np.asarray(trace.y)))
    assert len(cells) == 100
    lab.reset()


@settings(max_examples=40, deadline=None)
@given(drug=st.sampled_from(CONTROL_RANGES["drug"]), second=st.sampled_from(CONTROL_RANGES["second_drug"]),
       compare=st.sampled_from(CONTROL_RANGES["compare"]))
def test_every_setting_draws_whole_hundreds_and_names_the_second_drug(lab, drug, second, compare):
    # that every setting updates cleanly is checked for every lab in test_every_lab_view.py
    lab.set_values(drug=drug, second_drug=second, compare=compare)
    assert lab.last_error is None
    for panel in (1, 2):
        total = sum(icons(lab, panel).values())
        assert total in (0, 100)
    if compare:
        assert do.drug(second).label in text(lab)
