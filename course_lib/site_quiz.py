"""The Explore edition's questions: each question of a page as a form that works without a kernel
(issue 21, item 3).

:func:`question_html` is called by :mod:`course_lib.site` for every ``question("id")`` cell and every
question of a notebook's quiz; :func:`record_html` gives a notebook's "Your record" block;
:func:`head_html` adds what a page with questions (or a record block) loads; :func:`write_assets`
writes the files those tags name into the site folder.

How it works, and what it promises:

* Each question is drawn here, in HTML, from the same YAML bank as the Jupyter widget
  (:mod:`course_lib.quiz.render`), with its words: "Check", "Show a hint", "Show answer", "Lock in my
  prediction", "Predict again", the item and step labels. What the browser needs to grade it (option
  ids, the numeric answer and its tolerance, the bank's feedback texts, hints, the explanation) rides
  along in the question's own ``<script type='application/json' class='quiz-data'>`` (see
  :func:`question_data`).
* ``site_assets/quiz.js`` grades in the browser with the same rules and the same sentences as
  :mod:`course_lib.quiz.grading` (a browser test feeds every question of every bank the same answers
  through both and compares the verdicts), keeps progress in ``localStorage`` (one key per notebook,
  in the shape of the progress file's notebook entry), and builds the learner's record with the rules
  of :mod:`course_lib.quiz.record`, from ``record-data.js`` (:func:`record_data`: every question's
  fingerprint, the notebooks' titles and the objectives, computed here by ``record.py`` itself).
* Predict questions: the learner locks in a prediction before the comparison and the explanation are
  shown. The lab layer listens for ``course:predicted`` events and asks ``window.courseQuiz.isLocked``;
  a lab that has the model's result for the question's setting hands it over with
  ``window.courseQuiz.observe(notebook, question, value, description)`` (or a ``course:observed``
  event with that detail), which compares it as :func:`course_lib.quiz.grading.compare_prediction`
  does and counts it in the record.
"""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path
from typing import Any

ASSETS = Path(__file__).with_name("site_assets")
#: files :func:`write_assets` copies from ``site_assets/``
ASSET_FILES = ("quiz.js", "quiz.css")
RECORD_DATA_FILE = "record-data.js"
#: the localStorage key of a notebook's progress (its ``{"questions": {...}}`` entry)
STORAGE_PREFIX = "course-quiz:"

LIVE_WORDS = ("The live notebook runs this lab: its figure changes as you move the controls, and it "
              "checks your prediction.")

_CHOOSE = "— choose —"


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _md(text: str) -> str:
    from .quiz.text import markdown_inline

    return markdown_inline(text)


def _bank(notebook_id: str):
    from .quiz import load_bank  # cached by the loader while the file is unchanged

    return load_bank(notebook_id)


def _uid(notebook_id: str, question_id: str) -> str:
    """A page-unique id stem for a question's controls (notebook number + question id)."""
    return f"q{notebook_id[:2]}-{question_id}"


# ----------------------------------------------------------------------------- data for the browser

def _option(o, predict: bool = False) -> dict[str, Any]:
    """An option's id and feedback; a prediction's option also its words (a verdict quotes them) and
    the interval of lab results it stands for."""
    entry: dict[str, Any] = {"id": o.id, "fb": o.feedback}
    if o.if_missed:
        entry["miss"] = o.if_missed
    if predict:
        entry["text"] = o.text
        if o.when is not None:
            entry["when"] = list(o.when)
    return entry


def _answer_html(q) -> str:
    """The answer as "Show answer" gives it: the bank's words (``answer_text``), as a list where it has
    parts (a group for each item; the steps in order)."""
    if q.type == "categorise":
        return "<ul>" + "".join(f"<li><strong>{_md(q.group_label(i.group))}:</strong> {_md(i.text)}</li>"
                                for i in q.items) + "</ul>"
    if q.type == "order":
        return "<ol>" + "".join(f"<li>{_md(s.text)}</li>" for s in q.steps) + "</ol>"
    return _md(q.answer_text())


