"""Checks that every committed notebook is in the state DESIGN.md requires.

Each check takes a notebook (an ``nbformat.NotebookNode``) and returns a list of problems in words;
an empty list means the notebook passes. The tests run them over every notebook in the course map,
and over broken fixture notebooks to show that each check can fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from course_lib.placeholder import PLACEHOLDER_CLASS

MAX_NOTEBOOK_BYTES = 1_000_000
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"


def code_cells(nb) -> list:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def check_executed_in_order(nb) -> list[str]:
    """Execution counts must be exactly 1..N: run top to bottom in a fresh kernel."""
    counts = [cell.get("execution_count") for cell in code_cells(nb)]
    if counts and all(count is None for count in counts):
        return ["no code cell has been executed: nbval would compare nothing (commit it executed)"]
    expected = list(range(1, len(counts) + 1))
    if counts != expected:
        return [f"execution counts are {counts}, expected {expected}: re-run in a fresh kernel"]
    return []


def check_has_outputs(nb) -> list[str]:
    """A notebook whose outputs were stripped checks nothing under nbval."""
    if code_cells(nb) and not any(cell.get("outputs") for cell in code_cells(nb)):
        return ["no stored outputs at all (stripped?): nbval would silently compare nothing"]
    return []


def check_no_errors(nb) -> list[str]:
    problems = []
    for index, cell in enumerate(code_cells(nb), start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                problems.append(f"code cell {index} stores an error: {output.get('ename')}: {output.get('evalue')}")
            elif output.get("output_type") == "stream" and "Traceback (most recent call last)" in output.get("text", ""):
                problems.append(f"code cell {index} prints a traceback")
    return problems


def check_no_widget_state(nb) -> list[str]:
    if "widgets" in nb.metadata:
        return ["widget state is saved in the metadata (megabytes of plotly JS): save without it"]
    return []


def check_kernelspec(nb) -> list[str]:
    name = nb.metadata.get("kernelspec", {}).get("name")
    return [] if name == "python3" else [f"kernelspec is {name!r}, expected 'python3'"]


def check_title(nb) -> list[str]:
    first = nb.cells[0] if nb.cells else None
    if first is None or first.cell_type != "markdown" or not re.match(r"^# \S", first.source):
        return ["the first cell must be Markdown starting with an H1 title ('# ...')"]
    return []


def first_heading(nb) -> str:
    return nb.cells[0].source.splitlines()[0].removeprefix("# ").strip() if nb.cells else ""


def check_what_youll_section(nb) -> list[str]:
    for cell in nb.cells:
        if cell.cell_type == "markdown" and re.search(r"^#+ .*What you.ll", cell.source, re.MULTILINE):
            return []
    return ["no 'What you'll ...' section (what you'll do / learn / need)"]


def stated_minutes(nb) -> int | None:
    """The minutes given in the notebook's 'Estimated time: N minutes' line."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"Estimated time:\**\s*(\d+)\s*minutes", cell.source)
            if match:
                return int(match.group(1))
    return None


def check_minutes(nb, expected_minutes: int) -> list[str]:
    found = stated_minutes(nb)
    if found != expected_minutes:
        return [f"'Estimated time' says {found} minutes but the course map says {expected_minutes}"]
    return []


def check_size(path: Path) -> list[str]:
    size = path.stat().st_size
    return [] if size <= MAX_NOTEBOOK_BYTES else [f"{size:,} bytes, over the {MAX_NOTEBOOK_BYTES:,} limit"]


def check_has_disclaimer(nb) -> list[str]:
    text = " ".join(cell.source for cell in nb.cells if cell.cell_type == "markdown").lower()
    return [] if "not medical advice" in text else ["no 'not medical advice' disclaimer in the text"]


CHECK_TAG = "nbval-check-output"


def tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def check_has_checked_output(nb) -> list[str]:
    """The numbers the prose relies on must sit in cells nbval compares (cell tag, not a comment)."""
    problems = [f"code cell {i}: a visible '# NBVAL_CHECK_OUTPUT' comment; use the cell tag {CHECK_TAG!r}"
                for i, cell in enumerate(code_cells(nb), start=1) if "NBVAL_CHECK_OUTPUT" in cell.source]
    problems += [f"code cell {i} is tagged {CHECK_TAG!r} but stores no output"
                 for i, cell in enumerate(code_cells(nb), start=1)
                 if CHECK_TAG in tags(cell) and not cell.get("outputs")]
    if not any(CHECK_TAG in tags(cell) and cell.get("outputs") for cell in code_cells(nb)):
        problems.append(f"no cell tagged {CHECK_TAG!r} with stored output: nothing ties the prose to the model")
    return problems


