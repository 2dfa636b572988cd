"""Printable pages for instructors: handouts, answer keys, a one-page quick reference per notebook
and case cards for notebook 06, as HTML (print it from any browser) or PDF.

Every page is built from the course's own sources, so paper cannot drift from the screen: the question
banks (handouts, keys, the Predict questions), the course map (objectives), the notebooks ("The short
answer", "Summary", the case stories' questions), the instructor guide (misconceptions to listen for)
and the care-plan data (red flags). Nothing an author wrote for authors is printed: the banks'
``observe_with`` wiring notes never appear (the key shows the learner's ``task``).

PDFs are made by Chromium's own print-to-PDF (headless, the browser the course's tests already
install), not by a PDF writer of ours: ``python -m course_lib.quiz handout 04 --pdf``. Without
Chromium, ``--html`` gives the same page to print from any browser.
"""

from __future__ import annotations

import functools
import html
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: Print layout: A4 with margins, questions and cards never split across pages.
PAGE_CSS = """
@page { size: A4; margin: 16mm 15mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10.5pt;
       line-height: 1.38; color: #111; }
h1 { font-size: 17pt; margin: 0 0 6pt; }
h2 { font-size: 12.5pt; margin: 12pt 0 4pt; break-after: avoid; }
h3 { font-size: 11pt; margin: 8pt 0 3pt; break-after: avoid; }
p, li { margin: 2pt 0; }
ul, ol { margin: 2pt 0 4pt; padding-left: 18pt; }
table { border-collapse: collapse; margin: 4pt 0; }
th, td { border: 1px solid #888; padding: 2pt 6pt; text-align: left; vertical-align: top; }
code { font-size: 9pt; }
abbr { text-decoration: none; }
.block { break-inside: avoid; }
.quickref { font-size: 9pt; line-height: 1.25; }
.quickref h1 { font-size: 14pt; }
.quickref h2 { font-size: 10.5pt; margin-top: 6pt; }
.card { break-inside: avoid; break-after: page; border: 1.5pt solid #333; border-radius: 6pt;
        padding: 10pt 14pt; }
.card:last-child { break-after: auto; }
.note { color: #444; font-size: 9pt; }
ul.choices { list-style: none; padding-left: 6pt; }
"""


class PrintError(RuntimeError):
    """A printable page could not be made (no Chromium, or Chromium failed); the message says why."""


@functools.lru_cache(maxsize=1)
def _markdown_parser():
    import mistune

    return mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])


def markdown_html(text: str) -> str:
    """Markdown (with tables) as HTML; the course's texts are its own, so their few tags stay.
    The one Markdown renderer of the printable pages and the Explore site."""
    return _markdown_parser()(text)


def html_page(title: str, body_html: str, body_class: str = "") -> str:
    """A whole printable HTML page."""
    cls = f' class="{body_class}"' if body_class else ""
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{PAGE_CSS}</style></head>"
            f"<body{cls}>\n{body_html}\n</body></html>\n")


def blocks_page(title: str, markdown_text: str, keep_together: bool = True) -> str:
    """A Markdown document as a page. With ``keep_together`` each '## ' part (a handout's question)
    stays on one page; a key's long parts may break, their headings staying with their text."""
    if not keep_together:
        return html_page(title, markdown_html(markdown_text))
    parts = re.split(r"(?m)^(?=## )", markdown_text)
    body = markdown_html(parts[0]) + "".join(
        f'<div class="block">{markdown_html(part)}</div>' for part in parts[1:])
    return html_page(title, body)


def find_chromium() -> str | None:
    """Chromium's path: ``COURSE_CHROMIUM`` if set, else the first browser of its family found."""
    if override := os.environ.get("COURSE_CHROMIUM"):
        return override
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if found := shutil.which(name):
            return found
    return None


