"""Nothing a learner (or a preset) sets can leave a lab half-changed (issue 23 item 7).

``Lab.set_values`` is all or nothing: numpy's booleans and numbers are accepted and stored as
Python's, so assigning cannot fail after some controls have changed; a value set straight into a
control (as the browser does) that the lab cannot use is refused by name in the readout, in every lab.
"""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil

import ipywidgets as widgets
import numpy as np
import pytest

import course_lib.widgets
from course_lib.widgets.base import Lab


def _labs_with_default_constructors() -> list[type]:
    found = []
    for module in pkgutil.iter_modules(course_lib.widgets.__path__):
        imported = importlib.import_module(f"course_lib.widgets.{module.name}")
        for _name, cls in inspect.getmembers(imported, inspect.isclass):
            if issubclass(cls, Lab) and cls is not Lab and cls.__module__ == imported.__name__:
                if all(p.default is not p.empty for p in list(inspect.signature(cls).parameters.values())):
                    found.append(cls)
    return sorted(set(found), key=lambda c: c.__name__)


LABS = _labs_with_default_constructors()


def _has(lab_class: type, *kinds: type) -> bool:
    return any(isinstance(c, kinds) for c in lab_class().controls.values())


WITH_BOX_OR_SLIDER = [c for c in LABS if _has(c, widgets.Checkbox, widgets.FloatSlider)]
WITH_SLIDER = [c for c in LABS if _has(c, widgets.FloatSlider)]


def test_the_labs_are_found():
    assert len(LABS) >= 12 and len(WITH_SLIDER) >= 10, [c.__name__ for c in LABS]


@pytest.mark.parametrize("lab_class", WITH_BOX_OR_SLIDER, ids=lambda c: c.__name__)
def test_numpy_values_go_in_whole_and_as_python_types(lab_class):
    lab = lab_class()
    values = {}
    for name, control in lab.controls.items():
        if isinstance(control, widgets.Checkbox):
            values[name] = np.bool_(not control.value)
        elif isinstance(control, widgets.FloatSlider):
            values[name] = np.float64(control.max)
    # one at a time: some labs forbid combinations (the preset's own rules), not the types
    for name, value in values.items():
        lab.reset()
        lab.set_values(**{name: value})
        stored = lab.controls[name].value
        assert type(stored) in (bool, float) and stored == value, (name, stored)
        assert lab.last_error is None, lab.last_error


@pytest.mark.parametrize("lab_class", WITH_SLIDER, ids=lambda c: c.__name__)
def test_a_nan_set_straight_into_a_slider_is_refused_by_name(lab_class):
    lab = lab_class()
    name = next(n for n, c in lab.controls.items() if isinstance(c, widgets.FloatSlider))
    lab.controls[name].value = math.nan
    assert lab.last_error is not None
    assert lab.control_label(name) in lab.readout.value and "not allowed" in lab.readout.value
    assert "nan" not in lab.readout.value.replace("= nan is", "")  # only the refused value itself


def test_a_channel_lab_preset_menu_with_no_choice_raises_nothing():
    from course_lib.widgets.channel_lab import ChannelLab

    lab = ChannelLab()
    lab.controls["preset"].value = None  # a menu can be emptied from the browser
    assert "Preset" in lab.readout.value
    lab.reset()
    assert lab.last_error is None


def test_duration_lab_takes_numpy_false_without_a_half_change():
    from course_lib.widgets.duration_lab import DurationLab

    lab = DurationLab()
    lab.set_values(months_untreated=10.0, cause_removed=np.False_)
    assert lab.value("months_untreated") == 10.0 and lab.value("cause_removed") is False
    assert lab.last_error is None
