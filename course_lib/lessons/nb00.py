"""Notebook 00 (start here): the demo lab, the sample quiz, the course map and the setup check.

Notebook use: ``from course_lib.lessons.nb00 import *``.
"""

from __future__ import annotations

from ..environment import show_environment_check
from ..models.demo import ToyFibreParams, firing_rate_hz
from ..syllabus import show_course_map
from . import Connection, Lesson

NOTEBOOK = "00_start_here"
GENTLE_TOUCH = 3.0  # the stimulus strength the demo question asks about


def _per_second(rate: float) -> str:
    count = round(rate)
    return f"{count} impulse{'' if count == 1 else 's'} per second"


def _gentle_touch() -> list[str]:
    return [f"threshold {threshold:g}: a gentle touch (strength {GENTLE_TOUCH:g}) gives "
            f"{_per_second(float(firing_rate_hz(GENTLE_TOUCH, ToyFibreParams(threshold=threshold))))}"
            for threshold in (6.0, 3.0)]


LESSON = Lesson(
    notebook=NOTEBOOK,
    quiz_ids=("run_a_cell", "milliseconds", "progress_saved"),
    numbers={"gentle_touch": ("The toy fibre's numbers", _gentle_touch)},
    connections={"demo": Connection("predict_gentle_touch", when={"threshold": (2.9, 3.1)})},
)


def demo_lab():
    """The threshold demo lab, wired to the practice prediction."""
    from ..widgets.demo_lab import ThresholdDemoLab

    return LESSON.connect(ThresholdDemoLab(), "demo")


question = LESSON.question
quiz = LESSON.quiz
model_numbers = LESSON.model_numbers
self_check = LESSON.self_check
course_map = show_course_map


def environment_check() -> None:
    """Show the setup check (versions, an interactive plot test and what to do if widgets fail)."""
    show_environment_check()


__all__ = ["course_map", "demo_lab", "environment_check", "model_numbers", "question", "quiz", "self_check"]
