"""Progress store under hostile conditions (issue 9, items 16-19): symlinks, full disks,
read-only directories, odd files, killed writes, odd directory names."""

from __future__ import annotations

import errno
import json
import os
import stat
import warnings
from pathlib import Path

import pytest

from course_lib.quiz import ProgressStore, ProgressWarning, progress_summary
from course_lib.quiz.progress import default_directory

NB00, NB01 = "00_start_here", "01_what_is_neuropathic_pain"


def saved_at(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def attempts(data: dict, notebook: str, qid: str) -> int:
    return data["notebooks"][notebook]["questions"][qid]["attempts"]



# ----------------------------------------------------------------------------- item 16

def test_a_symlinked_progress_file_is_written_through_to_its_target(tmp_path):
    persistent = tmp_path / "persistent"
    persistent.mkdir()
    target = persistent / "my-progress.json"
    home = tmp_path / "home"
    home.mkdir()
    ProgressStore(persistent).record_attempt(NB00, "run_a_cell", correct=True, score=1.0)
    os.replace(persistent / "progress.json", target)
    (home / "progress.json").symlink_to(target)
    store = ProgressStore(home)
    store.record_attempt(NB01, "causes", correct=True, score=1.0)
    assert (home / "progress.json").is_symlink()  # the link survives the save
    data = saved_at(target)
    assert attempts(data, NB00, "run_a_cell") == 1 and attempts(data, NB01, "causes") == 1
    assert not list(home.glob(".progress-*"))  # no temporary file left beside the link


@pytest.mark.parametrize("content", [b"my diary: not JSON", b'{"a": "valid JSON, not progress"}'])
def test_a_symlink_to_a_file_that_is_not_progress_never_changes_that_file(tmp_path, content):
    """Issue 23 item 6: the link's target is the learner's own file; it keeps its content, mode and
    place, the link is set aside in the store's folder, and the warning names full paths."""
    other = tmp_path / "documents"
    other.mkdir()
    target = other / "notes.txt"
    target.write_bytes(content)
    target.chmod(0o644)
    home = tmp_path / "home"
    home.mkdir()
    (home / "progress.json").symlink_to(target)
    store = ProgressStore(home)
    with pytest.warns(ProgressWarning) as caught:
        store.record_attempt(NB01, "causes", correct=True, score=1.0)
    assert target.read_bytes() == content and stat.S_IMODE(target.stat().st_mode) == 0o644
    # nothing moved into its folder (the lock sits beside whatever file the link names, so that two
    # links to one file share it)
    assert sorted(p.name for p in other.iterdir()) == ["notes.txt", "notes.txt.lock"]
    aside = list(home.glob("progress.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].is_symlink() and aside[0].resolve() == target.resolve()
    assert not (home / "progress.json").is_symlink()
    assert attempts(saved_at(home / "progress.json"), NB01, "causes") == 1
    message = str(caught[0].message)
    assert str(target) in message and str(aside[0]) in message and "untouched" in message


def test_a_dangling_symlink_creates_its_target(tmp_path):
    (tmp_path / "persistent").mkdir()
    target = tmp_path / "persistent" / "progress.json"
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "progress.json").symlink_to(target)
    ProgressStore(tmp_path / "home").record_attempt(NB01, "causes", correct=True, score=1.0)
    assert (tmp_path / "home" / "progress.json").is_symlink()
    assert attempts(saved_at(target), NB01, "causes") == 1


@pytest.mark.parametrize("victim_exists", [False, True])
def test_the_lock_file_never_follows_a_planted_symlink(store, tmp_path, victim_exists):
    store.directory.mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    if victim_exists:
        victim.write_text("precious")
        victim.chmod(0o644)
    (store.directory / "progress.json.lock").symlink_to(victim)
    store.record_attempt(NB01, "causes", correct=True, score=1.0)
    assert store.question_record(NB01, "causes")["attempts"] == 1
    if victim_exists:
        assert victim.read_text() == "precious"
        assert stat.S_IMODE(victim.stat().st_mode) == 0o644
    else:
        assert not victim.exists()
    assert not (store.directory / "progress.json.lock").is_symlink()


def test_the_files_permission_bits_are_kept(store):
    store.record_attempt(NB01, "causes", correct=True, score=1.0)
    store.path.chmod(0o640)
    store.record_attempt(NB01, "causes", correct=True, score=1.0)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o640
    store.path.chmod(0o604)
    store.record_attempt(NB01, "causes", correct=True, score=1.0)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o604


# ----------------------------------------------------------------------------- item 17

def _fail_writes(store: ProgressStore, monkeypatch, times: int) -> list[int]:
    calls = []
    real = store._write_unlocked

    def flaky(data):
        calls.append(1)
        if len(calls) <= times:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(data)

    monkeypatch.setattr(store, "_write_unlocked", flaky)
    return calls


def test_a_transient_disk_failure_keeps_answers_and_retries_on_the_next_save(store, monkeypatch):
    store.record_attempt(NB00, "run_a_cell", correct=True, score=1.0)
    _fail_writes(store, monkeypatch, times=1)
    with pytest.warns(ProgressWarning, match="cannot be saved"):
        store.record_attempt(NB01, "causes", correct=False, score=0.5)
    assert store.question_record(NB01, "causes")["attempts"] == 1  # kept in memory
    assert NB01 not in saved_at(store.path)["notebooks"]
    # Another kernel saves meanwhile; it must not be lost when this one catches up.
    ProgressStore(store.directory).record_attempt(NB01, "prevalence", correct=True, score=1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        record = store.record_attempt(NB01, "causes", correct=True, score=1.0)
    assert record["attempts"] == 2
    data = saved_at(store.path)
    assert attempts(data, NB01, "causes") == 2  # the answer kept in memory reached the disk
    assert attempts(data, NB01, "prevalence") == 1 and attempts(data, NB00, "run_a_cell") == 1
    assert data["notebooks"][NB01]["questions"]["causes"]["best_score"] == 1.0


def test_several_failures_in_a_row_warn_once_and_lose_nothing(store, monkeypatch):
    _fail_writes(store, monkeypatch, times=3)
    with pytest.warns(ProgressWarning):
        for _ in range(3):
            store.record_attempt(NB01, "causes", correct=False, score=0.0)
    store.record_reveal(NB01, "causes")  # the 4th save reaches the disk
    record = saved_at(store.path)["notebooks"][NB01]["questions"]["causes"]
    assert record["attempts"] == 3 and record["revealed"] is True


# ----------------------------------------------------------------------------- item 18

def test_a_read_only_directory_still_shows_saved_answers(store, monkeypatch):
    store.record_attempt(NB01, "causes", correct=True, score=1.0)

    def refuse(*_args, **_kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(store, "_open_lock", refuse)
    with pytest.warns(ProgressWarning, match="cannot be saved"):
        record = store.question_record(NB01, "causes")
    assert record is not None and record["attempts"] == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said once
        again = store.record_attempt(NB01, "causes", correct=True, score=1.0)
        assert again["attempts"] == 2  # counted in this session on top of what was saved
        assert store.question_record(NB01, "causes")["attempts"] == 2
    assert attempts(saved_at(store.path), NB01, "causes") == 1  # the file was not touched


# ----------------------------------------------------------------------------- item 19

def _write_raw(store: ProgressStore, raw: bytes) -> None:
    store.directory.mkdir(parents=True, exist_ok=True)
    store.path.write_bytes(raw)


@pytest.mark.parametrize("raw, why", [
    (b'{"notebooks": {"\xff\xfe": 1}}', "UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "nested"),
    (b'{"notebooks": ' * 5000 + b"{}" + b"}" * 5000, "nested"),
])
def test_unreadable_files_are_set_aside_never_raised(store, raw, why):
    _write_raw(store, raw)
    with pytest.warns(ProgressWarning, match=why):
        assert store.notebook_records(NB01) == {}
    aside = list(store.directory.glob("progress.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == raw
    store.record_attempt(NB01, "causes", correct=True, score=1.0)
    assert attempts(saved_at(store.path), NB01, "causes") == 1


def test_a_byte_order_mark_is_read_not_set_aside(store):
    store.record_attempt(NB01, "causes", correct=True, score=1.0)
    store.path.write_bytes(b"\xef\xbb\xbf" + store.path.read_bytes())  # saved by a Windows editor
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert store.question_record(NB01, "causes")["attempts"] == 1
        store.record_attempt(NB01, "causes", correct=True, score=1.0)
    assert attempts(saved_at(store.path), NB01, "causes") == 2
    assert not list(store.directory.glob("progress.json.corrupt-*"))


def test_an_integer_longer_than_4300_digits_does_not_cost_the_other_records(store):
    store.record_attempt(NB00, "run_a_cell", correct=True, score=1.0)
    text = store.path.read_text()
    data = json.loads(text)
    data["notebooks"][NB01] = {"questions": {"causes": {"attempts": 0}}}
    huge = "9" * 5000
    text = json.dumps(data).replace('"attempts": 0', f'"attempts": {huge}')
    store.path.write_text(text)
    record = store.record_attempt(NB01, "causes", correct=True, score=1.0)
    assert record["attempts"] == 1  # the unreadable count is repaired, not raised
    assert attempts(saved_at(store.path), NB00, "run_a_cell") == 1
    rows = {r.notebook: r for r in progress_summary(store)}
    assert rows[NB00].attempted == 1


@pytest.mark.parametrize("old_aside", [["an", "old", "list"], "text", 7])
def test_a_non_dict_set_aside_is_kept_and_still_used(store, old_aside):
    store.record_attempt(NB00, "run_a_cell", correct=True, score=1.0)
    data = saved_at(store.path)
    data["set_aside"] = old_aside
    data["notebooks"][NB01] = "garbage"
    store.path.write_text(json.dumps(data))
    with pytest.warns(ProgressWarning, match="set aside"):
        store.record_attempt(NB01, "causes", correct=True, score=1.0)
    after = saved_at(store.path)
    assert old_aside in after["set_aside"].values() and "garbage" in after["set_aside"].values()
    assert attempts(after, NB01, "causes") == 1


def test_temporary_files_left_by_a_killed_write_are_cleaned_up(store):
    store.record_attempt(NB00, "run_a_cell", correct=True, score=1.0)
    for k in range(3):  # what a kernel killed between writing and renaming leaves behind
        (store.directory / f".progress-killed{k}.tmp").write_text('{"half": ')
    store.record_attempt(NB01, "causes", correct=True, score=1.0)
    left = sorted(p.name for p in store.directory.iterdir())
    assert left == ["progress.json", "progress.json.lock"]


def test_tilde_is_expanded_and_a_relative_directory_made_absolute(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COURSE_PROGRESS_DIR", "~/course")
    assert default_directory() == tmp_path / "home" / "course"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COURSE_PROGRESS_DIR", "relative/dir")
    assert default_directory() == tmp_path / "relative" / "dir"
    assert default_directory().is_absolute()
    store = ProgressStore("relative/other")
    monkeypatch.chdir(tmp_path / "home" if (tmp_path / "home").exists() else "/")
    store.record_attempt(NB01, "causes", correct=True, score=1.0)  # still where it was named
    assert (tmp_path / "relative" / "other" / "progress.json").is_file()
    assert ProgressStore("~/x").directory == tmp_path / "home" / "x"


# ----------------------------------------------------------------------------- fuzz

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["questions", "attempts", "best_score", "revealed", "kind", "matched",
                         "hints_used", "causes", NB01, "x"]), inner, max_size=4),
    max_leaves=10)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(where=st.sampled_from(["file", "notebooks", "notebook", "questions", "record", "set_aside"]),
       value=_json)
def test_no_saved_content_can_raise_into_a_notebook(tmp_path_factory, where, value):
    """Whatever sits in the file (hand-edited, older versions, another program), reading,
    saving and summarising give results and at most a ProgressWarning."""
    store = ProgressStore(tmp_path_factory.mktemp("fuzz"))
    store.directory.mkdir(parents=True, exist_ok=True)
    data = {"format": "neuropathic-pain-course/progress", "version": 1,
            "notebooks": {NB01: {"questions": {"causes": {"attempts": 1}}}}}
    if where == "file":
        data = value
    elif where == "notebooks":
        data["notebooks"] = value
    elif where == "notebook":
        data["notebooks"][NB01] = value
    elif where == "questions":
        data["notebooks"][NB01]["questions"] = value
    elif where == "record":
        data["notebooks"][NB01]["questions"]["causes"] = value
    else:
        data["set_aside"] = value
    store.path.write_text(json.dumps(data), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProgressWarning)
        store.question_record(NB01, "causes")
        record = store.record_attempt(NB01, "causes", correct=True, score=1.0, kind="multiple")
        store.record_reveal(NB01, "causes")
        rows = progress_summary(store)
    assert record["attempts"] >= 1
    assert all(0.0 <= r.score_percent <= 100.0 for r in rows)
    assert store.question_record(NB01, "causes")["revealed"] is True
