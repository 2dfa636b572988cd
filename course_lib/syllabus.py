"""The course map: one entry per notebook, the single source of truth.

The README's notebook table and Binder links, the map in the start-here notebook and the
notebook tests all read this list, so a notebook cannot be added, renamed or retimed in one
place and forgotten in another. ``enabled`` is False for notebooks that are planned but not
written yet: they appear in the map as "coming soon" and are not tested.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = REPO_ROOT / "notebooks"

#: The public repository, as ``owner/name``. Placeholder until the course is published:
#: every Binder and nbgitpuller link in the README is built from it.
REPOSITORY = "ORG/REPO"


@dataclass(frozen=True)
class Objective:
    """One "By the end you can ..." statement and the quiz questions that check it.

    ``text`` completes the sentence "You can ..." (lower-case start, no full stop).
    ``checked_by`` holds question ids from the notebook's bank; it may be empty only for a
    notebook that is not written yet (a test enforces both).
    """

    text: str
    checked_by: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class NotebookEntry:
    """One notebook of the course."""

    id: str  # file stem, e.g. "00_start_here"
    title: str  # the notebook's H1, sentence case, with a verb
    article_section: str  # the source article's section it teaches, or "" for course scaffolding
    minutes: int  # estimated time for a learner working alone
    objectives: tuple[Objective, ...]  # "By the end you can ..." statements
    enabled: bool = True  # False: planned, not yet written

    @property
    def filename(self) -> str:
        return f"{self.id}.ipynb"

    @property
    def path(self) -> Path:
        return NOTEBOOK_DIR / self.filename

    @property
    def number(self) -> int:
        return int(self.id.split("_", 1)[0])


O = Objective  # short alias for the table below

COURSE: tuple[NotebookEntry, ...] = (
    NotebookEntry(
        id="00_start_here",
        title="Start here: find your way around the course",
        article_section="",
        minutes=30,
        objectives=(
            O("run a code cell and restart a notebook when something looks stuck", ("run_a_cell",)),
            O("make a prediction, then drive a lab with a slider and read its plot and its sentence",
              ("predict_gentle_touch",)),
            O("answer a quiz question, use its hints, and know where your progress is saved",
              ("milliseconds", "progress_saved")),
        ),
    ),
    NotebookEntry(
        id="01_what_is_neuropathic_pain",
        title="Tell neuropathic pain apart from other pain",
        article_section="Opening: what neuropathic pain is and what decides whether it goes away",
        minutes=30,
        objectives=(
            O("state the IASP definition of neuropathic pain", ("iasp_definition",)),
            O("tell neuropathic pain from nociceptive and nociplastic pain in short patient stories",
              ("sort_patient_stories",)),
            O("name the sensations that are typical of nerve pain, including allodynia and hyperalgesia",
              ("how_it_feels", "allodynia")),
            O("name common causes of neuropathic pain and say roughly how common it is", ("causes", "prevalence")),
            O("list the factors that shape whether neuropathic pain can ease, and tell pain myths from facts",
              ("prognosis_factors", "becoming_chronic", "chronic_months", "myth_or_fact")),
        ),
    ),
    NotebookEntry(
        id="02_how_neuropathic_pain_develops",
        title="See how damaged nerves start to misfire",
        article_section="How Neuropathic Pain Develops",
        minutes=45,
        objectives=(
            O("predict what removing one ion channel does to a model neuron, and check it in a lab",
              ("predict_nav18_off", "healthy_rheobase")),
            O("explain how the balance of inward and outward currents decides whether a neuron fires",
              ("predict_balance_tip", "pro_or_anti")),
            O("show that different channel changes can reach the same excitable state", ("degeneracy",)),
            O("diagnose a hidden channel change from a neuron's firing", ("mystery_diagnosis",)),
            O("explain what ectopic firing is and what is known about sodium channels in pain",
              ("ectopic_meaning", "nav17_facts")),
        ),
    ),
    NotebookEntry(
        id="03_acute_vs_chronic",
        title="Explore why the duration of pain matters",
        article_section="The Difference Between Acute and Chronic Pain",
        minutes=50,
        objectives=(
            O("describe how repeated input is amplified in the spinal cord (wind-up)", ("predict_windup_nmda",)),
            O("explain, with a teaching model, how the timing of removing the cause changes the course of "
              "the pain",
              ("predict_late_removal", "healed_but_hurting")),
            O("use a gate-control model to explain how inhibition in the spinal cord shapes what a light "
              "touch does",
              ("predict_disinhibited_touch", "peripheral_or_central")),
            O("describe central sensitisation as a real change in the nervous system, and its signs",
              ("all_in_your_head", "signs_of_central_sensitisation")),
            O("explain why the 3-month line is a convention, not a biological switch", ("three_month_line",)),
        ),
    ),
    NotebookEntry(
        id="04_interventions_aimed_at_resolution",
        title="Test treatments that aim to resolve the pain",
        article_section="Interventions Aimed at Resolution",
        minutes=75,
        objectives=(
            O("explain what treating the cause (glucose control, decompression, vaccination, a chemotherapy dose "
              "change) can and cannot undo, and why its timing matters",
              ("predict_release_after_long_wait", "glucose_type1_type2", "cause_or_symptom")),
            O("work out how long a regrowing nerve takes from the distance and the regrowth rate",
              ("predict_knee_regrowth", "surgery_wait")),
            O("explain what a gabapentinoid does in the spinal cord, and what trials show about relief while it "
              "is taken and after it is stopped",
              ("predict_drug_after_stopping", "gabapentinoid_mechanism", "normalise_or_mask")),
            O("explain how conventional spinal cord stimulation is thought to close the pain gate (how other kinds "
              "work is debated), and read a stimulation trial with its caveats",
              ("stimulator_mechanism", "senza_caveats")),
            O("use a teaching model to explore what turning central sensitisation back depends on",
              ("predict_reversal_duration",)),
            O("judge a claim about stem cells or other regenerative treatments against the evidence ladder",
              ("stem_cell_clinic_claim", "evidence_ladder")),
        ),
        enabled=True,
    ),
    NotebookEntry(
        id="05_managing_persistent_pain",
        title="Plan care when the pain persists",
        article_section="Managing Persistent Neuropathic Conditions",
        minutes=80,
        objectives=(
            O("explain how attention, mood, sleep and fear change the brain's control of pain signals, "
              "and why psychological therapy does not mean the pain is imaginary",
              ("predict_mind_signal", "cbt_not_imaginary")),
            O("say where along the pain pathway each medicine acts, and why more medicines is not simply "
              "more relief", ("predict_snri_nerve", "where_each_acts", "more_drugs_more_relief")),
            O("read numbers needed to treat and to harm as people out of 100, and place medicines on the "
              "recommendation ladder", ("predict_tca_extra", "strongest_painkiller", "neupsig_tiers",
                                       "nnt_per_100")),
            O("judge a treatment's result by function, mood, sleep and side effects as well as the pain score",
              ("predict_goals_success", "partial_relief_is_failure", "outcome_domains")),
            O("build a care plan with several kinds of care to discuss with a clinician, and name the red "
              "flags that need prompt care", ("rest_is_best", "red_flags")),
        ),
        enabled=True,
    ),
    NotebookEntry(
        id="06_case_studies_and_review",
        title="Bring it together with patient cases",
        article_section="All sections together",
        minutes=90,
        objectives=(
            O("work through what decides whether a person's nerve pain can go away: the cause, the damage and "
              "how soon the cause is treated", ("predict_sara_longer_wait", "predict_sara_myelin_only", "predict_tom_full_dose",
                               "what_decides")),
            O("test a case in the course's labs and read the result as a teaching model, not a prediction for "
              "a person", ("predict_dev_lowest_hba1c", "predict_margaret_milder", "model_not_prediction")),
            O("match each case's options to the evidence from notebooks 04 and 05", ("options_evidence",)),
        ),
            ),
)


def enabled_notebooks() -> tuple[NotebookEntry, ...]:
    """The notebooks that exist and are tested."""
    return tuple(entry for entry in COURSE if entry.enabled)


def entry(notebook_id: str) -> NotebookEntry:
    """Look up a notebook by id (file stem); raises KeyError listing the valid ids."""
    for item in COURSE:
        if item.id == notebook_id:
            return item
    raise KeyError(f"no notebook {notebook_id!r} in the course map; known: {[e.id for e in COURSE]}")


#: How the minutes are measured, and what a patient should allow (tests/notebooks/test_learner_reads.py).
TIME_NOTE = ("Times are measured from each notebook: its words read at about 150 a minute, as a student "
             "reads, plus about 4 minutes for each lab and 1.5 for each question. If you read more slowly, "
             "or are tired or in pain, allow up to twice as long and take a notebook in two or more "
             "sittings: your answers are kept.")


def total_minutes(enabled_only: bool = True) -> int:
    """Sum of estimated minutes over the (enabled) notebooks."""
    return sum(e.minutes for e in (enabled_notebooks() if enabled_only else COURSE))


def binder_url(notebook: NotebookEntry | None = None, repository: str = REPOSITORY) -> str:
    """mybinder.org link that opens ``notebook`` in JupyterLab (or the repo, when None)."""
    base = f"https://mybinder.org/v2/gh/{repository}/HEAD"
    if notebook is None:
        return base
    return f"{base}?urlpath=lab/tree/notebooks/{notebook.filename}"


def explore_page(notebook_id: str) -> str:
    """The file name of a notebook's page in the Explore edition (the static site)."""
    return f"{notebook_id}.html"


