"""The learner's record (issue 12 item 3): what it says, when the certificate shows, the JSON
round trip, the HTML page (parsed), escaping of the typed name, and the download widget."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_lib.quiz import ProgressStore, load_bank, record_view
from course_lib.quiz.record import (
    FORMAT,
    RecordError,
    build_record,
    check_record,
    clean_name,
    learner_record,
    objectives_of,
    question_fingerprint,
    question_result,
    record_html,
    record_json,
)
from course_lib.quiz.session import PredictSession, QuestionSession

FIXTURES = Path(__file__).parent / "fixtures" / "quiz"


@dataclass(frozen=True)
class Objective:  # the shape the course map is moving to
    text: str
    checked_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:  # a course-map entry, as much of it as a record reads
    id: str
    title: str
    enabled: bool
    objectives: tuple = ()


@pytest.fixture
def banks():
    return [load_bank(FIXTURES / "intro_demo.yaml"), load_bank(FIXTURES / "predict_demo.yaml")]


@pytest.fixture
def course():
    return [
        Entry("intro_demo", "Intro demo", True, (
            Objective("pick the letter asked for", ("s_one", "s_two")),
            Objective("predict a rate", ("intro_demo/p_first",)),
            Objective("tick several letters", ("m_three", "no_such_question")),
        )),
        Entry("predict_demo", "Predict demo", True, ("an objective still given as a string",)),
    ]



def record_of(store, banks, course, **kwargs):
    return build_record(store.read(), banks, course, learner_id=store.learner_id(), **kwargs)


def finish_everything(store, banks):
    """Answer every fixture question right at the first try (predictions compared)."""
    intro, predict = banks
    for qid, answer in (("s_one", "b"), ("s_two", "a"), ("m_three", ["a", "c"])):
        assert QuestionSession("intro_demo", intro.get(qid), store).submit(answer).correct
    assert QuestionSession("predict_demo", predict.get("demo_single"), store).submit("b").correct
    for notebook, bank, qid, said, seen in (("intro_demo", intro, "p_first", "12", 12.5),
                                            ("intro_demo", intro, "p_second", "many", 5),
                                            ("predict_demo", predict, "demo_spikes", "one", 1),
                                            ("predict_demo", predict, "demo_rheobase", "300", 420)):
        session = PredictSession(notebook, bank.get(qid), store)
        session.commit(said)
        session.receive(_observation(seen))


def _observation(value):
    from course_lib.quiz.observations import Observation

    return Observation(value, "the fixture lab", "2026-01-01T00:00:00+00:00")


# ----------------------------------------------------------------------------- contents

def test_record_states_first_try_best_score_reveals_and_predictions(store, banks, course):
    intro, _predict = banks
    one = QuestionSession("intro_demo", intro.get("s_one"), store)
    assert not one.submit("a").correct  # wrong first: the distractor "a" is remembered
    assert one.submit("b").correct
    two = QuestionSession("intro_demo", intro.get("s_two"), store)
    two.reveal()  # answer shown before any try
    assert two.submit("a").correct
    three = QuestionSession("intro_demo", intro.get("m_three"), store)
    three.submit(["a", "b"])
    p = PredictSession("intro_demo", intro.get("p_second"), store)
    p.commit("many")
    p.receive(_observation(2))  # the model shows "few"

    record = record_of(store, banks, course)
    q = record["notebooks"]["intro_demo"]["questions"]
    assert (q["s_one"]["first_try_correct"], q["s_one"]["best_score"], q["s_one"]["attempts"],
            q["s_one"]["first_answer"], q["s_one"]["first_wrong"]) == (False, 1.0, 2, "a", ["a"])
    assert q["s_two"]["first_try_correct"] is False  # right, but only after the answer was shown
    assert (q["s_two"]["revealed"], q["s_two"]["best_score"]) == (True, 0.0)
    assert q["m_three"]["first_answer"] == ["a", "b"] and q["m_three"]["first_wrong"] == ["b"]
    assert q["m_three"]["best_score"] == 0.0  # one right tick cancelled by one wrong tick
    assert (q["p_second"]["first_prediction"], q["p_second"]["prediction_text"],
            q["p_second"]["observed_text"], q["p_second"]["observed_option"],
            q["p_second"]["matched"]) == ("many", "Many", "A few", "few", False)
    assert q["p_first"]["answered"] is False and q["p_first"]["matched"] is None
    counts = record["notebooks"]["intro_demo"]["counts"]
    assert counts == {"questions": 5, "gradable": 3, "answered": 3, "first_try_correct": 0,
                      "score_percent": round(100 / 3, 1), "revealed": 1, "predictions": 2,
                      "predictions_made": 1, "predictions_matched": 0, "finished": 3}


def test_progress_saved_before_first_tries_were_kept_reads_as_unknown(banks, course):
    progress = {"notebooks": {"intro_demo": {"questions": {
        "s_one": {"attempts": 1, "last_correct": True, "best_score": 1.0},
        "s_two": {"attempts": 3, "last_correct": True, "best_score": 1.0},
    }}}}
    q = build_record(progress, banks, course)["notebooks"]["intro_demo"]["questions"]
    assert q["s_one"]["first_try_correct"] is True  # one try: it was the first
    assert q["s_two"]["first_try_correct"] is None  # three tries: the first is not known


@pytest.mark.parametrize("saved, finished", [
    (None, False),                                                     # not tried
    ({"attempts": 1, "best_score": 0.0}, False),                       # tried once, wrong
    ({"attempts": 2, "best_score": 0.5}, False),                       # partly right only
    ({"attempts": 1, "best_score": 1.0}, True),                        # right
    ({"attempts": 3, "best_score": 0.0, "revealed": True}, True),      # wrong, then shown
    ({"attempts": 0, "revealed": True}, False),                        # shown without a try
    ({"attempts": 1, "best_score": 0.0, "revealed": True,
      "answered_after_reveal": True}, True),                           # shown, then answered
])
def test_a_question_is_finished_when_answered_and_right_or_shown(banks, saved, finished):
    assert question_result(banks[0].get("m_three"), saved)["finished"] is finished


def test_a_prediction_is_finished_once_compared_matched_or_not(banks):
    q = banks[0].get("p_second")
    assert question_result(q, None)["finished"] is False
    assert question_result(q, {"attempts": 1, "matched": False})["finished"] is True


def test_certificate_needs_every_enabled_notebook_done(store, banks, course):
    assert record_of(store, banks, course)["complete"] is False
    finish_everything(store, banks)
    record = record_of(store, banks, course)
    assert record["complete"] is True
    assert all(nb["done"] for nb in record["notebooks"].values())
    # One question of one notebook not finished: no certificate.
    store.reset("predict_demo")
    partial = record_of(store, banks, course)
    assert partial["notebooks"]["intro_demo"]["done"] and not partial["complete"]
    # A notebook not yet enabled in the course map does not count either way.
    later = [course[0], Entry("predict_demo", "Predict demo", False)]
    assert record_of(store, banks, later)["complete"] is True
    # With no enabled notebook there is nothing to complete.
    assert record_of(store, banks, [Entry("intro_demo", "x", False)])["complete"] is False


def test_objectives_support_strings_and_objects_with_checking_questions(store, banks, course):
    assert [o.checked_by for o in objectives_of(course[1])] == [()]
    intro, _ = banks
    QuestionSession("intro_demo", intro.get("s_one"), store).submit("b")
    objectives = {o["text"]: o["met"] for o in record_of(store, banks, course)["objectives"]}
    assert objectives["pick the letter asked for"] is False  # s_two not answered yet
    assert objectives["an objective still given as a string"] is None
    assert objectives["tick several letters"] is None  # names a question the bank lacks
    QuestionSession("intro_demo", intro.get("s_two"), store).submit("a")
    p = PredictSession("intro_demo", intro.get("p_first"), store)
    p.commit("3")
    p.receive(_observation(40))  # far off: the objective is about predicting, not matching
    objectives = {o["text"]: o["met"] for o in record_of(store, banks, course)["objectives"]}
    assert objectives["pick the letter asked for"] is True
    assert objectives["predict a rate"] is True


def test_objectives_from_the_real_course_map_are_read():
    from course_lib import syllabus

    views = [v for e in syllabus.COURSE for v in objectives_of(e)]
    assert len(views) == sum(len(e.objectives) for e in syllabus.COURSE)
    assert all(v.text and isinstance(v.checked_by, tuple) for v in views)


def test_fingerprint_ignores_wording_but_not_what_is_right(banks):
    from dataclasses import replace

    q = banks[0].get("s_one")
    assert question_fingerprint(replace(q, prompt="Reworded.")) == question_fingerprint(q)
    assert question_fingerprint(replace(q, answer="a")) != question_fingerprint(q)


# ----------------------------------------------------------------------------- names, ids

def test_no_name_unless_typed_and_the_name_is_never_kept(store, banks, course):
    finish_everything(store, banks)
    assert record_of(store, banks, course)["learner"] is None
    named = record_of(store, banks, course, name="  Ada   Lovelace ")
    assert named["learner"] == "Ada Lovelace"
    assert "Ada" not in store.path.read_text()


def test_clean_name_limits_and_rejects():
    assert clean_name("") is None and clean_name("   ") is None and clean_name(None) is None
    assert clean_name("a\x00b\nc") == "ab c"
    assert len(clean_name("x" * 500)) == 100
    with pytest.raises(ValueError, match="name must be text"):
        clean_name(42)


def test_learner_id_is_random_stable_and_survives_a_full_reset(tmp_path, store):
    first = store.learner_id()
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert store.learner_id() == first == ProgressStore(store.directory).learner_id()
    store.record_attempt("intro_demo", "s_one", correct=True, score=1.0)
    store.reset()
    assert store.learner_id() == first
    assert ProgressStore(tmp_path / "someone_else").learner_id() != first


# ----------------------------------------------------------------------------- JSON

def test_json_round_trips_and_reads_back_as_a_record(store, banks, course):
    finish_everything(store, banks)
    record = record_of(store, banks, course, name="Zoë")
    text = record_json(record)
    again = json.loads(text)
    assert again == record
    assert check_record(again) is again
    assert (again["format"], again["version"]) == (FORMAT, 1)
    import course_lib

    assert again["course_version"] == course_lib.__version__


@pytest.mark.parametrize("broken, message", [
    ([], "not an object"),
    ({"format": "something-else"}, "not a learner's record"),
    ({"format": FORMAT, "version": 99}, "version 99"),
    ({"format": FORMAT, "version": 1, "course_version": "1", "generated": "yesterday",
      "notebooks": {}}, "not an ISO date"),
    ({"format": FORMAT, "version": 1, "course_version": "1",
      "generated": "2026-01-01T00:00:00", "notebooks": {"nb": []}}, "no 'questions'"),
])
def test_check_record_names_what_is_wrong(broken, message):
    with pytest.raises(RecordError, match=message):
        check_record(broken)


# ----------------------------------------------------------------------------- HTML

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr"}


class StrictHTML(HTMLParser):
    """Fails on an end tag that does not close the innermost open element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> StrictHTML:
    assert page.startswith("<!DOCTYPE html>")
    parser = StrictHTML()
    parser.feed(page)
    parser.close()
    assert parser.stack == [], f"unclosed: {parser.stack}"
    return parser


