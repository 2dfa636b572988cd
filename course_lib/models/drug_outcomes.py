"""How likely is a medicine to help? Icon-array counts from NNT and NNH (notebook 05).

What it models
    Out of 100 people like those in the trials, for each drug class for neuropathic pain:
    how many reach at least 50 % pain relief on placebo, how many MORE reach it because of the
    drug (100 / NNT, with the 95 % confidence interval), and how many more stop taking it
    because of side effects than on placebo (100 / NNH). Plus the NeuPSIG recommendation tiers
    (first, second, third line; not recommended) and a function to compare two drugs.

    NNT (number needed to treat): how many people must take the drug instead of placebo for
    one more of them to get 50 % relief. NNH (number needed to harm): how many must take it for
    one more of them to drop out of the trial because of side effects.

Sources
    NNT, NNH, tiers, the 10 % overstatement: Finnerup NB, Attal N, Haroutounian S et al. (2015)
    Pharmacotherapy for neuropathic pain in adults: a systematic review and meta-analysis.
    Lancet Neurol 14:162-173, doi:10.1016/S1474-4422(14)70251-0 (229 studies; "analysis of
    publication bias suggested a 10 % overstatement of treatment effects"). The confidence
    intervals of the NNH values were read from the same meta-analysis as tabulated in BJA
    Education 2018;18(9):277-283, doi:10.1016/j.bjae.2018.06.002 (Table 1).
    Placebo rate: Arakawa A, Kaneko M, Narukawa M (2015) "An investigation of factors
    contributing to higher levels of placebo response in clinical trials in neuropathic pain: a
    systematic review and meta-analysis", Clin Drug Investig 35:67-81,
    doi:10.1007/s40261-014-0259-1 (abstract read): in 71 oral, parallel-group trials of at least
    4 weeks (6,126 people) the estimated share of placebo-treated people with at least 50 %
    relief was 23 % (95 % CI 21-26 %) in peripheral neuropathic pain (14 % in central pain,
    26 % in painful diabetic neuropathy, 19 % in postherpetic neuralgia). It fits crossover
    trials (many tricyclic trials), patches and injections less well; the readout says so.
    Per-drug caveats (``DrugEvidence.caveat``), printed wherever a drug's counts are shown:
    botulinum toxin A's NNT rests on few, small trials rated low quality (Finnerup et al. 2015,
    Table 3); the capsaicin 8 % patch was compared with a low-dose (0.04 %) capsaicin patch, not
    an inert placebo.

What it leaves out (say so next to the icon array)
    The placebo rate comes from a different review than the NNTs, and placebo responses vary
    widely between conditions and trials; we use one rate (23 per 100) for every drug. NNT and
    NNH are averages over trials of different conditions, doses and lengths (mostly weeks to a
    few months): they do not say what will happen to one person. Adding 100/NNT to the placebo
    count assumes the drug's benefit adds to the placebo response, which is how NNT is defined
    (a difference in rates) but not a claim about any person. Side effects that do not make
    people stop are not counted. The 10 % correction is rough: Finnerup et al. estimated the
    overstatement across all trials, not per drug, and we simply take 10 % off the drug's extra
    responders (OUR simplification).

Units
    counts are people per 100 (floats; the icon array rounds them); NNT, NNH in people.
"""

from __future__ import annotations

from dataclasses import dataclass

from course_lib.models._validation import Validated, check_choice, check_range

FINNERUP_2015 = ("Finnerup et al. 2015, Lancet Neurology 14:162-173, "
                 "doi:10.1016/S1474-4422(14)70251-0")
NNH_CI_SOURCE = ("BJA Education 2018;18(9):277-283 (Table 1, from Finnerup et al. 2015), "
                 "doi:10.1016/j.bjae.2018.06.002")
PLACEBO_SOURCE = ("Arakawa, Kaneko & Narukawa 2015, Clin Drug Investig 35:67, "
                  "doi:10.1007/s40261-014-0259-1")

PLACEBO_RESPONDERS_PER_100 = 23.0          # peripheral neuropathic pain, PLACEBO_SOURCE
PLACEBO_CI_PER_100 = (21.0, 26.0)
OVERSTATEMENT = 0.10                       # Finnerup et al. 2015: publication bias
PEOPLE = 100

