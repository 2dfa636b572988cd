"""Regrowth lab: after the cause is removed, how long until the nerve has recovered?

Controls: the injury site (which sets a rough distance to the target), the distance itself,
the regrowth rate (1-4 mm/day, textbook figure about 1), the severity (pressure only: the myelin
repairs in weeks; axons lost: they must regrow the whole distance) and the week shown on the
limb. The figure draws the regrowth front along a schematic limb and the nerve's abnormal drive
over weeks. Numbers come from ``course_lib.models.recovery`` (our teaching model; the human
regrowth rate is a textbook value, see that module).
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np

from ..figures.interventions import (DAYS_PER_WEEK, build_regrowth_figure, describe_regrowth_figure, front_at,
                                     update_regrowth_figure)
from ..models.recovery import (EXAMPLE_DISTANCES_MM, RecoveryParams, recovery_time_course, regrowth_days,
                               weeks_to_remyelinate, weeks_to_target)
from .base import Lab, float_slider

OTHER_SITE = "other (use the distance slider)"
#: Injury sites with rough distances to the target (our anatomical estimates, for teaching only).
SITES: dict[str, float] = {
    f"{name.split(' (')[0]}: about {mm / 10:.0f} cm (rough figure)": mm for name, mm in EXAMPLE_DISTANCES_MM.items()
}
SITE_DETAILS = {f"{name.split(' (')[0]}: about {mm / 10:.0f} cm (rough figure)": name.replace(" (", ": ").rstrip(")")
                for name, mm in EXAMPLE_DISTANCES_MM.items()}
SEVERITIES: tuple[tuple[str, float], ...] = (
    ("pressure only: myelin damaged, axons intact", 0.0),
    ("some axons lost (about a third)", 0.3),
    ("most axons lost", 0.9),
)
#: Every control's range (min, max, step) or allowed values: the property tests sweep exactly these.
CONTROL_RANGES = {
    "site": (*SITES, OTHER_SITE),
    "distance_mm": (10.0, 600.0, 10.0),
    "rate_mm_per_day": (1.0, 4.0, 0.5),
    "axon_loss": tuple(v for _, v in SEVERITIES),
    "week_shown": (0.0, 104.0, 1.0),
}
FIRST_SITE = next(iter(SITES))
DEFAULTS = {"site": FIRST_SITE, "distance_mm": SITES[FIRST_SITE], "rate_mm_per_day": 1.0, "axon_loss": 0.3,
            "week_shown": 8.0}




def regrowth_readout(site: str, distance_mm: float, rate: float, axon_loss: float, week_shown: float,
                     front_mm: float) -> str:
    """The lab's sentence in words: weeks to recovery and where the front is now."""
    place = "" if site == OTHER_SITE else f" ({SITE_DETAILS[site]}; a rough distance)"
    myelin = f"myelin repair ends most of the abnormal firing in about {weeks_to_remyelinate():.0f} weeks"
    if axon_loss <= 0.0:
        return (f"In this teaching model, with pressure only{place}, no axons have to regrow: {myelin}, whatever "
                f"the distance of {distance_mm:.0f} mm.")
    days = regrowth_days(distance_mm, rate)
    where = ("has reached the target" if front_mm >= distance_mm - 1e-9
             else f"is {front_mm:.0f} mm along, {distance_mm - front_mm:.0f} mm still to go")
    return (f"In this teaching model, lost axons regrow {distance_mm:.0f} mm{place} at {rate:g} mm a day: "
            f"{distance_mm:.0f} / {rate:g} = {days:.0f} days, about {days / DAYS_PER_WEEK:.0f} weeks "
            f"({days / 30.44:.1f} months) until they reach their target. Meanwhile {myelin} in the surviving "
            f"axons. At week {week_shown:g} the regrowth front {where}.")


