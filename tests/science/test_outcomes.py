"""IMMPACT outcome domains and Dworkin et al. 2008's thresholds (notebook 05, goals beyond the
pain score)."""

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.models import outcomes as oc


def test_the_six_core_domains_of_turk_2003():
    labels = [d.label for d in oc.DOMAINS]
    assert len(labels) == 6
    for word in ("pain", "physical", "emotional", "improvement", "adverse", "disposition"):
        assert any(word in label for label in labels), word
    assert "sleep" not in oc.DOMAIN_KEYS          # valued, but not a core domain


@pytest.mark.parametrize("reduction, category", [
    (0.0, "no reduction"), (-20.0, "no reduction"), (5.0, "smaller than a minimally important change"),
    (10.0, "minimally important"), (29.9, "minimally important"),
    (30.0, "moderately important"), (49.9, "moderately important"),
    (50.0, "substantial"), (100.0, "substantial")])
def test_pain_change_categories_follow_dworkin_2008(reduction, category):
    assert oc.pain_change_category(reduction) == category


def test_percent_reduction():
    assert oc.percent_reduction(8.0, 4.0) == 50.0
    assert oc.percent_reduction(7.0, 4.9) == 30.0       # no floating-point 29.99999
    assert oc.percent_reduction(5.0, 6.0) == -20.0


def test_thirty_percent_less_pain_with_better_sleep_and_function_is_a_success():
    verdict = oc.evaluate(oc.OutcomeReport(pain_before_0_10=7.0, pain_after_0_10=4.9,
                                           physical_function="better", sleep="better",
                                           emotional_function="same",
                                           global_impression="minimally improved"))
    assert "moderately important" in verdict["pain"]
    assert verdict["overall"].startswith("a success")
    assert "pain is not gone" in verdict["overall"]
    assert set(oc.DOMAIN_KEYS) <= set(verdict)


def test_side_effects_that_make_people_stop_outweigh_the_gains():
    verdict = oc.evaluate(oc.OutcomeReport(side_effects="made me stop"))
    assert verdict["disposition"] == "stopped the treatment"
    assert "outweighed" in verdict["overall"]


def test_no_change_anywhere_is_no_benefit():
    verdict = oc.evaluate(oc.OutcomeReport(pain_after_0_10=7.0, physical_function="same",
                                           emotional_function="worse", sleep="same",
                                           global_impression="no change"))
    assert verdict["overall"] == "no clear benefit yet in any domain"


@settings(max_examples=60, deadline=None)
@given(before=st.floats(0.5, 10.0, allow_nan=False), drop=st.floats(0.0, 1.0, allow_nan=False))
def test_a_larger_reduction_never_falls_into_a_lower_category(before, drop):
    order = ["no reduction", "smaller than a minimally important change", "minimally important",
             "moderately important", "substantial"]
    after_small = before * (1.0 - 0.5 * drop)
    after_large = before * (1.0 - drop)
    small = oc.pain_change_category(oc.percent_reduction(before, after_small))
    large = oc.pain_change_category(oc.percent_reduction(before, after_large))
    assert order.index(large) >= order.index(small)


@settings(max_examples=60, deadline=None)
@given(report=st.builds(
    oc.OutcomeReport,
    pain_before_0_10=st.floats(0.5, 10.0, allow_nan=False),
    pain_after_0_10=st.floats(0.0, 10.0, allow_nan=False),
    physical_function=st.sampled_from(oc.CHANGES), emotional_function=st.sampled_from(oc.CHANGES),
    sleep=st.sampled_from(oc.CHANGES), global_impression=st.sampled_from(oc.GLOBAL_IMPRESSIONS),
    side_effects=st.sampled_from(oc.SIDE_EFFECTS)))
def test_every_valid_report_gets_a_verdict_in_every_domain(report):
    verdict = oc.evaluate(report)
    assert set(verdict) == set(oc.DOMAIN_KEYS) | {"sleep", "overall"}
    assert all(isinstance(v, str) and v for v in verdict.values())


@pytest.mark.parametrize("change, name", [
    ({"pain_before_0_10": 11.0}, "before_0_10"), ({"pain_after_0_10": float("nan")}, "after_0_10"),
    ({"pain_before_0_10": 0.0}, "before_0_10"), ({"sleep": "great"}, "sleep"),
    ({"physical_function": ""}, "physical_function"), ({"side_effects": "some"}, "side_effects"),
    ({"global_impression": "fine"}, "global_impression"),
    ({"emotional_function": None}, "emotional_function")])
def test_bad_reports_are_named(change, name):
    with pytest.raises(ValueError, match=name):
        oc.evaluate(dataclasses.replace(oc.OutcomeReport(), **change))


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), 150.0])
def test_bad_reduction_is_named(bad):
    with pytest.raises(ValueError, match="reduction_percent"):
        oc.pain_change_category(bad)
