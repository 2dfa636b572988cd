"""The whole-pathway model (notebook 05): it reproduces 02 and 03, and each treatment acts at its
own stage and never upstream of it."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.models import dorsal_horn as dh
from course_lib.models import drg, metrics
from course_lib.models import pathway as pw
from course_lib.models.sensitisation import SensitisationParams, couple_to_dorsal_horn

STAGE_ORDER = ("nerve", "terminals", "dorsal_horn")
# the first stage each treatment changes directly (from TREATMENTS, checked below)
FIRST_STAGE = {
    "lidocaine_plaster": "nerve",
    "capsaicin_patch": "nerve",
    "tca": "nerve",
    "gabapentinoid": "terminals",
    "tramadol": "terminals",
    "strong_opioid": "terminals",
    "snri": "dorsal_horn",
}


@pytest.fixture(scope="module")
def untreated():
    return pw.simulate_pathway(())


# ------------------------------------------------------------ reproduces 02 and 03 ----------

def test_untreated_nerve_reproduces_the_02_model(untreated):
    direct = drg.step_response(drg.HEALTHY, pw.DEFAULT_STIMULUS_PA)
    np.testing.assert_array_equal(untreated.nerve.spike_times_ms, direct.spike_times_ms)
    np.testing.assert_array_equal(untreated.nerve.v_mV, direct.v_mV)
    _, rates = drg.fi_curve(drg.HEALTHY, [pw.DEFAULT_STIMULUS_PA])
    assert untreated.nerve_rate_hz == pytest.approx(rates[0])
    assert untreated.nerve_output_hz == untreated.nerve_rate_hz


def test_untreated_nerve_fires_repetitively_to_the_strong_stimulus(untreated):
    # a stimulus far above the 72 pA rheobase: many spikes, not one onset spike
    assert untreated.nerve_rate_hz > 20.0


def test_untreated_pathway_reproduces_the_03_model(untreated):
    assert untreated.c_drive == pytest.approx(dh.STRONG_DRIVE)
    direct = dh.stimulus_trial(dh.DorsalHornParams(), noxious=dh.STRONG_DRIVE)
    assert untreated.spinal_output == pytest.approx(direct.integrated_W_spikes, rel=1e-12)
    np.testing.assert_allclose(untreated.dorsal.W_Hz, direct.W_Hz, rtol=1e-12)
    assert untreated.spinal_output == pytest.approx(dh.noxious_response(dh.DorsalHornParams()))
    assert untreated.signal_to_brain == untreated.spinal_output


def test_descending_control_is_a_threshold_shift_of_w_and_e():
    # subtracting d from the W and E inputs == raising b_W and b_E by d in the published kernel
    d = 0.3
    shifted = dataclasses.replace(dh.DorsalHornParams(), b_W=0.5 + d, b_E=1.2 + d)
    via_pathway = pw.simulate_pathway((), pw.PathwayParams(descending=d))
    assert via_pathway.spinal_output == pytest.approx(dh.noxious_response(shifted), rel=1e-12)


def test_sensitisation_couples_as_in_the_03_model():
    sens = SensitisationParams()
    params = pw.PathwayParams(sensitisation_S=0.8)
    coupled = couple_to_dorsal_horn(dh.DorsalHornParams(), 0.8, sens)
    assert pw.simulate_pathway((), params).spinal_output == pytest.approx(
        dh.noxious_response(coupled), rel=1e-12)
    assert pw.simulate_pathway((), params).spinal_output > pw.simulate_pathway(()).spinal_output


# ------------------------------------------------------------ each treatment at its stage ---

def test_first_stage_table_agrees_with_the_catalogue():
    for key, first in FIRST_STAGE.items():
        stages = [s for s in STAGE_ORDER if s in pw.TREATMENTS[key].stages
                  or (s == "dorsal_horn" and "brainstem" in pw.TREATMENTS[key].stages)]
        assert stages[0] == first, key
    assert set(FIRST_STAGE) == set(pw.TREATMENT_KEYS)


@pytest.mark.parametrize("treatment", pw.TREATMENT_KEYS)
def test_treatment_changes_its_stage_and_not_the_stages_upstream(treatment, untreated):
    treated = pw.simulate_pathway((treatment,))
    before = pw.stage_outputs(untreated)
    after = pw.stage_outputs(treated)
    first = STAGE_ORDER.index(FIRST_STAGE[treatment])
    for stage in STAGE_ORDER[:first]:
        assert after[stage] == before[stage], f"{treatment} changed the upstream stage {stage}"
    for stage in STAGE_ORDER[first:]:
        assert after[stage] < before[stage], f"{treatment} did not lower {stage}"
    assert after["brain"] < before["brain"]


@pytest.mark.parametrize("treatment", ["tca", "snri", "tramadol", "strong_opioid"])
def test_drugs_acting_on_the_brainstem_raise_descending_inhibition(treatment, untreated):
    assert pw.simulate_pathway((treatment,)).descending > untreated.descending


@pytest.mark.parametrize("treatment", ["lidocaine_plaster", "capsaicin_patch", "gabapentinoid"])
def test_peripheral_and_terminal_drugs_leave_descending_control_alone(treatment, untreated):
    assert pw.simulate_pathway((treatment,)).descending == untreated.descending


def test_lidocaine_lowers_one_fibres_firing_but_capsaicin_lowers_how_many_fibres_work(untreated):
    lido = pw.simulate_pathway(("lidocaine_plaster",))
    caps = pw.simulate_pathway(("capsaicin_patch",))
    assert lido.nerve_rate_hz < untreated.nerve_rate_hz
    assert lido.actions.working_fraction == 1.0
    assert caps.nerve_rate_hz == untreated.nerve_rate_hz          # working fibres fire as before
    assert caps.nerve_output_hz < untreated.nerve_output_hz


def test_combination_lowers_output_more_than_either_part():
    gaba = pw.simulate_pathway(("gabapentinoid",)).spinal_output
    snri = pw.simulate_pathway(("snri",)).spinal_output
    both = pw.simulate_pathway(("gabapentinoid", "snri")).spinal_output
    assert both < min(gaba, snri)


def test_order_and_repeats_of_treatments_do_not_matter():
    a = pw.simulate_pathway(("snri", "gabapentinoid"))
    b = pw.simulate_pathway(("gabapentinoid", "snri", "snri"))
    assert a.spinal_output == b.spinal_output


def test_site_actions_combine_by_multiplying_what_remains():
    eff = pw.TreatmentEffects()
    both = pw.site_actions(("lidocaine_plaster", "tca"), eff)
    assert both.sodium_remaining == pytest.approx(
        (1 - eff.lidocaine_sodium_block) * (1 - eff.tca_sodium_block))
    assert both.descending_boost == pytest.approx(eff.tca_descending)


def test_swapping_in_another_gabapentinoid_strength_only_changes_release():
    stronger = pw.TreatmentEffects(gabapentinoid_release_cut=0.5)
    r = pw.simulate_pathway(("gabapentinoid",), effects=stronger)
    assert r.actions.release == pytest.approx(0.5)
    assert r.c_drive == pytest.approx(0.5 * dh.STRONG_DRIVE)


def test_sites_of_marks_each_ticked_treatment_on_the_diagram():
    sites = pw.sites_of(("lidocaine_plaster", "snri"))
    assert sites["nerve"] == ("lidocaine_plaster",)
    assert sites["brainstem"] == ("snri",)
    assert sites["terminals"] == ()


def test_stage_readout_says_which_stages_changed(untreated):
    snri = pw.describe_stages(pw.simulate_pathway(("snri",)), untreated)
    assert snri.startswith("In this teaching model:")
    assert f"nerve {untreated.nerve_output_hz:.0f} Hz (unchanged)" in snri
    assert snri.count("unchanged") == 2 and "signal to the brain" in snri and "down" in snri
    caps = pw.describe_stages(pw.simulate_pathway(("capsaicin_patch",)), untreated)
    assert "unchanged" not in caps
    same = pw.describe_stages(untreated, untreated)
    assert same.count("unchanged") == 3


def test_relative_to_untreated_is_a_percentage(untreated):
    assert pw.relative_to_untreated(untreated) == pytest.approx(100.0)
    assert 0.0 < pw.relative_to_untreated(pw.simulate_pathway(("snri",))) < 100.0


def test_treatment_table_has_none_each_single_and_the_combination():
    table = pw.treatment_table()
    assert set(table) == {"none", *pw.TREATMENT_KEYS, "gabapentinoid + snri"}
    assert all(r.spinal_output < table["none"].spinal_output
               for k, r in table.items() if k != "none")


# ------------------------------------------------------------ mind and descending control ---

def test_neutral_mind_leaves_the_03_model_unchanged(untreated):
    assert pw.descending_from_mind(pw.NEUTRAL_MIND) == 0.0


@pytest.mark.parametrize("factor, worse_direction", [
    ("attention_to_pain", +1), ("fear_of_movement", +1), ("mood", -1), ("sleep_quality", -1)])
def test_each_factor_moves_descending_control_and_spinal_output_the_stated_way(
        factor, worse_direction):
    worse = dataclasses.replace(pw.NEUTRAL_MIND, **{factor: 0.5 + 0.5 * worse_direction})
    better = dataclasses.replace(pw.NEUTRAL_MIND, **{factor: 0.5 - 0.5 * worse_direction})
    assert pw.descending_from_mind(worse) < 0.0 < pw.descending_from_mind(better)
    out_worse = pw.simulate_pathway((), mind=worse).spinal_output
    out_better = pw.simulate_pathway((), mind=better).spinal_output
    assert out_worse > pw.simulate_pathway(()).spinal_output > out_better


def test_a_calmer_mind_lowers_the_signal_of_a_sensitised_cord_too():
    sensitised = pw.PathwayParams(sensitisation_S=0.9)
    worried = pw.MindState(attention_to_pain=1.0, mood=0.2, sleep_quality=0.2, fear_of_movement=1.0)
    calmer = pw.MindState(attention_to_pain=0.3, mood=0.6, sleep_quality=0.7, fear_of_movement=0.2)
    out_worried = pw.simulate_pathway((), sensitised, mind=worried).spinal_output
    out_calmer = pw.simulate_pathway((), sensitised, mind=calmer).spinal_output
    assert out_calmer < out_worried
    # the nerve's message is identical: the mind changes the gain, not the input
    assert (pw.simulate_pathway((), sensitised, mind=worried).c_drive
            == pw.simulate_pathway((), sensitised, mind=calmer).c_drive)


mind_values = st.floats(0.0, 1.0, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(a=mind_values, b=mind_values, factor=st.sampled_from(sorted(pw.MIND_RANGES)))
def test_more_of_a_harmful_factor_never_lowers_the_signal(a, b, factor):
    lo, hi = sorted((a, b))
    sign = 1 if pw.MIND_WEIGHTS[factor] < 0 else -1     # +1: more of it facilitates
    low_state = dataclasses.replace(pw.NEUTRAL_MIND, **{factor: lo if sign > 0 else hi})
    high_state = dataclasses.replace(pw.NEUTRAL_MIND, **{factor: hi if sign > 0 else lo})
    assert (pw.simulate_pathway((), mind=high_state).spinal_output
            >= pw.simulate_pathway((), mind=low_state).spinal_output)


# ------------------------------------------------------------ hypothesis over the controls --

treatment_sets = st.sets(st.sampled_from(pw.TREATMENT_KEYS))


@settings(max_examples=40, deadline=None)
@given(chosen=treatment_sets, extra=st.sampled_from(pw.TREATMENT_KEYS))
def test_adding_a_treatment_never_raises_any_stage(chosen, extra):
    before = pw.stage_outputs(pw.simulate_pathway(tuple(chosen)))
    after = pw.stage_outputs(pw.simulate_pathway(tuple(chosen | {extra})))
    for stage in before:
        assert after[stage] <= before[stage] + 1e-12


@settings(max_examples=40, deadline=None)
@given(chosen=treatment_sets,
       descending=st.floats(*pw.DESCENDING_RANGE, allow_nan=False),
       s_level=st.floats(0.0, 1.0, allow_nan=False),
       mind=st.builds(pw.MindState, mind_values, mind_values, mind_values, mind_values))
def test_outputs_are_finite_and_within_the_models_bounds(chosen, descending, s_level, mind):
    params = pw.PathwayParams(descending=descending, sensitisation_S=s_level)
    r = pw.simulate_pathway(tuple(chosen), params, mind=mind)
    assert 0.0 <= r.c_drive <= dh.DRIVE_RANGE[1]
    assert 0.0 <= r.nerve_output_hz <= r.nerve_rate_hz
    assert np.all(np.isfinite(r.dorsal.W_Hz))
    assert 0.0 <= r.peak_W_Hz <= dh.DorsalHornParams().W_max_Hz
    assert 0.0 <= r.spinal_output <= dh.DorsalHornParams().W_max_Hz * dh.WINDOW_MS / 1000.0


@settings(max_examples=30, deadline=None)
@given(d1=st.floats(*pw.DESCENDING_RANGE, allow_nan=False),
       d2=st.floats(*pw.DESCENDING_RANGE, allow_nan=False))
def test_more_descending_inhibition_never_raises_the_signal(d1, d2):
    lo, hi = sorted((d1, d2))
    out_lo = pw.simulate_pathway((), pw.PathwayParams(descending=lo)).spinal_output
    out_hi = pw.simulate_pathway((), pw.PathwayParams(descending=hi)).spinal_output
    assert out_hi <= out_lo + 1e-12


@settings(max_examples=30, deadline=None)
@given(field=st.sampled_from(sorted(pw.EFFECT_RANGES)), value=st.floats(0.0, 1.0, allow_nan=False))
def test_every_effect_strength_in_range_gives_a_valid_run(field, value):
    effects = pw.TreatmentEffects(**{field: value})
    r = pw.simulate_pathway(pw.TREATMENT_KEYS, effects=effects)
    assert math.isfinite(r.spinal_output)


@settings(max_examples=8, deadline=None)
@given(stim=st.floats(0.0, 1000.0, allow_nan=False))
def test_nerve_stage_matches_02_for_any_stimulus(stim):
    r = pw.simulate_pathway((), pw.PathwayParams(stimulus_pA=stim))
    direct = drg.step_response(drg.HEALTHY, stim)
    assert r.nerve_rate_hz == pytest.approx(metrics.rate_hz(direct.spike_times_ms, 100.0, 600.0))


@settings(max_examples=10, deadline=None)
@given(nav17=st.floats(0.5, 1.5, allow_nan=False), nav18=st.floats(0.0, 1.6, allow_nan=False),
       kdr=st.floats(0.5, 1.5, allow_nan=False))
def test_any_nerve_in_range_runs_and_sodium_block_never_raises_its_firing(nav17, nav18, kdr):
    nerve = drg.HEALTHY.with_scales(nav17=nav17, nav18=nav18, kdr=kdr)
    params = pw.PathwayParams(nerve=nerve)
    plain = pw.simulate_pathway((), params)
    blocked = pw.simulate_pathway(("lidocaine_plaster",), params)
    assert 0.0 <= plain.c_drive <= dh.DRIVE_RANGE[1]
    # The rate is a spike count over the 500 ms step, so it moves in steps of 2 Hz. In a spontaneously
    # firing nerve a sodium block can shift the spikes' phase and fit one more in the window (found at
    # nav17 0.75, nav18 1.43, kdr 0.5: 54 -> 56 Hz): never more than that one spike.
    one_spike_hz = 1000.0 / drg.STEP_DURATION_MS
    assert blocked.nerve_rate_hz <= plain.nerve_rate_hz + one_spike_hz
    if blocked.nerve_rate_hz <= plain.nerve_rate_hz:
        assert blocked.spinal_output <= plain.spinal_output + 1e-12


weights = st.floats(0.0, 2.0, allow_nan=False)


@settings(max_examples=30, deadline=None)
@given(w_C_W=weights, w_E_W=weights, w_I_W=weights, w_C_E=weights, w_I_E=weights,
       w_Abeta_I=weights, b_W=st.floats(-1.0, 2.0), b_E=st.floats(-1.0, 2.0),
       treatment=st.sampled_from(["snri", "tca", "strong_opioid", "tramadol"]))
def test_brainstem_and_spinal_drugs_never_raise_the_signal_for_any_cord(
        w_C_W, w_E_W, w_I_W, w_C_E, w_I_E, w_Abeta_I, b_W, b_E, treatment):
    cord = dh.DorsalHornParams(w_C_W=w_C_W, w_E_W=w_E_W, w_I_W=w_I_W, w_C_E=w_C_E,
                               w_I_E=w_I_E, w_Abeta_I=w_Abeta_I, b_W=b_W, b_E=b_E)
    params = pw.PathwayParams(dorsal_horn=cord)
    before = pw.simulate_pathway((), params)
    after = pw.simulate_pathway((treatment,), params)
    assert after.spinal_output <= before.spinal_output + 1e-9
    assert np.all(after.dorsal.W_Hz <= before.dorsal.W_Hz + 1e-9)


def test_after_warming_every_treatment_combination_reuses_the_cached_nerve():
    params = pw.PathwayParams(stimulus_pA=250.0)
    assert pw.warm_nerve_cache(params) == 4
    misses = pw.nerve_response.cache_info().misses
    for mask in range(2 ** len(pw.TREATMENT_KEYS)):
        combo = tuple(k for j, k in enumerate(pw.TREATMENT_KEYS) if mask >> j & 1)
        pw.simulate_pathway(combo, params)
    assert pw.nerve_response.cache_info().misses == misses


def test_cached_nerve_stage_cannot_be_changed_by_a_caller(untreated):
    with pytest.raises(ValueError):
        untreated.nerve.v_mV[0] = 0.0


# ------------------------------------------------------------ bad input ---------------------

@pytest.mark.parametrize("kwargs, name", [
    ({"stimulus_pA": -1.0}, "stimulus_pA"),
    ({"stimulus_pA": float("nan")}, "stimulus_pA"),
    ({"descending": 5.0}, "descending"),
    ({"descending": float("inf")}, "descending"),
    ({"sensitisation_S": 1.5}, "sensitisation_S"),
])
def test_bad_pathway_parameters_are_named(kwargs, name):
    with pytest.raises(ValueError, match=name):
        pw.simulate_pathway((), pw.PathwayParams(**kwargs))


@pytest.mark.parametrize("name", sorted(pw.EFFECT_RANGES))
@pytest.mark.parametrize("value", [-0.1, 1.1, float("nan")])
def test_bad_effect_strengths_are_named(name, value):
    with pytest.raises(ValueError, match=name):
        pw.simulate_pathway(("snri",), effects=pw.TreatmentEffects(**{name: value}))


@pytest.mark.parametrize("name", sorted(pw.MIND_RANGES))
def test_bad_mind_values_are_named(name):
    with pytest.raises(ValueError, match=name):
        pw.descending_from_mind(dataclasses.replace(pw.NEUTRAL_MIND, **{name: 2.0}))


def test_a_single_string_instead_of_a_list_is_rejected():
    with pytest.raises(ValueError, match="treatments"):
        pw.simulate_pathway("snri")


def test_unknown_treatment_is_named():
    with pytest.raises(ValueError, match="homeopathy"):
        pw.simulate_pathway(("homeopathy",))


def test_bad_nerve_parameters_are_rejected():
    with pytest.raises(ValueError, match="g_nav18_mS_cm2"):
        pw.simulate_pathway((), pw.PathwayParams(nerve=drg.DRGParams(g_nav18_mS_cm2=-1.0)))