def test_html_record_is_well_formed_self_contained_and_printable(store, banks, course):
    page = record_html(record_of(store, banks, course))
    parsed = parse(page)
    names = [t for t, _a in parsed.tags]
    assert names.count("html") == names.count("body") == names.count("main") == 1
    assert "script" not in names and "link" not in names and "img" not in names
    assert not any("src" in a or ("href" in a) for _t, a in parsed.tags)  # nothing to fetch
    assert "@media print" in page
    # Scores and objectives; the predictions table waits for a first comparison.
    assert names.count("table") == names.count("caption") == 2
    assert "No predictions compared with a lab yet." in "".join(parsed.text)
    finish_everything(store, banks)
    names = [t for t, _a in parse(record_html(record_of(store, banks, course))).tags]
    assert names.count("table") == names.count("caption") == 3


def test_certificate_only_when_complete_with_name_and_date(store, banks, course):
    before = "".join(parse(record_html(record_of(store, banks, course, name="Ada"))).text)
    assert "Certificate of completion" not in before
    finish_everything(store, banks)
    record = record_of(store, banks, course, name="Ada",
                       generated="2026-03-05T10:00:00+00:00")
    text = " ".join("".join(parse(record_html(record)).text).split())
    assert "Certificate of completion" in text and "Ada" in text and "5 March 2026" in text
    anonymous = " ".join("".join(parse(record_html(record_of(store, banks, course))).text).split())
    assert "Certificate of completion" in anonymous and "The holder of this record" in anonymous


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fixtures read-only
@given(st.text(min_size=1, max_size=120))
def test_any_typed_name_is_escaped(banks, course, name):
    record = build_record({"notebooks": {}}, banks, course, name=name)
    parsed = parse(record_html(record))
    assert [t for t, _a in parsed.tags if t == "script"] == []
    if record["learner"]:
        assert record["learner"] in "".join(parsed.text)


