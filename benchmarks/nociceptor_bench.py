"""Benchmarks for notebook 02's nociceptor models (called by benchmarks/run.py).

Nothing runs on import. ``model_speed`` times each compiled model per second of model time
(after a warm-up), the same equations and protocol under scipy's ``solve_ivp`` (LSODA,
rtol = atol = 1e-9), their ratio and the largest spike-time difference. The labs' latency is
measured for every lab alike in labs.py.
"""

from __future__ import annotations

import time

import numpy as np


def _best_of(fn, repeats: int = 7) -> float:
    """Fastest of ``repeats`` calls, in ms (the machine's noise only ever adds time)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, (time.perf_counter() - start) * 1000.0)
    return best


def model_speed() -> dict:
    """Per model: ms per model-second, speed-up over solve_ivp, max spike-time difference."""
    from course_lib.models import drg, reference
    from course_lib.models import excitability as ex
    from course_lib.models.stimulus import Step

    cases = {
        "balance (Ratte 2014), neuropathic, 80 uA/cm2": (
            ex, ex.NEUROPATHIC, Step(80.0, 100.0, 1000.0), 1100.0, {},
            reference.excitability_rhs, ex.steady_gates(ex.V_INIT_MV, ex.NEUROPATHIC)),
        "DRG named channels, healthy, 150 pA": (
            drg, drg.HEALTHY, Step(150.0, 100.0, 900.0), 1000.0, {"initial": "modeldb"},
            reference.drg_rhs, drg.steady_state(drg.V_INIT_MV)),
    }
    out = {}
    for name, (model, params, stim, t_stop, kwargs, rhs, y0) in cases.items():
        model.simulate(params, stim, t_stop_ms=t_stop, **kwargs)   # compile / load cache
        ms = _best_of(lambda: model.simulate(params, stim, t_stop_ms=t_stop, **kwargs))
        start = time.perf_counter()
        _, _, ref_spikes = reference.solve_reference(rhs, y0, params, stim, t_stop)
        ref_ms = (time.perf_counter() - start) * 1000.0
        spikes = model.simulate(params, stim, t_stop_ms=t_stop, **kwargs).spike_times_ms
        same = spikes.size == ref_spikes.size
        out[name] = {
            "ms_per_model_second": ms * 1000.0 / t_stop,
            "solve_ivp_ms_per_model_second": ref_ms * 1000.0 / t_stop,
            "speedup_vs_solve_ivp": ref_ms / ms,
            "n_spikes": int(spikes.size),
            "n_spikes_solve_ivp": int(ref_spikes.size),
            "max_spike_time_difference_ms": (float(np.max(np.abs(spikes - ref_spikes)))
                                             if same and spikes.size else float("nan")),
            "dt_ms": model.DEFAULT_DT_MS,
        }
    return out
