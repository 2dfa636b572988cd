"""Numerics of the compiled nociceptor models.

- Spike times of the fixed-step RK4 kernels (with their rate tables) agree with scipy's
  LSODA on the exact published formulas (course_lib.models.reference) within 0.2 ms over
  1 s of model time (the DESIGN.md requirement).
- Results converge as the time step halves.
- One short simulation of each model under NUMBA_DISABLE_JIT=1 (plain Python, in a
  subprocess) matches the compiled result.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from course_lib.models import drg, metrics
from course_lib.models import excitability as ex
from course_lib.models import reference
from course_lib.models.stimulus import NoStimulus, Step

SPIKE_TOL_MS = 0.2


def lsoda_spikes(rhs, y0, params, stimulus, t_stop_ms):
    _, _, spikes = reference.solve_reference(rhs, y0, params, stimulus, t_stop_ms,
                                             rtol=1e-9, atol=1e-9)
    return spikes


CASES = {
    # name: (model, params, stimulus, t_stop) -- each one second or more of firing
    "balance neuropathic 80": (ex, ex.NEUROPATHIC, Step(80.0, 100.0, 1000.0), 1100.0),
    "balance bursting (AHP 8)": (ex, ex.ExcitabilityParams(2.5, 2.0, 8.0),
                                 Step(80.0, 100.0, 1000.0), 1100.0),
    "DRG 150 pA": (drg, drg.HEALTHY, Step(150.0, 100.0, 900.0), 1000.0),
    "DRG Nav1.8 11, spontaneous": (drg, drg.HEALTHY.with_scales(nav18=11.0 / 7.0),
                                   NoStimulus(), 1000.0),
}


def initial_state(model, params):
    if model is ex:
        return ex.steady_gates(ex.V_INIT_MV, params)
    return drg.steady_state(drg.V_INIT_MV)


def start_kwargs(model):
    # the DRG model starts from the settled rest by default; compare from ModelDB's state
    return {"initial": "modeldb"} if model is drg else {}


def rhs_of(model):
    return reference.excitability_rhs if model is ex else reference.drg_rhs


@pytest.mark.parametrize("name", list(CASES))
def test_spike_times_agree_with_lsoda(name):
    model, params, stimulus, t_stop = CASES[name]
    expected = lsoda_spikes(rhs_of(model), initial_state(model, params), params, stimulus,
                            t_stop)
    got = model.simulate(params, stimulus, t_stop_ms=t_stop,
                         **start_kwargs(model)).spike_times_ms
    assert expected.size >= 20          # a real test of timing over many spikes
    assert got.size == expected.size
    assert np.max(np.abs(got - expected)) < SPIKE_TOL_MS


@pytest.mark.parametrize("name", ["balance neuropathic 80", "DRG 150 pA"])
def test_spike_times_converge_as_dt_halves(name):
    model, params, stimulus, t_stop = CASES[name]
    runs = [model.simulate(params, stimulus, t_stop_ms=t_stop, dt_ms=dt).spike_times_ms
            for dt in (0.05, 0.025, 0.0125)]
    assert runs[0].size == runs[1].size == runs[2].size
    coarse = np.max(np.abs(runs[0] - runs[1]))
    fine = np.max(np.abs(runs[1] - runs[2]))
    assert fine < coarse
    assert fine < 0.02


def test_voltage_trace_converges_as_dt_halves():
    stimulus = Step(60.0, 20.0, 100.0)
    v = [ex.simulate(ex.NEUROPATHIC, stimulus, t_stop_ms=60.0, dt_ms=dt).v_mV[::k]
         for dt, k in ((0.05, 1), (0.025, 2), (0.0125, 4))]
    assert np.max(np.abs(v[1] - v[2])) < np.max(np.abs(v[0] - v[1]))


_NO_JIT_SCRIPT = """
import json
from course_lib.models import drg, excitability as ex
from course_lib.models.stimulus import Step
a = ex.simulate(ex.NEUROPATHIC, Step(80.0, 5.0, 40.0), t_stop_ms=30.0).v_mV
b = drg.simulate(drg.HEALTHY, Step(200.0, 5.0, 40.0), t_stop_ms=30.0).v_mV
import numba
print(json.dumps({"jit_disabled": bool(numba.config.DISABLE_JIT),
                  "ex": a.tolist(), "drg": b.tolist(),
                  "rest": drg.resting_potential(drg.HEALTHY),
                  "drg_fires": [drg.fires_during_step(drg.HEALTHY, x) for x in (50.0, 80.0)],
                  "ex_fires": [ex.fires_during_step(ex.NORMAL, x) for x in (60.0, 90.0)]}))
"""


def test_plain_python_run_matches_compiled_run():
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    proc = subprocess.run([sys.executable, "-c", _NO_JIT_SCRIPT], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["jit_disabled"]
    compiled_ex = ex.simulate(ex.NEUROPATHIC, Step(80.0, 5.0, 40.0), t_stop_ms=30.0).v_mV
    compiled_drg = drg.simulate(drg.HEALTHY, Step(200.0, 5.0, 40.0), t_stop_ms=30.0).v_mV
    assert np.max(compiled_ex) > 0.0 and np.max(compiled_drg) > 0.0   # both spiked
    np.testing.assert_allclose(out["ex"], compiled_ex, rtol=0, atol=1e-8)
    np.testing.assert_allclose(out["drg"], compiled_drg, rtol=0, atol=1e-8)
    # the equilibrium search and the standstill early stop run without numba too
    assert out["rest"] == pytest.approx(drg.resting_potential(drg.HEALTHY), abs=1e-9)
    assert out["drg_fires"] == [False, True] and out["ex_fires"] == [False, True]


def test_early_stop_halts_at_first_spike():
    full = drg.step_response(drg.HEALTHY, 150.0)
    early = drg.step_response(drg.HEALTHY, 150.0, stop_at_first_spike_after_ms=20.0)
    assert early.stopped_early and not full.stopped_early
    assert early.n_spikes == 1
    assert early.spike_times_ms[0] == pytest.approx(full.spike_times_ms[0], abs=1e-9)
    # it stops as soon as the spike has come back down (that is what makes it a spike)
    assert early.t_ms[-1] < full.spike_times_ms[0] + metrics.MAX_SPIKE_WIDTH_MS
    assert early.v_mV[-1] < metrics.SPIKE_REARM_MV <= early.v_mV[-2]
