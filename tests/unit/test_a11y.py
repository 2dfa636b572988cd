"""The accessibility helper (course_lib.widgets.a11y) on the Python side.

What the browser does with it (keys, focus, names read by axe-core) is checked in
tests/browser/test_accessibility.py; here: the units a screen reader will hear, that every
lab and quiz question carries the helper, and that the readout is one region whose text changes.
"""

from __future__ import annotations

import re

import ipywidgets as widgets
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.quiz.progress import ProgressStore
from course_lib.quiz.render import make_quiz, question_widget
from course_lib.widgets import a11y
from course_lib.widgets.a11y import CourseAccess, slider_units, spoken_unit
from course_lib.widgets.balance_lab import BalanceLab
from course_lib.widgets.channel_lab import ChannelLab
from course_lib.widgets.demo_lab import ThresholdDemoLab
from course_lib.widgets.duration_lab import DurationLab
from course_lib.widgets.gate_lab import GateLab
from course_lib.widgets.mystery_neuron import MysteryNeuronLab
from course_lib.widgets.windup_lab import WindupLab

LABS = [ThresholdDemoLab, ChannelLab, BalanceLab, MysteryNeuronLab, DurationLab, WindupLab, GateLab]


@pytest.fixture(scope="module")
def labs():
    return {cls.__name__: cls() for cls in LABS}


def _helpers(view: widgets.Widget) -> list[CourseAccess]:
    found, stack = [], [view]
    while stack:
        widget = stack.pop()
        if isinstance(widget, CourseAccess):
            found.append(widget)
        stack.extend(getattr(widget, "children", ()))
    return found


def _sliders(lab) -> list[widgets.Widget]:
    return [c for c in lab.controls.values() if isinstance(c, a11y.SLIDER_TYPES)]


# ----------------------------------------------------------------------------- spoken units

@pytest.mark.parametrize("description, words", [
    ("Step current (pA)", "picoamps"),
    ("Step current (uA/cm2)", "microamps per square centimetre"),
    ("Subthreshold sodium (mS/cm2)", "millisiemens per square centimetre"),
    ("Nav1.8 conductance (% of normal)", "percent of normal"),
    ("Step duration (ms)", "milliseconds"),
    ("Stimuli per second (Hz)", "hertz"),
    ("Months before the cause is removed", "months"),
    ("Threshold (stimulus strength)", "stimulus strength"),
    # a parenthesis in the middle names a fibre type, not a unit
    ("Touch (A-beta) drive, 0-3", ""),
    ("Inhibition onto the output neuron", ""),
    ("", ""),
    # a range in parentheses is a scale, read against the slider's range, not a unit
    ("Mood (0-1)", ""),
    ("Acute shingles pain (0-1 scale)", ""),
    ("Distance from the injury to the target (mm)", "millimetres"),
    ("Regrowth rate (mm/day)", "millimetres a day"),
])
def test_spoken_unit_reads_units_as_words(description, words):
    assert spoken_unit(description) == words


@given(label=st.text(alphabet=st.characters(blacklist_characters="()", blacklist_categories=("Cs",)),
                     max_size=40),
       token=st.sampled_from(sorted(a11y.SPOKEN_UNITS)))
def test_a_trailing_unit_in_parentheses_is_always_spelled_out(label, token):
    assert spoken_unit(f"{label} ({token})") == a11y.SPOKEN_UNITS[token]


@pytest.mark.parametrize("bad", [None, 3.0, ["pA"]])
def test_spoken_unit_rejects_a_description_that_is_not_text(bad):
    with pytest.raises(ValueError, match="description"):
        spoken_unit(bad)


def test_slider_units_skips_non_sliders_and_lets_a_lab_override():
    controls = {
        "amp": widgets.FloatSlider(description="Step current (pA)"),
        "gain": widgets.FloatSlider(description="Gain"),
        "on": widgets.Checkbox(description="Channel on (pA)"),
    }
    assert slider_units(controls) == {"Step current (pA)": "picoamps"}
    assert slider_units(controls, {"gain": "times normal"}) == {
        "Step current (pA)": "picoamps", "Gain": "times normal"}


