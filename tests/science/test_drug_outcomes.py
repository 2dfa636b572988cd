"""Icon-array counts follow from Finnerup et al. 2015's NNT and NNH (SCIENCE.md section 5)."""

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.models import drug_outcomes as do
from course_lib.models import pathway

# Typed here from SCIENCE.md section 5 (and the NNH intervals from BJA Education 2018 Table 1),
# independently of the module, so a typo in either shows up.
PUBLISHED = {
    #  key:              (NNT, NNT CI,        NNH,  NNH CI)
    "tca": (3.6, (3.0, 4.4), 13.4, (9.3, 24.4)),
    "snri": (6.4, (5.2, 8.4), 11.8, (9.5, 15.2)),
    "pregabalin": (7.7, (6.5, 9.4), 13.9, (11.6, 17.4)),
    "gabapentin": (6.3, (5.0, 8.3), 25.6, (15.3, 78.6)),
    "gabapentin_er": (8.3, (6.2, 13.0), 31.9, (17.1, 230.0)),
    "tramadol": (4.7, (3.6, 6.7), 12.6, (8.4, 25.3)),
    "strong_opioids": (4.3, (3.4, 5.8), 11.7, (8.4, 19.3)),
    "capsaicin_8": (10.6, (7.4, 18.8), None, None),
    "botulinum_toxin_a": (1.9, (1.5, 2.4), None, None),
}


@pytest.mark.parametrize("key", sorted(PUBLISHED))
def test_published_numbers_are_the_ones_in_science_md(key):
    nnt, nnt_ci, nnh, nnh_ci = PUBLISHED[key]
    d = do.drug(key)
    assert (d.nnt, d.nnt_ci, d.nnh, d.nnh_ci) == (nnt, nnt_ci, nnh, nnh_ci)


@pytest.mark.parametrize("key", sorted(PUBLISHED))
def test_icon_counts_follow_from_nnt_and_nnh(key):
    nnt, nnt_ci, nnh, nnh_ci = PUBLISHED[key]
    c = do.icon_counts(key)
    assert c.placebo == 23.0
    assert c.extra_from_drug == pytest.approx(100.0 / nnt)
    # a wider NNT means fewer people helped: the low end of the count comes from the high NNT
    assert c.extra_ci == pytest.approx((100.0 / nnt_ci[1], 100.0 / nnt_ci[0]))
    assert c.extra_ci[0] <= c.extra_from_drug <= c.extra_ci[1]
    assert c.extra_bias_adjusted == pytest.approx(0.9 * 100.0 / nnt)
    if nnh is None:
        assert c.stopped_side_effects is None and c.stopped_ci is None
    else:
        assert c.stopped_side_effects == pytest.approx(100.0 / nnh)
        assert c.stopped_ci == pytest.approx((100.0 / nnh_ci[1], 100.0 / nnh_ci[0]))
    r = c.rounded()
    assert r["placebo"] + r["extra_from_drug"] + r["no_extra_relief"] == 100
    assert r["extra_from_drug"] == round(100.0 / nnt)


def test_counts_per_class_in_words():
    # the numbers a learner will read, worked out by hand from SCIENCE.md
    assert do.icon_counts("tca").rounded() == {
        "placebo": 23, "extra_from_drug": 28, "no_extra_relief": 49, "stopped_side_effects": 7}
    assert do.icon_counts("pregabalin").rounded()["extra_from_drug"] == 13   # 100/7.7
    assert do.icon_counts("gabapentin").rounded()["stopped_side_effects"] == 4  # 100/25.6


def test_gabapentin_is_the_immediate_release_figure_with_the_all_formulations_note():
    g = do.drug("gabapentin")
    assert g.nnt == 6.3 and "immediate release" in g.label
    assert "7.2" in g.note


def test_lidocaine_has_no_nnt_and_says_why():
    c = do.icon_counts("lidocaine_plaster")
    assert c.extra_from_drug is None and c.rounded()["extra_from_drug"] is None
    assert "low quality" in do.describe("lidocaine_plaster")


def test_tier_ladder_matches_neupsig():
    ladder = do.tier_ladder()
    assert set(ladder["first"]) == {"tca", "snri", "pregabalin", "gabapentin", "gabapentin_er"}
    assert set(ladder["second"]) == {"capsaicin_8", "lidocaine_plaster", "tramadol"}
    assert set(ladder["third"]) == {"strong_opioids", "botulinum_toxin_a"}
    assert set(ladder["not recommended"]) == {"cannabinoids", "valproate", "levetiracetam",
                                              "mexiletine"}
    assert list(ladder) == ["first", "second", "third", "not recommended"]


