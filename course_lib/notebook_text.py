"""Generated parts of a notebook's Markdown: objectives, glossary definitions, "Words from this notebook".

Pure string functions (Markdown sources in, Markdown sources out), shared by the tool that rewrites
the notebooks (``tools/sync_notebook_text.py``) and by the tests that check a notebook is in sync.
"""

from __future__ import annotations

import re

from .glossary import WORDS_END, WORDS_START, define_terms, terms_used, words_block
from .syllabus import OBJECTIVES_END, OBJECTIVES_START, objectives_block

_OBJECTIVES = re.compile(re.escape(OBJECTIVES_START) + r".*?" + re.escape(OBJECTIVES_END), re.DOTALL)
_WORDS = re.compile(re.escape(WORDS_START) + r".*?" + re.escape(WORDS_END), re.DOTALL)


def synced_markdown(sources: list[str], notebook_id: str) -> list[str]:
    """The Markdown cell sources with every generated part brought up to date."""
    block = objectives_block(notebook_id)
    sources = [_OBJECTIVES.sub(lambda _m: block, s) for s in sources]
    sources = define_terms(sources)
    words = words_block(terms_used(sources))
    return [_WORDS.sub(lambda _m: words, s) for s in sources]


def has_objectives_block(sources: list[str]) -> bool:
    return any(_OBJECTIVES.search(s) for s in sources)


def has_words_block(sources: list[str]) -> bool:
    return any(_WORDS.search(s) for s in sources)


# ----- honest minutes: what a notebook asks of a learner, measured from its text ---------------------
#: A student's silent reading of study text (words a minute). A patient who is tired, in pain or on
#: medicines that slow thinking may read at half this speed: the course map says so.
READING_WORDS_PER_MINUTE = 150
#: Predict, run, explore and read the readout of one lab (or look through one case timeline).
MINUTES_PER_LAB = 4
#: Read, answer and read the feedback of one quiz or Predict question.
MINUTES_PER_QUESTION = 1.5

_TAG = re.compile(r"<[^>]+>")


def learner_words(cells: list[dict]) -> int:
    """Words a learner reads in a notebook: its Markdown (hover definitions not counted, the glossary
    list at the end not counted) and its printed outputs (evidence, model numbers, folded
    explanations). Lab and quiz cells are counted as labs and questions instead."""
    import html

    words = 0
    for cell in cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell["cell_type"] == "markdown":
            if "words" not in tags:
                words += len(_TAG.sub(" ", "".join(cell["source"])).split())
            continue
        if tags & {"lab", "quiz"}:
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            text = "".join(data.get("text/html", "")) or "".join(data.get("text/plain", "")) \
                or "".join(output.get("text", ""))
            words += len(html.unescape(_TAG.sub(" ", text)).split())
    return words


def measured_minutes(cells: list[dict], questions: int) -> int:
    """Minutes for one learner working alone: reading, labs and questions, rounded up to 5."""
    import math

    labs = sum(1 for c in cells if "lab" in c.get("metadata", {}).get("tags", []))
    raw = (learner_words(cells) / READING_WORDS_PER_MINUTE + labs * MINUTES_PER_LAB
           + questions * MINUTES_PER_QUESTION)
    return 5 * math.ceil(raw / 5)
