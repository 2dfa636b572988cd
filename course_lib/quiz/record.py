"""The learner's record: their own quiz results as JSON (for an instructor) and as a printable
HTML page (for themselves), with a certificate of completion once the course's quizzes are done.

Built from two things only: the progress store (what the learner did) and the question banks
(what there was to do). No widgets here; the download button lives in ``record_widget``.

Definitions (tested in ``tests/unit/test_quiz_record.py``):

- A question is **answered** when at least one answer was checked (for a predict question: a
  prediction was compared with a lab's result).
- **First-try correct**: the first checked answer was right and the answer had not been shown
  before it. Unknown (null) for progress saved before first tries were kept, unless the
  question was tried only once.
- A question is **finished** when it is answered and either it was answered correctly before
  the answer was shown (best score 1), or its answer and explanation were shown (after the
  last attempt, or on request after at least one try). A predict question is finished once a
  prediction was compared with the model: matching the model is not required, the
  comparison is the lesson.
- A notebook's quiz is **done** when every question in its bank is finished.
- The course is **complete** (the certificate shows) when every *enabled* notebook of the
  course map that has a question bank is done, and there is at least one such notebook.
- An objective is **met** when every question that checks it is mastered: a gradable question
  answered fully right before its answer was shown (best score 1), a predict question with a
  prediction compared. ``met`` is null when no question checks the objective (the course map
  gives plain strings, or names a question that is not in the bank).

No name is stored unless the learner types one; ``learner_id`` is the random id of
:meth:`ProgressStore.learner_id`, which lets a class report keep one record per learner.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from .grading import describe_prediction, observed_option
from .progress import ProgressStore, get_store
from .schema import Bank, PredictQuestion, Question

FORMAT = "course-record"
VERSION = 1
MAX_NAME_CHARS = 100


class RecordError(ValueError):
    """A learner's record is malformed; the message says what is wrong."""


# ----------------------------------------------------------------------------- objectives

@dataclass(frozen=True)
class ObjectiveView:
    """One objective of a notebook in the one shape this module uses, whatever shape the course
    map gives: a plain string (no checking questions) or an object with ``.text`` and
    ``.checked_by`` (question ids of the notebook's bank, or ``notebook/id``)."""

    notebook: str
    text: str
    checked_by: tuple[str, ...] = ()


def objectives_of(entry: Any) -> list[ObjectiveView]:
    """The objectives of a course-map entry through the adapter above."""
    views = []
    for objective in getattr(entry, "objectives", ()) or ():
        if isinstance(objective, str):
            views.append(ObjectiveView(entry.id, objective))
        else:
            checked = getattr(objective, "checked_by", ()) or ()
            views.append(ObjectiveView(entry.id, str(getattr(objective, "text", objective)),
                                       tuple(str(c) for c in checked)))
    return views


# ----------------------------------------------------------------------------- per question

