"""The Explore edition's questions without a browser (issue 21, item 3): every question of every
enabled notebook renders as a form with labelled controls, the data each carries for the browser is
the bank's, the record's data is what record.py computes, and nothing is loaded from outside.
(The browser's grading is compared with Python's in tests/browser/test_site_quiz_in_browser.py.)"""

from __future__ import annotations

import html
import json
import re
import sys
import unicodedata
from html.parser import HTMLParser

import pytest

from course_lib import site_quiz, syllabus
from course_lib.quiz import load_all_banks, load_bank
from course_lib.quiz.record import build_record, question_fingerprint
from course_lib.quiz.schema import code_like
from course_lib.quiz.text import markdown_inline
from course_lib.syllabus import enabled_notebooks

ENABLED = enabled_notebooks()
BANKED = [e for e in ENABLED if e.id in {b.notebook for b in load_all_banks()}]
QUESTIONS = [(e.id, q.id) for e in BANKED for q in load_bank(e.id).questions]
JS = (site_quiz.ASSETS / "quiz.js").read_text(encoding="utf-8")
CSS = (site_quiz.ASSETS / "quiz.css").read_text(encoding="utf-8")


class _Page(HTMLParser):
    """Elements with their attributes, the label texts by their 'for', the JSON scripts, and the
    text a reader sees (script contents left out)."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.labels: dict[str, str] = {}
        self.legends: list[str] = []
        self.scripts: list[str] = []
        self.visible: list[str] = []
        self._stack: list[tuple[str, dict, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag not in ("input", "br", "meta", "link"):
            self._stack.append((tag, attrs, []))

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, attrs, text = self._stack.pop()
            joined = "".join(text)
            if open_tag == "label":
                self.labels[attrs.get("for", "")] = joined
            elif open_tag == "legend":
                self.legends.append(joined)
            elif open_tag == "script":
                self.scripts.append(joined)
            if self._stack and open_tag != "script":
                self._stack[-1][2].append(joined)
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._stack:
            self._stack[-1][2].append(data)
        if not any(t == "script" for t, _a, _x in self._stack):
            self.visible.append(data)


def parse(fragment: str) -> _Page:
    page = _Page()
    page.feed(fragment)
    page.close()
    return page


@pytest.mark.parametrize(("notebook", "qid"), QUESTIONS, ids=[f"{n[:2]}-{q}" for n, q in QUESTIONS])
def test_every_question_renders_as_a_labelled_form_with_its_bank_data(notebook, qid):
    q = load_bank(notebook).get(qid)
    fragment = site_quiz.question_html(notebook, qid)
    assert fragment.count("class='question'") == 1 and fragment.startswith("<section class='question'")
    assert f"data-notebook='{notebook}'" in fragment and f"data-question='{qid}'" in fragment
    page = parse(fragment)
    # the data the browser grades with is the bank's, and it is JSON
    (data_text,) = page.scripts
    data = json.loads(data_text)
    assert data == site_quiz.question_data(notebook, qid)
    assert data["type"] == q.type and data["max"] == q.max_attempts and data["id"] == qid
    assert data["hints"] == [markdown_inline(h) for h in q.hints]
    assert data["why"] == markdown_inline(q.explanation)
    if q.type in ("single", "multiple"):
        assert [(o["id"], o["fb"]) for o in data["options"]] == [(o.id, o.feedback) for o in q.options]
    if q.type == "predict":
        assert [(o["id"], o["text"], o["fb"]) for o in data["options"]] == [(o.id, o.text, o.feedback) for o in q.options]
    if q.type == "single":
        assert data["answer"] == q.answer
    if q.type == "multiple":
        assert set(data["answer"]) == set(q.answer)
        assert [o.get("miss", "") for o in data["options"]] == [o.if_missed for o in q.options]
    if q.type == "numeric":
        assert (data["answer"], data["tol"], data["unit"], data["aliases"], data["low"], data["high"]) == (
            q.answer, q.tolerance, q.unit, list(q.unit_aliases), q.too_low, q.too_high)
        assert data["ranges"] == [[r.low, r.high, r.feedback] for r in q.feedback_ranges]
    if q.type == "categorise":
        assert data["items"] == [{"id": i.id, "text": i.text, "group": i.group, "fb": i.feedback} for i in q.items]
    if q.type == "order":
        assert [s["id"] for s in data["steps"]] == [s.id for s in q.steps]
    if q.type == "predict":
        assert (data["kind"], data["task"]) == (q.prediction, q.task)
        assert [o.get("when") for o in data["options"]] == [list(o.when) if o.when else None for o in q.options]
        assert "observe_with" not in json.dumps(data) and q.observe_with not in fragment  # wiring notes stay out
    # every control has a label (a unit in a number's label), radio groups and tick boxes a legend
    controls = [a for t, a in page.elements if t in ("input", "select")]
    assert controls
    for attrs in controls:
        if attrs.get("type") in ("radio", "checkbox", "text", None):
            assert attrs.get("id") in page.labels and page.labels[attrs["id"]].strip(), attrs
    if q.type in ("single", "multiple") or (q.type == "predict" and q.prediction == "choice"):
        assert len(page.legends) == 1 and len(controls) == len(q.options)
    unit = getattr(q, "unit", "")
    if q.type == "numeric" and unit:
        assert f"(in {unit})" in page.labels[f"{site_quiz._uid(notebook, qid)}-value"]
    if q.type in ("categorise", "order"):
        n = len(q.items if q.type == "categorise" else q.steps)
        assert sum(t == "select" for t, _a in page.elements) == n
    ids = [a["id"] for _t, a in page.elements if "id" in a]
    assert len(ids) == len(set(ids))
    # the words on the buttons are the Jupyter widget's
    buttons = re.findall(r"<button[^>]*>([^<]+)</button>", fragment)
    if q.type == "predict":
        assert buttons[:2] == ["Lock in my prediction", "Predict again"] and "Show answer" not in buttons
        assert "Predict first —" in fragment
    else:
        assert buttons[0] == "Check" and buttons[-1] == "Show answer"
    assert ("Show a hint" in buttons) == bool(q.hints)
    # a live region for the verdict and the hints; the explanation hidden until earned
    assert "class='quiz-verdict' role='status' aria-live='polite'" in fragment
    assert "class='quiz-hints' role='status' aria-live='polite'" in fragment
    assert "<div class='quiz-explanation' hidden></div>" in fragment
    assert markdown_inline(q.explanation) not in " ".join(page.visible)


@pytest.mark.parametrize("entry", BANKED, ids=[e.id for e in BANKED])
def test_no_code_like_text_and_no_answer_on_screen(entry):
    """What a reader sees of a notebook's questions reads as words: no ids, no wiring; and the
    markup a question is drawn with has no answer key in it (only the data script does)."""
    for q in load_bank(entry.id).questions:
        fragment = site_quiz.question_html(entry.id, q.id)
        page = parse(fragment)
        text = html.unescape(" ".join(page.visible))
        assert code_like(text) is None, (q.id, code_like(text))
        if "_" in q.id:
            assert q.id not in text
        markup = re.sub(r"<script.*?</script>", "", fragment, flags=re.S)
        assert "correct" not in markup.lower().replace("not attempted", "")


def test_order_steps_are_shown_shuffled_as_in_the_notebook():
    for bank in load_all_banks():
        for q in bank.questions:
            if q.type == "order":
                fragment = site_quiz.question_html(bank.notebook, q.id)
                shown = [html.unescape(t) for t in re.findall(r"<strong>Step [A-Z]\.</strong> ([^<]+)</p>", fragment)]
                assert shown == [s.text for s in q.shuffled_steps()] != [s.text for s in q.steps]


def test_a_text_cannot_end_the_data_script():
    script = site_quiz._json_script({"text": "</script><script>alert(1)</script><!--"}, "quiz-data")
    body = script[len("<script type='application/json' class='quiz-data'>"):-len("</script>")]
    assert "<" not in body and json.loads(body) == {"text": "</script><script>alert(1)</script><!--"}


def test_the_record_data_is_what_record_py_computes():
    data = site_quiz.record_data()
    banks = load_all_banks()
    expected = build_record({}, banks, syllabus.COURSE, generated="2026-01-01T00:00:00+00:00")
    assert (data["format"], data["version"], data["course_version"]) == (
        expected["format"], expected["version"], expected["course_version"])
    assert [nb["id"] for nb in data["notebooks"]] == list(expected["notebooks"])
    for nb in data["notebooks"]:
        want = expected["notebooks"][nb["id"]]
        assert (nb["title"], nb["enabled"]) == (want["title"], want["enabled"])
        assert [q["id"] for q in nb["questions"]] == list(want["questions"])
        for q in nb["questions"]:
            assert q["fingerprint"] == want["questions"][q["id"]]["fingerprint"]
            assert q["type"] == want["questions"][q["id"]]["type"]
        bank = next(b for b in banks if b.notebook == nb["id"])
        for q, item in zip(bank.questions, nb["questions"]):
            assert item["fingerprint"] == question_fingerprint(q)
            if q.type == "predict":
                assert (item["kind"], item["unit"]) == (q.prediction, q.unit)
                assert item["options"] == [{"id": o.id, "text": o.text, "when": list(o.when) if o.when else None}
                                           for o in q.options]
    assert [{k: o[k] for k in ("notebook", "text", "checked_by")} for o in expected["objectives"]] == data["objectives"]


def test_write_assets_writes_what_head_html_names(tmp_path):
    site_quiz.write_assets(tmp_path)
    assert (tmp_path / "quiz.js").read_text(encoding="utf-8") == JS
    assert (tmp_path / "quiz.css").read_text(encoding="utf-8") == CSS
    text = (tmp_path / site_quiz.RECORD_DATA_FILE).read_text(encoding="utf-8")
    prefix = "window.courseRecordData = "
    body = text[text.index(prefix) + len(prefix):].rstrip().rstrip(";")
    assert json.loads(body) == json.loads(json.dumps(site_quiz.record_data()))
    assert site_quiz.head_html("<p>no questions</p>") == ""
    question = site_quiz.question_html("00_start_here", "run_a_cell")
    head = site_quiz.head_html(question)
    assert "quiz.js" in head and "quiz.css" in head and "record-data.js" not in head
    with_record = site_quiz.head_html(site_quiz.record_html("00_start_here"))
    assert with_record.index("record-data.js") < with_record.index("quiz.js")
    for name in re.findall(r"""(?:src|href)='([^']+)'""", head + with_record):
        assert (tmp_path / name).exists()


