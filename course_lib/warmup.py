"""Compile the course's numba kernels once, at install time, so a learner's first run does not.

Every compiled model in ``course_lib.models`` uses ``@njit(cache=True)``: numba writes the machine
code it generates to an on-disk cache (``__pycache__`` beside the model's source, or
``NUMBA_CACHE_DIR`` when that is set) and later processes load it instead of compiling again.
Compiling all of them takes tens of seconds on a small machine; without a warm cache a learner pays
that inside the first notebook they open. ``make lab`` and Binder's ``postBuild`` run

    python -m course_lib.warmup

once, so that cost is paid while the environment is built.

How it stays complete: :data:`WARMUP_CALLS` runs each model's public entry point once, briefly
(short simulated times, a small cohort), with the same argument types the labs use, so numba
compiles exactly the specialisations a notebook will ask for. Afterwards :func:`warm_up` looks at
every numba kernel defined in ``course_lib.models`` (found by walking the package, so a kernel added
later is seen too) and fails loudly if one was never compiled: a new compiled model needs a line in
:data:`WARMUP_CALLS`.

Only models are imported here (numpy and numba): no plotly, no widgets.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import pkgutil
import sys
import time
from collections.abc import Callable

import course_lib.models as models_package


def _drg() -> None:
    from course_lib.models import drg
    from course_lib.models.stimulus import Step

    drg.simulate(drg.HEALTHY, Step(100.0, 5.0, 20.0), t_stop_ms=30.0)
    drg.simulate(drg.HEALTHY, Step(100.0, 5.0, 20.0), t_stop_ms=30.0, initial="modeldb",
                 stop_at_first_spike_after_ms=5.0)
    # the equilibrium solver behind the resting potential and the rheobase search's early stop
    drg.rest_info(drg.HEALTHY)
    drg.rheobase(drg.HEALTHY)


def _pathway() -> None:
    from course_lib.models import pathway

    # notebook 05's where-it-acts lab simulates every nerve it can show once, when it is built
    pathway.warm_nerve_cache()


def _excitability() -> None:
    from course_lib.models import excitability as ex
    from course_lib.models.stimulus import Step

    ex.simulate(ex.NEUROPATHIC, Step(50.0, 5.0, 20.0), t_stop_ms=30.0)
    # a noisy run compiles the Ornstein-Uhlenbeck noise kernel in stimulus.py too
    ex.simulate(ex.NEUROPATHIC, Step(50.0, 5.0, 20.0), t_stop_ms=30.0, noise_sd_uA_cm2=0.3, seed=1,
                stop_at_first_spike_after_ms=5.0)


def _dorsal_horn() -> None:
    import numpy as np

    from course_lib.models import dorsal_horn as dh

    params = dh.DorsalHornParams()
    dh.stimulus_trial(params, touch=1.0, noxious=1.0)
    dh.pulse_responses(params, np.array([0.5, 1.0]), kind="touch")


def _windup() -> None:
    from course_lib.models.windup import simulate_windup

    simulate_windup(frequency_hz=1.0, n_pulses=2)


def _sensitisation() -> None:
    import numpy as np

    from course_lib.models.sensitisation import SensitisationParams, simulate_sensitisation

    simulate_sensitisation(SensitisationParams(), np.zeros(5))


def _timeline() -> None:
    from course_lib.models.timeline import TimelineParams, run_timeline

    run_timeline(TimelineParams(follow_up_months=1.0))


def _cohort() -> None:
    from course_lib.models.cohort import CohortParams, run_cohort

    run_cohort(months=[1.0, 3.0], cohort=CohortParams(n_patients=4, follow_up_months=1.0))


def _excitability_rest_and_threshold() -> None:
    from course_lib.models import excitability as ex

    # the equilibrium search behind the fast rheobase and the resting potential
    ex.rheobase(ex.NORMAL)
    # the balance lab's (Na, K) map, cached on disk: the lab then builds in a fraction of a second
    ex.balance_map(0.0)


def _causes() -> None:
    from course_lib.models import causes

    causes.run_scenario("trapped nerve")
    causes.virtual_glycaemic_trial(diabetes_type=1, n_per_arm=20)
    causes.shingles_cohort(n_people=20)


def _gabapentinoid() -> None:
    from course_lib.models import gabapentinoid as gp

    gp.simulate_course()
    gp.virtual_drug_trial(gp.DrugTrialParams(n_per_arm=20))


def _reversal() -> None:
    from course_lib.models import reversal

    reversal.simulate_reversal()
    reversal.reversal_cohort(months=(1.0,), cohort=reversal.ReversalCohortParams(n_patients=10))


#: One short call per compiled model, named for the report. Same argument types as the labs use.
WARMUP_CALLS: tuple[tuple[str, Callable[[], None]], ...] = (
    ("drg", _drg),
    ("excitability", _excitability),
    ("dorsal_horn", _dorsal_horn),
    ("windup", _windup),
    ("sensitisation", _sensitisation),
    ("timeline", _timeline),
    ("cohort", _cohort),
    ("excitability rest and threshold", _excitability_rest_and_threshold),
    ("causes (notebook 04)", _causes),
    ("gabapentinoid (notebook 04)", _gabapentinoid),
    ("reversal (notebook 04)", _reversal),
    ("pathway (notebook 05)", _pathway),
)


@dataclasses.dataclass(frozen=True)
class KernelStatus:
    """One numba kernel after the warm-up: how many specialisations it has and where they came from."""

    name: str  # "course_lib.models.drg._integrate"
    n_signatures: int
    cache_hits: int  # specialisations loaded from the on-disk cache
    cache_misses: int  # specialisations compiled now (and written to the cache)
    cache_path: str


@dataclasses.dataclass(frozen=True)
class WarmupReport:
    seconds_per_call: dict[str, float]
    kernels: tuple[KernelStatus, ...]
    jit_enabled: bool

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds_per_call.values())

    @property
    def compiled_now(self) -> int:
        return sum(k.cache_misses for k in self.kernels)

    def summary(self) -> str:
        if not self.jit_enabled:
            return "numba's JIT is disabled (NUMBA_DISABLE_JIT=1): nothing to compile."
        lines = [f"Warmed {len(self.kernels)} compiled kernels in {self.total_seconds:.1f} s "
                 f"({self.compiled_now} compiled now, "
                 f"{sum(k.cache_hits for k in self.kernels)} loaded from numba's cache)."]
        lines += [f"  {name:<14} {seconds:6.2f} s" for name, seconds in self.seconds_per_call.items()]
        paths = sorted({k.cache_path for k in self.kernels})
        lines.append("Cache: " + ", ".join(paths))
        return "\n".join(lines)


def _is_numba_kernel(obj: object) -> bool:
    from numba.core.dispatcher import Dispatcher

    return isinstance(obj, Dispatcher)


def compiled_kernels() -> dict[str, object]:
    """Every numba kernel defined in a module of ``course_lib.models``, by dotted name.

    Kernels imported from another module are listed once, under the module that defines them.
    """
    found: dict[str, object] = {}
    for info in pkgutil.iter_modules(models_package.__path__, prefix=models_package.__name__ + "."):
        module = importlib.import_module(info.name)
        for attr, obj in vars(module).items():
            if _is_numba_kernel(obj) and obj.py_func.__module__ == module.__name__:
                found[f"{module.__name__}.{attr}"] = obj
    return found


def jit_enabled() -> bool:
    from numba.core import config

    return not config.DISABLE_JIT


def _never_compiled(statuses: list[KernelStatus], kernels: dict[str, object]) -> list[str]:
    """Kernels with no machine code of their own that no compiled kernel reaches.

    A kernel only called from other kernels is compiled into its callers; when the callers come
    from the on-disk cache it has no specialisation of its own, and that is fine. Reachability
    follows the global names each kernel's Python source refers to, through any depth of calls.
    """
    covered = {k.name for k in statuses if k.n_signatures > 0}
    changed = True
    while changed:
        changed = False
        names_used = set()
        for name in covered:
            names_used.update(kernels[name].py_func.__code__.co_names)
        for status in statuses:
            if status.name not in covered and status.name.rsplit(".", 1)[1] in names_used:
                covered.add(status.name)
                changed = True
    return [k.name for k in statuses if k.name not in covered]


def warm_up(calls: tuple[tuple[str, Callable[[], None]], ...] = WARMUP_CALLS) -> WarmupReport:
    """Run each warm-up call once and check that every compiled kernel now has machine code.

    Raises RuntimeError naming any kernel the calls never reached.
    """
    if not jit_enabled():
        return WarmupReport({}, (), jit_enabled=False)
    seconds = {}
    for name, call in calls:
        start = time.perf_counter()
        call()
        seconds[name] = time.perf_counter() - start
    statuses = []
    kernels = compiled_kernels()
    for name, kernel in sorted(kernels.items()):
        stats = kernel.stats
        statuses.append(KernelStatus(
            name=name,
            n_signatures=len(kernel.signatures),
            cache_hits=sum(stats.cache_hits.values()),
            cache_misses=sum(stats.cache_misses.values()),
            cache_path=str(stats.cache_path),
        ))
    missed = _never_compiled(statuses, kernels)
    if missed:
        raise RuntimeError(
            "the warm-up never compiled these numba kernels: " + ", ".join(missed)
            + ". Add a short call that reaches them to WARMUP_CALLS in course_lib/warmup.py."
        )
    return WarmupReport(seconds, tuple(statuses), jit_enabled=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quiet", action="store_true", help="print nothing unless something fails")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    args = parser.parse_args(argv)
    report = warm_up()
    if args.json:
        print(json.dumps(dataclasses.asdict(report)))
    elif not args.quiet:
        print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
