"""The three Markdown marks bank text uses (**bold**, *italic*, `code`), as HTML or as plain text.

One home for the quiz widgets (``render``), the platform exports (``export``) and the final review, and
free of any widget toolkit, so exporting a bank needs no ipywidgets.
"""

from __future__ import annotations

import html
import re

# Each pattern's scan from an opening mark stops at the next mark of its kind (or the line's
# end), so rendering is linear in the text: the earlier ``(.+?)`` italic pattern rescanned
# the rest of the line from every "*" and took 10.8 s on "*a " * 20000.
_BOLD = re.compile(r"\*\*(?![\s*])([^*\n]+?)(?<!\s)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?![\s*])([^*\n]+?)(?<!\s)\*(?![\w*])")
_CODE = re.compile(r"`([^`\n]+)`")


def markdown_inline(text: str, quote: bool = True) -> str:
    """Escape HTML, then turn **bold**, *italic* and `code` into tags; line breaks become <br>.
    ``quote=False`` leaves quotation marks as they are (text content, never an attribute)."""
    out = html.escape(text.replace("\r\n", "\n").replace("\r", "\n"), quote=quote)
    out = _BOLD.sub(r"<strong>\1</strong>", out)
    out = _ITALIC.sub(r"<em>\1</em>", out)
    out = _CODE.sub(r"<code>\1</code>", out)
    return out.replace("\n", "<br>")


def plain_text(text: str) -> str:
    """Bank text as plain text on one line: the marks dropped, nothing escaped."""
    out = _BOLD.sub(r"\1", text)
    out = _ITALIC.sub(r"\1", out)
    out = _CODE.sub(r"\1", out)
    return " ".join(out.split())
