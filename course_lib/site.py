"""The Explore edition's first layer: the course as a static website, built from the same notebooks.

``python -m course_lib.site`` (``make site``) writes ``site/``: a home page with the course map, one
page per notebook and the glossary. Serve it with ``python -m http.server -d site`` or publish the
folder on any static host; it loads nothing from outside (no CDN, no font or script from the web).

Why a small build of our own, not Jupyter Book or nbconvert's templates: MyST renders ipywidgets only
with a live kernel, and nbconvert's lab template fetches MathJax and require.js from a CDN; the course
needs neither, only its Markdown, its stored outputs and its own placeholders. What each cell becomes:

* Markdown cells: HTML (``mistune``); the dotted glossary words keep their definitions, and a link
  to another notebook goes to that notebook's page.
* Stored outputs that are pages already (the folded model numbers, the reference boxes of ``cite()``
  and ``published()``, tables): as stored, which is what nbval checks.
* Labs: explorables (:mod:`course_lib.site_labs`): precomputed states of each lab drawn by plotly.js,
  with the lab's controls, readouts and descriptions; no Python runs in the browser.
* Questions (:mod:`course_lib.site_quiz`): forms graded in the browser exactly as
  ``course_lib.quiz.grading`` grades them, with the bank's feedback, hints and retries; a Predict
  question hides its answer until the prediction is locked in. Progress stays in the browser and
  downloads as the same record file the Jupyter edition writes. Notebook 06's quiz is the final
  review, as in JupyterLab: questions from every notebook.
* The progress sections: their prose is about running cells, so the page shows the site's own
  blocks instead (the self-check and record, the table of every objective).
* The setup cell and code that only wires: nothing.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

from . import site_labs, site_quiz
from .quiz.loader import QUIZ_CALL, questions_called
from .quiz.review import review_items
from .syllabus import COURSE, REPO_ROOT, binder_url, enabled_notebooks, explore_page

SITE_DIR = REPO_ROOT / "site"

#: The page style: readable line length, the course's colours, light and dark from the reader's system.
SITE_CSS = """
:root { --fg: #1a1a1a; --bg: #ffffff; --muted: #555; --rule: #d0d0d0; --accent: #0b5cad; --box: #f3f6fa; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8e8e8; --bg: #121212; --muted: #b0b0b0; --rule: #444; --accent: #8cc4ff; --box: #1d2430; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 17px/1.55 system-ui, -apple-system,
       "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main, header, footer { max-width: 46rem; margin: 0 auto; padding: 0 1rem; }
/* a long reference, DOI or link breaks anywhere rather than push a phone's page sideways */
main { overflow-wrap: break-word; }
pre, code { white-space: pre-wrap; }
header { border-bottom: 1px solid var(--rule); padding-top: .6rem; padding-bottom: .6rem; }
header a { margin-right: 1rem; }
a { color: var(--accent); }
a:focus-visible, summary:focus-visible, abbr:focus-visible, .table-scroll:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
h1 { font-size: 1.8rem; line-height: 1.2; }
h2 { font-size: 1.35rem; margin-top: 2rem; }
img, svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; }
/* a wide table scrolls in its own box, which the keyboard can reach (Tab, then the arrow keys) */
.table-scroll { overflow-x: auto; max-width: 100%; }
th, td { border: 1px solid var(--rule); padding: .3rem .5rem; text-align: left; vertical-align: top; }
blockquote { margin: 1rem 0; padding: .2rem 1rem; border-left: 4px solid var(--accent); background: var(--box); }
abbr[title] { text-decoration: underline dotted; cursor: help; }
/* a tap or Tab focuses a dotted word and shows its definition after it (no hover needed) */
abbr[title]:focus::after { content: " (" attr(title) ")"; font-style: italic; color: var(--muted); }
details { margin: .6rem 0; }
summary { cursor: pointer; }
.live, .question { border-left: 4px solid var(--accent); background: var(--box); padding: .5rem 1rem; margin: 1rem 0; }
.live p, .question p { margin: .35rem 0; }
.question ol { margin: .3rem 0; }
.muted { color: var(--muted); font-size: .92rem; }
footer { border-top: 1px solid var(--rule); margin-top: 3rem; padding-top: .8rem; padding-bottom: 2rem; }
/* Stored outputs were styled with JupyterLab's variables: give them values here. */
body { --jp-brand-color1: var(--accent); --jp-ui-font-color1: var(--fg); --jp-border-color1: var(--rule);
       --jp-layout-color1: var(--box); --jp-ui-font-color2: var(--muted); }
