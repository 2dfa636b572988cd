"""Treat-the-cause lab: remove or treat the cause early or late, and see what happens to the pain.

Controls: the cause (diabetes, trapped nerve, shingles, chemotherapy), when it is treated
(months) and how well (HbA1c after better control for diabetes; the new chemotherapy dose;
vaccination and acute pain for shingles). The figure shows the nerve drive, sensitisation S and
the model pain signal (per cent of the model's maximum) over months, treated (coloured) against
untreated (grey). Every curve comes
from ``course_lib.models.causes`` (our teaching models; see that module for sources).
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np

from ..figures.interventions import build_cause_figure, describe_cause_figure, update_cause_figure
from ..models.causes import (ChemoParams, DiabetesParams, DriveResult, chemo_change_cycle, resolved_month,
                             run_scenario, scenario_settings)
from ..models.timeline import DAYS_PER_MONTH, GONE_LINE, PAIN_SIGNAL, RESOLVED_BELOW, pain_signal_text
from .base import Lab, float_slider

CAUSES = ("diabetes", "trapped nerve", "shingles", "chemotherapy")
CHEMO_DOSES: tuple[tuple[str, float], ...] = (
    ("kept at full dose", 1.0),
    ("reduced by a quarter", 0.75),
    ("halved", 0.5),
    ("stopped", 0.0),
)
#: Every control's range (min, max, step) or allowed values: the property tests sweep exactly these.
CONTROL_RANGES = {
    "cause": CAUSES,
    "treat_month": (0.0, 60.0, 0.5),
    "hba1c_after": (6.0, 10.0, 0.5),
    "chemo_dose": tuple(v for _, v in CHEMO_DOSES),
    "vaccinated": (False, True),
    "acute_severity": (0.0, 1.0, 0.05),
}
DEFAULTS = {"cause": "trapped nerve", "treat_month": 3.0, "hba1c_after": 7.0, "chemo_dose": 0.0,
            "vaccinated": False, "acute_severity": 0.5}
#: Which "how well" controls belong to which cause (the others are hidden).
CAUSE_CONTROLS = {
    "diabetes": ("treat_month", "hba1c_after"),
    "trapped nerve": ("treat_month",),
    "shingles": ("vaccinated", "acute_severity"),
    "chemotherapy": ("treat_month", "chemo_dose"),
}
HBA1C_BEFORE = DiabetesParams().hba1c_before  # 9 %, the DCCT conventional arm's level
CHEMO = ChemoParams()
CHEMO_COURSE_MONTHS = CHEMO.cycles_planned * CHEMO.cycle_days / DAYS_PER_MONTH


def _dose_words(dose: float) -> str:
    return next(label for label, value in CHEMO_DOSES if value == dose)


def what_was_done(cause: str, treat_month: float, hba1c_after: float, chemo_dose: float, vaccinated: bool,
                  acute_severity: float) -> str:
    """The treatment in words, for the readout and the figure description."""
    if cause == "diabetes":
        if hba1c_after < HBA1C_BEFORE:
            change = f"brought from {HBA1C_BEFORE:g}% down to {hba1c_after:g}%"
        elif hba1c_after > HBA1C_BEFORE:
            change = f"raised from {HBA1C_BEFORE:g}% to {hba1c_after:g}%"
        else:
            change = f"left at {HBA1C_BEFORE:g}%"
        return f"with HbA1c {change} at month {treat_month:g}"
    if cause == "trapped nerve":
        return f"with the pressure removed at month {treat_month:g}"
    if cause == "shingles":
        return ("with vaccination, which in the model prevents the episode" if vaccinated
                else f"without vaccination, and acute pain of {acute_severity:.2f} on a 0-1 scale")
    if chemo_change_cycle(treat_month) > CHEMO.cycles_planned:
        return (f"with no change: the {CHEMO.cycles_planned}-cycle course ends at about "
                f"{CHEMO_COURSE_MONTHS:.1f} months, before month {treat_month:g}")
    return (f"with the dose {_dose_words(chemo_dose)} from cycle {chemo_change_cycle(treat_month)} "
            f"(month {treat_month:g})")


UNTREATED_WORDS = {
    "diabetes": f"if HbA1c had stayed at {HBA1C_BEFORE:g}%",
    "trapped nerve": "if the pressure were never removed",
    "shingles": "without vaccination",
    "chemotherapy": "with every cycle at full dose",
}
CAUSE_NOTES = {
    "diabetes": "Better glucose control slows new nerve damage; it does not undo damage already done.",
    "trapped nerve": ("Once the pressure is off, myelin repairs over weeks and lost axons regrow at about "
                      "1 mm a day (a textbook figure), so the wait depends on the distance."),
    "shingles": ("Vaccination prevents most shingles (Cunningham et al. 2016, adults aged 70 or older); "
                 "severe acute pain is a known risk factor for lasting pain (Forbes et al. 2016)."),
    "chemotherapy": ("In real care, reducing or stopping chemotherapy is decided with the oncology team, "
                     "weighing the cancer treatment against the nerve damage; the model shows only the nerve side."),
}


def cause_readout(cause: str, treated: DriveResult, untreated: DriveResult, done: str, named: bool = False) -> str:
    """The lab's sentence in words: what was done, the model pain signal at the end, and why.

    ``named``: the lab is set to an invented person's case, so no value near the top of the
    scale is printed (``timeline.pain_signal_text``).
    """
    end_month = float(treated.t_months[-1])
    same = treated.pain_signal.shape == untreated.pain_signal.shape and np.allclose(treated.drive, untreated.drive)
    compare = "" if same else f", against {pain_signal_text(untreated.final_pain, named)} {UNTREATED_WORDS[cause]}"
    start = (f"In this teaching model ({cause}), {done}, the {PAIN_SIGNAL} is "
             f"{pain_signal_text(treated.final_pain, named)} at month {end_month:.0f}{compare}.")
    month = resolved_month(treated)
    if np.isfinite(month) and treated.pain_signal.max() < RESOLVED_BELOW:
        outcome = f"The {PAIN_SIGNAL} never rises above {GONE_LINE}."
    elif np.isfinite(month):
        outcome = f"It falls below {GONE_LINE} from month {month:.1f} and stays there."
    elif treated.S[-1] >= 0.5:
        outcome = ("Sensitisation passed its tipping point before the cause was dealt with, so in the model the "
                   "pain keeps itself going even where the nerve's drive has faded.")
    else:
        outcome = ("Sensitisation stays below its tipping point, but the nerve damage already done keeps some "
                   "drive, so in the model some pain signal remains.")
    return f"{start} {outcome} {CAUSE_NOTES[cause]}"


def _slider(name: str, description: str, fmt: str) -> widgets.FloatSlider:
    return float_slider(description, DEFAULTS[name], *CONTROL_RANGES[name], fmt)


class CauseLab(Lab):
    """Pick a cause, treat it early or late, and compare with no treatment."""

    title = "Treat-the-cause lab: early or late, well or partly (a teaching model)"
    case_id: str | None = None  # set by widgets.case_lab when the lab is set to an invented person
    def _build_controls(self) -> dict[str, widgets.Widget]:
        def wide() -> dict:
            # a Layout of its own per control: hiding the chemotherapy dose (display: none on its
            # Layout) must not hide the cause picker with it
            return {"style": {"description_width": "initial"},
                    "layout": widgets.Layout(width="100%", max_width="480px")}

        return {
            "cause": widgets.Dropdown(options=list(CAUSES), value=DEFAULTS["cause"], description="Cause", **wide()),
            "treat_month": _slider("treat_month", "When the cause is treated (months)", ".1f"),
            "hba1c_after": _slider("hba1c_after", "HbA1c after better control (%)", ".1f"),
            "chemo_dose": widgets.Dropdown(options=list(CHEMO_DOSES), value=DEFAULTS["chemo_dose"],
                                           description="Chemotherapy dose from then on", **wide()),
            "vaccinated": widgets.Checkbox(value=DEFAULTS["vaccinated"], description="Vaccinated against shingles",
                                           indent=False),
            "acute_severity": _slider("acute_severity", "Acute shingles pain (0-1 scale)", ".2f"),
        }

    def _build_figure(self):
        return build_cause_figure()

    def _show_relevant_controls(self, cause: str) -> None:
        for name, control in self.controls.items():
            if name == "cause":
                continue
            control.layout.display = None if name in CAUSE_CONTROLS[cause] else "none"

    def _update(self) -> None:
        values = {name: self.value(name) for name in CONTROL_RANGES}
        cause = values["cause"]
        self._show_relevant_controls(cause)
        settings = dict(treat_month=float(values["treat_month"]), hba1c_after=float(values["hba1c_after"]),
                        chemo_dose=float(values["chemo_dose"]), vaccinated=bool(values["vaccinated"]),
                        acute_severity=float(values["acute_severity"]))
        treated_settings, untreated_settings, mark = scenario_settings(cause, **settings)
        treated = run_scenario(cause, **treated_settings)
        untreated = run_scenario(cause, **untreated_settings)
        update_cause_figure(self.figure, treated, untreated, mark)
        done = what_was_done(cause, **settings)
        self.result = {"treated": treated, "untreated": untreated, "resolved_month": resolved_month(treated)}
        sentence = cause_readout(cause, treated, untreated, done, named=self.case_id is not None)
        self.set_readout(sentence)
        self.set_description(describe_cause_figure(cause, treated, untreated, done, named=self.case_id is not None))
        self._publish(treated.final_pain, sentence)  # model pain signal (% of maximum) at the end of follow-up


__all__ = ["CAUSES", "CAUSE_CONTROLS", "CHEMO_DOSES", "CONTROL_RANGES", "CauseLab", "DEFAULTS", "cause_readout",
           "what_was_done"]
