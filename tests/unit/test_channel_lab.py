"""Channel lab: drive the controls, check the figure data and the readout."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.widgets.channel_lab import DEFAULTS, PRESETS, ChannelLab


@pytest.fixture(scope="module")
def lab():
    return ChannelLab()


def spikes_in_figure(lab) -> int:
    v = np.asarray(lab.figure.data[1].y)
    return int(np.count_nonzero((v[:-1] < 0) & (v[1:] >= 0)))


def test_starts_healthy_with_a_readout_in_words(lab):
    lab.reset()
    assert lab.last_error is None
    assert "All channels at their normal level" in lab.readout.value
    assert "rheobase 72 pA" in lab.readout.value
    assert len(lab.figure.data) == 6
    assert len(lab.figure.data[1].y) <= 2100       # decimated for display


def test_more_nav18_gives_more_spikes_in_the_trace(lab):
    lab.reset()
    lab.set_values(amplitude=60.0)
    before = spikes_in_figure(lab)
    lab.controls["nav18"].value = 140.0
    after = spikes_in_figure(lab)
    assert after > before
    assert "Nav1.8 at 140 %" in lab.readout.value
    # the previous setting stays on screen, faded, for before/after
    faded = np.asarray(lab.figure.data[0].y)
    assert int(np.count_nonzero((faded[:-1] < 0) & (faded[1:] >= 0))) == before


def test_nav18_off_readout_matches_science(lab):
    lab.reset()
    lab.controls["nav18_on"].value = False
    text = lab.readout.value
    assert "Nav1.8 off" in text
    assert "resting -77.6 mV" in text
    assert "rheobase 326 pA" in text     # 325.2 pA to 0.1 pA; 1 pA grid in the lab
    lab.set_values(amplitude=400.0)
    assert spikes_in_figure(lab) == 1
    assert "1 spike" in lab.readout.value


def test_preset_sets_controls_and_shows_its_rationale(lab):
    lab.reset()
    lab.controls["preset"].value = "k_down"
    assert lab.controls["kdr"].value == 75.0 and lab.controls["ka"].value == 75.0
    assert "Ratte et al. 2014" in lab.preset_note.value
    lab.controls["kdr"].value = 80.0
    assert lab.controls["preset"].value == "custom"


def test_every_preset_has_a_cited_rationale():
    for preset in PRESETS.values():
        assert any(ch.isdigit() for ch in preset["why"])       # a year or volume
        assert "(" in preset["why"]


def test_reset_restores_defaults(lab):
    lab.set_values(nav17=10.0, ka_on=False, amplitude=300.0)
    lab.reset()
    assert lab.controls["nav17"].value == DEFAULTS["percent"]
    assert lab.controls["ka_on"].value is True
    assert lab.controls["amplitude"].value == DEFAULTS["amplitude_pA"]
    assert lab.controls["preset"].value == "healthy"


def test_currents_row_shows_inward_sodium_and_outward_potassium(lab):
    lab.reset()
    lab.set_values(amplitude=200.0)
    assert np.min(lab.figure.data[3].y) < -100.0     # Nav1.8 inward
    assert np.max(lab.figure.data[4].y) > 100.0      # Kdr outward


def test_kdr_off_is_reported_as_depolarisation_block_not_a_spike(lab):
    lab.reset()
    for amplitude in (0.0, 60.0, 100.0, 300.0):
        lab.set_values(kdr_on=False, amplitude=amplitude)
        text = lab.readout.value
        assert "depolarisation block" in text, amplitude
        assert "0 spikes" in text and "rheobase" not in text.replace("no rheobase", ""), amplitude
        assert lab.result["n_spikes"] == 0 and np.isnan(lab.result["rheobase_pA"])


def test_voltages_beyond_the_rate_table_are_flagged_in_words(lab):
    lab.reset()
    lab.set_values(kdr_on=False, amplitude=300.0)
    assert lab.result["out_of_range"]
    assert "outside the model&#x27;s valid range" in lab.readout.value
    lab.set_values(kdr_on=True, amplitude=300.0)
    assert not lab.result["out_of_range"]
    assert "valid range" not in lab.readout.value


def test_nav18_up_preset_says_inflammation_not_axotomy():
    preset = PRESETS["nav18_up"]
    assert "inflammation" in preset["label"]
    why = preset["why"]
    assert "inflammation" in why and "Black et al. 2004" in why
    assert "lose Nav1.8" in why and "Cummins & Waxman 1997" in why


def test_error_messages_name_the_slider_with_its_range(lab):
    lab.reset()
    before = lab.update_count
    with pytest.raises(ValueError, match=r"Nav1.7 conductance \(% of normal\) = 250.0 is not "
                                         r"allowed: it must be a number from 0 to 200"):
        lab.set_values(nav18=120.0, nav17=250.0)
    assert lab.value("nav18") == DEFAULTS["percent"] and lab.update_count == before
    lab.controls["kdr"].value = float("nan")
    assert "Kdr conductance (% of normal) = nan" in lab.readout.value
    lab.reset()
    assert lab.last_error is None
