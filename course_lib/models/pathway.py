"""The whole pain pathway in one model: nerve -> spinal cord -> brain, and where treatments act.

What it models
    Three published or course models joined in series, with the brain's descending control as
    an input, so a learner can tick treatments and see which stage each one changes:

    1. Nerve (course_lib.models.drg, notebook 02): one small DRG nociceptor (Choi & Waxman 2011
       kinetics) receives a noxious stimulus, stood in for by a 500 ms current step (02's
       protocol). Its mean firing rate during the step is the nerve's message. A fraction of the
       fibres in the nerve may be "working" (capsaicin 8 % defunctionalises the rest); the nerve's
       output is ``rate x working fraction`` (Hz per fibre, averaged over the nerve).
    2. C-fibre central terminals (transmitter release): the nerve's output becomes the C-fibre
       drive of the dorsal horn model, ``f_C = 2.0 x (nerve output / reference rate) x release``,
       where the reference rate is the untreated default nociceptor's rate, so an untreated nerve
       gives exactly 03's C-fibre test drive of 2.0. ``release`` (1 = normal) is the fraction of
       transmitter released per impulse: gabapentinoids and opioids lower it.
    3. Dorsal horn (course_lib.models.dorsal_horn, notebook 03; Crodelle et al. 2017): the
       C-fibre volley (75 ms, 03's protocol) drives the WDR projection neurons W. Their impulses
       are the spinal output, and, because W neurons are the ones whose axons climb to the
       brain, also the signal that reaches the brain.
    4. Descending modulation from the brainstem (periaqueductal grey, rostral ventromedial
       medulla, locus coeruleus): one signed number ``descending`` in units of the dorsal horn
       model's input. Positive = inhibition, negative = facilitation. It is subtracted from the
       input of both W and E (the excitatory interneurons), which is the same as raising their
       thresholds b_W and b_E by ``descending``; so the published kernel is reused unchanged.
       Drugs and opioid receptors on dorsal horn neurons add a separate ``spinal_inhibition``
       that enters the same way.

    Where each treatment acts (TREATMENTS holds the sites and mechanisms in words):

    * lidocaine plaster: blocks sodium channels of the peripheral fibres (Nav1.7 and Nav1.8
      conductances scaled down) -> nerve stage;
    * capsaicin 8 % patch: defunctionalises TRPV1-bearing epidermal C terminals for weeks
      (fewer working fibres) -> nerve stage;
    * gabapentinoid (pregabalin, gabapentin): less transmitter release from C-fibre central
      terminals (alpha-2-delta-1 subunit of calcium channels) -> terminal stage;
    * TCA: strengthens descending inhibition (noradrenaline and serotonin reuptake block) AND
      blocks sodium channels -> nerve stage and dorsal horn;
    * SNRI: strengthens descending inhibition -> dorsal horn (via the brainstem input);
    * tramadol: a weak opioid plus serotonin/noradrenaline reuptake block -> terminals, dorsal
      horn neurons and descending inhibition, each a little;
    * strong opioid: mu-opioid receptors sit on C-fibre central terminals (less release), on
      dorsal horn neurons (inhibition) and in the PAG/RVM (more descending inhibition). We put
      it at all three because that is where the receptors are; none of it changes the nerve's
      own firing, so the nerve stage is untouched.

    Attention, mood, sleep and fear change descending modulation (:class:`MindState`,
    :func:`descending_from_mind`): why psychological therapy is not "it's in your head". The
    link to 03's sensitisation: ``PathwayParams.sensitisation_S`` uses the same coupling as
    sensitisation.py, so a learner can see that a sensitised cord amplifies the same nerve
    input, and that calmer descending control still lowers the output of a sensitised cord
    (the signal is real and physical at every stage; the brain's state sets part of its gain).

Sources
    Nerve: Choi JS & Waxman SG (2011) J Neurophysiol 106:3173, doi:10.1152/jn.00100.2011; model
    as assembled by Verma et al., ModelDB 264591 (see drg.py).
    Dorsal horn: Crodelle J et al. (2017) doi:10.1007/978-3-319-60304-9_2, parameters from a
    public implementation (see dorsal_horn.py).
    Sites of drug action: Finnerup NB et al. (2015) Lancet Neurol 14:162-173,
    doi:10.1016/S1474-4422(14)70251-0 and the course's SCIENCE.md section 7.
    Descending control (PAG-RVM ON- and OFF-cells, recruited by fear and stress to enhance or
    inhibit pain): Heinricher MM et al. (2009) Brain Res Rev 60:214-225,
    doi:10.1016/j.brainresrev.2008.12.009.
    Attention and emotion: Bushnell MC, Ceko M & Low LA (2013) Nat Rev Neurosci 14:502-511,
    doi:10.1038/nrn3516; distraction reduces dorsal horn responses, partly through endogenous
    opioids: Sprenger C et al. (2012) Curr Biol 22:1019-1022, doi:10.1016/j.cub.2012.04.006.
    Sleep: Finan PH, Goodin BR & Smith MT (2013) J Pain 14:1539-1552 (sleep disturbance may
    impair endogenous pain inhibition).

    OUR TEACHING SIMPLIFICATIONS (not published models, say so to the learner):
    the rate-code link from nerve to cord (a mean rate scaled to a drive); descending control as
    one number subtracted from the W and E inputs; every treatment strength in
    :class:`TreatmentEffects` (chosen to show WHERE a drug acts, not fitted to how much it helps:
    the NNT numbers in drug_outcomes.py say how likely it is to help); and the mapping from
    attention, mood, sleep and fear to descending control.

What it leaves out
    Pharmacokinetics, doses, side effects, time (a capsaicin patch acts for weeks, an opioid for
    hours: here every treatment is simply "on"); tolerance; the many fibres and their
    different thresholds (one model fibre stands for the nerve); A-delta and A-beta inputs;
    the brain itself (the model stops at the signal sent up; pain is what the brain makes of
    it, and attention and mood also act in the cortex, Bushnell et al. 2013); presynaptic actions of descending noradrenaline (all descending action is put on the
    dorsal horn neurons); drug interactions (combined effects simply multiply or add).

Units
    stimulus in pA (whole-cell current into the nociceptor, 500 ms step from t = 100 ms);
    nerve rates in Hz; working fraction, release fraction and sodium block fractions
    dimensionless (0-1); C-fibre drive dimensionless (03's scale: 2.0 = the test volley);
    descending and spinal_inhibition in units of the dorsal horn input c (dimensionless);
    spinal output in impulses (integrated W spikes over 03's 400 ms trial); W rates in Hz.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import lru_cache

import numpy as np

from course_lib.models import drg, metrics
from course_lib.models import dorsal_horn as dh
from course_lib.models._validation import (Validated, check_instance, check_params, check_range,
                                            params_or_default, validate_fields)
from course_lib.models.sensitisation import SensitisationParams, couple_to_dorsal_horn

# ---------------------------------------------------------------- protocol (ours) -----------

DEFAULT_STIMULUS_PA = 300.0     # a strong noxious stimulus: well above the 72 pA rheobase
STIMULUS_RANGE_PA = (0.0, 1000.0)
DESCENDING_RANGE = (-1.0, 2.0)  # net descending control: < 0 facilitation, > 0 inhibition
MAX_DRIVE = dh.DRIVE_RANGE[1]

STAGES = ("nerve", "terminals", "dorsal_horn", "brainstem")
STAGE_LABELS = {
    "nerve": "peripheral nerve (nociceptor firing)",
    "terminals": "C-fibre terminals in the spinal cord (transmitter release)",
    "dorsal_horn": "dorsal horn neurons (spinal output, the signal sent to the brain)",
    "brainstem": "brainstem (PAG, RVM, locus coeruleus: descending control)",
}


# ---------------------------------------------------------------- treatments -----------------

@dataclass(frozen=True)
class TreatmentInfo:
    """Where a treatment acts, in words, for labels, the pathway diagram and the readout."""

    key: str
    label: str
    stages: tuple[str, ...]        # stages of STAGES it changes directly
    mechanism: str                 # one sentence, our own words


TREATMENTS: dict[str, TreatmentInfo] = {t.key: t for t in (
    TreatmentInfo("lidocaine_plaster", "lidocaine plaster", ("nerve",),
                  "blocks sodium channels in the peripheral nerve fibres under the plaster, "
                  "so they fire less"),
    TreatmentInfo("capsaicin_patch", "capsaicin 8 % patch", ("nerve",),
                  "over-stimulates TRPV1 channels until the fine nerve endings in the skin stop "
                  "working for weeks, so fewer fibres send signals"),
    TreatmentInfo("gabapentinoid", "gabapentinoid (pregabalin, gabapentin)", ("terminals",),
                  "binds the alpha-2-delta-1 subunit of calcium channels in C-fibre terminals, "
                  "so each impulse releases less transmitter in the spinal cord"),
    TreatmentInfo("tca", "tricyclic antidepressant (e.g. amitriptyline)", ("nerve", "brainstem"),
                  "blocks noradrenaline and serotonin reuptake, strengthening descending "
                  "inhibition, and also blocks sodium channels in the nerve"),
    TreatmentInfo("snri", "SNRI (e.g. duloxetine)", ("brainstem",),
                  "blocks noradrenaline and serotonin reuptake, strengthening descending "
                  "inhibition of the dorsal horn"),
    TreatmentInfo("tramadol", "tramadol", ("terminals", "dorsal_horn", "brainstem"),
                  "a weak opioid that also blocks noradrenaline and serotonin reuptake"),
    TreatmentInfo("strong_opioid", "strong opioid (e.g. morphine, oxycodone)",
                  ("terminals", "dorsal_horn", "brainstem"),
                  "acts on mu-opioid receptors on C-fibre terminals (less release), on dorsal "
                  "horn neurons (less firing) and in the brainstem (more descending inhibition)"),
)}

TREATMENT_KEYS = tuple(TREATMENTS)

EFFECT_RANGES: dict[str, tuple[float, float]] = {
    "lidocaine_sodium_block": (0.0, 1.0),
    "tca_sodium_block": (0.0, 1.0),
    "capsaicin_defunctionalised": (0.0, 1.0),
    "gabapentinoid_release_cut": (0.0, 1.0),
    "tramadol_release_cut": (0.0, 1.0),
    "opioid_release_cut": (0.0, 1.0),
    "tramadol_spinal_inhibition": (0.0, 1.0),
    "opioid_spinal_inhibition": (0.0, 1.0),
    "tca_descending": (0.0, 1.0),
    "snri_descending": (0.0, 1.0),
    "tramadol_descending": (0.0, 1.0),
    "opioid_descending": (0.0, 1.0),
}


@dataclass(frozen=True)
class TreatmentEffects(Validated):
    """How strongly each treatment acts at its site. OUR TEACHING VALUES, not measured.

    They are chosen so that each treatment visibly changes its own stage; they are NOT fitted
    to clinical efficacy (use drug_outcomes.py for how likely a drug is to help).
    *_sodium_block: fraction of Nav1.7 and Nav1.8 conductance blocked (0-1).
    capsaicin_defunctionalised: fraction of C-fibre endings not working (0-1).
    *_release_cut: fraction by which transmitter release per impulse falls (0-1).
    *_spinal_inhibition, *_descending: added inhibition in units of the dorsal horn input.

    Notebook 04's gabapentinoid model can replace ``gabapentinoid_release_cut``: pass its
    release reduction here (``TreatmentEffects(gabapentinoid_release_cut=...)``).
    """

    lidocaine_sodium_block: float = 0.3
    tca_sodium_block: float = 0.15
    capsaicin_defunctionalised: float = 0.25
    gabapentinoid_release_cut: float = 0.25
    tramadol_release_cut: float = 0.1
    opioid_release_cut: float = 0.25
    tramadol_spinal_inhibition: float = 0.05
    opioid_spinal_inhibition: float = 0.15
    tca_descending: float = 0.2
    snri_descending: float = 0.2
    tramadol_descending: float = 0.1
    opioid_descending: float = 0.1

    def validate(self) -> "TreatmentEffects":
        validate_fields(self, EFFECT_RANGES)
        return self


@dataclass(frozen=True)
class SiteActions:
    """What a set of treatments does at each site, combined (our combination rule:
    fractions that remain multiply, inhibitions add)."""

    sodium_remaining: float = 1.0      # fraction of Nav1.7/Nav1.8 conductance left
    working_fraction: float = 1.0      # fraction of C fibres whose endings work
    release: float = 1.0               # transmitter release per impulse (1 = normal)
    spinal_inhibition: float = 0.0     # on dorsal horn neurons (W and E), dorsal horn units
    descending_boost: float = 0.0      # extra descending inhibition from the brainstem


def _check_treatments(treatments, name: str = "treatments") -> tuple[str, ...]:
    if isinstance(treatments, (str, bytes)) or not isinstance(treatments, (tuple, list, set, frozenset)):
        raise ValueError(f"{name} = {treatments!r:.80} is not allowed: pass a list of treatment "
                         "keys, e.g. ['snri']")
    for key in treatments:
        if not isinstance(key, str) or key not in TREATMENTS:
            raise ValueError(f"{name} = {treatments!r:.80} is not allowed: {key!r} is not one of "
                             f"{', '.join(TREATMENT_KEYS)}")
    return tuple(dict.fromkeys(treatments))   # keep order, drop repeats


def site_actions(treatments=(), effects: TreatmentEffects | None = None) -> SiteActions:
    """Combine the actions of the chosen treatments, site by site."""
    effects = params_or_default("effects", effects, TreatmentEffects)
    chosen = set(_check_treatments(treatments))
    sodium, working, release, spinal, descending = 1.0, 1.0, 1.0, 0.0, 0.0
    if "lidocaine_plaster" in chosen:
        sodium *= 1.0 - effects.lidocaine_sodium_block
    if "tca" in chosen:
        sodium *= 1.0 - effects.tca_sodium_block
        descending += effects.tca_descending
    if "capsaicin_patch" in chosen:
        working *= 1.0 - effects.capsaicin_defunctionalised
    if "gabapentinoid" in chosen:
        release *= 1.0 - effects.gabapentinoid_release_cut
    if "snri" in chosen:
        descending += effects.snri_descending
    if "tramadol" in chosen:
        release *= 1.0 - effects.tramadol_release_cut
        spinal += effects.tramadol_spinal_inhibition
        descending += effects.tramadol_descending
    if "strong_opioid" in chosen:
        release *= 1.0 - effects.opioid_release_cut
        spinal += effects.opioid_spinal_inhibition
        descending += effects.opioid_descending
    return SiteActions(sodium, working, release, spinal, descending)


# ---------------------------------------------------------------- mind and descending control --

MIND_RANGES = {name: (0.0, 1.0) for name in
               ("attention_to_pain", "mood", "sleep_quality", "fear_of_movement")}
MIND_WEIGHTS = {"attention_to_pain": -0.1, "mood": 0.1, "sleep_quality": 0.1,
                "fear_of_movement": -0.1}


@dataclass(frozen=True)
class MindState(Validated):
    """Attention, mood, sleep and fear, each from 0 to 1; 0.5 is the neutral middle.

    attention_to_pain: 0 = absorbed in something else, 1 = focused on the pain.
    mood: 0 = low, 1 = good. sleep_quality: 0 = poor, 1 = good.
    fear_of_movement: 0 = none, 1 = strong fear that moving will cause harm.
    The neutral state (all 0.5) leaves descending control at the dorsal horn model's default.
    """

    attention_to_pain: float = 0.5
    mood: float = 0.5
    sleep_quality: float = 0.5
    fear_of_movement: float = 0.5

    def validate(self) -> "MindState":
        validate_fields(self, MIND_RANGES)
        return self


NEUTRAL_MIND = MindState()


def descending_from_mind(mind: MindState = NEUTRAL_MIND) -> float:
    """Net descending control (dorsal horn input units; > 0 inhibits) for a state of mind.

    OUR TEACHING MAPPING, linear: each factor moves descending control by up to +/-0.1 from
    the neutral middle. Directions follow the sources in the module docstring: attention on
    the pain, fear and low mood shift the brainstem towards facilitation; absorption
    elsewhere, good mood and good sleep towards inhibition. The sizes are ours. One choice
    to tell learners: sudden acute fear can also suppress pain for a while (stress-induced
    analgesia); the factor here is the lasting fear of movement common in persistent pain,
    which we map to facilitation.
    """
    check_params("mind", mind, MindState)
    return float(sum(MIND_WEIGHTS[f.name] * 2.0 * (getattr(mind, f.name) - 0.5)
                     for f in fields(mind)))


# ---------------------------------------------------------------- parameters -----------------

@dataclass(frozen=True)
class PathwayParams(Validated):
    """The person's pathway before treatment (defaults = the 02 and 03 models' defaults).

    nerve: the nociceptor's channels (drg.DRGParams; e.g. ``drg.HEALTHY.with_scales(nav18=1.3)``
        for a hyperexcitable injured nerve).
    dorsal_horn: the gate model's parameters.
    stimulus_pA: the noxious stimulus, as current into the nociceptor (500 ms step).
    descending: the brainstem's net control before treatment (0 = the 03 model, which has none;
        > 0 inhibition, < 0 facilitation), in dorsal horn input units.
    sensitisation_S: central sensitisation, 0 (none, the 03 model) to 1 (full), coupled to the
        dorsal horn as in sensitisation.py (C weights x (1+G S), inhibition x (1-D S)).
    """

    nerve: drg.DRGParams = drg.HEALTHY
    dorsal_horn: dh.DorsalHornParams = dh.DorsalHornParams()
    stimulus_pA: float = DEFAULT_STIMULUS_PA
    descending: float = 0.0
    sensitisation_S: float = 0.0
    sensitisation: SensitisationParams = SensitisationParams()

    def validate(self) -> "PathwayParams":
        check_params("nerve", self.nerve, drg.DRGParams)
        check_params("dorsal_horn", self.dorsal_horn, dh.DorsalHornParams)
        check_params("sensitisation", self.sensitisation, SensitisationParams)
        check_range("stimulus_pA", self.stimulus_pA, *STIMULUS_RANGE_PA)
        check_range("descending", self.descending, *DESCENDING_RANGE)
        check_range("sensitisation_S", self.sensitisation_S, 0.0, 1.0)
        return self


DEFAULT_PATHWAY = PathwayParams()


# ---------------------------------------------------------------- nerve stage (cached) -------

@dataclass(frozen=True)
class NerveStage:
    """One nociceptor's response to the stimulus (shared, read-only: it is cached)."""

    rate_hz: float                 # mean rate during the 500 ms step
    spike_times_ms: np.ndarray
    t_ms: np.ndarray
    v_mV: np.ndarray


