"""Every notebook in the course map is committed clean; and each check can catch a broken one."""

from __future__ import annotations

import copy
import json

import nbformat
import pytest

from course_lib.syllabus import enabled_notebooks

from .hygiene import all_problems

ENABLED = enabled_notebooks()


@pytest.mark.parametrize("entry", ENABLED, ids=[e.id for e in ENABLED])
def test_committed_notebook_is_clean(entry):
    assert entry.path.exists(), f"{entry.filename} is in the course map but not in notebooks/"
    problems = all_problems(entry.path, entry.minutes, entry.title)
    assert problems == [], f"{entry.filename}: " + "; ".join(problems)


# ----- fixture notebooks: a good one, then one broken in each way ------------------------------


@pytest.fixture
def good_notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Try a fixture notebook\n\nThis is not medical advice."),
        nbformat.v4.new_markdown_cell("## What you'll do\n\n**Estimated time:** 5 minutes."),
        nbformat.v4.new_code_cell("from course_lib.lessons.nb00 import *", execution_count=1, outputs=[],
                                  metadata={"tags": ["setup"]}),
        nbformat.v4.new_code_cell('cite("prevalence")', execution_count=2,
                                  outputs=[nbformat.v4.new_output("stream", name="stdout", text="1\n")],
                                  metadata={"tags": ["nbval-check-output"]}),
    ]
    return nb


def _problems(tmp_path, nb, minutes=5):
    path = tmp_path / "fixture.ipynb"
    nbformat.write(nb, path)
    return all_problems(path, minutes)


def test_good_fixture_passes(tmp_path, good_notebook):
    assert _problems(tmp_path, good_notebook) == []


def test_stripped_outputs_fail(tmp_path, good_notebook):
    stripped = copy.deepcopy(good_notebook)
    for cell in stripped.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    problems = _problems(tmp_path, stripped)
    assert any("nbval would compare nothing" in p for p in problems), problems
    assert any("no stored outputs" in p for p in problems), problems


def test_error_output_fails(tmp_path, good_notebook):
    broken = copy.deepcopy(good_notebook)
    broken.cells[2].outputs = [nbformat.v4.new_output("error", ename="NameError", evalue="name 'y' is not defined", traceback=[])]
    assert any("NameError" in p for p in _problems(tmp_path, broken))


def test_widget_state_fails(tmp_path, good_notebook):
    broken = copy.deepcopy(good_notebook)
    broken.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}}
    assert any("widget state" in p for p in _problems(tmp_path, broken))


def test_out_of_order_execution_fails(tmp_path, good_notebook):
    broken = copy.deepcopy(good_notebook)
    broken.cells[2].execution_count, broken.cells[3].execution_count = 7, 3
    assert any("execution counts are [7, 3]" in p for p in _problems(tmp_path, broken))


def test_wrong_minutes_missing_title_and_kernel_fail(tmp_path, good_notebook):
    broken = copy.deepcopy(good_notebook)
    broken.cells[0].source = "Just text, no title. Not medical advice."
    broken.metadata["kernelspec"]["name"] = "julia-1.10"
    problems = _problems(tmp_path, broken, minutes=20)
    assert any("H1 title" in p for p in problems)
    assert any("kernelspec" in p for p in problems)
    assert any("says 5 minutes but the course map says 20" in p for p in problems)


def test_no_checked_output_fails(tmp_path, good_notebook):
    broken = copy.deepcopy(good_notebook)
    broken.cells[3].metadata["tags"] = []
    assert any("no cell tagged 'nbval-check-output'" in p for p in _problems(tmp_path, broken))


def test_a_visible_nbval_comment_fails(tmp_path, good_notebook):
    broken = copy.deepcopy(good_notebook)
    broken.cells[3].source = '# NBVAL_CHECK_OUTPUT\ncite("prevalence")'
    problems = _problems(tmp_path, broken)
    assert any("visible '# NBVAL_CHECK_OUTPUT' comment" in p for p in problems), problems


def test_oversized_notebook_fails(tmp_path, good_notebook):
    big = copy.deepcopy(good_notebook)
    big.cells[3].outputs[0]["text"] = "x" * 1_100_000
    assert any("over the" in p for p in _problems(tmp_path, big))


def test_every_map_notebook_on_disk_and_every_notebook_on_disk_in_map():
    from course_lib.syllabus import COURSE, NOTEBOOK_DIR

    on_disk = {p.stem for p in NOTEBOOK_DIR.glob("*.ipynb")}
    enabled = {e.id for e in COURSE if e.enabled}
    assert enabled <= on_disk, f"in the map but missing on disk: {sorted(enabled - on_disk)}"
    assert on_disk <= enabled, f"on disk but not enabled in the map: {sorted(on_disk - enabled)}"


def test_fixture_written_as_json_is_valid(tmp_path, good_notebook):
    # guards the fixture itself: a malformed fixture would make the tests above meaningless
    path = tmp_path / "f.ipynb"
    nbformat.write(good_notebook, path)
    nbformat.validate(nbformat.read(path, as_version=4))
    assert json.loads(path.read_text())["nbformat"] == 4
