"""Local progress store: attempts and scores as JSON in the learner's Jupyter data directory.

Where: ``jupyter_data_dir()/neuropathic-pain-course/progress.json``, or the directory named
by the environment variable ``COURSE_PROGRESS_DIR`` (tests, shared machines).

How it stays safe:
- Every change is read-merge-write under an exclusive ``fcntl.flock`` on a separate lock file
  (``progress.json.lock``): the file is re-read inside the lock, only the one record being
  changed is touched, and everything else is written back as it was. Two kernels (two
  notebooks open at once) saving at the same moment therefore lose nothing.
- Writes are atomic: a temporary file in the same directory, flushed and fsynced, then
  ``os.replace``. A reader sees the old file or the new one, never half of one. The file's
  permission bits are kept. Temporary files left by a write that was killed half-way are
  removed by the next write (inside the lock, so no live writer owns them).
- A ``progress.json`` that is a symlink (to persistent storage, say) is written through to
  its target; the link stays. If the target is not quiz progress, it is never overwritten: the
  link is set aside in the store's folder and a fresh file started there. The lock file is opened with ``O_NOFOLLOW``: a symlink planted
  in its place is removed (the link, never its target) and a real lock file made instead.
- A file that is not UTF-8, not valid JSON, nested too deeply to parse, or not a progress
  file is renamed aside to ``progress.json.corrupt-<timestamp>`` with a warning and a fresh
  file is started. A UTF-8 byte order mark is read, not refused. A single malformed notebook
  or question entry inside an otherwise valid file is moved under ``"set_aside"`` in the same
  file; other notebooks' progress is kept. An integer too long to convert (over 4,000
  digits) is read as null and repaired when its record is next saved.
- If the disk cannot be written (read-only home on some hubs, a full disk), the store warns
  once and keeps the unsaved changes in memory. Saved progress is still read (without the
  lock when the lock cannot be made), so earlier answers stay visible. Every later save tries
  the disk again, replaying the kept changes onto the file as it is then: nothing is lost
  and nothing another kernel saved meanwhile is overwritten. A learner's notebook never
  crashes over any of this.

On Windows (no fcntl) writes are still atomic but not locked against a second kernel.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import re
import stat
import tempfile
import uuid
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


# Longer integers are refused by int() (Python's 4,300-digit limit) and are no count anyway.
_MAX_INT_DIGITS = 4000


def _absolute(directory: str | Path) -> Path:
    """``~`` expanded and made absolute now, so a later ``os.chdir`` cannot move the store.
    Symlinks are not resolved: the directory keeps the name the learner gave it."""
    return Path(os.path.abspath(Path(directory).expanduser()))


def default_directory() -> Path:
    """The progress directory: ``$COURSE_PROGRESS_DIR`` or the Jupyter data directory."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return _absolute(override)
    from jupyter_core.paths import jupyter_data_dir

    return _absolute(Path(jupyter_data_dir()) / APP_DIR_NAME)


def _parse_int(text: str) -> int | None:
    return int(text) if len(text.lstrip("-")) <= _MAX_INT_DIGITS else None


def _put_aside(data: dict[str, Any], key: str, value: Any) -> None:
    """Keep ``value`` under ``data["set_aside"][key]``; a ``set_aside`` that is not a mapping
    (edited by hand, written by something else) is itself kept inside the new mapping."""
    aside = data.get("set_aside")
    if not isinstance(aside, dict):
        aside = {} if aside is None else {f"set_aside@{_now()}": aside}
        data["set_aside"] = aside
    aside[key] = value


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _empty() -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "notebooks": {}}


_LEARNER_ID = re.compile(r"^[0-9a-f]{32}$")