def test_nothing_is_loaded_from_outside():
    for text in (JS, CSS):
        assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", text)
        assert not re.search(r"\bfetch\(|XMLHttpRequest|\bimport\(|importScripts|WebSocket|sendBeacon|@import", text)
    assert "url(" not in CSS
    for name in re.findall(r"""(?:src|href)='([^']+)'""", site_quiz.head_html("class='question' class='quiz-record'")):
        assert not re.match(r"(?:[a-z]+:)?//", name)


@pytest.mark.parametrize("entry", ENABLED, ids=[e.id for e in ENABLED])
def test_the_record_block_of_every_notebook(entry):
    block = site_quiz.record_html(entry.id)
    page = parse(block)
    assert "<h2>Your record</h2>" in block and "Download my record" in block and "Reset progress…" in block
    assert "<h2>" not in site_quiz.record_html(entry.id, heading=False)
    assert f"data-notebook='{entry.id}'" in block and html.escape(entry.title, quote=True) in block
    (name_box,) = [a for t, a in page.elements if t == "input"]
    assert page.labels[name_box["id"]] == "Your name (optional):"
    assert "role='status' aria-live='polite'" in block
    assert code_like(html.unescape(" ".join(page.visible))) is None
    # the self-check: each objective of the notebook, with the questions that check it
    bank = load_bank(entry.id)
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", block)
    assert [markdown_inline(o.text) for o in entry.objectives] == [r[0] for r in rows]
    for objective, (_text, answers) in zip(entry.objectives, rows):
        assert re.findall(r"Question (\d+):", answers) == [str(bank.ids.index(q) + 1) for q in objective.checked_by]


