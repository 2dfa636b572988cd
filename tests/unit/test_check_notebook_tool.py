"""tools/check_notebook.py finds a notebook by number, id or file name, and refuses a name that is not one."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "check_notebook.py"
spec = importlib.util.spec_from_file_location("check_notebook", TOOL)
check_notebook = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_notebook)


@pytest.mark.parametrize("name", ["05", "5", "05_managing_persistent_pain",
                                  "notebooks/05_managing_persistent_pain.ipynb"])
def test_a_notebook_is_found_by_number_id_or_file(name):
    assert check_notebook.resolve(name) == "05_managing_persistent_pain"


@pytest.mark.parametrize("name", ["9", "07", "", "managing"])
def test_a_name_that_is_no_notebook_is_refused_with_the_course_map(name):
    with pytest.raises(SystemExit, match="00_start_here"):
        check_notebook.resolve(name)
