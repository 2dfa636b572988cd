"""Sensitisation-reversal lab: the one-patient course, the treatment checkboxes and the cohort button."""

import html
import re

import numpy as np
import pytest

from course_lib.figures.interventions import REVERSAL_TRACE
from course_lib.models.reversal import ReversalParams, follow_up_after, simulate_reversal, treatment_levels
from course_lib.widgets.reversal_lab import DEFAULTS, ReversalLab


@pytest.fixture(scope="module")
def lab():
    return ReversalLab()


def trace(lab, key):
    t = lab.figure.data[REVERSAL_TRACE[key]]
    return np.asarray(t.x, dtype=float), np.asarray(t.y, dtype=float)


def text(lab):
    return html.unescape(re.sub("<[^>]+>", "", lab.readout.value))


def test_short_sensitisation_reverses_and_long_does_not(lab):
    lab.set_values(months_sensitised=3.0, cause_removed=True, stronger_inhibition=True, lower_drive=False,
                   treatment_months=6.0)
    short = text(lab)
    assert "falls below its tipping point" in short
    assert trace(lab, "pain")[1][-1] < 1.0
    lab.set_values(months_sensitised=36.0)
    assert "S stays high" in text(lab) or "climbs back" in text(lab)
    assert trace(lab, "pain")[1][-1] > 1.0
    assert trace(lab, "S")[1][-1] > 0.5


def test_the_figure_holds_the_models_course(lab):
    lab.set_values(months_sensitised=12.0, cause_removed=True, stronger_inhibition=True, lower_drive=False,
                   treatment_months=6.0)
    model = simulate_reversal(ReversalParams(months_sensitised=12.0, drive_reduction=1.0,
                                             inhibition_boost=treatment_levels(True, True, False)[1], treatment_months=6.0,
                                             follow_up_months=follow_up_after(6.0)))
    assert trace(lab, "pain")[1][-1] == pytest.approx(model.pain_signal[-1])
    assert np.allclose(trace(lab, "treatment")[0], 12.0 * 1.0, atol=0.05)
    assert np.allclose(trace(lab, "treatment_end")[0], 18.0, atol=0.05)


def test_no_treatment_leaves_s_high(lab):
    lab.set_values(months_sensitised=6.0, cause_removed=False, stronger_inhibition=False, lower_drive=False)
    assert "with no treatment" in text(lab) and "S stays high" in text(lab)
    assert lab.controls["treatment_months"].disabled
    assert trace(lab, "treatment_end")[0].size == 0


def test_lower_drive_is_redundant_once_the_cause_is_removed(lab):
    assert treatment_levels(True, False, True) == treatment_levels(True, False, False)
    assert treatment_levels(False, False, True)[0] == pytest.approx(0.5)
    lab.set_values(cause_removed=True, lower_drive=True, stronger_inhibition=False)
    assert "adds nothing" in text(lab)


def test_cohort_runs_on_the_button_and_is_cached():
    lab = ReversalLab()
    lab.set_values(months_sensitised=6.0, cause_removed=True, stronger_inhibition=True, lower_drive=False,
                   treatment_months=6.0)
    assert trace(lab, "cohort")[0].size == 0
    assert "press 'Run the virtual cohort'" in text(lab)
    lab.controls["run_cohort"].click()
    x, frac = trace(lab, "cohort")
    assert x.size >= 5 and frac[0] > frac[-1]  # longer sensitised, fewer recover
    assert f"about {np.interp(6.0, x, frac):.0%} recover after 6 months" in text(lab)
    first = lab.current_cohort()
    assert lab.run_cohort() is first  # cached: the second press costs nothing
    # another treatment has no cohort until the button is pressed again
    lab.set_values(stronger_inhibition=False)
    assert lab.current_cohort() is None and trace(lab, "cohort")[0].size == 0
    lab.set_values(stronger_inhibition=True)
    assert lab.current_cohort() is first


def test_reset_restores_defaults():
    lab = ReversalLab()
    lab.set_values(months_sensitised=40.0, cause_removed=False, lower_drive=True, treatment_months=0.0)
    lab.reset()
    assert {n: lab.controls[n].value for n in DEFAULTS} == DEFAULTS


