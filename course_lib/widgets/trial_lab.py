"""Trial lab: out of 100 people, how many got relief, in the model and in the published trials?

Controls: what is tested (the gabapentinoid virtual trial beside the published pregabalin
result, or one of three published stimulation trials), whether the placebo response is
included, the number of virtual patients per arm, and whether responders are counted at the end
of treatment or eight weeks after stopping the drug. The figure shows two icon arrays of 100
people (notebook 05's icon-array conventions); the readout gives the numbers and the caveats in
words.

Sources: the virtual trial is ``course_lib.models.gabapentinoid.virtual_drug_trial`` (our
teaching model, calibrated to the published rates); the pregabalin NNT and the placebo rate come
from ``course_lib.models.drug_outcomes`` (Finnerup et al. 2015; placebo-response review); the
stimulation trials from ``course_lib.models.trials.PUBLISHED`` (PROCESS, SENZA-PDN, ACCURATE),
where every number says how it was checked. Stimulation trials are shown, never simulated.
"""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets

from ..figures.trial_icons import build_trial_figure, describe_trial_figure, update_trial_figure
from ..models import drug_outcomes as do
from ..models.gabapentinoid import DrugTrialParams, DrugTrialResult, virtual_drug_trial
from ..models.trials import PUBLISHED, responders_out_of_100
from .base import Lab

DRUG = "gabapentinoid"
TREATMENTS: tuple[tuple[str, str], ...] = (
    ("Gabapentinoid: virtual trial beside pregabalin's published result", DRUG),
    ("Spinal cord stimulation, PROCESS (published only)", "PROCESS"),
    ("10 kHz spinal cord stimulation, SENZA-PDN (published only)", "SENZA_PDN"),
    ("DRG stimulation vs spinal cord stimulation, ACCURATE (published only)", "ACCURATE"),
)
#: Every control's range (min, max, step) or allowed values: the property tests sweep exactly these.
CONTROL_RANGES = {
    "treatment": tuple(v for _, v in TREATMENTS),
    "placebo": (False, True),
    "n_patients": (100, 1000, 100),
    "after_stopping": (False, True),
}
DEFAULTS = {"treatment": DRUG, "placebo": True, "n_patients": 500, "after_stopping": False}
TRIAL = DrugTrialParams()
WEEKS_ON, WEEKS_OFF = TRIAL.weeks_on, TRIAL.weeks_off
PUBLISHED_DRUG = "pregabalin"
DRUG_CAVEATS = (
    "The published numbers pool randomised, double-blind trials lasting weeks to a few months; an analysis of "
    "publication bias suggested they overstate effects by about 10 % (Finnerup et al. 2015). The placebo "
    "rate comes from a separate review and varies between conditions. The trials measured relief while people "
    "took the drug; none shows relief lasting after stopping, and in a withdrawal trial (Raskin et al. 2014, "
    "Clin J Pain 30:379) relief was lost sooner on placebo than on pregabalin, on average. Never stop or change "
    "a medicine without talking to the prescriber."
)
STIMULATION_NOTE = ("These are published results only: the course does not simulate these trials, so the placebo, "
                    "virtual-patient and after-stopping controls do nothing here.")

STIMULATION_TAKEAWAYS = {
    "PROCESS": ("more people reached the outcome with the stimulator in this trial, but nobody was blinded and the "
                "device maker sponsored it: read the caveats in the readout."),
    "SENZA_PDN": ("more people reached the outcome with the stimulator in this trial, but it was open label, funded "
                  "by the device maker, in selected patients: read the caveats in the readout."),
    "ACCURATE": ("both groups had a stimulator: DRG stimulation did better than conventional stimulation in this "
                 "trial, with no untreated or sham group to compare: read the caveats in the readout."),
}


@lru_cache(maxsize=64)
def drug_trial(n_patients: int, placebo: bool) -> DrugTrialResult:
    """The virtual trial for one setting (deterministic for a fixed seed, so cached exactly)."""
    return virtual_drug_trial(DrugTrialParams(n_per_arm=int(n_patients), placebo_scale=1.0 if placebo else 0.0))


def model_counts(result: DrugTrialResult, after_stopping: bool) -> dict[str, int]:
    """The virtual trial's drug arm as whole people out of 100: placebo responders, extra, the rest."""
    placebo = result.responders_placebo_after if after_stopping else result.responders_placebo
    drug = result.responders_drug_after if after_stopping else result.responders_drug
    on_placebo = responders_out_of_100(100.0 * placebo)
    on_drug = responders_out_of_100(100.0 * drug)
    extra = max(on_drug - on_placebo, 0)
    return {"placebo": on_placebo, "extra_from_drug": extra, "no_relief": 100 - on_placebo - extra}


def published_drug_counts() -> dict[str, int]:
    """Pregabalin out of 100: placebo responders (review) and extra responders (100 / NNT)."""
    counts = do.icon_counts(PUBLISHED_DRUG).rounded()
    placebo, extra = counts["placebo"], counts["extra_from_drug"]
    return {"placebo": placebo, "extra_from_drug": extra, "no_relief": 100 - placebo - extra}


def arm_counts(key: str) -> tuple[tuple[str, dict[str, int]], tuple[str, dict[str, int]]]:
    """(comparison arm, stimulation arm) of a published trial as (label, counts out of 100)."""
    result = PUBLISHED[key]
    (treated_label, treated), (control_label, control) = result.arms
    def counts(percent):
        r = responders_out_of_100(percent)
        return {"responder": r, "no_relief": 100 - r}
    return (control_label, counts(control)), (treated_label, counts(treated))


