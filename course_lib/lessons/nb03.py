"""Notebook 03 (acute and chronic): wind-up, duration, gate and cohort.

Notebook use: ``from course_lib.lessons.nb03 import *``.
"""

from __future__ import annotations

from ..evidence import cite
from ..models.timeline import TimelineParams, run_timeline
from . import Connection, Lesson, ModelNumbers

NOTEBOOK = "03_acute_vs_chronic"


def _windup() -> list[str]:
    from ..models.windup import simulate_windup

    lines = []
    for nmda_on in (True, False):
        result = simulate_windup(frequency_hz=1.0, nmda_on=nmda_on)
        lines.append(f"NMDA {'working' if nmda_on else 'blocked'}: 1st response {result.responses[0]:.1f}, "
                     f"15th response {result.responses[-1]:.1f} impulses (ratio {result.windup_ratio:.2f})")
    return lines


def _late_removal() -> list[str]:
    from ..widgets.duration_lab import duration_readout

    return [duration_readout(run_timeline(TimelineParams(months_untreated=months)), months, True)
            for months in (1, 2, 4, 9)]


def _gate() -> list[str]:
    from ..models.dorsal_horn import gate_trials

    lines = []
    for inhibition in (0.15, 0.0):
        noxious_alone, touch_alone, both = (t.integrated_W_spikes for t in gate_trials(2.0, 2.0, inhibition))
        lines.append(f"inhibition {inhibition:.2f}: noxious alone {noxious_alone:.1f}, noxious with touch "
                     f"{both:.1f}, touch alone {touch_alone:.1f} impulses")
    return lines


_COHORT = {}


def _cohort_result():
    from ..models.cohort import run_cohort

    if "result" not in _COHORT:  # the same 1,000 virtual patients for the figure and the numbers
        _COHORT["result"] = run_cohort()
    return _COHORT["result"]


def _cohort() -> list[str]:
    cohort = _cohort_result()
    return [f"cause removed at {months:>2} {'month' if months == 1 else 'months'}: "
            f"{cohort.probability_at(months):.0%} of the virtual patients recover in the model"
            for months in (1, 3, 6, 12)]


LESSON = Lesson(
    notebook=NOTEBOOK,
    reference_numbers=frozenset({"cohort"}),
    quiz_ids=("healed_but_hurting", "all_in_your_head", "signs_of_central_sensitisation",
              "peripheral_or_central", "three_month_line"),
    numbers={
        "windup": ("The wind-up model's numbers", _windup),
        "late_removal": ("The duration model's numbers", _late_removal),
        "gate": ("The gate model's numbers", _gate),
        "cohort": ("The virtual cohort's numbers", _cohort),
    },
    connections={
        "windup": Connection("predict_windup_nmda", when={"nmda_on": False, "frequency_hz": (0.9, 1.1)}),
        "duration": Connection("predict_late_removal", when={"months_untreated": (9, 24), "cause_removed": True}),
        "gate": Connection("predict_disinhibited_touch", when={"inhibition": (0.0, 0.02)},
                           value_of=lambda lab: lab.result["spikes"][1]),
    },
)


def windup_lab():
    from ..widgets.windup_lab import WindupLab

    return LESSON.connect(WindupLab(), "windup")


def duration_lab():
    from ..widgets.duration_lab import DurationLab

    return LESSON.connect(DurationLab(), "duration")


def gate_lab():
    from ..widgets.gate_lab import GateLab

    return LESSON.connect(GateLab(), "gate")


def cohort_view():
    """The virtual cohort's figure (1,000 virtual patients of the teaching model)."""
    from ..widgets.cohort_view import cohort_view as view

    return view(_cohort_result())


def model_numbers(key: str) -> ModelNumbers:
    return LESSON.model_numbers(key)


question = LESSON.question
quiz = LESSON.quiz
self_check = LESSON.self_check

__all__ = ["cite", "cohort_view", "duration_lab", "gate_lab", "model_numbers", "question", "quiz",
           "self_check", "windup_lab"]