def nerve_response(nerve: drg.DRGParams, stimulus_pA: float) -> NerveStage:
    """The nociceptor's firing for the pathway's stimulus; cached (the costly stage).

    Same protocol and numbers as notebook 02: ``drg.step_response`` (500 ms step from 100 ms)
    and ``metrics.rate_hz`` over the step, i.e. one point of ``drg.fi_curve``.
    """
    check_params("nerve", nerve, drg.DRGParams)        # before the cache, which needs hashable values
    return _nerve_response(nerve, check_range("stimulus_pA", stimulus_pA, *STIMULUS_RANGE_PA))


@lru_cache(maxsize=32)      # each entry holds a 600 ms trace (~0.4 MB); a lab needs a handful
def _nerve_response(nerve: drg.DRGParams, stimulus_pA: float) -> NerveStage:
    res = drg.step_response(nerve, float(stimulus_pA))
    start = drg.STEP_START_MS
    rate = metrics.rate_hz(res.spike_times_ms, start, start + drg.STEP_DURATION_MS)
    arrays = (res.spike_times_ms.copy(), res.t_ms.copy(), res.v_mV.copy())
    for a in arrays:
        a.setflags(write=False)
    return NerveStage(float(rate), *arrays)


# the cache's own controls, on the public name (tests and labs read its hits and misses)
nerve_response.cache_info = _nerve_response.cache_info
nerve_response.cache_clear = _nerve_response.cache_clear


