"""Every public model function refuses nonsense with a ValueError that names what is wrong.

Issue 9 item 9, completed by issue 20 item 5. For each public function of ``course_lib.models``
(and each public method that takes a value from the caller) the table SPECS below gives a
valid call and, for each argument, what kind of value it takes. One test sweeps the whole
table: for every argument, every bad value of its kind (NaN, infinities, out-of-range numbers,
zero or negative tolerances and steps, whole numbers given as 2.5, strings and None where
numbers go, "no" where True/False goes, parameter sets with a NaN field, arrays holding NaN or
strings, unhashable values where a key goes, the wrong kind of object) must raise ValueError
whose message names the argument (or, for a bad parameter set, the bad field). A second test
calls every function with its valid arguments, so the table itself cannot rot; a third finds
every public function and method by introspection and fails if one is neither in the table nor
in EXEMPT (with its reason). Parameter sets check themselves on construction (``Validated``):
the constructor tests below hold every parameter class to that, and the bad parameter sets the
sweep hands to functions are built with ``unchecked`` so the functions' own checks still run.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import math
import pkgutil
from collections import Counter
from dataclasses import fields

import numpy as np
import pytest

import course_lib.models as models_package
from course_lib.models import (causes, cohort, demo, dorsal_horn, drg, drug_outcomes, excitability,
                               gabapentinoid, metrics, neuromodulation, outcomes, pathway, recovery,
                               reference, regenerative, reversal, sensitisation, stimulus, timeline,
                               trials, windup)
from course_lib.models._validation import Validated, unchecked
from course_lib.models.stimulus import NoStimulus, Step

CALLS: Counter = Counter()

# ----- the kinds of argument, and bad values for each -------------------------------------------
NOT_NUMBERS = ["1.5", None, True, [1.0], {"x": 1}]


def number(low, high, none_ok=False, inf_ok=False):
    return ("number", low, high, none_ok, inf_ok)


def positive(high=math.inf):
    return ("positive", 0.0, high)


def whole(low, high, none_ok=False):
    return ("int", low, high, none_ok)


BOOL = ("bool",)


def params_of(kind, none_ok=False):
    return ("params", kind, none_ok)


def array(low, high, one_d=False):
    return ("array", low, high, one_d)


def choice(*options):
    return ("choice", options)


def custom(*bad):
    """An argument of its own kind (a mapping, a list of keys): the bad values are listed."""
    return ("custom", bad)


STIMULUS = ("stimulus",)
RESULT = ("result",)
CALLABLE = ("callable",)
TREATMENT_LIST = custom("snri", ["no such drug"], [3], [["snri"]], 3, None, {"snri": 1})


def _sample(cls):
    """A valid instance to spoil one field of (every parameter class has all-default values)."""
    return cls()


def bad_values(kind) -> list:
    """Values an argument of this kind must refuse."""
    tag = kind[0]
    if tag == "number":
        _, low, high, none_ok, inf_ok = kind
        out = [math.nan, -math.inf, *[x for x in NOT_NUMBERS if x is not None or not none_ok]]
        if not inf_ok:
            out.append(math.inf)
        if math.isfinite(low):
            out.append(low - max(1.0, abs(low)))
        if math.isfinite(high):
            out.append(high + max(1.0, abs(high)))
        return out
    if tag == "positive":
        _, _, high = kind
        out = [0.0, -1.0, math.nan, -math.inf, *NOT_NUMBERS]
        if math.isfinite(high):
            out.append(high * 2 + 1)
        return out
    if tag == "int":
        _, low, high, none_ok = kind
        return [2.5, 20000.5, low - 1, high + 1, "3", True, math.nan] + ([] if none_ok else [None])
    if tag == "bool":
        return ["no", "yes", "False", 0, 1, None, 2.0]
    if tag == "params":
        _, cls, none_ok = kind
        out = ["abc", 3, {"a": 1}, object(), [1]]
        if not none_ok:
            out.append(None)
        sample = _sample(cls)
        # built without validation: the constructor would refuse them (see the constructor tests)
        for f in fields(cls)[:4]:
            out.append(unchecked(sample, **{f.name: math.nan}))
        out.append(unchecked(sample, **{fields(cls)[0].name: "2"}))
        return out
    if tag == "array":
        _, low, high, one_d = kind
        out = [[math.nan], [math.inf], [high + 1.0] if math.isfinite(high) else [math.nan],
               ["a", "b"], "abc", [None]]
        if math.isfinite(low):
            out.append([low - 1.0])
        if one_d:
            out.append([[0.5, 0.5], [0.5, 0.5]])
        return out
    if tag == "choice":
        return ["other", 3, None, "", ["unhashable"]]
    if tag == "custom":
        return list(kind[1])
    if tag == "stimulus":
        return ["step", 5, unchecked(Step(), amplitude=math.nan), unchecked(Step(), duration_ms=-5.0),
                unchecked(Step(), amplitude="1")]
    if tag == "result":
        return ["abc", 3, None, {"v_mV": [0.0]}]
    if tag == "callable":
        return ["abc", 3, None]
    raise AssertionError(tag)


# ----- the table: every public model function, a valid call, and its arguments' kinds ---------
T = np.arange(0.0, 50.0, 0.5)
V = np.where((T > 10) & (T < 11), 30.0, -65.0)
HEALTHY = drg.HEALTHY
NORMAL = excitability.NORMAL
DH = dorsal_horn.DorsalHornParams()
SENS = sensitisation.SensitisationParams()
TL = timeline.TimelineParams()
SMALL_COHORT = cohort.CohortParams(n_patients=20)
TOY = demo.ToyFibreParams()
SHORT_DRG = drg.simulate(HEALTHY, Step(150.0, 5.0, 20.0), t_stop_ms=30.0)
SHORT_EX = excitability.simulate(NORMAL, Step(90.0, 5.0, 20.0), t_stop_ms=30.0)
DT_DRG = number(*drg.DT_RANGE_MS)
DT_EX = number(*excitability.DT_RANGE_MS)

DRIVE_RESULT = causes.run_drive(np.full(30, 0.5))
COHORT_RESULT = cohort.run_cohort(months=[1.0], cohort=cohort.CohortParams(n_patients=20))
PATHWAY_RESULT = pathway.simulate_pathway(("snri",))

SPECS = {
    # drg
    "drg.steady_state": (drg.steady_state, dict(v_mV=-65.0), dict(v_mV=number(-200, 150))),
    "drg.rest_info": (drg.rest_info, dict(params=HEALTHY),
                      dict(params=params_of(drg.DRGParams), dt_ms=DT_DRG)),
    "drg.rest_state": (drg.rest_state, dict(params=HEALTHY),
                       dict(params=params_of(drg.DRGParams), dt_ms=DT_DRG)),
    "drg.simulate": (drg.simulate, dict(params=HEALTHY, stimulus=Step(100.0, 5.0, 10.0),
                                        t_stop_ms=20.0),
                     dict(params=params_of(drg.DRGParams), stimulus=STIMULUS, dt_ms=DT_DRG,
                          t_stop_ms=number(0.025, 120_000, none_ok=True),
                          stop_at_first_spike_after_ms=number(0.0, 20.0, none_ok=True),
                          initial=array(0.0, 1.0, one_d=True))),
    "drg.channel_currents": (drg.channel_currents, dict(result=SHORT_DRG),
                             dict(result=RESULT)),
    "drg.step_response": (drg.step_response, dict(params=HEALTHY, amplitude_pA=50.0,
                                                  duration_ms=10.0, t_stop_ms=20.0),
                          dict(params=params_of(drg.DRGParams), amplitude_pA=number(-2000, 2000),
                               dt_ms=DT_DRG, duration_ms=number(0, 60_000))),
    "drg.firing_pattern": (drg.firing_pattern, dict(result=SHORT_DRG), dict(result=RESULT)),
    "drg.resting_potential": (drg.resting_potential, dict(params=HEALTHY),
                              dict(params=params_of(drg.DRGParams), dt_ms=DT_DRG)),
    "drg.fires_during_step": (drg.fires_during_step, dict(params=HEALTHY, amplitude_pA=80.0),
                              dict(params=params_of(drg.DRGParams),
                                   amplitude_pA=number(-2000, 2000), dt_ms=DT_DRG)),
    "drg.rheobase": (drg.rheobase, dict(params=HEALTHY),
                     dict(params=params_of(drg.DRGParams), tolerance_pA=positive(100.0),
                          dt_ms=DT_DRG, guess_pA=number(0, drg.RHEOBASE_MAX_PA, none_ok=True))),
    "drg.spontaneous_rate": (drg.spontaneous_rate, dict(params=HEALTHY),
                             dict(params=params_of(drg.DRGParams), dt_ms=DT_DRG)),
    "drg.fi_curve": (drg.fi_curve, dict(params=HEALTHY, amplitudes_pA=[0.0]),
                     dict(params=params_of(drg.DRGParams),
                          amplitudes_pA=array(-2000, 2000, one_d=True), dt_ms=DT_DRG)),
    "drg.DRGParams.with_scales": (HEALTHY.with_scales, dict(nav18=1.2),
                                  dict(nav17=number(0, 5), nav18=number(0, 5), kdr=number(0, 5),
                                       ka=number(0, 5))),
    # excitability (the balance model)
    "excitability.steady_gates": (excitability.steady_gates, dict(v_mV=-65.0, params=NORMAL),
                                  dict(params=params_of(excitability.ExcitabilityParams))),
    "excitability.simulate": (excitability.simulate, dict(params=NORMAL, stimulus=Step(90.0, 5.0, 10.0),
                                                          t_stop_ms=20.0),
                              dict(params=params_of(excitability.ExcitabilityParams),
                                   stimulus=STIMULUS, dt_ms=DT_EX,
                                   t_stop_ms=number(0.025, 120_000, none_ok=True),
                                   noise_sd_uA_cm2=number(0, 5),
                                   seed=whole(0, 2**63 - 1, none_ok=True),
                                   stop_at_first_spike_after_ms=number(0.0, 20.0, none_ok=True),
                                   v_init_mV=number(-120, 60))),
    "excitability.step_response": (excitability.step_response,
                                   dict(params=NORMAL, amplitude_uA_cm2=90.0, t_stop_ms=20.0),
                                   dict(params=params_of(excitability.ExcitabilityParams),
                                        amplitude_uA_cm2=number(-2000, 2000), dt_ms=DT_EX)),
    "excitability.firing_pattern": (excitability.firing_pattern, dict(result=SHORT_EX),
                                    dict(result=RESULT)),
    "excitability.resting_potential": (excitability.resting_potential, dict(params=NORMAL),
                                       dict(params=params_of(excitability.ExcitabilityParams),
                                            dt_ms=DT_EX)),
    "excitability.fires_during_step": (excitability.fires_during_step,
                                       dict(params=NORMAL, amplitude_uA_cm2=90.0),
                                       dict(params=params_of(excitability.ExcitabilityParams),
                                            amplitude_uA_cm2=number(-2000, 2000), dt_ms=DT_EX)),
    "excitability.rheobase": (excitability.rheobase, dict(params=NORMAL),
                              dict(params=params_of(excitability.ExcitabilityParams),
                                   tolerance_uA_cm2=positive(100.0), dt_ms=DT_EX)),
    "excitability.repetitive_threshold": (excitability.repetitive_threshold, dict(params=NORMAL),
                                          dict(params=params_of(excitability.ExcitabilityParams),
                                               tolerance_uA_cm2=positive(100.0), dt_ms=DT_EX)),
    "excitability.spontaneous_rate": (excitability.spontaneous_rate, dict(params=NORMAL),
                                      dict(params=params_of(excitability.ExcitabilityParams),
                                           duration_ms=number(1, 60_000),
                                           settle_ms=number(0, 60_000), dt_ms=DT_EX,
                                           noise_sd_uA_cm2=number(0, 5),
                                           seed=whole(0, 2**63 - 1, none_ok=True))),
    "excitability.spontaneous_pattern": (excitability.spontaneous_pattern, dict(params=NORMAL),
                                         dict(params=params_of(excitability.ExcitabilityParams),
                                              duration_ms=number(1, 60_000),
                                              settle_ms=number(0, 60_000), dt_ms=DT_EX)),
    "excitability.rest_run": (excitability.rest_run, dict(params=NORMAL),
                              dict(params=params_of(excitability.ExcitabilityParams),
                                   dt_ms=DT_EX)),
    "excitability.fi_curve": (excitability.fi_curve, dict(params=NORMAL, amplitudes_uA_cm2=[0.0]),
                              dict(params=params_of(excitability.ExcitabilityParams),
                                   amplitudes_uA_cm2=array(-2000, 2000, one_d=True))),
    "excitability.with_balance": (excitability.with_balance,
                                  dict(params=NORMAL, g_na_sub_mS_cm2=2.0, g_k_sub_mS_cm2=2.0),
                                  dict(params=params_of(excitability.ExcitabilityParams),
                                       g_na_sub_mS_cm2=number(0, 40),
                                       g_k_sub_mS_cm2=number(0, 40))),
    "excitability.balance_point_pattern": (excitability.balance_point_pattern,
                                           dict(params=NORMAL),
                                           dict(params=params_of(excitability.ExcitabilityParams),
                                                rheobase_guess=number(0, 1024, none_ok=True),
                                                check_rest=BOOL, dt_ms=DT_EX)),
    "excitability.point_pattern": (excitability.point_pattern, dict(params=NORMAL),
                                   dict(params=params_of(excitability.ExcitabilityParams),
                                        rheobase_guess=number(0, 1024, none_ok=True))),
    "excitability.map_rheobase_guess": (excitability.map_rheobase_guess,
                                        dict(g_na_sub=2.0, g_k_sub=2.5),
                                        dict(g_na_sub=number(0, 40), g_k_sub=number(0, 40),
                                             g_ahp_mS_cm2=number(0, 20))),
    "excitability.balance_map": (excitability.balance_map, dict(g_ahp_mS_cm2=0.0),
                                 dict(g_ahp_mS_cm2=number(0, 20),
                                      g_na_values=array(0, 40, one_d=True),
                                      g_k_values=array(0, 40, one_d=True))),
    # metrics
    "metrics.spike_times": (metrics.spike_times, dict(t_ms=T, v_mV=V),
                            dict(t_ms=array(-1e9, 1e9, one_d=True),
                                 v_mV=array(-1e4, 1e4, one_d=True),
                                 threshold_mV=number(-1e4, 1e4), max_width_ms=positive())),
    "metrics.resting_potential": (metrics.resting_potential, dict(t_ms=T, v_mV=V),
                                  dict(t_ms=array(-1e9, 1e9, one_d=True),
                                       v_mV=array(-1e4, 1e4, one_d=True),
                                       window_ms=positive(), end_ms=number(-1e9, 1e9, none_ok=True))),
    "metrics.isi_cv": (metrics.isi_cv, dict(spikes_ms=[1.0, 2.0, 4.0]),
                       dict(spikes_ms=array(-1e9, 1e9, one_d=True))),
    "metrics.rate_hz": (metrics.rate_hz, dict(spikes_ms=[1.0], start_ms=0.0, end_ms=10.0),
                        dict(spikes_ms=array(-1e9, 1e9, one_d=True), start_ms=number(-1e9, 1e9),
                             end_ms=number(-1e9, 1e9))),
    "metrics.classify_pattern": (metrics.classify_pattern,
                                 dict(spikes_ms=[10.2], t_ms=T, v_mV=V, stim_start_ms=5.0,
                                      stim_end_ms=40.0),
                                 dict(spikes_ms=array(-1e9, 1e9, one_d=True),
                                      t_ms=array(-1e9, 1e9, one_d=True),
                                      v_mV=array(-1e4, 1e4, one_d=True),
                                      stim_start_ms=number(-1e9, 1e9),
                                      settle_ms=number(-1e9, 1e9))),
    "metrics.classify_spontaneous": (metrics.classify_spontaneous,
                                     dict(spikes_ms=[10.2], t_ms=T, v_mV=V, settle_ms=5.0),
                                     dict(spikes_ms=array(-1e9, 1e9, one_d=True),
                                          t_ms=array(-1e9, 1e9, one_d=True),
                                          v_mV=array(-1e4, 1e4, one_d=True),
                                          settle_ms=number(-1e9, 1e9))),
    "metrics.rheobase_search": (metrics.rheobase_search, dict(fires=lambda a: a >= 3.0),
                                dict(fires=CALLABLE, tolerance=positive(),
                                     max_high=number(1.0, 1e9))),
    "metrics.fi_curve": (metrics.fi_curve, dict(rate_of=lambda a: 2 * a, amplitudes=[1.0]),
                         dict(rate_of=CALLABLE, amplitudes=array(-1e9, 1e9, one_d=True))),
    # stimulus
    "stimulus.check_stimulus": (stimulus.check_stimulus, dict(stimulus=Step()),
                                dict(stimulus=STIMULUS)),
    "stimulus.stage_samples": (stimulus.stage_samples,
                               dict(stimulus=Step(), dt_ms=0.1, n_steps=10),
                               dict(stimulus=STIMULUS, dt_ms=positive(10.0),
                                    n_steps=whole(1, 100_000_000))),
    "stimulus.step_stage_samples": (stimulus.step_stage_samples,
                                    dict(step=Step(), dt_ms=0.1, n_steps=10),
                                    dict(dt_ms=positive(10.0), n_steps=whole(1, 100_000_000))),
    "stimulus.ou_noise_stage_samples": (stimulus.ou_noise_stage_samples,
                                        dict(sd=0.3, tau_ms=5.0, dt_ms=0.1, n_steps=10, seed=1),
                                        dict(sd=number(0, 100), tau_ms=positive(1e6),
                                             dt_ms=positive(10.0), n_steps=whole(1, 100_000_000),
                                             seed=whole(0, 2**63 - 1, none_ok=True))),
    # wind-up
    "windup.simulate_windup": (windup.simulate_windup, dict(n_pulses=3, dt_ms=2.0),
                               dict(params=params_of(windup.WindupParams, none_ok=True),
                                    frequency_hz=number(*windup.FREQUENCY_RANGE_HZ),
                                    n_pulses=whole(1, 100), nmda_on=BOOL,
                                    dt_ms=number(*windup.DT_RANGE_MS))),
    # dorsal horn
    "dorsal_horn.simulate_dorsal_horn": (dorsal_horn.simulate_dorsal_horn,
                                         dict(params=DH, f_abeta=np.zeros(10), f_c=np.ones(10)),
                                         dict(params=params_of(dorsal_horn.DorsalHornParams),
                                              f_abeta=array(0, 10, one_d=True),
                                              f_c=array(0, 10, one_d=True),
                                              f_adelta=array(0, 10, one_d=True),
                                              dt_ms=number(*dorsal_horn.DT_RANGE_MS),
                                              start_from_silence=BOOL)),
    "dorsal_horn.pulse": (dorsal_horn.pulse, dict(amplitude=1.0, onset_ms=10.0, width_ms=5.0,
                                                  window_ms=50.0),
                          dict(amplitude=number(0, 10), onset_ms=number(0, 50),
                               width_ms=number(0, 50), window_ms=number(0.1, 600_000),
                               dt_ms=number(*dorsal_horn.DT_RANGE_MS))),
    "dorsal_horn.stimulus_trial": (dorsal_horn.stimulus_trial, dict(params=DH, noxious=2.0),
                                   dict(params=params_of(dorsal_horn.DorsalHornParams),
                                        touch=number(0, 10), noxious=number(0, 10),
                                        tonic_touch=number(0, 10),
                                        dt_ms=number(*dorsal_horn.DT_RANGE_MS))),
    "dorsal_horn.steady_state_rates": (dorsal_horn.steady_state_rates,
                                       dict(params=DH, f_abeta=1.0, f_c=1.0),
                                       dict(params=params_of(dorsal_horn.DorsalHornParams),
                                            f_abeta=array(0, 10), f_c=array(0, 10),
                                            f_adelta=array(0, 10))),
    "dorsal_horn.pulse_responses": (dorsal_horn.pulse_responses, dict(params=DH, amplitudes=[1.0]),
                                    dict(params=params_of(dorsal_horn.DorsalHornParams),
                                         amplitudes=array(0, 10),
                                         kind=choice("touch", "noxious"),
                                         dt_ms=number(*dorsal_horn.DT_RANGE_MS))),
    "dorsal_horn.touch_response": (dorsal_horn.touch_response, dict(params=DH),
                                   dict(params=params_of(dorsal_horn.DorsalHornParams),
                                        drive=number(0, 10),
                                        dt_ms=number(*dorsal_horn.DT_RANGE_MS))),
    "dorsal_horn.noxious_response": (dorsal_horn.noxious_response, dict(params=DH),
                                     dict(params=params_of(dorsal_horn.DorsalHornParams),
                                          drive=number(0, 10), tonic_touch=number(0, 10),
                                          dt_ms=number(*dorsal_horn.DT_RANGE_MS))),
    "dorsal_horn.gate_trials": (dorsal_horn.gate_trials, dict(touch=2.0, noxious=2.0, inhibition=0.15),
                                dict(touch=number(0, 10), noxious=number(0, 10), inhibition=number(0, 5),
                                     params=params_of(dorsal_horn.DorsalHornParams, none_ok=True),
                                     dt_ms=number(*dorsal_horn.DT_RANGE_MS))),
    "dorsal_horn.with_inhibition": (dorsal_horn.with_inhibition, dict(params=DH, w_I_W=0.1),
                                    dict(params=params_of(dorsal_horn.DorsalHornParams),
                                         w_I_W=number(0, 5))),
    # sensitisation
    "sensitisation.drive_function": (sensitisation.drive_function,
                                     dict(S=0.2, r_C=0.5, params=SENS),
                                     dict(S=array(0, 1), r_C=array(0, 10),
                                          params=params_of(sensitisation.SensitisationParams))),
    "sensitisation.bistability_condition": (sensitisation.bistability_condition,
                                            dict(params=SENS),
                                            dict(params=params_of(
                                                sensitisation.SensitisationParams))),
    "sensitisation.fixed_points": (sensitisation.fixed_points, dict(params=SENS),
                                   dict(params=params_of(sensitisation.SensitisationParams),
                                        r_C=number(0, 10), n_grid=whole(11, 1_000_001))),
    "sensitisation.stable_states": (sensitisation.stable_states, dict(params=SENS),
                                    dict(params=params_of(sensitisation.SensitisationParams),
                                         r_C=number(0, 10))),
    "sensitisation.is_bistable": (sensitisation.is_bistable, dict(params=SENS),
                                  dict(params=params_of(sensitisation.SensitisationParams),
                                       r_C=number(0, 10))),
    "sensitisation.threshold_state": (sensitisation.threshold_state, dict(params=SENS),
                                      dict(params=params_of(sensitisation.SensitisationParams),
                                           r_C=number(0, 10))),
    "sensitisation.simulate_sensitisation": (sensitisation.simulate_sensitisation,
                                             dict(params=SENS, r_C=np.ones(5)),
                                             dict(params=params_of(
                                                 sensitisation.SensitisationParams),
                                                  r_C=array(0, 10, one_d=True),
                                                  dt_days=number(0.001, 30), S0=number(0, 1, none_ok=True))),
    "sensitisation.resting_state": (sensitisation.resting_state, dict(params=SENS),
                                    dict(params=params_of(sensitisation.SensitisationParams))),
    "sensitisation.couple_to_dorsal_horn": (sensitisation.couple_to_dorsal_horn,
                                            dict(dh=DH, S=0.5, params=SENS),
                                            dict(dh=params_of(dorsal_horn.DorsalHornParams),
                                                 S=number(0, 1),
                                                 params=params_of(
                                                     sensitisation.SensitisationParams))),
    "sensitisation.with_kappa": (sensitisation.with_kappa, dict(params=SENS, kappa=0.5),
                                 dict(params=params_of(sensitisation.SensitisationParams),
                                      kappa=number(0, 2))),
    # timeline
    "timeline.drive_time_course": (timeline.drive_time_course,
                                   dict(t_days=np.arange(5.0), injury_drive=0.9, treat_day=2.0,
                                        healing_days=30.0),
                                   dict(t_days=array(0, 1e7), injury_drive=number(0, 2),
                                        treat_day=number(0, 1e7, inf_ok=True),   # inf: never treated
                                        healing_days=number(1, 365))),
    "timeline.pain_signal_from_W": (timeline.pain_signal_from_W,
                                   dict(W_Hz=[10.0], W_healthy_Hz=1.0, W_max_Hz=50.0),
                                   dict(W_Hz=array(0, 500), W_healthy_Hz=number(0, 50),
                                        W_max_Hz=number(1, 500))),
    "timeline.pain_signal": (timeline.pain_signal, dict(dh=DH, sens=SENS, S=0.5, drive=0.2,
                                                      timeline=TL),
                            dict(dh=params_of(dorsal_horn.DorsalHornParams),
                                 sens=params_of(sensitisation.SensitisationParams),
                                 S=array(0, 1), drive=array(0, 10),
                                 timeline=params_of(timeline.TimelineParams))),
    "timeline.treatment_day": (timeline.treatment_day, dict(timeline=TL),
                               dict(timeline=params_of(timeline.TimelineParams))),
    "timeline.run_timeline": (timeline.run_timeline, dict(timeline=TL),
                              dict(timeline=params_of(timeline.TimelineParams, none_ok=True),
                                   sens=params_of(sensitisation.SensitisationParams, none_ok=True),
                                   dh=params_of(dorsal_horn.DorsalHornParams, none_ok=True))),
    "timeline.stimulus_response_curves": (timeline.stimulus_response_curves,
                                          dict(S_now=0.5, n_points=3),
                                          dict(S_now=number(0, 1),
                                               sens=params_of(sensitisation.SensitisationParams,
                                                              none_ok=True),
                                               dh=params_of(dorsal_horn.DorsalHornParams,
                                                            none_ok=True),
                                               n_points=whole(2, 200), max_drive=positive(10.0),
                                               dt_ms=number(0.001, 1.0))),
    # cohort
    "cohort.draw_patients": (cohort.draw_patients, dict(cohort=SMALL_COHORT, sens=SENS),
                             dict(cohort=params_of(cohort.CohortParams),
                                  sens=params_of(sensitisation.SensitisationParams))),
    "cohort.run_cohort": (cohort.run_cohort, dict(months=[1.0], cohort=SMALL_COHORT),
                          dict(months=array(0, 120),
                               cohort=params_of(cohort.CohortParams, none_ok=True),
                               sens=params_of(sensitisation.SensitisationParams, none_ok=True),
                               dh=params_of(dorsal_horn.DorsalHornParams, none_ok=True),
                               timeline=params_of(timeline.TimelineParams, none_ok=True))),
    "cohort.pain_signal_from_W_per_patient": (cohort.pain_signal_from_W_per_patient,
                                             dict(W_Hz=[10.0], W_healthy_Hz=[1.0], W_max_Hz=50.0),
                                             dict(W_Hz=array(0, 50), W_healthy_Hz=array(0, 50),
                                                  W_max_Hz=number(1, 500))),
    # demo
    "demo.firing_rate_hz": (demo.firing_rate_hz, dict(stimulus=4.0, params=TOY),
                            dict(stimulus=array(0, 10), params=params_of(demo.ToyFibreParams))),
    "demo.response_curve": (demo.response_curve, dict(params=TOY),
                            dict(params=params_of(demo.ToyFibreParams),
                                 n_points=whole(2, 100_000))),
    # causes (the treat-the-cause scenarios)
    "causes.chemo_change_cycle": (causes.chemo_change_cycle, dict(treat_month=2.0),
                                  dict(treat_month=number(0, 60),
                                       params=params_of(causes.ChemoParams, none_ok=True))),
    "causes.scenario_settings": (causes.scenario_settings,
                                 dict(cause="trapped nerve", treat_month=3.0, hba1c_after=7.0, chemo_dose=0.0,
                                      vaccinated=False, acute_severity=0.5),
                                 dict(cause=choice(*causes.SCENARIOS), treat_month=number(0, 60),
                                      hba1c_after=number(5, 14), chemo_dose=number(0, 1), vaccinated=BOOL,
                                      acute_severity=number(0, 1))),
    "causes.resolved_month": (causes.resolved_month, dict(result=DRIVE_RESULT), dict(result=RESULT)),
    "causes.run_drive": (causes.run_drive, dict(drive=np.full(30, 0.5)),
                         dict(drive=array(0, 10, one_d=True), dt_days=number(0.05, 5.0),
                              sens=params_of(sensitisation.SensitisationParams, none_ok=True),
                              dh=params_of(dorsal_horn.DorsalHornParams, none_ok=True),
                              background=params_of(timeline.TimelineParams, none_ok=True),
                              S0=number(0, 1, none_ok=True))),
    "causes.calibrate_type1": (causes.calibrate_type1, dict(),
                               dict(conventional_incidence=number(0.001, 0.99), reduction=number(0, 0.99),
                                    years=number(0.5, 40), intensive=number(3, 25),
                                    conventional=number(3, 25), log_sd=positive(5.0),
                                    hba1c_sd=positive(5.0))),
    "causes.damage_rate_per_year": (causes.damage_rate_per_year, dict(hba1c=7.0),
                                    dict(hba1c=array(3, 25), diabetes_type=whole(1, 2),
                                         susceptibility=array(0, 1e6))),
    "causes.diabetes_damage": (causes.diabetes_damage, dict(params=causes.DiabetesParams()),
                               dict(params=params_of(causes.DiabetesParams))),
    "causes.diabetes_drive": (causes.diabetes_drive, dict(params=causes.DiabetesParams()),
                              dict(params=params_of(causes.DiabetesParams))),
    "causes.run_diabetes": (causes.run_diabetes, dict(),
                            dict(params=params_of(causes.DiabetesParams, none_ok=True),
                                 sens=params_of(sensitisation.SensitisationParams, none_ok=True),
                                 dh=params_of(dorsal_horn.DorsalHornParams, none_ok=True),
                                 background=params_of(timeline.TimelineParams, none_ok=True))),
    "causes.virtual_glycaemic_trial": (causes.virtual_glycaemic_trial, dict(n_per_arm=20),
                                       dict(diabetes_type=whole(1, 2), n_per_arm=whole(20, 1_000_000),
                                            seed=whole(0, 2**32 - 1), years=number(0.5, 40, none_ok=True))),
    "causes.trapped_nerve_drive": (causes.trapped_nerve_drive, dict(params=causes.TrappedNerveParams()),
                                   dict(params=params_of(causes.TrappedNerveParams))),
    "causes.run_trapped_nerve": (causes.run_trapped_nerve, dict(),
                                 dict(params=params_of(causes.TrappedNerveParams, none_ok=True),
                                      sens=params_of(sensitisation.SensitisationParams, none_ok=True),
                                      dh=params_of(dorsal_horn.DorsalHornParams, none_ok=True),
                                      background=params_of(timeline.TimelineParams, none_ok=True))),
    "causes.shingles_drive": (causes.shingles_drive, dict(params=causes.ShinglesParams()),
                              dict(params=params_of(causes.ShinglesParams),
                                   severity=array(0, 1, one_d=True))),
    "causes.run_shingles": (causes.run_shingles, dict(),
                            dict(params=params_of(causes.ShinglesParams, none_ok=True),
                                 sens=params_of(sensitisation.SensitisationParams, none_ok=True),
                                 dh=params_of(dorsal_horn.DorsalHornParams, none_ok=True),
                                 background=params_of(timeline.TimelineParams, none_ok=True))),
    "causes.shingles_cohort": (causes.shingles_cohort, dict(n_people=10),
                               dict(n_people=whole(10, 200_000), vaccine_efficacy=number(0, 1),
                                    seed=whole(0, 2**32 - 1), severe_above=number(0.05, 0.95),
                                    params=params_of(causes.ShinglesParams, none_ok=True),
                                    sens=params_of(sensitisation.SensitisationParams, none_ok=True),
                                    theta_sd=number(0, 0.3), damage_log_sd=number(0, 2),
                                    dh=params_of(dorsal_horn.DorsalHornParams, none_ok=True),
                                    background=params_of(timeline.TimelineParams, none_ok=True))),
    "causes.chemo_damage": (causes.chemo_damage, dict(params=causes.ChemoParams()),
                            dict(params=params_of(causes.ChemoParams))),
    "causes.chemo_drive": (causes.chemo_drive, dict(params=causes.ChemoParams()),
                           dict(params=params_of(causes.ChemoParams))),
    "causes.run_chemo": (causes.run_chemo, dict(),
                         dict(params=params_of(causes.ChemoParams, none_ok=True),
                              sens=params_of(sensitisation.SensitisationParams, none_ok=True),
                              dh=params_of(dorsal_horn.DorsalHornParams, none_ok=True),
                              background=params_of(timeline.TimelineParams, none_ok=True))),
    # run_scenario's settings are the scenario's fields, passed by name: acute_severity is one
    "causes.run_scenario": (causes.run_scenario, dict(cause="shingles"),
                            dict(cause=choice(*causes.SCENARIOS), acute_severity=number(0, 1),
                                 sens=params_of(sensitisation.SensitisationParams, none_ok=True),
                                 dh=params_of(dorsal_horn.DorsalHornParams, none_ok=True),
                                 background=params_of(timeline.TimelineParams, none_ok=True))),
    "cohort.CohortResult.probability_at": (COHORT_RESULT.probability_at, dict(month=1.0),
                                           dict(month=number(0, 120))),
    # drug_outcomes (numbers needed to treat, icon arrays)
    "drug_outcomes.drug": (drug_outcomes.drug, dict(key="tca"), dict(key=choice(*drug_outcomes.DRUGS))),
    "drug_outcomes.per_100": (drug_outcomes.per_100, dict(n=4.0), dict(n=number(1, 1e6, none_ok=True))),
    "drug_outcomes.icon_counts": (drug_outcomes.icon_counts, dict(key="tca"),
                                  dict(key=choice(*drug_outcomes.DRUGS), placebo_per_100=number(0, 100))),
    "drug_outcomes.describe": (drug_outcomes.describe, dict(key="tca"), dict(key=choice(*drug_outcomes.DRUGS))),
    "drug_outcomes.compare": (drug_outcomes.compare, dict(first="tca", second="snri"),
                              dict(first=choice(*drug_outcomes.DRUGS), second=choice(*drug_outcomes.DRUGS))),
    # gabapentinoid
    "gabapentinoid.occupancy": (gabapentinoid.occupancy,
                                dict(t_days=np.arange(10.0), start_day=2.0, days_on=5.0, onset_days=7.0,
                                     offset_days=2.0),
                                dict(t_days=array(0, 1e7), start_day=number(0, 365), days_on=number(0, 730),
                                     onset_days=number(1, 30), offset_days=number(0.5, 30))),
    "gabapentinoid.sensitised_state": (gabapentinoid.sensitised_state, dict(sens=SENS, drive=0.1),
                                       dict(sens=params_of(sensitisation.SensitisationParams),
                                            drive=number(0, 10))),
    "gabapentinoid.simulate_course": (gabapentinoid.simulate_course, dict(),
                                      dict(params=params_of(gabapentinoid.GabapentinoidParams, none_ok=True),
                                           sens=params_of(sensitisation.SensitisationParams, none_ok=True),
                                           dh=params_of(dorsal_horn.DorsalHornParams, none_ok=True),
                                           background=params_of(timeline.TimelineParams, none_ok=True))),
    "gabapentinoid.virtual_drug_trial": (gabapentinoid.virtual_drug_trial,
                                         dict(trial=gabapentinoid.DrugTrialParams(n_per_arm=20)),
                                         dict(trial=params_of(gabapentinoid.DrugTrialParams, none_ok=True),
                                              sens=params_of(sensitisation.SensitisationParams, none_ok=True),
                                              dh=params_of(dorsal_horn.DorsalHornParams, none_ok=True),
                                              background=params_of(timeline.TimelineParams, none_ok=True),
                                              onset_days=number(1, 30), offset_days=number(0.5, 30))),
    # neuromodulation
    "neuromodulation.scs_gate": (neuromodulation.scs_gate, dict(),
                                 dict(params=params_of(neuromodulation.SCSParams, none_ok=True),
                                      sens=params_of(sensitisation.SensitisationParams, none_ok=True),
                                      dh=params_of(dorsal_horn.DorsalHornParams, none_ok=True),
                                      mode=choice("conventional"), dt_ms=number(*dorsal_horn.DT_RANGE_MS))),
    "neuromodulation.scs_amplitude_curve": (neuromodulation.scs_amplitude_curve, dict(amplitudes=[0.0, 1.0]),
                                            dict(amplitudes=array(0, 4), S=number(0, 1),
                                                 noxious_drive=number(0, 5),
                                                 sens=params_of(sensitisation.SensitisationParams, none_ok=True),
                                                 dh=params_of(dorsal_horn.DorsalHornParams, none_ok=True),
                                                 dt_ms=number(*dorsal_horn.DT_RANGE_MS))),
    "neuromodulation.drg_stimulation": (neuromodulation.drg_stimulation, dict(),
                                        dict(segment_c_drives=array(0, 5, one_d=True), stimulated=whole(0, 3),
                                             amplitude=number(0, 4), S=number(0, 1),
                                             segment_names=custom(["L3"], "abcd", 3, None, (1, 2, 3, 4)),
                                             sens=params_of(sensitisation.SensitisationParams, none_ok=True),
                                             dh=params_of(dorsal_horn.DorsalHornParams, none_ok=True),
                                             dt_ms=number(*dorsal_horn.DT_RANGE_MS))),
    "neuromodulation.published_trial": (neuromodulation.published_trial, dict(key="PROCESS"),
                                        dict(key=choice(*neuromodulation.NEUROMODULATION_TRIALS))),
    # outcomes
    "outcomes.percent_reduction": (outcomes.percent_reduction, dict(before_0_10=7.0, after_0_10=4.0),
                                   dict(before_0_10=number(0, 10), after_0_10=number(0, 10))),
    "outcomes.pain_change_category": (outcomes.pain_change_category, dict(reduction_percent=30.0),
                                      dict(reduction_percent=number(-1e12, 100))),
    "outcomes.report_from_change": (outcomes.report_from_change,
                                    dict(pain_reduction=30.0, physical_function="better",
                                         emotional_function="same", sleep="better",
                                         global_impression="much improved", side_effects="tolerable"),
                                    dict(pain_reduction=number(-100, 100), physical_function=choice("better"),
                                         emotional_function=choice("better"), sleep=choice("better"),
                                         global_impression=choice("much improved"),
                                         side_effects=choice("tolerable"), pain_before_0_10=number(0.5, 10))),
    "outcomes.evaluate": (outcomes.evaluate, dict(report=outcomes.OutcomeReport()),
                          dict(report=params_of(outcomes.OutcomeReport))),
    # pathway (where treatments act)
    "pathway.site_actions": (pathway.site_actions, dict(treatments=["snri"]),
                             dict(treatments=TREATMENT_LIST,
                                  effects=params_of(pathway.TreatmentEffects, none_ok=True))),
    "pathway.descending_from_mind": (pathway.descending_from_mind, dict(mind=pathway.MindState()),
                                     dict(mind=params_of(pathway.MindState))),
    "pathway.nerve_response": (pathway.nerve_response, dict(nerve=HEALTHY, stimulus_pA=300.0),
                               dict(nerve=params_of(drg.DRGParams), stimulus_pA=number(0, 1000))),
    "pathway.warm_nerve_cache": (pathway.warm_nerve_cache, dict(),
                                 dict(params=params_of(pathway.PathwayParams),
                                      effects=params_of(pathway.TreatmentEffects, none_ok=True))),
    "pathway.spinal_params": (pathway.spinal_params, dict(params=pathway.DEFAULT_PATHWAY, inhibition=0.1),
                              dict(params=params_of(pathway.PathwayParams),
                                   inhibition=number(dorsal_horn.RANGES["b_W"][0] - dorsal_horn.RANGES["b_W"][1],
                                                     dorsal_horn.RANGES["b_W"][1] - dorsal_horn.RANGES["b_W"][0]))),
    "pathway.simulate_pathway": (pathway.simulate_pathway, dict(treatments=["snri"]),
                                 dict(treatments=TREATMENT_LIST, params=params_of(pathway.PathwayParams),
                                      effects=params_of(pathway.TreatmentEffects, none_ok=True),
                                      mind=params_of(pathway.MindState))),
    "pathway.stage_outputs": (pathway.stage_outputs, dict(result=PATHWAY_RESULT), dict(result=RESULT)),
    "pathway.describe_stages": (pathway.describe_stages, dict(result=PATHWAY_RESULT, untreated=PATHWAY_RESULT),
                                dict(result=RESULT, untreated=RESULT)),
    "pathway.relative_to_untreated": (pathway.relative_to_untreated, dict(result=PATHWAY_RESULT),
                                      dict(result=RESULT, params=params_of(pathway.PathwayParams),
                                           mind=params_of(pathway.MindState))),
    "pathway.sites_of": (pathway.sites_of, dict(treatments=["snri"]), dict(treatments=TREATMENT_LIST)),
    "pathway.treatment_table": (pathway.treatment_table, dict(),
                                dict(params=params_of(pathway.PathwayParams),
                                     effects=params_of(pathway.TreatmentEffects, none_ok=True),
                                     combinations=custom("ab", [("no such drug",)], [3], 3, None, ["snri"]))),
    # recovery (regrowth after the cause is removed)
    "recovery.regrowth_days": (recovery.regrowth_days, dict(distance_mm=120.0),
                               dict(distance_mm=number(1, 1500), rate_mm_per_day=number(0.5, 5),
                                    latency_days=number(0, 60))),
    "recovery.weeks_to_target": (recovery.weeks_to_target, dict(distance_mm=450.0),
                                 dict(distance_mm=number(1, 1500), rate_mm_per_day=number(0.5, 5))),
    "recovery.weeks_to_remyelinate": (recovery.weeks_to_remyelinate, dict(),
                                      dict(params=params_of(recovery.RecoveryParams, none_ok=True))),
    "recovery.recovery_time_course": (recovery.recovery_time_course, dict(),
                                      dict(params=params_of(recovery.RecoveryParams, none_ok=True),
                                           t_days=array(0, 1e7, one_d=True))),
    "recovery.recovery_drive": (recovery.recovery_drive,
                                dict(t_since_removal_days=np.arange(5.0), params=recovery.RecoveryParams()),
                                dict(t_since_removal_days=array(-1e7, 1e7),
                                     params=params_of(recovery.RecoveryParams))),
    "recovery.channel_scales_during_recovery": (recovery.channel_scales_during_recovery,
                                                dict(recovered_fraction=0.5, injured={"nav18": 1.5}),
                                                dict(recovered_fraction=number(0, 1),
                                                     injured=custom({"nav18": math.nan}, {"nav18": "1"},
                                                                    {"nav18": 9.0}, {"no such channel": 1.0},
                                                                    [1.0], "abc", None, 3))),
    # reference (scipy solve_ivp versions of the neuron models)
    "reference.solve_reference": (reference.solve_reference,
                                  dict(rhs=reference.excitability_rhs, y0=[-70.0, 0.0, 0.0, 0.0], params=NORMAL,
                                       stimulus=Step(90.0, 1.0, 2.0), t_stop_ms=3.0),
                                  dict(rhs=CALLABLE, y0=array(-1e4, 1e4, one_d=True),
                                       params=params_of(excitability.ExcitabilityParams), stimulus=STIMULUS,
                                       t_stop_ms=positive(120_000), rtol=positive(1.0), atol=positive(1.0),
                                       max_step_ms=positive(1000.0), method=choice(*reference.METHODS))),
    # regenerative (claims and the evidence ladder)
    "regenerative.rank_claim": (regenerative.rank_claim, dict(key="rct"),
                                dict(key=choice(*regenerative.CLAIMS_BY_KEY))),
    "regenerative.judge_claim": (regenerative.judge_claim, dict(key="rct", learner_level=5),
                                 dict(key=choice(*regenerative.CLAIMS_BY_KEY),
                                      learner_level=whole(1, len(regenerative.EVIDENCE_LADDER)))),
    # reversal (can sensitisation be reversed?)
    "reversal.treatment_levels": (reversal.treatment_levels,
                                  dict(cause_removed=True, stronger_inhibition=True, lower_drive=False),
                                  dict(cause_removed=BOOL, stronger_inhibition=BOOL, lower_drive=BOOL,
                                       params=params_of(reversal.ReversalParams, none_ok=True))),
    "reversal.follow_up_after": (reversal.follow_up_after, dict(treatment_months=6.0),
                                 dict(treatment_months=number(0, 60))),
    "reversal.simulate_reversal": (reversal.simulate_reversal, dict(),
                                   dict(params=params_of(reversal.ReversalParams, none_ok=True),
                                        sens=params_of(sensitisation.SensitisationParams, none_ok=True),
                                        dh=params_of(dorsal_horn.DorsalHornParams, none_ok=True),
                                        background=params_of(timeline.TimelineParams, none_ok=True))),
    "reversal.reversal_cohort": (reversal.reversal_cohort,
                                 dict(months=[1.0], cohort=reversal.ReversalCohortParams(n_patients=10)),
                                 dict(months=array(0, 120),
                                      treatments=custom([(0.5, 0.1)], "abc", 3, {}, {"x": (math.nan, 0.1)},
                                                        {"x": (0.5,)}, {"x": ("a", 0.1)}, {"x": (0.5, 9.0)}),
                                      cohort=params_of(reversal.ReversalCohortParams, none_ok=True),
                                      base=params_of(reversal.ReversalParams, none_ok=True),
                                      sens=params_of(sensitisation.SensitisationParams, none_ok=True),
                                      dh=params_of(dorsal_horn.DorsalHornParams, none_ok=True),
                                      background=params_of(timeline.TimelineParams, none_ok=True))),
    # trials (published results)
    "trials.responders_out_of_100": (trials.responders_out_of_100, dict(percent=48.0),
                                     dict(percent=number(0, 100))),
    "trials.nnt": (trials.nnt, dict(p_treated=0.5, p_control=0.2),
                   dict(p_treated=number(0, 1), p_control=number(0, 1))),
    "trials.placebo_plus_nnt": (trials.placebo_plus_nnt, dict(placebo_percent=25.0, nnt_value=7.7),
                                dict(placebo_percent=number(0, 100), nnt_value=number(1, 1000))),
    "trials.PublishedResult.arm": (trials.PUBLISHED["PROCESS"].arm, dict(label="medical management"),
                                   dict(label=choice(*(a for a, _ in trials.PUBLISHED["PROCESS"].arms)))),
    # timeline (the rest of it)
    "timeline.pain_signal_text": (timeline.pain_signal_text, dict(value=46.0),
                                  dict(value=number(0, 100), named=BOOL)),
}

CASES = [(name, arg, kind, bad) for name, (_, _, slots) in SPECS.items()
         for arg, kind in slots.items() for bad in bad_values(kind)]

# Public functions and methods that are deliberately not in SPECS, each with its reason. Keep it
# short: a function that takes a value from a caller belongs in the table.
EXEMPT = {
    # no arguments: nothing a caller can get wrong
    "drug_outcomes.tier_ladder": "takes no arguments",
    "drug_outcomes.all_icon_counts": "takes no arguments",
    "pathway.reference_rate_hz": "takes no arguments",
    # inner loops, whose callers check what they pass
    "reference.excitability_rhs": "solve_ivp's right-hand side, run at every solver step; "
                                  "solve_reference checks its params, y0 and stimulus",
    "reference.drg_rhs": "solve_ivp's right-hand side, run at every solver step; "
                         "solve_reference checks its params, y0 and stimulus",
    "timeline.signal_from_span": "the mapping's formula on arrays its callers (pain_signal_from_W, "
                                 "cohort.pain_signal_from_W_per_patient) have already checked",
    "stimulus.NoStimulus.waveform": "evaluated at every step of the reference solver; the stimulus is "
                                    "checked when it is built and by check_stimulus",
    "stimulus.Step.waveform": "as NoStimulus.waveform",
    "stimulus.Ramp.waveform": "as NoStimulus.waveform",
    "stimulus.PulseTrain.waveform": "as NoStimulus.waveform",
}


def _public_modules():
    for info in sorted(pkgutil.iter_modules(models_package.__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            yield importlib.import_module(f"{models_package.__name__}.{info.name}")


def _takes_values(function) -> bool:
    """True if a method takes any argument besides self."""
    params = list(inspect.signature(function).parameters.values())
    return len(params) > 1


def public_callables() -> list[str]:
    """Every public function defined in a public model module ("module.name"), and every public
    method of its classes that takes a value from the caller ("module.Class.method").

    Classes themselves are covered by the constructor tests below (and by ``params_of`` where a
    function takes one); constants are not callable.
    """
    names = []
    for module in _public_modules():
        short = module.__name__.rsplit(".", 1)[1]
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if (not attr.startswith("_") and inspect.isfunction(member)
                            and _takes_values(member)):
                        names.append(f"{short}.{name}.{attr}")
            elif callable(obj):
                names.append(f"{short}.{name}")
    return sorted(names)


def uncovered() -> list[str]:
    return [name for name in public_callables() if name not in SPECS and name not in EXEMPT]


def test_every_public_function_is_in_the_table_or_exempt():
    missing = uncovered()
    assert not missing, ("public model functions with no entry in SPECS (add one: a valid call and "
                         f"the kind of each argument) or in EXEMPT (with the reason): {missing}")
    stale = sorted(set(SPECS) - set(public_callables()))
    assert not stale, f"SPECS entries for functions that no longer exist: {stale}"
    assert not set(EXEMPT) & set(SPECS), "a function is both in SPECS and EXEMPT"
    assert not sorted(set(EXEMPT) - set(public_callables())), "EXEMPT names a function that does not exist"


def test_the_completeness_check_notices_a_new_function(monkeypatch):
    def brand_new_model_function(x):
        return x

    brand_new_model_function.__module__ = causes.__name__
    monkeypatch.setattr(causes, "brand_new_model_function", brand_new_model_function, raising=False)
    assert "causes.brand_new_model_function" in uncovered()

    def with_new_setting(self, value):
        return value

    monkeypatch.setattr(causes.ChemoParams, "with_new_setting", with_new_setting, raising=False)
    assert "causes.ChemoParams.with_new_setting" in uncovered()


def test_every_argument_of_every_function_in_the_table_is_one_it_takes():
    for name, (function, valid, slots) in SPECS.items():
        signature = inspect.signature(function)
        takes_any = any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values())
        for arg in {**valid, **slots}:
            assert arg in signature.parameters or takes_any, (name, arg)


def _expected_words(arg: str, kind, bad) -> list[str]:
    """What the message must name: the argument, or the bad field of a parameter set."""
    if kind[0] == "params" and dataclasses.is_dataclass(bad):
        sample = _sample(type(bad))
        for f in fields(bad):               # the field spoiled by bad_values (NaN never equals itself)
            if not getattr(bad, f.name) == getattr(sample, f.name):
                return [f.name]
    if kind[0] == "stimulus" and dataclasses.is_dataclass(bad):
        return ["amplitude", "duration_ms"]
    if arg == "step":
        return ["step"]
    return [arg]


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_function_in_the_table_accepts_its_valid_call(name):
    function, valid, _ = SPECS[name]
    CALLS[name] += 1
    CALLS["(valid calls)"] += 1
    function(**valid)


def _try(function, valid, arg, kind, bad) -> str | None:
    """None if the call is refused by name; else what happened instead."""
    try:
        function(**{**valid, arg: bad})
    except ValueError as error:
        message = str(error)
        if any(word in message for word in _expected_words(arg, kind, bad)):
            return None
        return f"ValueError not naming {arg}: {message[:120]}"
    except Exception as error:           # noqa: BLE001 - reported, with its type
        return f"{type(error).__name__}: {str(error)[:120]}"
    return "accepted"


def test_every_bad_value_of_every_argument_once():
    # the whole table, every bad value once: nothing is sampled, so nothing is left out
    failures = []
    for name, arg, kind, bad in CASES:
        function, valid, _ = SPECS[name]
        CALLS[name] += 1
        CALLS["(bad calls)"] += 1
        outcome = _try(function, valid, arg, kind, bad)
        if outcome is None:
            CALLS["(refused by name)"] += 1
        else:
            failures.append(f"{name}({arg}={bad!r:.60}): {outcome}")
    assert CALLS["(bad calls)"] >= len(CASES)
    assert not failures, f"{len(failures)} of {len(CASES)} bad calls not refused by name:\n" + "\n".join(failures)


# ----- parameter sets validate themselves on construction ------------------------------------------
def _parameter_classes() -> list[type]:
    return [obj for module in _public_modules() for obj in vars(module).values()
            if inspect.isclass(obj) and obj.__module__ == module.__name__
            and dataclasses.is_dataclass(obj) and hasattr(obj, "validate")]


def _valid_instance(cls):
    if cls is drug_outcomes.DrugEvidence:            # no defaults: a row of the table
        return drug_outcomes.DRUGS["tca"]
    return cls()


def test_every_parameter_class_validates_on_construction():
    classes = _parameter_classes()
    assert len(classes) >= 27
    not_checked = [cls.__name__ for cls in classes if not issubclass(cls, Validated)]
    assert not not_checked, f"parameter classes that do not validate on construction: {not_checked}"


@pytest.mark.parametrize("cls", _parameter_classes(), ids=lambda c: c.__name__)
def test_a_bad_field_is_refused_by_name_when_the_parameter_set_is_built(cls):
    sample = _valid_instance(cls)
    numeric = [f.name for f in fields(cls)
               if isinstance(getattr(sample, f.name), (int, float)) and not isinstance(getattr(sample, f.name), bool)]
    nested = [f.name for f in fields(cls) if dataclasses.is_dataclass(getattr(sample, f.name))]
    assert numeric or nested or cls is stimulus.NoStimulus, cls
    for name in numeric + nested:
        for bad in (math.nan, "2") if name in numeric else ("abc", None):
            with pytest.raises(ValueError, match=name):
                cls(**{**{f.name: getattr(sample, f.name) for f in fields(cls)}, name: bad})
            with pytest.raises(ValueError, match=name):
                dataclasses.replace(sample, **{name: bad})      # replace builds through __init__ too


def test_unchecked_builds_a_bad_parameter_set_only_on_purpose():
    bad = unchecked(timeline.TimelineParams(), months_untreated=math.nan)
    assert math.isnan(bad.months_untreated)
    with pytest.raises(ValueError, match="months_untreated"):
        bad.validate()
    with pytest.raises(ValueError, match="months_untreated"):
        timeline.run_timeline(bad)
    with pytest.raises(TypeError, match="no_such_field"):
        unchecked(timeline.TimelineParams(), no_such_field=1.0)


# ----- counts ---------------------------------------------------------------------------------
def fuzz_counts() -> dict:
    public = public_callables()
    return {"public functions and methods": len(public), "in the table": len(SPECS),
            "exempt": len(EXEMPT), "bad calls in the table": len(CASES),
            "valid calls in the table": len(SPECS)}


def test_counts_add_up():
    counts = fuzz_counts()
    assert counts["in the table"] + counts["exempt"] == counts["public functions and methods"]
    assert counts["bad calls in the table"] >= 5 * counts["in the table"]


@pytest.fixture(scope="module", autouse=True)
def _report_counts():
    yield
    counts = fuzz_counts()
    print(f"\nmodel input fuzz: {counts['in the table']} of {counts['public functions and methods']} public "
          f"functions and methods in the table ({counts['exempt']} exempt with a reason); "
          f"this process tried {CALLS['(bad calls)']} bad calls ({CALLS['(refused by name)']} refused by name) "
          f"and {CALLS['(valid calls)']} valid ones; the table holds {len(CASES)} distinct bad cases")
