"""Four invented patient cases for notebook 06, as data, and the teaching model's course for each.

Every person here is INVENTED for teaching: the stories are typical of each condition, but no case
describes a real patient, and the model's result for a case is not a prediction for anyone. Each
case names

* its story and the events on its timeline (months from the start of the case's model clock);
* the treat-the-cause scenario of ``course_lib.models.causes`` that runs it (``model_settings``,
  the model's own parameters) and the same setting as the treat-the-cause lab's controls
  (``presets["cause"]``); the tests check that the two give the same pain course;
* other labs set to the case (``presets``), and what each lab's Predict question changes;
* ``claims``: what the notebook's text says the model does for the case, checked by
  :func:`check_claims` (and by the tests), so a model change that breaks the text breaks a test.

Layers: data and pure functions only (models, numpy); the labs are built in
``course_lib.widgets.case_lab``. Units: months of 30.44 days (``timeline.DAYS_PER_MONTH``);
model pain signal in per cent of the model's maximum (the teaching model's number, not a clinical
score). A case's words never print a pain signal near the top of the scale
(``timeline.pain_signal_text(..., named=True)``): beside a person's name it would read as the worst
pain possible.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from .models.causes import DriveResult, TrappedNerveParams, resolved_month, run_scenario
from .models.timeline import DAYS_PER_MONTH, GONE_LINE, PAIN_SIGNAL, pain_signal_text

#: The sensitisation level above which the teaching model's switch keeps itself on (``sensitisation.py``:
#: the middle of the bistable switch; the cause lab's readout uses the same 0.5).
TIPPED_ABOVE = 0.5


@dataclass(frozen=True)
class Event:
    """One event on a case's timeline."""

    month: float
    label: str


@dataclass(frozen=True)
class Case:
    """One invented case (see the module docstring)."""

    id: str
    name: str  # the invented person's first name
    title: str  # short heading, e.g. "Dev: type 2 diabetes and burning feet"
    condition: str
    story: str  # plain words, a few sentences
    events: tuple[Event, ...]
    cause: str  # the scenario of models.causes
    model_settings: Mapping[str, Any]  # run_scenario(cause, **model_settings)
    presets: Mapping[str, Mapping[str, Any]]  # lab name -> control values
    claims: Mapping[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.name} (an invented case): {self.condition}"


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


M = DAYS_PER_MONTH
CARPAL_RELEASE_MONTH = 14.0