def reference_rate_hz() -> float:
    """The untreated default nociceptor's rate for the default stimulus: the calibration that
    makes an untreated nerve deliver 03's C-fibre test drive of 2.0."""
    return nerve_response(drg.HEALTHY, DEFAULT_STIMULUS_PA).rate_hz


def warm_nerve_cache(params: PathwayParams = DEFAULT_PATHWAY,
                     effects: TreatmentEffects | None = None) -> int:
    """Simulate, once, every nerve the treatments can produce (no block, lidocaine, TCA, both),
    so that ticking treatments in a lab never waits for the DRG model. Returns how many
    distinct nerve stages there are. Call it when the lab is built."""
    check_params("params", params, PathwayParams)
    variants = {site_actions(combo, effects).sodium_remaining
                for combo in ((), ("lidocaine_plaster",), ("tca",), ("lidocaine_plaster", "tca"))}
    for remaining in variants:
        nerve_response(_nerve_with_sodium(params.nerve, remaining), float(params.stimulus_pA))
    nerve_response(drg.HEALTHY, DEFAULT_STIMULUS_PA)          # the calibration
    return len(variants)


# ---------------------------------------------------------------- the whole pathway ----------

@dataclass(frozen=True)
class PathwayResult:
    """Every stage's output for one set of treatments."""

    treatments: tuple[str, ...]
    actions: SiteActions
    nerve: NerveStage                 # one fibre's firing (after any sodium block)
    nerve_rate_hz: float              # one working fibre's rate
    nerve_output_hz: float            # rate x working fraction: what the nerve sends on
    c_drive: float                    # C-fibre drive into the dorsal horn (03's scale)
    descending: float                 # net descending control used (> 0 inhibits)
    spinal_inhibition: float          # inhibition on dorsal horn neurons from drugs
    dorsal: dh.DorsalHornResult       # W, E, I time courses
    spinal_output: float              # integrated W spikes = impulses sent to the brain
    peak_W_Hz: float

    @property
    def signal_to_brain(self) -> float:
        """Impulses one projection neuron sends up to the brain (= spinal_output: W neurons
        are the projection neurons)."""
        return self.spinal_output


