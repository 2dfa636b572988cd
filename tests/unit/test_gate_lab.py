"""Gate lab: drive the controls, check the figure data and the readout."""

import numpy as np
import pytest

from course_lib.widgets.gate_lab import DEFAULTS, GateLab


@pytest.fixture(scope="module")
def lab():
    return GateLab()


def bars(lab):
    return np.asarray(lab.figure.data[3].y, dtype=float)


def test_touch_closes_the_gate_by_default(lab):
    lab.reset()
    alone, touch_only, both = bars(lab)
    assert both < 0.1 * alone
    assert "closes the gate" in lab.readout.value
    assert np.asarray(lab.figure.data[1].y).max() < np.asarray(lab.figure.data[0].y).max()


def test_removing_inhibition_lets_touch_through(lab):
    lab.set_values(inhibition=0.0)
    alone, touch_only, both = bars(lab)
    assert touch_only > 5.0
    assert "allodynia" in lab.readout.value
    lab.reset()


def test_touch_response_rises_as_inhibition_falls(lab):
    values = []
    for w in (0.3, 0.15, 0.05, 0.0):
        lab.set_values(inhibition=w)
        values.append(bars(lab)[1])
    assert np.all(np.diff(values) > 0)
    lab.reset()


def test_more_noxious_drive_more_output_without_touch(lab):
    lab.set_values(touch=0.0, noxious=1.0)
    weak = bars(lab)[0]
    lab.set_values(noxious=3.0)
    assert bars(lab)[0] > weak
    assert "With no touch" in lab.readout.value
    lab.reset()
    assert {k: c.value for k, c in lab.controls.items()} == DEFAULTS