OVERSTATEMENT_NOTE = (f"An analysis of publication bias suggested that published trials overstate "
                      f"the effects of these medicines by about {OVERSTATEMENT * 100:.0f} % "
                      f"({FINNERUP_2015.split(',')[0]}).")
PLACEBO_NOTE = (f"About {PLACEBO_RESPONDERS_PER_100:.0f} in 100 people in trials of peripheral "
                "neuropathic pain reached 50 % relief on placebo (Arakawa, Kaneko & Narukawa 2015, "
                "from oral, parallel-group trials of 4 weeks or more); the rate differs between "
                "conditions and trials, it fits crossover trials, patches and injections less well, "
                "and we use the same one for every drug.")

TIERS = ("first", "second", "third", "not recommended")
TIER_LABELS = {
    "first": "first line (strong recommendation)",
    "second": "second line (weak recommendation)",
    "third": "third line (weak recommendation)",
    "not recommended": "recommended against",
}


@dataclass(frozen=True)
class DrugEvidence(Validated):
    """One drug class's numbers from Finnerup et al. 2015 (None where none were given)."""

    key: str
    label: str
    tier: str
    nnt: float | None = None
    nnt_ci: tuple[float, float] | None = None
    nnh: float | None = None
    nnh_ci: tuple[float, float] | None = None
    note: str = ""
    pathway_key: str | None = None   # the matching treatment in pathway.TREATMENTS
    caveat: str = ""                 # said wherever this drug's counts are shown (readout, notebook)

    def validate(self) -> "DrugEvidence":
        if self.tier not in TIERS:
            raise ValueError(f"tier = {self.tier!r} is not allowed: it must be one of {TIERS}")
        for name, value, ci in (("nnt", self.nnt, self.nnt_ci), ("nnh", self.nnh, self.nnh_ci)):
            if value is None:
                if ci is not None:
                    raise ValueError(f"{name}_ci = {ci!r} given without {name}")
                continue
            check_range(name, value, 1.0, 1000.0)
            if ci is not None:
                low, high = (check_range(f"{name}_ci", c, 1.0, 1000.0) for c in ci)
                if not low <= value <= high:
                    raise ValueError(f"{name}_ci = {ci!r} does not contain {name} = {value!r}")
        return self


DRUGS: dict[str, DrugEvidence] = {d.key: d.validate() for d in (
    DrugEvidence("tca", "tricyclic antidepressants (TCAs)", "first", 3.6, (3.0, 4.4),
                 13.4, (9.3, 24.4), pathway_key="tca"),
    DrugEvidence("snri", "SNRIs (mainly duloxetine)", "first", 6.4, (5.2, 8.4),
                 11.8, (9.5, 15.2), pathway_key="snri"),
    DrugEvidence("pregabalin", "pregabalin", "first", 7.7, (6.5, 9.4), 13.9, (11.6, 17.4),
                 pathway_key="gabapentinoid"),
    DrugEvidence("gabapentin", "gabapentin (immediate release)", "first", 6.3, (5.0, 8.3),
                 25.6, (15.3, 78.6),
                 note="all gabapentin formulations together: NNT 7.2 (5.9-9.2)",
                 pathway_key="gabapentinoid",
                 caveat="This is immediate-release gabapentin; for all forms of gabapentin together the "
                        "number needed to treat is 7.2."),
    DrugEvidence("gabapentin_er", "gabapentin extended release / enacarbil", "first",
                 8.3, (6.2, 13.0), 31.9, (17.1, 230.0), pathway_key="gabapentinoid"),
    DrugEvidence("tramadol", "tramadol", "second", 4.7, (3.6, 6.7), 12.6, (8.4, 25.3),
                 pathway_key="tramadol"),
    DrugEvidence("capsaicin_8", "capsaicin 8 % patch", "second", 10.6, (7.4, 18.8),
                 note="for peripheral neuropathic pain; no NNH for stopping was given",
                 pathway_key="capsaicin_patch",
                 caveat="Its trials compared it with a low-dose (0.04 %) capsaicin patch, not an inert "
                        "placebo, so the placebo count here is only an approximation."),
    DrugEvidence("lidocaine_plaster", "lidocaine plaster", "second",
                 note="for peripheral neuropathic pain; no NNT: the evidence is of low quality",
                 pathway_key="lidocaine_plaster"),
    DrugEvidence("strong_opioids", "strong opioids (e.g. morphine, oxycodone)", "third",
                 4.3, (3.4, 5.8), 11.7, (8.4, 19.3),
                 note="third line mainly because of safety concerns (for example misuse and overdose)",
                 pathway_key="strong_opioid"),
    DrugEvidence("botulinum_toxin_a", "botulinum toxin A (injections under the skin)", "third",
                 1.9, (1.5, 2.4),
                 note="peripheral neuropathic pain, specialist use; few, small trials",
                 caveat="Read this one with care: it rests on a few small trials whose evidence was rated "
                        "low quality (Finnerup et al. 2015); it is a third-line treatment given by specialists."),
    DrugEvidence("cannabinoids", "cannabinoids", "not recommended",
                 note="weak recommendation against"),
    DrugEvidence("valproate", "valproate", "not recommended", note="weak recommendation against"),
    DrugEvidence("levetiracetam", "levetiracetam", "not recommended",
                 note="strong recommendation against"),
    DrugEvidence("mexiletine", "mexiletine", "not recommended",
                 note="strong recommendation against"),
)}