def explore_url(notebook: NotebookEntry | None = None, repository: str = REPOSITORY) -> str:
    """Where the Explore edition is published (GitHub Pages of ``repository``): its course map, or
    ``notebook``'s page. Publishing any other way (``make site``, then any static host) gives another
    address; README says how."""
    owner, _, name = repository.partition("/")
    base = f"https://{owner.lower()}.github.io/{name}/"
    return base if notebook is None else base + explore_page(notebook.id)


def nbgitpuller_url(
    hub: str, notebook: NotebookEntry, repository: str = REPOSITORY, branch: str = "main"
) -> str:
    """A JupyterHub nbgitpuller link: clones/updates the repo for the student, opens ``notebook``."""
    repo_url = f"https://github.com/{repository}"
    folder = repository.split("/")[-1]
    query = urllib.parse.urlencode(
        {
            "repo": repo_url,
            "branch": branch,
            "urlpath": f"lab/tree/{folder}/notebooks/{notebook.filename}",
        }
    )
    return f"https://{hub}/hub/user-redirect/git-pull?{query}"


def markdown_table(repository: str = REPOSITORY) -> str:
    """The course map as a Markdown table: per available notebook, its Binder link and its page in the
    Explore edition."""
    rows = [
        "| # | Notebook | Article section | Minutes | Open |",
        "|---|---|---|---|---|",
    ]
    for item in COURSE:
        section = item.article_section or "How to use the course"
        link = (f"[launch on Binder]({binder_url(item, repository)}) or "
                f"[read on the web]({explore_url(item, repository)})" if item.enabled else "coming soon")
        rows.append(f"| {item.number:02d} | {item.title} | {section} | {item.minutes} | {link} |")
    return "\n".join(rows) + "\n\n" + TIME_NOTE


