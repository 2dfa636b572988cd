"""Goals beyond the pain score: the IMMPACT outcome domains and what counts as a meaningful change.

What it models
    Data, not dynamics: the core outcome domains that chronic pain trials are recommended to
    measure, and the size of a pain reduction that people with chronic pain tend to call
    meaningful. :func:`evaluate` reads one (imaginary) person's outcomes domain by domain, for
    the notebook's exercise in which a 30 % pain reduction with better sleep and function is
    a success even though pain is not gone.

Sources
    Core domains: Turk DC, Dworkin RH et al. (2003) Core outcome domains for chronic pain
    clinical trials: IMMPACT recommendations. Pain 106:337-345, doi:10.1016/j.pain.2003.08.001
    (six domains: pain; physical functioning; emotional functioning; participant ratings of
    improvement and satisfaction with treatment; symptoms and adverse events; participant
    disposition). Measures for each: Dworkin RH et al. (2005) Core outcome measures for
    chronic pain clinical trials: IMMPACT recommendations. Pain 113:9-19,
    doi:10.1016/j.pain.2004.09.012.
    Thresholds: Dworkin RH, Turk DC, Wyrwich KW et al. (2008) Interpreting the clinical
    importance of treatment outcomes in chronic pain clinical trials: IMMPACT recommendations.
    J Pain 9(2):105-121: reductions in pain intensity of about 10-20 % are minimally
    important, at least 30 % moderately important, at least 50 % substantial. (Read from the
    published abstract and two summaries of the paper's Table 1; the paper's full text was
    not available to us.)

What it leaves out
    The specific questionnaires and their own thresholds (e.g. Brief Pain Inventory
    interference, Beck Depression Inventory), which the notebook does not use; sleep is
    included as an outcome many people with pain value, but it is NOT one of IMMPACT's six
    core domains and has no threshold here. The thresholds were set for groups in trials; the
    course uses them to teach, never to judge one person's treatment.

Units
    pain intensity on a 0-10 numerical rating scale; changes in percent of the starting score.
"""

from __future__ import annotations

from dataclasses import dataclass

from course_lib.models._validation import Validated, check_params, check_range

TURK_2003 = "Turk, Dworkin et al. 2003, Pain 106:337-345, doi:10.1016/j.pain.2003.08.001"
DWORKIN_2005 = "Dworkin et al. 2005, Pain 113:9-19, doi:10.1016/j.pain.2004.09.012"
DWORKIN_2008 = "Dworkin, Turk, Wyrwich et al. 2008, Journal of Pain 9(2):105-121"


@dataclass(frozen=True)
class Domain:
    key: str
    label: str
    meaning: str          # our own words, for learners


DOMAINS: tuple[Domain, ...] = (
    Domain("pain", "pain", "how strong the pain is, usually rated from 0 (none) to 10 "
           "(worst imaginable)"),
    Domain("physical_function", "physical functioning",
           "what the pain stops you doing: walking, work, chores, hobbies"),
    Domain("emotional_function", "emotional functioning", "mood, worry and distress"),
    Domain("global_rating", "participant's rating of improvement and satisfaction",
           "how much better you feel overall, in your own judgement"),
    Domain("adverse_events", "symptoms and adverse events",
           "side effects and other new problems from the treatment"),
    Domain("disposition", "participant disposition",
           "whether people keep taking the treatment, and why they stop"),
)
DOMAIN_KEYS = tuple(d.key for d in DOMAINS)

# Dworkin et al. 2008, percent reduction of pain intensity (lower bound of each band)
MINIMALLY_IMPORTANT_PERCENT = 10.0
MODERATELY_IMPORTANT_PERCENT = 30.0
SUBSTANTIAL_PERCENT = 50.0

CHANGES = ("better", "same", "worse")
GLOBAL_IMPRESSIONS = ("very much improved", "much improved", "minimally improved", "no change",
                      "minimally worse", "much worse", "very much worse")
SIDE_EFFECTS = ("none", "tolerable", "made me stop")


def percent_reduction(before_0_10: float, after_0_10: float) -> float:
    """Reduction of pain intensity in percent of the starting score (negative = worse)."""
    before = check_range("before_0_10", before_0_10, 0.0, 10.0)
    after = check_range("after_0_10", after_0_10, 0.0, 10.0)
    if before == 0.0:
        raise ValueError("before_0_10 = 0 is not allowed: a reduction needs some pain to start with")
    # rounded so that 7 -> 4.9 reads as exactly 30 %, not 29.999999...
    return round(100.0 * (before - after) / before, 9)


