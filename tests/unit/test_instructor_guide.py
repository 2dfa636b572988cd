"""The instructor guide (docs/instructor_guide.md) and the README's "Teaching a class" section stay
true to the course: a lesson plan for every notebook of the course map with timing tables that add up,
question ids that exist in the banks, links that resolve, and course_lib.quiz / make commands that
exist (the concrete ones are run)."""

from __future__ import annotations

import contextlib
import io
import math
import re
import shlex
from pathlib import Path

import pytest

from course_lib.quiz import available_banks, load_bank
from course_lib.quiz.__main__ import main as quiz_main
from course_lib.syllabus import COURSE, REPO_ROOT

GUIDE = REPO_ROOT / "docs" / "instructor_guide.md"
README = REPO_ROOT / "README.md"
MAKEFILE = REPO_ROOT / "Makefile"

#: Backticked snake_case words in the guide that are not question ids (each is explained where used).
NOT_QUESTION_IDS = {"branch", "urlpath"}


def guide_text() -> str:
    return GUIDE.read_text(encoding="utf-8")


def readme_teaching_section() -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"^## Teaching a class\n(.*?)(?=^## )", text, re.S | re.M)
    assert found, "README.md has no '## Teaching a class' section"
    return found.group(1)


def banks() -> dict:
    """Every question bank that exists now: notebook id -> Bank."""
    loaded = {}
    for path in available_banks():
        bank = load_bank(path)
        loaded[bank.notebook] = bank
    return loaded


def all_question_ids() -> set[str]:
    return {q.id for bank in banks().values() for q in bank.questions}


def lesson_sections(text: str) -> dict[str, tuple[str, str]]:
    """'NN' -> (title in the heading, the section's text up to the next ### or ## heading)."""
    sections = {}
    for match in re.finditer(r"^### Notebook (\d\d): ([^\n]+)\n(.*?)(?=^#{2,3} )", text + "\n## end", re.S | re.M):
        number, title, body = match.groups()
        assert number not in sections, f"two lesson plans for notebook {number}"
        sections[number] = (title.strip(), body)
    return sections


def backticked_ids(text: str) -> set[str]:
    """Words in backticks that look like question ids (lower-case snake_case with an underscore)."""
    return {w for w in re.findall(r"`([a-z][a-z0-9]*(?:_[a-z0-9]+)+)`", text)}


def timing_table(body: str, minutes: int) -> list[int]:
    """The first column of the table after the '**N-minute class**' line."""
    found = re.search(rf"^\*\*{minutes}-minute class\*\*[^\n]*\n\n((?:\|[^\n]*\n)+)", body, re.M)
    assert found, f"no '**{minutes}-minute class**' table"
    rows = found.group(1).strip().splitlines()[2:]  # skip the header and the |---| line
    assert rows, f"the {minutes}-minute table is empty"
    return [int(row.split("|")[1].strip()) for row in rows]


# ----------------------------------------------------------------------------- lesson plans

def test_every_notebook_of_the_course_map_has_a_lesson_plan_with_its_title():
    sections = lesson_sections(guide_text())
    for entry in COURSE:
        number = f"{entry.number:02d}"
        assert number in sections, f"no lesson plan '### Notebook {number}: {entry.title}'"
        assert sections[number][0] == entry.title, (
            f"lesson plan {number} is titled {sections[number][0]!r}; the course map says {entry.title!r}")
    assert set(sections) == {f"{e.number:02d}" for e in COURSE}, "a lesson plan for a notebook not in the map"


@pytest.mark.parametrize("minutes", [50, 90])
def test_every_timing_table_adds_up_to_the_class_length(minutes):
    for number, (_title, body) in lesson_sections(guide_text()).items():
        rows = timing_table(body, minutes)
        assert all(r > 0 for r in rows), f"notebook {number}: a row of 0 minutes"
        assert sum(rows) == minutes, f"notebook {number}: the {minutes}-minute plan adds up to {sum(rows)}"


def timing_rows(body: str, minutes: int) -> list[tuple[int, str]]:
    """(minutes, part) for each row of the '**N-minute class**' table."""
    found = re.search(rf"^\*\*{minutes}-minute class\*\*[^\n]*\n\n((?:\|[^\n]*\n)+)", body, re.M)
    assert found, f"no '**{minutes}-minute class**' table"
    return [(int(row.split("|")[1]), row.split("|")[2].strip())
            for row in found.group(1).strip().splitlines()[2:]]


