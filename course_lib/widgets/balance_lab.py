"""Balance lab: tip the balance of subthreshold Na and K currents (Ratte et al. 2014).

Model: ``course_lib.models.excitability``. Two sliders set the subthreshold sodium and
potassium conductances; Checkboxes add the slow AHP current (g_AHP = 8 mS/cm2, which turns
repetitive firing into bursts) and the paper's noise (SD 0.3 uA/cm2). The figure shows a map
of the (Na, K) plane shaded by firing pattern -- computed once per AHP setting and cached --
with the current setting marked, plus the membrane potential with no stimulus (spontaneous
firing appears when the balance tips far enough) and under a 1 s step.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from course_lib.figures.nociceptor import (build_balance_figure, describe_balance_figure,
                                           update_balance_map, update_balance_traces)
from course_lib.models import excitability as ex
from course_lib.models import metrics
from course_lib.models.stimulus import NoStimulus, Step

from .base import Lab, float_slider

# Every control's range, in one place (tests sweep exactly these): (min, max, step).
RANGES = {
    "g_na_sub": (0.0, 10.0, 0.1),       # mS/cm2
    "g_k_sub": (0.0, 10.0, 0.1),        # mS/cm2
    "amplitude": (0.0, 200.0, 2.0),     # uA/cm2
}
DEFAULTS = {"g_na_sub": ex.NORMAL.g_na_sub_mS_cm2, "g_k_sub": ex.NORMAL.g_k_sub_mS_cm2,
            "amplitude": 90.0, "ahp": False, "noise": False, "show_map": False}
G_AHP_ON_mS_cm2 = 8.0
REST_RUN_MS = ex.REST_RUN_MS
NOISE_SEED = 2014


def _slider(description: str, value: float, lo: float, hi: float, step: float,
            fmt: str, tooltip: str | None = None) -> widgets.FloatSlider:
    return float_slider(description, value, lo, hi, step, fmt, tooltip=tooltip, max_width="440px")


def _pattern_words(pattern: str, n_spikes: int) -> str:
    return {
        metrics.SILENT: "stays silent",
        metrics.ONSET_ONLY: f"fires only at the start ({n_spikes} spike{'s' * (n_spikes != 1)})",
        metrics.REPETITIVE: f"fires repetitively ({n_spikes} spikes)",
        metrics.BURSTING: f"fires in bursts ({n_spikes} spikes)",
        metrics.SPONTANEOUS: f"fires on its own ({n_spikes} spikes)",
        metrics.DEPOLARISATION_BLOCK: "sits depolarised and cannot fire (depolarisation block)",
    }[pattern]


class BalanceLab(Lab):
    """g_Na_sub and g_K_sub sliders, AHP and noise Checkboxes, a step amplitude, and a map."""

    title = "Balance lab: subthreshold sodium against potassium"

    def __init__(self) -> None:
        self._map_ahp: float | None = None
        super().__init__()

    def _build_controls(self) -> dict[str, widgets.Widget]:
        lo, hi, step = RANGES["g_na_sub"]
        # learner words, as the notebook defines them; the model's symbol only in the tooltip
        na = _slider("Subthreshold sodium (mS/cm2)", DEFAULTS["g_na_sub"], lo, hi, step, ".1f",
                     tooltip="Subthreshold sodium conductance (g_Na_sub in the model)")
        lo, hi, step = RANGES["g_k_sub"]
        k = _slider("Subthreshold potassium (mS/cm2)", DEFAULTS["g_k_sub"], lo, hi, step, ".1f",
                    tooltip="Subthreshold potassium conductance (g_K_sub in the model)")
        lo, hi, step = RANGES["amplitude"]
        amp = _slider("Step current (uA/cm2)", DEFAULTS["amplitude"], lo, hi, step, ".0f")
        ahp = widgets.Checkbox(value=DEFAULTS["ahp"], indent=False,
                               description="AHP on (a slow potassium current after each spike)",
                               style={"description_width": "initial"},
                               layout=widgets.Layout(width="auto"))
        noise = widgets.Checkbox(value=DEFAULTS["noise"], indent=False,
                                 description="Noise on (random current, SD 0.3 uA/cm2)",
                                 style={"description_width": "initial"},
                                 layout=widgets.Layout(width="auto"))
        # the map answers the lab's Predict question (what Na 7.5, K 2 does at rest), so it stays
        # hidden until the learner asks for it
        show_map = widgets.Checkbox(value=DEFAULTS["show_map"], indent=False,
                                    description="Show the map of every setting (after you have predicted)",
                                    style={"description_width": "initial"},
                                    layout=widgets.Layout(width="auto"))
        return {"g_na_sub": na, "g_k_sub": k, "amplitude": amp, "ahp": ahp, "noise": noise,
                "show_map": show_map}

    def _build_figure(self):
        return build_balance_figure()

    def params(self) -> ex.ExcitabilityParams:
        g_ahp = G_AHP_ON_mS_cm2 if self.value("ahp") else 0.0
        return ex.ExcitabilityParams(g_na_sub_mS_cm2=float(self.value("g_na_sub")),
                                     g_k_sub_mS_cm2=float(self.value("g_k_sub")),
                                     g_ahp_mS_cm2=g_ahp)

    def pattern_just_above_threshold(self, params: ex.ExcitabilityParams) -> tuple[str, float]:
        """(pattern, rheobase) at this exact setting, as the map would colour it.

        Not read off the coarse map (a setting between grid points could get its
        neighbour's colour); the cached map only supplies a starting guess for the search.
        """
        guess = ex.map_rheobase_guess(params.g_na_sub_mS_cm2, params.g_k_sub_mS_cm2,
                                      params.g_ahp_mS_cm2)
        return ex.point_pattern(params, guess)

    @staticmethod
    def _threshold_words(pattern: str, rheobase: float) -> str:
        if pattern in (metrics.SPONTANEOUS, metrics.DEPOLARISATION_BLOCK):
            return ""
        if not np.isfinite(rheobase):
            return "No step up to 1024 uA/cm2 makes it fire."
        return (f"Its threshold (rheobase) is {rheobase:.0f} uA/cm2; just above it, it is "
                f"{pattern}.")

    def _update(self) -> None:
        self.check_controls()
        params = self.params()
        noise = ex.NOISE_SD_PAPER_uA_cm2 if self.value("noise") else 0.0
        amplitude = float(self.value("amplitude"))
        if self._map_ahp != params.g_ahp_mS_cm2:
            na, k, codes, _ = ex.balance_map(params.g_ahp_mS_cm2)
            update_balance_map(self.figure, na, k, codes)
            self._map_ahp = params.g_ahp_mS_cm2
        show_map = bool(self.value("show_map"))
        if self.figure.data[0].visible is not show_map:
            self.figure.data[0].visible = show_map

        # on the labs' worker thread, in this order: the noise-free rest run (the map's
        # zero-stimulus test reads it too, so the threshold search must come after it), then
        # the pattern just above threshold; meanwhile this thread runs the step and redraws
        quiet_rest = self.beside(ex.rest_run, params)
        threshold = self.beside(self.pattern_just_above_threshold, params)
        step = ex.simulate(params, Step(amplitude, ex.STEP_START_MS, ex.STEP_DURATION_MS),
                           noise_sd_uA_cm2=noise, seed=NOISE_SEED + 1)
        if noise:
            rest = ex.simulate(params, NoStimulus(), t_stop_ms=REST_RUN_MS,
                               noise_sd_uA_cm2=noise, seed=NOISE_SEED)
        else:       # the same run the map's zero-stimulus test reads: cached, not repeated
            rest = quiet_rest.result()
        settle = 200.0
        rest_pattern = metrics.classify_spontaneous(rest.spike_times_ms, rest.t_ms, rest.v_mV,
                                                    settle)
        rest_rate = metrics.rate_hz(rest.spike_times_ms, settle, REST_RUN_MS)
        step_pattern = ex.firing_pattern(step)
        n_step = int(np.count_nonzero((step.spike_times_ms >= ex.STEP_START_MS)
                                      & (step.spike_times_ms < step.stimulus.end_ms)))
        g_na, g_k = params.g_na_sub_mS_cm2, params.g_k_sub_mS_cm2
        update_balance_traces(self.figure, g_na, g_k, rest, step)
        map_pattern, rheobase = threshold.result()

        if rest_pattern == metrics.SPONTANEOUS:
            at_rest = f"with no stimulus it fires on its own at about {rest_rate:.0f} Hz"
        elif rest_pattern == metrics.DEPOLARISATION_BLOCK:
            at_rest = (f"with no stimulus it sits depolarised at {rest.v_mV[-1]:.0f} mV and "
                       "cannot fire (depolarisation block)")
        else:
            at_rest = f"with no stimulus it rests at {rest.v_mV[-1]:.1f} mV"
        sentence = (f"Na {g_na:.1f}, K {g_k:.1f} (Na minus K = {g_na - g_k:+.1f} mS/cm2"
                    f"{', AHP on' if params.g_ahp_mS_cm2 else ''}"
                    f"{', noise on' if noise else ''}): {at_rest}; under the {amplitude:g} "
                    f"uA/cm2 step it {_pattern_words(step_pattern, n_step)}. "
                    + self._threshold_words(map_pattern, rheobase))
        self.result = {"params": params, "rest": rest, "step": step,
                       "rest_pattern": rest_pattern, "rest_rate_hz": rest_rate,
                       "step_pattern": step_pattern, "n_spikes_step": n_step,
                       "map_pattern": map_pattern, "rheobase_uA_cm2": rheobase}
        self.set_readout(sentence)
        self.set_description(describe_balance_figure(g_na, g_k, map_pattern, rest_pattern,
                                                     step_pattern, amplitude,
                                                     bool(params.g_ahp_mS_cm2), show_map))
        self._publish(self.result, sentence)
