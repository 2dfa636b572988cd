"""The glossary: one validated source, defining terms at first use, and the generated glossary page."""

from __future__ import annotations

import pytest

from course_lib import glossary
from course_lib.glossary import GlossaryError, define_terms, load_glossary, parse_glossary


def test_the_course_glossary_is_valid_and_large_enough():
    terms = load_glossary()
    assert len(terms) >= 40
    assert all(t.definition.endswith(".") for t in terms)


def test_clinical_definitions_carry_a_source():
    by_term = {t.term: t for t in load_glossary()}
    for term in ("neuropathic pain", "allodynia", "hyperalgesia", "chronic pain", "central sensitisation"):
        assert by_term[term].source, term


@pytest.mark.parametrize("text, message", [
    ("- term: x\n", "definition"),
    ("- term: spike\n  definition: One.\n", "must be a sentence"),
    ("- term: a\n  definition: A first definition.\n- term: A\n  definition: A second definition.\n", "already used"),
    ("- term: a\n  definition: A definition here.\n  colour: red\n", "unknown field"),
    ("- term: a\n  definition: A definition without a stop\n", "full stop"),
    ("{}", "list of entries"),
])
def test_a_bad_glossary_names_the_entry_and_field(text, message):
    with pytest.raises(GlossaryError, match=message):
        parse_glossary(text, "fixture.yaml")


def test_first_use_is_wrapped_once_and_moves_when_text_is_added_above():
    cells = ["The rheobase is low.", "Later the rheobase rises."]
    once = define_terms(cells)
    assert once[0].count("<abbr") == 1 and "<abbr" not in once[1]
    # the same run again changes nothing (idempotent)
    assert define_terms(once) == once
    moved = define_terms(["A new first cell about rheobase.", *once])
    assert moved[0].count("<abbr") == 1 and "<abbr" not in moved[1]


def test_acronyms_match_exactly_and_headings_code_and_links_are_skipped():
    cells = ["# About KA\n\nka is not KA. `rheobase` and [rheobase](http://example.org/rheobase) and the mV."]
    out = define_terms(cells)[0]
    assert out.startswith("# About KA\n")
    assert "ka is not <abbr" in out and ">KA</abbr>" in out
    assert "`rheobase`" in out and "(http://example.org/rheobase)" in out
    assert ">mV</abbr>" in out


def test_longer_terms_are_defined_before_their_parts():
    out = define_terms(["It entered depolarisation block after a depolarisation."])[0]
    assert ">depolarisation block</abbr>" in out and ">depolarisation</abbr>." in out


def test_glossary_page_is_up_to_date():
    assert glossary.GLOSSARY_PAGE.read_text(encoding="utf-8") == glossary.glossary_page(), \
        "docs/glossary.md is stale: run `python -m course_lib.glossary`"
