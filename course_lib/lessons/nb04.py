"""Notebook 04 (interventions aimed at resolution): treat the cause, regrow, relieve, stimulate, reverse.

Notebook use: ``from course_lib.lessons.nb04 import *``.

Every number this module prints comes either from a teaching model (``course_lib.models``: causes,
recovery, gabapentinoid, neuromodulation, reversal) or from the published tables in
``course_lib.models.trials.PUBLISHED`` and ``course_lib.evidence``, where each figure says how it
was checked. Nothing here is typed in by hand.
"""

from __future__ import annotations

import numpy as np

from ..evidence import cite
from ..models.timeline import GONE_LINE, PAIN_SIGNAL, pain_signal_text
from . import Connection, Lesson, ModelNumbers

NOTEBOOK = "04_interventions_aimed_at_resolution"

#: The settings the Predict questions ask about (shared by the connections and the number tables).
LONG_WAIT_MONTH = 24.0
KNEE_SITE = "knee: about 45 cm (rough figure)"
SOME_AXONS_LOST = 0.3
LONG_SENSITISED_MONTHS = 24.0


def _arm(label: str, value: float) -> str:
    """One arm of a published result in words (the table stores ratios x 100, see trials.PUBLISHED)."""
    if label.endswith(" x 100"):
        return f"{label[:-len(' x 100')]} {value / 100:.2f}"
    if label == "NNT":
        return f"NNT {value:g}"
    return f"{label}: {value:g}%"


def _published(key: str) -> str:
    """One published result in a line: the trial, its arms, caveats and citation (from trials.PUBLISHED)."""
    from ..models.trials import PUBLISHED

    result = PUBLISHED[key]
    arms = "; ".join(_arm(label, value) for label, value in result.arms)
    # a caveat that is an instruction to us (how to round), not to the reader, is left out
    caveats = "; ".join(c.split(": print '")[0] for c in result.caveats)
    return (f"{result.trial} ({result.population}). Outcome: {result.outcome}, {result.timepoint}: {arms}. "
            f"Caveats: {caveats}. Source: {result.citation}.")


def _trapped_nerve(month: float):
    from ..models.causes import TrappedNerveParams, run_scenario
    from ..models.causes import resolved_month, scenario_settings

    treated, _untreated, _mark = scenario_settings("trapped nerve", month, 7.0, 0.0, False, 0.5)
    result = run_scenario("trapped nerve", **treated)
    lost = TrappedNerveParams(release_day=treated["release_day"]).axon_loss_at_release()
    return result, resolved_month(result), lost


def _late_release() -> list[str]:
    from ..models.recovery import EXAMPLE_DISTANCES_MM
    from ..models.recovery import weeks_to_target

    lines = []
    for month in (3.0, 14.0, LONG_WAIT_MONTH):
        result, resolved, lost = _trapped_nerve(month)
        fate = (f"the {PAIN_SIGNAL} falls below {GONE_LINE} about {(resolved - month) * 30.44 / 7:.0f} weeks "
                "after the release" if resolved == resolved else f"the {PAIN_SIGNAL} does not fall below {GONE_LINE}")
        lines.append(f"pressure removed at month {month:g}: {fate}; share of axons lost by then {lost:.2f}; "
                     f"sensitisation S at the end {result.S[-1]:.2f}")
    wrist = EXAMPLE_DISTANCES_MM["wrist (carpal tunnel to fingertips)"]
    lines.append(f"the lost axons then regrow from the wrist to the fingertips ({wrist:.0f} mm) in about "
                 f"{weeks_to_target(wrist, 1.0):.0f} weeks at 1 mm a day: in this model the pain signal fades "
                 "before they arrive, and the regrowth is what takes months")
    lines.append("in this model the pressure's input never tips the sensitisation switch, however long it lasts: "
                 "our choice, made so that the model does not contradict what happens to people after the "
                 "operation (the two lines below)")
    from ..evidence import fact  # the published figures, printed beside the model's (one home: evidence.py)

    lines += [f"published: {fact(key).cited()}" for key in ("carpal_tunnel_release", "carpal_tunnel_wait")]
    return lines


