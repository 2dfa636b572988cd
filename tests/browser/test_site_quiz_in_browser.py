"""The Explore edition's questions in Chromium (issue 21, items 3 to 5, for the quiz).

* Parity: every question of every bank is fed a set of answers (the right one, each wrong option,
  malformed and edge numbers, empty ones) through the browser's grader (site_assets/quiz.js) and
  through :mod:`course_lib.quiz.grading`; the verdicts (valid or not, right or not, score, headline,
  and the feedback sentences themselves) must be the same. Predictions too: reading a prediction,
  and comparing it with a lab's result.
* A learner answers a few questions with the keyboard and the mouse, reloads (progress kept),
  locks in a prediction (the lab's ``course:predicted`` event and ``courseQuiz.isLocked``), and
  downloads the record: ``check_record`` accepts it, it equals what ``record.py`` builds from the same
  progress, and ``python -m course_lib.quiz report`` names the answers.
* A phone (360 px), light and dark: no sideways scrolling, focus visible; screenshots for a person.
"""

from __future__ import annotations

import html
import json
import math
import shutil
import subprocess
import sys

import pytest

from course_lib.quiz import load_all_banks
from course_lib.quiz.grading import (
    AnswerError,
    compare_prediction,
    describe_prediction,
    grade,
    read_prediction,
)
from course_lib.quiz.session import saved_answer

pytestmark = pytest.mark.browser