def pain_change_category(reduction_percent: float) -> str:
    """Dworkin et al. 2008's words for a reduction of pain intensity in percent."""
    r = check_range("reduction_percent", reduction_percent, -1e12, 100.0)   # any worsening
    if r >= SUBSTANTIAL_PERCENT:
        return "substantial"
    if r >= MODERATELY_IMPORTANT_PERCENT:
        return "moderately important"
    if r >= MINIMALLY_IMPORTANT_PERCENT:
        return "minimally important"
    if r > 0.0:
        return "smaller than a minimally important change"
    return "no reduction"


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"{name} = {value!r} is not allowed: it must be one of {', '.join(allowed)}")
    return value


@dataclass(frozen=True)
class OutcomeReport(Validated):
    """One imaginary person's results after a treatment, for the notebook's exercise."""

    pain_before_0_10: float = 7.0
    pain_after_0_10: float = 4.9
    physical_function: str = "better"
    emotional_function: str = "better"
    sleep: str = "better"
    global_impression: str = "much improved"
    side_effects: str = "tolerable"

    def validate(self) -> "OutcomeReport":
        # checked under the field names first, so an error names the field the caller set
        check_range("pain_before_0_10", self.pain_before_0_10, 0.0, 10.0)
        check_range("pain_after_0_10", self.pain_after_0_10, 0.0, 10.0)
        if self.pain_before_0_10 == 0.0:
            raise ValueError("pain_before_0_10 = 0 is not allowed: a reduction needs some pain to start with")
        percent_reduction(self.pain_before_0_10, self.pain_after_0_10)
        _choice("physical_function", self.physical_function, CHANGES)
        _choice("emotional_function", self.emotional_function, CHANGES)
        _choice("sleep", self.sleep, CHANGES)
        _choice("global_impression", self.global_impression, GLOBAL_IMPRESSIONS)
        _choice("side_effects", self.side_effects, SIDE_EFFECTS)
        return self


#: The goals lab's imaginary person: their pain before the treatment, on a 0-10 scale (our example).
EXAMPLE_PAIN_BEFORE_0_10 = 7.0


def report_from_change(pain_reduction: float, physical_function: str, emotional_function: str, sleep: str,
                       global_impression: str, side_effects: str,
                       pain_before_0_10: float = EXAMPLE_PAIN_BEFORE_0_10) -> OutcomeReport:
    """An OutcomeReport from a percentage change in pain (negative: the pain got worse) and the other
    domains, as the goals lab sets them."""
    reduction = check_range("pain_reduction", pain_reduction, -100.0, 100.0)
    before = check_range("pain_before_0_10", pain_before_0_10, 0.0, 10.0)
    after = before * (1.0 - reduction / 100.0)
    if after > 10.0:
        raise ValueError(f"pain_reduction = {pain_reduction!r} is not allowed: from {before:g} out of 10 the pain "
                         f"would end above 10 (the lowest allowed here is {100.0 * (1.0 - 10.0 / before):g})")
    return OutcomeReport(pain_before_0_10=before, pain_after_0_10=after, physical_function=physical_function,
                         emotional_function=emotional_function, sleep=sleep,
                         global_impression=global_impression, side_effects=side_effects)


def evaluate(report: OutcomeReport) -> dict[str, str]:
    """Domain -> a short verdict in words (plus "sleep" and "overall").

    "overall" counts the domains that improved; it is OUR teaching summary, not an IMMPACT
    score: the point is that a partial pain reduction with gains elsewhere can be a success.
    """
    check_params("report", report, OutcomeReport)
    reduction = percent_reduction(report.pain_before_0_10, report.pain_after_0_10)
    verdicts = {
        "pain": f"{reduction:.0f} % less pain: {pain_change_category(reduction)}",
        "physical_function": report.physical_function,
        "emotional_function": report.emotional_function,
        "global_rating": report.global_impression,
        "adverse_events": f"side effects: {report.side_effects}",
        "disposition": ("stopped the treatment" if report.side_effects == "made me stop"
                        else "kept taking the treatment"),
        "sleep": report.sleep,
    }
    improved = (["pain"] if reduction >= MODERATELY_IMPORTANT_PERCENT else [])
    improved += [k.replace("_", " ") for k in ("physical_function", "emotional_function", "sleep")
                 if getattr(report, k) == "better"]
    if GLOBAL_IMPRESSIONS.index(report.global_impression) <= 1:      # much or very much improved
        improved.append("overall rating")
    if report.side_effects == "made me stop":
        overall = "the side effects outweighed the benefit: worth a talk about other options"
    elif len(improved) >= 2:
        overall = (f"a success in several domains ({', '.join(improved)})"
                   + (", even though the pain is not gone" if report.pain_after_0_10 > 0 else ""))
    elif improved:
        overall = f"some benefit ({improved[0]}): worth reviewing which goals improved and which did not"
    else:
        overall = "no clear benefit yet in any domain"
    verdicts["overall"] = overall
    return verdicts