"""

#: Markdown cells about running cells in Jupyter, which mean nothing on a web page.
JUPYTER_ONLY = ("Run the cell below first",)
#: Sections about the learner's own saved progress: their prose is about running cells in Jupyter, so
#: the site shows its own blocks for their code cells instead (:data:`PROGRESS_BLOCKS`).
PROGRESS_SECTIONS = ("## Self-check", "## Every objective of the course", "## Your record")
#: A progress section's code cell -> the site's block (each block has its own heading). One record
#: block per page: notebook 06's comes with its self-check, so its "Your record" cell shows nothing more.
PROGRESS_BLOCKS = {"self_check()": lambda entry: site_quiz.record_html(entry.id),
                   "course_objectives()": lambda entry: site_quiz.objectives_html(),
                   "my_record()": lambda entry: ""}


def _local_links(rendered: str) -> str:
    """Another notebook's file becomes its page (anchors kept); assets are copied beside the pages."""
    rendered = re.sub(r"""href=(['"])(?:\.\./notebooks/|\./)?(\d\d_[a-z0-9_]+)\.ipynb""", r"href=\1\2.html", rendered)
    rendered = re.sub(r"""href=(['"])\.\./docs/glossary\.md""", r"href=\1glossary.html", rendered)
    return re.sub(r"""src=(['"])\.\./assets/""", r"src=\1assets/", rendered)


page_name = explore_page  # a notebook's page in the site: one rule, kept in the syllabus


def _markdown(text: str) -> str:
    from .printables import markdown_html

    rendered = markdown_html(text)
    # a dotted word takes focus, so a tap or the Tab key shows its definition (SITE_CSS)
    rendered = rendered.replace("<abbr title=", "<abbr tabindex='0' title=")
    return _local_links(rendered)




def _stored_html(cell) -> str:
    """A code cell's stored outputs that are pages in their own right: a lab's or a widget's
    placeholder is left out (the live notebook draws it)."""
    return "".join(rich for rich in site_labs.html_outputs(cell) if "course-placeholder" not in rich)


def notebook_page(entry) -> str:
    """One notebook as a page of the site."""
    import nbformat

    import importlib

    nb = nbformat.read(entry.path, as_version=4)
    lesson = importlib.import_module(f"course_lib.lessons.nb{entry.id[:2]}").LESSON
    body = []
    skipping = False
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "markdown":
            if cell.source.startswith("## "):
                skipping = cell.source.startswith(PROGRESS_SECTIONS)
            if not skipping and not cell.source.startswith(JUPYTER_ONLY):
                body.append(_markdown(cell.source))
            continue
        if skipping:
            if (block := PROGRESS_BLOCKS.get(cell.source.strip())) is not None:
                body.append(block(entry))
            continue
        if "setup" in tags:
            continue
        if lesson.final_review and QUIZ_CALL.search(cell.source):
            body += [site_quiz.question_html(item.notebook, item.question_id, number=k)
                     for k, item in enumerate(review_items(), 1)]
        elif asked := questions_called(cell.source, lesson.quiz_ids):
            body += [site_quiz.question_html(entry.id, qid) for qid in asked]
        elif stored := _stored_html(cell):
            body.append(_local_links(stored))
        elif "lab" in tags or any("course-placeholder" in rich for rich in site_labs.html_outputs(cell)):
            body.append(site_labs.lab_html(entry.id, cell))
    live = (f"<div class='live'><p><a href='{html.escape(binder_url(entry))}'>Open this notebook with the live "
            f"labs</a> (Binder; or on your own computer: <code>make lab</code>). This page is the Explore "
            f"edition: the same text, questions and labs, with each lab's settings worked out in advance.</p>"
            f"<p class='muted'>What this page cannot do: combine every control freely (a lab offers the "
            f"settings stored for it, and says so), run the models on new settings, or build and print your "
            f"own care plan. The live notebook does all three.</p></div>")
    # the notebook's title and opening come first, then where its live labs are and what this page cannot do
    return _frame(entry.title, "\n".join(body[:1] + [live] + body[1:]))


