"""Care-plan builder: the downloads decode to valid HTML and Markdown with every chosen item."""

import base64
import html
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import careplan as cp
from course_lib.figures.care import CARE_TRACE, COMPONENT_SHORT, GOAL_SHORT, NOT_SERVED
from course_lib.widgets.care_plan_lab import CarePlanLab, component_control, goal_control

DATA = cp.load_careplan()
GOAL_IDS = [g.id for g in DATA.goals]
COMPONENT_IDS = [c.id for c in DATA.components]


@pytest.fixture(scope="module")
def lab():
    return CarePlanLab()


def choose(lab, goals=(), components=(), own_goal=""):
    values = {goal_control(g): g in goals for g in GOAL_IDS}
    values.update({component_control(c): c in components for c in COMPONENT_IDS})
    values["own_goal"] = own_goal
    lab.set_values(**values)


def download(lab, mime):
    links = re.findall(r'<a download="([^"]+)" href="data:([^;]+);charset=utf-8;base64,([^"]+)"',
                       lab.downloads.value)
    found = {m: (name, base64.b64decode(payload).decode("utf-8")) for name, m, payload in links}
    return found[mime]


class _Tags(HTMLParser):
    """Collects start/end tags and checks they nest (void elements aside)."""

    VOID = {"meta", "br", "hr", "img", "input", "link"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.seen = [], [], set()

    def handle_starttag(self, tag, attrs):
        self.seen.add(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):     # <meta ... />: opens and closes itself
        self.seen.add(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def assert_valid_html(page):
    assert page.startswith("<!DOCTYPE html>")
    parser = _Tags()
    parser.feed(page)
    assert not parser.errors and not parser.stack
    assert {"html", "head", "title", "body", "h1"} <= parser.seen
    ET.fromstring(page.split("\n", 1)[1])     # and it is well-formed XML below the doctype


def test_the_empty_plan_still_downloads_the_disclaimer_questions_and_red_flags(lab):
    choose(lab)
    name, page = download(lab, "text/html")
    assert name == "care-plan.html"
    assert_valid_html(page)
    assert "Not medical advice." in page
    for item in DATA.red_flags + DATA.questions:
        assert html.escape(item.text) in page
    assert "empty so far" in lab.readout.value


def test_html_and_markdown_downloads_hold_every_chosen_item(lab):
    goals = ("walk_further", "sleep_better", "better_mood")
    components = ("physiotherapy_exercise", "sleep_habits", "psychological_therapy")
    choose(lab, goals, components, own_goal="walk the dog <b>again</b> & more")
    _, page = download(lab, "text/html")
    name, markdown = download(lab, "text/markdown")
    assert name == "care-plan.md"
    assert_valid_html(page)
    for g in goals:
        assert html.escape(DATA.goal(g).label) in page
        assert DATA.goal(g).label in markdown
    for c in components:
        comp = DATA.component(c)
        for words in (comp.label, comp.what_it_does, comp.evidence):
            assert html.escape(words) in page
            assert words in markdown
    assert "walk the dog &lt;b&gt;again&lt;/b&gt; &amp; more" in page
    assert "<b>again</b>" not in page
    for flag in DATA.red_flags:
        assert flag.text in markdown
    assert "Every chosen goal is served" in lab.readout.value


def test_unserved_goals_are_named_in_readout_figure_and_plan(lab):
    choose(lab, ("walk_further", "fewer_side_effects"), ("physiotherapy_exercise",))
    assert "fewer side effects from medicines" in lab.readout.value
    unserved = lab.figure.data[CARE_TRACE["unserved"]]
    assert list(unserved.x) == [NOT_SERVED] and list(unserved.y) == [GOAL_SHORT["fewer_side_effects"]]
    _, page = download(lab, "text/html")
    assert "To ask about:" in page


def test_figure_links_follow_the_careplan_data(lab):
    goals, components = ("walk_further", "everyday_life"), ("pacing", "medication_review")
    choose(lab, goals, components)
    shown = set(zip(lab.figure.data[CARE_TRACE["in_plan"]].x, lab.figure.data[CARE_TRACE["in_plan"]].y))
    expected = {(COMPONENT_SHORT[c.id], GOAL_SHORT[g])
                for c in DATA.components if c.id in components
                for g in c.serves if g in goals}
    assert shown == expected and expected     # pacing serves both goals; the review neither
    suggested = lab.figure.data[CARE_TRACE["suggested"]]
    assert len(suggested.x) == sum(len(c.serves) for c in DATA.components)


def test_the_preview_does_not_restyle_or_retitle_the_notebook(lab):
    choose(lab, ("sleep_better",), ("sleep_habits",))
    preview = lab.preview.value
    assert "<style" not in preview and "<h1" not in preview and "<body" not in preview
    assert "<h3>" in preview and "Not medical advice" in preview
    assert DATA.component("sleep_habits").label in preview


def test_every_part_of_care_shows_what_it_does_and_its_evidence(lab):
    shown = " ".join(w.value for w in lab.view.children[1].children[0].children[1].children
                     if hasattr(w, "value") and isinstance(w.value, str))
    for c in DATA.components:
        assert html.escape(c.evidence) in shown
        assert html.escape(c.what_it_does) in shown


def test_reset_clears_the_plan(lab):
    choose(lab, ("return_to_work",), ("pacing",), own_goal="x")
    lab.reset()
    assert lab.plan.goals == () and lab.plan.components == () and lab.plan.own_goal == ""
    assert "empty so far" in lab.readout.value


@settings(max_examples=40, deadline=None)
@given(goals=st.sets(st.sampled_from(GOAL_IDS)), components=st.sets(st.sampled_from(COMPONENT_IDS)),
       own_goal=st.text(max_size=60))
def test_every_choice_gives_a_valid_plan_with_the_chosen_items(lab, goals, components, own_goal):
    choose(lab, goals, components, own_goal)
    assert lab.last_error is None
    assert re.sub("<[^>]+>", "", lab.readout.value).strip()
    _, page = download(lab, "text/html")
    assert_valid_html(page)
    for g in goals:
        assert html.escape(DATA.goal(g).label) in page
    for c in components:
        assert f"<h3>{html.escape(DATA.component(c).label)}</h3>" in page
    _, markdown = download(lab, "text/markdown")
    assert markdown.startswith(f"# {cp.TITLE}")
