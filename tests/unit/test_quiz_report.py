"""The instructor's class report (issue 12 item 4): a synthetic class of 300 learners with known
answers, duplicates, records from another course version, and files that are not records."""

from __future__ import annotations

import copy
import functools
import json
import random
import uuid
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.quiz import load_bank
from course_lib.quiz.__main__ import main
from course_lib.quiz.record import build_record, record_json
from course_lib.quiz.report import MAX_RECORD_BYTES, build_report, read_records, top_distractors

FIXTURES = Path(__file__).parent / "fixtures" / "quiz"
N = 300


@dataclass(frozen=True)
class Objective:
    text: str
    checked_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    enabled: bool
    objectives: tuple = ()


BANKS = [load_bank(FIXTURES / "intro_demo.yaml"), load_bank(FIXTURES / "predict_demo.yaml")]
COURSE = [
    Entry("intro_demo", "Intro demo", True, (
        Objective("pick the letter asked for", ("s_one", "s_two")),
        Objective("tick A and C", ("m_three",)),
        "an objective no question checks",
    )),
    Entry("predict_demo", "Predict demo", True, ()),
]


def exactly(rng: random.Random, counts: dict) -> list:
    """A shuffled list with exactly these counts of each value."""
    values = [v for v, n in counts.items() for _ in range(n)]
    assert len(values) == N
    rng.shuffle(values)
    return values


def tried(first_correct, first_answer, first_wrong, best, attempts=1, revealed=False, **extra):
    return {"attempts": attempts, "first_correct": first_correct, "first_answer": first_answer,
            "first_wrong": first_wrong, "best_score": best, "last_correct": best == 1.0,
            "revealed": revealed, **extra}


def synthetic_class(seed: int = 12) -> list[dict]:
    """A fresh copy of the synthetic class (tests may change it)."""
    return copy.deepcopy(_synthetic_class(seed))


@functools.lru_cache(maxsize=2)
def _synthetic_class(seed: int) -> list[dict]:
    """300 learners. Known by construction:
    s_one (answer b): 180 right at the first try (60 %); 120 pick distractor a, of whom 60 get it
    right later and 60 see the answer. s_two (answer a): 270 right (90 %), 30 pick b then fix it.
    m_three (a and c): 135 right (45 %); 90 tick a+b, 75 tick only a; none fix it.
    p_second: 100 predict "few", 200 "many"; the model gives 2 spikes ("few") for everyone.
    p_first (numeric, tolerance 1): 60 predict 5, 90 predict 10, 75 predict 12, 75 predict 20;
    the model gives 12. demo_single: 200 answer it, 100 right. Others: unanswered."""
    rng = random.Random(seed)
    s_one = exactly(rng, {"right": 180, "fixed": 60, "shown": 60})
    s_two = exactly(rng, {"right": 270, "fixed": 30})
    m_three = exactly(rng, {"right": 135, "ab": 90, "a": 75})
    p_second = exactly(rng, {"few": 100, "many": 200})
    p_first = exactly(rng, {5: 60, 10: 90, 12: 75, 20: 75})
    demo = exactly(rng, {"right": 100, "wrong": 100, "none": 100})
    records = []
    for k in range(N):
        intro = {
            "s_one": {"right": tried(True, "b", [], 1.0),
                      "fixed": tried(False, "a", ["a"], 1.0, attempts=2),
                      "shown": tried(False, "a", ["a"], 0.0, attempts=3, revealed=True)}[s_one[k]],
            "s_two": tried(True, "a", [], 1.0) if s_two[k] == "right"
            else tried(False, "b", ["b"], 1.0, attempts=2),
            "m_three": {"right": tried(True, ["a", "c"], [], 1.0),
                        "ab": tried(False, ["a", "b"], ["b"], 0.0),
                        "a": tried(False, ["a"], [], 0.5)}[m_three[k]],
            "p_second": tried(p_second[k] == "few", p_second[k], [], float(p_second[k] == "few"),
                              prediction=p_second[k], observed=2, matched=p_second[k] == "few",
                              kind="predict"),
            "p_first": tried(p_first[k] == 12, float(p_first[k]), [], float(p_first[k] == 12),
                             prediction=float(p_first[k]), observed=12.0,
                             matched=p_first[k] == 12, kind="predict"),
        }
        predict = {} if demo[k] == "none" else {
            "demo_single": tried(demo[k] == "right", "b" if demo[k] == "right" else "a",
                                 [] if demo[k] == "right" else ["a"], float(demo[k] == "right"))}
        progress = {"notebooks": {"intro_demo": {"questions": intro},
                                  "predict_demo": {"questions": predict}}}
        records.append(build_record(progress, BANKS, COURSE, learner_id=uuid.UUID(
            int=rng.getrandbits(128)).hex, generated=f"2026-03-01T10:{k // 60:02d}:{k % 60:02d}"
                                                     "+00:00"))
    return records


