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
