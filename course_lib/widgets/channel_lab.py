"""Channel lab: switch a pain-sensing neuron's ion channels on and off, and see what changes.

Model: the named-channel DRG model (``course_lib.models.drg``; Choi & Waxman 2011 kinetics,
ModelDB 264591). Each channel has a Checkbox (on/off) and a 0-200 % slider; the lab maps
them onto the model's conductances (off = 0; on = the slider's percentage of the published
value). The figure keeps the previous setting as a faded trace, for before/after.
"""

from __future__ import annotations

import functools
import math

import ipywidgets as widgets

from course_lib.figures.nociceptor import (build_channel_figure, describe_channel_figure,
                                           update_channel_figure)
from course_lib.models import drg, metrics
from course_lib.models.stimulus import Step

from .base import Lab, float_slider

# Every control's range, in one place (tests sweep exactly these).
RANGES = {
    "percent": (0.0, 200.0, 5.0),           # each channel's conductance, % of published value
    "amplitude_pA": (0.0, 500.0, 5.0),
    "duration_ms": (50.0, 1000.0, 50.0),
}
DEFAULTS = {"percent": 100.0, "amplitude_pA": 100.0, "duration_ms": 500.0}
STEP_START_MS = 100.0
AFTER_STEP_MS = 100.0

PRESETS: dict[str, dict] = {
    "healthy": {
        "label": "Healthy neuron",
        "percent": {"nav17": 100.0, "nav18": 100.0, "kdr": 100.0, "ka": 100.0},
        "why": "Published conductances of the model (Choi & Waxman 2011; Verma et al., "
               "ModelDB 264591).",
    },
    "nav18_up": {
        "label": "Nav1.8 up (130 %, as after inflammation)",
        "percent": {"nav17": 100.0, "nav18": 130.0, "kdr": 100.0, "ka": 100.0},
        "why": "More Nav1.8 current, as reported in DRG neurons after inflammation (Black et "
               "al. 2004, Pain 108:237) and in uninjured fibres next to an injured nerve (Gold "
               "et al. 2003, J Neurosci 23:158). Cut (axotomised) DRG neurons themselves "
               "generally lose Nav1.8 (Cummins & Waxman 1997, J Neurosci 17:3503).",
    },
    "k_down": {
        "label": "K channels down (Kdr and KA at 75 %)",
        "percent": {"nav17": 100.0, "nav18": 100.0, "kdr": 75.0, "ka": 75.0},
        "why": "Potassium currents fall in injured sensory neurons; blocking K channels with "
               "4-AP made 8 of 15 healthy skin afferents fire like injured ones (Ratte et al. "
               "2014, eLife 3:e02370).",
    },
    "nav17_off": {
        "label": "Nav1.7 off (as in congenital insensitivity to pain)",
        "percent": {"nav17": 0.0, "nav18": 100.0, "kdr": 100.0, "ka": 100.0},
        "why": "Loss of Nav1.7 causes congenital insensitivity to pain (Cox et al. 2006, Nature "
               "444:894). In this one-compartment model it barely moves the threshold, so the "
               "loss of pain must come from parts of the neuron the model leaves out (its "
               "endings in the skin and its synapses in the spinal cord are candidates).",
    },
    "nav18_off": {
        "label": "Nav1.8 off",
        "percent": {"nav17": 100.0, "nav18": 0.0, "kdr": 100.0, "ka": 100.0},
        "why": "Nav1.8 carries most of the spike's upstroke in small DRG neurons (Choi & Waxman "
               "2011; Rush et al. 2006, PNAS); without it the cell fires once at most. Cut "
               "(axotomised) DRG neurons lose much of their Nav1.8 current (Cummins & Waxman "
               "1997, J Neurosci 17:3503).",
    },
}
CUSTOM = "custom"


def _slider(name: str, description: str, value: float, lo: float, hi: float, step: float,
            fmt: str) -> widgets.FloatSlider:
    return float_slider(description, value, lo, hi, step, fmt, max_width="420px")


def _spikes_in_step(result: drg.DRGResult) -> int:
    s = result.spike_times_ms
    stim = result.stimulus
    return int(((s >= stim.start_ms) & (s < stim.end_ms)).sum())


def _spikes(n: int) -> str:
    return f"{n} spike{'s' if n != 1 else ''}"


def _rest_words(rest: drg.RestInfo) -> str:
    """What the cell does with no stimulus, in words."""
    if rest.kind == metrics.SPONTANEOUS:
        return f"fires on its own at about {rest.rate_hz:.0f} Hz with no stimulus"
    if rest.kind == metrics.DEPOLARISATION_BLOCK:
        return (f"sits depolarised at {rest.v_mV:.0f} mV with no stimulus and cannot fire "
                "(depolarisation block: its sodium channels stay inactivated)")
    return f"resting {rest.v_mV:.1f} mV"


