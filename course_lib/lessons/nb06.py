"""Notebook 06 (patient cases and final review): four invented cases, their labs, and the review.

Notebook use: ``from course_lib.lessons.nb06 import *``; then ``case_timeline("diabetes")``,
``case_lab("carpal_tunnel", "regrowth")``, ``question("predict_tom_full_dose")``,
``model_numbers("carpal_tunnel")``, ``published("ZOE70_zoster")``, ``quiz()`` (the final review,
ending with this notebook's own questions), ``self_check()``, ``course_objectives()`` and
``my_record()``.

The case labs and the review's labs are connected to their predict questions here, with
``connect_prediction`` (not ``Lesson.connections``: a case lab opens at the case's setting, and the
notebook tests' lab table knows only notebooks 00-03's lab names). ``CASE_LINKS`` and
``REVIEW_LINKS`` hold the settings; tests check that no lab opens in the setting its question asks
about.
"""

from __future__ import annotations

import re
from typing import Any

from ..cases import case, case_course, case_summary, pain_course_words
from ..models.timeline import GONE_LINE, PAIN_SIGNAL
from ..evidence import EvidenceNote, cite, show
from . import PREDICT_FIRST, Connection, Lesson, ModelNumbers

NOTEBOOK = "06_case_studies_and_review"
M = 30.44  # days per month (timeline.DAYS_PER_MONTH)
#: The longer wait Sara's Predict question asks about (months before the operation).
SARA_LONGER_WAIT = 30.0


def _months_to_fade_after_treatment(lab) -> float:
    """What the cause lab hands Sara's question: months from the release until the model pain signal
    stays below the 'gone' line (999 when it never does in the lab's follow-up)."""
    month = lab.result["resolved_month"]
    treat = float(lab.controls["treat_month"].value)
    return 999.0 if month != month else max(month - treat, 0.0)


def _what_if(case_id: str, words: str, **changes: Any) -> str:
    result = case_course(case_id, **changes)
    return f"what if {words}: {pain_course_words(result)} (sensitisation at the end {result.S[-1]:.2f})"


def _diabetes() -> list[str]:
    return case_summary("diabetes") + [
        _what_if("diabetes", "HbA1c had come down to 6 % at month 36", hba1c_after=6.0),
        _what_if("diabetes", "HbA1c had stayed at 9 %", hba1c_after=9.0),
        "the lab's diabetes law is calibrated to type 1 trials; in type 2 the benefit of glucose control is "
        "smaller and uncertain (notebook 04)",
    ]


def _shingles() -> list[str]:
    return case_summary("shingles") + [
        _what_if("shingles", "the acute pain had been 0.5", acute_severity=0.5),
        _what_if("shingles", "she had been vaccinated and the episode prevented", shingles=0.0),
    ]


def _carpal_tunnel() -> list[str]:
    from ..cases import months_to_fade_after_release

    lines = case_summary("carpal_tunnel")
    for month in (2.0, case("carpal_tunnel").model_settings["release_day"] / M, SARA_LONGER_WAIT):
        months = months_to_fade_after_release("carpal_tunnel", month)
        lines.append(f"freed at month {month:g}: the {PAIN_SIGNAL} falls below {GONE_LINE} about "
                     f"{months * 30.44 / 7:.0f} weeks after the operation")
    return lines + ["in this model a trapped nerve's input never tips the sensitisation switch, however long the "
                    "wait (our choice, made to agree with cohorts after carpal tunnel release)"]


def _regrowth() -> list[str]:
    from ..cases import regrowth_axon_loss_at_release
    from ..models.recovery import weeks_to_remyelinate, weeks_to_target

    return [f"share of axons lost after 14 months of pressure in the trapped-nerve model: "
            f"{regrowth_axon_loss_at_release():.2f}",
            f"lost axons regrow 120 mm at 1 mm a day: about {weeks_to_target(120.0, 1.0):.0f} weeks",
            f"myelin repair ends most abnormal firing in about {weeks_to_remyelinate():.0f} weeks, "
            "whatever the distance"]


def _chemotherapy() -> list[str]:
    return case_summary("chemotherapy") + [
        _what_if("chemotherapy", "every cycle had been given at full dose", dose_after_change=1.0),
        _what_if("chemotherapy", "the dose had been halved at month 2", dose_after_change=0.5),
        _what_if("chemotherapy", "the chemotherapy had been stopped at month 2", dose_after_change=0.0),
        "not in the model: chemotherapy nerve damage can go on worsening for up to about three months after the "
        "last dose (coasting)",
    ]


LESSON = Lesson(
    notebook=NOTEBOOK,
    quiz_ids=("what_decides", "model_not_prediction", "options_evidence"),
    final_review=True,
    numbers={
        "diabetes": ("The model's numbers for Dev", _diabetes),
        "shingles": ("The model's numbers for Margaret", _shingles),
        "carpal_tunnel": ("The model's numbers for Sara", _carpal_tunnel),
        "regrowth": ("The regrowth numbers for Sara's wrist", _regrowth),
        "chemotherapy": ("The model's numbers for Tom", _chemotherapy),
    },
)

