"""Clinical numbers the course quotes, each with its source: the one place they live.

Notebooks never type a clinical number into their prose by hand. They print it from here in a
cell tagged ``nbval-check-output``, with its citation, so the text, the source and the tests agree.
Numbers come from ../shared/SCIENCE.md section 5, where the team recorded what was read in the primary
source; anything marked UNVERIFIED there is deliberately absent here. DOIs are given only where we
checked them against the publisher's record.
"""

from __future__ import annotations

import html
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """A citation: short form for inline use, and a DOI or journal reference."""

    short: str  # e.g. "van Hecke et al. 2014"
    reference: str  # journal, volume, pages
    doi: str = ""

    def __str__(self) -> str:
        doi = f", doi:{self.doi}" if self.doi else ""
        return f"{self.short}, {self.reference}{doi}"


@dataclass(frozen=True)
class Fact:
    """One clinical statement with its number(s) and source."""

    key: str
    statement: str  # a complete sentence in our own words, numbers included
    source: Source

    def cited(self) -> str:
        """The statement followed by its citation in brackets."""
        return f"{self.statement} ({self.source})"


JENSEN_2011 = Source("Jensen et al. 2011", "Pain 152:2204")
TREEDE_2019 = Source("Treede et al. 2019", "Pain 160:19-27 (ICD-11 classification of chronic pain)", "10.1097/j.pain.0000000000001384")
WOOLF_2011 = Source("Woolf 2011", "Pain 152:S2-S15 (central sensitisation review)", "10.1016/j.pain.2010.09.030")
VAN_HECKE_2014 = Source("van Hecke et al. 2014", "Pain 155:654-662", "10.1016/j.pain.2013.11.013")
FINNERUP_2015 = Source("Finnerup et al. 2015", "Lancet Neurology 14:162")
DCCT_1993 = Source("DCCT Research Group 1993", "New England Journal of Medicine 329:977-986 (primary report)",
                   "10.1056/NEJM199309303291401")
# The neuropathy report gives the trial's detailed nerve findings; cited for those, no number quoted here.
DCCT_NEUROPATHY_1995 = Source("DCCT Research Group 1995", "Annals of Internal Medicine 122:561-568 (neuropathy report)")
ALBERS_2010 = Source("Albers et al. 2010", "Diabetes Care 33:1090-1096", "10.2337/dc09-1941")
KUMAR_2007 = Source("Kumar et al. 2007 (PROCESS trial)", "Pain 132:179")
MOSELEY_BUTLER_2015 = Source("Moseley & Butler 2015", "Journal of Pain 16:807")

FACTS: dict[str, Fact] = {
    fact.key: fact
    for fact in (
        Fact(
            "definition",
            "Neuropathic pain is pain caused by a lesion or disease of the somatosensory nervous system.",
            JENSEN_2011,
        ),
        Fact(
            "prevalence",
            "About 6.9 to 10 % of the general population has pain with neuropathic characteristics "
            "(best estimate; individual studies range from 3 to 17 %).",
            VAN_HECKE_2014,
        ),
        Fact(
            "chronic_definition",
            "Pain is called chronic when it persists or recurs for more than 3 months (ICD-11); "
            "older definitions used 3 to 6 months.",
            TREEDE_2019,
        ),
        Fact(
            "first_line_nnt",
            "For first-line medicines, compared with placebo, the number needed to treat for one more person "
            "to get at least 50 % pain relief is 3.6 for tricyclic antidepressants, 6.4 for SNRIs, 6.3 for "
            "immediate-release gabapentin (7.2 for all forms of gabapentin together; 8.3 for its extended-release "
            "forms) and 7.7 for pregabalin, "
            "measured while people took them.",
            FINNERUP_2015,
        ),
        Fact(
            "dcct_neuropathy",
            "In type 1 diabetes, intensive glucose control (median HbA1c about 7 % against 9 %, for a mean "
            "of 6.5 years) reduced the development of clinical neuropathy by 60 %, at two to three times the "
            "rate of severe hypoglycaemia.",
            DCCT_1993,
        ),
        Fact(
            "edic_followup",
            "13 to 14 years later, neuropathy had risen from 9 % to 25 % in the former intensive group and "
            "from 17 % to 35 % in the former conventional group.",
            ALBERS_2010,
        ),
        Fact(
            "process_scs",
            "In failed back surgery syndrome, 48 % of patients with spinal cord stimulation against 9 % with "
            "medical management alone had at least 50 % leg-pain relief at 6 months.",
            KUMAR_2007,
        ),
        Fact(
            "pain_education",
            "Pain science education aims to shift the belief 'pain equals tissue damage' to 'pain is the "
            "nervous system's judgement that protection is needed'.",
            MOSELEY_BUTLER_2015,
        ),
    )
}