def test_markup_in_the_name_is_shown_as_text(banks, course):
    name = '<script>alert("x")</script> & <b onmouseover=1>Bo</b>'
    page = record_html(build_record({"notebooks": {}}, banks, course, name=name))
    parsed = parse(page)
    assert "<script" not in page and "onmouseover=1>" not in page
    assert name in "".join(parsed.text)


# ----------------------------------------------------------------------------- widget

def _links(html_value: str) -> dict[str, bytes]:
    found = re.findall(r'<a download="([^"]+)" href="data:([^;]+);charset=utf-8;base64,'
                       r'([A-Za-z0-9+/=]+)">', html_value)
    return {name: (mime, base64.b64decode(data)) for name, mime, data in found}


def test_download_widget_makes_both_files_fresh_on_each_click(store, banks):
    view = record_view(store)
    view.name.value = "Ada <i>"
    view.button.click()
    links = _links(view.links.value)
    assert sorted(m for m, _d in links.values()) == ["application/json", "text/html"]
    json_file = next(d for m, d in links.values() if m == "application/json")
    first = json.loads(json_file)
    assert first["learner"] == "Ada <i>" and first == view.record
    html_file = next(d for m, d in links.values() if m == "text/html").decode("utf-8")
    assert "Ada &lt;i&gt;" in html_file and parse(html_file)
    assert all(re.fullmatch(r"course-record-\d{4}-\d{2}-\d{2}\.(html|json)", n) for n in links)
    assert "no certificate yet" in view.preview.value and "Ada &lt;i&gt;" in view.preview.value
    # Progress made after the first click shows in the next one.
    store.record_attempt("00_start_here", "run_a_cell", correct=True, score=1.0)
    view.button.click()
    again = json.loads(next(d for m, d in _links(view.links.value).values()
                            if m == "application/json"))
    assert again["notebooks"]["00_start_here"]["questions"]["run_a_cell"]["answered"] is True
    assert first["notebooks"]["00_start_here"]["questions"]["run_a_cell"]["answered"] is False


