"""Connect a lab to a predict-then-observe quiz question.

The learner commits a prediction in the quiz, then runs the lab; the lab's result is handed to the
question, which shows the prediction beside the model's answer. A question usually asks about one
particular setting ("what happens if the cause is removed at 9 months?"), so a result is handed in
only while the lab's controls match that setting; otherwise the comparison would be about a
different experiment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .base import Lab

#: A condition on one control: an exact value, or an inclusive (low, high) range.
Condition = Any


def controls_match(lab: Lab, when: Mapping[str, Condition] | None) -> bool:
    """True when every named control of ``lab`` has the value, or lies in the range, given."""
    for name, wanted in (when or {}).items():
        value = lab.value(name)
        if isinstance(wanted, tuple):
            low, high = wanted
            if not low <= value <= high:
                return False
        elif value != wanted:
            return False
    return True


def connect_prediction(
    lab: Lab,
    question_id: str,
    when: Mapping[str, Condition] | None = None,
    value_of: Callable[[Lab], Any] | None = None,
) -> None:
    """Hand ``lab``'s results to predict question ``question_id`` whenever its controls match ``when``.

    ``value_of(lab)`` picks the number to compare, when it is not the value the lab publishes.
    Example (in a notebook)::

        connect_prediction(duration_lab, "predict_late_removal", when={"months_untreated": (9, 24)})
    """
    from ..quiz import observe  # the quiz sits beside the labs; imported only when connecting

    unknown = set(when or {}) - set(lab.controls)
    if unknown:
        raise KeyError(f"unknown control(s) {sorted(unknown)} in when=; this lab has {sorted(lab.controls)}")

    def send(value: Any, description: str) -> None:
        if controls_match(lab, when):
            observe(question_id, value_of(lab) if value_of else value, description)

    lab.on_result(send)
    if lab.last_published is not None:  # the lab ran once already when it was built
        send(*lab.last_published)
