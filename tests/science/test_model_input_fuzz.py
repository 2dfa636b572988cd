"""Every public model function refuses nonsense with a ValueError that names what is wrong.

Issue 9 item 9. For each public function of ``course_lib.models`` a table below gives a valid
call and, for each argument, what kind of value it takes. Hypothesis then picks a function,
an argument and a bad value for that kind (NaN, infinities, out-of-range numbers, zero or
negative tolerances and steps, whole numbers given as 2.5, strings and None where numbers
go, "no" where True/False goes, parameter sets with a NaN field, arrays holding NaN or
strings, the wrong kind of object) and checks that the call raises ValueError whose message
names the argument (or, for a bad parameter set, the bad field). A second test calls every
function with its valid arguments, so the table itself cannot rot. Calls tried are counted
and printed at the end of the module (run with ``-s`` to see them).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import fields, replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_lib.models import (cohort, demo, dorsal_horn, drg, excitability, metrics,
                               sensitisation, stimulus, timeline, windup)
from course_lib.models.stimulus import NoStimulus, Step

CALLS: Counter = Counter()

# ----- the kinds of argument, and bad values for each -------------------------------------------
NOT_NUMBERS = ["1.5", None, True, [1.0], {"x": 1}]


def number(low, high, none_ok=False):
    return ("number", low, high, none_ok)


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


STIMULUS = ("stimulus",)
DRG_RESULT = ("result", "drg")
EX_RESULT = ("result", "excitability")
CALLABLE = ("callable",)


def bad_values(kind) -> list:
    """Values an argument of this kind must refuse."""
    tag = kind[0]
    if tag == "number":
        _, low, high, none_ok = kind
        out = [math.nan, math.inf, -math.inf, *[x for x in NOT_NUMBERS if x is not None or not none_ok]]
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
        return [2.5, low - 1, high + 1, "3", True, math.nan] + ([] if none_ok else [None])
    if tag == "bool":
        return ["no", "yes", "False", 0, 1, None, 2.0]
    if tag == "params":
        _, cls, none_ok = kind
        out = ["abc", 3, {"a": 1}, object()]
        if not none_ok:
            out.append(None)
        for f in fields(cls)[:4]:
            out.append(replace(cls(), **{f.name: math.nan}))
        out.append(replace(cls(), **{fields(cls)[0].name: "2"}))
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
        return ["other", 3, None, ""]
    if tag == "stimulus":
        return ["step", 5, Step(amplitude=math.nan), Step(duration_ms=-5.0), Step(amplitude="1")]
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
                             dict(result=DRG_RESULT)),
    "drg.step_response": (drg.step_response, dict(params=HEALTHY, amplitude_pA=50.0,
                                                  duration_ms=10.0, t_stop_ms=20.0),
                          dict(params=params_of(drg.DRGParams), amplitude_pA=number(-2000, 2000),
                               dt_ms=DT_DRG, duration_ms=number(0, 60_000))),
    "drg.firing_pattern": (drg.firing_pattern, dict(result=SHORT_DRG), dict(result=DRG_RESULT)),
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
                                    dict(result=EX_RESULT)),
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
}

CASES = [(name, arg, kind, bad) for name, (_, _, slots) in SPECS.items()
         for arg, kind in slots.items() for bad in bad_values(kind)]


def _expected_words(arg: str, kind, bad) -> list[str]:
    """What the message must name: the argument, or the bad field of a parameter set."""
    if kind[0] == "params" and hasattr(bad, "__dataclass_fields__"):
        for f in fields(bad):
            value = getattr(bad, f.name)
            if isinstance(value, str) or (isinstance(value, float) and math.isnan(value)):
                return [f.name]
    if kind[0] == "stimulus" and hasattr(bad, "__dataclass_fields__"):
        return ["amplitude", "duration_ms"]
    if arg == "step":
        return ["step"]
    return [arg]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(CASES))
def test_bad_input_is_refused_by_name(case):
    name, arg, kind, bad = case
    function, valid, _ = SPECS[name]
    CALLS[name] += 1
    CALLS["(bad calls)"] += 1
    with pytest.raises(ValueError) as error:
        function(**{**valid, arg: bad})
    message = str(error.value)
    assert any(word in message for word in _expected_words(arg, kind, bad)), (name, arg, bad,
                                                                           message)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_function_in_the_table_accepts_its_valid_call(name):
    function, valid, _ = SPECS[name]
    CALLS[name] += 1
    CALLS["(valid calls)"] += 1
    function(**valid)


def test_every_bad_value_of_every_argument_once():
    # the hypothesis test samples; this sweeps the whole table once, so nothing is left out
    for name, arg, kind, bad in CASES:
        function, valid, _ = SPECS[name]
        CALLS[name] += 1
        CALLS["(bad calls)"] += 1
        with pytest.raises(ValueError) as error:
            function(**{**valid, arg: bad})
        message = str(error.value)
        assert any(word in message for word in _expected_words(arg, kind, bad)), (
            name, arg, bad, message)


@pytest.fixture(scope="module", autouse=True)
def _report_counts():
    yield
    total = CALLS["(bad calls)"] + CALLS["(valid calls)"]
    print(f"\nmodel input fuzz: {total} model calls ({CALLS['(bad calls)']} with a bad input, "
          f"{CALLS['(valid calls)']} valid) over {len(SPECS)} public functions, "
          f"{len(CASES)} distinct bad cases")
