"""Published trial numbers for notebook 04, in one place, with what we checked and how.

What it holds
    ``PUBLISHED``: every clinical number the intervention labs and quizzes may print, each with
    its citation (DOI where known), population, comparison, outcome, time point, and caveats.
    ``verified`` says where the number was read:

    * ``"abstract"``: read in the paper's own abstract (publisher, PubMed or PMC copy);
    * ``"summary"``: read only in a secondary summary of the paper (a review table, a
      commentary, a news digest): print it with "about", and cite the paper;
    * nothing else is stored here: numbers we could not check are left out (see
      ``LEFT_OUT``).

    Helpers turn percentages into "responders out of 100" (for icon arrays) and compute NNT.

Units
    percentages are per cent of people randomised to that arm (0-100); NNT is people.

What it leaves out
    Confidence intervals we did not read, subgroup results, harms other than those named, and
    every trial we did not check. A trial's percentage is not a prediction for a person.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ._validation import check_range


@dataclass(frozen=True)
class PublishedResult:
    """One published comparison: arm percentages and the context a learner needs to read them."""

    key: str
    trial: str
    citation: str
    doi: str
    population: str
    outcome: str
    timepoint: str
    arms: tuple[tuple[str, float], ...]  # (arm label, per cent of that arm with the outcome)
    n_randomised: int | None
    caveats: tuple[str, ...] = field(default_factory=tuple)
    verified: str = "abstract"
    note: str = ""

    def arm(self, label: str) -> float:
        for name, value in self.arms:
            if name == label:
                return value
        raise ValueError(f"label = {label!r:.80} is not allowed: it must be one of the arms {[a for a, _ in self.arms]}")

    def out_of_100(self) -> dict[str, int]:
        """Each arm's outcome as whole people out of 100 (for an icon array)."""
        return {name: responders_out_of_100(value) for name, value in self.arms}