def test_learner_record_uses_the_course_banks_and_map(store):
    from course_lib import syllabus
    from course_lib.quiz import available_banks

    record = learner_record(store=store)
    assert list(record["notebooks"]) == available_banks()
    enabled = {e.id for e in syllabus.enabled_notebooks()}
    assert {nb for nb, v in record["notebooks"].items() if v["enabled"]} == \
        enabled & set(available_banks())
    assert record["learner_id"] == store.learner_id()


# ----------------------------------------------------------------------------- progress fields

def test_the_first_try_is_kept_through_later_attempts(store):
    store.record_attempt("intro_demo", "s_one", correct=False, score=0.0, answer="a", wrong=["a"])
    later = store.record_attempt("intro_demo", "s_one", correct=True, score=1.0, answer="b")
    assert (later["first_correct"], later["first_answer"], later["first_wrong"],
            later["first_score"], later["attempts"]) == (False, "a", ["a"], 0.0, 2)


def test_a_first_try_after_the_answer_was_shown_is_not_first_try_correct(store):
    store.record_reveal("intro_demo", "s_one")
    record = store.record_attempt("intro_demo", "s_one", correct=True, score=1.0, answer="b")
    assert record["first_correct"] is False and record["best_score"] == 0.0


def test_sessions_save_each_type_of_first_answer_as_plain_data(store):
    from course_lib.quiz.session import saved_answer

    intro = load_bank(FIXTURES / "intro_demo.yaml")
    QuestionSession("intro_demo", intro.get("m_three"), store).submit({"c": True, "a": True,
                                                                       "b": False})
    assert store.question_record("intro_demo", "m_three")["first_answer"] == ["a", "c"]
    numeric = load_bank(FIXTURES / "predict_demo.yaml").get("demo_rheobase")
    assert saved_answer(numeric, "12") is None  # predictions are saved by their session
    assert json.loads(store.path.read_text())  # still plain JSON


def test_learner_id_holds_steady_when_the_disk_cannot_be_written(store, monkeypatch):
    import errno
    import warnings

    def refuse(_data):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(store, "_write_unlocked", refuse)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first = store.learner_id()
        assert store.learner_id() == first == store.learner_id()
    monkeypatch.undo()
    store.record_attempt("intro_demo", "s_one", correct=True, score=1.0)  # the disk is back
    assert json.loads(store.path.read_text())["learner_id"] == first


_ANY = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=4),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=6)
_SAVED_FIELDS = ["attempts", "first_correct", "first_answer", "first_wrong", "best_score",
                 "last_correct", "revealed", "hints_used", "prediction", "observed", "matched"]


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fixtures read-only
@given(st.sampled_from(["s_one", "m_three", "p_first", "p_second"]),
       st.dictionaries(st.sampled_from(_SAVED_FIELDS), _ANY, max_size=8) | _ANY)
def test_a_hand_edited_progress_entry_still_gives_a_json_record(banks, course, qid, saved):
    progress = {"notebooks": {"intro_demo": {"questions": {qid: saved}}}}
    record = build_record(progress, banks, course, learner_id="0" * 32)
    assert json.loads(record_json(record)) == record  # strict JSON: no NaN, no odd objects
    result = record["notebooks"]["intro_demo"]["questions"][qid]
    assert 0.0 <= result["best_score"] <= 1.0 and result["attempts"] >= 0


def test_a_failure_while_making_the_record_is_shown_not_raised(store, monkeypatch):
    from course_lib.quiz import record_widget

    def broken(*_args, **_kwargs):
        raise OSError("disk gone")

    view = record_view(store)
    monkeypatch.setattr(record_widget, "learner_record", broken)
    view.button.click()  # must not raise into the kernel
    assert "Something went wrong" in view.verdict.value and "disk gone" in view.verdict.value
    assert view.links.value == ""