def test_the_drug_that_helps_most_per_100_is_not_first_line():
    # "the strongest painkiller is the best choice": strong opioids beat pregabalin on NNT
    # but sit in the third tier because of harms
    assert do.icon_counts("strong_opioids").extra_from_drug > do.icon_counts("pregabalin").extra_from_drug
    assert do.drug("strong_opioids").tier == "third"


def test_pathway_keys_point_at_real_pathway_treatments():
    for d in do.DRUGS.values():
        if d.pathway_key is not None:
            assert d.pathway_key in pathway.TREATMENTS


def test_describe_quotes_the_rounded_counts():
    text = do.describe("snri")
    r = do.icon_counts("snri").rounded()
    assert f"about {r['placebo']} reach 50 % relief on placebo" in text
    assert f"about {r['extra_from_drug']} more because of the drug" in text
    assert "first line" in text


def test_compare_two_drugs():
    c = do.compare("tca", "pregabalin")
    assert c.extra_difference == pytest.approx(100 / 3.6 - 100 / 7.7)
    assert c.nnt_intervals_overlap is False            # 3.0-4.4 vs 6.5-9.4
    assert "tricyclic" in c.summary.split(",")[0]
    close = do.compare("pregabalin", "gabapentin")      # 6.5-9.4 vs 5.0-8.3 overlap
    assert close.nnt_intervals_overlap is True
    assert "overlap" in close.summary
    assert do.compare("gabapentin", "pregabalin").extra_difference == pytest.approx(
        -close.extra_difference)


def test_compare_with_a_drug_without_nnt():
    c = do.compare("tca", "lidocaine_plaster")
    assert c.extra_difference is None and c.nnt_intervals_overlap is None


@settings(max_examples=50, deadline=None)
@given(key=st.sampled_from(sorted(PUBLISHED)), placebo=st.floats(0.0, 40.0, allow_nan=False))
def test_any_placebo_rate_keeps_the_array_at_100_people(key, placebo):
    r = do.icon_counts(key, placebo).rounded()
    assert r["placebo"] + r["extra_from_drug"] + r["no_extra_relief"] == 100
    assert r["no_extra_relief"] >= 0


@settings(max_examples=30, deadline=None)
@given(a=st.sampled_from(sorted(do.DRUGS)), b=st.sampled_from(sorted(do.DRUGS)))
def test_compare_is_antisymmetric(a, b):
    ab, ba = do.compare(a, b), do.compare(b, a)
    if ab.extra_difference is None:
        assert ba.extra_difference is None
    else:
        assert ab.extra_difference == pytest.approx(-ba.extra_difference)
        assert ab.nnt_intervals_overlap == ba.nnt_intervals_overlap


@pytest.mark.parametrize("bad", [-1.0, 101.0, float("nan"), float("inf")])
def test_bad_placebo_rate_is_named(bad):
    with pytest.raises(ValueError, match="placebo_per_100"):
        do.icon_counts("tca", bad)


def test_placebo_rate_that_overfills_the_array_is_rejected():
    with pytest.raises(ValueError, match="placebo_per_100"):
        do.icon_counts("botulinum_toxin_a", 60.0)     # 60 + 53 > 100


def test_unknown_drug_is_named():
    with pytest.raises(ValueError, match="aspirin"):
        do.icon_counts("aspirin")


@pytest.mark.parametrize("change, field", [
    ({"nnt": 0.5}, "nnt"), ({"nnt": float("nan")}, "nnt"), ({"nnt_ci": (4.0, 5.0)}, "nnt_ci"),
    ({"tier": "fourth"}, "tier"), ({"nnh": None}, "nnh_ci")])
def test_bad_evidence_records_are_named(change, field):
    with pytest.raises(ValueError, match=field):
        dataclasses.replace(do.drug("tca"), **change).validate()


def test_notes_quote_the_numbers_in_use():
    assert "about 10 %" in do.OVERSTATEMENT_NOTE and "Finnerup et al. 2015" in do.OVERSTATEMENT_NOTE
    assert "About 23 in 100" in do.PLACEBO_NOTE


def test_sources_are_cited():
    assert "10.1016/S1474-4422(14)70251-0" in do.FINNERUP_2015
    assert "10.1007/s40261-014-0259-1" in do.PLACEBO_SOURCE
