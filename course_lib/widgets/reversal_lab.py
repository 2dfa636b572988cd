"""Sensitisation-reversal lab: can central sensitisation be turned back, and does it matter how long it lasted?

Controls: months sensitised before treatment, the treatment combination (cause removed,
stronger inhibition, lower drive: Checkboxes) and how long the extra inhibition lasts. The figure
shows S and its slow consolidation M, and the model pain signal, over months (one virtual patient,
recomputed on every change in well under a frame). The virtual cohort (1,000 patients at six
durations) takes a fraction of a second to a couple of seconds, too slow for a slider, so it runs
on a button and is cached per treatment. Model: ``course_lib.models.reversal`` (our teaching
model; see its docstring for what it leaves out).
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np

from ..figures.interventions import build_reversal_figure, describe_reversal_figure, update_reversal_figure
from ..models.reversal import (ReversalCohortParams, ReversalCohortResult, ReversalParams, follow_up_after,
                               reversal_cohort, simulate_reversal, treatment_levels)
from ..models.timeline import PAIN_SIGNAL, pain_signal_text
from .base import Lab, float_slider

#: Every control's range (min, max, step) or allowed values: the property tests sweep exactly these.
CONTROL_RANGES = {
    "months_sensitised": (0.0, 48.0, 1.0),
    "cause_removed": (False, True),
    "stronger_inhibition": (False, True),
    "lower_drive": (False, True),
    "treatment_months": (0.0, 24.0, 1.0),
}
DEFAULTS = {"months_sensitised": 6.0, "cause_removed": True, "stronger_inhibition": True, "lower_drive": False,
            "treatment_months": 6.0}
COHORT_SIZE = ReversalCohortParams().n_patients


def treatment_words(cause_removed: bool, stronger_inhibition: bool, lower_drive: bool, treatment_months: float) -> str:
    """The combination in words."""
    parts = []
    if cause_removed:
        parts.append("the cause removed" + (" (so lowering the drive adds nothing)" if lower_drive else ""))
    elif lower_drive:
        parts.append("the drive halved while the cause stays")
    if stronger_inhibition:
        parts.append(f"stronger inhibition for {treatment_months:g} months" if treatment_months > 0
                     else "stronger inhibition for 0 months (so none)")
    return " and ".join(parts) if parts else "no treatment"


def cohort_sentence(cohort: ReversalCohortResult | None, months_sensitised: float) -> str:
    if cohort is None:
        return (f"The virtual cohort ({COHORT_SIZE:,} patients, six durations) takes up to a couple of seconds, "
                "too slow for a slider: press 'Run the virtual cohort' to see how many recover with this "
                "treatment.")
    frac = cohort.recovered_fraction[:, 0]
    here = float(np.interp(months_sensitised, cohort.months, frac))
    return (f"In the virtual cohort of {COHORT_SIZE:,} patients with this treatment, about {here:.0%} recover "
            f"after {months_sensitised:g} months sensitised ({frac[0]:.0%} after {cohort.months[0]:g} month, "
            f"{frac[-1]:.0%} after {cohort.months[-1]:g} months).")


def reversal_readout(result, months_sensitised: float, words: str, cohort: ReversalCohortResult | None) -> str:
    """The lab's sentence in words: the one patient, then the cohort (or how to run it)."""
    start = f"In this teaching model, after {months_sensitised:g} months sensitised, with {words}: "
    if result.recovered:
        weeks = result.days_to_recovery / 7.0
        patient = (f"S falls below its tipping point about {weeks:.0f} weeks after treatment starts and stays low; "
                   f"the {PAIN_SIGNAL} ends at {pain_signal_text(result.pain_signal[-1])}.")
    elif math.isfinite(result.days_to_recovery):
        patient = (f"S dips but climbs back once treatment ends; the {PAIN_SIGNAL} ends at "
                   f"{pain_signal_text(result.pain_signal[-1])}.")
    else:
        patient = f"S stays high; the {PAIN_SIGNAL} ends at {pain_signal_text(result.pain_signal[-1])}."
    return f"{start}{patient} {cohort_sentence(cohort, months_sensitised)}"


