"""Parameter checks shared by every model.

Every model's frozen parameter dataclass calls :func:`check_range` for each field in its
``validate()`` method, so a learner who types a bad value sees one clear message naming the
parameter, the value and the allowed range, instead of a NaN-filled plot.
"""

from __future__ import annotations

import math
from dataclasses import fields
from typing import Any


def check_range(name: str, value: Any, low: float, high: float) -> float:
    """Return ``value`` as a float if it is finite and within [low, high]; raise otherwise.

    Raises ValueError with a message of the form
    ``"g_na_sub_mS_cm2 = nan is not allowed: it must be a finite number from 0 to 30"``.
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} = {value!r} is not allowed: it must be a number from {low:g} to {high:g}"
        ) from None
    if not math.isfinite(number) or number < low or number > high:
        raise ValueError(
            f"{name} = {value!r} is not allowed: it must be a finite number from {low:g} to {high:g}"
        )
    return number


def validate_fields(params: Any, ranges: dict[str, tuple[float, float]]) -> None:
    """Check every dataclass field of ``params`` that has an entry in ``ranges``.

    A field without an entry is a programming error (a new field whose range nobody
    decided), so it raises too: ranges must be stated, not forgotten.
    """
    for f in fields(params):
        if f.name not in ranges:
            raise KeyError(f"no allowed range declared for parameter {f.name!r}")
        low, high = ranges[f.name]
        check_range(f.name, getattr(params, f.name), low, high)