def _js_list(name: str) -> list[int]:
    found = re.search(rf"const {name} = (?:new Set\()?\[([^\]]+)\]", JS)
    return [int(v, 16) for v in re.findall(r"0x[0-9a-f]+", found.group(1))]


def test_the_browser_reads_digits_and_spaces_as_python_does():
    zeros = [cp for cp in range(sys.maxunicode + 1)
             if unicodedata.category(chr(cp)) == "Nd" and unicodedata.decimal(chr(cp)) == 0]
    assert _js_list("ND_ZEROS") == zeros
    for zero in zeros:  # each run of decimal digits is 0 to 9 in a row
        assert [unicodedata.decimal(chr(zero + k)) for k in range(10)] == list(range(10))
    assert _js_list("PY_SPACE") == [cp for cp in range(sys.maxunicode + 1) if chr(cp).isspace()]


def test_the_browser_contract_with_the_labs_is_in_the_script():
    assert "course:predicted" in JS and "isLocked" in JS and "window.courseQuiz" in JS
    assert "localStorage" in JS and site_quiz.STORAGE_PREFIX in JS


def test_every_objective_of_the_course_has_a_row():
    block = site_quiz.objectives_html()
    objectives = site_quiz.record_data()["objectives"]
    assert block.count("<tr data-objective=") == len(objectives) > 10
    assert "<h2>Every objective of the course</h2>" in block and "<h2>" not in site_quiz.objectives_html(heading=False)
    assert site_quiz.head_html(block).count("record-data.js") == 1
    page = parse(block)
    assert code_like(html.unescape(" ".join(page.visible))) is None
    for link in re.findall(r"href='([^']+)'", block):
        assert link in {f"{e.id}.html" for e in ENABLED}
