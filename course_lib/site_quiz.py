"""The Explore edition's questions: each question of a page, as the site shows it (issue 21, item 3).

:func:`question_html` is called by :mod:`course_lib.site` for every ``question("id")`` cell and every
question of a notebook's quiz; :func:`head_html` adds what a page with questions loads;
:func:`write_assets` writes the files those tags name into the site folder.
"""

from __future__ import annotations

from pathlib import Path

LIVE_WORDS = ("The live notebook runs this lab: its figure changes as you move the controls, and it "
              "checks your prediction.")


def question_html(notebook_id: str, question_id: str) -> str:
    """A question as the site shows it for now: the question, and the answer folded where it is fixed."""
    from .quiz import load_bank
    from .quiz.text import markdown_inline

    q = load_bank(notebook_id).get(question_id)
    parts = [f"<p><strong>Question.</strong> {markdown_inline(q.prompt)}</p>"]
    options = getattr(q, "options", ()) or ()
    if options:
        parts.append("<ol type='A'>" + "".join(f"<li>{markdown_inline(o.text)}</li>" for o in options) + "</ol>")
    if q.type == "predict":
        parts.append(f"<p>Make your prediction, then {markdown_inline(q.task)}</p>"
                     f"<p class='muted'>{LIVE_WORDS}</p>")
    else:
        parts.append(f"<details><summary>Check your answer</summary><p><strong>Answer:</strong> "
                     f"{markdown_inline(q.answer_text())}</p><p>{markdown_inline(q.explanation)}</p></details>")
    return f"<section class='question' aria-label='Question'>{''.join(parts)}</section>"



def head_html(page_body: str) -> str:
    """Tags for a page's <head> (scripts, styles) when its body has questions; '' for now."""
    return ""


def write_assets(target: Path) -> None:
    """Write the files :func:`head_html` names into the site folder ``target``; none for now."""
