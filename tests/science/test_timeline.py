"""Our timeline model: treating the cause early resolves the pain, treating late does not."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.models.timeline import (
    DAYS_PER_MONTH,
    RANGES,
    RESOLVED_BELOW,
    TimelineParams,
    run_timeline,
    stimulus_response_curves,
)


def months(m, **kw):
    return run_timeline(TimelineParams(months_untreated=m, **kw))


def test_treating_early_resolves_the_pain():
    result = months(1.0)
    assert result.resolved
    assert result.pain_signal[int(0.5 * DAYS_PER_MONTH)] > 2 * RESOLVED_BELOW  # it did hurt before treatment
    assert result.resolved_day < 6 * DAYS_PER_MONTH


@pytest.mark.parametrize("m", [9.0, 12.0])
def test_treating_late_does_not(m):
    result = months(m)
    assert not result.resolved
    assert np.isnan(result.resolved_day)


def test_late_pain_continues_without_input_from_the_injury():
    result = months(12.0)
    assert result.drive[-1] < 1e-6  # the nerve's input has long gone...
    assert result.pain_signal[-1] > 2 * RESOLVED_BELOW  # ...but the pain has not
    assert result.S[-1] > result.tipping_S  # because S sits above its tipping point


def test_never_removing_the_cause_never_resolves():
    assert not run_timeline(TimelineParams(cause_removed=0.0)).resolved


def test_there_is_one_flip_and_it_is_at_a_plausible_time():
    grid = np.arange(0.0, 24.01, 0.5)
    resolved = np.array([months(m).resolved for m in grid])
    flip = grid[np.argmin(resolved)]  # first month that no longer resolves
    assert resolved[0] and not resolved[-1]
    assert np.all(resolved[grid < flip]) and not np.any(resolved[grid >= flip])
    assert 2.0 <= flip <= 8.0  # "after 3-6 months": not wildly off, but not built in either


def test_no_injury_no_pain():
    result = run_timeline(TimelineParams(injury_drive=0.0))
    assert np.all(result.pain_signal < 1e-6)
    assert result.resolved and result.resolved_day == 0.0


def test_sensitised_cord_shows_allodynia_and_hyperalgesia():
    late = stimulus_response_curves(months(12.0).S[-1])
    mid = slice(3, 8)
    assert np.all(late.touch_now[mid] > 1.5 * late.touch_before[mid])  # touch now hurts
    assert np.all(late.noxious_now[1:] > late.noxious_before[1:])  # pain is amplified
    early = stimulus_response_curves(months(1.0).S[-1])
    assert np.allclose(early.touch_now, early.touch_before, rtol=0.05)
    assert np.allclose(early.noxious_now, early.noxious_before, rtol=0.05)


def test_bad_settings_are_rejected():
    with pytest.raises(ValueError, match="months_untreated"):
        run_timeline(TimelineParams(months_untreated=-1.0))
    with pytest.raises(ValueError, match="healing_days"):
        run_timeline(TimelineParams(healing_days=float("nan")))


@settings(max_examples=30, deadline=None)
@given(values=st.fixed_dictionaries({name: st.floats(lo, hi) for name, (lo, hi) in RANGES.items()}))
def test_any_allowed_settings_give_finite_bounded_output(values):
    values["follow_up_months"] = min(values["follow_up_months"], 40.0)  # keep examples quick
    values["dt_days"] = max(values["dt_days"], 0.5)
    result = run_timeline(TimelineParams(**values))
    for series in (result.drive, result.S, result.W_Hz, result.pain_signal):
        assert np.all(np.isfinite(series))
    assert result.pain_signal.min() >= 0.0 and result.pain_signal.max() <= 100.0
    assert result.S.min() >= 0.0 and result.S.max() <= 1.0
