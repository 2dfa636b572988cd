"""Input checks shared by every model.

Every model's frozen parameter dataclass calls :func:`check_range` for each field in its
``validate()`` method, and every public model function checks its other arguments with the
helpers below, so a learner who types a bad value sees one clear message naming the
parameter, the value and what is allowed, instead of a NaN-filled plot or a silent
misreading (``nmda_on="no"`` is a non-empty string, so plain Python would take it as True).
All of them raise ValueError.

Parameter sets check themselves when they are built: every parameter dataclass inherits
:class:`Validated`, whose ``__post_init__`` calls the class's ``validate()``, so
``TimelineParams(months_untreated=nan)`` (or a ``dataclasses.replace`` with a bad value) fails
at once, naming the field. A test that needs a bad parameter set on purpose, to check that a
model function refuses one it is handed, builds it with :func:`unchecked`.
"""

from __future__ import annotations

import math
from dataclasses import fields
from numbers import Integral, Real
from typing import Any

import numpy as np


def _is_number(value: Any) -> bool:
    """True for real numbers (int, float, numpy numbers); False for bool, str, None, ..."""
    kind = type(value)
    if kind is float or kind is int:          # the common case, without the slower ABC checks
        return True
    return isinstance(value, (Real, np.number)) and not isinstance(value, (bool, np.bool_))


def check_range(name: str, value: Any, low: float, high: float) -> float:
    """Return ``value`` as a float if it is a finite number within [low, high]; raise otherwise.

    Raises ValueError with a message of the form
    ``"g_na_sub_mS_cm2 = nan is not allowed: it must be a finite number from 0 to 30"``.
    Strings, None and True/False are not numbers here, even when Python could convert them.
    """
    if not _is_number(value):
        raise ValueError(
            f"{name} = {value!r} is not allowed: it must be a number from {low:g} to {high:g}"
        )
    number = float(value)
    if not math.isfinite(number) or number < low or number > high:
        raise ValueError(
            f"{name} = {value!r} is not allowed: it must be a finite number from {low:g} to {high:g}"
        )
    return number


def check_positive(name: str, value: Any, high: float = math.inf) -> float:
    """A finite number above 0 (and at most ``high``): tolerances, step sizes, widths."""
    if not _is_number(value) or not math.isfinite(float(value)) or not 0.0 < float(value) <= high:
        limit = "" if math.isinf(high) else f" and at most {high:g}"
        raise ValueError(f"{name} = {value!r} is not allowed: it must be a finite number above 0{limit}")
    return float(value)


def check_int(name: str, value: Any, low: int, high: int) -> int:
    """A whole number within [low, high] (2.0 is accepted as 2; 2.5, True and '2' are not)."""
    whole = isinstance(value, (Integral, np.integer)) and not isinstance(value, (bool, np.bool_))
    if not whole and _is_number(value) and math.isfinite(float(value)):
        whole = float(value).is_integer()
    if not whole or not low <= value <= high:
        raise ValueError(f"{name} = {value!r} is not allowed: it must be a whole number from {low} to {high}")
    return int(value)


def check_bool(name: str, value: Any) -> bool:
    """True or False only (not 'no', 0 or None, which Python would quietly read as a truth value)."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} = {value!r} is not allowed: it must be True or False")
    return bool(value)


def check_choice(name: str, value: Any, choices: tuple) -> Any:
    """One of ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} = {value!r} is not allowed: it must be one of {list(choices)}")
    return value


def check_array(name: str, values: Any, low: float, high: float, ndim: int | None = None,
                allow_empty: bool = True) -> np.ndarray:
    """A float array of finite numbers within [low, high] (1-D if ``ndim`` = 1)."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers from {low:g} to {high:g}, got {values!r:.80}") from None
    if np.asarray(values).dtype.kind in "bUSO" and np.asarray(values).size:
        raise ValueError(f"{name} must be numbers from {low:g} to {high:g}, not {np.asarray(values).dtype} values")
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array of numbers, got shape {array.shape}")
    if not allow_empty and array.size == 0:
        raise ValueError(f"{name} must not be empty")
    if array.size and (not np.all(np.isfinite(array)) or array.min() < low or array.max() > high):
        raise ValueError(f"{name} must hold finite numbers from {low:g} to {high:g}")
    return array


def check_instance(name: str, value: Any, kind: type) -> Any:
    """``value`` must be a ``kind`` (a model result handed back to a metric, for example)."""
    if not isinstance(value, kind):
        raise ValueError(f"{name} = {value!r:.80} is not allowed: it must be a {kind.__name__}")
    return value


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


class Validated:
    """Mixin for a parameter dataclass: ``validate()`` runs on construction.

    The dataclass's generated ``__init__`` (also used by ``dataclasses.replace``) calls
    ``__post_init__``, which calls the class's own ``validate()``: one mechanism for every
    parameter set, instead of a copy in each class.
    """

    __slots__ = ()

    def __post_init__(self) -> None:
        self.validate()

    def validate(self):                    # every subclass states its own ranges
        raise NotImplementedError(f"{type(self).__name__} must define validate()")


def unchecked(base: Any, **changes: Any) -> Any:
    """A copy of the dataclass instance ``base`` with ``changes``, built WITHOUT validation.

    For tests only: it makes the bad parameter set a model function must refuse when it is
    handed one (``unchecked(TimelineParams(), months_untreated=nan)``), which the normal
    constructor no longer lets anyone build.
    """
    names = {f.name for f in fields(base)}
    unknown = set(changes) - names
    if unknown:
        raise TypeError(f"{type(base).__name__} has no fields {sorted(unknown)}")
    new = object.__new__(type(base))
    for name in names:
        object.__setattr__(new, name, changes.get(name, getattr(base, name)))
    return new


_DEFAULTS: dict = {}


def params_or_default(name: str, params: Any, kind: type) -> Any:
    """``kind()`` (the published defaults, built once) when ``params`` is None, else
    :func:`check_params` of it: the common ``params=None`` argument of a model function."""
    if params is None:
        default = _DEFAULTS.get(kind)
        if default is None:
            default = _DEFAULTS[kind] = kind()
        return default
    return check_params(name, params, kind)


_KNOWN_VALID: set = set()


def check_params(name: str, params: Any, kind: type) -> Any:
    """``params`` must be a ``kind`` instance; it is then validated (and returned).

    Frozen parameter sets that passed once are remembered (a rheobase search checks the same
    set dozens of times); one with a NaN field never compares equal, so it is never skipped.
    """
    if not isinstance(params, kind):
        raise ValueError(f"{name} = {params!r:.80} is not allowed: it must be a {kind.__name__}")
    try:
        if params in _KNOWN_VALID:
            return params
    except TypeError:                          # an unhashable (unfrozen) look-alike
        params.validate()
        return params
    params.validate()
    if len(_KNOWN_VALID) > 10_000:
        _KNOWN_VALID.clear()
    _KNOWN_VALID.add(params)
    return params
