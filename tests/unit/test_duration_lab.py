"""Duration lab: drive the controls, check the figure data and the readout."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.widgets.duration_lab import CONTROL_RANGES, DEFAULTS, DurationLab


@pytest.fixture(scope="module")
def lab():
    return DurationLab()


def all_finite(figure):
    return all(
        np.all(np.isfinite(np.asarray(trace.y, dtype=float)[np.isfinite(np.asarray(trace.x, dtype=float))]))
        for trace in figure.data
        if trace.y is not None
    )


def test_early_removal_resolves_and_late_removal_persists(lab):
    lab.set_values(months_untreated=1.0, cause_removed=True)
    pain_early = np.asarray(lab.figure.data[3].y)
    assert "resolves by week" in lab.readout.value and "at 1 month:" in lab.readout.value
    lab.set_values(months_untreated=9.0)
    pain_late = np.asarray(lab.figure.data[3].y)
    assert "persists" in lab.readout.value and "self-sustaining" in lab.readout.value
    assert pain_late[-1] > 2.0 > pain_early[-1]
    # S ends high, and the "now" touch curve sits above the "before" curve (allodynia)
    assert np.asarray(lab.figure.data[1].y)[-1] > 0.9
    assert np.asarray(lab.figure.data[6].y).max() > 1.5 * np.asarray(lab.figure.data[5].y).max()


def test_the_treatment_line_moves_with_the_slider(lab):
    lab.set_values(months_untreated=4.0, cause_removed=True)
    assert np.allclose(np.asarray(lab.figure.data[4].x, dtype=float), 4.0, atol=0.05)


def test_never_removing_the_cause(lab):
    lab.set_values(cause_removed=False)
    assert "never removed" in lab.readout.value
    assert np.asarray(lab.figure.data[0].y)[-1] == pytest.approx(np.asarray(lab.figure.data[0].y)[0])
    assert lab.controls["months_untreated"].disabled
    lab.reset()


def test_reset_restores_defaults():
    lab = DurationLab()
    lab.set_values(months_untreated=20.0, cause_removed=False)
    lab.reset()
    assert lab.controls["months_untreated"].value == DEFAULTS["months_untreated"]
    assert lab.controls["cause_removed"].value is DEFAULTS["cause_removed"]
    assert "Cause removed at 2 months" in lab.readout.value


def test_final_pain_index_is_published_for_predict_questions():
    lab = DurationLab()
    seen = []
    lab.on_result(lambda value, text: seen.append((value, text)))
    lab.controls["months_untreated"].value = 12.0
    late_value, late_text = seen[-1]
    assert isinstance(late_value, float) and late_value >= 1.0 and "persists" in late_text
    lab.controls["months_untreated"].value = 1.0
    assert seen[-1][0] < 1.0 and "resolves" in seen[-1][1]


low, high, step = CONTROL_RANGES["months_untreated"]


@settings(max_examples=30, deadline=None)
@given(k=st.integers(0, int(round((high - low) / step))), removed=st.booleans())
def test_every_control_value_is_safe(lab, k, removed):
    lab.set_values(months_untreated=low + k * step, cause_removed=removed)
    assert lab.last_error is None
    assert "went wrong" not in lab.readout.value
    assert all_finite(lab.figure)