def _slider(name: str, description: str, fmt: str, continuous: bool = True) -> widgets.FloatSlider:
    return float_slider(description, DEFAULTS[name], *CONTROL_RANGES[name], fmt, continuous=continuous)


class RegrowthLab(Lab):
    """Distance divided by speed: the wait for a regrowing nerve."""

    title = "Regrowth lab: how far, how fast, how badly injured (a teaching model)"

    def _build_controls(self) -> dict[str, widgets.Widget]:
        wide = {"style": {"description_width": "initial"},
                "layout": widgets.Layout(width="100%", max_width="480px")}
        return {
            "site": widgets.Dropdown(options=list(CONTROL_RANGES["site"]), value=DEFAULTS["site"],
                                     description="Injury site", **wide),
            "distance_mm": _slider("distance_mm", "Distance from the injury to the target (mm)", ".0f"),
            "rate_mm_per_day": _slider("rate_mm_per_day", "Regrowth rate (mm/day)", ".1f"),
            "axon_loss": widgets.Dropdown(options=list(SEVERITIES), value=DEFAULTS["axon_loss"],
                                          description="How badly injured", **wide),
            "week_shown": _slider("week_shown", "Week shown on the limb (weeks)", ".0f"),
        }

    def _build_figure(self):
        return build_regrowth_figure()

    def _on_change(self, change: dict) -> None:
        """Keep the site and the distance in step: a site sets its distance; a new distance is 'other'."""
        if self._suspend_updates:
            return
        owner = change.get("owner")
        with self.updates_suspended():
            if owner is self.controls["site"] and change["new"] in SITES:
                self.controls["distance_mm"].value = SITES[change["new"]]
            elif owner is self.controls["distance_mm"]:
                site = self.controls["site"].value
                if site in SITES and not np.isclose(SITES[site], change["new"]):
                    self.controls["site"].value = OTHER_SITE
        self.refresh()

    def set_values(self, **values) -> None:
        """A preset that names a site but no distance gets the site's distance, as the dropdown does."""
        if values.get("site") in SITES and "distance_mm" not in values:
            values["distance_mm"] = SITES[values["site"]]
        super().set_values(**values)

    def _update(self) -> None:
        distance = float(self.value("distance_mm"))
        site = self.value("site")
        if site in SITES and not np.isclose(SITES[site], distance):  # e.g. both set at once by a preset
            site = OTHER_SITE
        rate = float(self.value("rate_mm_per_day"))
        loss = float(self.value("axon_loss"))
        week = float(self.value("week_shown"))
        params = RecoveryParams(distance_mm=distance, rate_mm_per_day=rate, axon_loss=loss, drive0=1.0)
        span = float(CONTROL_RANGES["week_shown"][1])
        days = np.arange(0.0, span * DAYS_PER_WEEK + 1.0)
        result = recovery_time_course(params, days)
        axons_lost = loss > 0.0
        front = front_at(result, week * DAYS_PER_WEEK) if axons_lost else 0.0
        update_regrowth_figure(self.figure, result, distance, week, axons_lost, span)
        to_target = weeks_to_target(distance, rate)
        self.result = {"recovery": result, "weeks_to_target": to_target if axons_lost else math.nan,
                       "weeks_to_remyelinate": weeks_to_remyelinate(), "front_mm": front}
        sentence = regrowth_readout(site, distance, rate, loss, week, front)
        self.set_readout(sentence)
        label = "a chosen distance" if site == OTHER_SITE else SITE_DETAILS[site]
        self.set_description(describe_regrowth_figure(label, distance, rate, week, front, axons_lost, to_target,
                                                      weeks_to_remyelinate()))
        # weeks until recovery: regrowth when axons were lost, myelin repair otherwise
        self._publish(to_target if axons_lost else weeks_to_remyelinate(), sentence)


__all__ = ["CONTROL_RANGES", "DEFAULTS", "OTHER_SITE", "RegrowthLab", "SEVERITIES", "SITES", "regrowth_readout"]
