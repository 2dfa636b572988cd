"""Gate lab: drive the controls, check the figure data and the readout."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.widgets.gate_lab import CONTROL_RANGES, DEFAULTS, GateLab


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


def _grid(name):
    low, high, step = CONTROL_RANGES[name]
    return st.integers(0, int(round((high - low) / step))).map(lambda k: round(low + k * step, 6))


@settings(max_examples=30, deadline=None)
@given(touch=_grid("touch"), noxious=_grid("noxious"), inhibition=_grid("inhibition"))
def test_every_control_value_is_safe(lab, touch, noxious, inhibition):
    lab.set_values(touch=touch, noxious=noxious, inhibition=inhibition)
    assert lab.last_error is None
    assert "went wrong" not in lab.readout.value
    for trace in lab.figure.data:
        y = np.asarray(trace.y, dtype=float)
        assert np.all(np.isfinite(y))
