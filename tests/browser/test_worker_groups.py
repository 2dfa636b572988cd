"""How the browser tests are shared between pytest-xdist workers (``make test`` runs them on two): a
notebook's tests all go to one worker, so the notebook is opened and run once (see ``browser_test_group``
in conftest.py). Not marked ``browser``: this runs with the fast tests and needs no browser."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict

from course_lib.syllabus import REPO_ROOT, enabled_notebooks

from .conftest import browser_test_group

ENTRIES = enabled_notebooks()


def test_a_notebooks_tests_share_a_group_and_other_tests_keep_their_module():
    first, last = ENTRIES[0].id, ENTRIES[-1].id
    assert browser_test_group(f"tests/browser/test_a.py::test_x[{first}]") == f"notebook {first}"
    assert browser_test_group(f"tests/browser/test_b.py::test_y[{first}]") == f"notebook {first}"
    assert browser_test_group(f"tests/browser/test_b.py::test_y[{last}-dark]") == f"notebook {last}"
    # a parameter that only looks like a notebook's number is not a notebook's run
    assert browser_test_group("tests/browser/test_c.py::test_z[02]") == "tests/browser/test_c.py"
    assert browser_test_group("tests/browser/test_c.py::test_w") == "tests/browser/test_c.py"


def test_every_browser_test_of_a_notebook_run_lands_in_that_notebooks_group():
    listed = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/browser", "-m", "browser", "--collect-only", "-q",
         "-p", "no:cacheprovider"], capture_output=True, text=True, cwd=REPO_ROOT, timeout=300)
    assert listed.returncode == 0, listed.stdout[-2000:] + listed.stderr[-2000:]
    node_ids = [line for line in listed.stdout.splitlines() if line.startswith("tests/browser/")]
    groups: dict[str, set[str]] = defaultdict(set)
    for node_id in node_ids:
        groups[browser_test_group(node_id)].add(node_id.split("::")[0])
    for entry in ENTRIES:
        modules = groups[f"notebook {entry.id}"]
        # the modules that read the shared run: first view, accessibility, contrast and reflow, renders
        assert {"tests/browser/test_first_view.py", "tests/browser/test_accessibility.py",
                "tests/browser/test_contrast_and_reflow.py",
                "tests/browser/test_notebooks_in_browser.py"} <= modules, (entry.id, modules)
    in_a_notebook = {node_id for node_id in node_ids if browser_test_group(node_id).startswith("notebook ")}
    assert all(any(f"[{e.id}" in node_id or f"-{e.id}" in node_id for e in ENTRIES) for node_id in in_a_notebook)
    assert len(groups) >= len(ENTRIES) + 5, sorted(groups)
