"""Benchmarks for notebook 02's nociceptor models and labs (called by benchmarks/run.py).

Nothing runs on import. ``model_speed`` times each compiled model per second of model time
(after a warm-up), the same equations and protocol under scipy's ``solve_ivp`` (LSODA,
rtol = atol = 1e-9), their ratio and the largest spike-time difference. ``lab_latency``
measures, per lab, the time from a control change until the figure data is updated (the
lab's own ``last_update_ms``), after a warm-up.
"""

from __future__ import annotations

import time

import numpy as np


def _percentiles(samples_ms: list[float]) -> dict:
    values = np.asarray(samples_ms, dtype=float)
    return {"p50_ms": float(np.percentile(values, 50)),
            "p95_ms": float(np.percentile(values, 95)), "n": int(values.size)}


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


def _sweep(lab, changes: list[dict], n: int) -> list[float]:
    """Apply successive control changes n times; collect each update's duration (ms)."""
    samples = []
    for k in range(n):
        name, value = next(iter(changes[k % len(changes)].items()))
        lab.controls[name].value = value
        if lab.last_error is not None:
            raise RuntimeError(f"{type(lab).__name__} failed at {name}={value!r}: "
                               f"{lab.last_error}")
        samples.append(lab.last_update_ms)
    return samples


def lab_latency(n: int = 50) -> dict:
    """Per lab: p50 and p95 (ms) of one control change until the figure data is updated.

    Changes walk each slider through new values (so caches of earlier settings rarely
    help); the balance lab's two cached maps are built during the warm-up.
    """
    from course_lib.widgets.balance_lab import BalanceLab
    from course_lib.widgets.channel_lab import ChannelLab
    from course_lib.widgets.mystery_neuron import MysteryNeuronLab

    channel_changes = ([{"nav18": float(v)} for v in np.arange(60.0, 165.0, 5.0)]
                       + [{"kdr": float(v)} for v in np.arange(70.0, 200.0, 5.0)]
                       + [{"amplitude": float(v)} for v in np.arange(0.0, 500.0, 20.0)])
    balance_changes = ([{"g_k_sub": round(float(v), 1)} for v in np.arange(0.0, 10.0, 0.3)]
                       + [{"g_na_sub": round(float(v), 1)} for v in np.arange(0.0, 10.0, 0.3)]
                       + [{"amplitude": float(v)} for v in np.arange(0.0, 200.0, 8.0)])
    mystery_changes = [{"amplitude": float(v)} for v in np.arange(0.0, 500.0, 10.0)]
    plans = {
        "channel_lab": (ChannelLab, channel_changes),
        "balance_lab": (BalanceLab, balance_changes),
        "mystery_neuron": (lambda: MysteryNeuronLab(seed=1), mystery_changes),
    }
    out = {}
    for key, (factory, changes) in plans.items():
        start = time.perf_counter()
        lab = factory()
        build_ms = (time.perf_counter() - start) * 1000.0
        if key == "balance_lab":   # build the AHP map too, so the sweep measures updates
            lab.controls["ahp"].value = True
            lab.controls["ahp"].value = False
        _sweep(lab, changes[-3:], 3)                        # warm-up
        out[key] = {**_percentiles(_sweep(lab, changes, n)), "build_ms": build_ms}
    return out