CASES: dict[str, Case] = {
    case.id: case
    for case in (
        Case(
            id="diabetes",
            name="Dev",
            title="Dev: type 2 diabetes and burning feet",
            condition="type 2 diabetic neuropathy",
            story=("Dev is 58 and has had type 2 diabetes for years. His blood sugar ran high (HbA1c about "
                   "9 %) for a long time. He now has burning and tingling in both feet, worst at night, and "
                   "his feet feel numb when he walks barefoot. Three years into the story his care team and "
                   "he bring his HbA1c down to about 7 %."),
            events=(Event(0.0, "blood sugar runs high (HbA1c 9 %)"),
                    Event(36.0, "better control: HbA1c about 7 %"),
                    Event(180.0, "15 years on")),
            cause="diabetes",
            model_settings=_frozen({"years_before_change": 3.0, "follow_up_years": 15.0, "hba1c_after": 7.0}),
            presets=_frozen({"cause": _frozen({"cause": "diabetes", "treat_month": 36.0, "hba1c_after": 7.0})}),
            claims=_frozen({"resolves": False, "tipped": False, "untreated_pain_at_least": 90.0,
                            "treated_pain_below": 30.0}),
        ),
        Case(
            id="shingles",
            name="Margaret",
            title="Margaret: pain that stayed after shingles",
            condition="postherpetic neuralgia after shingles",
            story=("Margaret is 74 and was never vaccinated against shingles. She had a painful band of rash "
                   "on the left side of her chest; the acute pain was severe. The rash healed within a few "
                   "weeks, but burning pain and pain from the touch of her clothes stayed in the same band "
                   "months later."),
            events=(Event(0.0, "shingles rash, severe acute pain"),
                    Event(1.0, "rash healing"),
                    Event(3.0, "pain still there at 3 months"),
                    Event(12.0, "one year on")),
            cause="shingles",
            model_settings=_frozen({"acute_severity": 0.9, "shingles": 1.0}),
            presets=_frozen({"cause": _frozen({"cause": "shingles", "vaccinated": False, "acute_severity": 0.9})}),
            claims=_frozen({"resolves": False, "tipped": False, "pain_at_3_months_at_least": 10.0}),
        ),
        Case(
            id="carpal_tunnel",
            name="Sara",
            title="Sara: a trapped nerve at the wrist, freed after a long wait",
            condition="carpal tunnel syndrome, operated on after 14 months",
            story=("Sara is 49 and works at a keyboard. Her thumb, index and middle fingers tingle and go "
                   "numb at night, and later burn during the day too. She waited 14 months before the "
                   "operation that frees the nerve at her wrist. In the weeks after it, the burning and the "
                   "night-time tingling eased; the numbness in her fingertips improved more slowly, over "
                   "months."),
            events=(Event(0.0, "pressure on the nerve begins"),
                    Event(CARPAL_RELEASE_MONTH, "operation frees the nerve"),
                    Event(CARPAL_RELEASE_MONTH + 24.0, "two years after the operation")),
            cause="trapped nerve",
            model_settings=_frozen({"release_day": CARPAL_RELEASE_MONTH * M, "released": 1.0,
                                    "follow_up_days": (CARPAL_RELEASE_MONTH + 24.0) * M}),
            presets=_frozen({
                "cause": _frozen({"cause": "trapped nerve", "treat_month": CARPAL_RELEASE_MONTH}),
                # The wrist, at the textbook 1 mm/day, with the share of axons lost that the trapped-nerve
                # model gives after 14 months of pressure (about 0.4: the lab's nearest choice is 0.3).
                "regrowth": _frozen({"site": "wrist: about 12 cm (rough figure)", "axon_loss": 0.3,
                                     "rate_mm_per_day": 1.0, "week_shown": 8.0}),
            }),
            claims=_frozen({"resolves": True, "tipped": False, "drive_gone_by_end": True,
                            "regrowth_weeks_more_than": 13.0, "resolves_within_months_of_release": 3.0,
                            "late_release_resolves_month": 30.0}),
        ),
        Case(
            id="chemotherapy",
            name="Tom",
            title="Tom: tingling during chemotherapy",
            condition="chemotherapy-induced neuropathy",
            story=("Tom is 61 and is having chemotherapy for bowel cancer, one cycle every two weeks, twelve "
                   "cycles planned. The medicine can damage sensory nerves. After a few cycles his fingers and "
                   "toes tingle and cold drinks hurt. At two months, his oncology team and he decide to reduce "
                   "the dose by about a quarter for the remaining cycles, a usual step when nerve symptoms "
                   "start to build up. With this medicine, symptoms often keep getting worse for a few "
                   "months after the last dose before they start to ease (called coasting), so the end of "
                   "treatment is not the end of the story."),
            events=(Event(0.0, "first cycle"),
                    Event(2.0, "dose reduced by a quarter (decided with the oncology team)"),
                    Event(round(11 * 14.0 / M, 1), "12th and last planned cycle")),
            cause="chemotherapy",
            model_settings=_frozen({"change_from_cycle": 5, "dose_after_change": 0.75, "follow_up_days": 26.0 * M}),
            presets=_frozen({"cause": _frozen({"cause": "chemotherapy", "treat_month": 2.0, "chemo_dose": 0.75})}),
            claims=_frozen({"resolves": True, "tipped": False, "full_dose_leaves_signal": True,
                            "no_dose_tips": True}),
        ),
    )
}


