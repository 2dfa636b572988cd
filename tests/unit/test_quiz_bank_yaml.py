"""Bank files as YAML (issue 9, item 15): duplicate keys, YAML 1.1 surprises, alias bombs,
deep nesting, and CLI arguments that used to end in a traceback."""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from course_lib.quiz import BankError, load_bank
from course_lib.quiz import loader

FIXTURES = Path(__file__).parent / "fixtures" / "quiz"

GOOD = textwrap.dedent("""\
    notebook: draft
    title: Draft bank
    questions:
      - id: pick
        type: single
        prompt: Pick b.
        options:
          - {id: a, text: A, feedback: no}
          - {id: b, text: B, feedback: yes}
        answer: b
        explanation: b is right.
    """)


def write(tmp_path: Path, text: str, name: str = "draft.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course_lib.quiz", *args],
                          capture_output=True, text=True, timeout=60)


def test_the_good_bank_loads(tmp_path):
    bank = load_bank(write(tmp_path, GOOD))
    assert bank.get("pick").answer == "b"


# ----------------------------------------------------------------------------- duplicate keys

def test_a_duplicate_key_is_rejected_with_its_line(tmp_path):
    text = GOOD.replace("    answer: b\n", "    answer: a\n    answer: b\n")
    with pytest.raises(BankError) as info:
        load_bank(write(tmp_path, text))
    message = str(info.value)
    assert "duplicate key 'answer'" in message and "line 11" in message and "line 10" in message


def test_a_duplicate_top_level_key_is_rejected(tmp_path):
    with pytest.raises(BankError, match=r"line 3.*duplicate key 'title'.*first given at line 2"):
        load_bank(write(tmp_path, GOOD.replace("title: Draft bank\n",
                                               "title: Draft bank\ntitle: Other\n")))


def test_a_duplicate_key_fails_check_with_exit_1(tmp_path):
    text = GOOD.replace("    answer: b\n", "    answer: a\n    answer: b\n")
    out = run("check", str(write(tmp_path, text)))
    assert out.returncode == 1 and "duplicate key 'answer'" in out.stderr
    assert "Traceback" not in out.stderr


# ----------------------------------------------------------------------------- YAML 1.1 surprises

@pytest.mark.parametrize("raw, expected", [
    ("010", "010"), ("0o10", "0o10"), ("0x1F", "0x1F"), ("1:30", "1:30"), ("1_000", "1_000"),
    ("No", "No"), ("no", "no"), ("Yes", "Yes"), ("on", "on"), ("OFF", "OFF"), ("y", "y"),
    ("2017-01-01", "2017-01-01"), ("12", 12), ("-3", -3), ("0", 0), ("1.5", 1.5),
    ("1e3", 1000.0), ("-0.25", -0.25), ("true", True), ("false", False), ("null", None),
    ("~", None), ("", None), (".inf", math.inf), ("-.inf", -math.inf), ("1.", 1.0),
])
def test_scalars_follow_yaml_1_2_not_1_1(raw, expected):
    data = loader.parse_bank_yaml(f"value: {raw}\n", "x.yaml")
    assert data["value"] == expected and type(data["value"]) is type(expected)


def test_option_ids_and_texts_spelt_like_yaml_1_1_booleans_stay_text(tmp_path):
    text = GOOD.replace("{id: a, text: A, feedback: no}", "{id: no, text: No, feedback: no}") \
        .replace("answer: b", "answer: no")
    bank = load_bank(write(tmp_path, text))
    q = bank.get("pick")
    assert q.answer == "no" and q.options[0].text == "No" and q.options[0].feedback == "no"


def test_a_leading_zero_number_fails_check_naming_the_field(tmp_path):
    text = textwrap.dedent("""\
        notebook: draft
        title: Draft
        questions:
          - id: num
            type: numeric
            prompt: How many?
            answer: 010
            source: Made up.
            explanation: Ten.
        """)
    with pytest.raises(BankError, match=r"field 'answer'.*'010'") as info:
        load_bank(write(tmp_path, text))
    assert "line 7" in str(info.value)


def test_a_time_like_text_stays_as_typed(tmp_path):
    bank = load_bank(write(tmp_path, GOOD.replace("prompt: Pick b.", "prompt: 1:30")))
    assert bank.get("pick").prompt == "1:30"


# ----------------------------------------------------------------------------- aliases, nesting

BOMB = textwrap.dedent("""\
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    """)


