"""The instructor's class report: many learners' JSON records in, one self-contained HTML page out.

    python -m course_lib.quiz report RECORDS... [--out report.html]

RECORDS are record files or folders (searched recursively for ``*.json``), e.g. a class's
downloads from an LMS. The page has plotly charts (plotly's JavaScript embedded once, so it
opens offline) and tables:

- per question, the share of learners right at the first try;
- for each predict question, the class's first predictions beside the model's results;
- the distractors chosen most often at the first try, each with the misconception it targets
  (the option's feedback from the bank);
- per objective, the share of learners who met it.

Reading rules (tested in ``tests/unit/test_quiz_report.py``):

- A file that cannot be read as a record (over ``MAX_RECORD_BYTES``, not UTF-8, not JSON, not
  a course record, malformed) is named on stderr with the reason and skipped.
- The **same learner** means the same ``learner_id`` (a random id kept in the learner's
  progress file; no names needed). Of several records of one learner, the one with the latest
  ``generated`` time is kept (on a tie, the file read last).
- A record from **another course version** is read too: each question counts only when the
  current bank still has a question with that id whose fingerprint (what makes an answer
  right, see ``record.question_fingerprint``) is unchanged; the others are counted and left
  out, and the summary says so. Objectives count when their notebook and wording still exist.

Objectives are judged again from each record's answers under the current course map (met:
every question that checks it mastered), so a reworded objective still counts.

Shares are over the learners who answered the question (for an objective: whose record holds
the current version of every question that checks it), and each chart and table gives that
count.
"""

from __future__ import annotations

import html
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .grading import describe_prediction, observed_option
from .record import RecordError, check_record, objectives_of, parse_generated, \
    question_fingerprint
from .schema import Bank, MultipleQuestion, PredictQuestion, SingleQuestion

MAX_RECORD_BYTES = 2_000_000  # a real record is tens of kB
TOP_DISTRACTORS = 15

# Okabe-Ito palette (colour-blind safe); patterns and labels carry the meaning too.
_BLUE, _ORANGE, _GREEN, _VERMILION = "#0072B2", "#E69F00", "#009E73", "#D55E00"


# ----------------------------------------------------------------------------- reading

