"""Where-it-acts lab: tick treatments, read the stage bars, the diagram markers and the readout."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.figures.pathway import BAR_PANELS, BAR_TRACE, NODES, TREATMENT_TRACE
from course_lib.models import dorsal_horn as dh
from course_lib.models import drg, metrics
from course_lib.models import pathway as pw
from course_lib.widgets.where_it_acts_lab import (CONTROL_RANGES, DEFAULTS, MIND_CONTROLS,
                                                  TREATMENT_CONTROLS, WhereItActsLab)

# which bar panel shows the first stage a treatment acts on (the brainstem acts through the
# dorsal horn, so its effect first shows in the signal to the brain)
PANEL_OF_STAGE = {"nerve": 0, "terminals": 1, "dorsal_horn": 2, "brainstem": 2}


@pytest.fixture(scope="module")
def lab():
    return WhereItActsLab()


def bars(lab, panel):
    """(untreated, treated) for one panel."""
    return tuple(float(v) for v in lab.figure.data[BAR_TRACE[panel]].y)


def treated(lab):
    return np.array([bars(lab, p)[1] for p in BAR_PANELS])


def untreated(lab):
    return np.array([bars(lab, p)[0] for p in BAR_PANELS])


def tick(lab, *keys):
    lab.set_values(**{k: (k in keys) for k in TREATMENT_CONTROLS})


def test_nothing_ticked_reproduces_the_02_nerve_and_03_dorsal_horn(lab):
    lab.reset()
    nerve = drg.step_response(drg.HEALTHY, pw.DEFAULT_STIMULUS_PA)
    rate = metrics.rate_hz(nerve.spike_times_ms, drg.STEP_START_MS,
                           drg.STEP_START_MS + drg.STEP_DURATION_MS)
    spinal = dh.noxious_response(dh.DorsalHornParams())
    assert bars(lab, "nerve") == pytest.approx((rate, rate))
    assert bars(lab, "cord") == pytest.approx((dh.STRONG_DRIVE, dh.STRONG_DRIVE))
    assert bars(lab, "brain") == pytest.approx((spinal, spinal), rel=1e-9)
    assert "no treatment ticked" in lab.readout.value
    for key in TREATMENT_CONTROLS:
        assert len(lab.figure.data[TREATMENT_TRACE[key]].x) == 0


@pytest.mark.parametrize("key", TREATMENT_CONTROLS)
def test_each_tick_changes_its_own_stage_and_nothing_upstream(lab, key):
    lab.reset()
    before = treated(lab)
    tick(lab, key)
    after = treated(lab)
    first = min(PANEL_OF_STAGE[s] for s in pw.TREATMENTS[key].stages)
    assert np.array_equal(after[:first], before[:first])        # upstream untouched
    assert after[first] < before[first] - 1e-6                   # its own stage falls
    assert after[2] < before[2]                                  # and so does the signal up
    assert np.array_equal(untreated(lab), before)                # grey bars stay untreated
    assert lab.last_error is None
    lab.reset()


@pytest.mark.parametrize("key", TREATMENT_CONTROLS)
def test_the_diagram_marks_every_site_of_a_ticked_treatment(lab, key):
    tick(lab, key)
    trace = lab.figure.data[TREATMENT_TRACE[key]]
    sites = pw.TREATMENTS[key].stages
    assert len(trace.x) == len(sites)
    # each marker sits under the node of one of its sites (within the row's half-spread)
    node_x = sorted(NODES[s][0] for s in sites)
    assert np.allclose(sorted(trace.x), node_x, atol=0.7)
    for other in TREATMENT_CONTROLS:
        if other != key:
            assert len(lab.figure.data[TREATMENT_TRACE[other]].x) == 0
    lab.reset()


def test_readout_names_the_unchanged_stages_for_a_brainstem_drug(lab):
    tick(lab, "snri")
    text = lab.readout.value
    assert "unchanged: the nerve&#x27;s firing, the input into the spinal cord" in text
    assert "the signal to the brain down" in text
    assert "not how well it helps people" in text       # sizes are ours, efficacy is in trials
    lab.reset()


def test_combination_is_below_each_single_drug_but_the_readout_warns(lab):
    tick(lab, "gabapentinoid")
    gaba = treated(lab)[2]
    tick(lab, "snri")
    snri = treated(lab)[2]
    tick(lab, "gabapentinoid", "snri")
    both = treated(lab)[2]
    expected = pw.simulate_pathway(("gabapentinoid", "snri")).signal_to_brain
    assert both == pytest.approx(expected)
    assert both < min(gaba, snri)
    assert "cannot show that more medicines means more relief" in lab.readout.value
    lab.reset()


def test_a_fearful_low_sleepless_mind_raises_the_untreated_signal_and_says_it_is_real(lab):
    lab.reset()
    neutral = bars(lab, "brain")[0]
    lab.set_values(attention_to_pain=1.0, mood=0.0, sleep_quality=0.0, fear_of_movement=1.0)
    worse = bars(lab, "brain")[0]
    assert worse > neutral
    assert bars(lab, "nerve")[0] == pytest.approx(bars(lab, "nerve")[1])  # the nerve is untouched
    assert "raise the untreated signal" in lab.readout.value
    assert "not an imagined one" in lab.readout.value
    lab.set_values(attention_to_pain=0.0, mood=1.0, sleep_quality=1.0, fear_of_movement=0.0)
    assert bars(lab, "brain")[0] < neutral
    assert "lower the untreated signal" in lab.readout.value
    lab.reset()


def test_sensitisation_amplifies_the_same_nerve_input(lab):
    lab.reset()
    plain = bars(lab, "brain")[0]
    nerve = bars(lab, "nerve")[0]
    lab.set_values(sensitisation=1.0)
    assert bars(lab, "brain")[0] > plain
    assert bars(lab, "nerve")[0] == nerve
    lab.reset()
    assert bars(lab, "brain")[0] == plain
    assert {k: c.value for k, c in lab.controls.items()} == DEFAULTS


def test_ticking_never_runs_the_nerve_model_again(lab):
    before = pw.nerve_response.cache_info()
    for key in TREATMENT_CONTROLS:
        tick(lab, key)
    tick(lab, *TREATMENT_CONTROLS)
    tick(lab, "lidocaine_plaster", "tca")
    after = pw.nerve_response.cache_info()
    assert after.misses == before.misses
    assert after.hits > before.hits
    lab.reset()


def test_controls_are_checkboxes_and_sliders_with_units_in_brackets(lab):
    import ipywidgets as widgets
    for key in TREATMENT_CONTROLS:
        assert isinstance(lab.controls[key], widgets.Checkbox)
    for name in CONTROL_RANGES:
        slider = lab.controls[name]
        assert isinstance(slider, widgets.FloatSlider)
        assert "(" in slider.description and slider.description.endswith(")")
        assert (slider.min, slider.max) == CONTROL_RANGES[name][:2]
        assert slider.continuous_update is False


def _grid(name):
    low, high, step = CONTROL_RANGES[name]
    return st.integers(0, int(round((high - low) / step))).map(lambda k: round(low + k * step, 6))


@settings(max_examples=40, deadline=None)
@given(ticks=st.fixed_dictionaries({k: st.booleans() for k in TREATMENT_CONTROLS}),
       sliders=st.fixed_dictionaries({n: _grid(n) for n in CONTROL_RANGES}))
def test_every_setting_lowers_no_stage_and_sends_the_models_signal_to_the_brain(lab, ticks, sliders):
    # that every setting updates cleanly is checked for every lab in test_every_lab_view.py
    lab.set_values(**ticks, **sliders)
    assert lab.last_error is None
    for panel in BAR_PANELS:
        before, now = bars(lab, panel)
        assert np.isfinite(before) and np.isfinite(now)
        assert now <= before + 1e-9          # no treatment raises any stage in this model
    chosen = [k for k, v in ticks.items() if v]
    mind = pw.MindState(**{n: sliders[n] for n in MIND_CONTROLS})
    params = pw.PathwayParams(sensitisation_S=sliders["sensitisation"])
    assert bars(lab, "brain")[1] == pytest.approx(
        pw.simulate_pathway(chosen, params, mind=mind).signal_to_brain)
