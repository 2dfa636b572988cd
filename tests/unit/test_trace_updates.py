"""update_traces: real changes only, in one redraw, and no message reaching the browser may carry a
placeholder for a property a trace did not change (the browser drops it; see trace_updates.py and
CourseFigureWidget._send_update_msg)."""

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from plotly.basedatatypes import Undefined

from course_lib.figures.figure_widget import CourseFigureWidget
from course_lib.figures.trace_updates import update_traces


def _sender(method: str) -> type:
    """The class after CourseFigureWidget that sends ``method``'s message to the browser."""
    return next(c for c in CourseFigureWidget.__mro__[1:] if method in vars(c))


@pytest.fixture
def wire(monkeypatch):
    """What CourseFigureWidget hands to plotly's transport: (restyle data, trace indexes) per message."""
    sent = []

    def record(self, restyle_data=None, *args, **kwargs):
        sent.append((dict(restyle_data or {}), []))

    for method in ("_send_update_msg", "_send_restyle_msg"):
        monkeypatch.setattr(_sender(method), method, record)
    return sent


def figure(cls=CourseFigureWidget, n_traces=3):
    fig = cls()
    for i in range(n_traces):
        fig.add_scatter(x=np.arange(3.0), y=np.full(3, float(i)))
    return fig


def placeholders(sent):
    return [(prop, idx) for data, idx in sent for prop, values in data.items()
            if isinstance(values, list) and any(v is Undefined for v in values)]


def test_a_plain_figure_widget_sends_a_placeholder_this_is_the_bug_being_avoided(monkeypatch):
    sent = []
    fig = figure(go.FigureWidget)
    monkeypatch.setattr(fig, "_send_update_msg", lambda restyle_data=None, *a, **k:
                        sent.append((dict(restyle_data or {}), [])))
    with fig.batch_update():
        fig.data[0].y = np.array([5.0, 5.0, 5.0])     # y changes for trace 0 only
        fig.data[1].x = np.array([1.0, 2.0, 3.0])     # x changes for trace 1 only
    assert placeholders(sent)


def test_update_traces_sends_one_message_without_placeholders_and_sets_every_value(wire):
    fig = figure()
    n = update_traces(fig, {0: {"x": np.arange(3.0), "y": np.array([5.0, 5.0, 5.0])},
                            1: {"x": np.array([1.0, 2.0, 3.0]), "y": np.full(3, 1.0)},
                            2: {"x": np.arange(3.0), "y": np.full(3, 2.0)}})
    assert n == 1 and len(wire) == 1 and not placeholders(wire)
    assert np.array_equal(fig.data[0].y, [5, 5, 5]) and np.array_equal(fig.data[1].x, [1, 2, 3])
    assert np.array_equal(fig.data[1].y, [1, 1, 1]) and np.array_equal(fig.data[2].y, [2, 2, 2])


def test_nothing_changed_sends_nothing(wire):
    fig = figure()
    assert update_traces(fig, {0: {"x": np.arange(3.0), "y": np.zeros(3)}}) == 0
    assert wire == []


arrays = st.lists(st.integers(0, 3), min_size=0, max_size=4).map(lambda v: np.array(v, dtype=float))


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.integers(0, 2), st.fixed_dictionaries({"x": arrays, "y": arrays}), max_size=3))
def test_any_update_lands_exactly_in_at_most_one_message_with_no_placeholder(updates):
    with pytest.MonkeyPatch.context() as monkeypatch:
        sent = []
        for method in ("_send_update_msg", "_send_restyle_msg"):
            monkeypatch.setattr(_sender(method), method,
                                lambda self, restyle_data=None, *a, **k: sent.append((dict(restyle_data or {}), [])))
        fig = figure()
        update_traces(fig, updates)
        assert len(sent) <= 1 and not placeholders(sent)
        for index, props in updates.items():
            for name, value in props.items():
                assert np.array_equal(np.asarray(fig.data[index][name], dtype=float), value)
