"""The accessibility helper (course_lib.widgets.a11y) on the Python side.

What the browser does with it (keys, focus, names read by axe-core) is checked in
tests/browser/test_accessibility.py; here: the units a screen reader will hear, that every
lab and quiz question carries the helper, and that the readout is one region whose text changes.
"Every lab" is every lab of course_lib.lab_registry: a lab added there is checked here unasked.
"""

from __future__ import annotations

import re

import ipywidgets as widgets
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.lab_registry import LABS
from course_lib.quiz.progress import ProgressStore
from course_lib.quiz.render import make_quiz, question_widget
from course_lib.widgets import a11y
from course_lib.widgets.a11y import CourseAccess, slider_units, spoken_unit
from course_lib.widgets.demo_lab import ThresholdDemoLab

#: Sliders read with neither a unit nor a scale in their label: the browser reads them against their
#: range ("0.15, on a scale from 0 to 0.3"). A new one must be added here on purpose.
UNITLESS_BY_DESIGN = {("GateLab", "inhibition")}

#: The course had 31 sliders when the registry was written (issue 20; issue 13 had found 16 unnamed
#: in the first seven labs). Fewer means a lab or a control went missing from what is checked.
SLIDER_FLOOR = 31


@pytest.fixture(scope="module")
def built():
    """Each registered lab, built once for this module's read-only checks (nothing here moves a control)."""
    cache: dict = {}

    def lab_for(entry):
        if entry.name not in cache:
            cache[entry.name] = entry.factory()
        return cache[entry.name]

    return lab_for


each_lab = pytest.mark.parametrize("entry", LABS, ids=lambda entry: entry.name)


def _helpers(view: widgets.Widget) -> list[CourseAccess]:
    found, stack = [], [view]
    while stack:
        widget = stack.pop()
        if isinstance(widget, CourseAccess):
            found.append(widget)
        stack.extend(getattr(widget, "children", ()))
    return found


def _sliders(lab) -> dict[str, widgets.Widget]:
    return {name: c for name, c in lab.controls.items() if isinstance(c, a11y.SLIDER_TYPES)}


def _descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


def _states_its_range(slider) -> bool:
    """The label gives the slider's own scale ("Mood (0-1)", "Touch (A-beta) drive, 0-3")."""
    found = re.search(r"(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)", slider.description)
    return bool(found) and (float(found[1]), float(found[2])) == (slider.min, slider.max)


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

@each_lab
def test_the_lab_keyboard_helper_takes_no_space(entry, built):
    # exactly one helper per lab view is checked in test_every_lab_view.py
    helper, *_ = _helpers(built(entry).view)
    assert helper.layout.display == "none", f"{entry.name}: the helper must take no space"


@each_lab
def test_every_slider_on_screen_is_one_of_the_lab_controls(entry, built):
    # the checks below walk lab.controls: a slider shown but not listed there would escape them
    lab = built(entry)
    on_screen = [w for w in _descendants(lab.view) if isinstance(w, a11y.SLIDER_TYPES)]
    listed = list(_sliders(lab).values())
    assert all(any(w is c for c in listed) for w in on_screen), f"{entry.name}: a slider outside lab.controls"


@each_lab
def test_every_slider_is_labelled_and_read_with_a_unit_or_its_range(entry, built):
    lab = built(entry)
    units = _helpers(lab.view)[0].units
    for name, slider in _sliders(lab).items():
        assert slider.description.strip(), f"{entry.name}: slider {name!r} without a visible label"
        if units.get(slider.description.strip()):
            continue
        # no unit: the label must state the slider's scale, or the slider is listed as unitless on purpose
        assert _states_its_range(slider) or (entry.name, name) in UNITLESS_BY_DESIGN, (
            f"{entry.name}: no unit for {slider.description!r} and no scale matching {slider.min}-{slider.max}")


def test_unitless_sliders_listed_on_purpose_still_exist(built):
    # an entry left behind after a control is renamed or given a unit would hide the next one
    present = {(entry.name, name) for entry in LABS for name in _sliders(built(entry))}
    assert UNITLESS_BY_DESIGN <= present


def test_the_registered_labs_hold_at_least_the_sliders_the_course_had(built):
    # the parametrised tests above check every slider of every registered lab; this guards the total
    counted = sum(len(_sliders(built(entry))) for entry in LABS)
    assert counted >= SLIDER_FLOOR, f"{counted} sliders in the registered labs, fewer than {SLIDER_FLOOR}"


@each_lab
def test_lab_units_are_spelled_out_never_abbreviated(entry, built):
    for description, unit in _helpers(built(entry).view)[0].units.items():
        assert not re.search(r"\b(pA|ms|mS|uA|Hz|cm2|mm)\b|%", unit), (entry.name, description, unit)


# ----------------------------------------------------------------------------- readout

def test_readout_is_plain_escaped_text_without_a_new_live_region_each_time():
    lab = ThresholdDemoLab()
    widget = lab.readout
    lab.set_readout("Threshold 3 <now> & then")
    assert widget.value == "Threshold 3 &lt;now&gt; &amp; then"
    lab.set_readout("Threshold 4")
    assert lab.readout is widget  # the same widget: the browser keeps the same element
    assert "aria-live" not in widget.value and "<span" not in widget.value
    assert "course-lab-readout" in widget._dom_classes  # the class the browser helper marks live


def test_a_slider_change_still_updates_the_readout_text():
    lab = ThresholdDemoLab()
    lab.controls["threshold"].value = 3.0
    first = lab.readout.value
    lab.controls["threshold"].value = 8.0
    assert lab.readout.value != first and "Threshold 8" in lab.readout.value


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