@dataclass
class ReadResult:
    """What ``read_records`` found: the kept records, and what it skipped and why."""

    records: list[dict[str, Any]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # file of each kept record
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    files_read: int = 0
    duplicates: int = 0


def _not_a_record_file(path: Path, folder: Path | None) -> str | None:
    """Why a path found or given cannot be a record file, or None. Nothing is opened here (a named
    pipe would block), and a link found in a folder may not lead outside that folder."""
    if path.is_symlink():
        if not path.exists():
            return "a link to nothing (its target is gone)"
        if folder is not None and not path.resolve().is_relative_to(folder.resolve()):
            return "a link that leads outside the records folder (not followed)"
    if path.is_dir():
        return "a folder named like a record file"
    if not path.exists():
        return "no such file or folder"
    if not path.is_file():
        return "not a regular file (a pipe, a device or a socket)"
    return None


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files given, and ``*.json`` files found under folders given (sorted). Paths that do not
    exist, folders without records and anything that cannot be a record file (a pipe, a device, a
    dangling link, a link leading out of the folder) are returned as problems, each with its reason."""
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:  # a file named twice (a folder and a file in it) counts once
        real = path.resolve()
        if real not in seen:
            seen.add(real)
            files.append(path)

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(path.rglob("*.json"))
            if not found:
                problems.append((str(path), "a folder with no .json files in it"))
            for item in found:
                reason = _not_a_record_file(item, path)
                if reason:
                    problems.append((str(item), reason))
                else:
                    add(item)
        elif reason := _not_a_record_file(path, None):
            problems.append((str(path), reason))
        else:
            add(path)
    return files, problems


def read_record_file(path: Path) -> dict[str, Any]:
    """One record file, checked. Raises RecordError with a reason a person can act on."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_RECORD_BYTES + 1)
    except OSError as exc:
        raise RecordError(f"it cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_RECORD_BYTES:
        raise RecordError(f"it is larger than {MAX_RECORD_BYTES // 1_000_000} MB, far more than "
                          "a learner's record")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RecordError("it is not text (not UTF-8): perhaps a binary file or a PDF") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise RecordError("its JSON is nested too deeply") from None
    except ValueError as exc:
        raise RecordError(f"it is not valid JSON ({exc})") from None
    return check_record(data)


def _learner_key(record: dict[str, Any]) -> str | None:
    key = record.get("learner_id")
    return key if isinstance(key, str) and key.strip() else None


def read_records(paths: Iterable[str | Path]) -> ReadResult:
    """Read every record under ``paths``; keep one per learner (the latest ``generated``)."""
    files, problems = expand_paths(paths)
    result = ReadResult(skipped=list(problems))
    latest: dict[str, tuple[Any, int]] = {}
    loaded: list[tuple[dict[str, Any], str]] = []
    for path in files:
        result.files_read += 1
        try:
            record = read_record_file(path)
        except RecordError as exc:
            result.skipped.append((str(path), str(exc)))
            continue
        except Exception as exc:  # pragma: no cover - a bug; the file is still named
            result.skipped.append((str(path), f"unexpected problem ({type(exc).__name__})"))
            continue
        key = _learner_key(record)
        if key is None:
            result.skipped.append((str(path), "it has no learner_id, so duplicates cannot be "
                                              "told apart"))
            continue
        index = len(loaded)
        loaded.append((record, str(path)))
        moment = parse_generated(record["generated"])
        if key in latest:
            result.duplicates += 1
            if moment >= latest[key][0]:
                latest[key] = (moment, index)
        else:
            latest[key] = (moment, index)
    for _moment, index in sorted(latest.values(), key=lambda v: v[1]):
        result.records.append(loaded[index][0])
        result.sources.append(loaded[index][1])
    return result


# ----------------------------------------------------------------------------- statistics

@dataclass
class QuestionStats:
    notebook: str
    question_id: str
    type: str
    prompt: str
    answered: int = 0
    first_correct: int = 0
    wrong_picks: Counter = field(default_factory=Counter)  # option id -> learners
    first_predictions: list[Any] = field(default_factory=list)
    observed: list[Any] = field(default_factory=list)

    @property
    def share_first_correct(self) -> float | None:
        return self.first_correct / self.answered if self.answered else None


@dataclass
class ClassStats:
    """Everything the report shows, as numbers (the HTML is drawn from this)."""

    learners: int
    questions: dict[tuple[str, str], QuestionStats]
    objectives: dict[tuple[str, str], list[int]]  # (notebook, text) -> [met, known]
    notebook_first_try: dict[str, list[float]]  # notebook -> per-learner first-try share
    course_versions: Counter
    other_version_records: int
    unmatched_answers: int
    current_version: str


def _bank_map(banks: Sequence[Bank]) -> dict[tuple[str, str], Any]:
    return {(b.notebook, q.id): q for b in banks for q in b.questions}


def class_stats(records: Sequence[dict[str, Any]], banks: Sequence[Bank], course: Iterable[Any],
                current_version: str | None = None) -> ClassStats:
    """Pool the records against the current banks (see the module docstring)."""
    if current_version is None:
        from .. import __version__ as current_version
    questions = _bank_map(banks)
    fingerprints = {key: question_fingerprint(q) for key, q in questions.items()}
    gradable_count = Counter(b.notebook for b in banks for q in b.questions if q.type != "predict")
    stats = {key: QuestionStats(key[0], key[1], q.type, q.prompt) for key, q in questions.items()}
    views = [o for e in course for o in objectives_of(e)]
    objectives: dict[tuple[str, str], list[int]] = {(o.notebook, o.text): [0, 0] for o in views}
    per_notebook: dict[str, list[float]] = defaultdict(list)
    versions: Counter = Counter()
    other = unmatched = 0
    for record in records:
        version = str(record.get("course_version"))
        versions[version] += 1
        other += version != current_version
        for notebook, entry in record["notebooks"].items():
            first_right = answered_any = 0
            for qid, result in entry["questions"].items():
                key = (notebook, qid)
                if not isinstance(result, dict) or result.get("answered") is not True:
                    continue
                if key not in stats or fingerprints[key] != result.get("fingerprint") or \
                        stats[key].type != result.get("type"):
                    unmatched += 1
                    continue
                _add_answer(stats[key], questions[key], result)
                if result["type"] != "predict":
                    answered_any = 1
                    first_right += result.get("first_try_correct") is True
            if answered_any and gradable_count[notebook]:
                per_notebook[notebook].append(first_right / gradable_count[notebook])
        for view in views:
            met = _objective_met(view, record, fingerprints)
            if met is not None:
                objectives[(view.notebook, view.text)][1] += 1
                objectives[(view.notebook, view.text)][0] += met
    return ClassStats(len(records), stats, objectives, dict(per_notebook), versions, other,
                      unmatched, current_version)


def _objective_met(view: Any, record: dict[str, Any],
                   fingerprints: dict[tuple[str, str], str]) -> bool | None:
    """Met (every checking question mastered), judged again from the record's answers under
    the current course map, so a reworded objective or a record from another version still
    counts. None when a checking question is not in the current banks or the record's
    answer to it is to a different question (fingerprint); an unanswered question is not met."""
    if not view.checked_by:
        return None
    met = True
    for ref in view.checked_by:
        notebook, _, qid = ref.rpartition("/")
        key = (notebook or view.notebook, qid)
        if key not in fingerprints:
            return None
        entry = record["notebooks"].get(key[0])
        result = entry["questions"].get(qid) if isinstance(entry, dict) else None
        if not isinstance(result, dict) or result.get("fingerprint") != fingerprints[key]:
            return None
        met = met and result.get("mastered") is True
    return met


def _add_answer(stats: QuestionStats, question: Any, result: dict[str, Any]) -> None:
    first = result.get("first_try_correct")
    if not isinstance(first, bool):
        return  # answered before first tries were kept: nothing to say about the first try
    stats.answered += 1
    stats.first_correct += first
    if isinstance(question, (SingleQuestion, MultipleQuestion)):
        known = {o.id for o in question.options}
        picks = result.get("first_wrong")
        picks = picks if isinstance(picks, list) else []
        stats.wrong_picks.update({w for w in picks if isinstance(w, str) and w in known})
    if isinstance(question, PredictQuestion):
        prediction = result.get("first_prediction")
        if _usable_prediction(question, prediction):
            stats.first_predictions.append(prediction)
        observed = result.get("observed")
        if _usable_prediction(question, observed) or (
                question.prediction == "choice" and observed_option(question, observed)):
            stats.observed.append(observed)


def _usable_prediction(question: PredictQuestion, value: Any) -> bool:
    if question.prediction == "numeric":
        return isinstance(value, (int, float)) and not isinstance(value, bool) \
            and abs(value) < 1e300
    return isinstance(value, str) and any(o.id == value for o in question.options)


def top_distractors(stats: ClassStats, banks: Sequence[Bank],
                    limit: int = TOP_DISTRACTORS) -> list[dict[str, Any]]:
    """The wrong options chosen most often at the first try, most chosen first, each with its
    share of the learners who answered and the misconception it targets (its feedback)."""
    questions = _bank_map(banks)
    rows = []
    for key, s in stats.questions.items():
        for option_id, count in s.wrong_picks.items():
            option = next(o for o in questions[key].options if o.id == option_id)
            rows.append({"notebook": key[0], "question_id": key[1], "prompt": s.prompt,
                         "option_id": option_id,
                         "option": option.text, "misconception": option.feedback,
                         "count": count, "answered": s.answered, "share": count / s.answered})
    rows.sort(key=lambda r: (-r["share"], -r["count"], r["notebook"], r["question_id"]))
    return rows[:limit]


def summary_lines(read: ReadResult, stats: ClassStats, banks: Sequence[Bank]) -> list[str]:
    """The lines printed to stdout: records read, skipped with reasons, duplicates dropped,
    other versions, and each notebook's mean first-try score."""
    lines = [f"records read: {len(read.records)} learners from {read.files_read} files",
             f"skipped: {len(read.skipped)}"]
    lines += [f"  skipped {path}: {reason}" for path, reason in read.skipped]
    lines.append(f"duplicates dropped (same learner_id, older record): {read.duplicates}")
    if stats.other_version_records:
        versions = ", ".join(f"{_short(v, 30)}: {n}"
                             for v, n in sorted(stats.course_versions.items())
                             if v != stats.current_version)
        lines.append(f"warning: {stats.other_version_records} records from another course "
                     f"version ({versions}); answers that no longer match the current banks "
                     f"left out: {stats.unmatched_answers}")
    elif stats.unmatched_answers:
        lines.append(f"answers that do not match the current banks left out: "
                     f"{stats.unmatched_answers}")
    for bank in banks:
        shares = stats.notebook_first_try.get(bank.notebook, [])
        if shares:
            mean = 100.0 * sum(shares) / len(shares)
            lines.append(f"{bank.notebook}: mean first-try score {mean:.1f} % "
                         f"({len(shares)} learners)")
        else:
            lines.append(f"{bank.notebook}: no answers")
    return lines


# ----------------------------------------------------------------------------- HTML

def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


class _FigureWriter:
    """Turns figures into HTML, embedding plotly's JavaScript with the first one only."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, fig: Any, description: str) -> str:
        fig.update_layout(template="plotly_white", font={"size": 13},
                          margin={"l": 10, "r": 10, "t": 50, "b": 10})
        self.count += 1
        div_id = f"course-report-figure-{self.count}"
        body = fig.to_html(full_html=False, include_plotlyjs=self.count == 1, div_id=div_id,
                           config={"displaylogo": False, "responsive": True})
        return (f"<figure aria-describedby='{div_id}-text'>{body}"
                f"<figcaption id='{div_id}-text'>{_e(description)}</figcaption></figure>")


def _first_try_figure(bank: Bank, stats: ClassStats) -> tuple[Any, str] | None:
    import plotly.graph_objects as go

    # Labelled by bank position, the number the learners saw beside the question.
    # Predictions are not marked right or wrong (a surprise is the lesson): they have their
    # own charts, beside the model's results.
    rows = [(f"{k + 1}. {q.id}", stats.questions[(bank.notebook, q.id)])
            for k, q in enumerate(bank.questions) if q.type != "predict"]
    rows = [(label, s) for label, s in rows if s.answered]
    if not rows:
        return None
    labels = [label for label, _s in rows]
    shares = [100.0 * s.first_correct / s.answered for _qid, s in rows]
    fig = go.Figure(go.Bar(
        x=shares, y=labels, orientation="h", marker_color=_BLUE,
        text=[f"{v:.0f} % of {s.answered}" for v, (_q, s) in zip(shares, rows)],
        textposition="auto", customdata=[[s.answered, _short(s.prompt, 90)] for _q, s in rows],
        hovertemplate="%{customdata[1]}<br>%{x:.1f} % right at the first try "
                      "(%{customdata[0]} answered)<extra>%{y}</extra>",
        name="right at the first try"))
    fig.update_layout(title=f"{bank.title}: right at the first try",
                      xaxis={"title": "learners right at the first try (%)", "range": [0, 100]},
                      yaxis={"autorange": "reversed"}, height=120 + 28 * len(rows))
    lowest = min(zip(shares, labels))
    text = (f"Horizontal bar chart, one bar per answered question of {bank.notebook} (predictions "
            f"apart), in bank order; x from 0 to 100 % of the learners who answered. Lowest: "
            f"{lowest[1]} at {lowest[0]:.0f} %.")
    return fig, text


def _prediction_figure(bank: Bank, question: PredictQuestion,
                       s: QuestionStats) -> tuple[Any, str] | None:
    import plotly.graph_objects as go

    if not s.first_predictions:
        return None
    if question.prediction == "choice":
        predicted = Counter(s.first_predictions)
        seen = Counter(o.id for o in (observed_option(question, v) for v in s.observed) if o)
        labels = [_short(o.text, 40) for o in question.options]
        fig = go.Figure([
            go.Bar(name="class predicted (first try)", x=labels,
                   y=[predicted[o.id] for o in question.options], marker_color=_ORANGE,
                   marker_pattern_shape="/"),
            go.Bar(name="the model showed", x=labels, y=[seen[o.id] for o in question.options],
                   marker_color=_BLUE)])
        fig.update_layout(barmode="group", yaxis_title="learners")
        top = predicted.most_common(1)[0]
        model = seen.most_common(1)[0][0] if seen else None
        text = (f"Grouped bar chart of {question.id}: for each option, how many learners "
                f"predicted it and how many saw the model show it. Most predicted: "
                f"{describe_prediction(question, top[0])} ({top[1]} of "
                f"{len(s.first_predictions)}); the model most often showed: "
                f"{describe_prediction(question, model) if model else 'no result recorded'}.")
    else:
        unit = f" ({question.unit})" if question.unit else ""
        fig = go.Figure([go.Histogram(x=list(s.first_predictions), name="class predicted",
                                      marker_color=_ORANGE, marker_pattern_shape="/")])
        if s.observed:
            model_values = sorted(set(float(v) for v in s.observed))
            fig.add_trace(go.Scatter(x=model_values, y=[0] * len(model_values), mode="markers",
                                     marker={"symbol": "diamond", "size": 14, "color": _BLUE},
                                     name="the model gave"))
        fig.update_layout(xaxis_title=f"prediction{unit}", yaxis_title="learners")
        values = sorted(float(v) for v in s.first_predictions)
        median = values[len(values) // 2]
        text = (f"Histogram of the class's first predictions for {question.id}{unit}; diamonds "
                f"on the axis mark the model's results. Median prediction {median:g}.")
    fig.update_layout(title=f"{bank.notebook} · {question.id}: predictions and the model",
                      height=360, legend={"orientation": "h", "y": -0.25})
    return fig, text


def _objectives_figure(stats: ClassStats) -> tuple[Any, str] | None:
    import plotly.graph_objects as go

    rows = [(k, v) for k, v in stats.objectives.items() if v[1]]
    if not rows:
        return None
    labels = [f"{nb[:2]} · {_short(text, 60)}" for (nb, text), _v in rows]
    shares = [100.0 * met / known for _k, (met, known) in rows]
    fig = go.Figure(go.Bar(x=shares, y=labels, orientation="h", marker_color=_GREEN,
                           text=[f"{v:.0f} % of {known}" for v, (_k, (_m, known)) in
                                 zip(shares, rows)], textposition="auto",
                           name="met the objective"))
    fig.update_layout(title="Objectives: learners who met each one",
                      xaxis={"title": "learners who met it (%)", "range": [0, 100]},
                      yaxis={"autorange": "reversed"}, height=120 + 28 * len(rows))
    text = ("Horizontal bar chart, one bar per objective that quiz questions check, in course "
            "order; x is the share of learners whose record says it is met.")
    return fig, text


_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.45;
       max-width: 70rem; margin: 1.5rem auto; padding: 0 1rem; color: #1a1a1a; background: #fff; }
table { border-collapse: collapse; width: 100%; margin: 0.6rem 0; }
caption { text-align: left; font-weight: 600; }
th, td { border: 1px solid #767676; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; } figure { margin: 1rem 0; } figcaption { font-size: 0.9rem; }
@media print { body { max-width: none; } figure, tr { break-inside: avoid; } }
"""


def report_html(read: ReadResult, stats: ClassStats, banks: Sequence[Bank]) -> str:
    """The whole report page. plotly's JavaScript is embedded once (first figure)."""
    figure = _FigureWriter()
    parts = [f"<h1>Class report: Can neuropathic pain go away?</h1>"
             f"<p>{stats.learners} learners (one record each; course version "
             f"{_e(stats.current_version)}). Summary:</p><pre>"
             + _e("\n".join(summary_lines(read, stats, banks))) + "</pre>"]
    parts.append("<h2>Right at the first try, per question</h2>")
    for bank in banks:
        made = _first_try_figure(bank, stats)
        if made:
            parts.append(figure(*made))
    parts.append("<h2>Predictions beside the model's results</h2>")
    for bank in banks:
        for q in bank.questions:
            if isinstance(q, PredictQuestion):
                made = _prediction_figure(bank, q, stats.questions[(bank.notebook, q.id)])
                if made:
                    parts.append(figure(*made))
    parts.append("<h2>Distractors chosen most often (first try)</h2>")
    rows = top_distractors(stats, banks)
    parts.append(
        "<table><caption>Wrong options picked most at the first try, with the misconception "
        "each one targets</caption><tr><th scope='col'>Question</th><th scope='col'>Option "
        "chosen</th><th scope='col'>Learners</th><th scope='col'>Misconception it targets "
        "(the feedback learners saw)</th></tr>"
        + "".join(f"<tr><td>{_e(_short(r['prompt'], 120))}<br><small>{_e(r['notebook'])} · "
                  f"{_e(r['question_id'])}</small></td>"
                  f"<td>{_e(r['option'])}</td><td>{100 * r['share']:.0f} % "
                  f"({r['count']} of {r['answered']})</td><td>{_e(r['misconception'])}</td></tr>"
                  for r in rows) + "</table>")
    parts.append("<h2>Objectives</h2>")
    made = _objectives_figure(stats)
    parts.append(figure(*made) if made else "<p>No objective could be judged: the course map "
                                             "names no quiz question that checks one, or no "
                                             "record answers them.</p>")
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>Class report</title><style>{_CSS}</style></head><body><main>"
            + "".join(parts) + "</main></body></html>\n")


def build_report(paths: Sequence[str | Path], out: str | Path,
                 banks: Sequence[Bank] | None = None, course: Iterable[Any] | None = None
                 ) -> tuple[ReadResult, ClassStats, list[str]]:
    """Read, pool and write the report (only when at least one record was read)."""
    if banks is None:
        from .loader import load_all_banks

        banks = load_all_banks()
    if course is None:
        from ..syllabus import COURSE as course
    course = list(course)
    read = read_records(paths)
    stats = class_stats(read.records, banks, course)
    lines = summary_lines(read, stats, banks)
    if read.records:
        Path(out).write_text(report_html(read, stats, banks), encoding="utf-8")
    return read, stats, lines


def cmd_report(paths: Sequence[str], out: str) -> int:
    """The CLI command: skipped files on stderr, summary on stdout. 0 if a record was read."""
    started = time.perf_counter()
    read, _stats, lines = build_report(paths, out)
    for path, reason in read.skipped:
        print(f"skipped {path}: {reason}", file=sys.stderr)
    for line in lines:  # the summary repeats the skipped files, with reasons, on stdout
        print(line)
    if not read.records:
        print("ERROR: no learner's record could be read, so no report was written.",
              file=sys.stderr)
        return 1
    size = Path(out).stat().st_size
    print(f"wrote {out} ({size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
    return 0
