"""No lab sends plotly's "leave unchanged" placeholder to the browser.

Inside one ``batch_update`` plotly sends one message for all the traces touched, with a value per
trace for every property any of them changed; a trace whose property did not change gets the
``Undefined`` placeholder, and the browser may then drop that property (notebook 06's case lab lost
a line's y in the browser test). ``CourseFigureWidget`` splits such messages; here every lab is
driven through its benchmark setting (every control the benchmark moves) and each message that goes
on the wire (the synced ``_py2js_update`` / ``_py2js_restyle`` traits) is checked.
"""

from __future__ import annotations

import sys

import pytest
from plotly.basedatatypes import Undefined

from course_lib.figures.figure_widget import split_placeholder_restyle
from course_lib.syllabus import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "benchmarks"))

import labs  # noqa: E402


def _placeholders(style_data: dict | None) -> list[str]:
    return [prop for prop, values in (style_data or {}).items()
            if isinstance(values, list) and any(v is Undefined for v in values)]


@pytest.mark.parametrize("class_name", sorted(labs.LAB_SETTINGS))
def test_no_message_leaves_a_trace_property_to_the_placeholder(class_name):
    cls = labs.discover_labs()[class_name]
    setting = labs.LAB_SETTINGS[class_name]
    lab = (setting.factory or cls)()
    sent: list[list[str]] = []

    def record(change):
        message = change["new"]
        if message:
            sent.append(_placeholders(message.get("style_data") or message.get("restyle_data")))

    lab.figure.observe(record, names=["_py2js_update", "_py2js_restyle"])
    setting.prepare(lab)
    for change in setting.changes:
        for name, value in change.items():
            lab.controls[name].value = value
        assert lab.last_error is None, f"{class_name} failed at {change}: {lab.last_error}"
    assert sent, f"{class_name}: no figure message at all (the sweep moved nothing?)"
    bad = [props for props in sent if props]
    assert not bad, f"{class_name}: {len(bad)} of {len(sent)} messages carry placeholders: {bad[:3]}"


def test_split_keeps_every_value_and_groups_traces_by_what_they_set():
    style = {"x": [[1, 2], Undefined, [5, 6]], "y": [[3, 4], [7, 8], Undefined]}
    parts = split_placeholder_restyle(style, [0, 2, 5])
    assert parts == [({"x": [[1, 2]], "y": [[3, 4]]}, [0]), ({"y": [[7, 8]]}, [2]),
                     ({"x": [[5, 6]]}, [5])]
    assert split_placeholder_restyle({"y": [[1], [2]]}, [0, 1]) is None       # nothing to split
    assert split_placeholder_restyle({"opacity": 0.5}, [0, 1]) is None         # one value for all