def question_data(notebook_id: str, question_id: str) -> dict[str, Any]:
    """What quiz.js needs for one question: bank texts that grading quotes are kept raw (as the
    Python verdict carries them); text only shown (hints, explanation, answer, source) is HTML."""
    bank = _bank(notebook_id)
    q = bank.get(question_id)
    data: dict[str, Any] = {"nb": bank.notebook, "id": q.id, "type": q.type, "max": q.max_attempts,
                            "hints": [_md(h) for h in q.hints], "why": _md(q.explanation)}
    if q.source:
        data["source"] = _md(q.source)
    if q.type != "predict":
        data["answerText"] = _answer_html(q)
    if q.type in ("single", "multiple"):
        data["options"] = [_option(o) for o in q.options]
        data["answer"] = q.answer if q.type == "single" else [o.id for o in q.options if o.id in q.answer]
    elif q.type == "numeric":
        data.update(answer=q.answer, tol=q.tolerance, unit=q.unit, aliases=list(q.unit_aliases),
                    low=q.too_low, high=q.too_high,
                    ranges=[[r.low, r.high, r.feedback] for r in q.feedback_ranges])
    elif q.type == "categorise":
        data["groups"] = [g.id for g in q.groups]
        data["items"] = [{"id": i.id, "text": i.text, "group": i.group, "fb": i.feedback} for i in q.items]
    elif q.type == "order":
        data["steps"] = [{"id": s.id, "fb": s.feedback} for s in q.steps]
    elif q.type == "predict":
        data.update(kind=q.prediction, unit=q.unit, tol=q.tolerance, task=q.task,
                    options=[_option(o, predict=True) for o in q.options])
    return data