def all_problems(path: Path, expected_minutes: int, expected_title: str | None = None) -> list[str]:
    """Every problem of the notebook at ``path`` (empty: it passes)."""
    nb = nbformat.read(path, as_version=4)
    problems = (
        check_executed_in_order(nb)
        + check_has_outputs(nb)
        + check_no_errors(nb)
        + check_no_widget_state(nb)
        + check_kernelspec(nb)
        + check_title(nb)
        + check_what_youll_section(nb)
        + check_minutes(nb, expected_minutes)
        + check_size(path)
        + check_has_disclaimer(nb)
        + check_has_checked_output(nb)
        + check_no_spoilers(nb)
        + check_first_view(nb)
        + check_code_is_narration(nb)
    )
    if expected_title is not None and first_heading(nb) != expected_title:
        problems.append(f"title is {first_heading(nb)!r} but the course map says {expected_title!r}")
    return problems


# ----- what a learner sees (DESIGN.md "What a learner sees") -----------------------------------

EXPLAIN_SUMMARY_WORDS = "after you have locked in"
LAB_OR_QUIZ = {"lab", "quiz"}
BARE_REPRS = ("VBox(", "HBox(", "FigureWidget(", "Error displaying widget")


def sections(nb) -> list[list[tuple[int, object]]]:
    """Cells grouped by "## " headings, each cell with its index in the notebook."""
    groups: list[list[tuple[int, object]]] = [[]]
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and re.match(r"^## ", cell.source):
            groups.append([])
        groups[-1].append((index, cell))
    return groups


def _collapsed_html(output) -> bool:
    rich = str(output.get("data", {}).get("text/html", "")).lstrip()
    return rich.startswith("<details") and not re.match(r"<details[^>]*\bopen\b", rich)


def check_explain_cell(index: int, cell) -> list[str]:
    """An Explain cell shows nothing until the learner opens it."""
    where = f"cell {index + 1} (explain)"
    if cell.cell_type == "markdown":
        text = cell.source.strip()
        if not (text.startswith("<details>") and text.endswith("</details>")) or re.search(r"<details[^>]*\bopen\b", text):
            return [f"{where}: its text must sit in one closed <details> block"]
        summary = re.search(r"<summary>(.*?)</summary>", text, re.DOTALL)
        if not summary or EXPLAIN_SUMMARY_WORDS not in summary.group(1):
            return [f"{where}: its <summary> must say to open it {EXPLAIN_SUMMARY_WORDS!r} your prediction"]
        return []
    problems = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            problems.append(f"{where}: prints text that shows before anyone predicts; show it collapsed (model_numbers)")
        elif output.get("output_type") in ("display_data", "execute_result") and not _collapsed_html(output):
            problems.append(f"{where}: its output is not a closed <details> block")
    return problems


def check_no_spoilers(nb) -> list[str]:
    """Nothing after a Predict cell, in its section, answers it until the learner asks.

    In a section holding a cell tagged "predict": every code cell after it is its lab, another
    question, or tagged "explain"; every Markdown cell after the section's first lab is tagged
    "explain"; and every "explain" cell is collapsed (closed <details>, stored outputs included).
    """
    problems = []
    for group in sections(nb):
        predicts = [i for i, (_, cell) in enumerate(group) if "predict" in tags(cell)]
        if not predicts:
            continue
        after = group[predicts[0] + 1:]
        first_lab = next((k for k, (_, cell) in enumerate(after) if "lab" in tags(cell)), len(after))
        for k, (index, cell) in enumerate(after):
            cell_tags = set(tags(cell))
            if cell.cell_type == "code" and not cell_tags & (LAB_OR_QUIZ | {"explain"}):
                problems.append(f"cell {index + 1}: code after a Predict question must be its lab or tagged 'explain'")
            if cell.cell_type == "markdown" and k > first_lab and "explain" not in cell_tags:
                problems.append(f"cell {index + 1}: text after the lab of a Predict question must be tagged 'explain' (collapsed)")
    for index, cell in enumerate(nb.cells):
        if "explain" in tags(cell):
            problems += check_explain_cell(index, cell)
    return problems