START, FIRST = "00_start_here", "01_what_is_neuropathic_pain"
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The quiz's part of the site, served on 127.0.0.1: the site's style, the quiz's assets and the
    pages of notebooks 00 and 01, each with its record block, and 01 with notebook 06's table of every
    objective (the labs' own
    scripts left out: tests/browser/test_site_in_browser.py loads the whole site). Built in a second or
    two, not the whole site's half a minute."""
    from course_lib import site, site_labs, site_quiz
    from course_lib.syllabus import entry

    folder = tmp_path_factory.mktemp("quiz-site")
    (folder / "site.css").write_text(site.SITE_CSS, encoding="utf-8")
    if (site.REPO_ROOT / "assets").is_dir():
        shutil.copytree(site.REPO_ROOT / "assets", folder / "assets")
    site_quiz.write_assets(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(site_labs, "head_html", lambda body: "")
        for notebook in (START, FIRST):
            page = site.notebook_page(entry(notebook))  # with its record block, where site.py places it
            if notebook == FIRST:  # the table of every objective (notebook 06's), tried on a short page
                page = page.replace("</main>", site._scrollable_tables(site_quiz.objectives_html()) + "</main>")
            (folder / site.page_name(notebook)).write_text(page, encoding="utf-8")
    with site.serve(folder) as base:
        yield base, sorted(p.name for p in folder.glob("*.html"))


# ----------------------------------------------------------------------------- answers to try

_NUMBER_EDGES = ["", "   ", "abc", "twelve", "1,5", "1 000", "1/2", " 3 / 4 ", "\u0661\u0662", "\uff11\uff12",
                 "\u0967\u0968.\u0969", "\u22123", "-3", "+7", "1e3", "1E-2", "1e999", "-1e999", ".5", "5.",
                 "nan", "inf", "10\u00b2", "\u00bd", "12\n", "\u00a012\u00a0", "0", "-0", "100000.5",
                 "1234567", "0.0001234", "0.00001", "999999.5", "2.5e-7", "3 %", "3%", "3 percent",
                 "3 per cent", "3 pct", "3 mV", "3 zz", "7 " + "x" * 120, "1" * 30,
                 "\u0661\u0662 \u0645", "12 \u00b5s", "\t4\t"]


def _numbers_around(answer: float, tolerance: float) -> list[float]:
    values = [answer, answer + tolerance, answer - tolerance, answer + tolerance * 1.01 + 1e-6,
              answer - tolerance * 1.01 - 1e-6, answer * 10 + 1, answer / 10 - 1, -answer, 1.0, -1.0]
    return [v for v in values if math.isfinite(v)]


def answers_for(q) -> list:
    """The answers every question of type ``q.type`` is fed (JSON data both sides read)."""
    if q.type == "single":
        return [None, "", "no_such_option", *[o.id for o in q.options]]
    if q.type == "multiple":
        ids = [o.id for o in q.options]
        right = [o.id for o in q.options if o.id in q.answer]
        out = [[], ["no_such_option"], ids, right, right[:-1], *[[i] for i in ids]]
        out += [right + [i] for i in ids if i not in right]
        return out
    if q.type == "numeric":
        values = _numbers_around(q.answer, q.tolerance)
        values += [(r.low + r.high) / 2 for r in q.feedback_ranges] + [r.low for r in q.feedback_ranges]
        out = [f"{v:g}" for v in values] + [repr(v) for v in values]
        if q.unit:
            out += [f"{q.answer:g} {q.unit}", f"{q.answer:g}{q.unit}", f"{q.answer:g} {q.unit.upper()}",
                    *[f"{q.answer:g} {a}" for a in q.unit_aliases], f"{q.answer:g} furlongs"]
        return out + _NUMBER_EDGES
    if q.type == "categorise":
        groups = [g.id for g in q.groups]
        right = {i.id: i.group for i in q.items}
        first = {i.id: groups[0] for i in q.items}
        one_wrong = dict(right)
        one_wrong[q.items[0].id] = next(g for g in groups if g != q.items[0].group)
        missing = dict(right)
        missing[q.items[-1].id] = ""
        bad = dict(right)
        bad[q.items[0].id] = "no_such_group"
        return [{}, right, first, one_wrong, missing, bad, [], "x"]
    if q.type == "order":
        ids = [s.id for s in q.steps]
        n = len(ids)
        right = {sid: str(k + 1) for k, sid in enumerate(ids)}
        backwards = {sid: str(n - k) for k, sid in enumerate(ids)}
        swapped = dict(right)
        swapped[ids[0]], swapped[ids[1]] = right[ids[1]], right[ids[0]]
        repeated = dict(right)
        repeated[ids[1]] = "1"
        missing = dict(right)
        missing[ids[-1]] = ""
        odd = dict(right)
        odd[ids[0]] = "1.5"
        beyond = dict(right)
        beyond[ids[-1]] = str(n + 3)
        arabic = {sid: "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"[k + 1] for k, sid in enumerate(ids)}
        numbers = {sid: k + 1 for k, sid in enumerate(ids)}
        return [{}, right, backwards, swapped, repeated, missing, odd, beyond, arabic, numbers,
                ids, list(reversed(ids)), ids[:-1], "x"]
    return []


def python_verdict(verdict) -> dict:
    return {"valid": verdict.valid, "correct": verdict.correct, "score": round(verdict.score, 9),
            "headline": verdict.headline, "feedback": list(verdict.feedback), "wrong": list(verdict.wrong),
            "missed": list(verdict.missed)}


def predictions_for(q) -> list:
    if q.prediction == "choice":
        return [None, "", "no_such_option", *[o.id for o in q.options]]
    return [f"{q.tolerance:g}", "3", "3 " + (q.unit or "zz"), *_NUMBER_EDGES]


def observations_for(q) -> list:
    if q.prediction == "choice":
        values: list = [o.id for o in q.options] + ["no_such_option"]
        for o in q.options:
            for bound in (o.when or ()):
                if bound is not None:
                    values += [bound, bound - 0.5, bound + 0.25]
        return values + [-1000.0, 1e9]
    return [0, 1.0, q.tolerance, q.tolerance * 3 + 1, -2.5, 1e6, "a word"]


def python_commit(q, value) -> tuple:
    """PredictSession.commit without a store: the prediction read, or the reason it is not."""
    try:
        prediction = read_prediction(q, value)
    except AnswerError as exc:
        return None, {"valid": False, "correct": False, "score": 0.0, "headline": "Not checked yet",
                      "feedback": [str(exc)], "wrong": [], "missed": []}
    said = describe_prediction(q, prediction)
    return prediction, {"valid": True, "correct": False, "score": 0.0, "headline": "Prediction saved",
                        "feedback": [f"You predicted: {said}. Now {q.task}"], "wrong": [], "missed": []}


def parity_cases():
    """(question data for quiz.js, what to do, the input, Python's verdict) for every question."""
    from course_lib.site_quiz import question_data

    cases = []
    for bank in load_all_banks():
        for q in bank.questions:
            data = question_data(bank.notebook, q.id)
            if q.type != "predict":
                for answer in answers_for(q):
                    verdict = grade(q, answer)
                    want = python_verdict(verdict)
                    if verdict.valid:  # what the progress store keeps of it, for the record
                        want["saved"] = saved_answer(q, answer)
                    cases.append({"q": data, "op": "grade", "args": [answer], "want": want})
                continue
            predictions = []
            for value in predictions_for(q):
                prediction, want = python_commit(q, value)
                cases.append({"q": data, "op": "commit", "args": [value], "want": want})
                if prediction is not None:
                    predictions.append(prediction)
            for prediction in predictions[:4]:
                for observed in observations_for(q):
                    for description in ("", "Nav1.8 off, 400 pA step..."):
                        want = python_verdict(compare_prediction(q, prediction, observed, description))
                        cases.append({"q": data, "op": "compare", "args": [prediction, observed, description],
                                      "want": want})
    return cases


JS_RUN = """(cases) => cases.map((c) => {
  const Q = window.courseQuiz;
  let v;
  if (c.op === 'grade') v = Q.grade(c.q, c.args[0]);
  else if (c.op === 'commit') v = Q.commitVerdict(c.q, c.args[0])[1];
  else v = Q.comparePrediction(c.q, c.args[0], c.args[1], c.args[2]);
  const out = {valid: v.valid, correct: v.correct, score: Math.round(v.score * 1e9) / 1e9, headline: v.headline,
               feedback: v.feedback, wrong: v.wrong, missed: v.missed};
  if (c.op === 'grade' && v.valid) out.saved = Q.savedAnswer(c.q, c.args[0]);
  return out;
})"""


def test_the_browser_grades_every_question_as_python_does(browser, served):
    base, _pages = served
    cases = parity_cases()
    page = browser.new_page()
    page.goto(f"{base}/00_start_here.html", wait_until="load")
    page.wait_for_function("() => window.courseQuiz !== undefined")
    got = page.evaluate(JS_RUN, cases)
    page.close()
    mismatches = [f"{c['q']['nb']}/{c['q']['id']} {c['op']}{json.dumps(c['args'], ensure_ascii=False)}:\n"
                  f"  python {c['want']}\n  browser {g}"
                  for c, g in zip(cases, got) if g != c["want"]]
    assert len(cases) > 1000
    assert not mismatches, f"{len(mismatches)} of {len(cases)} differ:\n" + "\n".join(mismatches[:15])


# ----------------------------------------------------------------------------- a learner at work

def _question(page, qid):
    return page.locator(f"section.question[data-question='{qid}']")


def _watch(page, problems):
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))