def at_home_line(body: str, minutes: int) -> str:
    found = re.search(rf"^\*\*{minutes}-minute class\*\*[^\n]*\n\n(?:\|[^\n]*\n)+\n\*\*At home:\*\* ([^\n]+)", body, re.M)
    assert found, f"the {minutes}-minute table is not followed by an '**At home:**' line"
    return found.group(1)


def sections_named(text: str) -> set[int]:
    """Section numbers in 'Section 4', 'Sections 2 and 3', 'Sections 6 to 8', 'sections 2, 3 and 7'."""
    named: set[int] = set()
    for match in re.finditer(r"\b[Ss]ections? ((?:\d+(?:, | and | to )?)+)", text):
        phrase = match.group(1)
        for low, high in re.findall(r"(\d+) to (\d+)", phrase):
            named.update(range(int(low), int(high) + 1))
        named.update(int(n) for n in re.findall(r"\d+", phrase))
    return named


def notebook_sections(number: str) -> dict[int, str]:
    """Numbered '## N. ...' headings of a notebook: N -> heading."""
    import nbformat

    path = next(e.path for e in COURSE if f"{e.number:02d}" == number)
    nb = nbformat.read(path, as_version=4)
    return {int(m.group(1)): m.group(2) for c in nb.cells if c.cell_type == "markdown"
            for m in [re.match(r"## (\d+)\. ([^\n]+)", c.source)] if m}


def quiz_questions(number: str) -> int:
    """How many questions the notebook's end-of-notebook quiz asks."""
    import importlib

    from course_lib.quiz.review import REVIEW

    lesson = importlib.import_module(f"course_lib.lessons.nb{number}").LESSON
    return len(lesson.quiz_ids) + (len(REVIEW) if number == "06" else 0)


def test_sections_named_reads_single_pairs_lists_and_ranges():
    assert sections_named("Section 4, *x*") == {4}
    assert sections_named("Sections 2 and 3; sections 6 to 8, Sara") == {2, 3, 6, 7, 8}
    assert sections_named("sections 2, 3 and 7, and section 8, *Quiz*") == {2, 3, 7, 8}
    assert sections_named("Notebook 01, and the quiz") == set()


@pytest.mark.parametrize("minutes", [50, 90])
def test_every_plan_opens_the_course_and_sends_home_what_it_leaves(minutes):
    """Issue 22: a plan includes opening the course, and every section is done in class or at home."""
    for number, (_title, body) in lesson_sections(guide_text()).items():
        rows = timing_rows(body, minutes)
        first_minutes, first_part = rows[0]
        assert "open the course" in first_part.lower() and first_minutes >= 3, (
            f"notebook {number}: the {minutes}-minute plan must start by opening the course (3 minutes or more)")
        # 00's plans go on into notebook 01: only rows about 00 itself name 00's sections
        in_class = set().union(*(sections_named(part) for _m, part in rows if "Notebook 0" not in part))
        at_home = sections_named(at_home_line(body, minutes).split("notebook 01")[0])
        sections = notebook_sections(number)
        missing = set(sections) - in_class - at_home
        assert not missing, f"notebook {number}, {minutes} minutes: sections {sorted(missing)} are neither in class nor at home"
        assert in_class | at_home <= set(sections), f"notebook {number}: a plan names a section the notebook lacks"
        assert not in_class & at_home, f"notebook {number}: sections {sorted(in_class & at_home)} both in class and at home"


@pytest.mark.parametrize("minutes", [50, 90])
def test_a_quiz_done_in_class_gets_a_minute_and_a_half_per_question(minutes):
    """The course map counts 1.5 minutes a question for one learner; a class needs at least that."""
    for number, (_title, body) in lesson_sections(guide_text()).items():
        quiz = [n for n, heading in notebook_sections(number).items() if "Quiz" in heading]
        if not quiz:
            continue  # notebook 00's practice questions are its section 3
        for row_minutes, part in timing_rows(body, minutes):
            if quiz[0] in sections_named(part):
                needed = math.ceil(1.5 * quiz_questions(number))
                assert row_minutes >= needed, (
                    f"notebook {number}: {row_minutes} minutes for a {quiz_questions(number)}-question quiz "
                    f"in the {minutes}-minute plan (at least {needed}, or set it at home)")


