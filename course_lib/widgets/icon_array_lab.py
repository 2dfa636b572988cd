"""Icon-array lab (notebook 05): how likely is a medicine for neuropathic pain to help?

Pick a drug class; see 100 people like those in the trials: how many reached 50 % relief on
placebo, how many more because of the drug, how many more stopped because of side effects,
and where NeuPSIG places the class (first, second, third line). Tick "Compare" and pick a
second class to see two arrays side by side.

Every count comes from ``course_lib.models.drug_outcomes`` (Finnerup et al. 2015; placebo rate
from a separate review): the readout gives the confidence interval, the ~10 % overstatement
from publication bias, and the limits of comparing separate sets of trials.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..figures.icon_array import build_icon_figure, describe_icon_figure, icon_groups, update_icon_figure
from ..models import drug_outcomes as do
from .base import Lab

DRUG_OPTIONS: tuple[tuple[str, str], ...] = tuple(
    (f"{d.label} ({do.TIER_LABELS[d.tier].split(' (')[0]})", key) for key, d in do.DRUGS.items())
#: every control's allowed values; the tests sweep exactly these
CONTROL_RANGES: dict[str, tuple] = {
    "drug": tuple(key for _, key in DRUG_OPTIONS),
    "second_drug": tuple(key for _, key in DRUG_OPTIONS),
    "compare": (False, True),
}
DEFAULTS = {"drug": "pregabalin", "second_drug": "tca", "compare": False}
DISPLAY_NOTE = ("In the picture, people who stopped because of side effects are drawn among "
                "those without 50 % relief: our simplification, since some may have had relief "
                "before they stopped.")


def icon_readout(first: str, second: str | None) -> str:
    """The readout: counts with the CI, the overstatement and placebo notes, the comparison."""
    parts = [do.describe(first)]
    counts = do.icon_counts(first)
    if counts.extra_bias_adjusted is not None:
        parts.append(f"{do.OVERSTATEMENT_NOTE} Taking {do.OVERSTATEMENT * 100:.0f} % off, the extra "
                     f"responders would be about {counts.extra_bias_adjusted:.0f} rather than "
                     f"{counts.extra_from_drug:.0f} in 100.")
    if second is not None:
        parts.append("Compared with: " + do.describe(second))
        parts.append(do.compare(first, second).summary)
    if icon_groups(first) is not None or (second is not None and icon_groups(second) is not None):
        parts.append(do.PLACEBO_NOTE)
        parts.append(DISPLAY_NOTE)
    parts.append("These are averages over groups of people in trials, not a prediction for one "
                 "person.")
    return " ".join(parts)


class IconArrayLab(Lab):
    """Out of 100 people: placebo responders, extra responders, stopped for side effects."""

    title = "Icon-array lab: out of 100 people in the trials, who got relief?"

    def _build_controls(self) -> dict[str, widgets.Widget]:
        def dropdown(name: str, description: str) -> widgets.Dropdown:
            return widgets.Dropdown(options=list(DRUG_OPTIONS), value=DEFAULTS[name],
                                    description=description,
                                    style={"description_width": "initial"},
                                    layout=widgets.Layout(width="100%", max_width="480px"))

        return {
            "drug": dropdown("drug", "Drug class (NeuPSIG tier)"),
            "compare": widgets.Checkbox(value=DEFAULTS["compare"], indent=False,
                                        description="Compare with a second drug class"),
            "second_drug": dropdown("second_drug", "Second drug class (NeuPSIG tier)"),
        }

    def _build_figure(self):
        return build_icon_figure()

    def chosen(self) -> tuple[str, str | None]:
        second = self.value("second_drug") if self.value("compare") else None
        return self.value("drug"), second

    def _update(self) -> None:
        first, second = self.chosen()
        self.controls["second_drug"].disabled = second is None
        update_icon_figure(self.figure, first, second)
        self.result = {"first": icon_groups(first), "second": None if second is None else icon_groups(second),
                       "counts": do.icon_counts(first),
                       "comparison": None if second is None else do.compare(first, second)}
        sentence = icon_readout(first, second)
        self.set_readout(sentence)
        self.set_description(describe_icon_figure(first, second))
        groups = self.result["first"]
        if groups is not None:      # a class without an NNT has no count to report
            self._publish(groups["extra_from_drug"], sentence)


__all__ = ["CONTROL_RANGES", "DEFAULTS", "DRUG_OPTIONS", "IconArrayLab", "icon_readout"]