def check_first_view(nb) -> list[str]:
    """Opened without running, every lab and quiz cell shows a readable placeholder, never a widget error."""
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        outputs = cell.get("outputs", [])
        for output in outputs:
            data = output.get("data", {})
            if WIDGET_VIEW_MIME in data:
                problems.append(f"cell {index + 1}: stores a widget view, which renders as an error without "
                                "widget state (run tools/execute_notebooks.py)")
            plain = "".join(data.get("text/plain", ""))
            if plain.startswith(BARE_REPRS):
                problems.append(f"cell {index + 1}: stores a bare widget repr {plain[:30]!r}")
        if set(tags(cell)) & LAB_OR_QUIZ and not any(
                PLACEHOLDER_CLASS in str(o.get("data", {}).get("text/html", "")) for o in outputs):
            problems.append(f"cell {index + 1}: a lab or quiz cell without a 'Run this cell' placeholder")
    return problems


MAX_VISIBLE_CODE_LINES = 1


def check_code_is_narration(nb) -> list[str]:
    """One short call per visible code cell; imports only in the one-line setup cell."""
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"):
            continue
        lines = [line for line in cell.source.splitlines() if line.strip()]
        if len(lines) > MAX_VISIBLE_CODE_LINES:
            problems.append(f"cell {index + 1}: {len(lines)} visible code lines; put the code in a lesson "
                            "function or collapse it (jupyter.source_hidden)")
        if "lambda" in cell.source:
            problems.append(f"cell {index + 1}: wiring (lambda) in a visible cell; it belongs in course_lib.lessons")
        if re.search(r"^\s*(from|import) ", cell.source, re.MULTILINE) and "setup" not in tags(cell):
            problems.append(f"cell {index + 1}: an import outside the setup cell")
    setup = [cell for cell in nb.cells if "setup" in tags(cell)]
    if len(setup) != 1 or not re.fullmatch(r"from course_lib\.lessons\.nb\d\d import \*", setup[0].source.strip()):
        problems.append("the notebook needs one setup cell: 'from course_lib.lessons.nbNN import *'")
    return problems


def visible_code_lines(nb) -> int:
    return sum(len([line for line in cell.source.splitlines() if line.strip()])
               for cell in code_cells(nb)
               if not cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"))


# ----- course-map checks: objectives, glossary, question order, plain summary -----------------

def markdown_sources(nb) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "markdown"]


def check_generated_text(nb, notebook_id: str) -> list[str]:
    """Objectives, definitions and the word list match syllabus.py and glossary.yaml."""
    from course_lib.glossary import definition_problems
    from course_lib.notebook_text import has_objectives_block, has_words_block, synced_markdown

    sources = markdown_sources(nb)
    problems = []
    if not has_objectives_block(sources):
        problems.append("no objectives block (By the end you can ...) from syllabus.py")
    if not has_words_block(sources):
        problems.append("no 'Words from this notebook' block from the glossary")
    problems += definition_problems(sources)
    if synced_markdown(sources, notebook_id) != sources:
        problems.append("objectives, definitions or word list are stale: run tools/sync_notebook_text.py")
    return problems


def questions_in_order(nb, quiz_ids: tuple[str, ...]) -> list[str]:
    """Question ids in the order a learner meets them (a quiz() call stands for its questions)."""
    from course_lib.quiz.loader import questions_called

    return [qid for cell in code_cells(nb) for qid in questions_called(cell.source, quiz_ids)]


def check_question_order(nb, bank_ids: list[str], quiz_ids: tuple[str, ...]) -> list[str]:
    met = questions_in_order(nb, quiz_ids)
    if met != list(bank_ids):
        return [f"questions met in the order {met}, but the bank holds {list(bank_ids)}: "
                "reorder the bank (numbering follows it)"]
    return []


PLAIN_TAG = "plain-summary"
MAX_GRADE = 8.0


def plain_summary_text(nb) -> str | None:
    """The "In plain words" text, without its heading, tags or the Next line."""
    for cell in nb.cells:
        if PLAIN_TAG in tags(cell):
            text = re.sub(r"<[^>]+>", "", cell.source)
            lines = [line for line in text.splitlines()
                     if line.strip() and not line.startswith("#") and not line.startswith("Next:")]
            return " ".join(lines).replace("**", "")
    return None


def plain_summary_grade(text: str) -> float:
    import textstat

    return float(textstat.flesch_kincaid_grade(text))


def check_plain_summary(nb) -> list[str]:
    text = plain_summary_text(nb)
    if not text:
        return [f"no plain-language summary (a Markdown cell tagged {PLAIN_TAG!r})"]
    grade = plain_summary_grade(text)
    if grade > MAX_GRADE:
        return [f"the plain-language summary reads at grade {grade:.1f}, above {MAX_GRADE:g} (Flesch-Kincaid)"]
    return []