def _json_script(data: Any, css_class: str) -> str:
    """JSON inside a script element: '<' escaped, so no '</script>' or '<!--' in a text can end it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("<", "\\u003c")
    return f"<script type='application/json' class='{css_class}'>{text}</script>"


# ----------------------------------------------------------------------------- questions

def _buttons(q) -> str:
    if q.type == "predict":
        main = ("<button type='submit' class='quiz-check quiz-primary'>Lock in my prediction</button>"
                "<button type='button' class='quiz-again' hidden>Predict again</button>")
    else:
        main = "<button type='submit' class='quiz-check quiz-primary'>Check</button>"
    hint = ("<button type='button' class='quiz-hint'>Show a hint</button>" if q.hints else "")
    reveal = "" if q.type == "predict" else "<button type='button' class='quiz-reveal'>Show answer</button>"
    return f"<div class='quiz-buttons'>{main}{hint}{reveal}</div>"


def _choices(q, uid: str, kind: str, legend: str) -> str:
    rows = "".join(
        f"<div class='quiz-choice'><input type='{kind}' id='{uid}-{k}' name='{uid}' value='{_e(o.id)}'>"
        f"<label for='{uid}-{k}'>{_md(o.text)}</label></div>" for k, o in enumerate(q.options))
    return f"<fieldset><legend>{legend}</legend>{rows}</fieldset>"


def _number_box(uid: str, label: str, unit: str) -> str:
    unit_words = f" (in {_e(unit)})" if unit else ""
    return (f"<div class='quiz-number'><label for='{uid}-value'>{label}{unit_words}:</label> "
            f"<input type='text' id='{uid}-value' class='quiz-value' inputmode='decimal' autocomplete='off' "
            f"spellcheck='false' placeholder='type a number'></div>")


def _select(uid: str, k: int, label: str, choices: list[tuple[str, str]], key: str) -> str:
    options = f"<option value=''>{_CHOOSE}</option>" + "".join(
        f"<option value='{_e(value)}'>{_md(text)}</option>" for value, text in choices)
    return (f"<div class='quiz-sort'><label for='{uid}-{k}'>{label}</label> "
            f"<select id='{uid}-{k}' data-key='{_e(key)}'>{options}</select></div>")


def _controls(q, uid: str) -> str:
    if q.type == "single":
        return _choices(q, uid, "radio", "Your answer:")
    if q.type == "multiple":
        return _choices(q, uid, "checkbox", "Tick every statement that is true.")
    if q.type == "numeric":
        return _number_box(uid, "Your answer", q.unit)
    if q.type == "categorise":
        groups = [(g.id, g.label) for g in q.groups]
        return "".join(f"<div class='quiz-row'><p><strong>Item {k + 1}.</strong> {_md(item.text)}</p>"
                       f"{_select(uid, k, f'Item {k + 1} is:', groups, item.id)}</div>"
                       for k, item in enumerate(q.items))
    if q.type == "order":
        n = len(q.steps)
        positions = [(str(p), str(p)) for p in range(1, n + 1)]
        rows = "".join(f"<div class='quiz-row'><p><strong>Step {chr(65 + k)}.</strong> {_md(step.text)}</p>"
                       f"{_select(uid, k, f'Position of step {chr(65 + k)}:', positions, step.id)}</div>"
                       for k, step in enumerate(q.shuffled_steps()))
        return f"<p><em>Give each step its position: 1 happens first.</em></p>{rows}"
    if q.prediction == "numeric":
        return _number_box(uid, "My prediction", q.unit)
    return _choices(q, uid, "radio", "My prediction:")


def question_html(notebook_id: str, question_id: str, number: int | None = None) -> str:
    """One question as a form: its controls, Check (or Lock in my prediction), hints, Show answer,
    a polite live region for the verdict, the explanation (hidden until earned) and the saved
    history; numbered by its place in the bank, as in the notebook, unless ``number`` is given (the
    final review numbers its questions 1, 2, 3 ...; a question may then appear twice on a page, and
    its second copy shares the first one's saved progress)."""
    bank = _bank(notebook_id)
    q = bank.get(question_id)
    uid = _uid(bank.notebook, q.id) + (f"-n{number}" if number is not None else "")
    if number is None:
        number = bank.ids.index(q.id) + 1
    first_note = ""
    if q.type == "predict":
        first_note = f"<div class='quiz-box quiz-info'><strong>Predict first —</strong> then {_md(q.task)}</div>"
    parts = [
        f"<p class='quiz-prompt'><strong>Question {number}.</strong> {_md(q.prompt)}</p>",
        f"<form class='quiz-form' novalidate>{_controls(q, uid)}{_buttons(q)}</form>",
        "<div class='quiz-hints' role='status' aria-live='polite'></div>",
        f"<div class='quiz-verdict' role='status' aria-live='polite' aria-atomic='true'>{first_note}</div>",
        "<div class='quiz-comparison'></div>" if q.type == "predict" else "",
        "<div class='quiz-explanation' hidden></div>",
        "<p class='quiz-status muted'>Your progress: Not attempted yet.</p>",
        _json_script(question_data(bank.notebook, q.id), "quiz-data"),
    ]
    return (f"<section class='question' id='{uid}' aria-label='Question {number}' "
            f"data-notebook='{_e(bank.notebook)}' data-question='{_e(q.id)}' data-type='{q.type}'>"
            f"{''.join(parts)}</section>")


# ----------------------------------------------------------------------------- the learner's record

def record_data() -> dict[str, Any]:
    """What quiz.js needs to build the learner's record exactly as :func:`course_lib.quiz.record.build_record`
    does: every bank (course order) with each question's type and fingerprint (and, for predict
    questions, what turns a prediction or a lab's result into words), each notebook's title and
    whether it is enabled, and every objective of the course map with the questions that check it."""
    from . import __version__, syllabus
    from .quiz.loader import load_all_banks
    from .quiz.record import FORMAT, VERSION, objectives_of, question_fingerprint

    entries = {e.id: e for e in syllabus.COURSE}
    notebooks = []
    for bank in load_all_banks():
        entry = entries.get(bank.notebook)
        questions = []
        for q in bank.questions:
            item: dict[str, Any] = {"id": q.id, "type": q.type, "fingerprint": question_fingerprint(q)}
            if q.type == "predict":
                item.update(kind=q.prediction, unit=q.unit,
                            options=[{"id": o.id, "text": o.text, "when": list(o.when) if o.when else None}
                                     for o in q.options])
            questions.append(item)
        notebooks.append({"id": bank.notebook,
                          "title": entry.title if entry is not None else bank.title,
                          "enabled": bool(entry is not None and entry.enabled),
                          "questions": questions})
    objectives = [{"notebook": o.notebook, "text": o.text, "checked_by": list(o.checked_by)}
                  for e in entries.values() for o in objectives_of(e)]
    return {"format": FORMAT, "version": VERSION, "course_version": __version__,
            "notebooks": notebooks, "objectives": objectives}


def _self_check(notebook_id: str, entry) -> str:
    """The notebook's objectives, each with the questions that check it; quiz.js writes each
    question's result in the words of the Jupyter edition's self-check (``lessons.SelfCheck``)."""
    from .quiz.record import objectives_of

    try:
        bank = _bank(notebook_id)
    except (KeyError, OSError, ValueError):
        return ""
    rows = []
    for objective in objectives_of(entry) if entry is not None else []:
        cells = []
        for ref in objective.checked_by:
            qid = ref.rpartition("/")[2]
            if ref.rpartition("/")[0] not in ("", notebook_id) or qid not in bank.ids:
                continue
            number = bank.ids.index(qid) + 1
            cells.append(f"<li data-qid='{_e(qid)}' data-type='{bank.get(qid).type}'>Question {number}: "
                         f"<span class='quiz-self-status'>not tried yet</span></li>")
        answers = f"<ul>{''.join(cells)}</ul>" if cells else "no question checks this yet"
        rows.append(f"<tr><td>{_md(objective.text)}</td><td>{answers}</td></tr>")
    if not rows:
        return ""
    # no scrolling box of its own: the site puts every table of a page in one (site._scrollable_tables)
    return ("<table class='quiz-self-check'><caption>Self-check: each objective and how your answers went"
            "</caption><tr><th scope='col'>You can ...</th><th scope='col'>Your answers</th></tr>"
            f"{''.join(rows)}</table>")


def record_html(notebook_id: str, heading: bool = True) -> str:
    """The "Your record" block of a notebook's page (one per page): the self-check (each objective of
    the notebook with how the learner's answers went), this notebook's progress in words, a name box
    and "Download my record" (the same JSON record file the Jupyter edition writes, which
    ``python -m course_lib.quiz report`` reads), and a reset with confirmation. It opens with its own
    "## Your record" heading (an h2, a section of the page) unless ``heading`` is False."""
    from . import syllabus
    from .quiz.record import MAX_NAME_CHARS

    entry = next((e for e in syllabus.COURSE if e.id == notebook_id), None)
    title = entry.title if entry is not None else _bank(notebook_id).title
    uid = f"r{notebook_id[:2]}"
    return (
        f"<section class='quiz-record' data-notebook='{_e(notebook_id)}' aria-label='Your record'>"
        f"{'<h2>Your record</h2>' if heading else ''}{_self_check(notebook_id, entry)}"
        "<p>Your answers on this site stay in this browser: nothing is sent anywhere. Download them as "
        "a record file, the same file the live notebooks make, to keep them or to hand them to your "
        "instructor.</p>"
        "<div class='quiz-record-summary' role='status' aria-live='polite'></div>"
        f"<div class='quiz-number'><label for='{uid}-name'>Your name (optional):</label> "
        f"<input type='text' id='{uid}-name' class='quiz-record-name' maxlength='{MAX_NAME_CHARS}' "
        f"autocomplete='name' aria-describedby='{uid}-note'></div>"
        f"<p id='{uid}-note' class='muted'>The name stays in the file you download; the course does not "
        f"keep it. Up to {MAX_NAME_CHARS} characters.</p>"
        "<div class='quiz-buttons'><button type='button' class='quiz-primary quiz-record-download'>"
        "Download my record</button>"
        "<button type='button' class='quiz-record-reset'>Reset progress…</button></div>"
        "<div class='quiz-record-confirm' hidden><p>Delete your answers for "
        f"“{_e(title)}”? This cannot be undone.</p><div class='quiz-buttons'>"
        "<button type='button' class='quiz-record-yes'>Yes, delete it</button>"
        "<button type='button' class='quiz-record-no'>Cancel</button></div></div>"
        "<div class='quiz-record-message' role='status' aria-live='polite'></div>"
        "</section>")


def objectives_html(heading: bool = True) -> str:
    """"Every objective of the course" (notebook 06): each objective of the course map with the
    learner's result, which quiz.js works out from the record as ``quiz.review.objective_status``
    does (met, not yet, not tried), and a link to the notebook's page. It opens with its own h2
    heading unless ``heading`` is False."""
    from . import syllabus
    from .quiz.review import STATUS_NOT_TRIED, STATUS_UNCHECKED
    from .site import page_name

    titles = {e.id: e.title for e in syllabus.COURSE}
    enabled = {e.id for e in syllabus.COURSE if e.enabled}
    rows = []
    for k, objective in enumerate(record_data()["objectives"]):
        notebook = objective["notebook"]
        where = (f"<a href='{page_name(notebook)}'>{_e(titles.get(notebook, notebook))}</a>"
                 if notebook in enabled else _e(titles.get(notebook, notebook)))
        status = STATUS_NOT_TRIED if objective["checked_by"] else STATUS_UNCHECKED
        # two columns, so the table fits a phone: where to revisit goes under the objective
        rows.append(f"<tr data-objective='{k}'><td>{_md(objective['text'])}<br><small>Revisit: {where}</small></td>"
                    f"<td><strong class='quiz-objective-status'>{status}</strong></td></tr>")
    return ("<section class='quiz-objectives' aria-label='Every objective of the course'>"
            f"{'<h2>Every objective of the course</h2>' if heading else ''}"
            "<table><caption>Every objective of the course and your result</caption><tr>"
            f"<th scope='col'>You can ...</th><th scope='col'>Your result</th></tr>{''.join(rows)}</table>"
            "<p class='muted'>Met: every question that checks it answered right (a prediction: compared with "
            "the lab). Kept in this browser only.</p></section>")


# ----------------------------------------------------------------------------- head and assets

def head_html(page_body: str) -> str:
    """The quiz's style and script for a page with questions or a record block ('' otherwise);
    the record's data only where a record block is."""
    has_questions = "class='question'" in page_body
    has_record = "class='quiz-record'" in page_body or "class='quiz-objectives'" in page_body
    if not (has_questions or has_record):
        return ""
    tags = "<link rel='stylesheet' href='quiz.css'>"
    if has_record:
        tags += f"<script src='{RECORD_DATA_FILE}' defer></script>"
    return tags + "<script src='quiz.js' defer></script>"


def write_assets(target: Path) -> None:
    """Copy quiz.js and quiz.css into the site folder ``target`` and write the record's data."""
    target = Path(target)
    for name in ASSET_FILES:
        shutil.copyfile(ASSETS / name, target / name)
    text = json.dumps(record_data(), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    (target / RECORD_DATA_FILE).write_text(
        "// The learner's record: what the course's question banks and course map say (written by "
        "course_lib.site_quiz).\nwindow.courseRecordData = " + text.replace("<", "\\u003c") + ";\n",
        encoding="utf-8")
