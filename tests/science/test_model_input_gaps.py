"""Bad input the fuzz test once let through (issue 20 item 5), each refused by name."""

from __future__ import annotations

import math

import pytest

from course_lib.models import causes, drug_outcomes, outcomes, pathway, reversal

REFUSED = [
    ("hba1c", lambda: causes.damage_rate_per_year(math.nan)),
    ("hba1c", lambda: causes.damage_rate_per_year("7")),
    ("hba1c", lambda: causes.damage_rate_per_year(math.inf)),
    ("susceptibility", lambda: causes.damage_rate_per_year(7.0, 1, -1.0)),
    ("n_people", lambda: causes.shingles_cohort(n_people=10.5)),
    ("n =", lambda: drug_outcomes.per_100(math.nan)),
    ("n =", lambda: drug_outcomes.per_100(math.inf)),
    ("n =", lambda: drug_outcomes.per_100(0)),
    ("n =", lambda: drug_outcomes.per_100(-1)),
    ("inhibition", lambda: pathway.spinal_params(pathway.DEFAULT_PATHWAY, "0.3")),
    ("inhibition", lambda: pathway.spinal_params(pathway.DEFAULT_PATHWAY, None)),
    ("treatments", lambda: reversal.reversal_cohort(treatments=[(0.5, 0.1)])),
    ("pain_before_0_10", lambda: outcomes.OutcomeReport(pain_before_0_10=11.0).validate()),
    ("pain_before_0_10", lambda: outcomes.OutcomeReport(pain_before_0_10=0.0).validate()),
]


@pytest.mark.parametrize("name, call", REFUSED, ids=[f"{n}-{k}" for k, (n, _c) in enumerate(REFUSED)])
def test_bad_input_is_refused_with_the_parameter_named(name, call):
    with pytest.raises(ValueError, match=name):
        call()


def test_good_input_still_works():
    assert causes.damage_rate_per_year(7.0) > 0
    assert drug_outcomes.per_100(4.0) == pytest.approx(25.0)
    assert outcomes.OutcomeReport().validate().pain_before_0_10 == 7.0