def write(folder: Path, records: list[dict], prefix: str = "learner") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k, record in enumerate(records):
        path = folder / f"{prefix}{k:03d}.json"
        path.write_text(record_json(record), encoding="utf-8")
        paths.append(path)
    return paths


def figures(page: str) -> list[list[dict]]:
    """The data (list of traces) of every ``Plotly.newPlot`` call in the page."""
    decoder = json.JSONDecoder()
    found = []
    start = 0
    while (at := page.find("Plotly.newPlot(", start)) != -1:
        pos = at + len("Plotly.newPlot(")
        pos = len(page) - len(page[pos:].lstrip())
        _div, pos = decoder.raw_decode(page, pos)
        pos = page.index(",", pos) + 1
        pos = len(page) - len(page[pos:].lstrip())
        data, pos = decoder.raw_decode(page, pos)
        found.append(data)
        start = pos
    return found


class Balanced(HTMLParser):
    VOID = {"meta", "br", "hr", "img", "input", "link"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.scripts: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()


@pytest.fixture(scope="module")
def synthetic_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    write(folder / "records", synthetic_class())
    out = folder / "report.html"
    read, stats, lines = build_report([folder / "records"], out, banks=BANKS, course=COURSE)
    return read, stats, lines, out.read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- the numbers

def test_synthetic_class_shares_are_exactly_the_known_ones(synthetic_report):
    _read, stats, _lines, _page = synthetic_report
    q = stats.questions
    known = {("intro_demo", "s_one"): (180, N), ("intro_demo", "s_two"): (270, N),
             ("intro_demo", "m_three"): (135, N), ("intro_demo", "p_second"): (100, N),
             ("intro_demo", "p_first"): (75, N), ("predict_demo", "demo_single"): (100, 200),
             ("predict_demo", "demo_spikes"): (0, 0), ("predict_demo", "demo_rheobase"): (0, 0)}
    assert {k: (s.first_correct, s.answered) for k, s in q.items()} == known
    assert q[("intro_demo", "s_one")].share_first_correct == 0.6
    assert Counter(q[("intro_demo", "p_second")].first_predictions) == {"few": 100, "many": 200}
    assert Counter(q[("intro_demo", "p_first")].first_predictions) == \
        {5.0: 60, 10.0: 90, 12.0: 75, 20.0: 75}
    assert stats.objectives == {("intro_demo", "pick the letter asked for"): [240, N],
                                ("intro_demo", "tick A and C"): [135, N],
                                ("intro_demo", "an objective no question checks"): [0, 0]}


def test_distractors_most_chosen_first_with_their_misconception(synthetic_report):
    _read, stats, _lines, _page = synthetic_report
    rows = [(r["question_id"], r["option_id"], r["count"], r["answered"], r["misconception"])
            for r in top_distractors(stats, BANKS)]
    assert rows == [("demo_single", "a", 100, 200, "Not A."), ("s_one", "a", 120, N, "Not A."),
                    ("m_three", "b", 90, N, "No."), ("s_two", "b", 30, N, "Not B.")]


def test_summary_lines_for_the_synthetic_class(synthetic_report):
    _read, _stats, lines, _page = synthetic_report
    assert lines == [
        "records read: 300 learners from 300 files",
        "skipped: 0",
        "duplicates dropped (same learner_id, older record): 0",
        "intro_demo: mean first-try score 65.0 % (300 learners)",  # (180+270+135) / (3 * 300)
        "predict_demo: mean first-try score 50.0 % (200 learners)",
    ]


def test_the_report_figures_carry_the_known_numbers(synthetic_report):
    _read, _stats, _lines, page = synthetic_report
    found = figures(page)
    assert len(found) == 2 + 2 + 1  # first try per bank, the two answered predictions, objectives
    intro_first_try = found[0][0]
    # Labelled by bank position; predictions are charted apart, not as right or wrong.
    assert intro_first_try["y"] == ["3. s_one", "4. s_two", "5. m_three"]
    assert intro_first_try["x"] == [60.0, 90.0, 45.0]
    assert [c[0] for c in intro_first_try["customdata"]] == [N, N, N]
    assert found[1][0]["x"] == [50.0] and found[1][0]["y"] == ["3. demo_single"]
    numeric, markers = found[2]  # p_first: histogram of predictions, the model's result
    assert Counter(numeric["x"]) == {5: 60, 10: 90, 12: 75, 20: 75}
    assert markers["x"] == [12.0]
    predicted, model = found[3]  # p_second, by option: few, many
    assert (predicted["y"], model["y"]) == ([100, 200], [N, 0])
    objectives = found[4][0]
    assert objectives["x"] == [80.0, 45.0] and len(objectives["y"]) == 2


def test_report_is_one_self_contained_page_with_plotly_once(synthetic_report):
    _read, _stats, _lines, page = synthetic_report
    parser = Balanced()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    assert all("src" not in attrs for attrs in parser.scripts)  # nothing fetched from a network
    assert page.count("* plotly.js v") == 1  # the library's banner: embedded exactly once
    assert "Not A." in page  # the misconception text reaches the page


# ----------------------------------------------------------------------------- reading rules

def test_same_learner_twice_keeps_the_latest_by_generated(tmp_path):
    old, new = synthetic_class()[:2]
    new = {**new, "learner_id": old["learner_id"], "generated": "2026-04-01T09:00:00+00:00"}
    old = {**old, "generated": "2026-03-01T09:00:00+00:00"}
    # The newer record is read first: file order must not decide which one is kept.
    (tmp_path / "a_newer.json").write_text(record_json(new))
    (tmp_path / "b_older.json").write_text(record_json(old))
    read = read_records([tmp_path])
    assert read.duplicates == 1 and len(read.records) == 1
    assert read.records[0] is not None and read.records[0]["generated"] == new["generated"]
    assert read.sources == [str(tmp_path / "a_newer.json")]


def test_other_course_version_counts_what_still_matches(tmp_path):
    record = synthetic_class()[0]
    record["course_version"] = "0.0.1"
    record["notebooks"]["intro_demo"]["questions"]["s_one"]["fingerprint"] = "changed-since"
    record["notebooks"]["99_retired"] = {"questions": {"gone": {"type": "single",
                                                                "answered": True}}}
    write(tmp_path / "r", [record])
    read, stats, lines = build_report([tmp_path / "r"], tmp_path / "out.html", BANKS, COURSE)
    assert stats.other_version_records == 1 and stats.unmatched_answers == 2
    assert stats.questions[("intro_demo", "s_one")].answered == 0
    assert stats.questions[("intro_demo", "s_two")].answered == 1
    assert ("warning: 1 records from another course version (0.0.1: 1); answers that no "
            "longer match the current banks left out: 2") in lines


def bad_files(folder: Path) -> dict[str, str]:
    """File name -> a word its skip reason must contain."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bad.json").write_text('{"format": "course-record", "version": 1,')
    (folder / "progress.json").write_text(json.dumps({"format": "neuropathic-pain-course/"
                                                      "progress", "notebooks": {}}))
    (folder / "huge.json").write_text('{"x": "' + "a" * MAX_RECORD_BYTES + '"}')
    (folder / "binary.json").write_bytes(bytes(range(256)) * 40)
    (folder / "list.json").write_text("[1, 2, 3]")
    no_id = synthetic_class()[0]
    no_id["learner_id"] = None
    (folder / "no_id.json").write_text(record_json(no_id))
    future = synthetic_class()[1]
    future["version"] = 2
    (folder / "future.json").write_text(record_json(future))
    return {"bad.json": "not valid JSON", "progress.json": "not a learner's record",
            "huge.json": "larger than", "binary.json": "not text", "list.json": "not an object",
            "no_id.json": "no learner_id", "future.json": "version 2"}


def test_malformed_files_are_named_and_skipped_never_a_traceback(tmp_path, capsys):
    expected = bad_files(tmp_path / "in")
    write(tmp_path / "in", synthetic_class()[:3], prefix="good")
    out = tmp_path / "report.html"
    code = main(["report", str(tmp_path / "in"), str(tmp_path / "missing.json"),
                 "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0 and out.is_file()
    assert "Traceback" not in captured.err + captured.out
    for name, reason in expected.items():
        line = next(l for l in captured.err.splitlines() if l.startswith("skipped") and name in l)
        assert reason in line, line
    assert "missing.json: no such file or folder" in captured.err
    assert "records read: 3 learners from 10 files" in captured.out
    assert f"skipped: {len(expected) + 1}" in captured.out
    assert all(name in captured.out for name in expected)  # the summary lists them too
    assert "wrote " in captured.out


def test_no_readable_record_exits_1_and_writes_nothing(tmp_path, capsys):
    bad_files(tmp_path / "in")
    out = tmp_path / "report.html"
    assert main(["report", str(tmp_path / "in"), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert not out.exists()
    assert "no learner's record could be read" in captured.err
    assert "Traceback" not in captured.err


def test_an_unwritable_output_is_a_clear_error(tmp_path, capsys):
    write(tmp_path / "in", synthetic_class()[:1])
    code = main(["report", str(tmp_path / "in"), "--out", str(tmp_path / "no" / "dir" / "r.html")])
    captured = capsys.readouterr()
    assert code == 1 and captured.err.startswith("ERROR:") and "Traceback" not in captured.err


# Whatever a hand-edited or damaged record holds in its answers, the report is still made.
_ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=8)
_FIELDS = ["answered", "first_try_correct", "first_wrong", "first_prediction", "observed",
           "type", "fingerprint"]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["s_one", "m_three", "p_first", "p_second"]),
                          st.sampled_from(_FIELDS), _ANY_JSON), min_size=1, max_size=6),
       st.lists(_ANY_JSON, max_size=3))
def test_odd_values_inside_a_record_never_stop_the_report(changes, objectives):
    from course_lib.quiz.report import class_stats, report_html

    records = synthetic_class()[:2]
    for qid, name, value in changes:
        records[0]["notebooks"]["intro_demo"]["questions"][qid][name] = value
    records[1]["objectives"] = objectives
    read = read_records([])
    stats = class_stats(records, BANKS, COURSE)
    assert stats.learners == 2
    assert "</html>" in report_html(read, stats, BANKS)


def test_a_file_named_twice_is_read_once(tmp_path):
    (path,) = write(tmp_path / "r", synthetic_class()[:1])
    read = read_records([tmp_path / "r", path, str(path)])
    assert (read.files_read, len(read.records), read.duplicates) == (1, 1, 0)


def test_an_empty_folder_is_named(tmp_path):
    (tmp_path / "empty").mkdir()
    read = read_records([tmp_path / "empty"])
    assert read.skipped == [(str(tmp_path / "empty"), "a folder with no .json files in it")]


def test_objectives_are_judged_under_the_current_course_map(tmp_path):
    """Reworded objective, same checking questions: still counted. A checking question changed
    since the record was made: that learner is left out of the objective's count."""
    records = synthetic_class()[:4]
    reworded = [Entry("intro_demo", "Intro demo", True,
                      (Objective("choose the letter the question asks for", ("s_one", "s_two")),
                       Objective("gone", ("intro_demo/no_such_question",)))),
                Entry("predict_demo", "Predict demo", True, ())]
    expected_met = sum(all(r["notebooks"]["intro_demo"]["questions"][q]["mastered"]
                           for q in ("s_one", "s_two")) for r in records)
    records[3]["notebooks"]["intro_demo"]["questions"]["s_two"]["fingerprint"] = "older"
    expected_met -= all(records[3]["notebooks"]["intro_demo"]["questions"][q]["mastered"]
                        for q in ("s_one", "s_two"))
    from course_lib.quiz.report import class_stats

    stats = class_stats(records, BANKS, reworded)
    assert stats.objectives == {
        ("intro_demo", "choose the letter the question asks for"): [expected_met, 3],
        ("intro_demo", "gone"): [0, 0]}


def test_same_learner_same_time_keeps_the_file_read_last(tmp_path):
    first, second = synthetic_class()[:2]
    second = {**second, "learner_id": first["learner_id"], "generated": first["generated"]}
    (tmp_path / "1.json").write_text(record_json(first))
    (tmp_path / "2.json").write_text(record_json(second))
    read = read_records([tmp_path])
    assert read.duplicates == 1 and read.sources == [str(tmp_path / "2.json")]


def test_what_cannot_be_a_record_is_named_with_its_reason_and_nothing_outside_is_followed(tmp_path):
    """Issue 20: a pipe, a link to a device, a dangling link, a folder named *.json and a link out of
    the records folder were dropped without a word ("skipped: 0"); each is now named, with why."""
    import os

    from course_lib.quiz.report import expand_paths

    records = tmp_path / "records"
    records.mkdir()
    os.mkfifo(records / "pipe.json")
    (records / "zero.json").symlink_to("/dev/zero")
    (records / "gone.json").symlink_to(records / "missing.json")
    (records / "folder.json").mkdir()
    outside = tmp_path / "elsewhere.json"
    outside.write_text("{}")
    (records / "out.json").symlink_to(outside)
    files, problems = expand_paths([records])
    reasons = {Path(name).name: why for name, why in problems}
    assert files == []
    assert "pipe" in reasons["pipe.json"]
    assert "outside the records folder" in reasons["zero.json"]  # a link to /dev/zero is not followed
    assert "link to nothing" in reasons["gone.json"] and "folder" in reasons["folder.json"]
    assert "outside the records folder" in reasons["out.json"]
    assert expand_paths([records / "pipe.json"])[1][0][1].startswith("not a regular file")