def _nerve_with_sodium(nerve: drg.DRGParams, remaining: float) -> drg.DRGParams:
    if remaining == 1.0:
        return nerve
    return replace(nerve, g_nav17_mS_cm2=nerve.g_nav17_mS_cm2 * remaining,
                   g_nav18_mS_cm2=nerve.g_nav18_mS_cm2 * remaining)


def spinal_params(params: PathwayParams, inhibition: float) -> dh.DorsalHornParams:
    """Dorsal horn parameters with sensitisation and with ``inhibition`` (descending plus
    spinal, dorsal horn input units) subtracted from the inputs of W and E: raising both
    thresholds by the same amount is exactly that subtraction."""
    check_params("params", params, PathwayParams)
    lo, hi = dh.RANGES["b_W"]
    # a number first (a string or None would fail inside the arithmetic); its sign is free, since
    # the brainstem can boost as well as damp, and the thresholds' range below bounds it
    inhibition = check_range("inhibition", inhibition, lo - hi, hi - lo)
    base = couple_to_dorsal_horn(params.dorsal_horn, params.sensitisation_S, params.sensitisation)
    b_w = base.b_W + inhibition
    b_e = base.b_E + inhibition
    if not (lo <= b_w <= hi and lo <= b_e <= hi):
        raise ValueError(f"total inhibition = {inhibition!r} puts a dorsal horn threshold outside "
                         f"{lo:g} to {hi:g}")
    return replace(base, b_W=b_w, b_E=b_e)


