"""The published-numbers table and its helpers."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.models.trials import PUBLISHED, nnt, placebo_plus_nnt, responders_out_of_100


def test_every_published_number_has_a_source_and_a_verification_level():
    for key, r in PUBLISHED.items():
        assert r.key == key
        assert r.citation and r.doi.startswith("10.")
        assert r.verified in ("abstract", "summary")
        assert r.arms and all(v >= 0 for _, v in r.arms)


def test_the_neuromodulation_trials_match_science_md():
    # SCIENCE.md sections 5-6 (checked at the trials' abstracts): the table must not drift from them
    assert PUBLISHED["SENZA_PDN"].out_of_100() == {"10 kHz SCS + medical management": 79, "medical management": 5}
    assert PUBLISHED["PROCESS"].arm("SCS + medical management") == 48.0
    assert PUBLISHED["ACCURATE"].out_of_100()["DRG stimulation"] == 81
    assert any("open label" in c for c in PUBLISHED["SENZA_PDN"].caveats)
    assert any("funded" in c for c in PUBLISHED["SENZA_PDN"].caveats)


def test_unknown_arm_is_a_clear_error():
    with pytest.raises(ValueError, match="arm"):
        PUBLISHED["PROCESS"].arm("sham")


@given(st.floats(0, 100))
def test_out_of_100_rounds_to_the_nearest_person(p):
    n = responders_out_of_100(p)
    assert abs(n - p) <= 0.5 and 0 <= n <= 100


def test_nnt_and_the_drug_arm_it_implies():
    assert nnt(0.38, 0.25) == pytest.approx(1 / 0.13)
    assert nnt(0.2, 0.3) == math.inf
    # placebo 25 % + NNT 7.7 -> about 38 % on the drug
    assert placebo_plus_nnt(25.0, 7.7) == pytest.approx(25.0 + 100 / 7.7)
    assert nnt(placebo_plus_nnt(25.0, 7.7) / 100, 0.25) == pytest.approx(7.7)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -1.0, 101.0])
def test_helpers_reject_bad_input(bad):
    with pytest.raises(ValueError, match="percent"):
        responders_out_of_100(bad)
    with pytest.raises(ValueError, match="p_treated"):
        nnt(bad / 10 if math.isfinite(bad) and bad > 0 else bad, 0.1)