def fact(key: str) -> Fact:
    """Look up a fact; a KeyError lists the keys there are."""
    try:
        return FACTS[key]
    except KeyError:
        raise KeyError(f"no fact {key!r}; known: {sorted(FACTS)}") from None


@dataclass(frozen=True)
class EvidenceNote:
    """Cited statements as a learner reads them: a reference box in a notebook, plain text elsewhere.

    Each paragraph is ``(text, source)``; the source may be empty. The plain text (what nbval
    compares, and what a terminal prints) is each paragraph on its own line with its source in
    brackets; the notebook shows the same words as prose with the source as a citation, never as
    grey program output.
    """

    heading: str
    paragraphs: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        return "\n".join(f"{text} ({source})" if source else text for text, source in self.paragraphs)

    def __repr__(self) -> str:  # IPython's text/plain
        return str(self)

    def _repr_html_(self) -> str:
        body = "".join(
            f"<p style='margin:4px 0'>{html.escape(text)}"
            + (f" <cite>({html.escape(source)})</cite>" if source else "") + "</p>"
            for text, source in self.paragraphs)
        return ("<aside class='course-evidence' aria-label='" + html.escape(self.heading) + "' "
                "style='border-left:4px solid var(--jp-border-color1);padding:2px 10px;"
                "color:var(--jp-content-font-color1)'>"
                f"<p style='margin:4px 0'><strong>{html.escape(self.heading)}</strong></p>{body}</aside>")


