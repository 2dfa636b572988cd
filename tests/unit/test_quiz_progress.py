"""Progress store: location, atomic locked read-merge-write, two processes, corruption."""

from __future__ import annotations

import json
import multiprocessing
import os
import warnings
from pathlib import Path

import pytest

from course_lib.quiz import ProgressStore, ProgressWarning, load_bank, progress_summary, reset_progress
from course_lib.quiz.progress import default_directory, get_store, status_text

FIXTURES = Path(__file__).parent / "fixtures" / "quiz"
NB00, NB01 = "00_start_here", "01_what_is_neuropathic_pain"



def saved(store: ProgressStore) -> dict:
    return json.loads(store.path.read_text())


# ----------------------------------------------------------------------------- location

def test_env_var_overrides_the_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(tmp_path / "elsewhere"))
    assert default_directory() == tmp_path / "elsewhere"
    get_store().record_attempt(NB00, "run_a_cell", correct=True, score=1.0)
    assert (tmp_path / "elsewhere" / "progress.json").is_file()


def test_default_is_the_jupyter_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_PROGRESS_DIR", raising=False)
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jdata"))
    assert default_directory() == tmp_path / "jdata" / "neuropathic-pain-course"


# ----------------------------------------------------------------------------- records

def test_attempts_accumulate_and_best_score_is_kept(store):
    store.record_attempt(NB01, "causes", correct=False, score=0.75, kind="multiple")
    record = store.record_attempt(NB01, "causes", correct=False, score=0.25, kind="multiple")
    assert record["attempts"] == 2 and record["best_score"] == 0.75 and record["last_score"] == 0.25
    assert status_text(store.question_record(NB01, "causes")) == "Attempted 2 times, last not yet correct."
    store.record_attempt(NB01, "causes", correct=True, score=1.0)
    store.record_reveal(NB01, "causes")
    assert status_text(store.question_record(NB01, "causes")) == \
        "Attempted 3 times, last correct; answer shown."
    assert status_text(None) == "Not attempted yet."


def test_writes_are_atomic_and_leave_no_temporary_files(store):
    for k in range(5):
        store.record_attempt(NB01, f"q{k}", correct=True, score=1.0)
    leftovers = [p.name for p in store.directory.iterdir()
                 if p.name not in ("progress.json", "progress.json.lock")]
    assert leftovers == []
    assert len(saved(store)["notebooks"][NB01]["questions"]) == 5


def test_reset_one_notebook_or_everything(store):
    store.record_attempt(NB00, "run_a_cell", correct=True, score=1.0)
    store.record_attempt(NB01, "causes", correct=True, score=1.0)
    reset_progress(NB00, store=store)
    assert store.notebook_records(NB00) == {} and "causes" in store.notebook_records(NB01)
    reset_progress(store=store)
    assert saved(store)["notebooks"] == {}


def test_summary_rows_across_notebooks(store):
    store.record_attempt(NB01, "causes", correct=False, score=0.5)
    store.record_attempt(NB01, "prevalence", correct=True, score=1.0)
    store.record_attempt("99_retired", "old", correct=True, score=1.0)
    rows = {r.notebook: r for r in progress_summary(store)}
    n01 = len(load_bank(NB01).questions)
    assert rows[NB01].questions == n01 and rows[NB01].attempted == 2 and rows[NB01].correct == 1
    assert rows[NB01].score_percent == pytest.approx(100 * 1.5 / n01)
    assert rows[NB00].attempted == 0 and rows[NB00].score_percent == 0.0
    assert rows["99_retired"].attempted == 1  # progress without a bank is still listed


def test_predictions_are_counted_apart_from_the_score(store):
    bank = load_bank(FIXTURES / "predict_demo.yaml")
    store.record_attempt(bank.notebook, "demo_spikes", correct=False, score=0.0, kind="predict",
                         matched=False)
    store.record_attempt(bank.notebook, "demo_single", correct=True, score=1.0)
    (row,) = store.summary([bank])
    assert (row.questions, row.correct, row.score_percent) == (1, 1, 100.0)
    assert (row.predictions, row.predictions_made, row.predictions_matched) == (2, 1, 0)


# ----------------------------------------------------------------------------- concurrency

