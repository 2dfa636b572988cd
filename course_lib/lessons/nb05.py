"""Notebook 05 (managing persistent pain): the pathway and the mind, where each medicine acts,
how likely it is to help, goals beyond the pain score, and a care plan.

Notebook use: ``from course_lib.lessons.nb05 import *``.

The where-it-acts lab appears twice: once for the state of mind (descending control, why
psychological therapy is not "it's in your head") and once for the medicines, each instance
feeding its own predict question.

Each key of ``LESSON.connections`` is the name of the lab function without ``_lab`` (``"mind"`` ->
``mind_lab()``), so a test can build the very lab the notebook shows from the key. Public names
(stable; notebook 06 may call them): ``mind_lab``, ``where_it_acts_lab``, ``icon_array_lab``,
``goals_lab``, ``care_plan_lab``, ``model_numbers``, ``question``, ``quiz``, ``self_check``, ``cite``.
"""

from __future__ import annotations

from ..evidence import cite
from . import Connection, Lesson, ModelNumbers, OpenList

NOTEBOOK = "05_managing_persistent_pain"

#: The goals lab's own default is the very setting its predict question asks about (a 30 %
#: reduction read as a success), so the notebook starts it from "nothing changed yet" and the
#: learner sets the question's values. Reset returns to the lab's defaults.
GOALS_START = {"pain_reduction": 0.0, "physical_function": "same", "emotional_function": "same",
               "sleep": "same", "global_impression": "no change", "side_effects": "none"}
#: What the goals question asks the learner to set, and the same with a tolerance on the slider.
GOALS_QUESTION_VALUES = {"pain_reduction": 30.0, "physical_function": "better", "emotional_function": "same",
                         "sleep": "better", "global_impression": "much improved", "side_effects": "tolerable"}
GOALS_QUESTION_SETTING = {**GOALS_QUESTION_VALUES, "pain_reduction": (29.0, 31.0)}
WORRIED_MIND = {"attention_to_pain": 1.0, "mood": 0.0, "sleep_quality": 0.0, "fear_of_movement": 1.0}
HELPFUL_MIND = {"attention_to_pain": 0.0, "mood": 1.0, "sleep_quality": 1.0, "fear_of_movement": 0.0}


def _no_treatment() -> dict:
    from ..models.pathway import TREATMENT_KEYS

    return {key: False for key in TREATMENT_KEYS}


def _only(key: str) -> dict:
    return {**_no_treatment(), key: True}


def _mind() -> list[str]:
    from ..models import pathway as pw

    lines = []
    for name, values in (("neutral", {}), ("attention on the pain, low mood, poor sleep, fear of moving",
                                           WORRIED_MIND),
                         ("attention elsewhere, good mood, good sleep, no fear", HELPFUL_MIND)):
        result = pw.simulate_pathway((), mind=pw.MindState(**values))
        lines.append(f"{name}: nerve {result.nerve_output_hz:.0f} Hz, "
                     f"signal to the brain {result.signal_to_brain:.2f} impulses")
    return lines


def _treatments() -> list[str]:
    from ..models import pathway as pw

    lines = []
    table = pw.treatment_table()
    for label, result in table.items():
        name = ("no treatment" if label == "none" else
                " + ".join(pw.TREATMENTS[k].label for k in label.split(" + ")))
        lines.append(f"{name}: nerve {result.nerve_output_hz:.0f} Hz, C-fibre drive "
                     f"{result.c_drive:.2f}, signal to the brain {result.signal_to_brain:.2f} impulses")
    return lines


def _icons() -> list[str]:
    from ..models import drug_outcomes as do

    lines = []
    for key, d in do.DRUGS.items():
        rounded = do.icon_counts(key).rounded()
        if rounded["extra_from_drug"] is None:
            continue
        stopped = rounded["stopped_side_effects"]
        lines.append(f"{d.label}, {d.tier} line: {rounded['placebo']} on placebo, "
                     f"{rounded['extra_from_drug']} more because of the drug, "
                     + ("no figure for stopping" if stopped is None else f"{stopped} more stop for side effects")
                     + " (per 100)" + (f". {d.caveat}" if d.caveat else ""))
    return lines


def _goals() -> list[str]:
    from ..models import outcomes as oc

    question = dict(GOALS_QUESTION_VALUES)
    cases = (("30 % less pain, better function and sleep, tolerable side effects", question),
             ("the same, but the side effects made the person stop", {**question, "side_effects": "made me stop"}),
             ("no pain reduction and nothing else changed", {**question, **GOALS_START}))
    return [f"{name}: {oc.evaluate(oc.report_from_change(**values))['overall']}" for name, values in cases]


LESSON = Lesson(
    notebook=NOTEBOOK,
    quiz_ids=("partial_relief_is_failure", "rest_is_best", "strongest_painkiller", "cbt_not_imaginary",
              "more_drugs_more_relief", "where_each_acts", "neupsig_tiers", "nnt_per_100",
              "outcome_domains", "red_flags"),
    numbers={
        "mind": ("The pathway model's numbers for three states of mind", _mind),
        "treatments": ("The pathway model's numbers for each treatment", _treatments),
        "icons": ("Counts per 100 people for each drug class with a number needed to treat", _icons),
        "goals": ("The goals lab's verdicts", _goals),
    },
    connections={
        "mind": Connection("predict_mind_signal", when={**_no_treatment(), **WORRIED_MIND},
                           value_of=lambda lab: (lab.result["untreated"].signal_to_brain
                                                 / lab.result["reference"].signal_to_brain)),
        "where_it_acts": Connection("predict_snri_nerve", when=_only("snri"),
                            value_of=lambda lab: lab.result["changes"]["nerve"]),
        "icon_array": Connection("predict_tca_extra", when={"drug": "tca"}),
        "goals": Connection("predict_goals_success", when=GOALS_QUESTION_SETTING),
    },
)


def red_flags():
    """The course's one list of red flags (``careplan.yaml``), shown open: the care plan prints the same."""
    from ..careplan import RED_FLAG_INTRO, load_careplan

    return OpenList(RED_FLAG_INTRO, [flag.text for flag in load_careplan().red_flags])


def mind_lab():
    """The where-it-acts lab, used here for the state-of-mind sliders."""
    from ..widgets.where_it_acts_lab import WhereItActsLab

    return LESSON.connect(WhereItActsLab(), "mind")


def where_it_acts_lab():
    from ..widgets.where_it_acts_lab import WhereItActsLab

    return LESSON.connect(WhereItActsLab(), "where_it_acts")


def icon_array_lab():
    from ..widgets.icon_array_lab import IconArrayLab

    return LESSON.connect(IconArrayLab(), "icon_array")


def goals_lab():
    from ..widgets.goals_lab import GoalsLab

    lab = GoalsLab()
    lab.set_values(**GOALS_START)
    return LESSON.connect(lab, "goals")


def care_plan_lab():
    from ..widgets.care_plan_lab import CarePlanLab

    return CarePlanLab()


def model_numbers(key: str) -> ModelNumbers:
    return LESSON.model_numbers(key)


question = LESSON.question
quiz = LESSON.quiz
self_check = LESSON.self_check

__all__ = ["care_plan_lab", "cite", "goals_lab", "icon_array_lab", "mind_lab", "model_numbers", "question",
           "red_flags",
           "quiz", "self_check", "where_it_acts_lab"]
