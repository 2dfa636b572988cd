"""Regenerative medicine for nerve pain: what it aims at, where the evidence stands, how to judge a claim.

What it holds (data, not a simulation)
    This module deliberately contains NO efficacy model and no efficacy numbers: no
    regenerative treatment (stem cells, growth factors, gene therapy) is approved for
    neuropathic pain, and the evidence is preclinical work and small early-phase trials. What
    a later lab or quiz needs is here as data:

    * ``APPROACHES``: what each approach aims to repair and where its evidence stands, in words.
    * ``EVIDENCE_LADDER``: kinds of evidence from weakest to strongest, what each can and cannot
      show.
    * ``EXAMPLE_CLAIMS``: invented clinic-style claims (no real clinic or product) with the rung
      their evidence sits on and the warning signs they show.
    * ``RED_FLAGS``: questions to ask of any claim.
    * :func:`rank_claim` / :func:`judge_claim`: the helpers a quiz uses to grade a learner's
      ranking of a claim.

Source
    Status of the field: no disease-modifying treatment for painful diabetic neuropathy
    (Petersen et al. 2022, Diabetes Care 45:e3, doi:10.2337/dc21-1813). Regulators act against
    clinics selling unapproved stem-cell treatments: the US FDA's 2017-2019 warning letters and
    injunctions against stem-cell clinics were read in news reports only, so the course says
    "regulators have warned" without dates or numbers. The evidence ladder is the usual
    hierarchy of evidence-based medicine, written in our own words (ours).

What it leaves out
    Any judgement of a specific product, and the details of any trial: too fast-moving to
    freeze in a course. Learners are told to check a trial registry and their own doctor.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._validation import check_choice, check_int


@dataclass(frozen=True)
class Approach:
    name: str
    aims_to: str
    evidence_status: str
    approved_for_neuropathic_pain: bool = False


APPROACHES: tuple[Approach, ...] = (
    Approach(
        name="stem cells",
        aims_to="supply cells that support nerve repair (for example Schwann-like cells) or release "
        "signals that calm inflammation around an injured nerve",
        evidence_status="animal studies and small early-phase human studies; no approved treatment for "
        "neuropathic pain",
    ),
    Approach(
        name="growth factors",
        aims_to="help injured axons survive and regrow, and restore the balance of ion channels in "
        "sensory neurons",
        evidence_status="encouraging in animals; no proven benefit in human trials so far; nothing "
        "approved for neuropathic pain",
    ),
    Approach(
        name="gene therapy",
        aims_to="change how much of a protein a sensory neuron makes (for example turn down a sodium "
        "channel that drives abnormal firing)",
        evidence_status="mostly animal work and a few human trials without a proven benefit; nothing "
        "approved for neuropathic pain",
    ),
)


@dataclass(frozen=True)
class Rung:
    level: int  # 1 = weakest
    name: str
    can_show: str
    cannot_show: str


EVIDENCE_LADDER: tuple[Rung, ...] = (
    Rung(1, "testimonial or anecdote", "that someone felt better and is willing to say so",
         "whether the treatment caused it: pain varies by itself, and people who got worse rarely post"),
    Rung(2, "laboratory or animal study", "that a mechanism is plausible in cells or animals",
         "that it works, or is safe, in people"),
    Rung(3, "uncontrolled case series (a clinic's own patients)", "what happened to treated people",
         "what would have happened without the treatment: placebo response and natural recovery are mixed in"),
    Rung(4, "small early-phase trial", "first signs of safety and a dose to test",
         "a reliable size of benefit: too few people, often no control group"),
    Rung(5, "randomised controlled trial (blinded where possible)",
         "whether the treatment beats a placebo or usual care in people like those studied",
         "that every patient will respond, or what happens beyond the trial's length"),
    Rung(6, "several good trials pooled (systematic review)",
         "how big the benefit is across trials, and how certain",
         "effects in groups never studied; it is only as good as the trials it pools"),
    Rung(7, "regulatory approval for this use", "that a regulator judged benefit to outweigh harm for this condition",
         "that it is the right choice for a particular person: that is a decision with a doctor"),
)

LADDER_BY_LEVEL = {r.level: r for r in EVIDENCE_LADDER}

RED_FLAGS: tuple[str, ...] = (
    "Is there a randomised controlled trial in people with this condition, published where others can check it?",
    "Is the treatment approved by a regulator for this use, or only 'available'?",
    "Does the evidence come from the clinic selling it (its own patients, its own testimonials)?",
    "Does it promise a cure, or to work for many unrelated diseases?",
    "Is payment up front, out of pocket, for something called a trial?",
    "Are risks described, or only benefits?",
)


@dataclass(frozen=True)
class Claim:
    key: str
    text: str  # invented claim, in the style of an advertisement (no real clinic or product)
    evidence_level: int  # the rung its evidence actually sits on
    flags: tuple[int, ...]  # indices into RED_FLAGS that the claim raises
    verdict: str


EXAMPLE_CLAIMS: tuple[Claim, ...] = (
    Claim("testimonial", "'After one injection of my own stem cells my burning feet were gone!' - a patient video",
          1, (0, 1, 2), "a single story: it cannot tell the treatment apart from natural ups and downs or placebo"),
    Claim("mouse_study", "'Scientists regrow nerves: new study shows stem cells reverse neuropathy'",
          2, (0, 1), "an animal result: promising for research, not evidence that it works in people"),
    Claim("clinic_series", "'9 out of 10 of our patients report less pain after our regenerative therapy'",
          3, (0, 1, 2, 4), "the clinic's own patients without a comparison group; the people who did not "
          "come back are not counted"),
    Claim("phase1", "'First human study of a nerve-repair gene therapy finds it safe in 12 volunteers'",
          4, (0, 1), "an early safety step: it cannot say whether the treatment relieves pain"),
    Claim("rct", "'In a randomised trial, twice as many people on treatment X as on placebo had half their pain "
          "relieved after 12 weeks'", 5, (), "the kind of evidence that can show a benefit, for people like those "
          "studied and for the length of the trial"),
)
CLAIMS_BY_KEY = {c.key: c for c in EXAMPLE_CLAIMS}


def rank_claim(key: str) -> Rung:
    """The rung of the evidence ladder on which an example claim's evidence sits."""
    check_choice("key", key, tuple(sorted(CLAIMS_BY_KEY)))
    return LADDER_BY_LEVEL[CLAIMS_BY_KEY[key].evidence_level]


def judge_claim(key: str, learner_level: int) -> tuple[bool, str]:
    """Grade a learner's placement of a claim on the ladder: (correct, feedback in words)."""
    learner_level = check_int("learner_level", learner_level, 1, len(EVIDENCE_LADDER))
    rung = rank_claim(key)
    claim = CLAIMS_BY_KEY[key]
    if learner_level == rung.level:
        return True, f"Yes: {rung.name}. {claim.verdict}."
    direction = "higher" if learner_level > rung.level else "lower"
    return False, (f"You placed it {direction} than its evidence supports. It is {rung.name}: it can show "
                   f"{rung.can_show}, but not {rung.cannot_show}.")


__all__ = [
    "APPROACHES",
    "Approach",
    "CLAIMS_BY_KEY",
    "Claim",
    "EVIDENCE_LADDER",
    "EXAMPLE_CLAIMS",
    "LADDER_BY_LEVEL",
    "RED_FLAGS",
    "Rung",
    "judge_claim",
    "rank_claim",
]
