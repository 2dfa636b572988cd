"""Update several traces of a FigureWidget without losing data in the browser.

Why this exists (checked in JupyterLab 4.6 with plotly 7.1 and ipywidgets 8.1, headless
Chromium): inside one ``fig.batch_update()`` plotly sends ONE restyle message for all the traces
touched, with a value per trace for every property any of them changed. A trace whose property
did not change gets the placeholder ``Undefined`` for it, and the browser then drops that
property: e.g. set ``x`` and ``y`` of two traces where only one trace's ``y`` changed, and the
other trace's ``y`` disappears on screen (plotly draws it at y = 0, 1, ...) while Python still
holds the right numbers. Tests that read ``fig.data`` cannot see this.

The fix here: compare each new value with what the trace holds, keep only real changes, and send
one batch per group of traces that change the same set of properties, so no message ever carries
a placeholder. Most updates are one or two groups, i.e. one or two redraws.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np


def _equal(current: Any, new: Any) -> bool:
    if current is None or new is None:
        return current is None and new is None
    if isinstance(new, (str, int, float, bool)) or isinstance(current, (str, int, float, bool)):
        return current == new
    a, b = np.asarray(current), np.asarray(new)
    return a.shape == b.shape and bool(np.array_equal(a, b))


def update_traces(fig, updates: Mapping[int, Mapping[str, Any]]) -> int:
    """Set ``fig.data[i].<prop> = value`` for ``updates = {i: {prop: value}}`` safely.

    Must not be called inside another ``batch_update`` (that would merge the groups again).
    Returns how many restyle batches were sent (0 when nothing changed).
    """
    groups: dict[frozenset[str], dict[int, dict[str, Any]]] = {}
    for index, props in updates.items():
        trace = fig.data[index]
        changed = {k: v for k, v in props.items() if not _equal(trace[k], v)}
        if changed:
            groups.setdefault(frozenset(changed), {})[index] = changed
    for group in groups.values():
        with fig.batch_update():
            for index, props in group.items():
                for name, value in props.items():
                    fig.data[index][name] = value
    return len(groups)


__all__ = ["update_traces"]