def _threshold_words(rheobase: float) -> str:
    if math.isnan(rheobase):
        return "no rheobase: a cell held in depolarisation block has no firing threshold"
    if rheobase == 0:
        return "no threshold: it already fires"
    if not math.isfinite(rheobase):
        return f"no spike up to {drg.RHEOBASE_MAX_PA:.0f} pA"
    return f"rheobase {rheobase:.0f} pA"


@functools.cache
def _healthy_rheobase_slopes() -> dict[str, float]:
    """How much the healthy cell's rheobase moves (pA) per unit of each channel's scale.

    From one 10 % step per channel (about 40 ms, once per kernel, on the labs' worker thread
    while the notebook goes on). Only a hint for where a rheobase search starts.
    """
    base = drg.rheobase(drg.HEALTHY)
    return {c: (drg.rheobase(drg.HEALTHY.with_scales(**{c: 1.1}), guess_pA=base) - base) / 0.1
            for c in drg.CHANNELS}


class ChannelLab(Lab):
    """Nav1.7, Nav1.8, Kdr and KA: on/off and 0-200 %, a current step, and a readout in words."""

    title = "Channel lab: which channels make a pain-sensing neuron fire?"

    def __init__(self) -> None:
        self._previous: drg.DRGResult | None = None
        self._last_key: tuple | None = None
        self._rheobase_history: list[tuple[dict, float]] = []   # (scales, rheobase), newest last
        self.baseline: drg.DRGResult | None = None
        super().__init__()
        # after the first update (whose guess needs no slopes), so building the lab never waits
        # for them: they are ready long before the learner's first move
        self._slopes = self.beside(_healthy_rheobase_slopes)

    # ----- controls ------------------------------------------------------------------------
    def _build_controls(self) -> dict[str, widgets.Widget]:
        lo, hi, step = RANGES["percent"]
        controls: dict[str, widgets.Widget] = {}
        for key in drg.CHANNELS:
            label = drg.CHANNEL_LABELS[key]
            controls[f"{key}_on"] = widgets.Checkbox(
                value=True, description=f"{label} on", indent=False,
                style={"description_width": "initial"})
            controls[key] = _slider(key, f"{label} conductance (% of normal)",
                                    DEFAULTS["percent"], lo, hi, step, ".0f")
        lo, hi, step = RANGES["amplitude_pA"]
        controls["amplitude"] = _slider("amplitude", "Step current (pA)",
                                        DEFAULTS["amplitude_pA"], lo, hi, step, ".0f")
        lo, hi, step = RANGES["duration_ms"]
        controls["duration"] = _slider("duration", "Step duration (ms)",
                                       DEFAULTS["duration_ms"], lo, hi, step, ".0f")
        options = [(p["label"], key) for key, p in PRESETS.items()]
        options.append(("Custom (your own setting)", CUSTOM))
        controls["preset"] = widgets.Dropdown(options=options, value="healthy",
                                              description="Preset",
                                              style={"description_width": "initial"},
                                              layout=widgets.Layout(width="420px"))
        controls["preset"].observe(self._on_preset, names="value")
        self.preset_note = widgets.HTML()
        return controls

    def _layout_controls(self) -> widgets.Widget:
        rows = [widgets.HBox([self.controls[f"{key}_on"], self.controls[key]])
                for key in drg.CHANNELS]
        return widgets.VBox([self.controls["preset"], self.preset_note, *rows,
                             self.controls["amplitude"], self.controls["duration"]])

    def _on_preset(self, change: dict) -> None:
        """Apply a preset's channel levels in one update (ignored during Reset)."""
        if self._suspend_updates or change["new"] not in PRESETS:  # Custom, or no choice at all
            return
        levels = PRESETS[change["new"]]["percent"]
        values = {}
        for key, percent in levels.items():
            values[key] = percent if percent > 0 else DEFAULTS["percent"]
            values[f"{key}_on"] = percent > 0
        self.set_values(**values)

    # ----- model ---------------------------------------------------------------------------
    def scales(self) -> dict[str, float]:
        """Each channel's conductance as a fraction of normal (0 when switched off)."""
        return {key: (self.value(key) / 100.0 if self.value(f"{key}_on") else 0.0)
                for key in drg.CHANNELS}

    def params(self) -> drg.DRGParams:
        return drg.HEALTHY.with_scales(**self.scales())

    def stimulus(self) -> Step:
        return Step(float(self.value("amplitude")), STEP_START_MS, float(self.value("duration")))

    def _matching_preset(self) -> str:
        scales = self.scales()
        for key, preset in PRESETS.items():
            if all(math.isclose(scales[c], preset["percent"][c] / 100.0) for c in drg.CHANNELS):
                return key
        return CUSTOM

    def _describe_changes(self) -> str:
        parts = []
        for key, scale in self.scales().items():
            if not math.isclose(scale, 1.0):
                label = drg.CHANNEL_LABELS[key]
                parts.append(f"{label} off" if scale == 0 and not self.value(f"{key}_on")
                             else f"{label} at {scale * 100:.0f} %")
        return ", ".join(parts) if parts else "all channels at their normal level"

    def _rheobase_guess(self) -> float | None:
        """Where the rheobase search starts: only a speed-up, the answer does not depend on it.

        A learner usually drags one slider, so the last two settings often differ from this
        one in that channel alone; the rheobase then changes almost linearly and a straight
        line through them lands within a few pA (a few runs instead of a dozen). Otherwise
        the last rheobase moved along the healthy cell's slope for each channel that changed
        (a jump of the slider, or a second channel: within about 10 pA, instead of the
        fifteen runs a 70 pA miss cost).
        """
        if not self._rheobase_history:
            return None
        scales = self.scales()
        last_scales, last = self._rheobase_history[-1]
        if len(self._rheobase_history) == 2:
            first_scales, first = self._rheobase_history[0]
            moved = [c for c in drg.CHANNELS if not math.isclose(first_scales[c], last_scales[c])]
            same_line = len(moved) == 1 and all(
                math.isclose(scales[c], last_scales[c]) for c in drg.CHANNELS if c != moved[0])
            if same_line:
                c = moved[0]
                slope = (last - first) / (last_scales[c] - first_scales[c])
                guess = last + slope * (scales[c] - last_scales[c])
                return min(max(guess, 0.0), drg.RHEOBASE_MAX_PA)
        slopes = self._slopes.result()
        guess = last + sum(slopes[c] * (scales[c] - last_scales[c]) for c in drg.CHANNELS)
        return min(max(guess, 0.0), drg.RHEOBASE_MAX_PA)

    # ----- figure and update ---------------------------------------------------------------
    def _build_figure(self):
        return build_channel_figure()

    def _update(self) -> None:
        self.check_controls()
        params = self.params()
        stimulus = self.stimulus()
        key = (params, stimulus)
        if key == self._last_key:
            return                      # a preset already drew this setting
        stop = stimulus.end_ms + AFTER_STEP_MS
        rest = drg.rest_info(params)       # first: the trace and the threshold search both start there
        threshold = self.beside(drg.rheobase, params, guess_pA=self._rheobase_guess())
        result = drg.simulate(params, stimulus, t_stop_ms=stop)
        currents = drg.channel_currents(result)
        n_in_step = _spikes_in_step(result)
        pattern = drg.firing_pattern(result)
        changes = self._describe_changes()

        baseline = self._previous
        update_channel_figure(self.figure, result, baseline, currents)
        rheobase = threshold.result()
        self.baseline = baseline
        self._previous = result
        self._last_key = key
        if math.isfinite(rheobase) and rheobase > 0:
            self._rheobase_history = [*self._rheobase_history[-1:], (self.scales(), rheobase)]

        self.result = {"params": params, "stimulus": stimulus, "trace": result,
                       "currents": currents, "resting_mV": rest.v_mV, "rest_kind": rest.kind,
                       "n_spikes": n_in_step, "rheobase_pA": rheobase,
                       "spontaneous_hz": rest.rate_hz, "pattern": pattern,
                       "out_of_range": result.out_of_range}
        sentence = (f"{changes[0].upper()}{changes[1:]}: {_rest_words(rest)}, "
                    f"{_spikes(n_in_step)} during the {stimulus.amplitude:g} pA step ({pattern}), "
                    f"{_threshold_words(rheobase)}.")
        if result.out_of_range:
            low, high = drg.VALID_V_RANGE_MV
            sentence += (f" Warning: the membrane potential reached {result.v_mV.max():+.0f} mV "
                         f"(lowest {result.v_mV.min():+.0f} mV), outside the model's valid range "
                         f"({low:+.0f} to {high:+.0f} mV): this run no longer follows the "
                         "published equations.")
        self.set_readout(sentence)
        baseline_spikes = None if baseline is None else _spikes_in_step(baseline)
        self.set_description(describe_channel_figure(result, n_in_step, baseline_spikes,
                                                     changes))
        preset = self._matching_preset()
        if self.controls["preset"].value != preset:
            with self.updates_suspended():
                self.controls["preset"].value = preset
        why = PRESETS[preset]["why"] if preset in PRESETS else (
            "Your own setting: compare it with the faded trace of the previous one.")
        self.preset_note.value = f"<i>{why}</i>"
        self._publish(self.result, sentence)


__all__ = ["ChannelLab", "PRESETS", "RANGES", "DEFAULTS"]
