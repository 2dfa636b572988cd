"""Every clinical number the course quotes comes with a source."""

import re

import pytest

from course_lib.evidence import FACTS, cite, fact


def test_every_fact_with_a_number_has_a_source_with_a_year():
    for item in FACTS.values():
        assert re.search(r"\b(19|20)\d\d\b", item.source.short), item.key
        assert item.source.reference, item.key
        assert item.statement.endswith("."), item.key


def test_cite_prints_statement_and_source(capsys):
    cite("prevalence")
    out = capsys.readouterr().out
    assert "6.9 to 10 %" in out and "van Hecke et al. 2014" in out and "doi:10.1016/j.pain.2013.11.013" in out


def test_unknown_fact_lists_known_keys():
    with pytest.raises(KeyError, match="prevalence"):
        fact("no_such_fact")


def test_chronic_threshold_matches_icd11():
    assert "more than 3 months" in fact("chronic_definition").statement


def test_every_nnt_is_stated_against_placebo_and_gabapentin_formulation_is_named():
    text = fact("first_line_nnt").statement
    assert "compared with placebo" in text
    assert "6.3 for immediate-release gabapentin" in text


def test_dcct_numbers_cite_the_primary_report():
    item = fact("dcct_neuropathy")
    assert "1993" in item.source.short and "329:977" in item.source.reference
    assert "60 %" in item.statement and "two to three times" in item.statement
