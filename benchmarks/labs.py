"""Every lab's benchmark setting, and the Python-side slider latency of each (used by run.py).

A lab is any subclass of ``course_lib.widgets.base.Lab``. :func:`discover_labs` imports every module
of ``course_lib.widgets`` and collects the subclasses, so a lab added later is found without touching
this file; :func:`lab_latency` then fails loudly if one has no entry in :data:`LAB_SETTINGS`. That is a
benchmark failure, not a test failure: add a setting (which control to move, through which values).

Latency is the wall time of ``lab.controls[name].value = v``: the observe chain, the model run, the
figure's batch update and the readout, as one slider step in a notebook (without the round trip to
the browser, which browser_bench.py measures).
"""

from __future__ import annotations

import importlib
import pkgutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class LabSetting:
    """How to benchmark one lab: its report key, how to build it, and the control changes to time."""

    key: str  # name in the report, e.g. "channel_lab"
    changes: list[dict]  # successive {control: value} changes; walked in order, wrapping around
    factory: Callable[[], object] | None = None  # default: the class with no arguments
    prepare: Callable[[object], None] = field(default=lambda lab: None)  # run once before the warm-up


def _balance_prepare(lab) -> None:
    # build the AHP map too, so the sweep measures updates and not the one-off map
    lab.controls["ahp"].value = True
    lab.controls["ahp"].value = False


def _mystery():
    from course_lib.widgets.mystery_neuron import MysteryNeuronLab

    return MysteryNeuronLab(seed=1)


def _values(name: str, values) -> list[dict]:
    # numbers are rounded (a slider's float steps); choices and ticks are passed as they are
    return [{name: v if isinstance(v, (str, bool, np.bool_)) else round(float(v), 4)} for v in values]


#: Lab class name -> benchmark setting. Sliders walk through new values, so caches of earlier
#: settings rarely help.
LAB_SETTINGS: dict[str, LabSetting] = {
    "ThresholdDemoLab": LabSetting("demo_threshold", _values("threshold", 1.0 + (np.arange(50) % 16) * 0.5)),
    "ChannelLab": LabSetting("channel_lab", _values("nav18", np.arange(60.0, 165.0, 5.0))
                             + _values("kdr", np.arange(70.0, 200.0, 5.0))
                             + _values("amplitude", np.arange(0.0, 500.0, 20.0))),
    "BalanceLab": LabSetting("balance_lab", _values("g_k_sub", np.arange(0.0, 10.0, 0.3).round(1))
                             + _values("g_na_sub", np.arange(0.0, 10.0, 0.3).round(1))
                             + _values("amplitude", np.arange(0.0, 200.0, 8.0)),
                             prepare=_balance_prepare),
    "MysteryNeuronLab": LabSetting("mystery_neuron", _values("amplitude", np.arange(0.0, 500.0, 10.0)),
                                   factory=_mystery),
    "DurationLab": LabSetting("duration_lab", _values("months_untreated", np.arange(0.0, 24.01, 1.5))),
    "WindupLab": LabSetting("windup_lab", _values("frequency_hz", np.arange(0.1, 2.01, 0.3).round(1))),
    "GateLab": LabSetting("gate_lab", _values("inhibition", np.arange(0.0, 0.301, 0.03).round(2))),
    # notebook 04
    "CauseLab": LabSetting("cause_lab", _values("treat_month", np.arange(0.0, 60.0, 2.5))
                           + _values("cause", ["diabetes", "trapped nerve", "shingles", "chemotherapy"])),
    "RegrowthLab": LabSetting("regrowth_lab", _values("distance_mm", np.arange(10.0, 600.0, 20.0))
                              + _values("week_shown", np.arange(0.0, 104.0, 4.0))),
    "ReversalLab": LabSetting("reversal_lab", _values("months_sensitised", np.arange(0.0, 48.0, 2.0))),
    # the trial lab caches each virtual trial: after the first visit a setting costs only the redraw
    "TrialLab": LabSetting("trial_lab", _values("after_stopping", [True, False] * 10)
                           + _values("placebo", [False, True] * 10)),
    # notebook 05
    "WhereItActsLab": LabSetting("where_it_acts_lab", _values("snri", [True, False] * 15)
                                 + _values("mood", np.arange(0.0, 1.0, 0.05).round(2))),
    "IconArrayLab": LabSetting("icon_array_lab", _values("drug", ["tca", "snri", "pregabalin", "gabapentin",
                                                                  "tramadol", "strong_opioids"] * 4)),
    "GoalsLab": LabSetting("goals_lab", _values("pain_reduction", np.arange(-40.0, 100.0, 5.0))),
    "CarePlanLab": LabSetting("care_plan_lab", _values("goal_walk_further", [True, False] * 15)),
}


def discover_labs() -> dict[str, type]:
    """Every concrete Lab subclass defined in course_lib.widgets, by class name."""
    import course_lib.widgets as package
    from course_lib.widgets.base import Lab

    for info in pkgutil.iter_modules(package.__path__, prefix=package.__name__ + "."):
        importlib.import_module(info.name)
    found, todo = {}, list(Lab.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith(package.__name__):
            found[cls.__name__] = cls
    return found


def key_for_class(class_name: str) -> str:
    """The report key of a lab class (falls back to the class name for an unregistered lab)."""
    setting = LAB_SETTINGS.get(class_name)
    return setting.key if setting else class_name


def uncovered_labs() -> list[str]:
    return sorted(set(discover_labs()) - set(LAB_SETTINGS))


def percentiles(samples_ms: list[float]) -> dict:
    """p50 and p95 (nearest rank) of milliseconds, and the sample count."""
    ordered = sorted(samples_ms)
    p95_index = max(0, min(len(ordered) - 1, int(np.ceil(0.95 * len(ordered))) - 1))
    return {"p50": round(float(np.median(ordered)), 2), "p95": round(float(ordered[p95_index]), 2),
            "n": len(ordered)}


def _sweep(lab, changes: list[dict], n: int) -> list[float]:
    samples = []
    for k in range(n):
        name, value = next(iter(changes[k % len(changes)].items()))
        control = lab.controls[name]
        start = time.perf_counter()
        control.value = value
        samples.append((time.perf_counter() - start) * 1000.0)
        if lab.last_error is not None:
            raise RuntimeError(f"{type(lab).__name__} failed at {name}={value!r}: {lab.last_error}")
    return samples


def lab_latency(n: int = 50) -> dict:
    """Per lab: p50/p95 (ms) of one control change until the figure data is updated, and build time."""
    labs = discover_labs()
    missing = uncovered_labs()
    if missing:
        raise RuntimeError(
            f"no benchmark setting for the lab(s) {missing}: add each to LAB_SETTINGS in benchmarks/labs.py "
            "(which control to move, through which values)")
    out = {}
    for class_name, cls in sorted(labs.items()):
        setting = LAB_SETTINGS[class_name]
        start = time.perf_counter()
        lab = (setting.factory or cls)()
        build_ms = (time.perf_counter() - start) * 1000.0
        setting.prepare(lab)
        _sweep(lab, setting.changes[-3:], 3)  # warm-up: numba cache, plotly validators
        out[setting.key] = {**percentiles(_sweep(lab, setting.changes, n)), "build_ms": round(build_ms, 1)}
    return out