def drug(key: str) -> DrugEvidence:
    """Look up a drug class; the error lists the keys there are."""
    return DRUGS[check_choice("key", key, tuple(DRUGS))]


def tier_ladder() -> dict[str, tuple[str, ...]]:
    """NeuPSIG tiers, first line first: tier -> drug keys."""
    return {tier: tuple(k for k, d in DRUGS.items() if d.tier == tier) for tier in TIERS}


#: A "number needed" to treat or to harm is at least 1 (every person treated); larger than this
#: and the effect rounds to nobody in 100.
NUMBER_NEEDED_RANGE = (1.0, 1e6)


def per_100(n: float | None) -> float | None:
    """People per 100 for a 'number needed' (100 / n); None stays None.

    ``n`` must be a finite number from 1 up: 0, negative numbers, NaN and infinity are refused
    by name rather than turned into a division by zero or a negative count of people.
    """
    return None if n is None else PEOPLE / check_range("n", n, *NUMBER_NEEDED_RANGE)


@dataclass(frozen=True)
class IconCounts:
    """Out of 100 people like those in the trials (floats; see ``rounded``)."""

    key: str
    placebo: float                          # 50 % relief on placebo
    extra_from_drug: float | None           # 100 / NNT
    extra_ci: tuple[float, float] | None    # from the NNT's CI (low, high)
    extra_bias_adjusted: float | None       # 10 % less: the publication-bias correction
    stopped_side_effects: float | None      # 100 / NNH: more than on placebo
    stopped_ci: tuple[float, float] | None

    @property
    def no_extra_relief(self) -> float | None:
        """People without 50 % relief on the drug."""
        if self.extra_from_drug is None:
            return None
        return PEOPLE - self.placebo - self.extra_from_drug

    def rounded(self) -> dict[str, int | None]:
        """Whole people for the icon array; the three relief groups always add up to 100."""
        if self.extra_from_drug is None:
            return {"placebo": round(self.placebo), "extra_from_drug": None,
                    "no_extra_relief": None,
                    "stopped_side_effects": _round_or_none(self.stopped_side_effects)}
        placebo = round(self.placebo)
        extra = round(self.extra_from_drug)
        return {"placebo": placebo, "extra_from_drug": extra,
                "no_extra_relief": PEOPLE - placebo - extra,
                "stopped_side_effects": _round_or_none(self.stopped_side_effects)}


def _round_or_none(x: float | None) -> int | None:
    return None if x is None else round(x)


def _ci_per_100(ci: tuple[float, float] | None) -> tuple[float, float] | None:
    # a larger NNT means fewer people helped: the interval flips
    return None if ci is None else (PEOPLE / ci[1], PEOPLE / ci[0])


