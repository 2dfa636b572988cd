"""Regrowth lab: weeks = distance / rate, the front along the limb, site and distance in step."""

import html
import re

import numpy as np
import pytest

from course_lib.figures.interventions import REGROWTH_TRACE
from course_lib.models.recovery import EXAMPLE_DISTANCES_MM
from course_lib.widgets.regrowth_lab import DEFAULTS, OTHER_SITE, SITES, RegrowthLab


@pytest.fixture(scope="module")
def lab():
    return RegrowthLab()


def trace(lab, key):
    t = lab.figure.data[REGROWTH_TRACE[key]]
    return np.asarray(t.x, dtype=float), np.asarray(t.y, dtype=float)


def text(lab):
    return html.unescape(re.sub("<[^>]+>", "", lab.readout.value))


@pytest.mark.parametrize("distance, rate", [(120.0, 1.0), (450.0, 1.0), (480.0, 2.0), (300.0, 4.0), (10.0, 1.5)])
def test_readout_gives_distance_over_rate(lab, distance, rate):
    lab.set_values(site=OTHER_SITE, distance_mm=distance, rate_mm_per_day=rate, axon_loss=0.3)
    days = distance / rate
    sentence = text(lab)
    assert f"{distance:.0f} / {rate:g} = {days:.0f} days" in sentence
    assert f"about {days / 7:.0f} weeks" in sentence
    assert lab.result["weeks_to_target"] == pytest.approx(days / 7.0)
    x, _ = trace(lab, "arrival")
    assert np.allclose(x, days / 7.0)


def test_doubling_the_rate_halves_the_wait(lab):
    lab.set_values(site=OTHER_SITE, distance_mm=300.0, rate_mm_per_day=1.0, axon_loss=0.9)
    slow = lab.result["weeks_to_target"]
    lab.set_values(rate_mm_per_day=2.0)
    assert lab.result["weeks_to_target"] == pytest.approx(slow / 2.0)


def test_front_moves_along_the_limb_and_stops_at_the_target(lab):
    lab.set_values(site=OTHER_SITE, distance_mm=200.0, rate_mm_per_day=1.0, axon_loss=0.3, week_shown=10.0)
    x, _ = trace(lab, "front")
    assert x[0] == pytest.approx(70.0)
    assert trace(lab, "regrown")[0].max() == pytest.approx(70.0)
    assert "130 mm still to go" in text(lab)
    lab.set_values(week_shown=60.0)
    assert trace(lab, "front")[0][0] == pytest.approx(200.0)
    assert "has reached the target" in text(lab)
    assert trace(lab, "target")[0][0] == pytest.approx(200.0)


def test_pressure_only_needs_no_regrowth(lab):
    lab.set_values(site=OTHER_SITE, distance_mm=500.0, axon_loss=0.0, week_shown=20.0)
    assert trace(lab, "front")[0].size == 0 and trace(lab, "arrival")[0].size == 0
    assert "no axons have to regrow" in text(lab)
    _, drive = trace(lab, "drive")
    weeks, _ = trace(lab, "drive")
    # myelin repair alone: the drive has fallen below a tenth within about 7 weeks
    assert drive[np.searchsorted(weeks, 7.0)] <= 0.1 * drive[0] + 1e-9


def test_choosing_a_site_sets_its_distance_and_a_new_distance_means_other(lab):
    knee = next(s for s in SITES if s.startswith("knee"))
    lab.controls["site"].value = knee
    assert lab.controls["distance_mm"].value == EXAMPLE_DISTANCES_MM[
        "knee (peroneal nerve at the fibular head to the toes)"]
    assert "rough" in knee and "a rough distance" in text(lab)
    lab.controls["distance_mm"].value = 200.0
    assert lab.controls["site"].value == OTHER_SITE
    wrist = next(s for s in SITES if s.startswith("wrist"))
    lab.controls["site"].value = wrist
    assert lab.controls["distance_mm"].value == 120.0


def test_wrist_is_months_and_knee_is_over_a_year_at_1_mm_a_day(lab):
    lab.reset()
    wrist = lab.result["weeks_to_target"]
    lab.controls["site"].value = next(s for s in SITES if s.startswith("knee"))
    knee = lab.result["weeks_to_target"]
    assert 12 < wrist < 26 and knee > 52


def test_reset_restores_defaults_and_publishes_weeks():
    lab = RegrowthLab()
    seen = []
    lab.on_result(lambda value, sentence: seen.append(value))
    lab.set_values(site=OTHER_SITE, distance_mm=600.0, rate_mm_per_day=4.0, week_shown=3.0)
    assert seen[-1] == pytest.approx(600.0 / 4.0 / 7.0)
    lab.reset()
    assert {n: lab.controls[n].value for n in DEFAULTS} == DEFAULTS


def test_a_site_with_a_different_distance_is_not_named_in_the_readout(lab):
    knee = next(s for s in SITES if s.startswith("knee"))
    lab.set_values(site=knee, distance_mm=50.0)
    assert "knee" not in text(lab) and "50 mm" in text(lab)


def test_a_preset_naming_only_a_site_gets_its_distance(lab):
    elbow = next(s for s in SITES if s.startswith("elbow"))
    lab.set_values(site=elbow)
    assert lab.controls["distance_mm"].value == SITES[elbow] and "elbow" in text(lab)
