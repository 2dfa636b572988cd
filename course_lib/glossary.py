"""The course glossary: load and validate ``glossary.yaml``, and define terms in notebook text.

One source for every definition. Notebooks define a term at its first use with a hover
``<abbr title="definition">term</abbr>`` whose title is copied from here, end with a generated
"Words from this notebook" list, and the full glossary page (docs/glossary.md) is generated from
the same file. Everything here works on strings (Markdown in, Markdown out), so the tool that
rewrites notebooks (tools/sync_notebook_text.py) and the tests share one implementation.

    python -m course_lib.glossary          # regenerate docs/glossary.md
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

GLOSSARY_PATH = Path(__file__).resolve().parent / "glossary.yaml"
REPO_ROOT = Path(__file__).resolve().parent.parent
GLOSSARY_PAGE = REPO_ROOT / "docs" / "glossary.md"

WORDS_START = "<!-- words:start (generated from course_lib/glossary.yaml; do not edit) -->"
WORDS_END = "<!-- words:end -->"

_ALLOWED_FIELDS = {"term", "aliases", "definition", "source"}


class GlossaryError(ValueError):
    """The glossary file is malformed: the message names the entry and the field."""


@dataclass(frozen=True)
class Term:
    """One glossary entry."""

    term: str
    definition: str
    aliases: tuple[str, ...] = ()
    source: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        """Every written form, longest first (so "spikes" wins over "spike")."""
        return tuple(sorted({self.term, *self.aliases}, key=len, reverse=True))

    @property
    def pattern(self) -> re.Pattern[str]:
        return _pattern(self.forms)

    def matches(self, text: str) -> bool:
        """True when ``text`` is exactly one of this term's forms."""
        return bool(self.pattern.fullmatch(text.strip()))

    def abbr(self, shown: str) -> str:
        """``shown`` wrapped in a hover definition."""
        return f'<abbr title="{html.escape(self.definition, quote=True)}">{shown}</abbr>'


def _case_sensitive(form: str) -> bool:
    # Acronyms and channel names (KA, mV, Nav1.8) must match exactly; ordinary words in any case.
    return any(ch.isupper() for ch in form[1:]) or any(ch.isdigit() for ch in form)


@lru_cache(maxsize=None)
def _pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = [re.escape(f) if _case_sensitive(f) else f"(?i:{re.escape(f)})" for f in forms]
    return re.compile(r"(?<![\w\-/.])(?:" + "|".join(alternatives) + r")(?![\w\-/]|\.\d)")


def _validate(raw: object, where: str) -> tuple[Term, ...]:
    if not isinstance(raw, list) or not raw:
        raise GlossaryError(f"{where}: expected a list of entries")
    terms: list[Term] = []
    seen: dict[str, str] = {}
    for index, item in enumerate(raw, start=1):
        label = f"{where}: entry {index}"
        if not isinstance(item, dict):
            raise GlossaryError(f"{label}: expected a mapping with term and definition")
        unknown = set(item) - _ALLOWED_FIELDS
        if unknown:
            raise GlossaryError(f"{label}: unknown field(s) {sorted(unknown)}; allowed {sorted(_ALLOWED_FIELDS)}")
        term, definition = item.get("term"), item.get("definition")
        if not isinstance(term, str) or not term.strip():
            raise GlossaryError(f"{label}: field 'term' must be a non-empty string, got {term!r}")
        label = f"{where}: term {term!r}"
        if not isinstance(definition, str) or len(definition.strip()) < 10:
            raise GlossaryError(f"{label}: field 'definition' must be a sentence, got {definition!r}")
        if not definition.strip().endswith("."):
            raise GlossaryError(f"{label}: field 'definition' must end with a full stop")
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise GlossaryError(f"{label}: field 'aliases' must be a list of non-empty strings, got {aliases!r}")
        source = item.get("source", "")
        if not isinstance(source, str):
            raise GlossaryError(f"{label}: field 'source' must be a string, got {source!r}")
        for form in (term, *aliases):
            key = form.lower()
            if key in seen:
                raise GlossaryError(f"{label}: the form {form!r} is already used by term {seen[key]!r}")
            seen[key] = term
        terms.append(Term(term.strip(), definition.strip(), tuple(a.strip() for a in aliases), source.strip()))
    return tuple(terms)