def question_fingerprint(question: Question) -> str:
    """A short hash of what makes an answer right or wrong: the type and the ids (options,
    answer, groups, items, steps in order, numeric answer and tolerance, prediction kind).
    Rewording a prompt or a feedback keeps it; changing what counts as right changes it, so a
    class report never pools answers to two different questions under one id."""
    parts: list[Any] = [question.type, *question.fingerprint_parts()]
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _number(value: Any, default: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    try:
        number = float(value)
    except OverflowError:
        return default
    return number if math.isfinite(number) else default


def _json_safe(value: Any, depth: int = 0) -> Any:
    """Saved answers as JSON data: finite numbers, text, lists and mappings of them."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if abs(value) < 10**15 else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if depth > 3:
        return None
    if isinstance(value, (list, tuple)):
        return [_json_safe(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v, depth + 1) for k, v in value.items()}
    return None


def _id_list(value: Any) -> list[str]:
    """Saved option/item ids as a short list of text (a hand-edited file may hold anything)."""
    if not isinstance(value, list):
        return []
    return [str(v) for v in value if isinstance(v, str) or
            (isinstance(v, int) and not isinstance(v, bool) and abs(v) < 10**15)][:50]


def question_result(question: Question, saved: Any) -> dict[str, Any]:
    """One question's line in the record, from its saved progress (or none)."""
    rec = saved if isinstance(saved, dict) else {}
    attempts = int(max(0.0, _number(rec.get("attempts"))))
    answered = attempts > 0
    revealed = rec.get("revealed") is True
    best = min(1.0, max(0.0, _number(rec.get("best_score"))))
    first = rec.get("first_correct")
    if not isinstance(first, bool):
        # Progress saved before first tries were kept: a single try is its own first try.
        first = (rec.get("last_correct") is True and not revealed) if attempts == 1 else None
    first_try = first if answered else None
    result: dict[str, Any] = {
        "type": question.type,
        "fingerprint": question_fingerprint(question),
        "attempts": attempts,
        "answered": answered,
        "first_try_correct": first_try,
        "best_score": best,
        "last_correct": rec.get("last_correct") is True,
        "revealed": revealed,
        "answered_after_reveal": rec.get("answered_after_reveal") is True,
        "hints_used": int(max(0.0, _number(rec.get("hints_used")))),
        "first_answer": _json_safe(rec.get("first_answer")) if answered else None,
        "first_wrong": _id_list(rec.get("first_wrong")) if answered else [],
    }
    if isinstance(question, PredictQuestion):
        result.update(_prediction_fields(question, rec, answered))
        result["finished"] = answered
        result["mastered"] = answered
    else:
        result["finished"] = answered and (best >= 1.0 or revealed)
        result["mastered"] = answered and best >= 1.0
    return result


def _prediction_fields(question: PredictQuestion, rec: dict[str, Any],
                       answered: bool) -> dict[str, Any]:
    """What the learner predicted (first and last), what the model gave, and whether they
    matched, as values and as words."""

    def words(value: Any) -> str | None:
        if value is None:
            return None
        try:
            if question.prediction == "numeric":
                number = _number(value, default=math.nan)
                return describe_prediction(question, number) if math.isfinite(number) else None
            return describe_prediction(question, value)
        except Exception:  # a hand-edited progress file must not stop a record
            return None

    def seen(value: Any) -> str | None:
        if value is None:
            return None
        if question.prediction == "numeric":
            return words(value)
        option = observed_option(question, value)
        return option.text if option else None

    prediction = _json_safe(rec.get("prediction")) if answered else None
    first = _json_safe(rec.get("first_answer")) if answered else None
    first = first if first is not None else prediction
    observed = _json_safe(rec.get("observed")) if answered else None
    observed_id = None
    if observed is not None and question.prediction == "choice":
        option = observed_option(question, observed)
        observed_id = option.id if option else None
    return {
        "prediction_kind": question.prediction,
        "unit": question.unit,
        "first_prediction": first,
        "prediction": prediction,
        "prediction_text": words(prediction),
        "observed": observed,
        "observed_option": observed_id,
        "observed_text": seen(observed),
        "matched": (rec.get("matched") is True) if answered else None,
    }


# ----------------------------------------------------------------------------- whole record

def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def clean_name(name: Any) -> str | None:
    """The name as the learner typed it: whitespace collapsed, at most ``MAX_NAME_CHARS``
    characters, control characters dropped; None when nothing is left (no name given)."""
    if name is None:
        return None
    if not isinstance(name, str):
        raise ValueError(f"name must be text or None, got {type(name).__name__}")
    text = "".join(ch for ch in " ".join(name.split()) if ch.isprintable())
    text = " ".join(text.split())[:MAX_NAME_CHARS].strip()
    return text or None


def notebook_result(bank: Bank, saved: Any, enabled: bool, title: str) -> dict[str, Any]:
    """One notebook's part of the record: counts, done, and each question's line."""
    entry = saved if isinstance(saved, dict) else {}
    records = entry.get("questions") if isinstance(entry.get("questions"), dict) else {}
    questions = {q.id: question_result(q, records.get(q.id)) for q in bank.questions}
    gradable = [r for r in questions.values() if r["type"] != "predict"]
    predicts = [r for r in questions.values() if r["type"] == "predict"]
    counts = {
        "questions": len(questions),
        "gradable": len(gradable),
        "answered": sum(r["answered"] for r in gradable),
        "first_try_correct": sum(r["first_try_correct"] is True for r in gradable),
        "score_percent": round(100.0 * sum(r["best_score"] for r in gradable) / len(gradable), 1)
        if gradable else 0.0,
        "revealed": sum(r["revealed"] for r in questions.values()),
        "predictions": len(predicts),
        "predictions_made": sum(r["answered"] for r in predicts),
        "predictions_matched": sum(r["matched"] is True for r in predicts),
        "finished": sum(r["finished"] for r in questions.values()),
    }
    return {"title": title, "enabled": enabled,
            "done": all(r["finished"] for r in questions.values()),
            "counts": counts, "questions": questions}


def objective_met(objective: ObjectiveView, notebooks: dict[str, Any]) -> bool | None:
    """True/False as defined in the module docstring; None when no question checks it."""
    if not objective.checked_by:
        return None
    results = []
    for ref in objective.checked_by:
        notebook, _, qid = ref.rpartition("/")
        found = notebooks.get(notebook or objective.notebook, {}).get("questions", {}).get(qid)
        if found is None:
            return None  # the course map names a question this bank does not have
        results.append(found["mastered"])
    return all(results)


def build_record(progress: dict[str, Any], banks: Sequence[Bank], course: Iterable[Any],
                 name: str | None = None, learner_id: str | None = None,
                 generated: str | None = None, course_version: str | None = None
                 ) -> dict[str, Any]:
    """The record as a dict (pure: no disk, no clock unless ``generated`` is None).

    ``progress`` is the progress file's data; ``banks`` the question banks; ``course`` the
    course map's entries (``id``, ``title``, ``enabled``, ``objectives``). A bank whose
    notebook is not in the course map is reported but counts as not enabled."""
    if course_version is None:
        from .. import __version__ as course_version
    entries = {e.id: e for e in course}
    saved = progress.get("notebooks") if isinstance(progress.get("notebooks"), dict) else {}
    notebooks: dict[str, Any] = {}
    for bank in banks:
        entry = entries.get(bank.notebook)
        notebooks[bank.notebook] = notebook_result(
            bank, saved.get(bank.notebook), enabled=bool(entry is not None and entry.enabled),
            title=entry.title if entry is not None else bank.title)
    objectives = []
    for entry in entries.values():
        for objective in objectives_of(entry):
            objectives.append({"notebook": objective.notebook, "text": objective.text,
                               "checked_by": list(objective.checked_by),
                               "met": objective_met(objective, notebooks)})
    counted = [nb for nb in notebooks.values() if nb["enabled"]]
    return {
        "format": FORMAT,
        "version": VERSION,
        "course_version": course_version,
        "generated": generated or _now_iso(),
        "learner": clean_name(name),
        "learner_id": learner_id,
        "complete": bool(counted) and all(nb["done"] for nb in counted),
        "notebooks": notebooks,
        "objectives": objectives,
    }


def learner_record(name: str | None = None, store: ProgressStore | None = None) -> dict[str, Any]:
    """This learner's record from their saved progress and the course's banks."""
    from .. import syllabus
    from .loader import load_all_banks

    store = store if store is not None else get_store()
    return build_record(store.read(), load_all_banks(), syllabus.COURSE, name=name,
                        learner_id=store.learner_id())


def record_json(record: dict[str, Any]) -> str:
    """The record as JSON text (UTF-8, sorted keys, indented: an instructor can read it)."""
    return json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False, allow_nan=False)