def course_map_html() -> str:
    """The course map as an HTML table for the start-here notebook."""
    import html

    rows = []
    for item in COURSE:
        status = "available" if item.enabled else "coming soon"
        objectives = "; ".join(o.text for o in item.objectives)
        rows.append(
            f"<tr><td>{item.number:02d}</td><td style='text-align:left'><b>{html.escape(item.title)}</b><br>"
            f"<small>You will: {html.escape(objectives)}</small></td>"
            f"<td>{item.minutes} min</td><td>{status}</td></tr>"
        )
    # JupyterLab right-aligns table cells by default; prose reads better from the left
    return (
        "<table style='text-align:left'><tr><th>#</th><th style='text-align:left'>Notebook</th>"
        "<th>Time</th><th>Status</th></tr>"
        + "".join(rows)
        + f"</table><p>Total for the notebooks available now: about {total_minutes()} minutes. "
        + html.escape(TIME_NOTE) + "</p>"
        + f"<p><b>No install, any browser:</b> the same notebooks are also a website, the "
        f"<a href='{html.escape(explore_url())}'>Explore edition</a>: the text, the questions and every lab "
        "with its settings worked out in advance, on a phone or a locked-down computer. The labs here, in "
        "JupyterLab, run the models live on any setting.</p>"
    )


def show_course_map() -> None:
    """Display the course map in a notebook."""
    from IPython.display import HTML, display

    display(HTML(course_map_html()))


OBJECTIVES_START = "<!-- objectives:start (generated from course_lib/syllabus.py; do not edit) -->"
OBJECTIVES_END = "<!-- objectives:end -->"


def objectives_block(notebook_id: str) -> str:
    """The notebook's "By the end you can ..." list, between its markers (Markdown)."""
    lines = [OBJECTIVES_START, "**By the end you can:**", ""]
    lines += [f"- {o.text};" for o in entry(notebook_id).objectives]
    lines[-1] = lines[-1].rstrip(";") + "."
    lines += ["", "The self-check at the end of the notebook shows how your answers went for each one.",
              OBJECTIVES_END]
    return "\n".join(lines)


README_START = "<!-- course-map:start (generated by `python -m course_lib.syllabus`; do not edit) -->"
README_END = "<!-- course-map:end -->"


def render_readme_map(readme_text: str, repository: str = REPOSITORY) -> str:
    """Return ``readme_text`` with the block between the course-map markers regenerated."""
    try:
        head, rest = readme_text.split(README_START, 1)
        _old, tail = rest.split(README_END, 1)
    except ValueError:
        raise ValueError(
            f"README has no course-map block: add the lines {README_START!r} and {README_END!r}"
        ) from None
    return f"{head}{README_START}\n{markdown_table(repository)}\n{README_END}{tail}"


def main() -> None:
    """Regenerate the README's course map in place: ``python -m course_lib.syllabus``."""
    readme = REPO_ROOT / "README.md"
    updated = render_readme_map(readme.read_text(encoding="utf-8"))
    readme.write_text(updated, encoding="utf-8")
    print(f"updated the course map in {readme}")


if __name__ == "__main__":
    main()