def case(case_id: str) -> Case:
    """Look up a case; a ValueError names the allowed ids."""
    if case_id not in CASES:
        raise ValueError(f"case_id = {case_id!r} is not allowed: it must be one of {sorted(CASES)}")
    return CASES[case_id]


def case_preset(case_id: str, lab: str) -> dict[str, Any]:
    """The control values that set lab ``lab`` to case ``case_id``."""
    item = case(case_id)
    if lab not in item.presets:
        raise ValueError(f"lab = {lab!r} is not allowed for case {case_id!r}: it must be one of {sorted(item.presets)}")
    return dict(item.presets[lab])


def case_course(case_id: str, **changes: Any) -> DriveResult:
    """The case's months in the teaching model: drive, sensitisation S and the model pain signal.

    ``changes`` override model settings (e.g. ``acute_severity=0.5``) for a "what if".
    """
    item = case(case_id)
    return run_scenario(item.cause, **{**item.model_settings, **changes})


def pain_at_month(result: DriveResult, month: float) -> float:
    """The model pain signal (% of the model's maximum) at ``month`` (nearest day of the model's course)."""
    if not math.isfinite(month) or month < 0 or month > result.t_months[-1]:
        raise ValueError(f"month = {month!r} is not allowed: it must be a number from 0 to {result.t_months[-1]:.1f}")
    return float(np.interp(month, result.t_months, result.pain_signal))


def tipped(result: DriveResult) -> bool:
    """True when sensitisation ends above the tipping point (the switch keeps itself on)."""
    return bool(result.S[-1] > TIPPED_ABOVE)


def regrowth_axon_loss_at_release(case_id: str = "carpal_tunnel") -> float:
    """Share of axons lost when the pressure comes off, in the trapped-nerve model (0-1)."""
    item = case(case_id)
    if item.cause != "trapped nerve":
        raise ValueError(f"case_id = {case_id!r} is not allowed: it must be a trapped-nerve case")
    return TrappedNerveParams(release_day=item.model_settings["release_day"]).axon_loss_at_release()


def pain_course_words(result: DriveResult, named: bool = True) -> str:
    """How the model pain signal runs, in words that follow the model: "the model pain signal falls
    below 10 % of the model's maximum from month 3.2", "... never rises above ..." or "... is still
    12 % of the model's maximum at month 26".

    ``named`` (the default: cases are people) prints no value near the top of the scale.
    """
    month = resolved_month(result)
    if math.isfinite(month) and month > 0:
        return f"the {PAIN_SIGNAL} falls below {GONE_LINE} from month {month:.1f}"
    if math.isfinite(month):
        return f"the {PAIN_SIGNAL} never rises above {GONE_LINE}"
    level = pain_signal_text(result.final_pain, named)
    return f"the {PAIN_SIGNAL} is still {level} at month {result.t_months[-1]:.0f}"


def case_summary(case_id: str) -> list[str]:
    """The model's numbers for the case, in words (for a collapsed Explain table)."""
    item = case(case_id)
    result = case_course(case_id)
    end = float(result.t_months[-1])
    lines = [f"{item.label}: {PAIN_SIGNAL} {pain_signal_text(result.final_pain, named=True)} at month {end:.0f} "
             "of the model",
             (pain_course_words(result) if math.isfinite(resolved_month(result))
              else f"the {PAIN_SIGNAL} is still above {GONE_LINE} at the end"),  # the first line gives the number
             f"sensitisation level at the end {result.S[-1]:.2f} (tipping point about {TIPPED_ABOVE:g}): "
             + ("past it, the spinal cord keeps the pain going" if tipped(result) else "below it")]
    return lines


def months_to_fade_after_release(case_id: str, release_month: float) -> float:
    """Months from the release of a trapped nerve until the model pain signal stays below the
    'gone' line (inf if it never does within the case's follow-up)."""
    item = case(case_id)
    if item.cause != "trapped nerve":
        raise ValueError(f"case_id = {case_id!r} is not allowed: it must be a trapped-nerve case")
    release = check_month("release_month", release_month)
    result = case_course(case_id, release_day=release * M, follow_up_days=(release + 24.0) * M)
    month = resolved_month(result)
    return max(month - release, 0.0) if math.isfinite(month) else math.inf