def _is_learner_id(value: Any) -> bool:
    return isinstance(value, str) and _LEARNER_ID.match(value) is not None


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
        self.directory = _absolute(directory) if directory is not None else default_directory()
        self.path = self.directory / FILE_NAME
        # Changes not yet on disk, oldest first; replayed onto the file by the next save that
        # reaches the disk (a change re-reads what it changes, so replaying merges).
        self._pending: list[Callable[[dict[str, Any]], None]] = []
        self._offline = False  # warned that progress cannot be saved; reset once it can

    # ------------------------------------------------------------------ low level

    def target(self) -> Path:
        """The file actually written: ``progress.json``, or the file its symlink points to."""
        return Path(os.path.realpath(self.path))

    @property
    def lock_path(self) -> Path:
        target = self.target()
        return target.with_name(target.name + ".lock")

    def _open_lock(self) -> int:
        """Open (or create) the lock file without following a symlink planted in its place."""
        lock = self.lock_path
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        if os.path.islink(lock):  # lstat check, for systems without O_NOFOLLOW
            os.unlink(lock)  # removes the link only, never the file it points to
        try:
            return os.open(lock, flags, 0o600)
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
            os.unlink(lock)  # a link planted between the check and the open
            return os.open(lock, flags | os.O_EXCL, 0o600)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.target().parent.mkdir(parents=True, exist_ok=True)
        fd = self._open_lock()
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            if fcntl is not None:
                with contextlib.suppress(OSError):
                    fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _set_aside_corrupt(self, reason: str) -> None:
        """Move an unreadable progress file aside, in the store's own folder, and start afresh.

        When ``progress.json`` is a symlink, its target may be any file of the learner's: the
        link itself is set aside (still pointing at it) and the target is never renamed, rewritten
        or given new permissions.
        """
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        aside = self.path.with_name(f"{FILE_NAME}.corrupt-{stamp}")
        if os.path.islink(self.path):
            target = self.target()
            os.replace(self.path, aside)  # renames the link, not the file it points to
            message = (f"Your quiz progress file {self.path} is a link to {target}, which could not "
                       f"be read as quiz progress ({reason}). That file was left untouched; the link "
                       f"was kept as {aside} and a fresh progress file was started at {self.path}.")
        else:
            os.replace(self.path, aside)
            message = (f"Your quiz progress file {self.path} could not be read ({reason}). It was "
                       f"kept as {aside} and a fresh progress file was started.")
        warnings.warn(message, ProgressWarning, stacklevel=4)

    def _parse(self) -> tuple[dict[str, Any] | None, str]:
        """(data, "") for a good file or none at all; (None, reason) for an unreadable one."""
        try:
            raw = self.target().read_bytes()
        except FileNotFoundError:
            return _empty(), ""
        try:
            data = json.loads(raw.decode("utf-8-sig"), parse_int=_parse_int)
        except UnicodeDecodeError as exc:
            return None, f"it is not UTF-8 text: {exc.reason}"
        except RecursionError:
            return None, "it is nested too deeply to read"
        except ValueError as exc:  # JSONDecodeError is a ValueError
            return None, f"not valid JSON: {exc}"
        if not _is_progress_file(data):
            return None, "it is not a quiz progress file"
        return data, ""

    def _read_unlocked(self) -> dict[str, Any]:
        """Read the file; a corrupt one is set aside (call this only inside the lock)."""
        data, reason = self._parse()
        if data is None:
            self._set_aside_corrupt(reason)
            return _empty()
        return data

    def _read_quietly(self) -> dict[str, Any]:
        """Read without the lock and without changing anything on disk (read-only places)."""
        try:
            data, _reason = self._parse()
        except OSError:
            return _empty()
        return data if data is not None else _empty()

    def _remove_stale_temporaries(self, directory: Path) -> None:
        """Temporary files left by a write that was killed before its rename. Called inside
        the lock: every live writer holds it while its temporary file exists. Without
        ``fcntl`` (no lock) only files older than a minute are removed."""
        cutoff = datetime.now(timezone.utc).timestamp() - (0 if fcntl is not None else 60)
        for leftover in directory.glob(".progress-*.tmp"):
            with contextlib.suppress(OSError):
                if leftover.lstat().st_mtime <= cutoff:
                    leftover.unlink()

    def _write_unlocked(self, data: dict[str, Any]) -> None:
        target = self.target()
        self._remove_stale_temporaries(target.parent)
        try:
            mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            mode = None  # a new file stays private to the learner (mkstemp's 0600)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".progress-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=1, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            if mode is not None:
                os.chmod(temporary, mode)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise

    def _went_offline(self, exc: OSError) -> None:
        if self._offline:
            return  # said once per spell without a disk
        self._offline = True
        warnings.warn(
            f"Quiz progress cannot be saved in {self.directory} ({exc}). Answers saved earlier "
            "are still shown, and new answers count in this session; the course tries to save "
            "them again with every answer, but they may not be remembered after the kernel "
            "restarts.",
            ProgressWarning, stacklevel=4,
        )

    def _offline_view(self) -> dict[str, Any]:
        """What is saved on disk (read without the lock) plus the changes not yet saved."""
        data = self._read_quietly()
        for change in self._pending:
            change(data)
        return data

    @property
    def can_save(self) -> bool:
        """False while progress cannot reach the disk (changes are kept in memory)."""
        return not self._offline and not self._pending

    def read(self) -> dict[str, Any]:
        """The whole progress data (a fresh copy), unsaved changes included."""
        if self._pending:
            return self._offline_view()
        try:
            with self._locked():
                return self._read_unlocked()
        except OSError as exc:
            self._went_offline(exc)
            return self._read_quietly()

    def update(self, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        """Apply ``change`` to freshly read data inside the lock and save it atomically.

        If the disk fails, ``change`` is kept and replayed by the next save that succeeds."""
        self._pending.append(change)
        try:
            with self._locked():
                data = self._read_unlocked()
                for pending in self._pending:
                    pending(data)
                self._write_unlocked(data)
        except OSError as exc:
            self._went_offline(exc)
            return self._offline_view()
        self._pending.clear()
        self._offline = False
        return data

    # ------------------------------------------------------------------ records

    @staticmethod
    def _notebook_entry(data: dict[str, Any], notebook: str) -> dict[str, Any]:
        """The notebook's entry, created if needed; a malformed one is set aside, not lost."""
        notebooks = data["notebooks"]
        entry = notebooks.get(notebook)
        if entry is not None and not (isinstance(entry, dict)
                                      and isinstance(entry.get("questions"), dict)):
            _put_aside(data, f"{notebook}@{_now()}", entry)
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
            _put_aside(data, f"{notebook}/{question_id}@{_now()}", record)
            record = None
        if record is None:
            record = questions[question_id] = {"attempts": 0, "first_seen": _now()}
        record["attempts"] = max(0, int(_clean_number(record.get("attempts"), 0)))
        return record

    def record_attempt(self, notebook: str, question_id: str, *, correct: bool, score: float,
                       kind: str = "", hints_used: int = 0, answer: Any = None,
                       wrong: tuple[str, ...] | list[str] = (), **extra: Any) -> dict[str, Any]:
        """Count one checked answer. Returns the question's updated record.

        Once the answer has been shown (``revealed``, in this session or an earlier one), a
        later answer still counts as an attempt but cannot raise ``best_score``: copying the
        shown answer is not the same as knowing it. Such a record carries
        ``answered_after_reveal`` and the summary does not count it as correct.

        The first attempt is kept apart, for the learner's record and the class report:
        ``first_correct`` (right at the first try, with the answer not yet shown),
        ``first_score``, ``first_answer`` (the answer as JSON-safe data: an option id, a list
        of option ids, a number) and ``first_wrong`` (the option, item or step ids that
        were wrong at the first try: the distractors chosen).
        """
        result: dict[str, Any] = {}

        def change(data: dict[str, Any]) -> None:
            entry = self._notebook_entry(data, notebook)
            record = self._question_entry(data, entry, notebook, question_id)
            if record["attempts"] == 0:
                record["first_correct"] = bool(correct) and record.get("revealed") is not True
                record["first_score"] = float(score)
                record["first_answer"] = answer
                record["first_wrong"] = [str(w) for w in wrong]
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

    def learner_id(self) -> str:
        """A random id for this learner, made at first use and kept in the progress file.

        It tells an instructor's class report that two records come from the same person
        (the later one is kept) without anyone typing a name. It is random, not derived from
        anything about the learner or the computer. When the disk cannot be written, an id
        lives in memory for this session."""
        found = self.read().get("learner_id")
        if _is_learner_id(found):
            return found
        made: dict[str, str] = {}
        # Drawn once, outside the change: a change kept in memory is re-applied on every read.
        fresh = uuid.uuid4().hex

        def change(data: dict[str, Any]) -> None:
            if not _is_learner_id(data.get("learner_id")):  # another kernel may have made one
                data["learner_id"] = fresh
            made["id"] = data["learner_id"]

        self.update(change)
        return made["id"]

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
                learner = data.get("learner_id")
                data.clear()
                data.update(_empty())
                if _is_learner_id(learner):  # the same learner, starting again
                    data["learner_id"] = learner
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