class ReversalLab(Lab):
    """Turn the switch back: what it takes, and how that depends on how long S was high."""

    title = "Sensitisation-reversal lab: how long, and what was done (a teaching model)"

    def __init__(self) -> None:
        self._cohorts: dict[tuple[float, float, float], ReversalCohortResult] = {}
        super().__init__()

    def _build_controls(self) -> dict[str, widgets.Widget]:
        def slider(name: str, description: str) -> widgets.FloatSlider:
            return float_slider(description, DEFAULTS[name], *CONTROL_RANGES[name], ".0f")

        def box(name: str, description: str) -> widgets.Checkbox:
            return widgets.Checkbox(value=DEFAULTS[name], description=description, indent=False)

        button = widgets.Button(description="Run the virtual cohort", icon="play",
                                tooltip=f"Simulate {COHORT_SIZE:,} virtual patients (takes up to a couple of seconds)",
                                layout=widgets.Layout(width="auto"))
        button.on_click(lambda _button: self.run_cohort())
        return {
            "months_sensitised": slider("months_sensitised", "Months sensitised before treatment (months)"),
            "cause_removed": box("cause_removed", "Cause removed"),
            "stronger_inhibition": box("stronger_inhibition", "Stronger inhibition"),
            "lower_drive": box("lower_drive", "Lower drive (halved)"),
            "treatment_months": slider("treatment_months", "Duration of the stronger inhibition (months)"),
            "run_cohort": button,
        }

    def _build_figure(self):
        return build_reversal_figure()

    def _key(self) -> tuple[float, float, float]:
        reduction, boost = treatment_levels(bool(self.value("cause_removed")), bool(self.value("stronger_inhibition")),
                                     bool(self.value("lower_drive")))
        return reduction, boost, float(self.value("treatment_months"))

    def current_cohort(self) -> ReversalCohortResult | None:
        """The cohort for the current treatment, if it has been run (cached per treatment)."""
        return self._cohorts.get(self._key())

    def run_cohort(self) -> ReversalCohortResult:
        """Run (or reuse) the virtual cohort for the current treatment, then update the lab."""
        key = self._key()
        if key not in self._cohorts:
            reduction, boost, months = key
            self._cohorts[key] = reversal_cohort(
                treatments={"this treatment": (reduction, boost)},
                cohort=ReversalCohortParams(treatment_months=months, follow_up_months=follow_up_after(months)),
            )
        self.refresh()
        return self._cohorts[key]

    def _update(self) -> None:
        months = float(self.value("months_sensitised"))
        removed, inhibit, lower = (bool(self.value(n)) for n in ("cause_removed", "stronger_inhibition", "lower_drive"))
        treat_months = float(self.value("treatment_months"))
        reduction, boost = treatment_levels(removed, inhibit, lower)
        self.controls["treatment_months"].disabled = not inhibit
        result = simulate_reversal(ReversalParams(months_sensitised=months, drive_reduction=reduction,
                                                  inhibition_boost=boost, treatment_months=treat_months,
                                                  follow_up_months=follow_up_after(treat_months)))
        cohort = self.current_cohort()
        update_reversal_figure(self.figure, result, treat_months if inhibit else 0.0, cohort, months)
        words = treatment_words(removed, inhibit, lower, treat_months)
        self.result = {"patient": result, "cohort": cohort}
        sentence = reversal_readout(result, months, words, cohort)
        self.set_readout(sentence)
        self.set_description(describe_reversal_figure(result, months, words, cohort))
        self._publish(float(result.pain_signal[-1]), sentence)  # % of the model's maximum at the end of follow-up


__all__ = ["CONTROL_RANGES", "DEFAULTS", "ReversalLab", "cohort_sentence", "follow_up_months", "reversal_readout",
           "treatment", "treatment_words"]