#: (case, lab) -> the predict question the case lab answers and the setting it asks about.
CASE_LINKS: dict[tuple[str, str], Connection] = {
    ("diabetes", "cause"): Connection("predict_dev_lowest_hba1c",
                                      when={"cause": "diabetes", "hba1c_after": (5.9, 6.1),
                                            "treat_month": (35.9, 36.1)}),
    ("shingles", "cause"): Connection("predict_margaret_milder",
                                      when={"cause": "shingles", "acute_severity": (0.0, 0.5),
                                            "vaccinated": False}),
    ("carpal_tunnel", "cause"): Connection("predict_sara_longer_wait",
                                           when={"cause": "trapped nerve", "treat_month": (SARA_LONGER_WAIT, 60.0)},
                                           value_of=_months_to_fade_after_treatment),
    ("carpal_tunnel", "regrowth"): Connection("predict_sara_myelin_only", when={"axon_loss": 0.0}),
    ("chemotherapy", "cause"): Connection("predict_tom_full_dose",
                                          when={"cause": "chemotherapy", "chemo_dose": 1.0}),
}

#: The final review's labs, at their own starting settings, feeding the 03 and 04 predict questions.
REVIEW_LINKS: dict[str, Connection] = {
    "duration": Connection("predict_late_removal", when={"months_untreated": (9, 24), "cause_removed": True}),
    "regrowth": Connection("predict_knee_regrowth",
                           when={"distance_mm": (449.0, 451.0), "axon_loss": 0.3, "rate_mm_per_day": (0.99, 1.01)}),
}


def _connected(lab, link: Connection):
    from ..widgets.predictions import connect_prediction

    connect_prediction(lab, link.question_id, when=link.when, value_of=link.value_of)
    lab.placeholder_details = lambda: PREDICT_FIRST
    return lab


def case_lab(case_id: str, lab: str = "cause"):
    """A lab set to an invented case, connected to the case's Predict question."""
    from ..widgets.case_lab import open_case_lab

    built = open_case_lab(case_id, lab)
    link = CASE_LINKS.get((case_id, lab))
    return _connected(built, link) if link else built


def case_timeline(case_id: str):
    """The case's events over the teaching model's pain signal."""
    from ..widgets.case_lab import case_timeline as timeline

    return timeline(case_id)


def _review_duration_lab():
    from ..widgets.duration_lab import DurationLab

    return _connected(DurationLab(), REVIEW_LINKS["duration"])


def _review_regrowth_lab():
    from ..widgets.regrowth_lab import RegrowthLab

    return _connected(RegrowthLab(), REVIEW_LINKS["regrowth"])


REVIEW_LABS = {"duration": _review_duration_lab, "regrowth": _review_regrowth_lab}


def quiz():
    """The final review: questions from every notebook by objective, ending with this notebook's own."""
    from ..quiz.review import final_review

    return final_review(labs=REVIEW_LABS)


def course_objectives():
    """Every objective of the course with your result and where to revisit it."""
    from ..quiz.review import course_objectives as table

    return table()


class _RecordDownload:
    """``show_record``'s view, with the first-view placeholder every widget output carries."""

    def __init__(self):
        from ..quiz import record_view

        self.record_view = record_view()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        from ..placeholder import with_placeholder

        return with_placeholder(self.record_view.view._repr_mimebundle_(**kwargs), "the record download",
                                "A box for your name (optional) and a button that downloads your record.")


def my_record() -> _RecordDownload:
    """Your record: name box (optional), "Download my record" (HTML page and JSON)."""
    return _RecordDownload()


def _arm_words(label: str, value: float, about: str) -> str:
    """One arm of a published result in words: ratios and points stored "x 100" are shown as read."""
    if " x 100" in label:
        return f"{label.replace(' x 100', '')}: {about}{value / 100:g}"
    unit = "" if "NNT" in label else " %"  # the table's arms hold per cent otherwise
    return f"{label}: {about}{value:g}{unit}"


def published(key: str) -> None:
    """Show one published trial result from notebook 04's checked table, with its context.

    The table's own storage notes ("stored as ...", how to print a figure) are for authors and
    are left out; every caveat about the evidence is printed.
    """
    from ..models.trials import PUBLISHED

    if key not in PUBLISHED:
        raise ValueError(f"key = {key!r} is not allowed: it must be one of {sorted(PUBLISHED)}")
    r = PUBLISHED[key]
    about = "about " if r.verified == "summary" else ""
    arms = "; ".join(_arm_words(label, value, about) for label, value in r.arms)
    note = f" ({r.note})" if r.note and "stored" not in r.note else ""
    paragraphs = [(f"{r.trial}. Who: {r.population}. Outcome: {r.outcome}, {r.timepoint}. "
                   f"Result: {arms}{note}.", "")]
    caveats = [re.sub(r":\s*print '[^']*'", "", c) for c in r.caveats]  # authors' printing notes dropped
    if caveats:
        paragraphs.append(("Caveats: " + "; ".join(caveats) + ".", ""))
    paragraphs.append((f"Source: {r.citation}" + (f", doi:{r.doi}" if r.doi else "") + ".", ""))
    show(EvidenceNote("A published trial", tuple(paragraphs)))


def model_numbers(key: str) -> ModelNumbers:
    return LESSON.model_numbers(key)


question = LESSON.question
self_check = LESSON.self_check

__all__ = ["case", "case_lab", "case_timeline", "cite", "course_objectives", "model_numbers", "my_record",
           "published", "question", "quiz", "self_check"]
