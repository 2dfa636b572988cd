"""Instructor CLI, run as a real subprocess: check, key, handout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from course_lib.quiz import load_bank

FIXTURES = Path(__file__).parent / "fixtures" / "quiz"
NB01 = "01_what_is_neuropathic_pain"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course_lib.quiz", *args],
                          capture_output=True, text=True, timeout=60)


def test_check_passes_on_the_shipped_banks():
    out = run("check")
    assert out.returncode == 0, out.stderr
    assert "00_start_here" in out.stdout and NB01 in out.stdout and "valid" in out.stdout


def test_check_fails_with_exit_1_and_says_where():
    bad = FIXTURES / "bad_answer.yaml"
    out = run("check", str(bad))
    assert out.returncode == 1
    assert "bad_answer.yaml" in out.stderr
    assert "question 'broken_question'" in out.stderr and "field 'answer'" in out.stderr


def test_check_also_runs_cross_bank_checks():
    demo = str(FIXTURES / "predict_demo.yaml")
    assert run("check", demo).returncode == 0
    assert run("check", demo, demo).returncode == 1  # the same predict ids twice


def test_key_prints_answers_and_explanations_as_markdown():
    out = run("key", NB01)
    assert out.returncode == 0, out.stderr
    bank = load_bank(NB01)
    assert out.stdout.startswith("# Answer key:")
    assert out.stdout.count("\n## ") == len(bank.questions)
    for q in bank.questions:
        assert q.explanation.split(".")[0] in out.stdout
    assert "Pain caused by a lesion or disease of the somatosensory nervous system **(correct)**" \
        in out.stdout
    assert "6.9 to 10 %" in out.stdout  # the prevalence range, with its source
    assert "van Hecke" in out.stdout


def test_key_without_a_notebook_covers_every_bank():
    out = run("key")
    assert out.returncode == 0 and "00_start_here" in out.stdout and NB01 in out.stdout


def test_handout_has_every_question_and_no_answers():
    out = run("handout", NB01)
    assert out.returncode == 0, out.stderr
    bank = load_bank(NB01)
    text = out.stdout
    for q in bank.questions:
        assert q.prompt.split(".")[0] in text
        assert q.explanation.split(".")[0] not in text
        for option in getattr(q, "options", ()):
            assert f"{option.text}" in text and option.feedback not in text
    assert "(correct)" not in text and "Source" not in text
    order = bank.get("becoming_chronic")
    listed = [line for line in text.splitlines() if line.startswith("- ____")]
    shown = [next(s.id for s in order.steps if s.text in line) for line in listed]
    assert sorted(shown) == sorted(s.id for s in order.steps)
    assert shown != [s.id for s in order.steps]  # never printed in the answer order


def test_handout_for_a_predict_bank_leaves_room_for_prediction_and_result():
    out = run("handout", str(FIXTURES / "predict_demo.yaml"))
    assert out.returncode == 0
    assert "Your prediction (before running the lab)" in out.stdout
    assert "What the model showed" in out.stdout
    assert "Without Nav1.8" not in out.stdout  # explanation stays out


@pytest.mark.parametrize("args", [("handout", "99_nope"), ("key", "99_nope")])
def test_unknown_notebook_exits_1(args):
    out = run(*args)
    assert out.returncode == 1 and "no question bank" in out.stderr


def test_check_notes_an_intro_that_still_types_counts(tmp_path):
    text = (FIXTURES / "intro_demo.yaml").read_text().replace(
        "intro: Wrong answers are useful here.",
        "intro: Ten questions here; the first three ask you to predict.")
    path = tmp_path / "counted.yaml"
    path.write_text(text)
    out = run("check", str(path))
    assert out.returncode == 0  # old banks keep loading
    assert "note" in out.stdout and "'Ten'" in out.stdout and "written by the quiz" in out.stdout
    clean = run("check", str(FIXTURES / "intro_demo.yaml"))
    assert clean.returncode == 0 and "note" not in clean.stdout


def test_check_counts_are_singular_or_plural():
    out = run("check", str(FIXTURES / "bad_answer.yaml"), str(FIXTURES / "intro_demo.yaml"))
    assert out.returncode == 1  # the bad bank stops it; one more with a single question:
    one = run("check", str(FIXTURES / "predict_demo.yaml"))
    assert "3 questions" in one.stdout and "All 1 bank valid." in one.stdout


def test_handout_opens_with_the_generated_intro():
    out = run("handout", str(FIXTURES / "intro_demo.yaml"))
    assert out.returncode == 0
    assert "This quiz has 5 questions. 2 of them ask you to predict" in out.stdout