PUBLISHED: dict[str, PublishedResult] = {
    r.key: r
    for r in [
        PublishedResult(
            key="DCCT_neuropathy",
            trial="DCCT (Diabetes Control and Complications Trial)",
            citation="DCCT Research Group 1993, N Engl J Med 329:977; the 60% figure as read in "
            "the commentary 'The DCCT and medical care for diabetes in the U.S.', Diabetes Care "
            "1994;17(7):761",
            doi="10.1056/NEJM199309303291401",
            population="1,441 people with type 1 diabetes, mean follow-up 6.5 years",
            outcome="development of clinical neuropathy, intensive vs conventional therapy",
            timepoint="end of DCCT (mean 6.5 years)",
            arms=(("relative reduction with intensive therapy", 60.0),),
            n_randomised=1441,
            caveats=(
                "median HbA1c about 7% (intensive) vs 9% (conventional)",
                "intensive therapy brought a two- to threefold increase in severe hypoglycaemia",
                "type 1 diabetes only: the effect in type 2 is smaller and uncertain",
            ),
            verified="summary",
            note="a relative reduction, not an arm percentage",
        ),
        PublishedResult(
            key="EDIC_neuropathy",
            trial="DCCT/EDIC follow-up",
            citation="Albers et al. 2010, Diabetes Care 33:1090",
            doi="10.2337/dc09-1941",
            population="DCCT participants 13-14 years after the trial ended (603 former intensive, "
            "583 former conventional)",
            outcome="prevalence of clinical neuropathy",
            timepoint="13-14 years after DCCT closeout",
            arms=(("former intensive", 25.0), ("former conventional", 35.0)),
            n_randomised=None,
            caveats=("observational follow-up; HbA1c of the two groups became similar after the trial",),
            verified="abstract",
        ),
        PublishedResult(
            key="Cochrane_glucose_T1",
            trial="Cochrane review of enhanced glucose control (type 1 trials)",
            citation="Callaghan et al. 2012, Cochrane Database Syst Rev CD007543",
            doi="10.1002/14651858.CD007543.pub2",
            population="two trials, 1,228 people with type 1 diabetes",
            outcome="risk ratio for developing clinical neuropathy, enhanced vs standard control",
            timepoint="about 5 years",
            arms=(("risk ratio x 100", 46.0),),
            n_randomised=1228,
            caveats=(
                "95% CI 0.33-0.63",
                "in type 2 diabetes (four trials) the benefit was not statistically significant",
                "more severe hypoglycaemia with enhanced control in both types",
            ),
            verified="summary",
            note="RR 0.46 stored as 46 (per cent of the standard-control risk)",
        ),
        PublishedResult(
            key="Finnerup_pregabalin",
            trial="NeuPSIG meta-analysis, pregabalin",
            citation="Finnerup et al. 2015, Lancet Neurol 14:162",
            doi="10.1016/S1474-4422(14)70251-0",
            population="randomised double-blind trials in neuropathic pain",
            outcome="NNT for 50% pain relief vs placebo",
            timepoint="end of each trial (weeks)",
            arms=(("NNT", 7.7),),
            n_randomised=None,
            caveats=(
                "95% CI 6.5-9.4",
                "publication bias analysis suggested about 10% overstatement of effects",
                "relief measured while people took it; no trial shows relief lasting after stopping",
            ),
            verified="abstract",
            note="NNT, not a percentage",
        ),
        PublishedResult(
            key="Finnerup_gabapentin",
            trial="NeuPSIG meta-analysis, gabapentin (all formulations)",
            citation="Finnerup et al. 2015, Lancet Neurol 14:162",
            doi="10.1016/S1474-4422(14)70251-0",
            population="randomised double-blind trials in neuropathic pain",
            outcome="NNT for 50% pain relief vs placebo",
            timepoint="end of each trial (weeks)",
            arms=(("NNT", 7.2),),
            n_randomised=None,
            caveats=(
                "95% CI 5.9-9.21, all forms together",
                "relief measured while people took it; no trial shows relief lasting after stopping",
            ),
            verified="abstract",
            note="NNT, not a percentage",
        ),
        PublishedResult(
            key="PROCESS",
            trial="PROCESS: conventional SCS + medical management vs medical management",
            citation="Kumar et al. 2007, Pain 132:179",
            doi="10.1016/j.pain.2007.07.028",
            population="100 people with failed back surgery syndrome and neuropathic leg pain",
            outcome=">= 50% leg pain relief",
            timepoint="6 months",
            arms=(("SCS + medical management", 48.0), ("medical management", 9.0)),
            n_randomised=100,
            caveats=(
                "randomised first and analysed by intention to treat; "
                "no sham: patients knew whether they had a stimulator",
                "sponsored by the device maker",
                "by 24 months 37% vs 2% by randomised group (modified intention to treat, counting "
                "only people still followed), after many had crossed over "
                "(Kumar et al. 2008 follow-up, PubMed 18981888)",
            ),
            verified="abstract",
        ),
        PublishedResult(
            key="SENZA_PDN",
            trial="SENZA-PDN: 10 kHz SCS + medical management vs medical management",
            citation="Petersen et al. 2021, JAMA Neurol 78:687",
            doi="10.1001/jamaneurol.2021.0538",
            population="216 people with painful diabetic neuropathy not helped enough by drugs",
            outcome=">= 50% pain relief without neurological worsening",
            timepoint="3 months (the trial's primary end point)",
            arms=(("10 kHz SCS + medical management", 79.0), ("medical management", 5.0)),
            n_randomised=216,
            caveats=(
                "open label: patients knew which treatment they had",
                "funded by the device maker",
                "selected patients with painful diabetic neuropathy for at least 1 year "
                "(e.g. HbA1c <= 10%, BMI <= 45)",
                "investigators also reported better nerve examinations in the stimulator group; "
                "they knew who had a stimulator, and no blinded trial has shown nerve repair",
                "10 kHz stimulation causes no tingling and its mechanism is debated: "
                "it is not explained by the gate model",
            ),
            verified="abstract",
        ),
        PublishedResult(
            key="ACCURATE",
            trial="ACCURATE: DRG stimulation vs conventional SCS",
            citation="Deer et al. 2017, Pain 158:669",
            doi="10.1097/j.pain.0000000000000814",
            population="152 people with CRPS or causalgia of the lower limb",
            outcome=">= 50% pain relief and treatment success (composite)",
            timepoint="3 months",
            arms=(("DRG stimulation", 81.2), ("conventional SCS", 55.7)),
            n_randomised=152,
            caveats=(
                "compares two stimulators: there is no untreated or sham group",
                "employees of the device maker are among the authors",
                "focal conditions (CRPS, causalgia) in selected patients",
            ),
            verified="abstract",
        ),
        PublishedResult(
            key="ZOE70_zoster",
            trial="ZOE-70: recombinant zoster vaccine (Shingrix) vs placebo",
            citation="Cunningham et al. 2016, N Engl J Med 375:1019",
            doi="10.1056/NEJMoa1603800",
            population="13,900 adults aged 70 or older",
            outcome="vaccine efficacy against shingles (herpes zoster)",
            timepoint="median follow-up 3.7 years",
            arms=(("vaccine efficacy", 90.0),),
            n_randomised=13900,
            caveats=(
                "against shingles the paper's summaries give 89.5-89.8%, printed here as about 90%",
                "against nerve pain after shingles (postherpetic neuralgia), about 89% in people aged 70 or "
                "older (pooled analysis of the ZOE-50 and ZOE-70 trials)",
            ),
            verified="summary",
            note="a relative reduction, not an arm percentage",
        ),
        PublishedResult(
            key="Forbes_PHN_acute_pain",
            trial="Meta-analysis of risk factors for postherpetic neuralgia",
            citation="Forbes et al. 2016, Pain 157:30",
            doi="10.1097/j.pain.0000000000000307",
            population="19 prospective studies of people with shingles",
            outcome="rate ratio of postherpetic neuralgia, severe vs less severe acute pain",
            timepoint="after the rash",
            arms=(("rate ratio x 100", 223.0),),
            n_randomised=None,
            caveats=("95% CI 1.71-2.92", "observational studies: a risk factor, not proof of cause"),
            verified="abstract",
            note="rate ratio 2.23 stored as 223",
        ),
        PublishedResult(
            key="Smith_duloxetine_CIPN",
            trial="Duloxetine for painful chemotherapy-induced neuropathy (crossover RCT)",
            citation="Smith et al. 2013, JAMA 309:1359",
            doi="10.1001/jama.2013.2813",
            population="231 people with painful neuropathy after paclitaxel or oxaliplatin",
            outcome="mean fall in average pain (0-10) over the first 5 weeks",
            timepoint="5 weeks",
            arms=(("duloxetine (points x 100)", 106.0), ("placebo (points x 100)", 34.0)),
            n_randomised=231,
            caveats=(
                "a modest mean difference (about 0.7 points on 0-10)",
                "short treatment periods",
                "people had finished chemotherapy at least 3 months before (as a Cochrane review, CD014682, "
                "describes the trial): it did not test treatment during chemotherapy",
            ),
            verified="abstract",
            note="mean pain falls 1.06 vs 0.34 points, stored x 100",
        ),
    ]
}