def simulate_pathway(treatments=(), params: PathwayParams = DEFAULT_PATHWAY,
                     effects: TreatmentEffects | None = None,
                     mind: MindState = NEUTRAL_MIND) -> PathwayResult:
    """Run the pathway for a combination of treatments (keys of TREATMENTS, any order).

    With no treatment, the default params and a neutral mind, the nerve stage equals 02's
    ``drg.step_response(drg.HEALTHY, 300)`` and the spinal output equals 03's
    ``dorsal_horn.noxious_response(DorsalHornParams())``.
    Fast enough for a slider: the nerve stage is cached per (nerve, stimulus).
    """
    check_params("params", params, PathwayParams)
    check_params("mind", mind, MindState)
    chosen = _check_treatments(treatments)
    actions = site_actions(chosen, effects)
    nerve = nerve_response(_nerve_with_sodium(params.nerve, actions.sodium_remaining),
                           float(params.stimulus_pA))
    output = nerve.rate_hz * actions.working_fraction
    reference = reference_rate_hz()
    drive = dh.STRONG_DRIVE * output / reference * actions.release
    if drive > MAX_DRIVE:
        raise ValueError(f"the nerve's output ({output:.0f} Hz) gives a C-fibre drive of "
                         f"{drive:.2f}, above the dorsal horn model's limit of {MAX_DRIVE:g}: "
                         "lower stimulus_pA or the nerve's sodium conductances")
    descending = params.descending + descending_from_mind(mind) + actions.descending_boost
    dorsal = dh.stimulus_trial(spinal_params(params, descending + actions.spinal_inhibition),
                               noxious=drive)
    return PathwayResult(
        treatments=chosen, actions=actions, nerve=nerve, nerve_rate_hz=nerve.rate_hz,
        nerve_output_hz=output, c_drive=drive, descending=descending,
        spinal_inhibition=actions.spinal_inhibition, dorsal=dorsal,
        spinal_output=dorsal.integrated_W_spikes, peak_W_Hz=dorsal.peak_W_Hz)