# ----------------------------------------------------------------------------- reading back

def check_record(data: Any) -> dict[str, Any]:
    """Check that ``data`` (parsed JSON) is a learner's record this version can read; return
    it. Raises :class:`RecordError` saying what is wrong. Unknown extra fields are allowed."""
    if not isinstance(data, dict):
        raise RecordError(f"it is not a learner's record (the JSON is a {type(data).__name__}, "
                          "not an object)")
    if data.get("format") != FORMAT:
        raise RecordError(f"it is not a learner's record (format is {data.get('format')!r}, "
                          f"expected {FORMAT!r})")
    if data.get("version") != VERSION:
        raise RecordError(f"record version {data.get('version')!r} is not one this course "
                          f"reads (it reads version {VERSION})")
    for key, kind in (("course_version", str), ("generated", str), ("notebooks", dict)):
        if not isinstance(data.get(key), kind):
            raise RecordError(f"field '{key}' is missing or not {kind.__name__}")
    try:
        parse_generated(data["generated"])
    except ValueError:
        raise RecordError(f"field 'generated' is not an ISO date and time: "
                          f"{data['generated'][:40]!r}") from None
    for notebook, entry in data["notebooks"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("questions"), dict):
            raise RecordError(f"notebook '{notebook[:60]}' has no 'questions' object")
        for qid, result in entry["questions"].items():
            if not isinstance(result, dict) or not isinstance(result.get("type"), str):
                raise RecordError(f"question '{notebook[:60]}/{qid[:60]}' is malformed")
    if not isinstance(data.get("objectives", []), list):
        raise RecordError("field 'objectives' is not a list")
    return data


