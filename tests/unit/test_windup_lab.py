"""Wind-up lab: drive the controls, check the figure data and the readout."""

import numpy as np
import pytest

from course_lib.widgets.windup_lab import DEFAULTS, WindupLab


@pytest.fixture(scope="module")
def lab():
    return WindupLab()


def test_default_shows_windup(lab):
    lab.reset()
    responses = np.asarray(lab.figure.data[1].y)
    assert responses.size == 15 and responses[-1] > 1.5 * responses[0]
    assert "wind-up" in lab.readout.value and "no wind-up" not in lab.readout.value


def test_blocking_nmda_flattens_the_responses(lab):
    lab.set_values(nmda_on=False, frequency_hz=1.0)
    responses = np.asarray(lab.figure.data[1].y)
    assert np.ptp(responses) < 1e-6 * responses[0]
    assert "no wind-up" in lab.readout.value and "blocked" in lab.readout.value
    lab.reset()


def test_slow_stimulation_gives_no_windup(lab):
    lab.set_values(frequency_hz=0.1, nmda_on=True)
    responses = np.asarray(lab.figure.data[1].y)
    assert responses[-1] < 1.05 * responses[0]
    assert "no wind-up" in lab.readout.value
    lab.reset()


def test_faster_stimulation_winds_up_more(lab):
    lab.set_values(frequency_hz=0.5)
    slow_last = np.asarray(lab.figure.data[1].y)[-1]
    lab.set_values(frequency_hz=2.0)
    fast_last = np.asarray(lab.figure.data[1].y)[-1]
    assert fast_last > slow_last
    lab.reset()
    assert lab.controls["frequency_hz"].value == DEFAULTS["frequency_hz"]


def test_the_grey_line_is_the_previous_setting_not_a_fixed_nmda_blocked_answer():
    from course_lib.models.windup import simulate_windup

    lab = WindupLab()
    blocked = simulate_windup(frequency_hz=1.0, n_pulses=len(lab.result.responses), nmda_on=False)
    grey, now = lab.figure.data[0], lab.figure.data[1]
    # at the default setting the comparison line is the setting itself, so it cannot show the answer
    assert np.allclose(grey.y, now.y) and not np.allclose(grey.y, blocked.responses)
    before = np.array(now.y)
    lab.controls["frequency_hz"].value = 0.5
    assert np.allclose(lab.figure.data[0].y, before)
