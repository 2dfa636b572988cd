"""A learner on Binder is told, in the README and in notebook 00, how to keep their work (issue 14)."""

import nbformat

from course_lib.syllabus import REPO_ROOT


def _start_here_markdown() -> str:
    nb = nbformat.read(REPO_ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    return "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


def test_readme_and_start_here_say_a_binder_session_is_temporary_and_how_to_keep_work():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for where, text in (("README.md", readme), ("notebook 00", _start_here_markdown())):
        assert "Binder" in text and "temporary" in text, f"{where} does not say a Binder session is temporary"
        assert "File > Download" in text, f"{where} does not say how to download the notebook"
        assert "quiz progress" in text, f"{where} does not say the quiz progress goes with the session"
