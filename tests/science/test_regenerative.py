"""Regenerative medicine data: an evidence ladder and example claims, no efficacy numbers."""

import re

import pytest

from course_lib.models import regenerative as regen


def test_nothing_is_approved_and_no_efficacy_number_is_stored():
    assert all(not a.approved_for_neuropathic_pain for a in regen.APPROACHES)
    texts = [a.evidence_status + a.aims_to for a in regen.APPROACHES]
    assert not any(re.search(r"\d+\s*%", t) for t in texts)  # no invented percentages


def test_the_ladder_runs_from_weakest_to_strongest_without_gaps():
    levels = [r.level for r in regen.EVIDENCE_LADDER]
    assert levels == list(range(1, len(levels) + 1))
    assert "testimonial" in regen.EVIDENCE_LADDER[0].name
    assert "randomised" in regen.LADDER_BY_LEVEL[5].name


def test_example_claims_point_at_real_rungs_and_real_flags():
    for c in regen.EXAMPLE_CLAIMS:
        assert c.evidence_level in regen.LADDER_BY_LEVEL
        assert all(0 <= f < len(regen.RED_FLAGS) for f in c.flags)
    # the weaker the evidence, the more warning signs a clinic-style claim raises (in our examples)
    assert len(regen.CLAIMS_BY_KEY["clinic_series"].flags) > len(regen.CLAIMS_BY_KEY["rct"].flags)


def test_judging_a_claim():
    ok, text = regen.judge_claim("clinic_series", 3)
    assert ok and "comparison" in text
    ok, text = regen.judge_claim("testimonial", 5)
    assert not ok and "higher" in text
    with pytest.raises(ValueError, match="learner_level"):
        regen.judge_claim("rct", 9)
    with pytest.raises(ValueError, match="key"):
        regen.rank_claim("miracle")