def _save_many(directory: str, worker: int, count: int, halfway) -> None:
    store = ProgressStore(directory)
    for k in range(count):
        store.record_attempt(NB01, f"worker{worker}_q{k}", correct=True, score=1.0)
        store.record_attempt(NB01, "shared", correct=k % 2 == 0, score=0.5)
        if k == count // 2:
            # both workers meet halfway, so the second half of their saves really overlaps (without
            # this, one process could finish before the other starts and the test would prove nothing)
            halfway.wait(timeout=120)


def test_two_processes_saving_at_once_lose_nothing(store):
    store.record_attempt(NB00, "run_a_cell", correct=True, score=1.0)  # must survive
    count = 60
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    halfway = ctx.Barrier(2)
    workers = [ctx.Process(target=_save_many, args=(str(store.directory), w, count, halfway))
               for w in (1, 2)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(timeout=120)
        assert p.exitcode == 0
    questions = saved(store)["notebooks"][NB01]["questions"]
    assert questions["shared"]["attempts"] == 2 * count
    for w in (1, 2):
        assert all(f"worker{w}_q{k}" in questions for k in range(count))
    assert saved(store)["notebooks"][NB00]["questions"]["run_a_cell"]["attempts"] == 1


# ----------------------------------------------------------------------------- corruption

@pytest.mark.parametrize("content", ["{not json", "[1, 2, 3]", '{"notebooks": "oops"}', "\x00\xff"])
def test_corrupt_file_is_set_aside_with_a_warning_and_a_fresh_one_started(store, content):
    store.directory.mkdir(parents=True)
    store.path.write_text(content, encoding="utf-8", errors="surrogateescape")
    with pytest.warns(ProgressWarning, match="could not be read"):
        record = store.record_attempt(NB01, "causes", correct=True, score=1.0)
    assert record["attempts"] == 1
    aside = list(store.directory.glob("progress.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text(errors="surrogateescape") == content
    assert saved(store)["notebooks"][NB01]["questions"]["causes"]["attempts"] == 1


def test_reading_a_corrupt_file_never_raises(store):
    store.directory.mkdir(parents=True)
    store.path.write_text("{{{", encoding="utf-8")
    with pytest.warns(ProgressWarning):
        assert store.notebook_records(NB01) == {}


def test_a_bad_entry_for_one_notebook_keeps_the_others(store):
    store.record_attempt(NB00, "run_a_cell", correct=True, score=1.0)
    data = saved(store)
    data["notebooks"][NB01] = "garbage"
    data["notebooks"][NB00]["questions"]["odd"] = ["not", "a", "record"]
    store.path.write_text(json.dumps(data))
    with pytest.warns(ProgressWarning, match="set aside"):
        store.record_attempt(NB01, "causes", correct=True, score=1.0)
    after = saved(store)
    assert after["notebooks"][NB00]["questions"]["run_a_cell"]["attempts"] == 1
    assert after["notebooks"][NB00]["questions"]["odd"] == ["not", "a", "record"]  # untouched
    assert after["notebooks"][NB01]["questions"]["causes"]["attempts"] == 1
    assert "garbage" in after["set_aside"].values()
    assert not list(store.directory.glob("progress.json.corrupt-*"))


def test_malformed_counts_inside_a_record_are_repaired(store):
    store.record_attempt(NB01, "causes", correct=True, score=1.0)
    data = saved(store)
    data["notebooks"][NB01]["questions"]["causes"].update(attempts="many", best_score=None)
    store.path.write_text(json.dumps(data))
    record = store.record_attempt(NB01, "causes", correct=False, score=0.5)
    assert record["attempts"] == 1 and record["best_score"] == 0.5


def test_unwritable_directory_falls_back_to_memory_with_a_warning(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a directory")
    store = ProgressStore(blocker / "progress")  # mkdir fails, even as root
    with pytest.warns(ProgressWarning, match="cannot be saved"):
        store.record_attempt(NB01, "causes", correct=True, score=1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # warned once, then quiet
        record = store.record_attempt(NB01, "causes", correct=True, score=1.0)
    assert record["attempts"] == 2
    assert store.question_record(NB01, "causes")["attempts"] == 2
    assert not os.path.exists(blocker / "progress")
