"""Bring the generated text of course notebooks up to date, in place.

    python tools/sync_notebook_text.py            # every enabled notebook in the course map
    python tools/sync_notebook_text.py notebooks/02_how_neuropathic_pain_develops.ipynb

What it rewrites (only inside Markdown cells): the "By the end you can" objectives (from
course_lib/syllabus.py), a hover definition at each glossary term's first use (from
course_lib/glossary.yaml), and the "Words from this notebook" list. It also regenerates
docs/glossary.md. Run it after editing a notebook's text, the glossary or the objectives;
tests/notebooks fail while anything is stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from course_lib import glossary  # noqa: E402
from course_lib.notebook_text import synced_markdown  # noqa: E402
from course_lib.syllabus import enabled_notebooks  # noqa: E402


def sync(path: Path) -> bool:
    """Rewrite ``path``'s generated Markdown; True when anything changed."""
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "markdown"]
    new = synced_markdown([c.source for c in cells], path.stem)
    changed = False
    for cell, source in zip(cells, new):
        if cell.source != source:
            cell.source, changed = source, True
    if changed:
        nbformat.write(nb, path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    for path in args.paths or [e.path for e in enabled_notebooks()]:
        print(f"{path.name}: {'updated' if sync(path) else 'already in sync'}")
    glossary.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
