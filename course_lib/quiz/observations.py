"""How a lab hands its result to a predict-then-observe question. No widgets, no lab imports.

A lab (any lab, in any layer) reports with one plain call::

    from course_lib.quiz import observe
    observe("nav18_off_spikes", n_spikes, description="Nav1.8 off, 400 pA step: 1 spike")

The result is stored here and passed to every live question session with that id. The quiz
never imports a lab and a lab never imports a quiz widget: this module is the only meeting
point, and it takes a value and a sentence.
"""

from __future__ import annotations

import logging
import math
import weakref
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Observation:
    """A lab's result: a number or an option id, and a sentence saying what was run."""

    value: float | int | str
    description: str
    at: str


_latest: dict[tuple[str, str], Observation] = {}
_sessions: dict[tuple[str, str], weakref.WeakSet] = {}


def register(notebook: str, question_id: str, session: Any) -> None:
    """Called by a PredictSession so that later observations reach it."""
    _sessions.setdefault((notebook, question_id), weakref.WeakSet()).add(session)


def latest(notebook: str, question_id: str) -> Observation | None:
    return _latest.get((notebook, question_id))


def _plain_value(value: Any) -> float | int | str:
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, (str, bytes)):
        value = item()  # numpy scalar or 0-d array -> Python scalar, JSON-safe
    if isinstance(value, bool):
        raise TypeError("observe() needs a number or an option id, not True/False")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"observe() got a non-finite number ({value!r})")
        return value
    if isinstance(value, str):
        return value
    raise TypeError(f"observe() needs a number or an option id, got {type(value).__name__}")


def _resolve_notebook(question_id: str) -> str:
    """Find which notebook's predict question has this id (ids are unique across banks)."""
    owners = {nb for (nb, qid) in _sessions if qid == question_id}
    from .loader import available_banks, load_bank
    from .schema import BankError

    for name in available_banks():
        try:
            bank = load_bank(name)
        except (BankError, OSError):  # a broken bank elsewhere must not stop this lab
            continue
        if any(q.id == question_id and q.type == "predict" for q in bank.questions):
            owners.add(bank.notebook)
    if len(owners) == 1:
        return owners.pop()
    if not owners:
        raise KeyError(f"no predict question with id '{question_id}' in any question bank")
    raise KeyError(f"predict question id '{question_id}' is used in several notebooks "
                   f"({', '.join(sorted(owners))}); pass notebook=...")


def observe(question_id: str, value: Any, description: str = "",
            notebook: str | None = None) -> Observation:
    """Hand a lab's result to the predict question ``question_id``.

    ``value`` is a number (e.g. a spike count, a rheobase in pA) or the id of one of the
    question's options; ``description`` says in words what the lab ran. Questions showing
    on screen update at once; a question displayed later picks the result up. A failure
    inside a question's display is logged and never raised into the lab.
    """
    if notebook is None:
        notebook = _resolve_notebook(question_id)
    observation = Observation(_plain_value(value), str(description),
                              datetime.now(timezone.utc).isoformat(timespec="seconds"))
    key = (notebook, question_id)
    _latest[key] = observation
    for session in list(_sessions.get(key, ())):
        try:
            session.receive(observation)
        except Exception:  # the lab that reported must keep running whatever the quiz does
            log.exception("quiz question %s/%s failed to show an observation", *key)
    return observation


def forget(notebook: str | None = None) -> None:
    """Drop stored observations (all, or one notebook's); used by tests and by reset."""
    for key in [k for k in _latest if notebook is None or k[0] == notebook]:
        del _latest[key]
