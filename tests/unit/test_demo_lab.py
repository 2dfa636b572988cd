"""The start-here demo lab and its toy model."""

import numpy as np
import pytest

from course_lib.models.demo import ToyFibreParams, firing_rate_hz
from course_lib.widgets.demo_lab import ThresholdDemoLab


def test_rate_is_half_maximum_at_threshold_and_rises_with_strength():
    params = ToyFibreParams(threshold=4.0, max_rate_hz=60.0)
    assert firing_rate_hz(4.0, params) == pytest.approx(30.0)
    rates = firing_rate_hz(np.linspace(0, 10, 50), params)
    assert np.all(np.diff(rates) > 0)


def test_bad_threshold_is_rejected_with_its_range():
    with pytest.raises(ValueError, match=r"threshold = 12 .*from 0.5 to 9.5"):
        firing_rate_hz(1.0, ToyFibreParams(threshold=12))


def test_lowering_threshold_moves_curve_left_and_readout_says_so():
    lab = ThresholdDemoLab()
    before = np.array(lab.figure.data[1].y)
    baseline = np.array(lab.figure.data[0].y)
    lab.controls["threshold"].value = 3.0
    after = np.array(lab.figure.data[1].y)
    assert np.all(after >= before) and after.max() > before.max()  # a lower threshold fires more
    assert np.array_equal(np.array(lab.figure.data[0].y), baseline), "baseline stays put"
    assert "Threshold 3" in lab.readout.value and "25 impulses" in lab.readout.value
    assert "to the left of" in lab.description.value


def test_every_slider_position_is_safe():
    lab = ThresholdDemoLab()
    slider = lab.controls["threshold"]
    for value in np.arange(slider.min, slider.max + slider.step / 2, slider.step):
        slider.value = float(value)
        assert lab.last_error is None
        assert np.all(np.isfinite(lab.figure.data[1].y))