def test_every_lesson_plan_has_predictions_prompts_with_answers_and_misconceptions():
    for number, (_title, body) in lesson_sections(guide_text()).items():
        for heading in ("**Pause for predictions**", "**Discussion prompts, with model answers**",
                        "**Misconceptions to listen for**"):
            assert heading in body, f"notebook {number}: no {heading}"
        prompts = re.findall(r"^\d+\. .*?(?=^\d+\. |^\*\*|\Z)", body.split(
            "**Discussion prompts, with model answers**")[1], re.S | re.M)
        assert prompts, f"notebook {number}: no numbered discussion prompt"
        for prompt in prompts:
            assert "Model answer" in " ".join(prompt.split()), f"notebook {number}: a prompt without a model answer: {prompt[:60]}"


def test_every_predict_question_of_a_notebook_is_named_in_its_lesson_plan():
    sections = lesson_sections(guide_text())
    for notebook, bank in banks().items():
        body = sections[notebook[:2]][1]
        pauses = body.split("**Pause for predictions**")[1].split("**Discussion prompts")[0]
        for question in bank.questions:
            if question.type == "predict":
                assert f"`{question.id}`" in pauses, (
                    f"{notebook}: the guide's lesson plan does not name the predict question `{question.id}` "
                    "under 'Pause for predictions' (a bank that is new or changed: update the plan)")


def test_question_ids_in_a_lesson_plan_belong_to_that_notebooks_bank():
    loaded = banks()
    for number, (_title, body) in lesson_sections(guide_text()).items():
        own = next((b for nb, b in loaded.items() if nb.startswith(number)), None)
        own_ids = {q.id for q in own.questions} if own else set()
        # a plan may point to a question of an earlier notebook, but every id must exist somewhere
        named = backticked_ids(body) - NOT_QUESTION_IDS
        unknown = named - all_question_ids()
        assert not unknown, f"notebook {number}: ids not in any bank: {sorted(unknown)}"
        if own is None:  # bank not written yet: describe the sections, name no ids of its own
            continue
        assert named & own_ids, (f"notebook {number}: its bank exists, but the lesson plan names none of its "
                                 "questions: write its pauses and misconceptions with the question ids")


def test_every_question_id_the_guide_names_exists_in_the_banks():
    named = backticked_ids(guide_text()) - NOT_QUESTION_IDS
    unknown = named - all_question_ids()
    assert not unknown, f"the guide names question ids no bank has: {sorted(unknown)}"
    assert NOT_QUESTION_IDS.isdisjoint(all_question_ids()), "an allow-listed word became a question id"


# ----------------------------------------------------------------------------- links

def relative_links(text: str) -> list[str]:
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    return [t for t in targets if not re.match(r"[a-z]+:", t)]