def show(note: EvidenceNote) -> None:
    """Display ``note`` in a notebook (as its HTML box); print its plain text anywhere else."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython comes with the course's kernel
        print(note)
        return
    if get_ipython() is None:
        print(note)
    else:
        display(note)


def cite(*keys: str) -> None:
    """Show each fact with its citation (for a notebook's cell tagged ``nbval-check-output``)."""
    show(EvidenceNote("What the research found",
                      tuple((fact(key).statement, str(fact(key).source)) for key in keys)))


# ----- notebook 05 (checked at the sources: Finnerup et al. 2015 abstract, PMC4493167; Dworkin et
# al. 2005, Pain 113:9-19, which lists the six core domains of Turk et al. 2003) -----------------
FINNERUP_2015_DOI = Source("Finnerup et al. 2015", "Lancet Neurology 14:162-173 (NeuPSIG review and meta-analysis)",
                           "10.1016/S1474-4422(14)70251-0")
DWORKIN_2005 = Source("Dworkin et al. 2005", "Pain 113:9-19 (IMMPACT core outcome measures)")
# Bands read from the abstract and a reproduction of the paper's Table 1 (Bandolier); full text not read.
DWORKIN_2008 = Source("Dworkin et al. 2008", "Journal of Pain 9:105-121 (IMMPACT, clinical importance of changes)")

FACTS.update({fact.key: fact for fact in (
    Fact(
        "publication_bias",
        "In a review of 229 trials of medicines for neuropathic pain, an analysis of publication bias "
        "suggested that treatment effects are overstated by about 10 %.",
        FINNERUP_2015_DOI,
    ),
    Fact(
        "neupsig_tiers",
        "NeuPSIG recommends SNRIs, tricyclic antidepressants, pregabalin and gabapentin as first line; "
        "capsaicin 8 % and lidocaine plasters (for peripheral neuropathic pain) and tramadol as second "
        "line; strong opioids and botulinum toxin A as third line.",
        FINNERUP_2015_DOI,
    ),
    Fact(
        "outcome_domains",
        "Chronic pain trials are recommended to measure six core domains: pain, physical functioning, "
        "emotional functioning, the participant's rating of improvement and satisfaction, symptoms and "
        "adverse events, and whether participants stayed in the trial.",
        DWORKIN_2005,
    ),
    Fact(
        "pain_change_importance",
        "For chronic pain trials, a consensus group judged a fall in pain intensity of about 10 to 20 % "
        "minimally important, at least 30 % moderately important and at least 50 % substantial.",
        DWORKIN_2008,
    ),
)})


# ----- what happens over time in people (issue 18, "hope where the evidence gives it"). Each was read
# in the abstract (or, where said, in a systematic review's description of the trial) on 2026-12-05. --------
GERRITSEN_2002 = Source("Gerritsen et al. 2002", "JAMA 288:1245-1251 (surgery vs splinting for carpal tunnel syndrome)")
BURKE_2006 = Source("Burke et al. 2006", "Journal of Hand Surgery 31:1478-1482 (symptom duration and the outcome "
                    "of carpal tunnel surgery; 523 hands; abstract read in a summary)")
MASUD_2019 = Source("Masud et al. 2019", "J Brachial Plex Peripher Nerve Inj 14:e1-e8 (45 people)",
                    "10.1055/s-0038-1668552")
HELGASON_2000 = Source("Helgason et al. 2000", "BMJ 321:794 (Iceland, primary care)", "10.1136/bmj.321.7264.794")
PACHMAN_2016 = Source("Pachman et al. 2016", "Support Care Cancer 24:5059 (oxaliplatin and paclitaxel neuropathy, "
                      "Alliance A151505; PMC5439148)")
PARK_2011 = Source("Park et al. 2011", "The Oncologist 16:708-716 (long-term neuropathy after oxaliplatin)", "10.1634/theoncologist.2010-0248")
PETERSEN_2022 = Source("Petersen et al. 2022", "Diabetes Care 45:e3 (PMC8753758)", "10.2337/dc21-1813")
GRAVEN_NIELSEN_2012 = Source("Graven-Nielsen et al. 2012", "Arthritis & Rheumatism 64:2907 (knee replacement)",
                             "10.1002/art.34466")

FACTS.update({fact.key: fact for fact in (
    Fact(
        "carpal_tunnel_release",
        "In a randomised trial in people with carpal tunnel syndrome, 80 % of those given the operation "
        "reported clear improvement after 3 months and 90 % after 18 months (against 54 % and 75 % with a "
        "night splint).",
        GERRITSEN_2002,
    ),
    Fact(
        "carpal_tunnel_wait",
        "Whether a long wait spoils the result is not settled: a study of 523 hands found no link between how "
        "long symptoms had lasted and the outcome of the operation, while a small study found slower recovery and "
        "less complete return of grip strength after symptoms lasting more than a year.",
        Source("Burke et al. 2006 and Masud et al. 2019",
               f"{BURKE_2006.reference}; {MASUD_2019.reference}, doi:{MASUD_2019.doi}"),
    ),
    Fact(
        "phn_course",
        "In a study that followed 421 people in primary care after a first episode of shingles, 14 (3.3 %) "
        "still had pain 12 months after the rash, none of it severe; 7 of those 14 became pain-free over the "
        "next two to seven years.",
        HELGASON_2000,
    ),
    Fact(
        "cipn_course",
        "After oxaliplatin, nerve symptoms went on getting worse after the last dose and began to improve "
        "about 3 months later; after paclitaxel they began to improve as soon as treatment ended.",
        PACHMAN_2016,
    ),
    Fact(
        "cipn_persisting",
        "Improvement is often partial: in a small follow-up study, 19 of 24 people (79 %) still had some nerve "
        "symptoms about two years after oxaliplatin, and symptoms were worse after higher total doses.",
        PARK_2011,
    ),
    Fact(
        "no_disease_modifying",
        "No treatment has been shown to reverse the nerve damage of diabetic neuropathy: there are no "
        "disease-modifying treatments; today's treatments relieve the pain while they are used.",
        PETERSEN_2022,
    ),
    Fact(
        "sensitisation_can_ease",
        "A sensitised central pain system can settle when its input is removed: in 20 people with painful knee "
        "osteoarthritis, widespread tenderness and other signs of central sensitisation returned towards normal "
        "after knee replacement (a study of joint pain, not nerve pain).",
        GRAVEN_NIELSEN_2012,
    ),
)})

FACTS["dpn_course"] = Fact(
    "dpn_course",
    "In a follow-up of people with painful diabetic neuropathy in a community diabetes population, the pain went away completely over time in "
    "a minority (23 %); in those whose pain had lasted more than 5 years, its intensity did not improve "
    "significantly.",
    Source("Daousi et al. 2006", "Diabetic Medicine 23:1021-1024 (PMID 16922710)"),
)