def check_month(name: str, value: float) -> float:
    """A month from 0 to 60 (the cause lab's range), or a ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or not 0 <= value <= 60:
        raise ValueError(f"{name} = {value!r} is not allowed: it must be a number of months from 0 to 60")
    return float(value)


def check_claims(case_id: str) -> list[str]:
    """Every claim of the case that the model does NOT bear out (empty when the text is right)."""
    item = case(case_id)
    claims = item.claims
    result = case_course(case_id)
    problems = []
    if "resolves" in claims and math.isfinite(resolved_month(result)) != claims["resolves"]:
        problems.append(f"resolves: the text says {claims['resolves']}, the model says otherwise")
    if "tipped" in claims and tipped(result) != claims["tipped"]:
        problems.append(f"tipped: the text says {claims['tipped']}, the model's S ends at {result.S[-1]:.2f}")
    if "treated_pain_below" in claims and not result.final_pain < claims["treated_pain_below"]:
        problems.append(f"treated pain {result.final_pain:.2f} is not below {claims['treated_pain_below']}")
    if "untreated_pain_at_least" in claims:
        untreated = case_course(case_id, hba1c_after=9.0)
        if not untreated.final_pain >= claims["untreated_pain_at_least"]:
            problems.append(f"untreated pain {untreated.final_pain:.2f} is below {claims['untreated_pain_at_least']}")
    if "pain_at_3_months_at_least" in claims and not pain_at_month(result, 3.0) >= claims["pain_at_3_months_at_least"]:
        problems.append(f"the {PAIN_SIGNAL} is below the 'gone' line at 3 months (no postherpetic neuralgia in the model)")
    if claims.get("drive_gone_by_end") and not result.drive[-1] < 0.01:
        problems.append(f"the nerve's drive is still {result.drive[-1]:.3f} at the end")
    if "resolves_within_months_of_release" in claims:
        months = months_to_fade_after_release(case_id, item.model_settings["release_day"] / M)
        if not months <= claims["resolves_within_months_of_release"]:
            problems.append(f"after the release the signal takes {months:.1f} months to fade, not at most "
                            f"{claims['resolves_within_months_of_release']}")
    if "late_release_resolves_month" in claims:
        months = months_to_fade_after_release(case_id, claims["late_release_resolves_month"])
        if not math.isfinite(months):
            problems.append(f"released at month {claims['late_release_resolves_month']:g}, the pain does not fade "
                            "in the model")
    if "regrowth_weeks_more_than" in claims:
        preset = item.presets["regrowth"]
        from .models.recovery import EXAMPLE_DISTANCES_MM, regrowth_days

        weeks = regrowth_days(EXAMPLE_DISTANCES_MM["wrist (carpal tunnel to fingertips)"],
                              preset["rate_mm_per_day"]) / 7.0
        if not weeks > claims["regrowth_weeks_more_than"]:
            problems.append(f"regrowth takes {weeks:.1f} weeks, not more than {claims['regrowth_weeks_more_than']}")
    if claims.get("full_dose_leaves_signal"):
        full = case_course(case_id, dose_after_change=1.0)
        if math.isfinite(resolved_month(full)) or tipped(full):
            problems.append("with every cycle at full dose the model should leave some signal from lasting damage "
                            "without tipping the switch")
    if claims.get("no_dose_tips"):
        for dose in (1.0, 0.75, 0.5, 0.0):
            if tipped(case_course(case_id, dose_after_change=dose)):
                problems.append(f"at dose {dose:g} from month 2 the switch tips in the model")
    return problems


__all__ = ["CASES", "Case", "Event", "TIPPED_ABOVE", "case", "case_course", "case_preset", "case_summary",
           "check_claims", "months_to_fade_after_release", "pain_at_month", "pain_course_words",
           "regrowth_axon_loss_at_release", "resolved_month", "tipped"]