# What SCIENCE.md listed that we did NOT print, and why (so nobody adds it back unchecked).
LEFT_OUT: dict[str, str] = {
    "DCCT '64%' neuropathy figure": "not found at a primary source; the 60% figure is used",
    "ACCURATE 12-month figures": "not read at the source",
    "Cochrane Chen 2014 aciclovir and PHN": "not read at the source",
    "decompression (carpal tunnel surgery) success rates": "no primary source read",
    "ZOE efficacy against PHN of 91.2%": "that figure is for people aged 50 or older; the course prints the "
        "figure for 70 or older",
    "Zhang, Janik & Grill 2014 SCS frequency dependence": "not read at the source",
    "SENZA-PDN nerve-examination figures at 6 months (62% vs 3%)": "seen only in a conference abstract "
        "and secondary reports, which disagree (another gives 72% vs 6%); investigator-assessed in an "
        "open-label trial",
    "Raskin 2014 share losing relief in each group": "not in the abstract; full text not read",
    "PROCESS share with a device-related complication by 12 months": "not read at the source "
        "(SCIENCE.md marks it UNVERIFIED); the course names the risk of complications without a figure",
}

# Nerve regrowth rate (used by recovery.py). The human figure is a TEXTBOOK VALUE: only secondary
# sources were read. The one primary source we read is in rabbits.
REGROWTH_SOURCES = {
    "human_textbook_mm_per_day": (1.0, "about 1 mm/day, range 1-4 (faster after a crush than after "
                                       "repair); textbook value, secondary sources only"),
    "rabbit_crush_mm_per_day": (2.77, "Gutmann, Guttmann, Medawar & Young 1942, J Exp Biol 19:14: "
                                      "peroneal nerve crush, after a latent period of about 18 days"),
    "rabbit_suture_mm_per_day": (1.69, "same paper: after cutting and suture, latent period about 28 days"),
}


def responders_out_of_100(percent: float) -> int:
    """A percentage as whole people out of 100, rounded half up (48.0 -> 48, 55.7 -> 56)."""
    p = check_range("percent", percent, 0.0, 100.0)
    return int(math.floor(p + 0.5))


def nnt(p_treated: float, p_control: float) -> float:
    """Number needed to treat, 1 / (p_treated - p_control), for fractions 0-1; inf if no benefit."""
    a = check_range("p_treated", p_treated, 0.0, 1.0)
    b = check_range("p_control", p_control, 0.0, 1.0)
    diff = a - b
    return math.inf if diff <= 0 else 1.0 / diff


def placebo_plus_nnt(placebo_percent: float, nnt_value: float) -> float:
    """The drug-arm responder percentage implied by a placebo rate and an NNT (e.g. 25 + 100/7.7)."""
    p = check_range("placebo_percent", placebo_percent, 0.0, 100.0)
    n = check_range("nnt_value", nnt_value, 1.0, 1000.0)
    return min(p + 100.0 / n, 100.0)


__all__ = [
    "LEFT_OUT",
    "PUBLISHED",
    "PublishedResult",
    "REGROWTH_SOURCES",
    "nnt",
    "placebo_plus_nnt",
    "responders_out_of_100",
]