def _scrollable_tables(page_html: str) -> str:
    """Each table in a box of its own that scrolls sideways on a narrow screen and takes focus."""
    page_html = re.sub(r"<table\b", "<div class='table-scroll' tabindex='0' role='region' aria-label='Table'><table",
                       page_html)
    return page_html.replace("</table>", "</table></div>")


def _frame(title: str, main_html: str) -> str:
    nav = " ".join(f"<a href='{page_name(e.id)}'>{e.number:02d}</a>" for e in enabled_notebooks())
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            # no icon to fetch: a missing favicon.ico is a failed request and a console error
            f"<link rel='icon' href='data:,'>"
            f"<title>{html.escape(title)}: Can neuropathic pain go away?</title>"
            f"<link rel='stylesheet' href='site.css'>{site_quiz.head_html(main_html)}{site_labs.head_html(main_html)}"
            f"</head><body>"
            f"<header><nav aria-label='Course'><a href='index.html'>Course map</a>{nav} "
            f"<a href='glossary.html'>Glossary</a></nav></header>"
            f"<main>{_scrollable_tables(main_html)}</main>"
            f"<footer class='muted'>Education, not medical advice. The models are simplified, and several "
            f"are our own teaching models.</footer></body></html>\n")


def home_page() -> str:
    rows = "".join(
        f"<tr><td>{e.number:02d}</td><td><a href='{page_name(e.id)}'>{html.escape(e.title)}</a></td>"
        f"<td>{e.minutes} min</td></tr>" for e in COURSE if e.enabled)
    body = ("<h1>Can neuropathic pain go away?</h1>"
            "<p>An interactive course on nerve pain: what it is, how it develops, when it can go away, and "
            "how care works when it stays. This is the Explore edition: read every notebook here, with "
            "its questions. The live labs run in JupyterLab (each page links to them).</p>"
            f"<table><tr><th>#</th><th>Notebook</th><th>Time</th></tr>{rows}</table>")
    return _frame("Course map", body)


def glossary_page() -> str:
    text = (REPO_ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    return _frame("Glossary", _markdown(text))


def build(target: Path = SITE_DIR) -> list[Path]:
    """Write the whole site into ``target`` (replaced); return the pages written."""
    target = Path(target)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    (target / "site.css").write_text(SITE_CSS, encoding="utf-8")
    assets = REPO_ROOT / "assets"
    if assets.is_dir():
        shutil.copytree(assets, target / "assets")
    site_quiz.write_assets(target)
    site_labs.write_assets(target)
    pages = {"index.html": home_page(), "glossary.html": glossary_page()}
    pages.update({page_name(e.id): notebook_page(e) for e in enabled_notebooks()})
    written = []
    for name, content in pages.items():
        path = target / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


@contextmanager
def serve(folder: Path, port: int = 0):
    """Serve ``folder`` on 127.0.0.1 (a free port unless ``port`` is given) from a background thread,
    without a request log; yields the base URL. What ``python -m http.server -d site`` does, for the
    browser tests and the benchmark."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_lib.site", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(SITE_DIR), help="the folder to write (default: site/)")
    args = parser.parse_args(argv)
    pages = build(Path(args.out))
    size = sum(p.stat().st_size for p in Path(args.out).rglob("*") if p.is_file())
    print(f"wrote {len(pages)} pages to {args.out} ({size / 1e6:.1f} MB); "
          f"serve it with: python -m http.server -d {args.out}")
    print("\n".join(site_labs.report(Path(args.out))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
