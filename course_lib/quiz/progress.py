"""Local progress store: attempts and scores as JSON in the learner's Jupyter data directory.

Where: ``jupyter_data_dir()/neuropathic-pain-course/progress.json``, or the directory named
by the environment variable ``COURSE_PROGRESS_DIR`` (tests, shared machines).

How it stays safe:
- Every change is read-merge-write under an exclusive ``fcntl.flock`` on a separate lock file
  (``progress.json.lock``): the file is re-read inside the lock, only the one record being
  changed is touched, and everything else is written back as it was. Two kernels (two
  notebooks open at once) saving at the same moment therefore lose nothing.
- Writes are atomic: a temporary file in the same directory, flushed and fsynced, then
  ``os.replace``. A reader sees the old file or the new one, never half of one.
- A file that is not valid JSON (or not a progress file) is renamed aside to
  ``progress.json.corrupt-<timestamp>`` with a warning and a fresh file is started. A single
  malformed notebook or question entry inside an otherwise valid file is moved under
  ``"set_aside"`` in the same file; other notebooks' progress is kept.
- If the directory cannot be written (read-only home on some hubs), the store warns once and
  keeps progress in memory for the session: a learner's notebook never crashes over it.

On Windows (no fcntl) writes are still atomic but not locked against a second kernel.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

ENV_VAR = "COURSE_PROGRESS_DIR"
APP_DIR_NAME = "neuropathic-pain-course"
FILE_NAME = "progress.json"
FORMAT = "neuropathic-pain-course/progress"
VERSION = 1


class ProgressWarning(UserWarning):
    """Progress could not be read or saved as expected; the notebook carries on."""


def default_directory() -> Path:
    """The progress directory: ``$COURSE_PROGRESS_DIR`` or the Jupyter data directory."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser()
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / APP_DIR_NAME


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _empty() -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "notebooks": {}}


def _is_progress_file(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("notebooks"), dict)


