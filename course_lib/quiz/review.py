"""The course's final review (end of notebook 06): a cumulative quiz chosen by objective, then every
objective of the course with the learner's result and where to revisit it.

Selection (:data:`REVIEW`): a fixed list, not a random draw, so every learner (and every instructor's
answer key) meets the same questions in the same order. Each item says why it was picked: one question
per key objective of each notebook, preferring the questions that target the misconceptions the course
cares most about, plus two predict questions that come with their labs (the lab is built by the lesson
module, set to the question's starting setting, not to the setting the question asks about).

Where answers go: a review question IS the bank's question. It is shown with the same widget and the
same session as in its own notebook, so an answer is saved under its own notebook and id in the
progress store. That is what the learner's record, the self-checks and the class report read; a
separate "review" namespace would hold answers that no bank question, objective or report knows about,
and would count the same question twice. The cost: a question answered earlier shows its saved status
here (a predict question can be predicted again; a question whose answer was shown is saved as
"answer shown" if answered again, as in its own notebook).

Objective results (:func:`objective_rows`) come from ``record.build_record``'s objective logic (met =
every checking question mastered), with one addition for the table: "not yet" when some checking
question was answered, "not tried" when none was.

Layering: no lab is imported here; the caller passes lab factories by name (``labs=``).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .loader import questions_called
from .progress import ProgressStore, get_store


@dataclass(frozen=True)
class ReviewItem:
    """One question of the final review: which bank question, why it was chosen, and its lab."""

    notebook: str
    question_id: str
    why: str
    lab: str | None = None  # name of a lab factory the caller passes in ``labs``


REVIEW: tuple[ReviewItem, ...] = (
    ReviewItem("00_start_here", "progress_saved",
               "00's objective on where progress is kept: what a learner needs before downloading a record"),
    ReviewItem("01_what_is_neuropathic_pain", "iasp_definition",
               "01's first objective: the IASP definition everything else builds on"),
    ReviewItem("01_what_is_neuropathic_pain", "sort_patient_stories",
               "01's objective on telling neuropathic from other pain; the cases of 06 rely on it"),
    ReviewItem("01_what_is_neuropathic_pain", "prognosis_factors",
               "01's objective on what shapes whether pain can ease: the question this course asks"),
    ReviewItem("02_how_neuropathic_pain_develops", "ectopic_meaning",
               "02's objective on ectopic firing, the drive every case's model starts from"),
    ReviewItem("02_how_neuropathic_pain_develops", "degeneracy",
               "02's objective that different channel changes reach the same state"),
    ReviewItem("03_acute_vs_chronic", "predict_late_removal",
               "03's objective on late removal of the cause, predicted again with its lab", lab="duration"),
    ReviewItem("03_acute_vs_chronic", "all_in_your_head",
               "03's objective on central sensitisation as a real change (a common misconception)"),
    ReviewItem("03_acute_vs_chronic", "three_month_line",
               "03's objective that the 3-month line is a convention, not a switch"),
    ReviewItem("04_interventions_aimed_at_resolution", "predict_knee_regrowth",
               "04's objective on working out regrowth time from distance and rate, with its lab",
               lab="regrowth"),
    ReviewItem("04_interventions_aimed_at_resolution", "normalise_or_mask",
               "04's objective on what a gabapentinoid does: relief while it is taken, not a healed nerve"),
    ReviewItem("04_interventions_aimed_at_resolution", "glucose_type1_type2",
               "04's objective on treating the cause early (glucose control: type 1 against type 2 evidence)"),
    ReviewItem("05_managing_persistent_pain", "nnt_per_100",
               "05's objective on reading numbers needed to treat as people out of 100"),
    ReviewItem("05_managing_persistent_pain", "partial_relief_is_failure",
               "05's objective on judging a treatment by more than the pain score: partial relief is not failure"),
    ReviewItem("05_managing_persistent_pain", "cbt_not_imaginary",
               "05's objective on mind and pain: psychological therapy does not mean the pain is imagined"),
    ReviewItem("05_managing_persistent_pain", "red_flags",
               "05's objective on the red flags that need prompt care: what a patient most needs to keep"),
    ReviewItem("06_case_studies_and_review", "what_decides",
               "06: cause, damage and duration, the three questions of every case"),
    ReviewItem("06_case_studies_and_review", "model_not_prediction",
               "06: reading a teaching model's result about a person"),
    ReviewItem("06_case_studies_and_review", "options_evidence",
               "06: each case's options against the evidence of 04 and 05"),
)


def review_items(items: Sequence[ReviewItem] = REVIEW) -> list[ReviewItem]:
    """The review's items whose bank exists and holds the question (all of them in the course)."""
    from .loader import available_banks, load_bank

    banks = set(available_banks())
    chosen = []
    for item in items:
        if item.notebook in banks and item.question_id in load_bank(item.notebook).ids:
            chosen.append(item)
    return chosen


