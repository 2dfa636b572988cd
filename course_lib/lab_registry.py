"""The course's labs and figure builders, listed once: what the benchmarks and the "every lab" tests read.

A *lab* is a subclass of :class:`course_lib.widgets.base.Lab`. Each has one :class:`LabEntry` in
:data:`LABS`: its class name, the key it is reported under, the notebook where a learner meets it,
how to build it, and its representative control changes (the walk the benchmark times, which the
tests also drive). Each figure builder (a public ``build_*`` function of a ``course_lib.figures``
module) has one :class:`FigureEntry` in :data:`FIGURE_BUILDERS`.

Nothing here imports ipywidgets, plotly or the models at import time (``import course_lib`` and
this module stay fast): classes and builders are named as ``"module:attribute"`` and imported when
an entry is used.

Who reads it:

* ``benchmarks/labs.py`` (``python benchmarks/run.py``): one latency row per lab, walking ``changes``;
* ``tests/unit/test_lab_registry.py``: the registry is complete (every ``Lab`` subclass in
  ``course_lib.widgets`` and every ``build_*`` in ``course_lib.figures`` is listed) and each entry's
  walk moves real controls through values they accept; ``tests/unit/test_benchmarks.py``: each lab
  is built by a cell tagged ``lab`` in the notebook its entry names (its first such notebook);
* the "every lab" tests, parametrised over :data:`LABS`: ``test_every_lab_view.py`` (the view and
  its keyboard helper; any setting of every control updates cleanly), ``test_a11y.py`` (every
  slider labelled, with a unit or its scale), ``test_figure_messages.py`` (no placeholder sent to
  the browser along the walk); and ``test_figure_widget.py`` over :data:`FIGURE_BUILDERS`.

How to add a lab
----------------
1. Write the class in ``course_lib/widgets/<name>_lab.py`` (subclass ``Lab``; see ``widgets/base.py``),
   and build it in its notebook from a cell tagged ``lab`` (through the notebook's lesson module).
2. Add one :class:`LabEntry` to :data:`LABS` below::

       LabEntry("PainDiaryLab", key="pain_diary_lab", notebook="07_living_with_pain",
                cls_path="course_lib.widgets.pain_diary_lab:PainDiaryLab",
                changes=_walk("days", range(0, 60, 3)) + _walk("flare", [True, False] * 5))

   ``changes`` are successive ``{control: value}`` settings a learner might make, through values
   that differ from one step to the next (so the benchmark times real updates, not cache hits).
   Use ``build_kwargs`` when the lab needs arguments to be reproducible (a seed), ``variants`` for
   other arguments a learner's copy may be built with (the tests build each), and
   ``prepare_changes`` for changes made once before the walk (to build something it should not time).
3. If it has a new figure builder in ``course_lib/figures``, add a :class:`FigureEntry` to
   :data:`FIGURE_BUILDERS` (with ``example_args`` naming a function that returns the builder's
   arguments, when it needs any).
4. Run ``pytest tests/unit/test_lab_registry.py``: it fails, naming the class, while a ``Lab``
   subclass or a ``build_*`` function is missing here. Once listed, every "every lab" test and the
   benchmark cover the new lab with no further edits, with two exceptions that fail loudly rather
   than skip: a control of a kind the any-setting test has not met (it names the control: teach
   ``_control_values`` in ``test_every_lab_view.py`` its values), and a slider with neither a unit
   nor its scale in its label (``test_a11y.py``).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


def _resolve(path: str) -> Any:
    """The object named by ``"package.module:attribute"``, imported now."""
    module_name, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def _walk(control: str, values: Iterable) -> tuple[dict, ...]:
    """One control moved through ``values``, one change each; numbers rounded as a slider's steps are
    (floating-point steps such as 0.1 * 3 would otherwise ask for 0.30000000000000004)."""
    return tuple({control: v if isinstance(v, (str, bool)) else round(float(v), 4)} for v in values)


def _steps(start: float, stop: float, step: float) -> list[float]:
    """``start, start + step, ...`` below ``stop`` (``numpy.arange`` without numpy)."""
    count = int((stop - start) / step + 1e-9)
    count += start + count * step < stop - 1e-9
    return [start + k * step for k in range(count)]


@dataclass(frozen=True)
class LabEntry:
    """One lab of the course."""

    name: str  # the class name, e.g. "ChannelLab"
    key: str  # its name in benchmark reports, e.g. "channel_lab"
    notebook: str  # syllabus id of the notebook where a learner first meets it
    cls_path: str  # "module:ClassName", imported on use
    changes: tuple[dict, ...]  # successive {control: value} changes: the benchmark's walk
    build_kwargs: dict = field(default_factory=dict)  # arguments to the class, e.g. a seed
    prepare_changes: tuple[dict, ...] = ()  # made once after building, before the walk
    variants: tuple[dict, ...] = ()  # other arguments a learner's copy is built with (tests build each)

    def lab_class(self) -> type:
        return _resolve(self.cls_path)

    def factory(self, **kwargs):
        """A new lab, built as the benchmark builds it (``build_kwargs``), or with ``kwargs`` if given."""
        return self.lab_class()(**(kwargs or self.build_kwargs))

    def all_builds(self) -> tuple[dict, ...]:
        """``build_kwargs`` and every variant: each way the course builds this lab."""
        return (self.build_kwargs,) + self.variants

    def prepare(self, lab) -> None:
        """Make the one-off changes (``prepare_changes``) that the walk should not pay for."""
        for change in self.prepare_changes:
            for control, value in change.items():
                lab.controls[control].value = value

    def controls_moved(self) -> set[str]:
        return {control for change in self.prepare_changes + self.changes for control in change}


@dataclass(frozen=True)
class FigureEntry:
    """One figure builder of ``course_lib.figures``."""

    name: str  # e.g. "channel"
    notebook: str  # syllabus id of the notebook whose lab (or view) shows it
    builder_path: str  # "course_lib.figures.module:build_function"
    example_args: str | None = None  # "module:function" returning the builder's positional arguments

    def builder(self):
        return _resolve(self.builder_path)

    def build(self):
        """A new figure from the builder (with its example arguments, if it needs any)."""
        args = _resolve(self.example_args)() if self.example_args else ()
        return self.builder()(*args)


# --------------------------------------------------------------------------------------------- labs

#: Every lab, in course order. Sliders walk through new values, so caches of earlier settings rarely
#: help the benchmark.
LABS: tuple[LabEntry, ...] = (
    # notebook 00
    LabEntry("ThresholdDemoLab", "demo_threshold", "00_start_here", "course_lib.widgets.demo_lab:ThresholdDemoLab",
             _walk("threshold", [1.0 + (k % 16) * 0.5 for k in range(50)])),
    # notebook 02
    LabEntry("ChannelLab", "channel_lab", "02_how_neuropathic_pain_develops",
             "course_lib.widgets.channel_lab:ChannelLab",
             _walk("nav18", _steps(60.0, 165.0, 5.0)) + _walk("kdr", _steps(70.0, 200.0, 5.0))
             + _walk("amplitude", _steps(0.0, 500.0, 20.0))),
    LabEntry("BalanceLab", "balance_lab", "02_how_neuropathic_pain_develops",
             "course_lib.widgets.balance_lab:BalanceLab",
             _walk("g_k_sub", _steps(0.0, 10.0, 0.3)) + _walk("g_na_sub", _steps(0.0, 10.0, 0.3))
             + _walk("amplitude", _steps(0.0, 200.0, 8.0)),
             # build the AHP map too, so the walk measures updates and not the one-off map
             prepare_changes=({"ahp": True}, {"ahp": False})),
    LabEntry("MysteryNeuronLab", "mystery_neuron", "02_how_neuropathic_pain_develops",
             "course_lib.widgets.mystery_neuron:MysteryNeuronLab",
             _walk("amplitude", _steps(0.0, 500.0, 10.0)),
             # the hidden change is drawn at random: one seed, one neuron; the classroom's three groups
             # (CLASSROOM_SEEDS) each hide a different change, and the tests build all three
             build_kwargs={"seed": 1}, variants=({"seed": 5}, {"seed": 7})),
    # notebook 03
    LabEntry("DurationLab", "duration_lab", "03_acute_vs_chronic", "course_lib.widgets.duration_lab:DurationLab",
             _walk("months_untreated", _steps(0.0, 24.01, 1.5))),
    LabEntry("WindupLab", "windup_lab", "03_acute_vs_chronic", "course_lib.widgets.windup_lab:WindupLab",
             _walk("frequency_hz", _steps(0.1, 2.01, 0.3))),
    LabEntry("GateLab", "gate_lab", "03_acute_vs_chronic", "course_lib.widgets.gate_lab:GateLab",
             _walk("inhibition", _steps(0.0, 0.301, 0.03))),
    # notebook 04
    LabEntry("CauseLab", "cause_lab", "04_interventions_aimed_at_resolution", "course_lib.widgets.cause_lab:CauseLab",
             _walk("treat_month", _steps(0.0, 60.0, 2.5))
             + _walk("cause", ["diabetes", "trapped nerve", "shingles", "chemotherapy"])),
    LabEntry("RegrowthLab", "regrowth_lab", "04_interventions_aimed_at_resolution",
             "course_lib.widgets.regrowth_lab:RegrowthLab",
             _walk("distance_mm", _steps(10.0, 600.0, 20.0)) + _walk("week_shown", _steps(0.0, 104.0, 4.0))),
    LabEntry("ReversalLab", "reversal_lab", "04_interventions_aimed_at_resolution",
             "course_lib.widgets.reversal_lab:ReversalLab",
             _walk("months_sensitised", _steps(0.0, 48.0, 2.0))),
    # the trial lab caches each virtual trial: after the first visit a setting costs only the redraw
    LabEntry("TrialLab", "trial_lab", "04_interventions_aimed_at_resolution", "course_lib.widgets.trial_lab:TrialLab",
             _walk("after_stopping", [True, False] * 10) + _walk("placebo", [False, True] * 10)),
    # notebook 05
    LabEntry("WhereItActsLab", "where_it_acts_lab", "05_managing_persistent_pain",
             "course_lib.widgets.where_it_acts_lab:WhereItActsLab",
             _walk("snri", [True, False] * 15) + _walk("mood", _steps(0.0, 1.0, 0.05))),
    LabEntry("IconArrayLab", "icon_array_lab", "05_managing_persistent_pain",
             "course_lib.widgets.icon_array_lab:IconArrayLab",
             _walk("drug", ["tca", "snri", "pregabalin", "gabapentin", "tramadol", "strong_opioids"] * 4)),
    LabEntry("GoalsLab", "goals_lab", "05_managing_persistent_pain", "course_lib.widgets.goals_lab:GoalsLab",
             _walk("pain_reduction", _steps(-40.0, 100.0, 5.0))),
    LabEntry("CarePlanLab", "care_plan_lab", "05_managing_persistent_pain",
             "course_lib.widgets.care_plan_lab:CarePlanLab",
             _walk("goal_walk_further", [True, False] * 15)),
)

LABS_BY_NAME: dict[str, LabEntry] = {entry.name: entry for entry in LABS}


def lab(name: str) -> LabEntry:
    """The entry of the lab class ``name``; a KeyError says how to register a missing one."""
    try:
        return LABS_BY_NAME[name]
    except KeyError:
        raise KeyError(f"{name} is not in course_lib.lab_registry.LABS: add a LabEntry for it "
                       "(see 'How to add a lab' in that module's docstring)") from None


def lab_classes() -> dict[str, type]:
    """Every concrete ``Lab`` subclass defined in ``course_lib.widgets``, by class name (imports them all).

    What the registry is checked against: a lab written but not listed in :data:`LABS` is found here.
    """
    import pkgutil

    import course_lib.widgets as package
    from course_lib.widgets.base import Lab

    for info in pkgutil.iter_modules(package.__path__, prefix=package.__name__ + "."):
        importlib.import_module(info.name)
    found, todo = {}, list(Lab.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith(package.__name__ + "."):
            found[cls.__name__] = cls
    return found


def unregistered_labs() -> list[str]:
    """Lab classes in ``course_lib.widgets`` with no entry in :data:`LABS`, sorted."""
    return sorted(set(lab_classes()) - set(LABS_BY_NAME))


# ---------------------------------------------------------------------------------- figure builders


def _case_timeline_args() -> tuple:
    from course_lib.cases import case_course

    return ("carpal_tunnel", case_course("carpal_tunnel"))


def _cohort_args() -> tuple:
    from course_lib.models.cohort import run_cohort

    return (run_cohort(),)


#: Every figure builder, in course order.
FIGURE_BUILDERS: tuple[FigureEntry, ...] = (
    FigureEntry("demo", "00_start_here", "course_lib.figures.demo:build_response_figure"),
    FigureEntry("channel", "02_how_neuropathic_pain_develops", "course_lib.figures.nociceptor:build_channel_figure"),
    FigureEntry("balance", "02_how_neuropathic_pain_develops", "course_lib.figures.nociceptor:build_balance_figure"),
    FigureEntry("mystery", "02_how_neuropathic_pain_develops", "course_lib.figures.nociceptor:build_mystery_figure"),
    FigureEntry("duration", "03_acute_vs_chronic", "course_lib.figures.dorsal_horn:build_duration_figure"),
    FigureEntry("windup", "03_acute_vs_chronic", "course_lib.figures.dorsal_horn:build_windup_figure"),
    FigureEntry("gate", "03_acute_vs_chronic", "course_lib.figures.dorsal_horn:build_gate_figure"),
    FigureEntry("cohort", "03_acute_vs_chronic", "course_lib.figures.cohort:build_cohort_figure",
                example_args="course_lib.lab_registry:_cohort_args"),
    FigureEntry("cause", "04_interventions_aimed_at_resolution", "course_lib.figures.interventions:build_cause_figure"),
    FigureEntry("regrowth", "04_interventions_aimed_at_resolution",
                "course_lib.figures.interventions:build_regrowth_figure"),
    FigureEntry("reversal", "04_interventions_aimed_at_resolution",
                "course_lib.figures.interventions:build_reversal_figure"),
    FigureEntry("trial", "04_interventions_aimed_at_resolution", "course_lib.figures.trial_icons:build_trial_figure"),
    FigureEntry("pathway", "05_managing_persistent_pain", "course_lib.figures.pathway:build_pathway_figure"),
    FigureEntry("icon_array", "05_managing_persistent_pain", "course_lib.figures.icon_array:build_icon_figure"),
    FigureEntry("outcomes", "05_managing_persistent_pain", "course_lib.figures.care:build_outcomes_figure"),
    FigureEntry("care_plan", "05_managing_persistent_pain", "course_lib.figures.care:build_care_figure"),
    FigureEntry("case_timeline", "06_case_studies_and_review", "course_lib.figures.case_timeline:build_timeline_figure",
                example_args="course_lib.lab_registry:_case_timeline_args"),
)


def figure_builder_paths() -> set[str]:
    """``"module:function"`` of every public ``build_*`` function defined in a ``course_lib.figures``
    module (imports them all): what :data:`FIGURE_BUILDERS` is checked against."""
    import inspect
    import pkgutil

    import course_lib.figures as package

    found = set()
    for info in pkgutil.iter_modules(package.__path__, prefix=package.__name__ + "."):
        module = importlib.import_module(info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("build_") and function.__module__ == module.__name__:
                found.add(f"{module.__name__}:{name}")
    return found


def unregistered_figure_builders() -> list[str]:
    """Figure builders in ``course_lib.figures`` with no entry in :data:`FIGURE_BUILDERS`, sorted."""
    return sorted(figure_builder_paths() - {entry.builder_path for entry in FIGURE_BUILDERS})
