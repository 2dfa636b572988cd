"""The deferred rfc3987_syntax import: a kernel's first figure skips 1.1 s, IRI checks stay real.

Each check runs in a fresh interpreter, since the point is what happens at import time.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("rfc3987_syntax", reason="only matters where jsonschema's non-GPL extras are installed")


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_building_a_course_figure_does_not_build_the_iri_parsers():
    out = _run("""
        import sys
        from course_lib.figures.figure_widget import CourseFigureWidget
        CourseFigureWidget()
        print("jsonschema" in sys.modules, "lark" in sys.modules)
    """)
    assert out == "True False", "plotly imported jsonschema, which must not have loaded lark's parsers"


def test_an_iri_check_still_gives_the_real_answer_and_loads_the_real_module():
    out = _run("""
        import sys
        import course_lib
        from jsonschema import Draft202012Validator
        checker = Draft202012Validator.FORMAT_CHECKER
        v = Draft202012Validator({"type": "string", "format": "iri"}, format_checker=checker)
        print(v.is_valid("https://example.org/caf\\u00e9"), v.is_valid("no spaces allowed"),
              type(sys.modules["rfc3987_syntax"]).__name__, "lark" in sys.modules)
    """)
    assert out == "True False module True"


def test_nothing_is_deferred_once_jsonschema_is_loaded():
    out = _run("""
        import sys
        import jsonschema
        from course_lib._import_speed import defer_rfc3987_syntax
        print(defer_rfc3987_syntax(), type(sys.modules["rfc3987_syntax"]).__name__)
    """)
    assert out == "False module"