def _virtual_dcct() -> list[str]:
    from ..models.causes import virtual_glycaemic_trial

    lines = []
    for diabetes_type in (1, 2):
        trial = virtual_glycaemic_trial(diabetes_type=diabetes_type)
        lines.append(f"type {diabetes_type} (virtual trial, {trial.n_per_arm:,} per arm, {trial.years:g} years): "
                     f"neuropathy in {trial.incidence_intensive:.1%} with intensive against "
                     f"{trial.incidence_conventional:.1%} with conventional control, a relative reduction of "
                     f"{trial.relative_reduction:.0%} (risk ratio {trial.relative_risk:.2f})")
    lines.append("no confidence interval is given: with 20,000 virtual people per arm even the small type 2 effect "
                 "would look certain, while the real type 2 trials were far smaller and their benefit was not "
                 "statistically significant; the virtual trial shows the model's effect, not evidence")
    return lines


def _causes_published() -> list[str]:
    return [_published(key) for key in ("DCCT_neuropathy", "Cochrane_glucose_T1", "ZOE70_zoster",
                                        "Forbes_PHN_acute_pain")]


def _regrowth() -> list[str]:
    from ..models.recovery import EXAMPLE_DISTANCES_MM
    from ..models.recovery import weeks_to_remyelinate, weeks_to_target

    lines = [f"pressure only (no axons lost): myelin about 90 % repaired in {weeks_to_remyelinate():.0f} weeks, "
             "whatever the distance"]
    for name, mm in EXAMPLE_DISTANCES_MM.items():
        lines.append(f"{name}, {mm:.0f} mm: {weeks_to_target(mm, 1.0):.0f} weeks at 1 mm/day, "
                     f"{weeks_to_target(mm, 4.0):.0f} weeks at 4 mm/day")
    return lines + _regrowth_sources()


def _regrowth_sources() -> list[str]:
    """Where the rates come from: the human figure is a textbook value, the one measurement we read is in rabbits."""
    from ..models.trials import REGROWTH_SOURCES

    human, human_note = REGROWTH_SOURCES["human_textbook_mm_per_day"]
    crush, crush_note = REGROWTH_SOURCES["rabbit_crush_mm_per_day"]
    suture, suture_note = REGROWTH_SOURCES["rabbit_suture_mm_per_day"]
    citation, crush_detail = crush_note.rsplit(": ", 1)
    return [f"the rate in people: {human_note}",
            f"rates measured in rabbits ({citation}): {crush:g} mm/day ({crush_detail}); "
            f"{suture:g} mm/day ({suture_note.removeprefix('same paper: ')})"]


_DRUG = {}


def _drug_trial():
    from ..models.gabapentinoid import DrugTrialParams, virtual_drug_trial
    from ..widgets.trial_lab import DEFAULTS

    if "result" not in _DRUG:  # the lab's default trial (placebo response on), the one the Predict asks about
        _DRUG["result"] = virtual_drug_trial(DrugTrialParams(n_per_arm=DEFAULTS["n_patients"], placebo_scale=1.0))
    return _DRUG["result"]


def _drug() -> list[str]:
    from ..models.gabapentinoid import DrugTrialParams

    trial = _drug_trial()
    params = DrugTrialParams()
    return [
        f"after {params.weeks_on:g} weeks on treatment: {trial.responders_drug:.0%} of the virtual patients reach "
        f"50 % relief on the drug, {trial.responders_placebo:.0%} on placebo (model NNT {trial.nnt:.1f})",
        f"{params.weeks_off:g} weeks after stopping: {trial.responders_drug_after:.0%} on the drug arm, "
        f"{trial.responders_placebo_after:.0%} on placebo",
        f"in the model, pain returned in {trial.relapse_fraction:.0%} of the virtual patients whom the drug had "
        "helped (the model's assumption: trials in people measured relief while the drug was taken)",
    ]


def _drug_published() -> list[str]:
    return [_published("Finnerup_pregabalin"), _published("Finnerup_gabapentin")]


#: Said beside the model's sensitised-cord result wherever it is shown (SCIENCE.md section 6).
STIMULATION_MODEL_LIMIT = (
    "that the stimulator stops working in a strongly sensitised cord is a limit of this model, not a prediction: "
    "the stimulation trials enrolled people whose pain had lasted a long time (at least a year in SENZA-PDN, at "
    "least 6 months in ACCURATE) and still saw large effects")


