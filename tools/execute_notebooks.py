"""Execute course notebooks in place, top to bottom, in a fresh kernel, without widget state.

This is how notebooks are committed (DESIGN.md "Stored outputs"): execution counts 1..N, outputs
stored so nbval can compare them, and no widget-state blob in the metadata. Lab and quiz outputs keep
only their "Run this cell" placeholders (text/html and text/plain): without widget state a stored
widget view can only render as "Error displaying widget: model not found" in a trusted notebook.

    python tools/execute_notebooks.py                 # every enabled notebook in the course map
    python tools/execute_notebooks.py notebooks/02_how_neuropathic_pain_develops.ipynb
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from course_lib.placeholder import strip_widget_views  # noqa: E402
from course_lib.syllabus import enabled_notebooks  # noqa: E402


def execute_in_place(path: Path, timeout_s: int = 600) -> float:
    """Run ``path`` in a fresh python3 kernel with notebooks/ as the working directory; return seconds."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout_s,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=False,
        record_timing=False,  # no per-cell timestamps: re-running must not change a committed notebook
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)  # timestamps from an older run
        if cell.cell_type == "code":
            strip_widget_views(cell.get("outputs", []))
    nbformat.validate(notebook)
    nbformat.write(notebook, path)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks to run (default: the course map)")
    args = parser.parse_args(argv)
    paths = args.paths or [entry.path for entry in enabled_notebooks()]
    # Stored outputs must not depend on the author's own quiz progress: start from none.
    os.environ["COURSE_PROGRESS_DIR"] = tempfile.mkdtemp(prefix="course-progress-")
    for path in paths:
        print(f"executing {path.name} ...", flush=True)
        seconds = execute_in_place(path.resolve())
        print(f"  done in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
