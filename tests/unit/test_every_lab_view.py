"""Every lab's view is found as a lab in the page: the ``course-lab`` class and the keyboard helper.

The keyboard helper, the course's CSS and the browser tests all find a lab by its ``course-lab``
class; the care-plan builder once rebuilt its view in a new box without it, and so was skipped by
the keyboard test without anyone noticing.
"""

from __future__ import annotations

import sys

import ipywidgets as widgets
import pytest

from course_lib.syllabus import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "benchmarks"))

import labs  # noqa: E402


def _descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


@pytest.mark.parametrize("class_name", sorted(labs.LAB_SETTINGS))
def test_the_lab_view_carries_the_lab_class_and_the_keyboard_helper(class_name):
    from course_lib.widgets.a11y import CourseAccess

    cls = labs.discover_labs()[class_name]
    setting = labs.LAB_SETTINGS[class_name]
    lab = (setting.factory or cls)()
    assert isinstance(lab.view, widgets.Box)
    assert "course-lab" in lab.view._dom_classes
    inside = list(_descendants(lab.view))
    assert sum(isinstance(w, CourseAccess) for w in inside) == 1
    assert lab.figure in inside and lab.readout in inside