def test_slider_units_names_an_unknown_override():
    with pytest.raises(ValueError, match=r"unknown control\(s\) \['nope'\]"):
        slider_units({"amp": widgets.FloatSlider(description="x (pA)")}, {"nope": "volts"})


# ----------------------------------------------------------------------------- every lab

def test_every_lab_view_is_marked_and_carries_exactly_one_helper(labs):
    for name, lab in labs.items():
        assert "course-lab" in lab.view._dom_classes, name
        helpers = _helpers(lab.view)
        assert len(helpers) == 1, f"{name}: {len(helpers)} helpers"
        assert helpers[0].layout.display == "none", f"{name}: the helper must take no space"


def test_the_course_has_sixteen_sliders_and_each_is_read_with_a_unit_or_its_range(labs):
    sliders = [(name, s) for name, lab in labs.items() for s in _sliders(lab)]
    assert len(sliders) == 16  # the count issue 13 found unnamed
    for name, lab in labs.items():
        units = _helpers(lab.view)[0].units
        for slider in _sliders(lab):
            assert slider.description.strip(), f"{name}: a slider without a visible label"
            unit = units.get(slider.description.strip())
            # unitless sliders are read against their range in the browser ("0.15, on a scale
            # from 0 to 0.3"); only the gate lab's drives and inhibition have no unit
            if unit is None:
                assert name == "GateLab", f"{name}: no unit for {slider.description!r}"


def test_lab_units_are_spelled_out_never_abbreviated(labs):
    for name, lab in labs.items():
        for description, unit in _helpers(lab.view)[0].units.items():
            assert not re.search(r"\b(pA|ms|mS|uA|Hz|cm2)\b|%", unit), (name, description, unit)


# ----------------------------------------------------------------------------- readout

def test_readout_is_plain_escaped_text_without_a_new_live_region_each_time(labs):
    lab = labs["ThresholdDemoLab"]
    widget = lab.readout
    lab.set_readout("Threshold 3 <now> & then")
    assert widget.value == "Threshold 3 &lt;now&gt; &amp; then"
    lab.set_readout("Threshold 4")
    assert lab.readout is widget  # the same widget: the browser keeps the same element
    assert "aria-live" not in widget.value and "<span" not in widget.value
    assert "course-lab-readout" in widget._dom_classes  # the class the browser helper marks live


def test_a_slider_change_still_updates_the_readout_text(labs):
    lab = labs["ThresholdDemoLab"]
    lab.controls["threshold"].value = 3.0
    first = lab.readout.value
    lab.controls["threshold"].value = 8.0
    assert lab.readout.value != first and "Threshold 8" in lab.readout.value
    lab.reset()


# ----------------------------------------------------------------------------- quizzes

@pytest.mark.parametrize("notebook, question_id", [
    ("00_start_here", "run_a_cell"),  # single choice
    ("00_start_here", "milliseconds"),  # numeric
    ("02_how_neuropathic_pain_develops", "predict_nav18_off"),  # predict (its view is re-ordered)
])
def test_every_quiz_question_view_carries_one_helper(notebook, question_id, tmp_path):
    widget = question_widget(notebook, question_id, store=ProgressStore(tmp_path))
    assert len(_helpers(widget.view)) == 1


def test_a_whole_quiz_has_one_helper_per_question_and_one_for_its_reset_control(tmp_path):
    quiz = make_quiz("02_how_neuropathic_pain_develops", store=ProgressStore(tmp_path))
    assert len(_helpers(quiz.view)) == len(quiz.questions) + 1 > 1
    assert isinstance(quiz.view.children[-1], CourseAccess)  # in the quiz's own box, beside Reset


def test_the_record_widget_keeps_its_keys_too(tmp_path):
    from course_lib.quiz.record_widget import RecordView

    assert len(_helpers(RecordView(ProgressStore(tmp_path)).view)) == 1


# ----------------------------------------------------------------------------- style

def test_the_style_uses_theme_variables_never_fixed_colours():
    css = a11y._CSS
    assert "var(--jp-brand-color0)" in css and "var(--jp-content-font-color1)" in css
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgba?\(|\b(white|black)\b", css)