def stage_outputs(result: PathwayResult) -> dict[str, float]:
    """The number each stage passes on, for readouts and tests."""
    check_instance("result", result, PathwayResult)
    return {"nerve": result.nerve_output_hz, "terminals": result.c_drive,
            "dorsal_horn": result.spinal_output, "brain": result.signal_to_brain}


def describe_stages(result: PathwayResult, untreated: PathwayResult) -> str:
    """One sentence per stage, comparing with the untreated pathway (for a live readout).

    Words are about the model ("in this teaching model"), never a prediction for a person.
    """
    check_instance("result", result, PathwayResult)
    check_instance("untreated", untreated, PathwayResult)
    def change(now: float, before: float) -> str:
        if before == 0.0:
            return "unchanged" if now == 0.0 else "up from zero"
        pct = 100.0 * (now - before) / before
        return "unchanged" if abs(pct) < 0.5 else f"{'down' if pct < 0 else 'up'} {abs(pct):.0f} %"

    return " ".join([
        "In this teaching model:",
        f"nerve {result.nerve_output_hz:.0f} Hz ({change(result.nerve_output_hz, untreated.nerve_output_hz)});",
        f"C-fibre drive into the cord {result.c_drive:.2f} ({change(result.c_drive, untreated.c_drive)});",
        f"signal to the brain {result.signal_to_brain:.1f} impulses "
        f"({change(result.signal_to_brain, untreated.signal_to_brain)}).",
    ])