def test_alias_expansion_is_bounded(tmp_path):
    assert len(BOMB.encode()) < 600  # a few hundred bytes that expand to 43 million strings
    with pytest.raises(BankError, match=r"holds more than .* alias"):
        load_bank(write(tmp_path, BOMB))


def test_a_few_aliases_are_fine(tmp_path):
    text = GOOD.replace("feedback: no}", "feedback: &nope Not this one.}") \
        .replace("feedback: yes}", "feedback: *nope}")
    bank = load_bank(write(tmp_path, text))
    assert bank.get("pick").options[1].feedback == "Not this one."


def test_a_self_referring_alias_is_refused(tmp_path):
    with pytest.raises(BankError, match="itself"):
        load_bank(write(tmp_path, "notebook: &x [*x]\n"))


@pytest.mark.parametrize("text", [
    "notebook: " + "[" * 5000 + "]" * 5000 + "\n",
    "notebook: x\n" + "".join("  " * k + f"k{k}:\n" for k in range(3000)),
    "notebook: " + "[" * 60 + "]" * 60 + "\n",
])
def test_deep_nesting_is_a_clear_error(tmp_path, text):
    with pytest.raises(BankError, match="nested"):
        load_bank(write(tmp_path, text))


def test_deep_nesting_fails_check_without_a_traceback(tmp_path):
    out = run("check", str(write(tmp_path, "notebook: " + "[" * 5000 + "]" * 5000 + "\n")))
    assert out.returncode == 1 and "nested" in out.stderr and "Traceback" not in out.stderr


# ----------------------------------------------------------------------------- CLI arguments

def test_check_a_directory_checks_the_banks_inside(tmp_path):
    write(tmp_path, GOOD, "a.yaml")
    write(tmp_path, GOOD.replace("notebook: draft", "notebook: other"), "b.yaml")
    out = run("check", str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert "ok  draft" in out.stdout and "ok  other" in out.stdout


def test_check_an_empty_directory_says_so(tmp_path):
    out = run("check", str(tmp_path))
    assert out.returncode == 1 and "no .yaml" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("args", [("key", ""), ("handout", ""), ("check", ""),
                                  ("key", "   "), ("handout", "/")])
def test_empty_or_odd_names_are_clear_errors(args):
    out = run(*args)
    assert out.returncode == 1 and out.stderr.startswith("ERROR:"), out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("raw", [b"\xff\xfe\x00n\x00o", b"notebook: x\n\x00\x01", b"\t- [\n"])
def test_binary_or_broken_files_fail_check_cleanly(tmp_path, raw):
    path = tmp_path / "broken.yaml"
    path.write_bytes(raw)
    out = run("check", str(path))
    assert out.returncode == 1 and "broken.yaml" in out.stderr and "Traceback" not in out.stderr


def test_a_large_bank_without_aliases_is_refused_for_its_size_not_for_aliases(tmp_path):
    """Issue 23 item 8: the message states the real limit (values held), not an alias it lacks."""
    questions = "".join(f"  - {{id: q{k}, type: single, prompt: p, options: [], answer: a}}\n"
                        for k in range(20_000))
    text = "notebook: big\ntitle: t\nquestions:\n" + questions
    with pytest.raises(BankError, match=r"holds more than 100,000 values") as info:
        load_bank(write(tmp_path, text))
    assert "a few thousand" in str(info.value)


@pytest.mark.parametrize("field, question", [
    ("answer", "{id: n, type: numeric, prompt: p, explanation: e, source: s, answer: 1%s, tolerance: 0}"),
    ("tolerance", "{id: n, type: numeric, prompt: p, explanation: e, source: s, answer: 1, tolerance: 1%s}"),
    ("feedback_ranges", "{id: n, type: numeric, prompt: p, explanation: e, source: s, answer: 1, tolerance: 0, "
                        "feedback_ranges: [{low: 0, high: 1%s, feedback: f}]}"),
    ("options.when", "{id: n, type: predict, prompt: p, explanation: e, prediction: choice, task: t, "
                     "observe_with: o, options: [{id: a, text: a, feedback: f, when: [1%s, null]}]}"),
])
def test_an_integer_past_the_float_range_is_a_bank_error_with_its_field(tmp_path, field, question):
    text = "notebook: big\ntitle: t\nquestions:\n  - " + question % ("0" * 400) + "\n"
    with pytest.raises(BankError) as info:
        load_bank(write(tmp_path, text))
    assert field.split(".")[0] in str(info.value) and "line" in str(info.value), str(info.value)
