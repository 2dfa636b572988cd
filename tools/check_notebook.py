"""Run every notebook check on one notebook: `python tools/check_notebook.py 05`.

While writing a notebook an author wants the house rules for that notebook only, in seconds, not the
whole suite: committed clean and executed in order, the skeleton, no spoilers above a Predict, what a
learner reads (no author notes, short answer, minutes, paragraph length), the generated objectives and
glossary, the question order against the bank, and, with --outputs, nbval's comparison of the stored
outputs. The checks are the suite's own (tests/notebooks), selected for this notebook, so the tool and
`make test` can never disagree.

    python tools/check_notebook.py 05                # by number
    python tools/check_notebook.py 05_managing_persistent_pain --outputs
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def resolve(name: str) -> str:
    """The course-map id of a notebook given by number, id or file name."""
    from course_lib.syllabus import enabled_notebooks

    stem = Path(name).stem
    ids = [e.id for e in enabled_notebooks()]
    matches = [i for i in ids if stem and (i == stem or i.startswith(f"{stem.zfill(2)}_"))]
    if len(matches) != 1:
        raise SystemExit(f"check_notebook: no single notebook matches {name!r}; the course map has: "
                         + ", ".join(ids))
    return matches[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook", help="a number (05), a course-map id or a notebook file name")
    parser.add_argument("--outputs", action="store_true",
                        help="also run nbval on the notebook (compares its stored outputs; about a minute)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    notebook_id = resolve(args.notebook)

    import pytest

    # Parametrised notebook checks carry the notebook id in their test id; the fixtures that prove
    # each rule can fail are notebook-independent and are left to `make test`.
    selected = ["tests/notebooks", "-k", notebook_id]
    if args.outputs:
        selected += [f"notebooks/{notebook_id}.ipynb", "--nbval-lax",
                     "--nbval-sanitize-with", "tests/nbval_sanitize.cfg"]
    print(f"==> Checking {notebook_id}")
    return int(pytest.main([*selected, "-q", "-p", "no:cacheprovider", "--rootdir", str(REPO)]))


if __name__ == "__main__":
    raise SystemExit(main())