def relative_to_untreated(result: PathwayResult, params: PathwayParams = DEFAULT_PATHWAY,
                          mind: MindState = NEUTRAL_MIND) -> float:
    """Signal to the brain as a percentage of the same pathway (and mind) without treatment."""
    check_instance("result", result, PathwayResult)
    base = simulate_pathway((), params, mind=mind).spinal_output
    return 100.0 * result.spinal_output / base if base > 0 else float("nan")


def sites_of(treatments) -> dict[str, tuple[str, ...]]:
    """For the diagram: stage -> treatments (keys) acting there directly."""
    chosen = _check_treatments(treatments)
    return {stage: tuple(t for t in chosen if stage in TREATMENTS[t].stages) for stage in STAGES}


def treatment_table(params: PathwayParams = DEFAULT_PATHWAY,
                    effects: TreatmentEffects | None = None,
                    combinations=(("gabapentinoid", "snri"),)) -> dict[str, PathwayResult]:
    """Pathway results with no treatment, each single treatment and the given combinations
    (label "none", a treatment key, or keys joined by " + ")."""
    check_params("params", params, PathwayParams)
    if isinstance(combinations, (str, bytes)) or not isinstance(combinations, (tuple, list)):
        raise ValueError(f"combinations = {combinations!r:.80} is not allowed: it must be a list of "
                         "treatment combinations, e.g. [('gabapentinoid', 'snri')]")
    combinations = [_check_treatments(combo, "combinations") for combo in combinations]
    table = {"none": simulate_pathway((), params, effects)}
    for key in TREATMENT_KEYS:
        table[key] = simulate_pathway((key,), params, effects)
    for combo in combinations:
        table[" + ".join(combo)] = simulate_pathway(combo, params, effects)
    return table
