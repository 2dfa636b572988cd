"""Question banks: validation errors name file, question id and field; shipped banks are sound."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from course_lib.quiz import BankError, load_bank
from course_lib.quiz.loader import available_banks, check_cross_bank, load_all_banks
from course_lib.quiz.schema import build_bank

FIXTURES = Path(__file__).parent / "fixtures" / "quiz"


def valid_bank() -> dict:
    """A minimal bank with one question of every gradable type."""
    return {
        "notebook": "draft",
        "title": "Draft bank",
        "questions": [
            {"id": "q_single", "type": "single", "prompt": "Pick b.",
             "options": [{"id": "a", "text": "A", "feedback": "no"},
                         {"id": "b", "text": "B", "feedback": "yes"}],
             "answer": "b", "explanation": "b is right."},
            {"id": "q_multi", "type": "multiple", "prompt": "Pick a and c.",
             "options": [{"id": "a", "text": "A", "feedback": "yes"},
                         {"id": "b", "text": "B", "feedback": "no"},
                         {"id": "c", "text": "C", "feedback": "yes"}],
             "answer": ["a", "c"], "explanation": "a and c."},
            {"id": "q_num", "type": "numeric", "prompt": "How many?", "answer": 12,
             "tolerance": 0.5, "unit": "mV", "explanation": "12.", "source": "Made up."},
            {"id": "q_cat", "type": "categorise", "prompt": "Sort.",
             "groups": [{"id": "g1", "label": "One"}, {"id": "g2", "label": "Two"}],
             "items": [{"id": "i1", "text": "first", "group": "g1"},
                       {"id": "i2", "text": "second", "group": "g2"}],
             "explanation": "Sorted."},
            {"id": "q_order", "type": "order", "prompt": "Order.",
             "steps": [{"id": "s1", "text": "one"}, {"id": "s2", "text": "two"},
                       {"id": "s3", "text": "three"}],
             "explanation": "1, 2, 3."},
        ],
    }


def write(tmp_path: Path, data: dict | str, name: str = "draft.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return path


def question(data: dict, qid: str) -> dict:
    return next(q for q in data["questions"] if q["id"] == qid)


def assert_bank_error(path: Path, qid: str | None, field: str | None, words: str) -> BankError:
    with pytest.raises(BankError) as info:
        load_bank(path)
    err = info.value
    message = str(err)
    assert path.name in message
    if qid is not None:
        assert f"question '{qid}'" in message and err.question_id == qid
    if field is not None:
        assert f"field '{field}'" in message and err.field == field
    assert re.search(words, message), message
    assert isinstance(err, ValueError)  # BankError is a ValueError
    return err


def test_minimal_valid_bank_loads(tmp_path):
    bank = load_bank(write(tmp_path, valid_bank()))
    assert bank.ids == ("q_single", "q_multi", "q_num", "q_cat", "q_order")
    assert bank.get("q_multi").answer == frozenset({"a", "c"})
    assert bank.get("q_num").max_attempts == 3  # bank default


# One case per kind of mistake: (mutation, question id, field, words in the message).
def _drop_explanation(d):
    del question(d, "q_single")["explanation"]


def _unknown_type(d):
    question(d, "q_single")["type"] = "essay"


def _answer_not_option(d):
    question(d, "q_single")["answer"] = "z"


def _multi_answer_not_option(d):
    question(d, "q_multi")["answer"] = ["a", "z"]


def _duplicate_id(d):
    question(d, "q_multi")["id"] = "q_single"


def _negative_tolerance(d):
    question(d, "q_num")["tolerance"] = -0.1


def _misspelt_field(d):
    question(d, "q_single")["explaination"] = "typo"


def _missing_type(d):
    del question(d, "q_single")["type"]


def _item_in_unknown_group(d):
    question(d, "q_cat")["items"][0]["group"] = "g9"


def _duplicate_option(d):
    question(d, "q_single")["options"][1]["id"] = "a"


def _numeric_without_source(d):
    del question(d, "q_num")["source"]


def _percent_without_source(d):
    question(d, "q_single")["prompt"] = "About 8 % of people have it. Pick b."


def _zero_attempts(d):
    question(d, "q_single")["max_attempts"] = 0


def _answer_not_a_number(d):
    question(d, "q_num")["answer"] = "twelve"


def _infinite_answer(d):
    question(d, "q_num")["answer"] = float("inf")


def _two_steps(d):
    question(d, "q_order")["steps"].pop()


def _option_without_feedback(d):
    del question(d, "q_single")["options"][0]["feedback"]


def _hints_not_list(d):
    question(d, "q_single")["hints"] = "just one string"


def _bad_id(d):
    question(d, "q_single")["id"] = "Has Spaces"


MISTAKES = [
    (_drop_explanation, "q_single", "explanation", "missing"),
    (_unknown_type, "q_single", "type", "unknown question type 'essay'"),
    (_answer_not_option, "q_single", "answer", "'z' is not among the options"),
    (_multi_answer_not_option, "q_multi", "answer", "'z' is not among the options"),
    (_duplicate_id, "q_single", "id", "more than one question"),
    (_negative_tolerance, "q_num", "tolerance", "at least 0"),
    (_misspelt_field, "q_single", "explaination", "not a known field"),
    (_missing_type, "q_single", "type", "missing"),
    (_item_in_unknown_group, "q_cat", "items.group", "'g9'.*not among the groups"),
    (_duplicate_option, "q_single", "options", "id 'a' is used twice"),
    (_numeric_without_source, "q_num", "source", "cite"),
    (_percent_without_source, "q_single", "source", "cite"),
    (_zero_attempts, "q_single", "max_attempts", "at least 1"),
    (_answer_not_a_number, "q_num", "answer", "must be a number"),
    (_infinite_answer, "q_num", "answer", "finite"),
    (_two_steps, "q_order", "steps", "at least 3"),
    (_option_without_feedback, "q_single", "options.feedback", "missing"),
    (_hints_not_list, "q_single", "hints", "list"),
    (_bad_id, "Has Spaces", "id", "short id"),
]


@pytest.mark.parametrize("mutate, qid, field, words", MISTAKES,
                         ids=[m[0].__name__.strip("_") for m in MISTAKES])
def test_each_mistake_names_file_question_and_field(tmp_path, mutate, qid, field, words):
    data = copy.deepcopy(valid_bank())
    mutate(data)
    assert_bank_error(write(tmp_path, data), qid, field, words)


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    path = write(tmp_path, "notebook: x\nquestions:\n  - id: a\n    prompt: [unclosed\n")
    err = assert_bank_error(path, None, None, r"not valid YAML at line \d+")
    assert err.question_id is None


def test_empty_and_non_mapping_banks_are_rejected(tmp_path):
    assert_bank_error(write(tmp_path, "", "empty.yaml"), None, None, "is empty")
    assert_bank_error(write(tmp_path, "- just\n- a list\n", "list.yaml"), None, None, "mapping")
    no_questions = valid_bank()
    no_questions["questions"] = []
    assert_bank_error(write(tmp_path, no_questions, "none.yaml"), None, "questions", "non-empty")


def test_bank_named_for_another_notebook_is_rejected():
    with pytest.raises(BankError, match="field 'notebook'.*'01_x'"):
        build_bank(valid_bank(), "banks/01_x.yaml", expected_notebook="01_x")


def test_predict_fields_are_checked(tmp_path):
    data = valid_bank()
    data["questions"] = [{
        "id": "p", "type": "predict", "prompt": "Guess.", "prediction": "vibes",
        "task": "run the lab", "observe_with": "run the lab", "explanation": "because"}]
    assert_bank_error(write(tmp_path, data, "p1.yaml"), "p", "prediction", "choice, numeric")
    data["questions"][0].update(prediction="choice", options=[
        {"id": "lo", "text": "low", "feedback": "f", "when": [5, 1]},
        {"id": "hi", "text": "high", "feedback": "f", "when": [5, None]}])
    assert_bank_error(write(tmp_path, data, "p2.yaml"), "p", "options.when", "low < high")
    data["questions"][0].update(prediction="numeric")
    assert_bank_error(write(tmp_path, data, "p3.yaml"), "p", "options", "only applies to choice")


def test_predict_ids_must_be_unique_across_banks():
    demo = load_bank(FIXTURES / "predict_demo.yaml")
    copy_of_demo = build_bank(yaml.safe_load((FIXTURES / "predict_demo.yaml").read_text()),
                              "other.yaml")
    with pytest.raises(BankError, match="unique across the course"):
        check_cross_bank([demo, copy_of_demo])
    check_cross_bank([demo])  # one bank alone is fine


def test_edited_bank_is_reloaded(tmp_path):
    path = write(tmp_path, valid_bank())
    assert load_bank(path).title == "Draft bank"
    data = valid_bank()
    data["title"] = "Edited"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    import os
    os.utime(path, (1, 1))  # a different mtime, whatever the clock resolution
    assert load_bank(path).title == "Edited"


def test_unknown_notebook_lists_available_banks():
    with pytest.raises(FileNotFoundError, match="01_what_is_neuropathic_pain"):
        load_bank("99_no_such_notebook")


# ----------------------------------------------------------------------------- shipped banks

def test_shipped_banks_are_valid_and_named_for_their_notebooks():
    banks = load_all_banks()
    assert [b.notebook for b in banks] == available_banks()
    assert {"00_start_here", "01_what_is_neuropathic_pain"} <= set(available_banks())
    check_cross_bank(banks)


def test_start_here_bank_has_a_sample_of_each_kind_it_teaches():
    bank = load_bank("00_start_here")
    assert sorted(q.type for q in bank.questions) == ["numeric", "predict", "single", "single"]


def test_notebook_01_bank_covers_the_required_types_and_topics():
    bank = load_bank("01_what_is_neuropathic_pain")
    assert len(bank.questions) >= 7
    assert {"single", "multiple", "numeric", "categorise", "order"} <= {q.type for q in bank.questions}
    stories = bank.get("sort_patient_stories")
    assert {g.id for g in stories.groups} == {"neuropathic", "nociceptive", "nociplastic"}
    assert {i.group for i in stories.items} == {"neuropathic", "nociceptive", "nociplastic"}
    text = yaml.safe_dump(yaml.safe_load(Path(bank.path).read_text())).lower()
    for topic in ("somatosensory", "allodynia", "hyperalgesia", "shingles", "diabetes",
                  "chemotherapy", "central sensitisation", "scan"):
        assert topic in text, topic


def test_prevalence_question_accepts_exactly_the_published_best_estimate():
    """SCIENCE.md section 5: best estimate 6.9-10 % (van Hecke et al. 2014), here of 2,000 adults."""
    q = load_bank("01_what_is_neuropathic_pain").get("prevalence")
    assert q.unit == "people" and "2,000 adults" in q.prompt
    assert q.answer - q.tolerance == pytest.approx(0.069 * 2000)
    assert q.answer + q.tolerance == pytest.approx(0.10 * 2000)
    assert "van Hecke" in q.source


def test_every_question_that_states_a_number_cites_a_source():
    for bank in load_all_banks():
        for q in bank.questions:
            text = " ".join([q.prompt, q.explanation])
            if re.search(r"\d", text):
                assert q.source, f"{bank.notebook}/{q.id} states a number without a source"


def test_every_distractor_has_feedback_and_every_question_an_explanation():
    for bank in load_all_banks():
        for q in bank.questions:
            assert len(q.explanation) > 40, q.id
            for option in getattr(q, "options", ()):
                assert len(option.feedback) > 10, (q.id, option.id)


@pytest.mark.parametrize("task", [
    "connect with value_of=lambda lab: lab.result['untreated']",
    "read the lab; the lab sends the overall verdict's id",
    "read signal_to_brain in the readout",
])
def test_a_predict_task_is_plain_words_for_learners(tmp_path, task):
    data = valid_bank()
    data["questions"] = [{
        "id": "p", "type": "predict", "prompt": "Guess.", "prediction": "numeric", "tolerance": 1,
        "task": task, "observe_with": "value_of=lambda lab: lab.result['x']", "explanation": "because"}]
    assert_bank_error(write(tmp_path, data, "p.yaml"), "p", "task", "plain words")


def test_every_course_predict_question_has_a_plain_task_and_shows_no_wiring_note():
    from course_lib.quiz.render import PredictWidget
    from course_lib.quiz.schema import PredictQuestion, code_like
    from course_lib.syllabus import enabled_notebooks

    predicts = [(e.id, q) for e in enabled_notebooks() for q in load_bank(e.id).questions
                if isinstance(q, PredictQuestion)]
    assert len(predicts) >= 20
    for notebook, question in predicts:
        assert question.task and code_like(question.task) is None, question.id
        shown = PredictWidget(notebook, question, store=None).verdict.value
        assert question.task.split()[0] in shown and question.observe_with[:30] not in shown, question.id


def test_the_right_option_is_not_given_away_by_its_length():
    """Issue 19: test-wise learners pick the longest, most hedged option. In the course's
    single-choice questions the key is the longest option in at most half of them, and never more
    than a quarter longer than the longest distractor."""
    from course_lib.syllabus import enabled_notebooks

    singles = [q for e in enabled_notebooks() for q in load_bank(e.id).questions if q.type == "single"]
    assert len(singles) >= 15
    ratios = {}
    for q in singles:
        lengths = {o.id: len(o.text) for o in q.options}
        ratios[q.id] = lengths[q.answer] / max(v for k, v in lengths.items() if k != q.answer)
    assert sum(r > 1 for r in ratios.values()) <= len(singles) / 2, ratios
    assert max(ratios.values()) <= 1.25, {k: round(v, 2) for k, v in ratios.items() if v > 1.25}


def test_right_options_of_tick_all_questions_are_not_the_long_ones():
    """The same give-away in tick-all questions: on average the right options are at most a quarter
    longer than the wrong ones, question by question."""
    from statistics import mean

    from course_lib.syllabus import enabled_notebooks

    multiples = [q for e in enabled_notebooks() for q in load_bank(e.id).questions if q.type == "multiple"]
    assert len(multiples) >= 6
    ratios = {q.id: mean(len(o.text) for o in q.options if o.id in q.answer)
              / mean(len(o.text) for o in q.options if o.id not in q.answer) for q in multiples}
    assert max(ratios.values()) <= 1.25, {k: round(v, 2) for k, v in ratios.items() if v > 1.25}


@pytest.mark.parametrize("field, text", [
    ("source", "Our teaching model (course_lib.models.drg)."),
    ("source", "A textbook value, see trials.REGROWTH_SOURCES."),
    ("explanation", "The red flags come from careplan.yaml."),
    ("prompt", "What does lab.result show?"),
])
def test_learner_text_that_reads_as_code_is_refused_by_field(tmp_path, field, text):
    """Sources, prompts and explanations show after an answer, on handouts and on learning platforms:
    module paths, constants and file names are the authors' notes, not a learner's words."""
    data = valid_bank()
    data["questions"][0][field] = text
    assert_bank_error(write(tmp_path, data, "c.yaml"), data["questions"][0]["id"], field, "plain words")


def test_a_doi_in_a_source_is_not_code():
    from course_lib.quiz.schema import code_like

    assert code_like("Woolf 2011, Pain 152:S2, doi:10.1016/j.pain.2010.09.030.") is None


def test_every_question_type_brings_its_own_behaviour():
    # A new question type is one class in schema.py: whatever the answer key, the handout, the
    # record's fingerprint and the answer key need from it is a method there, so a type that forgets
    # one fails here (the base raises NotImplementedError) instead of falling through an if-chain.
    from course_lib.quiz import schema

    per_type = ("answer_text", "fingerprint_parts", "key_lines", "handout_lines")
    classes = {cls.__name__: cls for cls in schema.Question.__subclasses__()}
    assert len(classes) == len(schema.QUESTION_TYPES), classes
    for name, cls in classes.items():
        missing = [m for m in per_type if getattr(cls, m) is getattr(schema.Question, m)]
        assert not missing, f"{name} does not define {missing}"


@pytest.mark.parametrize("notebook", ["01_what_is_neuropathic_pain", "04_interventions_aimed_at_resolution"])
def test_order_steps_are_shown_shuffled_the_same_way_everywhere(notebook):
    from course_lib.quiz import load_bank
    from course_lib.quiz.schema import OrderQuestion

    orders = [q for q in load_bank(notebook).questions if isinstance(q, OrderQuestion)]
    for q in orders:
        shown = [s.id for s in q.shuffled_steps()]
        assert shown != [s.id for s in q.steps] and sorted(shown) == sorted(s.id for s in q.steps)
        assert shown == [s.id for s in q.shuffled_steps()]  # seeded by the id: the same each time