# ----------------------------------------------------------------------------- objectives

STATUS_MET = "met"
STATUS_NOT_YET = "not yet"
STATUS_NOT_TRIED = "not tried"
STATUS_UNCHECKED = "no quiz question checks this yet"


@dataclass(frozen=True)
class ObjectiveRow:
    notebook: str
    notebook_title: str
    text: str
    status: str
    revisit_href: str
    revisit_label: str


def objective_status(objective: Mapping[str, Any], notebooks: Mapping[str, Any]) -> str:
    """"met", "not yet" or "not tried" for one objective of a record (see the module docstring)."""
    met = objective.get("met")
    if met is None:
        return STATUS_UNCHECKED
    if met:
        return STATUS_MET
    answered = False
    for ref in objective.get("checked_by", []):
        notebook, _, qid = str(ref).rpartition("/")
        found = notebooks.get(notebook or objective["notebook"], {}).get("questions", {}).get(qid)
        answered = answered or bool(found and found.get("answered"))
    return STATUS_NOT_YET if answered else STATUS_NOT_TRIED


def _anchor(heading: str) -> str:
    """JupyterLab's anchor for a Markdown heading: its text with spaces as hyphens."""
    text = re.sub(r"<[^>]+>", "", heading).strip()
    return text.replace(" ", "-")


def _headings_by_question(notebook_id: str) -> dict[str, str]:
    """For each question id a notebook shows, the "## " heading of the section it appears in."""
    from ..syllabus import NOTEBOOK_DIR

    path = NOTEBOOK_DIR / f"{notebook_id}.ipynb"
    if not path.is_file():
        return {}
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    heading = ""
    found: dict[str, str] = {}
    quiz_heading = ""
    for cell in cells:
        source = "".join(cell.get("source", []))
        if cell.get("cell_type") == "markdown":
            match = re.search(r"^## (.+)$", source, re.MULTILINE)
            if match:
                heading = match.group(1).strip()
            continue
        for qid in questions_called(source, quiz_ids=("*quiz*",)):
            if qid == "*quiz*":
                quiz_heading = quiz_heading or heading
            else:
                found.setdefault(qid, heading)
    found["*quiz*"] = quiz_heading
    return found


def revisit(notebook_id: str, checked_by: Sequence[str]) -> tuple[str, str]:
    """(href, label) of the section where the objective's first checking question is met."""
    headings = _headings_by_question(notebook_id)
    filename = f"{notebook_id}.ipynb"
    notebook = f"notebook {notebook_id[:2]}"  # words for a learner; the link holds the file name
    for ref in checked_by:
        qid = str(ref).rpartition("/")[2]
        heading = headings.get(qid) or headings.get("*quiz*")
        if heading:
            return f"{filename}#{_anchor(heading)}", f"{notebook}, section {re.sub(r'<[^>]+>', '', heading)}"
    return filename, notebook


def objective_rows(record: Mapping[str, Any], course: Sequence[Any] | None = None) -> list[ObjectiveRow]:
    """Every objective of the course (course-map order) with the learner's status and where to revisit."""
    if course is None:
        from ..syllabus import COURSE as course
    titles = {entry.id: entry.title for entry in course}
    rows = []
    for objective in record.get("objectives", []):
        href, label = revisit(objective["notebook"], objective.get("checked_by", []))
        rows.append(ObjectiveRow(objective["notebook"], titles.get(objective["notebook"], objective["notebook"]),
                                 objective["text"], objective_status(objective, record.get("notebooks", {})),
                                 href, label))
    return rows


