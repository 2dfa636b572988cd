"""Every lab in the registry (course_lib.lab_registry): its view is found as a lab, and any setting a
learner can make updates it cleanly.

The keyboard helper, the course's CSS and the browser tests all find a lab by its ``course-lab``
class; the care-plan builder once rebuilt its view in a new box without it, and so was skipped by
the keyboard test without anyone noticing.

"Any setting": each control's values are read off the control itself (a slider's range and steps,
a menu's options, a box's on and off), so a lab added to the registry is driven through all of its
controls with no test written for it. This one test replaces the copies each lab's own test file
used to carry; what is particular to one lab (its model's numbers, its icons) stays in that file.
"""

from __future__ import annotations

import html
import re

import ipywidgets as widgets
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.lab_registry import LABS, LABS_BY_NAME


def _descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


@pytest.mark.parametrize("entry", LABS, ids=lambda entry: entry.name)
def test_the_lab_view_carries_the_lab_class_and_the_keyboard_helper(entry):
    from course_lib.widgets.a11y import CourseAccess

    lab = entry.factory()
    assert isinstance(lab.view, widgets.Box)
    assert "course-lab" in lab.view._dom_classes
    inside = list(_descendants(lab.view))
    assert sum(isinstance(w, CourseAccess) for w in inside) == 1
    assert lab.figure in inside and lab.readout in inside


# ----------------------------------------------------------------------------- any setting

#: How a lab's readout opens, for labs whose every sentence must say whose numbers they are
#: (DESIGN.md: "words about the model are about the model"). Checked at every setting drawn below.
READOUT_OPENS_WITH = {
    "CauseLab": "In this teaching model",
    "RegrowthLab": "In this teaching model",
    "ReversalLab": "In this teaching model",
    "WhereItActsLab": "In this teaching model",
    "GoalsLab": "In this imaginary example",
}


def test_readout_openings_name_registered_labs():
    # a renamed lab must not silently drop out of the checks below
    assert set(READOUT_OPENS_WITH) <= set(LABS_BY_NAME)


def _slider_grid(control) -> st.SearchStrategy:
    # the values the slider's handle can reach: min, min + step, ..., max
    count = int(round((control.max - control.min) / control.step))
    if isinstance(control, widgets.IntSlider):
        return st.integers(0, count).map(lambda k: min(control.min + k * control.step, control.max))
    return st.integers(0, count).map(lambda k: min(round(control.min + k * control.step, 6), control.max))


def _control_values(name: str, control) -> st.SearchStrategy:
    """Every value a learner can give ``control``; a control of a kind not listed here fails loudly,
    so a new kind of control is taught to this test instead of being skipped."""
    if isinstance(control, widgets.Checkbox):
        return st.booleans()
    if isinstance(control, widgets.IntSlider):
        return _slider_grid(control)
    if isinstance(control, widgets.FloatSlider):
        # the handle's steps, and any number in range (the slider's text box takes typed values)
        return st.one_of(_slider_grid(control), st.floats(control.min, control.max))
    if isinstance(control, (widgets.Dropdown, widgets.RadioButtons, widgets.ToggleButtons, widgets.Select)):
        return st.sampled_from([o[1] if isinstance(o, tuple) else o for o in control.options])
    if isinstance(control, (widgets.Text, widgets.Textarea)):
        return st.text(max_size=60)
    raise TypeError(f"control {name!r} is a {type(control).__name__}: teach _control_values its values")


def _settings(lab) -> st.SearchStrategy:
    # controls without a value (buttons) are actions, not settings
    return st.fixed_dictionaries({name: _control_values(name, control) for name, control in lab.controls.items()
                                  if hasattr(control, "value")})


def _numbers(values) -> np.ndarray | None:
    """A trace property as floats, or None if it is not numbers (category names on a bar chart's axis)."""
    if values is None:
        return None
    array = np.asarray(values)
    if array.dtype.kind in "biuf":
        return array.astype(float)
    if array.dtype.kind == "O" and all(v is None or isinstance(v, (int, float, np.number)) for v in array.flat):
        # None in a list of numbers is a gap plotly draws as nothing: count it as not finite here
        return np.array([np.nan if v is None else v for v in array.flat], dtype=float)
    return None


def _builds():
    # each way the course builds each lab: the mystery neuron once per classroom seed
    for entry in LABS:
        for kwargs in entry.all_builds():
            label = "-".join(f"{k}={v}" for k, v in kwargs.items()) if entry.variants else ""
            yield pytest.param(entry, kwargs, id="-".join(filter(None, [entry.name, label])))


@pytest.mark.parametrize("entry, kwargs", list(_builds()))
def test_any_setting_updates_cleanly(entry, kwargs):
    lab = entry.factory(**kwargs)  # one lab per test, reused across examples: a lab must survive any sequence

    @settings(max_examples=30, deadline=None)
    @given(values=_settings(lab))
    def check(values):
        lab.set_values(**values)
        assert lab.last_error is None, f"{entry.name} failed at {values}: {lab.last_error}"
        sentence = html.unescape(re.sub("<[^>]+>", "", lab.readout.value)).strip()
        assert sentence and "went wrong" not in sentence, sentence
        # a number the model could not compute must not reach the learner as "nan" or "inf"
        assert not re.search(r"\b(nan|inf)\b", sentence, re.I), sentence
        assert sentence.startswith(READOUT_OPENS_WITH.get(entry.name, "")), sentence
        assert "Figure description" in lab.description.value
        for index, trace in enumerate(lab.figure.data):
            # every trace's data finite: a line with nothing to mark is hidden with ``visible``
            for prop in ("x", "y", "z"):
                numbers = _numbers(getattr(trace, prop, None))
                if numbers is not None:
                    assert np.all(np.isfinite(numbers)), f"{entry.name}: trace {index} ({trace.name}) {prop} {numbers}"

    check()
