"""No lab sends plotly's "leave unchanged" placeholder to the browser.

Inside one ``batch_update`` plotly sends one message for all the traces touched, with a value per
trace for every property any of them changed; a trace whose property did not change gets the
``Undefined`` placeholder, and the browser may then drop that property (notebook 06's case lab lost
a line's y in the browser test). ``CourseFigureWidget`` fills such messages in; here every lab of the
registry (course_lib.lab_registry) is driven through its walk (every control change the benchmark
times) and each message that goes on the wire (the synced ``_py2js_update`` / ``_py2js_restyle``
traits) is checked.
"""

from __future__ import annotations

import pytest
from plotly.basedatatypes import Undefined

import numpy as np

from course_lib.figures.figure_widget import CourseFigureWidget, fill_placeholder_restyle
from course_lib.lab_registry import LABS


def _placeholders(style_data: dict | None) -> list[str]:
    return [prop for prop, values in (style_data or {}).items()
            if isinstance(values, list) and any(v is Undefined for v in values)]


@pytest.mark.parametrize("entry", LABS, ids=lambda entry: entry.name)
def test_no_message_leaves_a_trace_property_to_the_placeholder(entry):
    class_name = entry.name
    lab = entry.factory()
    sent: list[list[str]] = []

    def record(change):
        message = change["new"]
        if message:
            sent.append(_placeholders(message.get("style_data") or message.get("restyle_data")))

    lab.figure.observe(record, names=["_py2js_update", "_py2js_restyle"])
    entry.prepare(lab)
    for change in entry.changes:
        for name, value in change.items():
            lab.controls[name].value = value
        assert lab.last_error is None, f"{class_name} failed at {change}: {lab.last_error}"
    assert sent, f"{class_name}: no figure message at all (the sweep moved nothing?)"
    bad = [props for props in sent if props]
    assert not bad, f"{class_name}: {len(bad)} of {len(sent)} messages carry placeholders: {bad[:3]}"


def test_fill_keeps_every_new_value_and_puts_back_what_each_trace_holds():
    traces = [{"x": [1, 2], "y": [3, 4]}, {"x": [0], "line": {"color": "red"}}, {"y": [9]}]
    style = {"x": [[5, 6], Undefined, Undefined], "line.color": [Undefined, "blue", Undefined]}
    assert fill_placeholder_restyle(style, [0, 1, 2], traces) == {
        "x": [[5, 6], [0], None],                  # trace 2 has no x: None is plotly's default
        "line.color": [None, "blue", None]}
    assert fill_placeholder_restyle({"y": [[1], [2]]}, [0, 1], traces) is None   # nothing to fill
    assert fill_placeholder_restyle({"opacity": 0.5}, [0, 1], traces) is None     # one value for all


def test_a_batch_update_stays_one_message_without_placeholders():
    fig = CourseFigureWidget(data=[{"type": "scatter", "x": [0, 1], "y": [0, 1]},
                                   {"type": "scatter", "x": [0, 1], "y": [5, 6]}])
    sent = []
    fig.observe(lambda change: sent.append(change["new"]) if change["new"] else None,
                names=["_py2js_update", "_py2js_restyle"])
    with fig.batch_update():
        fig.data[0].y = [2, 3]
        fig.data[1].x = [7, 8]
    assert len(sent) == 1, f"{len(sent)} messages for one batch update (each is a redraw)"
    style = sent[0].get("style_data") or sent[0].get("restyle_data")
    np.testing.assert_array_equal(style["y"][1], [5, 6])   # trace 1's own y, not a placeholder
    np.testing.assert_array_equal(style["x"][0], [0, 1])
    np.testing.assert_array_equal(fig.data[1].y, [5, 6])