def _stimulation() -> list[str]:
    from ..models.neuromodulation import SCSParams, drg_stimulation, scs_gate

    lines = []
    for S, words in ((0.0, "normal cord (S = 0)"), (0.9, "strongly sensitised cord (S = 0.9)")):
        gate = scs_gate(SCSParams(amplitude=1.5, S=S))
        lines.append(f"conventional stimulation, {words}: C-fibre response {gate.c_response_off:.1f} impulses "
                     f"with the stimulator off, {gate.c_response_on:.1f} with it on "
                     + (f"({gate.relief_fraction:.0%} lower)" if gate.relief_fraction >= 0
                        else f"({-gate.relief_fraction:.0%} higher: in this model the gate no longer closes)"))
    lines.append(STIMULATION_MODEL_LIMIT)
    drg = drg_stimulation()
    name = drg.segment_names[drg.stimulated]
    lines.append(f"DRG stimulation on {name}: {name}'s response {drg.off[drg.stimulated]:.1f} -> "
                 f"{drg.on[drg.stimulated]:.1f} impulses; the other segments unchanged "
                 f"({', '.join(f'{n} {v:.1f}' for i, (n, v) in enumerate(zip(drg.segment_names, drg.on)) if i != drg.stimulated)})")
    return lines


def _stimulation_published() -> list[str]:
    return [_published(key) for key in ("PROCESS", "SENZA_PDN", "ACCURATE")]


def _reversal() -> list[str]:
    from ..models.reversal import ReversalParams, follow_up_after, simulate_reversal, treatment_levels
    from ..widgets.reversal_lab import DEFAULTS

    reduction, boost = treatment_levels(DEFAULTS["cause_removed"], DEFAULTS["stronger_inhibition"],
                                        DEFAULTS["lower_drive"])
    months_on = DEFAULTS["treatment_months"]
    lines = []
    for months in (DEFAULTS["months_sensitised"], 12.0, LONG_SENSITISED_MONTHS):
        result = simulate_reversal(ReversalParams(months_sensitised=months, drive_reduction=reduction,
                                                  inhibition_boost=boost, treatment_months=months_on,
                                                  follow_up_months=follow_up_after(months_on)))
        fate = (f"recovers, S below its tipping point after about {result.days_to_recovery / 7:.0f} weeks"
                if result.recovered else "does not recover")
        lines.append(f"sensitised for {months:g} months, cause removed and stronger inhibition for {months_on:g} "
                     f"months: {fate}; {PAIN_SIGNAL} at the end {pain_signal_text(result.pain_signal[-1])}")
    return lines


_REVERSAL_COHORT = {}


def _reversal_cohort() -> list[str]:
    from ..models.reversal import ReversalCohortParams, ReversalParams, follow_up_after, reversal_cohort
    from ..widgets.reversal_lab import COHORT_SIZE, DEFAULTS

    boost = ReversalParams().inhibition_boost  # the model's "stronger inhibition"

    months_on = DEFAULTS["treatment_months"]
    if "result" not in _REVERSAL_COHORT:
        _REVERSAL_COHORT["result"] = reversal_cohort(
            treatments={"cause removed only": (1.0, 0.0), "cause removed and stronger inhibition": (1.0, boost)},
            cohort=ReversalCohortParams(treatment_months=months_on, follow_up_months=follow_up_after(months_on)))
        longer = 2 * months_on  # the Explain step's "a longer treatment": twice the lab's default course
        _REVERSAL_COHORT["longer"] = (longer, reversal_cohort(
            treatments={"cause removed and stronger inhibition": (1.0, boost)},
            cohort=ReversalCohortParams(treatment_months=longer, follow_up_months=follow_up_after(longer))))
    cohort = _REVERSAL_COHORT["result"]
    lines = [f"{COHORT_SIZE:,} virtual patients at each duration; stronger inhibition, where given, lasts "
             f"{months_on:g} months"]
    for a, months in enumerate(cohort.months):
        shares = ", ".join(f"{name} {cohort.recovered_fraction[a, b]:.0%}" for b, name in enumerate(cohort.treatments))
        lines.append(f"sensitised {months:g} {'month' if months == 1 else 'months'}: {shares} recover")
    longer, cohort_longer = _REVERSAL_COHORT["longer"]
    a = int(np.argmin(np.abs(cohort.months - LONG_SENSITISED_MONTHS)))
    lines.append(f"sensitised {cohort.months[a]:g} months, cause removed and stronger inhibition for {longer:g} "
                 f"instead of {months_on:g} months: {cohort_longer.recovered_fraction[a, 0]:.0%} recover "
                 f"instead of {cohort.recovered_fraction[a, 1]:.0%}")
    return lines