def parse_glossary(text: str, where: str = "glossary") -> tuple[Term, ...]:
    """Parse and validate glossary YAML text (used for the real file and for test fixtures)."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise GlossaryError(f"{where}: not valid YAML: {error}") from None
    return _validate(raw, where)


@lru_cache(maxsize=1)
def load_glossary(path: Path = GLOSSARY_PATH) -> tuple[Term, ...]:
    """The course glossary, validated (cached)."""
    return parse_glossary(Path(path).read_text(encoding="utf-8"), str(path))


def lookup(text: str, terms: tuple[Term, ...] | None = None) -> Term | None:
    """The entry whose term or alias is exactly ``text``, or None."""
    for item in terms if terms is not None else load_glossary():
        if item.matches(text):
            return item
    return None


# ----- finding terms in Markdown --------------------------------------------------------------

ABBR = re.compile(r'<abbr title="(?P<title>[^"]*)">(?P<text>.*?)</abbr>', re.DOTALL)

# Parts of a Markdown cell where a term is not "used" in running text: headings, code, link
# targets, image syntax, HTML tags themselves, generated blocks, and abbr elements (handled apart).
_PROTECTED = re.compile(
    r"^#+ [^\n]*$"
    r"|```.*?```"
    r"|`[^`]*`"
    r"|!\[[^\]]*\]\([^)]*\)"
    r"|\]\([^)]*\)"
    r"|<!--.*?-->"
    r"|<summary>.*?</summary>"
    r"|<abbr\b.*?</abbr>"
    r"|<[^>]+>"
    r"|https?://\S+",
    re.MULTILINE | re.DOTALL,
)
_GENERATED = re.compile(r"<!-- (words|objectives):start.*?<!-- \1:end -->", re.DOTALL)


def protected_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _GENERATED.finditer(text)]
    spans += [m.span() for m in _PROTECTED.finditer(text)]
    return spans


def bare_uses(text: str, term: Term) -> list[re.Match[str]]:
    """Uses of ``term`` in running text (outside headings, code, tags and any abbr element)."""
    spans = protected_spans(text)
    return [m for m in term.pattern.finditer(text)
            if not any(start <= m.start() < end or start < m.end() <= end for start, end in spans)]


def abbr_uses(text: str, term: Term) -> list[re.Match[str]]:
    """``<abbr>`` elements that define ``term`` (outside generated blocks)."""
    generated = [m.span() for m in _GENERATED.finditer(text)]
    return [m for m in ABBR.finditer(text) if term.matches(m.group("text"))
            and not any(s <= m.start() < e for s, e in generated)]


def define_first_use(cells: list[str], term: Term) -> list[str]:
    """Cells with ``term`` defined (as an abbr) at its first use and nowhere else.

    Existing abbrs of the term are unwrapped first, so the definition moves when text is added
    above it, and its title always equals the glossary's definition.
    """
    out = []
    for text in cells:
        for match in reversed(abbr_uses(text, term)):
            text = text[: match.start()] + match.group("text") + text[match.end():]
        out.append(text)
    for index, text in enumerate(out):
        uses = bare_uses(text, term)
        if uses:
            first = uses[0]
            out[index] = text[: first.start()] + term.abbr(first.group(0)) + text[first.end():]
            break
    return out


def define_terms(cells: list[str], terms: tuple[Term, ...] | None = None) -> list[str]:
    """Every glossary term defined at its first use in ``cells`` (Markdown sources, in order)."""
    terms = terms if terms is not None else load_glossary()
    # longest forms first, so "depolarisation block" is defined before "depolarisation"
    for term in sorted(terms, key=lambda t: len(t.forms[0]), reverse=True):
        cells = define_first_use(cells, term)
    return cells


def terms_used(cells: list[str], terms: tuple[Term, ...] | None = None) -> list[Term]:
    """Glossary terms a notebook uses (defined or not), alphabetical."""
    terms = terms if terms is not None else load_glossary()
    used = [t for t in terms if any(bare_uses(c, t) or abbr_uses(c, t) for c in cells)]
    return sorted(used, key=lambda t: t.term.lower())


def definition_problems(cells: list[str], terms: tuple[Term, ...] | None = None) -> list[str]:
    """What is wrong with the definitions in a notebook's Markdown cells (empty: nothing)."""
    terms = terms if terms is not None else load_glossary()
    problems = []
    for index, text in enumerate(cells):
        for match in ABBR.finditer(text):
            entry = lookup(match.group("text"), terms)
            if entry is None:
                problems.append(f"markdown cell {index + 1}: <abbr> for {match.group('text')!r}, "
                                "which the glossary does not hold (add it to course_lib/glossary.yaml)")
            elif html.unescape(match.group("title")) != entry.definition:
                problems.append(f"markdown cell {index + 1}: the definition of {entry.term!r} differs "
                                "from the glossary (run tools/sync_notebook_text.py)")
    for term in terms:
        events = []
        for index, text in enumerate(cells):
            events += [(index, m.start(), "abbr") for m in abbr_uses(text, term)]
            events += [(index, m.start(), "bare") for m in bare_uses(text, term)]
        if events and min(events)[2] != "abbr":
            index = min(events)[0]
            problems.append(f"markdown cell {index + 1}: first use of {term.term!r} without its definition")
    return problems


# ----- generated text -----------------------------------------------------------------------

def words_block(terms: list[Term]) -> str:
    """The "Words from this notebook" list, between its markers."""
    lines = [WORDS_START, "## Words from this notebook", ""]
    for term in terms:
        source = f" *Source: {term.source}.*" if term.source else ""
        lines.append(f"- **{term.term}**: {term.definition}{source}")
    lines += ["", "All the course's words are in the [glossary](../docs/glossary.md).", WORDS_END]
    return "\n".join(lines)


def glossary_page(terms: tuple[Term, ...] | None = None) -> str:
    """docs/glossary.md: every term, alphabetical, with its other forms and source."""
    terms = terms if terms is not None else load_glossary()
    lines = [
        "# Glossary",
        "",
        "Plain-language definitions of the words the course uses. Generated from",
        "`course_lib/glossary.yaml` by `python -m course_lib.glossary`; do not edit by hand.",
        "Definitions describe how the course uses each word; they are not medical advice.",
        "",
    ]
    for term in sorted(terms, key=lambda t: t.term.lower()):
        also = f" (also: {', '.join(term.aliases)})" if term.aliases else ""
        source = f" *Source: {term.source}.*" if term.source else ""
        lines.append(f"- **{term.term}**{also}: {term.definition}{source}")
    return "\n".join(lines) + "\n"


def main() -> None:
    GLOSSARY_PAGE.parent.mkdir(parents=True, exist_ok=True)
    GLOSSARY_PAGE.write_text(glossary_page(), encoding="utf-8")
    print(f"wrote {GLOSSARY_PAGE} ({len(load_glossary())} terms)")


if __name__ == "__main__":
    main()