class ObjectiveTable:
    """The course's objectives with the learner's results, as a table (text/plain and HTML)."""

    def __init__(self, store: ProgressStore | None = None, record: Mapping[str, Any] | None = None):
        from .record import learner_record

        self.record = record if record is not None else learner_record(store=store)
        self.rows = objective_rows(self.record)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for row in self.rows:
            out[row.status] = out.get(row.status, 0) + 1
        return out

    def text(self) -> str:
        lines = ["Every objective of the course: you can ..."]
        lines += [f"- [{row.status}] {row.text} (revisit: {row.revisit_label})" for row in self.rows]
        lines.append("Run this cell again after answering to update it.")
        return "\n".join(lines)

    def _repr_mimebundle_(self, **_kwargs: Any) -> dict[str, str]:
        body = "".join(
            f"<tr><td style='text-align:left'>{html.escape(row.notebook[:2])}</td>"
            f"<td style='text-align:left'>{html.escape(row.text)}</td>"
            f"<td style='text-align:left'><b>{html.escape(row.status)}</b></td>"
            f"<td style='text-align:left'><a href='{html.escape(row.revisit_href)}'>"
            f"{html.escape(row.revisit_label)}</a></td></tr>" for row in self.rows)
        counts = ", ".join(f"{n} {status}" for status, n in self.counts().items())
        rich = ("<table class='course-self-check' style='text-align:left'><caption>Every objective of the "
                f"course and your result ({html.escape(counts)})</caption><tr><th scope='col'>Notebook</th>"
                "<th scope='col'>You can ...</th><th scope='col'>Your result</th>"
                f"<th scope='col'>Where to revisit</th></tr>{body}</table>"
                "<p><small>Met: every question that checks it answered right (a prediction: compared with "
                "the lab). Run this cell again after answering to update it. Saved on this computer only."
                "</small></p>")
        return {"text/plain": self.text(), "text/html": rich}


# ----------------------------------------------------------------------------- the quiz

class FinalReview:
    """The cumulative quiz: each item's question widget (its own bank's), with its lab when it has one."""

    def __init__(self, items: Sequence[ReviewItem] | None = None,
                 labs: Mapping[str, Callable[[], Any]] | None = None,
                 store: ProgressStore | None = None):
        import ipywidgets as W

        from .loader import load_bank
        from .render import markdown_inline, question_widget

        self.items = review_items() if items is None else list(items)
        self.store = store if store is not None else get_store()
        labs = labs or {}
        missing = {item.lab for item in self.items if item.lab} - set(labs)
        if missing:
            raise ValueError(f"labs = {sorted(labs)} is missing the review's lab(s) {sorted(missing)}")
        self.questions = []
        self.labs: dict[str, Any] = {}
        children: list[Any] = [W.HTML(
            f"<h3>Final review: {len(self.items)} questions from every notebook</h3>"
            "<p>Each question is the one from its own notebook: your answer is saved there too, and a "
            "question you answered before shows how it went. The labs appear with their questions; "
            "predict first, then use the lab.</p>")]
        for number, item in enumerate(self.items, start=1):
            title = load_bank(item.notebook).title
            children.append(W.HTML(f"<p><small>From notebook {html.escape(item.notebook[:2])} "
                                   f"({markdown_inline(title)})</small></p>"))
            widget = question_widget(item.notebook, item.question_id, self.store, number=number)
            self.questions.append(widget)
            children.append(widget.view)
            if item.lab:
                lab = labs[item.lab]()
                self.labs[item.question_id] = lab
                children.append(lab.view)
        self.view = W.VBox(children)
        self.view.add_class("course-quiz")

    def __getitem__(self, question_id: str):
        return next(q for q in self.questions if q.question.id == question_id)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        from ..placeholder import with_placeholder

        notebooks = sorted({item.notebook[:2] for item in self.items})
        return with_placeholder(self.view._repr_mimebundle_(**kwargs), "the final review",
                                f"{len(self.items)} questions from notebooks {', '.join(notebooks)}, "
                                "two of them with their labs.")


def final_review(labs: Mapping[str, Callable[[], Any]] | None = None,
                 store: ProgressStore | None = None) -> FinalReview:
    """Build the final review (it displays itself as a cell's last line)."""
    return FinalReview(labs=labs, store=store)


def course_objectives(store: ProgressStore | None = None) -> ObjectiveTable:
    """The table of every objective with the learner's result and where to revisit."""
    return ObjectiveTable(store)


__all__ = ["FinalReview", "ObjectiveRow", "ObjectiveTable", "REVIEW", "ReviewItem", "STATUS_MET",
           "STATUS_NOT_TRIED", "STATUS_NOT_YET", "course_objectives", "final_review", "objective_rows",
           "objective_status", "review_items", "revisit"]