def _progress(page) -> dict:
    """The progress this browser keeps, as the progress file holds it ({"notebooks": {...}})."""
    kept = page.evaluate("""() => Object.fromEntries(Object.keys(localStorage)
        .filter((k) => k.startsWith('course-quiz:') && k !== 'course-quiz:learner-id')
        .map((k) => [k.slice('course-quiz:'.length), JSON.parse(localStorage.getItem(k))]))""")
    return {"notebooks": kept}


def test_a_learner_predicts_answers_reloads_and_downloads_the_record(browser, served, tmp_path, screenshot_dir):
    from course_lib import syllabus
    from course_lib.quiz import load_bank
    from course_lib.quiz.record import build_record, check_record

    base, _pages = served
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 360, "height": 800}, accept_downloads=True)
    page = context.new_page()
    _watch(page, problems)

    # ---- notebook 00: a prediction locked in before anything is shown, then a lab's result
    start = load_bank(START)
    predict = start.get("predict_gentle_touch")
    page.goto(f"{base}/{START}.html", wait_until="load")
    page.wait_for_function("() => window.courseQuiz !== undefined")
    page.evaluate("""() => { window.predicted = [];
        document.addEventListener('course:predicted', (e) => window.predicted.push(e.detail)); }""")
    box = _question(page, predict.id)
    is_locked = f"() => window.courseQuiz.isLocked('{START}', '{predict.id}')"
    assert page.evaluate(is_locked) is False
    lock = box.locator("button.quiz-check")
    lock.click()
    assert "Choose your prediction first." in box.locator(".quiz-verdict").inner_text()
    assert box.locator(".quiz-explanation").is_hidden() and page.evaluate(is_locked) is False
    box.locator("input[type=radio]").nth(0).check()
    lock.focus()
    page.keyboard.press("Enter")
    verdict = box.locator(".quiz-verdict").inner_text()
    assert verdict.startswith("Prediction saved —") and predict.options[0].text in verdict
    assert page.evaluate("() => window.predicted") == [{"notebook": START, "question": predict.id}]
    assert page.evaluate(is_locked) is True
    assert lock.inner_text() == "Prediction locked in" and box.locator("input[type=radio]").nth(0).is_disabled()
    assert page.evaluate("() => document.activeElement.className").startswith("quiz-check")  # focus kept
    assert "What the model shows:" in box.locator(".quiz-explanation").inner_text()
    observed = predict.options[1].id
    page.evaluate("""([nb, q, value]) => document.dispatchEvent(new CustomEvent('course:observed',
        {detail: {notebook: nb, question: q, value: value, description: 'threshold at 3.'}}))""",
                  [START, predict.id, observed])
    want = compare_prediction(predict, predict.options[0].id, observed, "threshold at 3.")
    assert box.locator(".quiz-verdict").inner_text().startswith(want.headline + " —")
    assert "Your prediction beside the model's result" in box.locator(".quiz-comparison").inner_text()
    box.scroll_into_view_if_needed()
    box.screenshot(path=str(screenshot_dir / "site-quiz-360-predict.png"))

    # ---- a number: a unit it does not take costs nothing; then the answer, with Enter
    ms = start.get("milliseconds")
    box = _question(page, ms.id)
    field = box.locator("input.quiz-value")
    field.fill(f"{ms.answer * 1000:g} ms")
    field.press("Enter")
    assert "This question wants the answer in s" in box.locator(".quiz-verdict").inner_text()
    field.fill(f"{ms.answer:g} {ms.unit}")
    field.press("Enter")
    assert box.locator(".quiz-verdict").inner_text().startswith("Correct —")
    assert "Why:" in box.locator(".quiz-explanation").inner_text()

    # ---- a reload keeps it all: the lock, and the saved history
    page.reload(wait_until="load")
    page.wait_for_function("() => window.courseQuiz !== undefined")
    assert page.evaluate(is_locked) is True
    assert _question(page, predict.id).locator("button.quiz-check").inner_text() == "Prediction locked in"
    assert "Attempted once, last correct." in _question(page, ms.id).locator(".quiz-status").inner_text()
    assert "Predicted once" in _question(page, predict.id).locator(".quiz-status").inner_text()

    # ---- notebook 01: the keyboard alone; a wrong choice first, then the right one
    first = load_bank(FIRST)
    single = first.get("iasp_definition")
    wrong = next(k for k, o in enumerate(single.options) if o.id != single.answer)
    right = next(k for k, o in enumerate(single.options) if o.id == single.answer)
    page.goto(f"{base}/{FIRST}.html", wait_until="load")
    page.wait_for_function("() => window.courseQuiz !== undefined")
    box = _question(page, single.id)
    box.locator("input[type=radio]").nth(wrong).focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Check"
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    verdict = box.locator(".quiz-verdict").inner_text()
    assert verdict.startswith("Not quite —") and single.options[wrong].feedback.split()[0] in verdict
    assert f"{single.max_attempts - 1} attempts left before the answer is shown." in verdict
    box.locator("input[type=radio]").nth(right).check()
    box.locator("button.quiz-check").click()
    assert box.locator(".quiz-verdict").inner_text().startswith("Correct —")

    # ---- tick-all, order, hints and "Show answer"
    multiple = first.get("how_it_feels")
    box = _question(page, multiple.id)
    for tick in box.locator("input[type=checkbox]").all():
        tick.check()
    box.locator("button.quiz-check").click()
    want = grade(multiple, [o.id for o in multiple.options])
    assert box.locator(".quiz-verdict").inner_text().startswith(want.headline + " —")
    order = first.get("becoming_chronic")
    box = _question(page, order.id)
    for k, step in enumerate(order.shuffled_steps()):
        box.locator("select").nth(k).select_option(str(order.steps.index(step) + 1))
    box.locator("button.quiz-check").click()
    assert box.locator(".quiz-verdict").inner_text().startswith(f"Correct — All {len(order.steps)} steps")
    sort = first.get("sort_patient_stories")
    box = _question(page, sort.id)
    if sort.hints:
        box.locator("button.quiz-hint").click()
        assert f"Hint 1 of {len(sort.hints)}:" in box.locator(".quiz-hints").inner_text()
    box.locator("button.quiz-reveal").click()
    assert "Answer:" in box.locator(".quiz-explanation").inner_text()

    # ---- the record: the same file the Jupyter edition writes
    record_box = page.locator("section.quiz-record")
    record_box.locator("input.quiz-record-name").fill("  Ada   Lovelace ")
    with page.expect_download() as download:
        record_box.locator("button.quiz-record-download").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.startswith("course-record-") and path.suffix == ".json"
    record = check_record(json.loads(path.read_text(encoding="utf-8")))
    expected = build_record(_progress(page), load_all_banks(), syllabus.COURSE, name="  Ada   Lovelace ",
                            learner_id=record["learner_id"], generated=record["generated"])
    assert record == json.loads(json.dumps(expected))
    assert record["learner"] == "Ada Lovelace" and len(record["learner_id"]) == 32
    mine = record["notebooks"][FIRST]["questions"]
    assert mine[single.id]["first_wrong"] == [single.options[wrong].id] and mine[single.id]["attempts"] == 2
    assert record["notebooks"][START]["questions"][predict.id]["observed_option"] == observed
    assert "downloading" in record_box.locator(".quiz-record-message").inner_text()
    from course_lib.quiz.review import objective_status

    shown_statuses = page.locator("section.quiz-objectives .quiz-objective-status").all_inner_texts()
    assert shown_statuses == [objective_status(o, record["notebooks"]) for o in record["objectives"]]
    assert {"met", "not tried"} <= set(shown_statuses)
    report = subprocess.run([sys.executable, "-m", "course_lib.quiz", "report", str(path),
                             "--out", str(tmp_path / "report.html")], capture_output=True, text=True, timeout=120)
    assert report.returncode == 0, report.stderr
    assert "records read: 1 learners" in report.stdout and f"{FIRST}: mean first-try score" in report.stdout
    shown = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.escape(single.options[wrong].text[:40], quote=True) in shown

    # ---- the self-check says how each answer went, in the Jupyter edition's words
    from course_lib.lessons import _question_status

    progress = _progress(page)["notebooks"][FIRST]["questions"]
    for item in record_box.locator(".quiz-self-check li[data-qid]").all():
        qid = item.get_attribute("data-qid")
        want = _question_status(progress.get(qid), item.get_attribute("data-type") == "predict")
        assert item.locator(".quiz-self-status").inner_text() == want
    record_box.screenshot(path=str(screenshot_dir / "site-quiz-360-record.png"))
    statuses = record_box.locator(".quiz-self-check").inner_text()
    assert "correct" in statuses and "answer shown" in statuses and "not tried yet" in statuses

    # ---- "Reset progress…" asks first, then forgets this notebook only
    reset = record_box.locator("button.quiz-record-reset")
    reset.click()
    assert page.evaluate("() => document.activeElement.textContent") == "Yes, delete it"
    record_box.locator("button.quiz-record-no").click()
    assert record_box.locator(".quiz-record-message").inner_text() == "Nothing was deleted."
    reset.click()
    record_box.locator("button.quiz-record-yes").click()
    assert record_box.locator(".quiz-record-message").inner_text() == "Progress deleted."
    assert page.evaluate("() => document.activeElement.textContent") == "Reset progress…"
    assert "Not attempted yet." in _question(page, single.id).locator(".quiz-status").inner_text()
    assert _progress(page)["notebooks"][FIRST] == {"questions": {}}
    assert predict.id in _progress(page)["notebooks"][START]["questions"]

    # ---- a corrupt store never breaks a page: it is set aside, and the page starts afresh
    page.evaluate(f"() => localStorage.setItem('course-quiz:{FIRST}', '{{not json')")
    page.reload(wait_until="load")
    page.wait_for_function("() => window.courseQuiz !== undefined")
    assert "Not attempted yet." in _question(page, single.id).locator(".quiz-status").inner_text()
    kept = page.evaluate("() => Object.keys(localStorage).filter((k) => k.includes('set-aside')).length")
    assert kept == 1
    odd = {"questions": {single.id: "junk", multiple.id: {"attempts": "many", "revealed": 7, "best_score": None}}}
    page.evaluate("(text) => localStorage.setItem('course-quiz:" + FIRST + "', text)", json.dumps(odd))
    page.reload(wait_until="load")
    page.wait_for_function("() => window.courseQuiz !== undefined")
    from course_lib.quiz.progress import status_text

    for qid in (single.id, multiple.id):  # the words of the Jupyter edition for the same saved record
        saved = odd["questions"][qid] if isinstance(odd["questions"][qid], dict) else None
        assert _question(page, qid).locator(".quiz-status").inner_text() == f"Your progress: {status_text(saved)}"
    box = _question(page, single.id)
    box.locator("input[type=radio]").nth(right).check()
    box.locator("button.quiz-check").click()
    assert "Attempted once, last correct." in box.locator(".quiz-status").inner_text()
    odd_record = page.evaluate("() => window.courseQuiz.recordJson(window.courseQuiz.buildRecord(''))")
    assert check_record(json.loads(odd_record))["notebooks"][FIRST]["questions"][single.id]["best_score"] == 1
    context.close()
    assert problems == []