def heading_anchors(text: str) -> set[str]:
    """GitHub's anchors for the headings of a Markdown text."""
    anchors = set()
    for heading in re.findall(r"^#{1,6} (.+)$", text, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors


@pytest.mark.parametrize("source", ["guide", "readme"])
def test_every_relative_link_resolves(source):
    if source == "guide":
        text, folder, anchors = guide_text(), GUIDE.parent, heading_anchors(guide_text())
    else:
        text, folder, anchors = readme_teaching_section(), README.parent, heading_anchors(
            README.read_text(encoding="utf-8"))
    links = relative_links(text)
    assert links, "no relative links found: the parser or the text changed"
    for link in links:
        path, _, anchor = link.partition("#")
        if not path:
            assert anchor in anchors, f"{source}: link to a missing heading #{anchor}"
            continue
        target = (folder / path).resolve()
        assert target.exists(), f"{source}: {link} does not resolve ({target})"
        assert REPO_ROOT.resolve() in target.parents, f"{source}: {link} leaves the repository"


def test_readme_section_points_to_the_guide_and_the_report():
    section = readme_teaching_section()
    assert "](docs/instructor_guide.md)" in section
    assert "python -m course_lib.quiz report" in section


# ----------------------------------------------------------------------------- commands

def quiz_subcommands() -> set[str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as done:
        quiz_main(["--help"])
    assert done.value.code == 0
    found = re.search(r"\{([a-z,]+)\}", out.getvalue())
    assert found, out.getvalue()
    return set(found.group(1).split(","))


def shown_quiz_commands(text: str) -> list[list[str]]:
    """Every `python -m course_lib.quiz ...` the text shows, as argument lists, without comments,
    redirections or a trailing backtick."""
    commands = []
    for line in re.findall(r"python -m course_lib\.quiz([^`\n]*)", text):
        line = line.split("#")[0].split(">")[0]
        commands.append(shlex.split(line))
    return commands


def is_placeholder(word: str) -> bool:
    return word.isupper() or "..." in word or word.startswith(("[", "<"))


@pytest.mark.parametrize("source", ["guide", "readme"])
def test_every_quiz_command_shown_is_a_real_subcommand(source, tmp_path, monkeypatch, capsys):
    text = guide_text() if source == "guide" else readme_teaching_section()
    commands = shown_quiz_commands(text)
    assert commands, "no course_lib.quiz command found: the parser or the text changed"
    real = quiz_subcommands()
    capsys.readouterr()
    monkeypatch.chdir(tmp_path)  # `report` writes its page in the current folder
    for args in commands:
        assert args and args[0] in real, f"{source}: `course_lib.quiz {' '.join(args)}` is not one of {sorted(real)}"
        if args[0] == "report" or any(is_placeholder(a) for a in args):
            # its arguments are placeholders or files the instructor has: the subcommand must accept
            # the options shown
            options = [a for a in args[1:] if a.startswith("--")]
            out = io.StringIO()
            with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
                quiz_main([args[0], "--help"])
            for option in options:
                assert option in out.getvalue(), f"{source}: {args[0]} has no option {option}"
            continue
        assert quiz_main(args) == 0, f"{source}: `course_lib.quiz {' '.join(args)}` failed"
        capsys.readouterr()


def test_every_make_target_shown_exists():
    targets = set(re.findall(r"^([a-z][a-z-]*):", MAKEFILE.read_text(encoding="utf-8"), re.M))
    # commands in code: `make lab` inline, or a line of a code block
    shown = set(re.findall(r"(?:^|`)make ([a-z][a-z-]*)", guide_text() + readme_teaching_section(), re.M))
    assert shown, "no make command found"
    assert shown <= targets, f"make targets shown but not in the Makefile: {sorted(shown - targets)}"


def test_python_snippets_in_the_guide_name_real_functions():
    """The guide's `from course_lib... import ...` lines import."""
    for module, names in re.findall(r"from (course_lib[\w.]*) import ([\w, ]+)", guide_text()):
        imported = __import__(module, fromlist=["_"])
        for name in (n.strip() for n in names.split(",")):
            assert hasattr(imported, name), f"{module} has no {name}"


# ----------------------------------------------------------------------------- facts the guide states

def test_the_nbgitpuller_link_opens_a_real_notebook_like_the_course_map_builds_it():
    import urllib.parse

    from course_lib.syllabus import entry, nbgitpuller_url

    links = re.findall(r"https://HUB/hub/user-redirect/git-pull\?\S+", guide_text())
    assert links, "the guide shows no nbgitpuller link"
    for link in links:
        query = urllib.parse.parse_qs(urllib.parse.urlparse(link).query)
        assert set(query) == {"repo", "urlpath", "branch"}, link
        assert query["branch"] == ["main"]
        repo = query["repo"][0]
        assert repo == "https://github.com/ORG/REPO", repo
        folder, notebook_path = re.fullmatch(r"lab/tree/([^/]+)/(notebooks/.+\.ipynb)", query["urlpath"][0]).groups()
        assert folder == repo.rsplit("/", 1)[1], "urlpath must start with the folder nbgitpuller makes"
        assert (REPO_ROOT / notebook_path).is_file(), f"{notebook_path} is not a notebook of the course"
        # the same three parameters as the course's own link builder
        built = nbgitpuller_url("HUB", entry(Path(notebook_path).stem), repository="ORG/REPO")
        assert urllib.parse.parse_qs(urllib.parse.urlparse(built).query) == query


def lab_menu_paths() -> dict[str, list[list[str]]]:
    """JupyterLab's main-menu paths of every command, read from the installed JupyterLab's schemas."""
    import json
    import sys

    schemas = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas" / "@jupyterlab"
    assert schemas.is_dir(), f"no JupyterLab schemas at {schemas}"
    paths: dict[str, list[list[str]]] = {}

    def walk(items, path):
        for item in items:
            if item.get("command"):
                paths.setdefault(item["command"], []).append(path)
            submenu = item.get("submenu")
            if submenu:
                walk(submenu.get("items", []), path + [submenu.get("label") or submenu.get("id")])

    for schema in schemas.glob("*/*.json"):
        for menu in json.loads(schema.read_text(encoding="utf-8")).get("jupyter.lab.menus", {}).get("main", []):
            walk(menu.get("items", []), [menu.get("id")])
    return paths


@pytest.mark.parametrize("command, menu, words", [
    ("application:toggle-presentation-mode", ["jp-mainmenu-view", "Appearance"],
     "*View > Appearance > Presentation Mode*"),
    ("application:toggle-mode", ["jp-mainmenu-view", "Appearance"], "*View > Appearance > Simple Interface*"),
    ("application:toggle-fullscreen-mode", ["jp-mainmenu-view", "Appearance"],
     "*View > Appearance > Fullscreen Mode*"),
    ("apputils:activate-command-palette", ["jp-mainmenu-view"], "*View > Command Palette*"),
    ("apputils:incr-font-size", ["jp-mainmenu-settings", "Theme"], "*Settings > Theme* also has"),
])
def test_the_jupyterlab_menus_the_guide_names_are_where_it_says(command, menu, words):
    assert words in guide_text(), f"the guide no longer says {words!r}: update this test"
    assert menu in lab_menu_paths().get(command, []), f"{command} is not in the menu {menu} of this JupyterLab"


def test_the_report_summary_shown_in_the_guide_has_the_reports_own_format(tmp_path):
    """Every line of the guide's sample summary matches a line the report prints for a class with a
    duplicate, a record from another version and broken files (numbers and paths aside)."""
    import json
    import uuid

    from course_lib.quiz import load_all_banks
    from course_lib.quiz.record import build_record, record_json
    from course_lib.quiz.report import build_report

    sample = re.search(r"```text\n(records read:.*?)```", guide_text(), re.S)
    assert sample, "the guide shows no report summary"
    all_banks = load_all_banks()
    first = next(b for b in all_banks if b.notebook.startswith("01_"))  # answered by everyone below
    records = []
    for k in range(3):
        answers = {q.id: {"attempts": 1, "first_correct": True, "best_score": 1.0, "last_correct": True}
                   for q in first.questions if q.type != "predict"}
        records.append(build_record({"notebooks": {first.notebook: {"questions": answers}}}, all_banks, COURSE,
                                    learner_id=uuid.UUID(int=k + 1).hex, generated=f"2026-03-01T10:0{k}:00+00:00"))
    folder = tmp_path / "records"
    folder.mkdir()
    for k, record in enumerate(records):
        (folder / f"learner{k}.json").write_text(record_json(record), encoding="utf-8")
    (folder / "learner0-again.json").write_text(record_json({**records[0], "generated": "2026-03-02T10:00:00+00:00"}),
                                                encoding="utf-8")
    old = {**json.loads(record_json(records[1])), "course_version": "0.0.1", "learner_id": uuid.UUID(int=99).hex}
    (folder / "old-version.json").write_text(json.dumps(old), encoding="utf-8")
    (folder / "broken.json").write_text('{"format": "course-record",', encoding="utf-8")
    (folder / "notes.json").write_text("[1, 2]", encoding="utf-8")
    _read, _stats, lines = build_report([folder], tmp_path / "report.html")
    for shown in sample.group(1).strip().splitlines():
        if shown.strip() == "...":
            continue
        # numbers and paths vary; "..." in a line stands for any text
        pattern = re.escape(shown.strip())
        pattern = pattern.replace(re.escape("..."), ".*")
        pattern = re.sub(r"\d+(?:\\\.\d+)*", r"\\d+(?:\\.\\d+)*", pattern)
        assert any(re.fullmatch(pattern, line.strip()) for line in lines), (
            f"the guide's summary line {shown!r} matches no line the report prints:\n" + "\n".join(lines))


def test_the_record_files_and_report_default_the_guide_names(tmp_path):
    from course_lib.quiz import ProgressStore, record_view

    text = guide_text()
    view = record_view(ProgressStore(tmp_path))
    view.make()
    names = re.findall(r'download="([^"]+)"', view.links.value)
    assert sorted(re.sub(r"\d{4}-\d\d-\d\d", "DATE", n) for n in names) == \
        ["course-record-DATE.html", "course-record-DATE.json"]
    for name in ("course-record-DATE.html", "course-record-DATE.json"):
        assert f"`{name}`" in text
    assert view.button.description in text, "the guide must name the button as learners see it"
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        quiz_main(["report", "--help"])
    default = re.search(r"default: (\S+?)\)", out.getvalue()).group(1)
    assert f"the page is `{default}`" in text


def notebook_headings(path: Path) -> dict[str, str]:
    """'N' -> the title of the notebook's '## N. Title' heading."""
    import json

    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    headings = {}
    for cell in cells:
        if cell["cell_type"] == "markdown":
            for number, title in re.findall(r"^## (\d+)\. (.+)$", "".join(cell["source"]), re.M):
                headings[number] = title.strip()
    return headings


def test_sections_the_plans_cite_have_those_titles_in_the_notebooks():
    """'Section 3, *Lab: wind-up*' in a plan: the notebook's section 3 title starts with those words.
    Checked for every notebook whose file exists (the enabled ones at least)."""
    sections = lesson_sections(guide_text())
    checked = set()
    for entry in COURSE:
        if not entry.path.is_file():
            assert not entry.enabled, f"{entry.id} is enabled but has no notebook file"
            continue
        headings = notebook_headings(entry.path)
        body = sections[f"{entry.number:02d}"][1]
        cited = re.findall(r"[Ss]ection (\d+), \*([^*]+)\*", body)
        assert cited, f"{entry.id}: the plan cites no section by number and title"
        for number, title in cited:
            assert number in headings, f"{entry.id} has no section {number} (the guide cites *{title}*)"
            assert headings[number].startswith(title), (
                f"{entry.id} section {number} is {headings[number]!r}; the guide calls it {title!r}")
        checked.add(entry.id)
    assert {e.id for e in COURSE if e.enabled} <= checked


# ----------------------------------------------------------------------------- one home for instructor notes

def _prompt_count(body: str) -> int:
    listed = body.split("**Discussion prompts, with model answers**")[1].split("**Misconceptions")[0]
    return len(re.findall(r"^\d+\. ", listed, re.M))


def test_prompt_numbers_a_plan_refers_to_exist_in_its_own_list():
    for number, (_title, body) in lesson_sections(guide_text()).items():
        count = _prompt_count(body)
        for words in re.findall(r"discussion prompts? ([\d, and]+)", body):
            for cited in re.findall(r"\d+", words):
                assert 1 <= int(cited) <= count, (
                    f"notebook {number}: a plan refers to discussion prompt {cited}; the list has {count}")


def test_the_guide_is_the_one_home_of_instructor_notes():
    """A notebook ends with a one-line pointer to its lesson plan, never its own prompts or timings,
    so the guide and the notebooks cannot drift apart."""
    import nbformat

    for entry in COURSE:
        nb = nbformat.read(entry.path, as_version=4)
        texts = ["".join(cell.source) for cell in nb.cells if cell.cell_type == "markdown"]
        instructor = [t for t in texts if t.startswith("## For instructors")]
        assert len(instructor) == 1, f"{entry.id}: one '## For instructors' pointer expected"
        pointer = instructor[0]
        assert "docs/instructor_guide.md" in pointer and len(pointer.split()) <= 60, pointer
        if entry.number:
            assert f'"Notebook {entry.number:02d}"' in pointer, f"{entry.id}: the pointer names no section"
        for text in texts:
            for note in ("Model answer", "Discussion prompt", "**Timing:**", "Predict moments"):
                assert note not in text, f"{entry.id}: instructor notes ({note!r}) belong in the guide"