def write_pdf(page_html: str, target: str | Path, timeout_s: float = 120.0) -> Path:
    """Print an HTML page to ``target`` with headless Chromium; raises PrintError if it cannot."""
    browser = find_chromium()
    if browser is None:
        raise PrintError("making a PDF needs Chromium (Debian: sudo apt-get install chromium); "
                         "or use --html and print the page from your browser")
    target = Path(target).resolve()
    with tempfile.TemporaryDirectory(prefix="course-print-") as folder:
        source = Path(folder) / "page.html"
        source.write_text(page_html, encoding="utf-8")
        command = [browser, "--headless", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                   "--disable-background-networking", "--no-pdf-header-footer",
                   f"--user-data-dir={Path(folder) / 'profile'}", f"--print-to-pdf={target}",
                   source.as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PrintError(f"Chromium could not print the page ({exc})") from exc
    if done.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        raise PrintError(f"Chromium could not print the page (exit {done.returncode}): "
                         f"{done.stderr.strip().splitlines()[-1:] or ''}")
    return target


# ----------------------------------------------------------------------------- sources

def _notebook_cells(notebook_id: str) -> list:
    import nbformat

    from .syllabus import entry

    return nbformat.read(entry(notebook_id).path, as_version=4).cells


def _cell_starting(cells: list, heading: str) -> str:
    for cell in cells:
        if cell.cell_type == "markdown" and cell.source.startswith(heading):
            return cell.source[len(heading):].strip()
    raise LookupError(f"no cell starting {heading!r}")


def short_answer(notebook_id: str) -> str:
    """The notebook's "The short answer", without its link to the end of the notebook."""
    text = _cell_starting(_notebook_cells(notebook_id), "## The short answer")
    return "\n\n".join(p for p in text.split("\n\n") if "(#In-plain-words)" not in p)


def summary_points(notebook_id: str) -> str:
    """The notebook's "Summary", or its "In plain words" where it has no summary (00 and 06)."""
    cells = _notebook_cells(notebook_id)
    try:
        return _cell_starting(cells, "## Summary")
    except LookupError:
        text = _cell_starting(cells, "## In plain words")
        return "\n\n".join(p for p in text.split("\n\n") if not p.startswith("Next:"))


def guide_misconceptions(notebook_id: str) -> str:
    """The "Misconceptions to listen for" list of the notebook's plan in the instructor guide."""
    from .syllabus import REPO_ROOT

    guide = (REPO_ROOT / "docs" / "instructor_guide.md").read_text(encoding="utf-8")
    number = notebook_id[:2]
    plan = re.search(rf"^### Notebook {number}: .*?(?=^#{{2,3}} )", guide + "\n## end", re.S | re.M)
    found = plan and re.search(r"\*\*Misconceptions to listen for\*\*\n\n(.*?)(?=\n\n\*\*|\n\n#|\Z)",
                               plan.group(0), re.S)
    if not found:
        raise LookupError(f"the instructor guide has no misconceptions for notebook {number}")
    return found.group(1).strip()


# ----------------------------------------------------------------------------- pages

def _the_question(prompt: str) -> str:
    """A prompt's question sentence (its last one ending in '?'); its lab setting is in the guide."""
    sentences = re.split(r"(?<=[.?!])\s+", " ".join(prompt.split()))
    asked = [s for s in sentences if s.endswith("?")]
    return asked[-1] if asked else sentences[-1]


def quick_reference(notebook_id: str) -> str:
    """One page for an instructor: objectives, the short answer, key ideas, Predict questions,
    misconceptions to listen for, and the red flags where the notebook teaches them."""
    from .careplan import load_careplan
    from .quiz import load_bank
    from .syllabus import entry

    item = entry(notebook_id)
    predicts = [q for q in load_bank(notebook_id).questions if q.type == "predict"]
    out = [f"# {item.number:02d} {item.title}: quick reference", "",
           f'<p class="note">Education, not medical advice. About {item.minutes} minutes for one learner; '
           "plans for a class are in the instructor guide.</p>", "",
           "## The short answer", "", short_answer(notebook_id), "",
           "## Objectives: by the end learners can", ""]
    out += [f"- {objective.text}" for objective in item.objectives]
    out += ["", "## Key ideas", "", summary_points(notebook_id), ""]
    if predicts:
        out += ["## Predict questions (pause the class at each)", ""]
        out += [f"- `{q.id}`: {_the_question(q.prompt)}" for q in predicts]
        out.append("")
    out += ["## Misconceptions to listen for", "", guide_misconceptions(notebook_id), ""]
    if notebook_id[:2] in ("05", "06"):
        out += ["## Red flags: need prompt medical care", ""]
        out += [f"- {flag.text}" for flag in load_careplan().red_flags]
    return html_page(f"Quick reference {item.number:02d}", markdown_html("\n".join(out)), "quickref")


@dataclass(frozen=True)
class CaseCard:
    """What a group needs to work one invented case of notebook 06 away from the screen."""

    name: str
    title: str
    story: str
    questions: tuple[tuple[str, tuple[str, ...], str], ...]  # (prompt, options, what to do in the lab)


def case_cards() -> list[CaseCard]:
    """One card per case: its story, its Predict questions and what to look at in the lab."""
    from .cases import CASES
    from .quiz import load_bank

    predicts = [q for q in load_bank("06_case_studies_and_review").questions if q.type == "predict"]
    cards = []
    for case in CASES.values():
        own = tuple((" ".join(q.prompt.split()), tuple(o.text for o in q.options), q.task) for q in predicts
                    if q.id.startswith(f"predict_{case.name.lower()}_"))
        if not own:
            raise LookupError(f"case {case.id}: no Predict question named predict_{case.name.lower()}_...")
        cards.append(CaseCard(case.name, case.title, " ".join(case.story.split()), own))
    return cards


def case_cards_page() -> str:
    body = []
    for card in case_cards():
        parts = [f"<h1>{html.escape(card.title)}</h1>",
                 "<p><em>An invented case for teaching: not a real patient, and the labs are "
                 "teaching models, not predictions for a person.</em></p>",
                 f"<p>{html.escape(card.story)}</p>",
                 "<h2>Three questions</h2><ol><li>Is the cause still active?</li>"
                 "<li>How much damage, and what kind?</li><li>How soon was it treated?</li></ol>"]
        for k, (prompt, options, task) in enumerate(card.questions, 1):
            task = task.replace(" lab below", " lab")  # on paper there is no "below"
            choices = "".join(f"<li>&#9744; {html.escape(o)}</li>" for o in options)
            parts += [f"<h2>Predict {k}</h2><p>{html.escape(prompt)}</p>",
                      f"<p>Your group's prediction:</p><ul class=\"choices\">{choices}</ul>" if options else
                      "<p>Your group's prediction: ______________________________</p>",
                      f"<p><strong>In the lab:</strong> {html.escape(task[0].upper() + task[1:])}</p>",
                      "<p>What the model showed: ______________________________</p>"]
        parts.append("<p class=\"note\">Notebook 06 has the lab set to this case, the case's own "
                     "course in the model, and the evidence for each option.</p>")
        body.append(f'<section class="card">{"".join(parts)}</section>')
    return html_page("Case cards, notebook 06", "\n".join(body))


__all__ = ["CaseCard", "PrintError", "blocks_page", "case_cards", "case_cards_page", "find_chromium",
           "guide_misconceptions", "html_page", "markdown_html", "quick_reference", "short_answer",
           "summary_points", "write_pdf"]
