"""Checks that every committed notebook is in the state DESIGN.md requires.

Each check takes a notebook (an ``nbformat.NotebookNode``) and returns a list of problems in words;
an empty list means the notebook passes. The tests run them over every notebook in the course map,
and over broken fixture notebooks to show that each check can fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

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


def check_has_checked_output(nb) -> list[str]:
    """The numbers the prose relies on must sit in cells nbval compares."""
    for cell in code_cells(nb):
        if "# NBVAL_CHECK_OUTPUT" in cell.source and cell.get("outputs"):
            return []
    return ["no '# NBVAL_CHECK_OUTPUT' cell with stored output: nothing ties the prose to the model"]


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
    )
    if expected_title is not None and first_heading(nb) != expected_title:
        problems.append(f"title is {first_heading(nb)!r} but the course map says {expected_title!r}")
    return problems
