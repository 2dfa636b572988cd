"""Update several traces of a course figure in one redraw, sending only what changed.

Inside one ``fig.batch_update()`` plotly sends ONE restyle message for all the traces touched, with
a value per trace for every property any of them changed; a trace whose property did not change gets
the placeholder ``Undefined``, and the browser then drops that property. The course's figure widget
fixes that in transport (``CourseFigureWidget._send_update_msg`` fills each placeholder with the
value the trace already holds), so one batch is safe and costs one redraw. What this helper adds is
economy: a value equal to what the trace holds is not sent at all.
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
    """Set ``fig.data[i].<prop> = value`` for ``updates = {i: {prop: value}}``, real changes only,
    in one batch (``fig`` is a ``CourseFigureWidget``, whose transport fills plotly's placeholders).

    Returns how many restyle batches were sent: 1, or 0 when nothing changed.
    """
    changed = {index: {k: v for k, v in props.items() if not _equal(fig.data[index][k], v)}
               for index, props in updates.items()}
    changed = {index: props for index, props in changed.items() if props}
    if not changed:
        return 0
    with fig.batch_update():
        for index, props in changed.items():
            for name, value in props.items():
                fig.data[index][name] = value
    return 1


__all__ = ["update_traces"]