def icon_counts(key: str, placebo_per_100: float = PLACEBO_RESPONDERS_PER_100) -> IconCounts:
    """Icon-array counts for one drug class (see module docstring for what they assume)."""
    d = drug(key)
    placebo = check_range("placebo_per_100", placebo_per_100, 0.0, 100.0)
    extra = per_100(d.nnt)
    if extra is not None and placebo + extra > PEOPLE:
        raise ValueError(f"placebo_per_100 = {placebo_per_100!r} is not allowed for {key}: "
                         f"with {extra:.1f} extra responders it must be at most "
                         f"{PEOPLE - extra:.1f}")
    return IconCounts(
        key=key, placebo=placebo, extra_from_drug=extra, extra_ci=_ci_per_100(d.nnt_ci),
        extra_bias_adjusted=None if extra is None else extra * (1.0 - OVERSTATEMENT),
        stopped_side_effects=per_100(d.nnh), stopped_ci=_ci_per_100(d.nnh_ci))


def all_icon_counts() -> dict[str, IconCounts]:
    return {key: icon_counts(key) for key in DRUGS}


def describe(key: str) -> str:
    """One plain sentence for the readout (numbers rounded to whole people)."""
    d = drug(key)
    c = icon_counts(key)
    r = c.rounded()
    if d.tier == "not recommended":
        return f"{d.label}: NeuPSIG recommends against it ({d.note})."
    if c.extra_from_drug is None:
        return (f"{d.label}: no number needed to treat is available ({d.note}). "
                f"NeuPSIG: {TIER_LABELS[d.tier]}.")
    low, high = c.extra_ci
    text = (f"Out of 100 people like those in the trials of {d.label}, about {r['placebo']} "
            f"reach 50 % relief on placebo and about {r['extra_from_drug']} more because of the "
            f"drug (95 % CI {round(low)} to {round(high)}); about "
            f"{r['no_extra_relief']} do not reach 50 % relief.")
    if c.stopped_side_effects is not None:
        text += (f" About {r['stopped_side_effects']} more than on placebo stop taking it "
                 "because of side effects.")
    text += f" NeuPSIG: {TIER_LABELS[d.tier]}."
    return f"{text} {d.caveat}" if d.caveat else text


@dataclass(frozen=True)
class Comparison:
    """Two drugs side by side: counts and whether their NNT intervals overlap."""

    first: IconCounts
    second: IconCounts
    extra_difference: float | None            # first minus second, people per 100
    stopped_difference: float | None
    nnt_intervals_overlap: bool | None
    summary: str


def compare(first: str, second: str) -> Comparison:
    """Compare two drug classes. Overlapping 95 % intervals are a warning that the difference
    may be chance, not a formal test (the course says so)."""
    check_choice("first", first, tuple(DRUGS))
    check_choice("second", second, tuple(DRUGS))
    a, b = icon_counts(first), icon_counts(second)
    da, db = drug(first), drug(second)
    extra = (None if a.extra_from_drug is None or b.extra_from_drug is None
             else a.extra_from_drug - b.extra_from_drug)
    stopped = (None if a.stopped_side_effects is None or b.stopped_side_effects is None
               else a.stopped_side_effects - b.stopped_side_effects)
    overlap = None
    if da.nnt_ci is not None and db.nnt_ci is not None:
        overlap = da.nnt_ci[0] <= db.nnt_ci[1] and db.nnt_ci[0] <= da.nnt_ci[1]
    if extra is None:
        summary = "One of these has no number needed to treat, so they cannot be compared this way."
    else:
        more, other = (da.label, db.label) if extra >= 0 else (db.label, da.label)
        summary = (f"With {more}, about {abs(round(extra))} more people per 100 reach 50 % "
                   f"relief than with {other}")
        summary += (": the confidence intervals overlap, so the true difference may be smaller "
                    "or reversed." if overlap else ": the confidence intervals do not overlap.")
        summary += (" This compares separate sets of trials, not the two drugs head to head.")
    return Comparison(a, b, extra, stopped, overlap, summary)