def _regenerative() -> list[str]:
    from ..models.regenerative import APPROACHES

    return [f"{a.name}: aims to {a.aims_to}. Evidence so far: {a.evidence_status}. Approved for neuropathic pain: "
            f"{'yes' if a.approved_for_neuropathic_pain else 'no'}." for a in APPROACHES]


LESSON = Lesson(
    notebook=NOTEBOOK,
    reference_numbers=frozenset({"causes_published", "virtual_dcct", "stimulation", "stimulation_published",
                                 "regenerative"}),
    quiz_ids=("gabapentinoid_mechanism", "normalise_or_mask", "stimulator_mechanism", "senza_caveats",
              "glucose_type1_type2", "surgery_wait", "stem_cell_clinic_claim", "evidence_ladder",
              "cause_or_symptom"),
    numbers={
        "late_release": ("The treat-the-cause model's numbers (trapped nerve)", _late_release),
        "virtual_dcct": ("The virtual glucose-control trial's numbers (a calibrated teaching model)", _virtual_dcct),
        "causes_published": ("Published results behind the treat-the-cause lab", _causes_published),
        "regrowth": ("The regrowth model's numbers", _regrowth),
        "drug": ("The virtual drug trial's numbers", _drug),
        "drug_published": ("Published results for gabapentinoids", _drug_published),
        "stimulation": ("The gate model's numbers with a stimulator", _stimulation),
        "stimulation_published": ("Published stimulation trials", _stimulation_published),
        "reversal": ("The reversal model's numbers (one virtual patient)", _reversal),
        "reversal_cohort": ("The reversal model's virtual cohort", _reversal_cohort),
        "regenerative": ("Regenerative medicine: what it aims at and where the evidence stands", _regenerative),
    },
    connections={
        "cause": Connection("predict_release_after_long_wait",
                            when={"cause": "trapped nerve", "treat_month": (LONG_WAIT_MONTH, 60.0)}),
        "regrowth": Connection("predict_knee_regrowth",
                               when={"site": KNEE_SITE, "axon_loss": SOME_AXONS_LOST, "rate_mm_per_day": (0.9, 1.1)}),
        "trial": Connection("predict_drug_after_stopping",
                            when={"treatment": "gabapentinoid", "placebo": True, "after_stopping": True}),
        "reversal": Connection("predict_reversal_duration",
                               when={"months_sensitised": (LONG_SENSITISED_MONTHS, 48.0), "cause_removed": True,
                                     "stronger_inhibition": True, "lower_drive": False,
                                     "treatment_months": (5.5, 6.5)}),
    },
)


def cause_lab():
    from ..widgets.cause_lab import CauseLab

    return LESSON.connect(CauseLab(), "cause")


def regrowth_lab():
    from ..widgets.regrowth_lab import RegrowthLab

    return LESSON.connect(RegrowthLab(), "regrowth")


def trial_lab():
    from ..widgets.trial_lab import TrialLab

    return LESSON.connect(TrialLab(), "trial")


def reversal_lab():
    from ..widgets.reversal_lab import ReversalLab

    return LESSON.connect(ReversalLab(), "reversal")


def model_numbers(key: str) -> ModelNumbers:
    return LESSON.model_numbers(key)


question = LESSON.question
quiz = LESSON.quiz
self_check = LESSON.self_check

__all__ = ["cause_lab", "cite", "model_numbers", "question", "quiz", "regrowth_lab", "reversal_lab", "self_check",
           "trial_lab"]
