"""Care-plan builder (notebook 05): data checks, valid HTML with every chosen item, escaping."""

import copy
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import careplan as cp

DATA = cp.load_careplan()
ALL_GOALS = [g.id for g in DATA.goals]
ALL_COMPONENTS = [c.id for c in DATA.components]
ALL_QUESTIONS = [q.id for q in DATA.questions]
VOID = {"meta", "br", "hr", "img", "link", "input"}


class TagChecker(HTMLParser):
    """Records text and fails on any closing tag that does not match the open one."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text, self.errors = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse_html(page: str) -> tuple[ET.Element, str]:
    checker = TagChecker()
    checker.feed(page)
    checker.close()
    assert checker.errors == [] and checker.stack == [], (checker.errors, checker.stack)
    root = ET.fromstring(page.split("\n", 1)[1])       # well-formed XML after the doctype
    return root, " ".join("".join(checker.text).split())


# ------------------------------------------------------------ data ---------------------------

def test_data_has_the_goals_and_components_the_issue_names():
    for goal in ("walk_further", "sleep_better", "return_to_work", "better_mood"):
        assert goal in ALL_GOALS
    for comp in ("physiotherapy_exercise", "psychological_therapy", "pain_science_education",
                 "sleep_habits", "pacing", "medication_review"):
        assert comp in ALL_COMPONENTS


def test_every_component_states_what_it_does_its_evidence_and_a_source():
    for c in DATA.components:
        assert c.what_it_does and c.evidence and c.source
        assert c.serves, c.id


def test_every_goal_is_served_by_some_component():
    served = {g for c in DATA.components for g in c.serves}
    assert served == set(ALL_GOALS)


def test_evidence_text_holds_no_percentages_or_invented_numbers():
    # evidence is in words; numbers live in drug_outcomes.py with their citations
    import re
    for c in DATA.components:
        assert not re.search(r"\d\s*%", c.evidence), c.id


def test_red_flags_from_science_md_are_present():
    text = " ".join(r.text for r in DATA.red_flags).lower()
    for phrase in ("weakness", "bladder", "numbness", "ulcer"):
        assert phrase in text


def test_psychological_therapy_is_not_said_to_mean_imaginary_pain():
    assert "does not mean the pain is imaginary" in DATA.component("psychological_therapy").what_it_does


def _raw():
    with open(cp.DATA_FILE, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["goals"][0].update(colour="red"), "goals 'walk_further': unknown field 'colour'"),
    (lambda d: d["components"][0].pop("evidence"), "missing field 'evidence'"),
    (lambda d: d["components"][0].update(serves=["fly"]), "unknown goal 'fly'"),
    (lambda d: d["questions"].append(dict(d["questions"][0])), "used twice"),
    (lambda d: d["red_flags"][0].update(text="  "), "red_flags 'new_weakness': field 'text'"),
    (lambda d: d.update(disclaimer="Enjoy."), "disclaimer"),
    (lambda d: d.update(extra=[]), "unknown section 'extra'"),
    (lambda d: d.update(goals=[]), "goals: must be a non-empty list"),
    (lambda d: d["goals"][1].update(id="Bad Id"), "lower_case"),
])
def test_malformed_data_is_named(mutate, message):
    data = copy.deepcopy(_raw())
    mutate(data)
    with pytest.raises(cp.CarePlanDataError, match=message):
        cp.parse_careplan(data)


def test_components_for_goals_suggests_the_linked_parts():
    suggested = cp.components_for_goals(["sleep_better"])
    assert "sleep_habits" in suggested and "pacing" not in suggested
    assert set(cp.components_for_goals(ALL_GOALS)) == set(ALL_COMPONENTS)


# ------------------------------------------------------------ the plan -----------------------

def test_html_is_valid_and_holds_every_chosen_item():
    plan = cp.build_plan(goals=["walk_further", "sleep_better"],
                         components=["physiotherapy_exercise", "sleep_habits"],
                         questions=["expectations", "side_effects"],
                         own_goal="Play with my grandchildren", notes="Ask about the night pain")
    root, text = parse_html(cp.plan_html(plan))
    assert root.tag == "html" and root.get("lang") == "en"
    for item in [*plan.goals, *plan.components]:
        assert item.label in text
    for c in plan.components:
        assert " ".join(c.evidence.split()) in text and c.what_it_does in text
    for q in plan.questions:
        assert q.text in text
    for r in DATA.red_flags:
        assert r.text in text
    assert "Play with my grandchildren" in text and "Ask about the night pain" in text
    assert "Not medical advice." in text and "not medical advice" in text
    # unchosen questions stay out
    assert DATA.question("cause").text not in text


def test_markdown_holds_every_chosen_item_and_the_disclaimer():
    plan = cp.build_plan(goals=ALL_GOALS, components=ALL_COMPONENTS)
    md = cp.plan_markdown(plan)
    assert md.startswith("# ")
    assert "Not medical advice" in md
    for item in [*plan.goals, *plan.components, *DATA.questions, *DATA.red_flags]:
        assert getattr(item, "label", getattr(item, "text", None)) in md


HOSTILE = '<script>alert("x")</script> & <b>bold</b> \'quote\' ]]> <!-- c -->'


def test_html_escapes_learner_text():
    plan = cp.build_plan(goals=["better_mood"], own_goal=HOSTILE, notes=HOSTILE)
    page = cp.plan_html(plan)
    assert "<script>" not in page and "<b>bold</b>" not in page and "<!-- c" not in page
    assert "&lt;script&gt;" in page
    root, text = parse_html(page)
    assert text.count('<script>alert("x")</script>') == 2     # shown as text, twice
    assert root.find(".//script") is None and root.find(".//b") is None


def test_markdown_escapes_learner_text():
    plan = cp.build_plan(notes="**not bold** [link](http://x) <i>tag</i> # heading\nsecond line")
    md = cp.plan_markdown(plan)
    notes = md.split("## My notes", 1)[1]
    assert "**not bold**" not in notes and "<i>" not in notes and "](http" not in notes
    assert "\\*\\*not bold\\*\\*" in notes and "&lt;i&gt;" in notes
    assert "\n# heading" not in notes                      # cannot start its own heading


def test_control_characters_are_dropped_from_learner_text():
    plan = cp.build_plan(notes="a\x00b\x1bc\ud800d")
    assert plan.notes == "abcd"
    parse_html(cp.plan_html(plan))


def test_unserved_goals_are_flagged_in_the_plan():
    plan = cp.build_plan(goals=["fewer_side_effects"], components=["pacing"])
    assert [g.id for g in plan.unserved_goals()] == ["fewer_side_effects"]
    assert "To ask about" in cp.plan_html(plan)
    ok = cp.build_plan(goals=["fewer_side_effects"], components=["medication_review"])
    assert ok.unserved_goals() == ()


def test_empty_plan_still_renders_with_disclaimer_and_red_flags():
    plan = cp.build_plan(questions=[])
    _, text = parse_html(cp.plan_html(plan))
    assert "No goals chosen yet." in text and "Red flags" in text and "not medical advice" in text


def test_all_questions_by_default_and_repeats_count_once():
    plan = cp.build_plan(goals=["sleep_better", "sleep_better"])
    assert len(plan.goals) == 1 and len(plan.questions) == len(DATA.questions)


@pytest.mark.parametrize("kwargs, name", [
    ({"goals": ["fly"]}, "goal"), ({"components": ["surgery"]}, "component"),
    ({"questions": ["why"]}, "question"), ({"goals": "sleep_better"}, "goals"),
    ({"notes": 5}, "notes"), ({"own_goal": "x" * (cp.MAX_TEXT_CHARS + 1)}, "own_goal")])
def test_bad_choices_are_named(kwargs, name):
    with pytest.raises(ValueError, match=name):
        cp.build_plan(**kwargs)


@settings(max_examples=40, deadline=None)
@given(goals=st.lists(st.sampled_from(ALL_GOALS), unique=True),
       comps=st.lists(st.sampled_from(ALL_COMPONENTS), unique=True),
       questions=st.lists(st.sampled_from(ALL_QUESTIONS), unique=True),
       own=st.text(max_size=80), notes=st.text(max_size=200))
def test_any_choices_give_valid_html_with_every_chosen_item(goals, comps, questions, own, notes):
    plan = cp.build_plan(goals, comps, questions, own_goal=own, notes=notes)
    root, text = parse_html(cp.plan_html(plan))
    for g in plan.goals:
        assert g.label in text
    for c in plan.components:
        assert c.label in text
    for q in plan.questions:
        assert q.text in text
    if plan.own_goal:
        assert " ".join(plan.own_goal.split()) in text
    assert root.find(".//script") is None


# ----- one list of red flags (issue 18): care plan, notebook 05 and bank 05 ---------------------------

def test_bank_05_sorts_exactly_the_care_plans_red_flags_word_for_word():
    from course_lib.quiz import load_bank

    flags = {flag.id: flag.text for flag in cp.load_careplan().red_flags}
    question = load_bank("05_managing_persistent_pain").get("red_flags")
    prompt = {item.id: item.text for item in question.items if item.group == "prompt_care"}
    assert prompt == flags
    assert any(item.group != "prompt_care" for item in question.items), "the sort needs items that are not red flags"


def test_notebook_05_prints_the_care_plans_red_flags():
    import json
    from pathlib import Path

    from course_lib.lessons.nb05 import red_flags

    shown = red_flags()
    assert shown.lines == [flag.text for flag in cp.load_careplan().red_flags]
    root = Path(__file__).resolve().parents[2]
    nb = json.loads((root / "notebooks" / "05_managing_persistent_pain.ipynb").read_text())
    calls = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip() == "red_flags()"]
    assert len(calls) == 1 and "nbval-check-output" in calls[0]["metadata"].get("tags", [])
    stored = "".join(calls[0]["outputs"][0]["data"]["text/plain"])
    assert all(flag.text in stored for flag in cp.load_careplan().red_flags)


def test_every_plan_ends_with_the_same_red_flags():
    import html

    plan = cp.build_plan()
    page = cp.plan_html(plan)
    for flag in cp.load_careplan().red_flags:
        assert html.escape(flag.text) in page
    assert "shingles rash on or near the eye" in cp.plan_markdown(plan).replace("\\", "")