def parse_generated(text: str) -> datetime:
    """``generated`` as an aware datetime (a naive one is read as UTC)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


# ----------------------------------------------------------------------------- HTML

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.45;
       max-width: 52rem; margin: 1.5rem auto; padding: 0 1rem; color: #1a1a1a; background: #fff; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 1.8rem; }
table { border-collapse: collapse; width: 100%; margin: 0.6rem 0; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
th, td { border: 1px solid #767676; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
.certificate { border: 6px double #0072B2; padding: 1.5rem 2rem; margin: 1.5rem 0;
               text-align: center; page-break-inside: avoid; break-inside: avoid; }
.certificate .name { font-size: 1.6rem; font-weight: 700; margin: 0.6rem 0; }
.note { font-size: 0.9rem; color: #444; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  .certificate { page-break-after: always; break-after: page; }
  h2 { page-break-after: avoid; break-after: avoid; }
  tr { page-break-inside: avoid; break-inside: avoid; }
}
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _date_words(generated: str) -> str:
    try:
        return parse_generated(generated).strftime("%d %B %Y").lstrip("0")
    except ValueError:
        return generated


def _yes_no(value: bool | None, unknown: str = "not known") -> str:
    return unknown if value is None else ("yes" if value else "not yet")


def _certificate(record: dict[str, Any]) -> str:
    name = record.get("learner")
    who = (f'<p class="name">{_e(name)}</p>' if name else
           '<p class="name">The holder of this record</p>')
    done = [nb for nb in record["notebooks"].values() if nb["enabled"]]
    return (
        '<section class="certificate" aria-label="Certificate of completion">'
        "<h2>Certificate of completion</h2><p>This is to certify that</p>"
        f"{who}<p>has finished every quiz of the self-study course<br>"
        "<strong>Can neuropathic pain go away?</strong></p>"
        f"<p>({len(done)} notebook{'s' if len(done) != 1 else ''}, course version "
        f"{_e(record['course_version'])})</p><p>on {_e(_date_words(record['generated']))}</p>"
        '<p class="note">A record of self-study, not an accredited qualification. The course '
        "is educational material, not medical advice.</p></section>")


def _scores_table(record: dict[str, Any]) -> str:
    rows = []
    for notebook, nb in record["notebooks"].items():
        c = nb["counts"]
        predictions = (f"{c['predictions_made']} of {c['predictions']} made, "
                       f"{c['predictions_matched']} matched the model"
                       if c["predictions"] else "none in this quiz")
        status = "done" if nb["done"] else f"{c['finished']} of {c['questions']} finished"
        if not nb["enabled"]:
            status += " (not yet part of the course)"
        rows.append(
            f"<tr><td>{_e(nb['title'])}<br><small>{_e(notebook)}</small></td>"
            f"<td>{c['answered']} of {c['gradable']}</td><td>{c['first_try_correct']}</td>"
            f"<td>{c['score_percent']:.0f} %</td><td>{_e(predictions)}</td>"
            f"<td>{c['revealed']}</td><td>{_e(status)}</td></tr>")
    return ("<table><caption>Scores per notebook</caption><tr>"
            "<th scope='col'>Notebook</th><th scope='col'>Questions answered</th>"
            "<th scope='col'>Right at the first try</th><th scope='col'>Best score</th>"
            "<th scope='col'>Predictions</th><th scope='col'>Answers shown</th>"
            "<th scope='col'>Quiz</th></tr>" + "".join(rows) + "</table>")


def _predictions_table(record: dict[str, Any]) -> str:
    rows = []
    for notebook, nb in record["notebooks"].items():
        for qid, q in nb["questions"].items():
            if q["type"] != "predict" or not q["answered"]:
                continue
            rows.append(f"<tr><td>{_e(notebook)}<br><small>{_e(qid)}</small></td>"
                        f"<td>{_e(q.get('prediction_text') or '—')}</td>"
                        f"<td>{_e(q.get('observed_text') or '—')}</td>"
                        f"<td>{_yes_no(q.get('matched'))}</td></tr>")
    if not rows:
        return "<p>No predictions compared with a lab yet.</p>"
    return ("<table><caption>Your predictions beside the model's results (last comparison)"
            "</caption><tr><th scope='col'>Question</th><th scope='col'>You predicted</th>"
            "<th scope='col'>The model gave</th><th scope='col'>Matched</th></tr>"
            + "".join(rows) + "</table>")


def _objectives_table(record: dict[str, Any]) -> str:
    titles = {nb: v["title"] for nb, v in record["notebooks"].items()}
    rows = [f"<tr><td>{_e(titles.get(o['notebook'], o['notebook']))}</td>"
            f"<td>You can {_e(o['text'])}</td>"
            f"<td>{_yes_no(o.get('met'), 'not checked by a quiz question')}</td></tr>"
            for o in record.get("objectives", [])]
    return ("<table><caption>Course objectives</caption><tr><th scope='col'>Notebook</th>"
            "<th scope='col'>Objective</th><th scope='col'>Met</th></tr>"
            + "".join(rows) + "</table>")


def record_html(record: dict[str, Any]) -> str:
    """The record as one self-contained, printable HTML page (no scripts, no external files).
    Every piece of text from the record is escaped. The certificate appears only when the
    record is complete (see the module docstring)."""
    from .. import EDUCATIONAL_DISCLAIMER

    name = record.get("learner")
    heading = f"Course record of {_e(name)}" if name else "Course record"
    certificate = _certificate(record) if record.get("complete") else (
        "<p><strong>Certificate:</strong> it appears here when every quiz of the course's "
        "available notebooks is done (each question answered, and either right or with its "
        "answer shown).</p>")
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{heading}: Can neuropathic pain go away?</title><style>{_CSS}</style></head>"
        f"<body><main><h1>{heading}</h1>"
        "<p>Self-study course <strong>Can neuropathic pain go away?</strong> · "
        f"record made on {_e(_date_words(record['generated']))} · course version "
        f"{_e(record['course_version'])}</p>"
        f"{certificate}<h2>Scores</h2>{_scores_table(record)}"
        f"<h2>Predictions</h2>{_predictions_table(record)}"
        f"<h2>What you can do now</h2>{_objectives_table(record)}"
        f"<p class='note'>{_e(EDUCATIONAL_DISCLAIMER)}</p></main></body></html>\n")
