"""Trial lab: the icon arrays hold the model's and the published counts; after stopping, relief is gone."""

import html
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.figures.trial_icons import TRIAL_GROUPS, TRIAL_TRACE, check_counts, trial_positions
from course_lib.models.gabapentinoid import DrugTrialParams, virtual_drug_trial
from course_lib.models.trials import PUBLISHED
from course_lib.widgets.trial_lab import CONTROL_RANGES, DEFAULTS, DRUG, TrialLab


@pytest.fixture(scope="module")
def lab():
    return TrialLab()


def text(lab):
    return html.unescape(re.sub("<[^>]+>", "", lab.readout.value))


def panel_counts(lab, panel):
    out = {}
    for g in TRIAL_GROUPS:
        x = lab.figure.data[TRIAL_TRACE[(panel, g)]].x
        out[g] = 0 if x is None else len(x)
    return out


def icons(lab, panel):
    xs, ys = [], []
    for g in TRIAL_GROUPS:
        t = lab.figure.data[TRIAL_TRACE[(panel, g)]]
        xs.extend(np.asarray(t.x if t.x is not None else (), dtype=float))
        ys.extend(np.asarray(t.y if t.y is not None else (), dtype=float))
    return list(zip(xs, ys))


@pytest.mark.parametrize("n, placebo", [(100, True), (500, True), (1000, False)])
def test_model_panel_counts_equal_the_models(lab, n, placebo):
    lab.set_values(treatment=DRUG, n_patients=n, placebo=placebo, after_stopping=False)
    model = virtual_drug_trial(DrugTrialParams(n_per_arm=n, placebo_scale=1.0 if placebo else 0.0))
    counts = panel_counts(lab, 1)
    assert counts["placebo"] == int(np.floor(100 * model.responders_placebo + 0.5))
    assert counts["placebo"] + counts["extra_from_drug"] == int(np.floor(100 * model.responders_drug + 0.5))
    assert sum(counts.values()) == 100
    assert f"{counts['placebo'] + counts['extra_from_drug']} in 100" in text(lab)
    if not placebo:
        assert counts["placebo"] == 0 and "placebo response switched off" in text(lab)


def test_every_panel_has_100_distinct_icons(lab):
    lab.set_values(treatment=DRUG, n_patients=500, placebo=True)
    for panel in (1, 2):
        places = icons(lab, panel)
        assert len(places) == 100 and len(set(places)) == 100


def test_published_panel_is_pregabalin_nnt_over_the_placebo_rate(lab):
    lab.set_values(treatment=DRUG, placebo=True, after_stopping=False)
    counts = panel_counts(lab, 2)
    assert counts["extra_from_drug"] == round(100 / 7.7)  # Finnerup et al. 2015 NNT
    assert counts["placebo"] == 23  # placebo-response review used by notebook 05
    assert "NNT 7.7" in text(lab) and "Raskin et al. 2014" in text(lab)
    assert "without talking to the prescriber" in text(lab)


def test_after_stopping_the_drugs_extra_relief_is_gone(lab):
    lab.set_values(treatment=DRUG, n_patients=500, placebo=True, after_stopping=False)
    on = panel_counts(lab, 1)["extra_from_drug"]
    lab.set_values(after_stopping=True)
    after = panel_counts(lab, 1)["extra_from_drug"]
    assert on >= 8 and after <= 1
    relapse = re.search(r"In the model, pain returned in (\d+)%", text(lab))
    assert relapse and int(relapse.group(1)) > 50  # most virtual patients
    assert "the teaching model's assumption, not a measured figure" in text(lab)  # never read as a fact


@pytest.mark.parametrize("key", ["PROCESS", "SENZA_PDN", "ACCURATE"])
def test_stimulation_shows_published_arms_and_caveats(lab, key):
    lab.set_values(treatment=key)
    trial = PUBLISHED[key]
    (treated_label, treated), (control_label, control) = trial.arms
    assert panel_counts(lab, 1)["responder"] == int(np.floor(control + 0.5))
    assert panel_counts(lab, 2)["responder"] == int(np.floor(treated + 0.5))
    sentence = text(lab)
    assert trial.caveats[0] in sentence and "does not simulate" in sentence
    assert lab.controls["n_patients"].disabled and lab.controls["placebo"].disabled
    lab.set_values(treatment=DRUG)
    assert not lab.controls["n_patients"].disabled


def test_senza_readout_says_open_label_and_industry_funded(lab):
    lab.set_values(treatment="SENZA_PDN")
    assert "open label" in text(lab) and "device maker" in text(lab)
    assert "79 in 100" in text(lab) and "5 in 100" in text(lab)


def test_bad_counts_are_rejected():
    with pytest.raises(ValueError, match="adding up to 100"):
        check_counts({"responder": 50, "no_relief": 49})
    with pytest.raises(ValueError, match="unknown groups"):
        trial_positions({"cured": 100})


def test_reset_restores_defaults_and_publishes_drug_arm_responders():
    lab = TrialLab()
    seen = []
    lab.on_result(lambda value, sentence: seen.append(value))
    lab.set_values(treatment="PROCESS")
    assert seen[-1] == 48
    lab.reset()
    assert {n: lab.controls[n].value for n in DEFAULTS} == DEFAULTS
    counts = panel_counts(lab, 1)
    assert seen[-1] == counts["placebo"] + counts["extra_from_drug"]


@settings(max_examples=40, deadline=None)
@given(treatment=st.sampled_from(CONTROL_RANGES["treatment"]), placebo=st.booleans(), after=st.booleans(),
       k=st.integers(0, 9))
def test_every_setting_draws_two_arrays_of_a_hundred_people(lab, treatment, placebo, after, k):
    # that every setting updates cleanly is checked for every lab in test_every_lab_view.py
    low, high, step = CONTROL_RANGES["n_patients"]
    lab.set_values(treatment=treatment, placebo=placebo, after_stopping=after, n_patients=low + k * step)
    assert lab.last_error is None
    assert len(icons(lab, 1)) == 100 and len(icons(lab, 2)) == 100


def test_description_has_no_markup_and_names_both_panels(lab):
    lab.set_values(treatment="ACCURATE")
    description = html.unescape(re.sub("<[^>]+>", "", lab.description.value))
    assert "<br>" not in lab.description.value
    assert "conventional SCS: 56 diamonds" in description and "DRG stimulation: 81 diamonds" in description