def test_questions_fit_a_phone_in_light_and_dark_and_pass_axe(browser, served, screenshot_dir):
    from axe_playwright_python.sync_playwright import Axe

    base, _pages = served
    problems: list[str] = []
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 360, "height": 780}, color_scheme=scheme)
        page = context.new_page()
        _watch(page, problems)
        page.goto(f"{base}/{FIRST}.html", wait_until="load")
        page.wait_for_function("() => window.courseQuiz !== undefined")
        for root in page.locator("section.question").all():  # a verdict, a hint, an answer in every box
            root.locator("button.quiz-check").click()
            if root.locator("button.quiz-hint").count():
                root.locator("button.quiz-hint").click()
            root.locator("button.quiz-reveal").click()
        sideways = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if sideways > 1:
            problems.append(f"{scheme}: {sideways} px of sideways scrolling")
        result = Axe().run(page, options={"resultTypes": ["violations"]})
        problems += [f"{scheme}: {v['id']} ({v['impact']}): {v['help']}"
                     for v in result.response["violations"] if v["impact"] in SERIOUS]
        first = page.locator("section.question").first
        first.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / f"site-quiz-360-{scheme}.png"))
        order = page.locator("section.question[data-type='order']").first
        order.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / f"site-quiz-360-{scheme}-order.png"))
        context.close()
    assert problems == []
