"""update_traces: no restyle message may carry a placeholder for a property a trace did not change
(the browser drops that property; see course_lib/figures/trace_updates.py)."""

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from plotly.basedatatypes import Undefined

from course_lib.figures.trace_updates import update_traces


def recording_figure(n_traces=3):
    fig = go.FigureWidget()
    for i in range(n_traces):
        fig.add_scatter(x=np.arange(3.0), y=np.full(3, float(i)))
    sent = []
    original = fig.plotly_update

    def record(restyle_data=None, relayout_data=None, trace_indexes=None, **kwargs):
        sent.append((dict(restyle_data or {}), list(trace_indexes or [])))
        return original(restyle_data=restyle_data, relayout_data=relayout_data,
                        trace_indexes=trace_indexes, **kwargs)

    fig.plotly_update = record
    return fig, sent


def placeholders(sent):
    return [(prop, idx) for data, idx in sent for prop, values in data.items()
            if isinstance(values, list) and any(v is Undefined for v in values)]


def test_a_plain_batch_sends_a_placeholder_this_is_the_bug_being_avoided():
    fig, sent = recording_figure()
    with fig.batch_update():
        fig.data[0].y = np.array([5.0, 5.0, 5.0])     # y changes for trace 0 only
        fig.data[1].x = np.array([1.0, 2.0, 3.0])     # x changes for trace 1 only
    assert placeholders(sent)


def test_update_traces_sends_no_placeholder_and_sets_every_value():
    fig, sent = recording_figure()
    n = update_traces(fig, {0: {"x": np.arange(3.0), "y": np.array([5.0, 5.0, 5.0])},
                            1: {"x": np.array([1.0, 2.0, 3.0]), "y": np.full(3, 1.0)},
                            2: {"x": np.arange(3.0), "y": np.full(3, 2.0)}})
    assert n == 2 and not placeholders(sent)
    assert np.array_equal(fig.data[0].y, [5, 5, 5]) and np.array_equal(fig.data[1].x, [1, 2, 3])
    assert np.array_equal(fig.data[1].y, [1, 1, 1]) and np.array_equal(fig.data[2].y, [2, 2, 2])


def test_nothing_changed_sends_nothing():
    fig, sent = recording_figure()
    assert update_traces(fig, {0: {"x": np.arange(3.0), "y": np.zeros(3)}}) == 0
    assert sent == []


arrays = st.lists(st.integers(0, 3), min_size=0, max_size=4).map(lambda v: np.array(v, dtype=float))


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.integers(0, 2), st.fixed_dictionaries({"x": arrays, "y": arrays}), max_size=3))
def test_any_update_lands_exactly_and_never_with_a_placeholder(updates):
    fig, sent = recording_figure()
    update_traces(fig, updates)
    assert not placeholders(sent)
    for index, props in updates.items():
        for name, value in props.items():
            assert np.array_equal(np.asarray(fig.data[index][name], dtype=float), value)
