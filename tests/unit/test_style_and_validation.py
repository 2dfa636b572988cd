"""Figure style helpers and the shared parameter validation."""

import math
from pathlib import Path
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.figures.style import PALETTE, base_layout, decimate, describe_range
from course_lib.models._validation import check_range, validate_fields


def test_decimate_keeps_every_spike_peak():
    t = np.linspace(0, 1000, 100_001)
    v = np.full_like(t, -65.0)
    spike_idx = np.arange(5_000, 100_000, 9_973)
    v[spike_idx] = 40.0  # one-sample spikes: striding would miss most of them
    x, y = decimate(t, v, max_points=2000)
    assert x.size <= 2000
    assert np.count_nonzero(y == 40.0) == spike_idx.size
    assert np.all(np.diff(x) > 0)


def test_decimate_leaves_short_traces_alone_and_checks_shapes():
    x, y = decimate(np.arange(10.0), np.arange(10.0))
    assert x.size == 10
    with pytest.raises(ValueError, match="same shape"):
        decimate(np.arange(3.0), np.arange(4.0))


def test_decimate_sends_float32_and_keeps_values_to_display_precision():
    t = np.linspace(0.0, 1000.0, 50_001)
    v = -65.0 + 100.0 * np.exp(-(((t - 123.456) / 0.4) ** 2))
    for n in (t.size, 100):  # thinned and short traces alike
        x, y = decimate(t[:n], v[:n])
        assert x.dtype == np.float32 and y.dtype == np.float32  # half the bytes of float64 on the wire
        idx = np.rint(x.astype(float) / (t[1] - t[0])).astype(int)  # nearest sample
        assert np.allclose(x, t[idx], rtol=1e-6) and np.allclose(y, v[idx], rtol=1e-6, atol=1e-5)
    assert decimate(t, v)[1].max() == pytest.approx(v.max(), rel=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=8, max_value=5000), st.integers(min_value=1, max_value=20000),
       st.integers(min_value=0, max_value=19999))
def test_decimate_keeps_the_budget_and_any_single_peak(max_points, n, peak):
    y = np.zeros(n)
    y[peak % n] = 1.0  # one spike anywhere, including the leftover tail after equal buckets
    x, thinned = decimate(np.arange(float(n)), y, max_points=max_points)
    assert x.size <= max_points
    assert thinned.max() == 1.0 and x[-1] == n - 1


def test_palette_is_okabe_ito_and_layout_overrides():
    assert PALETTE["vermillion"] == "#D55E00" and len(PALETTE) == 9
    layout = base_layout(height=300)
    assert layout["height"] == 300 and layout["template"] == "simple_white"


def test_describe_range():
    assert describe_range(np.array([-70.2, 30.4, np.nan]), "mV") == "-70 to 30 mV"
    assert describe_range(np.array([np.nan]), "mV") == "no values"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -1.0, 11.0, "abc", None, "5"])
def test_check_range_names_parameter_value_and_range(bad):
    with pytest.raises(ValueError) as info:
        check_range("g_k_sub_mS_cm2", bad, 0, 10)
    message = str(info.value)
    assert "g_k_sub_mS_cm2" in message and "from 0 to 10" in message and repr(bad) in message


def test_check_range_accepts_the_edges():
    assert check_range("x", 0, 0, 10) == 0.0 and check_range("x", 10, 0, 10) == 10.0


def test_validate_fields_requires_a_range_for_every_field():
    @dataclass(frozen=True)
    class P:
        a: float = 1.0
        b: float = 2.0

    validate_fields(P(), {"a": (0, 2), "b": (0, 2)})
    with pytest.raises(ValueError, match="b = 3"):
        validate_fields(P(b=3), {"a": (0, 2), "b": (0, 2)})
    with pytest.raises(KeyError, match="'b'"):
        validate_fields(P(), {"a": (0, 2)})
    assert math.isfinite(check_range("a", np.float32(1.5), 0, 2))


@pytest.mark.parametrize("bad", ["1.5", True, np.bool_(False), [1.0], None])
def test_check_range_refuses_what_is_not_a_number(bad):
    with pytest.raises(ValueError, match="must be a number from 0 to 2"):
        check_range("a", bad, 0, 2)


def test_decimate_keeps_indices_strictly_in_time_order_without_repeats():
    # flat stretches (argmin == argmax), a falling stretch (max before min) and a tail bucket
    rng = np.random.default_rng(3)
    y = np.concatenate([np.zeros(3000), np.linspace(5.0, -5.0, 3001), rng.normal(size=4007)])
    t = np.arange(y.size) * 0.01
    x, yd = decimate(t, y, max_points=500)
    assert np.all(np.diff(x) > 0)
    assert x[-1] == np.float32(t[-1])
    # every bucket's extremes are kept: the global max and min of the noisy part survive
    assert yd.max() == np.float32(y.max()) and yd.min() == np.float32(y.min())
    assert len(x) <= 500


def test_make_test_runs_hypothesis_derandomised():
    """Issue 20 item 3: under `make test` a Hypothesis failure reproduces on the next run."""
    import os
    import re

    from hypothesis import settings

    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert re.search(r"^test:.*\n(?:\t.*\n)*\tHYPOTHESIS_PROFILE=ci ", makefile, re.M)
    if os.environ.get("HYPOTHESIS_PROFILE") == "ci":
        assert settings.default.derandomize