def drug_readout(result: DrugTrialResult, counts: dict[str, int], placebo: bool, after_stopping: bool,
                 n_patients: int) -> str:
    published = published_drug_counts()
    nnt = do.drug(PUBLISHED_DRUG).nnt
    on_drug = counts["placebo"] + counts["extra_from_drug"]
    head = f"In this teaching model's virtual trial ({n_patients:,} virtual patients, {WEEKS_ON:g} weeks of treatment)"
    if after_stopping:
        model = (f"{head}, {WEEKS_OFF:g} weeks after stopping, {on_drug} in 100 on the drug still have 50 % relief, "
                 f"against {counts['placebo']} in 100 on placebo: in the model the drug's extra relief has gone. In the model, "
                 f"pain returned in {result.relapse_fraction:.0%} of the virtual patients whom the drug had helped; "
                 "that is the teaching model's assumption, not a measured figure.")
    elif placebo:
        model = (f"{head}, {counts['placebo']} in 100 reach 50 % relief on placebo and {on_drug} in 100 on the drug: "
                 f"{counts['extra_from_drug']} more because of the drug.")
    else:
        model = (f"{head}, with the placebo response switched off, only what the drug does in the model counts: "
                 f"{on_drug} in 100 reach 50 % relief. Real trials always include a placebo response.")
    pub = (f"Published (pregabalin, Finnerup et al. 2015): NNT {nnt:g}, so about {published['extra_from_drug']} more "
           f"in 100 than the about {published['placebo']} in 100 who reach 50 % relief on placebo; this is measured "
           "at the end of treatment.")
    return f"{model} {pub} {DRUG_CAVEATS}"


def stimulation_readout(key: str) -> str:
    result = PUBLISHED[key]
    (control_label, control), (treated_label, treated) = arm_counts(key)
    caveats = "; ".join(result.caveats)
    return (f"Published: {result.trial} ({result.citation}), {result.population}. Outcome: {result.outcome}, at "
            f"{result.timepoint}: {treated['responder']} in 100 with {treated_label} against "
            f"{control['responder']} in 100 with {control_label}. Caveats: {caveats}. {STIMULATION_NOTE} These "
            "are group results from selected patients, not a prediction for one person.")


class TrialLab(Lab):
    """Responders out of 100: the model's virtual trial beside the published figures."""

    title = "Trial lab: out of 100 people, who got relief? (model and published trials)"

    def _build_controls(self) -> dict[str, widgets.Widget]:
        low, high, step = CONTROL_RANGES["n_patients"]
        wide = {"style": {"description_width": "initial"}, "layout": widgets.Layout(width="100%", max_width="480px")}
        return {
            "treatment": widgets.Dropdown(options=list(TREATMENTS), value=DEFAULTS["treatment"],
                                          description="What is tested", **wide),
            "placebo": widgets.Checkbox(value=DEFAULTS["placebo"], description="Include the placebo response",
                                        indent=False),
            "n_patients": widgets.IntSlider(value=DEFAULTS["n_patients"], min=low, max=high, step=step,
                                            description="Virtual patients per arm (people)",
                                            continuous_update=False, **wide),
            "after_stopping": widgets.Checkbox(value=DEFAULTS["after_stopping"], indent=False,
                                               description=f"Count {WEEKS_OFF:g} weeks after stopping the drug"),
        }

    def _build_figure(self):
        return build_trial_figure()

    def _update(self) -> None:
        key = self.value("treatment")
        is_drug = key == DRUG
        for name in ("placebo", "n_patients", "after_stopping"):
            self.controls[name].disabled = not is_drug
        if is_drug:
            placebo = bool(self.value("placebo"))
            after = bool(self.value("after_stopping"))
            n = int(self.value("n_patients"))
            result = drug_trial(n, placebo)
            counts = model_counts(result, after)
            when = f"{WEEKS_OFF:g} weeks after stopping" if after else f"after {WEEKS_ON:g} weeks on the drug"
            panels = (
                (f"Model (virtual trial):<br>drug arm, {when}", counts,
                 "placebo response included" if placebo else "placebo response off"),
                ("Published: pregabalin<br>(Finnerup et al. 2015)", published_drug_counts(),
                 "at the end of treatment"),
            )
            sentence = drug_readout(result, counts, placebo, after, n)
            takeaway = ("in this teaching model the drug's extra responders are gone once it is stopped; real trials "
                        "measured relief while people took the drug." if after else
                        "the stars are the people helped by the drug itself, on top of those who improve on placebo; "
                        "group averages, not a forecast for one person.")
            self.result = {"trial": result, "model_counts": counts, "published_counts": panels[1][1]}
            value = counts["placebo"] + counts["extra_from_drug"]
        else:
            (control_label, control), (treated_label, treated) = arm_counts(key)
            trial = PUBLISHED[key]
            panels = ((f"Published, comparison:<br>{control_label}", control, trial.timepoint),
                      (f"Published, stimulation:<br>{treated_label}", treated, trial.timepoint))
            sentence = stimulation_readout(key)
            takeaway = STIMULATION_TAKEAWAYS[key]
            self.result = {"trial": trial, "comparison_counts": control, "treated_counts": treated}
            value = treated["responder"]
        update_trial_figure(self.figure, panels)
        self.set_readout(sentence)
        self.set_description(describe_trial_figure(panels, takeaway))
        self._publish(value, sentence)  # responders out of 100 in the treated (drug or stimulation) arm


__all__ = ["CONTROL_RANGES", "DEFAULTS", "DRUG", "TREATMENTS", "TrialLab", "arm_counts", "drug_readout", "drug_trial",
           "model_counts", "published_drug_counts", "stimulation_readout"]
