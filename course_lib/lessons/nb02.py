"""Notebook 02 (how damaged nerves misfire): channel, balance and mystery-neuron labs.

Notebook use: ``from course_lib.lessons.nb02 import *``.
"""

from __future__ import annotations

from ..models import drg, excitability
from . import Connection, Lesson

NOTEBOOK = "02_how_neuropathic_pain_develops"


def _nav18_off() -> list[str]:
    healthy, no_nav18 = drg.HEALTHY, drg.HEALTHY.with_scales(nav18=0.0)
    return [
        f"healthy: rests at {drg.resting_potential(healthy):.1f} mV, rheobase {drg.rheobase(healthy):.0f} pA",
        f"Nav1.8 off: rests at {drg.resting_potential(no_nav18):.1f} mV, rheobase {drg.rheobase(no_nav18):.0f} pA",
    ]


def _nav18_more() -> list[str]:
    lines = []
    for percent in (114, 129, 143, 157):
        more = drg.HEALTHY.with_scales(nav18=percent / 100)
        rate = drg.spontaneous_rate(more)
        at_rest = f"fires on its own at {rate:.0f} Hz" if rate >= 0.5 else "silent with no stimulus"
        lines.append(f"Nav1.8 at {percent} %: rheobase {drg.rheobase(more):.0f} pA, {at_rest}")
    return lines


def _balance() -> list[str]:
    lines = []
    for name, params in (("normal", excitability.NORMAL), ("neuropathic", excitability.NEUROPATHIC)):
        lines.append(f"{name}: Na {params.g_na_sub_mS_cm2}, K {params.g_k_sub_mS_cm2} -> rheobase "
                     f"{excitability.rheobase(params):.1f} uA/cm2")
    lines.append(f"normal: one spike at the start from its rheobase up to {excitability.repetitive_threshold(excitability.NORMAL) - 0.5:.1f} "
                 f"uA/cm2, repetitive from {excitability.repetitive_threshold(excitability.NORMAL):.1f} "
                 "(the slider goes to 200)")
    for na, k in ((1.5, 2.0), (2.0, 2.5), (2.5, 3.0)):
        params = excitability.with_balance(excitability.NORMAL, na, k)
        lines.append(f"Na {na}, K {k} (Na - K = {na - k:+.1f}): rheobase "
                     f"{excitability.rheobase(params):.1f} uA/cm2")
    for na in (5.0, 7.5, 10.0, 30.0):
        params = excitability.with_balance(excitability.NORMAL, na, 2.0)
        lines.append(f"no stimulus, Na {na}, K 2.0: {excitability.spontaneous_pattern(params)}, "
                     f"{excitability.spontaneous_rate(params):.0f} Hz")
    return lines


LESSON = Lesson(
    notebook=NOTEBOOK,
    quiz_ids=("ectopic_meaning", "healthy_rheobase", "pro_or_anti", "degeneracy", "nav17_facts"),
    numbers={
        "nav18_off": ("The channel model's numbers: Nav1.8 off", _nav18_off),
        "nav18_more": ("The channel model's numbers: more Nav1.8", _nav18_more),
        "balance": ("The balance model's numbers", _balance),
    },
    connections={
        "channel": Connection("predict_nav18_off", when={"nav18_on": False, "amplitude": (350, 500)},
                              value_of=lambda lab: lab.result["n_spikes"]),
        "balance": Connection("predict_balance_tip", when={"g_k_sub": (1.95, 2.05), "g_na_sub": (7.0, 8.0)},
                              value_of=lambda lab: lab.result["rest_rate_hz"]),
        "mystery": Connection("mystery_diagnosis", value_of=lambda lab: lab.hidden_key),
    },
)


def channel_lab():
    """Switch named channels on and off in the DRG model (wired to the Nav1.8 prediction)."""
    from ..widgets.channel_lab import ChannelLab

    return LESSON.connect(ChannelLab(), "channel")


def balance_lab():
    """Tip the balance of subthreshold sodium and potassium (wired to its prediction)."""
    from ..widgets.balance_lab import BalanceLab

    return LESSON.connect(BalanceLab(), "balance")


def mystery_neuron(seed: int | None = None):
    """The mystery neuron (instructors pick a group's mystery from the lab's dropdown)."""
    from ..widgets.mystery_neuron import MysteryNeuronLab

    return LESSON.connect(MysteryNeuronLab(seed=seed), "mystery")


question = LESSON.question
quiz = LESSON.quiz
model_numbers = LESSON.model_numbers
self_check = LESSON.self_check

__all__ = ["balance_lab", "channel_lab", "model_numbers", "mystery_neuron", "question", "quiz", "self_check"]
