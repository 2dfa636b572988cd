"""The Explore edition's labs: each lab cell of a notebook, as the site shows it (issue 21, item 2).

:func:`lab_html` is called by :mod:`course_lib.site` for every code cell that builds a lab (tagged
``lab``, or whose stored output is a course placeholder); :func:`head_html` adds what a page with labs
loads; :func:`write_assets` writes the files those tags name into the site folder.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from .site_quiz import LIVE_WORDS


def html_outputs(cell) -> list[str]:
    """The HTML of a code cell's stored outputs (nbformat may keep it as a list of lines)."""
    rich = (output.get("data", {}).get("text/html") for output in cell.get("outputs", []))
    return ["".join(r) if isinstance(r, list) else str(r) for r in rich if r is not None]


def lab_html(notebook_id: str, cell) -> str:
    what = "this lab"
    for rich in html_outputs(cell):
        found = re.search(r"to start (the [^.<]+?)\.</b>", rich)
        if found:
            what = html.unescape(found.group(1))
    return (f"<div class='live' role='note'><p><strong>{html.escape(what[0].upper() + what[1:])}</strong> "
            f"runs in the live notebook.</p><p class='muted'>{LIVE_WORDS}</p></div>")



def head_html(page_body: str) -> str:
    """Tags for a page's <head> (scripts, styles) when its body has labs; '' for now."""
    return ""


def write_assets(target: Path) -> None:
    """Write the files :func:`head_html` names into the site folder ``target``; none for now."""
