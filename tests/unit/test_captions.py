"""Captions speak of the model and of the current setting; none answers a Predict question by default."""

import numpy as np
import pytest

from course_lib.figures.dorsal_horn import describe_gate_figure


def test_gate_caption_follows_the_setting():
    from course_lib.widgets.gate_lab import GateLab

    lab = GateLab()
    default = lab.description.value
    assert "touch closes the gate" in default
    # the default caption must not say what losing inhibition does (that is the Predict question)
    assert "without" not in default and "drives the pathway" not in default
    lab.controls["inhibition"].value = 0.0
    assert "touch on its own drives the pathway" in lab.description.value


@pytest.mark.parametrize("spikes, words", [
    ((7.0, 0.1, 0.1), "touch closes the gate"),
    ((7.0, 19.0, 19.5), "touch on its own drives"),
    ((7.0, 0.5, 6.5), "changes the noxious response little"),
])
def test_gate_caption_for_each_kind_of_result(spikes, words):
    assert words in describe_gate_figure(2.0, 2.0, 0.1, np.array(spikes))


def test_windup_caption_follows_the_setting_and_does_not_predict_the_blocked_case():
    from course_lib.widgets.windup_lab import WindupLab

    lab = WindupLab()
    default = lab.description.value
    assert "grows along the train" in default and "needs NMDA" not in default and "flat" not in default
    lab.controls["nmda_on"].value = False
    assert "stays about the same" in lab.description.value


def test_connected_labs_show_no_figure_description_before_running():
    from course_lib.lessons import PREDICT_FIRST
    from course_lib.lessons.nb02 import balance_lab

    text = balance_lab()._repr_mimebundle_()["text/plain"]
    assert PREDICT_FIRST in text and "spontaneous" not in text