def _clean_number(value: Any, default: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return default
    return float(value)


@dataclass(frozen=True)
class SummaryRow:
    """One notebook's line in the progress table."""

    notebook: str
    title: str
    questions: int          # gradable questions in the bank (predictions counted apart)
    attempted: int          # gradable questions tried at least once
    correct: int            # gradable questions whose last answer was correct
    score_percent: float    # mean best score over the bank's gradable questions, 0..100
    predictions: int        # predict questions in the bank
    predictions_made: int   # predictions compared with a lab's result
    predictions_matched: int


class ProgressStore:
    """Read and update the progress file. Cheap to create; holds no file open."""

    def __init__(self, directory: str | Path | None = None):
        self.directory = Path(directory) if directory is not None else default_directory()
        self.path = self.directory / FILE_NAME
        self.lock_path = self.directory / (FILE_NAME + ".lock")
        self._memory: dict[str, Any] | None = None  # set when the disk cannot be used

    # ------------------------------------------------------------------ low level

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a+") as lock_file:
            if fcntl is not None:
                fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                if fcntl is not None:
                    fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)

    def _set_aside_corrupt(self, reason: str) -> None:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.path.with_name(f"{FILE_NAME}.corrupt-{stamp}")
        os.replace(self.path, target)
        warnings.warn(
            f"Your quiz progress file {self.path} could not be read ({reason}). It was kept as "
            f"{target.name} and a fresh progress file was started.",
            ProgressWarning, stacklevel=4,
        )

    def _read_unlocked(self) -> dict[str, Any]:
        """Read the file; a corrupt one is set aside (call this only inside the lock)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return _empty()
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            self._set_aside_corrupt(f"not valid JSON: {exc}")
            return _empty()
        if not _is_progress_file(data):
            self._set_aside_corrupt("it is not a quiz progress file")
            return _empty()
        return data

    def _write_unlocked(self, data: dict[str, Any]) -> None:
        handle = tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=self.directory, prefix=".progress-", suffix=".tmp",
            delete=False,
        )
        try:
            with handle:
                json.dump(data, handle, indent=1, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(handle.name, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(handle.name)
            raise

    def _fall_back_to_memory(self, exc: OSError, data: dict[str, Any] | None) -> dict[str, Any]:
        warnings.warn(
            f"Quiz progress cannot be saved in {self.directory} ({exc}). Your answers still "
            "count in this session but will not be remembered after the kernel restarts.",
            ProgressWarning, stacklevel=4,
        )
        self._memory = data if data is not None else _empty()
        return self._memory

    def read(self) -> dict[str, Any]:
        """The whole progress data (a fresh copy)."""
        if self._memory is not None:
            return json.loads(json.dumps(self._memory))
        try:
            with self._locked():
                return self._read_unlocked()
        except OSError as exc:
            return json.loads(json.dumps(self._fall_back_to_memory(exc, None)))

    def update(self, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        """Apply ``change`` to freshly read data inside the lock and save it atomically."""
        if self._memory is not None:
            change(self._memory)
            return self._memory
        data: dict[str, Any] | None = None
        try:
            with self._locked():
                data = self._read_unlocked()
                change(data)
                self._write_unlocked(data)
                return data
        except OSError as exc:
            memory = self._fall_back_to_memory(exc, data)
            if data is None:
                change(memory)
            return memory

    # ------------------------------------------------------------------ records

    @staticmethod
    def _notebook_entry(data: dict[str, Any], notebook: str) -> dict[str, Any]:
        """The notebook's entry, created if needed; a malformed one is set aside, not lost."""
        notebooks = data["notebooks"]
        entry = notebooks.get(notebook)
        if entry is not None and not (isinstance(entry, dict)
                                      and isinstance(entry.get("questions"), dict)):
            data.setdefault("set_aside", {})[f"{notebook}@{_now()}"] = entry
            warnings.warn(f"The saved progress for {notebook} was unreadable and was set aside "
                          "inside the progress file; other notebooks are unaffected.",
                          ProgressWarning, stacklevel=5)
            entry = None
        if entry is None:
            entry = notebooks[notebook] = {"questions": {}}
        return entry

    @staticmethod
    def _question_entry(data: dict[str, Any], notebook_entry: dict[str, Any], notebook: str,
                        question_id: str) -> dict[str, Any]:
        questions = notebook_entry["questions"]
        record = questions.get(question_id)
        if record is not None and not isinstance(record, dict):
            data.setdefault("set_aside", {})[f"{notebook}/{question_id}@{_now()}"] = record
            record = None
        if record is None:
            record = questions[question_id] = {"attempts": 0, "first_seen": _now()}
        record["attempts"] = int(_clean_number(record.get("attempts"), 0))
        return record

    def record_attempt(self, notebook: str, question_id: str, *, correct: bool, score: float,
                       kind: str = "", hints_used: int = 0, **extra: Any) -> dict[str, Any]:
        """Count one checked answer. Returns the question's updated record.

        Once the answer has been shown (``revealed``, in this session or an earlier one), a
        later answer still counts as an attempt but cannot raise ``best_score``: copying the
        shown answer is not the same as knowing it. Such a record carries
        ``answered_after_reveal`` and the summary does not count it as correct.
        """
        result: dict[str, Any] = {}

        def change(data: dict[str, Any]) -> None:
            entry = self._notebook_entry(data, notebook)
            record = self._question_entry(data, entry, notebook, question_id)
            record["attempts"] += 1
            record["last_correct"] = bool(correct)
            record["last_score"] = float(score)
            best = _clean_number(record.get("best_score"), 0.0)
            if record.get("revealed") is True:
                record["answered_after_reveal"] = True
            else:
                best = max(float(score), best)
            record["best_score"] = best
            record["hints_used"] = max(int(hints_used),
                                       int(_clean_number(record.get("hints_used"), 0)))
            if kind:
                record["kind"] = kind
            record.update(extra)
            record["updated"] = _now()
            result.clear()
            result.update(record)

        self.update(change)
        return result

    def record_result(self, notebook: str, question_id: str, **fields: Any) -> dict[str, Any]:
        """Update a question's record without counting an attempt (a lab re-reporting on a
        prediction already counted). Returns the updated record."""
        result: dict[str, Any] = {}

        def change(data: dict[str, Any]) -> None:
            entry = self._notebook_entry(data, notebook)
            record = self._question_entry(data, entry, notebook, question_id)
            record.update(fields)
            record["updated"] = _now()
            result.clear()
            result.update(record)

        self.update(change)
        return result

    def record_reveal(self, notebook: str, question_id: str) -> None:
        """Remember that the learner asked to see (or was shown) the answer."""

        def change(data: dict[str, Any]) -> None:
            entry = self._notebook_entry(data, notebook)
            record = self._question_entry(data, entry, notebook, question_id)
            record["revealed"] = True
            record["updated"] = _now()

        self.update(change)

    def question_record(self, notebook: str, question_id: str) -> dict[str, Any] | None:
        record = self.notebook_records(notebook).get(question_id)
        return record if isinstance(record, dict) else None

    def notebook_records(self, notebook: str) -> dict[str, Any]:
        entry = self.read()["notebooks"].get(notebook)
        if isinstance(entry, dict) and isinstance(entry.get("questions"), dict):
            return entry["questions"]
        return {}

    def reset(self, notebook: str | None = None) -> None:
        """Forget one notebook's progress, or everything when ``notebook`` is None."""

        def change(data: dict[str, Any]) -> None:
            if notebook is None:
                data.clear()
                data.update(_empty())
            else:
                data["notebooks"].pop(notebook, None)

        self.update(change)

    def summary(self, banks: list[Any]) -> list[SummaryRow]:
        """One row per bank (course order), then rows for notebooks with progress but no bank."""
        notebooks = self.read()["notebooks"]
        rows = [self._row(bank.notebook, bank.title, bank.questions, notebooks.get(bank.notebook))
                for bank in banks]
        known = {bank.notebook for bank in banks}
        for name in sorted(set(notebooks) - known):
            rows.append(self._row(name, "(no question bank)", (), notebooks[name]))
        return rows

    @staticmethod
    def _row(notebook: str, title: str, questions: Any, entry: Any) -> SummaryRow:
        records = entry.get("questions", {}) if isinstance(entry, dict) else {}
        records = records if isinstance(records, dict) else {}

        def rec(qid: str) -> dict[str, Any]:
            r = records.get(qid)
            return r if isinstance(r, dict) else {}

        gradable = [q.id for q in questions if q.type != "predict"]
        predicts = [q.id for q in questions if q.type == "predict"]
        if not questions:  # progress for a notebook whose bank is gone: count what is saved
            gradable = [qid for qid in records if rec(qid).get("kind") != "predict"]
            predicts = [qid for qid in records if rec(qid).get("kind") == "predict"]
        attempted = [q for q in gradable if _clean_number(rec(q).get("attempts"), 0) > 0]
        best = [min(1.0, max(0.0, _clean_number(rec(q).get("best_score"), 0.0))) for q in gradable]
        made = [q for q in predicts if _clean_number(rec(q).get("attempts"), 0) > 0]
        return SummaryRow(
            notebook=notebook,
            title=title,
            questions=len(gradable),
            attempted=len(attempted),
            correct=sum(1 for q in gradable if rec(q).get("last_correct") is True
                        and rec(q).get("answered_after_reveal") is not True),
            score_percent=100.0 * sum(best) / len(gradable) if gradable else 0.0,
            predictions=len(predicts),
            predictions_made=len(made),
            predictions_matched=sum(1 for q in made if rec(q).get("matched") is True),
        )


def status_text(record: dict[str, Any] | None) -> str:
    """A sentence for a question's saved history, e.g. 'Attempted 2 times, last correct.'"""
    if not record or not _clean_number(record.get("attempts"), 0):
        return "Not attempted yet; answer shown." if record and record.get("revealed") \
            else "Not attempted yet."
    attempts = int(_clean_number(record.get("attempts"), 0))
    times = "once" if attempts == 1 else f"{attempts} times"
    if record.get("kind") == "predict":
        outcome = "last prediction matched the model" if record.get("matched") else \
            "last prediction differed from the model"
        return f"Predicted {times}, {outcome}."
    last = "last correct" if record.get("last_correct") else "last not yet correct"
    revealed = "; answer shown" if record.get("revealed") else ""
    return f"Attempted {times}, {last}{revealed}."


_stores: dict[Path, ProgressStore] = {}


def get_store() -> ProgressStore:
    """The store for the current ``COURSE_PROGRESS_DIR`` / Jupyter data dir (one per directory,
    so a memory fallback lasts the session)."""
    directory = default_directory()
    store = _stores.get(directory)
    if store is None:
        store = _stores[directory] = ProgressStore(directory)
    return store
