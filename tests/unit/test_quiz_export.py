"""Quiz export for learning platforms (issue 22 item 4): Moodle GIFT and IMS QTI 1.2.

Two validators live here, each strict and written from the format's published description:

* ``parse_gift`` follows Moodle's GIFT documentation (docs.moodle.org "GIFT format"):
  questions separated by blank lines, ``//`` comment lines, ``$CATEGORY:`` lines,
  ``::name::``, ``[html|moodle|plain|markdown]``, one answer block in braces, answers
  ``=``/``~`` with optional ``%weight%`` and ``#feedback``, ``####`` general feedback,
  numerical ``{#...}`` with ``value:tolerance`` or ``low..high``, matching ``=a -> b``.
  Outside those marks, ``~ = # { } :`` must be escaped with a backslash, and a backslash may
  only escape one of them, itself, or ``n``. Weights must be grades Moodle accepts.
* ``check_qti`` checks the element tree of every element the exporter writes against the
  content models and attributes of the IMS QTI ASI 1.2 XSD (ims_qtiasiv1p2p1.xsd), plus
  references the XSD cannot check (every ``displayfeedback`` names an ``itemfeedback`` of its
  item; every condition names a response of its item and, for a choice, one of its labels).
  The official XSD itself is not in this repository (IMS licence terms, and it is not on
  PyPI); when ``QTI12_XSD`` names a copy and ``xmlschema`` or ``lxml`` is installed,
  ``test_qti_validates_against_the_official_xsd`` validates every bank against it too.
"""

from __future__ import annotations

import io
import math
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from course_lib.quiz import load_bank
from course_lib.quiz.__main__ import main
from course_lib.quiz.export import (
    MOODLE_GRADES,
    QTI_NS,
    choice_ident,
    gift_escape,
    group_ident,
    position_ident,
    qti_package,
    shown_steps,
    to_gift,
    to_html,
    to_plain,
    to_qti,
)
from course_lib.quiz.loader import available_banks
from course_lib.quiz.schema import (
    CategoriseQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderQuestion,
    PredictQuestion,
    SingleQuestion,
)

BANKS = available_banks()
FIXTURES = Path(__file__).parent / "fixtures" / "quiz"


# ============================================================================ GIFT validator

class GiftError(ValueError):
    pass


_SPECIAL = set("~=#{}:")
_ESCAPABLE = _SPECIAL | {"\\", "n"}
_FORMATS = ("html", "moodle", "plain", "markdown")
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_ALLOWED_WEIGHTS = {round(g, 5) for g in MOODLE_GRADES} | {-round(g, 5) for g in MOODLE_GRADES}


def _tokens(text: str) -> list[tuple[str, bool]]:
    """(character, is_escaped) pairs; a backslash before anything else is an error."""
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            if i + 1 >= len(text) or text[i + 1] not in _ESCAPABLE:
                raise GiftError(f"stray backslash at {text[i:i + 12]!r}")
            nxt = text[i + 1]
            out.append(("\n" if nxt == "n" else nxt, True))
            i += 2
        else:
            out.append((c, False))
            i += 1
    return out


def _plain(tokens: list[tuple[str, bool]], where: str) -> str:
    """Literal text: any unescaped special character is an error."""
    for c, escaped in tokens:
        if c in _SPECIAL and not escaped:
            raise GiftError(f"unescaped '{c}' in {where}: {''.join(t for t, _ in tokens)[:80]!r}")
    return "".join(c for c, _ in tokens)


def _split(tokens: list[tuple[str, bool]], marks: str) -> list[tuple[str, list]]:
    """Split at unescaped characters in ``marks``: [(mark, tokens after it), ...]; the text
    before the first mark comes with mark ''."""
    parts: list[tuple[str, list]] = [("", [])]
    for c, escaped in tokens:
        if c in marks and not escaped:
            parts.append((c, []))
        else:
            parts[-1][1].append((c, escaped))
    return parts


def _answer(mark: str, tokens: list, numeric: bool) -> dict:
    # "####" (general feedback) was split off before; here one '#' at most.
    pieces = _split(tokens, "#")
    if len(pieces) > 2:
        raise GiftError("an answer has more than one '#' feedback mark")
    body = pieces[0][1]
    feedback = _plain(pieces[1][1], "feedback").strip() if len(pieces) == 2 else None
    raw = "".join(c for c, _ in body).strip()
    weight = None
    match = re.match(r"^%(-?\d+(?:\.\d+)?)%", raw)
    if match:
        weight = float(match.group(1))
        if round(weight, 5) not in _ALLOWED_WEIGHTS:
            raise GiftError(f"weight {weight} is not a grade Moodle accepts")
        while body and body[0][0].isspace():  # drop leading space, then the "%w%" marks
            body = body[1:]
        body = body[len(match.group(0)):]
    elif raw.startswith("%") and not numeric:
        raise GiftError(f"answer starts with '%' but is no weight: {raw[:30]!r}")
    if numeric:
        value = "".join(c for c, e in body).strip()
        if any(e for _, e in body):
            raise GiftError("escaped characters inside a numeric answer")
        return {"mark": mark, "weight": weight, "value": value, "feedback": feedback}
    text = _plain(body, "answer").strip()
    if not text:
        raise GiftError("an empty answer")
    return {"mark": mark, "weight": weight, "text": text, "feedback": feedback}


def _numeric_value(value: str) -> tuple[float, float]:
    """'a:t' -> (a - t, a + t); 'lo..hi' -> (lo, hi); 'a' -> (a, a)."""
    if m := re.fullmatch(rf"({_NUMBER})\.\.({_NUMBER})", value):
        low, high = float(m.group(1)), float(m.group(2))
        if low > high:
            raise GiftError(f"numeric range {value} runs backwards")
        return low, high
    if m := re.fullmatch(rf"({_NUMBER}):({_NUMBER})", value):
        answer, tol = float(m.group(1)), float(m.group(2))
        if tol < 0:
            raise GiftError(f"negative tolerance in {value}")
        return answer - tol, answer + tol
    if re.fullmatch(_NUMBER, value):
        return float(value), float(value)
    raise GiftError(f"not a numeric answer: {value!r}")


def _parse_question(block: str) -> dict:
    tokens = _tokens(block)
    text = "".join(c for c, _ in tokens)
    q: dict = {"name": None, "format": "moodle"}
    # ::name::  (unescaped "::" only)
    rest = tokens
    lead = "".join(c for c, _ in rest[:2])
    if lead == "::" and not rest[0][1] and not rest[1][1]:
        for k in range(2, len(rest) - 1):
            if rest[k] == (":", False) and rest[k + 1] == (":", False):
                q["name"] = _plain(rest[2:k], "name").strip()
                rest = rest[k + 2:]
                break
        else:
            raise GiftError("a question name opened with '::' is never closed")
        if not q["name"]:
            raise GiftError("an empty question name")
    while rest and rest[0][0].isspace():
        rest = rest[1:]
    if rest and rest[0] == ("[", False):
        close = next((k for k, t in enumerate(rest) if t == ("]", False)), None)
        fmt = "".join(c for c, _ in rest[1:close]) if close else ""
        if fmt not in _FORMATS:
            raise GiftError(f"unknown text format [{fmt}]")
        q["format"] = fmt
        rest = rest[close + 1:]
    opens = [k for k, t in enumerate(rest) if t == ("{", False)]
    closes = [k for k, t in enumerate(rest) if t == ("}", False)]
    if len(opens) != 1 or len(closes) != 1 or closes[0] < opens[0]:
        raise GiftError(f"a question needs exactly one answer block {{...}}: {text[:80]!r}")
    q["text"] = _plain(rest[:opens[0]], "question text").strip()
    q["after"] = _plain(rest[closes[0] + 1:], "text after the answers").strip()
    if not q["text"]:
        raise GiftError("empty question text")
    inner = rest[opens[0] + 1:closes[0]]
    # general feedback: an unescaped "####" (its text runs to the end of the block)
    q["general"] = None
    flat = "".join("#" if t == ("#", False) else "\0" for t in inner)
    at = flat.find("####")
    if at >= 0:
        q["general"] = _plain(inner[at + 4:], "general feedback").strip()
        inner = inner[:at]
    raw = "".join(c for c, _ in inner).strip()
    if raw == "":
        q["kind"] = "essay"
        q["answers"] = []
        return q
    if re.fullmatch(r"(T|TRUE|F|FALSE)(#.*)?", raw, re.S):
        q["kind"] = "truefalse"
        q["answers"] = []
        return q
    numeric = False
    while inner and inner[0][0].isspace():
        inner = inner[1:]
    if inner and inner[0] == ("#", False):
        numeric = True
        inner = inner[1:]
    parts = _split(inner, "=~")
    head = "".join(c for c, _ in parts[0][1]).strip()
    if numeric and len(parts) == 1:  # {#value#feedback}
        parts = [("", []), ("=", parts[0][1])]
    elif head:
        raise GiftError(f"text before the first answer mark: {head[:40]!r}")
    answers = [_answer(mark, toks, numeric) for mark, toks in parts[1:]]
    if not answers:
        raise GiftError("an answer block without answers")
    q["answers"] = answers
    if numeric:
        q["kind"] = "numerical"
        if any(a["mark"] != "=" for a in answers):
            raise GiftError("numerical answers are written with '='")
        for a in answers:
            a["low"], a["high"] = _numeric_value(a["value"])
        if not any((a["weight"] is None or a["weight"] == 100) for a in answers):
            raise GiftError("a numerical question without a full-mark answer")
        return q
    if all(a["mark"] == "=" for a in answers) and any("->" in a["text"] for a in answers):
        q["kind"] = "matching"
        for a in answers:
            # Moodle splits each pair at its first "->"; the match is plain text.
            if "->" not in a["text"] or a["feedback"] is not None or a["weight"] is not None:
                raise GiftError("matching pairs are '=item -> match', without feedback or weights")
            left, right = (s.strip() for s in a["text"].split("->", 1))
            if not left or not right:
                raise GiftError(f"an empty side in the pair {a['text']!r}")
            a["left"], a["right"] = left, right
        if len(answers) < 3:
            raise GiftError("matching questions need at least three pairs")
        return q
    weights = [a["weight"] for a in answers]
    if all(w is None for w in weights):
        n_right = sum(a["mark"] == "=" for a in answers)
        if n_right == len(answers):
            q["kind"] = "shortanswer"
        elif n_right == 1:
            q["kind"] = "multichoice"
        else:
            raise GiftError("multiple choice needs exactly one '=' (or weights)")
        return q
    q["kind"] = "multichoice_weighted"
    for a in answers:
        if a["weight"] is None:
            a["weight"] = 100.0 if a["mark"] == "=" else 0.0
    positive = sum(w for w in (a["weight"] for a in answers) if w > 0)
    if not math.isclose(positive, 100.0, abs_tol=0.01):
        raise GiftError(f"the positive weights add up to {positive}, not 100")
    return q


def parse_gift(text: str) -> dict:
    """Parse a GIFT file strictly; return {'categories': [...], 'questions': [...]}."""
    if "\r" in text:
        raise GiftError("carriage returns in the file")
    lines = [("" if ln.strip().startswith("//") else ln) for ln in text.split("\n")]
    blocks, current = [], []
    for line in lines + [""]:
        if line.strip():
            current.append(line)
        elif current:
            blocks.append("\n".join(current))
            current = []
    out: dict = {"categories": [], "questions": []}
    for block in blocks:
        if block.lstrip().startswith("$CATEGORY:"):
            if "\n" in block.strip():
                raise GiftError("a $CATEGORY line must stand alone")
            out["categories"].append(block.split(":", 1)[1].strip())
        else:
            out["questions"].append(_parse_question(block))
    return out


def unescape(text: str) -> str:
    return "".join(c for c, _ in _tokens(text))


# ============================================================================ QTI validator

_COND = r"(?:not |and |or |other |varequal |varlt |varlte |vargt |vargte )"
_YES_NO = ("Yes", "No")
# Content models (as regexes over the child element names) and attributes of the elements
# this exporter writes, transcribed from ims_qtiasiv1p2p1.xsd. Optional elements of the XSD
# that the exporter never writes are left out of the models, so they would be refused here.
_MODELS: dict[str, tuple[str | None, dict[str, tuple[str, ...] | None], set[str]]] = {
    # tag: (children regex or None for text-only, {attribute: allowed values or None}, required)
    "questestinterop": (r"(qticomment )?(assessment |(section |item )+)",
                        {"{http://www.w3.org/2001/XMLSchema-instance}schemaLocation": None}, set()),
    "qticomment": (None, {}, set()),
    "assessment": (r"(qticomment )?(qtimetadata )*(section )+",
                   {"ident": None, "title": None}, {"ident"}),
    "qtimetadata": (r"(qtimetadatafield )+", {}, set()),
    "qtimetadatafield": (r"fieldlabel fieldentry ", {}, set()),
    "fieldlabel": (None, {}, set()),
    "fieldentry": (None, {}, set()),
    "section": (r"(qticomment )?(qtimetadata )*(item |section )*",
                {"ident": None, "title": None}, {"ident"}),
    "item": (r"(qticomment )?(itemmetadata )?(presentation )?(resprocessing )*(itemfeedback )*",
             {"ident": None, "title": None, "label": None, "maxattempts": None}, {"ident"}),
    "itemmetadata": (r"(qtimetadata )*", {}, set()),
    "presentation": (r"(qticomment )?(material |response_lid |response_str )+", {}, set()),
    "material": (r"(qticomment )?(mattext )+", {"label": None}, set()),
    "mattext": (None, {"texttype": None, "label": None, "charset": None}, set()),
    "response_lid": (r"(material )?(render_choice |render_fib )(material )?",
                     {"ident": None, "rcardinality": ("Single", "Multiple", "Ordered"),
                      "rtiming": _YES_NO}, {"ident"}),
    "response_str": (r"(material )?(render_choice |render_fib )(material )?",
                     {"ident": None, "rcardinality": ("Single", "Multiple", "Ordered"),
                      "rtiming": _YES_NO}, {"ident"}),
    "render_choice": (r"(material |response_label )*",
                      {"shuffle": _YES_NO, "minnumber": None, "maxnumber": None}, set()),
    "render_fib": (r"(material |response_label )*",
                   {"fibtype": ("String", "Integer", "Decimal", "Scientific"), "rows": None,
                    "columns": None, "maxchars": None}, set()),
    "response_label": (r"(qticomment |material |flow_mat )*",
                       {"ident": None, "rshuffle": _YES_NO}, {"ident"}),
    "resprocessing": (r"(qticomment )?outcomes (respcondition )+", {"scoremodel": None}, set()),
    "outcomes": (r"(qticomment )?(decvar )+", {}, set()),
    "decvar": (None, {"varname": None, "vartype": ("Integer", "String", "Decimal", "Scientific",
                                                    "Boolean", "Enumerated", "Set"),
                      "defaultval": None, "minvalue": None, "maxvalue": None}, set()),
    "respcondition": (r"(qticomment )?conditionvar (setvar )*(displayfeedback )*",
                      {"continue": _YES_NO, "title": None}, set()),
    "conditionvar": (rf"{_COND}+", {}, set()),
    "and": (rf"{_COND}+", {}, set()),
    "or": (rf"{_COND}+", {}, set()),
    "not": (rf"{_COND}", {}, set()),
    "other": (None, {}, set()),
    "varequal": (None, {"respident": None, "case": _YES_NO, "index": None}, {"respident"}),
    **{name: (None, {"respident": None, "index": None}, {"respident"})
       for name in ("varlt", "varlte", "vargt", "vargte")},
    "setvar": (None, {"varname": None, "action": ("Set", "Add", "Subtract", "Multiply", "Divide")},
               set()),
    "displayfeedback": (None, {"feedbacktype": ("Response", "Solution", "Hint"),
                               "linkrefid": None}, {"linkrefid"}),
    "itemfeedback": (r"(flow_mat |material )+", {"ident": None, "title": None, "view": None},
                     {"ident"}),
    "flow_mat": (r"(flow_mat |material )+", {"class": None}, set()),
}


def _local(tag: str) -> str:
    if not tag.startswith(f"{{{QTI_NS}}}"):
        raise AssertionError(f"element {tag} is not in the QTI 1.2 namespace")
    return tag.split("}", 1)[1]


def _check_element(el: ET.Element, path: str, errors: list[str]) -> None:
    name = _local(el.tag)
    where = f"{path}/{name}"
    if name not in _MODELS:
        errors.append(f"{where}: element not allowed here")
        return
    model, attrs, required = _MODELS[name]
    for attr, value in el.attrib.items():
        if attr not in attrs:
            errors.append(f"{where}: attribute {attr} not allowed")
        elif attrs[attr] is not None and value not in attrs[attr]:
            errors.append(f"{where}: {attr}={value!r} not one of {attrs[attr]}")
    for attr in required - set(el.attrib):
        errors.append(f"{where}: required attribute {attr} missing")
    children = list(el)
    if model is None:
        if children:
            errors.append(f"{where}: text-only element has child elements")
        return
    if (el.text or "").strip() and name != "response_label":
        errors.append(f"{where}: text inside an element-only element")
    for child in children:
        if (child.tail or "").strip():
            errors.append(f"{where}: text between child elements")
    sequence = "".join(f"{_local(c.tag)} " for c in children)
    if not re.fullmatch(model, sequence):
        errors.append(f"{where}: children [{sequence.strip()}] do not match ({model})")
    for child in children:
        _check_element(child, where, errors)


def check_qti(xml: str) -> list[str]:
    """Every problem found (empty when the document is valid)."""
    root = ET.fromstring(xml.encode("utf-8"))
    errors: list[str] = []
    if root.tag != f"{{{QTI_NS}}}questestinterop":
        return [f"root element is {root.tag}"]
    _check_element(root, "", errors)
    idents = [item.get("ident") for item in root.iter(f"{{{QTI_NS}}}item")]
    if len(idents) != len(set(idents)):
        errors.append("item idents are not unique")
    for item in root.iter(f"{{{QTI_NS}}}item"):
        where = f"item {item.get('ident')}"
        feedback_ids = [f.get("ident") for f in item.iter(f"{{{QTI_NS}}}itemfeedback")]
        if len(feedback_ids) != len(set(feedback_ids)):
            errors.append(f"{where}: itemfeedback idents repeat")
        responses = {r.get("ident"): r for tag in ("response_lid", "response_str")
                     for r in item.iter(f"{{{QTI_NS}}}{tag}")}
        for d in item.iter(f"{{{QTI_NS}}}displayfeedback"):
            if d.get("linkrefid") not in feedback_ids:
                errors.append(f"{where}: displayfeedback names no itemfeedback "
                              f"({d.get('linkrefid')})")
        for tag in ("varequal", "varlt", "varlte", "vargt", "vargte"):
            for v in item.iter(f"{{{QTI_NS}}}{tag}"):
                response = responses.get(v.get("respident"))
                if response is None:
                    errors.append(f"{where}: {tag} names no response ({v.get('respident')})")
                elif _local(response.tag) == "response_lid":
                    labels = {lab.get("ident") for lab in response.iter(f"{{{QTI_NS}}}response_label")}
                    if v.text not in labels:
                        errors.append(f"{where}: {tag} value {v.text!r} is no label of "
                                      f"{v.get('respident')}")
                else:
                    try:
                        float(v.text or "")
                    except ValueError:
                        errors.append(f"{where}: {tag} value {v.text!r} is not a number")
    return errors


# ============================================================================ helpers

def _qti_items(xml: str) -> dict[str, ET.Element]:
    root = ET.fromstring(xml.encode("utf-8"))
    return {i.get("ident"): i for i in root.iter(f"{{{QTI_NS}}}item")}


def _q(tag: str) -> str:
    return f"{{{QTI_NS}}}{tag}"


def _feedback_text(item: ET.Element, ident: str) -> str:
    for fb in item.iter(_q("itemfeedback")):
        if fb.get("ident") == ident:
            return "".join(m.text or "" for m in fb.iter(_q("mattext")))
    raise KeyError(ident)


def _full_credit_choices(item: ET.Element) -> tuple[set[str], set[str]]:
    """(labels that must be chosen, labels that must not be) in the condition that sets
    SCORE to 100."""
    for cond in item.iter(_q("respcondition")):
        if any(s.get("action") == "Set" and s.text == "100" for s in cond.iter(_q("setvar"))):
            var = cond.find(_q("conditionvar"))
            negated = {v.text for n in var.iter(_q("not")) for v in n.iter(_q("varequal"))}
            chosen = {v.text for v in var.iter(_q("varequal"))} - negated
            return chosen, negated
    raise AssertionError("no full-credit condition")


def _shares(item: ET.Element) -> dict[str, tuple[str, float]]:
    """For matching items: response ident -> (label that earns marks, share of the mark)."""
    out = {}
    for cond in item.iter(_q("respcondition")):
        adds = [s for s in cond.findall(_q("setvar")) if s.get("action") == "Add"]
        if adds:
            (v,) = cond.find(_q("conditionvar")).findall(_q("varequal"))
            out[v.get("respident")] = (v.text, float(adds[0].text))
    return out


# ============================================================================ GIFT tests

@pytest.mark.parametrize("notebook", BANKS)
def test_gift_parses_under_the_grammar_and_accounts_for_every_question(notebook):
    bank = load_bank(notebook)
    export = to_gift(bank)
    parsed = parse_gift(export.text)
    report = export.report
    assert len(parsed["questions"]) == len(report.exported)
    assert len(report.exported) + len(report.left_out) == len(bank.questions)
    assert set(report.exported_ids) | set(report.left_out_ids) == set(bank.ids)
    assert all(q["format"] == "html" for q in parsed["questions"])
    assert parsed["categories"] == [f"$course$/top/{bank.notebook}"]
    for left in report.left_out:
        assert f"// Left out: {left.id} ({left.type})" in export.text


@pytest.mark.parametrize("notebook", BANKS)
def test_gift_answers_and_feedback_match_the_bank(notebook):
    bank = load_bank(notebook)
    export = to_gift(bank)
    parsed = {q["name"].split()[-1]: q for q in parse_gift(export.text)["questions"]}
    for q in bank.questions:
        if q.id not in export.report.exported_ids:
            continue
        g = parsed[q.id]
        assert g["text"].startswith(to_html(q.prompt))
        assert to_html(q.explanation) in g["general"]
        if q.source:
            assert to_html(q.source) in g["general"]
        if isinstance(q, SingleQuestion):
            assert g["kind"] == "multichoice"
            right = [a["text"] for a in g["answers"] if a["mark"] == "="]
            assert right == [to_html(q.option(q.answer).text)]
            by_text = {a["text"]: a["feedback"] for a in g["answers"]}
            assert by_text == {to_html(o.text): to_html(o.feedback) for o in q.options}
        elif isinstance(q, MultipleQuestion):
            assert g["kind"] == "multichoice_weighted"
            right = {a["text"] for a in g["answers"] if a["weight"] > 0}
            assert right == {to_html(o.text) for o in q.options if o.id in q.answer}
            # Each wrong tick cancels one right tick, as in grading.grade_multiple.
            for a in g["answers"]:
                assert math.isclose(abs(a["weight"]), 100 / len(q.answer), abs_tol=1e-4)
            by_text = {a["text"]: a["feedback"] for a in g["answers"]}
            assert by_text == {to_html(o.text): to_html(o.feedback) for o in q.options}
            for o in q.options:
                if o.id in q.answer and o.if_missed:
                    assert to_html(o.if_missed) in g["general"]
        elif isinstance(q, NumericQuestion):
            assert g["kind"] == "numerical"
            first = g["answers"][0]
            assert first["weight"] is None
            assert math.isclose(first["low"], q.answer - q.tolerance)
            assert math.isclose(first["high"], q.answer + q.tolerance)
            rest = g["answers"][1:]
            assert all(a["weight"] == 0 for a in rest)
            for r in q.feedback_ranges:
                assert any(a["low"] == r.low and a["high"] == r.high
                           and a["feedback"] == to_html(r.feedback) for a in rest)
            # Moodle takes the first answer that contains the response: ranges come before
            # too_low / too_high, as grading.grade_numeric gives them priority.
            kinds = [a["feedback"] for a in rest]
            if q.too_low:
                low = next(a for a in rest if a["feedback"] == to_html(q.too_low))
                assert low["high"] == q.answer and low["low"] < q.answer - 1000 * (1 + q.tolerance)
                assert kinds.index(low["feedback"]) >= len(q.feedback_ranges)
            if q.too_high:
                high = next(a for a in rest if a["feedback"] == to_html(q.too_high))
                assert high["low"] == q.answer and high["high"] > q.answer + 1000 * (1 + q.tolerance)
            if q.unit:
                assert f"({to_html(q.unit)})" in g["text"]
        elif isinstance(q, CategoriseQuestion):
            assert g["kind"] == "matching"
            pairs = {a["left"]: a["right"] for a in g["answers"]}
            assert pairs == {to_html(i.text): to_plain(q.group_label(i.group)) for i in q.items}
            for i in q.items:
                if i.feedback:
                    assert to_html(i.feedback) in g["general"]
        elif isinstance(q, OrderQuestion):
            assert g["kind"] == "matching"
            lefts = [a["left"] for a in g["answers"]]
            assert lefts == [to_html(s.text) for s in shown_steps(q)]
            assert lefts != [to_html(s.text) for s in q.steps]  # never the answer order
            rights = {a["left"]: a["right"] for a in g["answers"]}
            ordinals = ["1st", "2nd", "3rd"] + [f"{n}th" for n in range(4, 21)]
            assert [rights[to_html(s.text)] for s in q.steps] == ordinals[:len(q.steps)]
        else:  # pragma: no cover - a new type needs a mapping and a test
            raise AssertionError(f"unexpected exported type {q.type}")


def test_gift_leaves_out_every_predict_question_with_its_reason():
    for notebook in BANKS:
        bank = load_bank(notebook)
        report = to_gift(bank).report
        predicts = [q for q in bank.questions if isinstance(q, PredictQuestion)]
        assert report.left_out_ids == tuple(q.id for q in predicts)
        for left, q in zip(report.left_out, predicts):
            assert "live lab" in left.reason and q.task.rstrip(" .") in left.reason


def test_gift_escapes_special_characters():
    assert gift_escape(r"a~b=c#d{e}f:g\h") == r"a\~b\=c\#d\{e\}f\:g\\h"
    assert unescape(gift_escape(r"~=#{}:\ and \n")) == r"~=#{}:\ and \n"


# ------------------------------------------------------------------ a bank full of specials

SPECIAL_BANK = r"""
notebook: specials_demo
title: 'Specials: ~ = # { } : \ in a title'
questions:
  - id: pick_one
    type: single
    prompt: 'Which is right? a~b, x=1, #tag, {braces}, key: value, back\slash, **bold** & <i>'
    options:
      - id: tilde
        text: 'the ~tilde~ = equal'
        feedback: 'Feedback with # hash and {braces} and C:\path'
      - id: colon
        text: 'a: colon :: double, and \n literally'
        feedback: 'Right: it is "a: colon".'
      - id: pct
        text: '%s placeholder starts with a percent sign'
        feedback: 'A leading percent must not become a weight.'
    answer: colon
    explanation: 'Because {a} = {b} # c ~ d \ e.'
  - id: tick_some
    type: multiple
    prompt: 'Tick the ones with a \ backslash.'
    options:
      - {id: a, text: 'one \ two', feedback: 'yes: \', if_missed: 'look for \ again'}
      - {id: b, text: 'three = four', feedback: 'no = sign wanted'}
      - {id: c, text: 'five \\ six', feedback: 'yes \\'}
    answer: [a, c]
    explanation: 'Backslashes: \ and \\.'
  - id: how_many
    type: numeric
    prompt: 'How many {braces} are in "{}{}"?'
    answer: 4
    tolerance: 0
    unit: 'braces'
    too_low: 'Too few: count { and }.'
    too_high: 'Too many = no.'
    feedback_ranges:
      - {low: 1, high: 2, feedback: 'Half of them: # of pairs, not braces.'}
    explanation: 'Two pairs, four braces.'
    source: 'Counting {}: by hand.'
  - id: sort_marks
    type: categorise
    prompt: 'Sort the marks: which are GIFT specials?'
    groups:
      - {id: special, label: 'Special: must be escaped'}
      - {id: plain, label: 'Plain -> no escape'}
    items:
      - {id: t, text: '~ tilde', group: special, feedback: 'The ~ marks a wrong answer.'}
      - {id: e, text: '= equals', group: special, feedback: 'The = marks a right answer.'}
      - {id: p, text: '% percent', group: plain, feedback: 'A % is only special at the start.'}
      - {id: d, text: '-> arrow', group: plain}
    explanation: 'The specials are ~ = # { } :.'
  - id: in_order
    type: order
    prompt: 'Order: {first} -> #second -> ~third'
    steps:
      - {id: s1, text: 'first {1}', feedback: 'Starts: here'}
      - {id: s2, text: 'second #2'}
      - {id: s3, text: 'third ~3 \ end'}
    explanation: 'It goes 1, 2, 3.'
  - id: predict_it
    type: predict
    prompt: 'Predict: ~ = #'
    prediction: numeric
    unit: pA
    tolerance: 5
    task: 'run the lab'
    observe_with: 'run the lab (author note: lab.observe wiring)'
    explanation: 'Whatever the lab shows.'
"""


@pytest.fixture()
def special_bank(tmp_path):
    path = tmp_path / "specials_demo.yaml"
    path.write_text(SPECIAL_BANK, encoding="utf-8")
    return load_bank(path)


def test_special_characters_survive_the_gift_round_trip(special_bank):
    export = to_gift(special_bank)
    parsed = parse_gift(export.text)  # strict: an unescaped special would fail here
    qs = {q["name"].split()[-1]: q for q in parsed["questions"]}
    assert set(qs) == {"pick_one", "tick_some", "how_many", "sort_marks", "in_order"}
    assert export.report.left_out_ids == ("predict_it",)

    single = special_bank.get("pick_one")
    g = qs["pick_one"]
    assert unescape(gift_escape(to_html(single.prompt))) == g["text"]
    assert g["text"] == ("Which is right? a~b, x=1, #tag, {braces}, key: value, back\\slash, "
                         "<strong>bold</strong> &amp; &lt;i&gt;")
    by_text = {a["text"]: (a["mark"], a["feedback"]) for a in g["answers"]}
    assert by_text["a: colon :: double, and \\n literally"] == ("=", 'Right: it is "a: colon".')
    assert by_text["the ~tilde~ = equal"][1] == "Feedback with # hash and {braces} and C:\\path"
    assert by_text["%s placeholder starts with a percent sign"][0] == "~"
    assert g["general"].startswith("<p>Because {a} = {b} # c ~ d \\ e.</p>")

    multi = qs["tick_some"]
    right = {a["text"] for a in multi["answers"] if a["weight"] > 0}
    assert right == {"one \\ two", "five \\\\ six"}
    assert "look for \\ again" in multi["general"]

    numeric = qs["how_many"]
    assert numeric["answers"][0]["low"] == numeric["answers"][0]["high"] == 4
    assert numeric["answers"][1]["feedback"] == "Half of them: # of pairs, not braces."
    assert "Counting {}: by hand." in numeric["general"]

    pairs = {a["left"]: a["right"] for a in qs["sort_marks"]["answers"]}
    assert pairs["= equals"] == "Special: must be escaped"
    assert pairs["-&gt; arrow"] == "Plain -> no escape"  # the item (HTML) has no bare '->'
    assert pairs["&#37; percent"] == "Plain -> no escape"  # a leading % is no weight
    order = qs["in_order"]
    assert {a["left"]: a["right"] for a in order["answers"]}["first {1}"] == "1st"


def test_gift_sends_no_author_fields(special_bank):
    text = to_gift(special_bank).text
    assert "author note" not in text and "observe_with" not in text
    assert "wiring" not in text


def test_a_two_item_sort_is_left_out_of_gift_but_not_of_qti(tmp_path):
    path = tmp_path / "two_items.yaml"
    path.write_text("""
notebook: two_items
title: Two items
questions:
  - id: tiny_sort
    type: categorise
    prompt: Sort these two.
    groups: [{id: a, label: A}, {id: b, label: B}]
    items: [{id: x, text: X, group: a}, {id: y, text: Y, group: b}]
    explanation: X is A, Y is B.
  - id: pick
    type: single
    prompt: Pick B.
    options: [{id: a, text: A, feedback: Not A.}, {id: b, text: B, feedback: B it is.}]
    answer: b
    explanation: B was asked for.
""", encoding="utf-8")
    bank = load_bank(path)
    gift = to_gift(bank)
    assert gift.report.left_out_ids == ("tiny_sort",)
    assert "at least 3 pairs" in gift.report.left_out[0].reason
    assert len(parse_gift(gift.text)["questions"]) == 1
    qti = to_qti(bank)
    assert qti.report.exported_ids == ("tiny_sort", "pick") and check_qti(qti.xml) == []


def test_gift_validator_rejects_broken_gift():
    good = "::a::[html]Pick{\n=yes#fine\n~no#not that\n}\n"
    assert parse_gift(good)["questions"][0]["kind"] == "multichoice"
    for bad in ("::a::Pick{\n=yes: really\n~no\n}\n",          # unescaped ':'
                "::a::Pick {braces}{\n=yes\n~no\n}\n",        # unescaped braces in text
                "::a::Pick{\n=yes\n=also\n~no\n}\n",          # two right answers, no weights
                "::a::Pick{\n~%33%yes\n~%33%no\n}\n",          # a weight Moodle refuses
                "::a::Pick{\n=x -> 1\n=y -> 2\n}\n",           # too few matching pairs
                "::a::Pick{#\n=1..0\n}\n",                     # backwards range
                "::a::Pick\\q{\n=yes\n~no\n}\n",               # stray backslash
                "::a::[rtf]Pick{\n=yes\n~no\n}\n"):            # unknown format
        with pytest.raises(GiftError):
            parse_gift(bad)


# ============================================================================ QTI tests

@pytest.mark.parametrize("notebook", BANKS)
def test_qti_matches_the_xsd_element_tree_and_accounts_for_every_question(notebook):
    bank = load_bank(notebook)
    export = to_qti(bank)
    assert check_qti(export.xml) == []
    items = _qti_items(export.xml)
    report = export.report
    assert tuple(items) == report.exported_ids
    assert len(report.exported) + len(report.left_out) == len(bank.questions)
    assert set(report.exported_ids) | set(report.left_out_ids) == set(bank.ids)
    assert report.left_out_ids == tuple(q.id for q in bank.questions
                                        if isinstance(q, PredictQuestion))


@pytest.mark.parametrize("notebook", BANKS)
def test_qti_answers_and_feedback_match_the_bank(notebook):
    bank = load_bank(notebook)
    items = _qti_items(to_qti(bank).xml)
    for q in bank.questions:
        if q.id not in items:
            continue
        item = items[q.id]
        prompt = item.find(_q("presentation")).find(_q("material")).find(_q("mattext"))
        assert prompt.get("texttype") == "text/html"
        assert prompt.text.startswith(to_html(q.prompt))
        assert to_html(q.explanation) in _feedback_text(item, "general_fb")
        if isinstance(q, (SingleQuestion, MultipleQuestion)):
            right = {q.answer} if isinstance(q, SingleQuestion) else set(q.answer)
            chosen, refused = _full_credit_choices(item)
            assert chosen == {choice_ident(o) for o in right}
            if isinstance(q, MultipleQuestion):
                assert refused == {choice_ident(o.id) for o in q.options if o.id not in right}
            labels = {lab.get("ident"): lab.find(_q("material")).find(_q("mattext")).text
                      for lab in item.iter(_q("response_label"))}
            for o in q.options:
                assert labels[choice_ident(o.id)] == to_html(o.text)
                assert _feedback_text(item, f"{choice_ident(o.id)}_fb") == to_html(o.feedback)
                if isinstance(q, MultipleQuestion) and o.id in right and o.if_missed:
                    assert (_feedback_text(item, f"{choice_ident(o.id)}_missed_fb")
                            == to_html(o.if_missed))
            # each option's feedback is shown when that option is chosen
            for cond in item.iter(_q("respcondition")):
                shown = [d.get("linkrefid") for d in cond.findall(_q("displayfeedback"))]
                var = cond.find(_q("conditionvar"))
                for ident in shown:
                    if ident.endswith("_missed_fb"):
                        assert var.find(_q("not")).find(_q("varequal")).text == ident[:-10]
                    elif ident != "general_fb":
                        assert var.find(_q("varequal")).text == ident[:-3]
        elif isinstance(q, NumericQuestion):
            cond = next(c for c in item.iter(_q("respcondition"))
                        if c.find(_q("setvar")) is not None)
            bounds = cond.find(_q("conditionvar")).find(_q("or")).find(_q("and"))
            assert float(bounds.find(_q("vargte")).text) == pytest.approx(q.answer - q.tolerance)
            assert float(bounds.find(_q("varlte")).text) == pytest.approx(q.answer + q.tolerance)
            for n, r in enumerate(q.feedback_ranges, 1):
                assert _feedback_text(item, f"range{n}_fb") == to_html(r.feedback)
            if q.too_low:
                assert _feedback_text(item, "too_low_fb") == to_html(q.too_low)
            if q.too_high:
                assert _feedback_text(item, "too_high_fb") == to_html(q.too_high)
        elif isinstance(q, (CategoriseQuestion, OrderQuestion)):
            shares = _shares(item)
            rows = q.items if isinstance(q, CategoriseQuestion) else q.steps
            assert set(shares) == {f"response_{i.id}" for i in rows}
            assert sum(s for _, s in shares.values()) == pytest.approx(100, abs=0.01)
            for n, i in enumerate(rows, 1):
                want = (group_ident(i.group) if isinstance(q, CategoriseQuestion)
                        else position_ident(n))
                assert shares[f"response_{i.id}"][0] == want
                if i.feedback:
                    assert _feedback_text(item, f"item_{i.id}_fb") == to_html(i.feedback)
            if isinstance(q, OrderQuestion):
                shown = [lid.get("ident") for lid in item.iter(_q("response_lid"))]
                assert shown == [f"response_{s.id}" for s in shown_steps(q)]
                assert shown != [f"response_{s.id}" for s in q.steps]


def test_special_characters_survive_the_qti_round_trip(special_bank):
    export = to_qti(special_bank)
    assert check_qti(export.xml) == []
    items = _qti_items(export.xml)
    assert set(items) == {"pick_one", "tick_some", "how_many", "sort_marks", "in_order"}
    item = items["pick_one"]
    prompt = item.find(_q("presentation")).find(_q("material")).find(_q("mattext")).text
    assert prompt == ("Which is right? a~b, x=1, #tag, {braces}, key: value, back\\slash, "
                      "<strong>bold</strong> &amp; &lt;i&gt;")
    assert (_feedback_text(item, f"{choice_ident('tilde')}_fb")
            == "Feedback with # hash and {braces} and C:\\path")
    assert "author note" not in export.xml and "wiring" not in export.xml
    assert export.report.left_out_ids == ("predict_it",)


def test_qti_validator_rejects_a_broken_document():
    xml = to_qti(load_bank(BANKS[1])).xml
    root = ET.fromstring(xml.encode("utf-8"))
    item = next(root.iter(_q("item")))
    feedback = item.find(_q("itemfeedback"))
    item.remove(feedback)
    item.insert(1, feedback)  # itemfeedback before presentation: out of the XSD's order
    assert any("do not match" in e for e in check_qti(ET.tostring(root, encoding="unicode")))
    broken = xml.replace('action="Set"', 'action="Replace"', 1)
    assert any("action='Replace'" in e for e in check_qti(broken))
    dangling = xml.replace('linkrefid="general_fb"', 'linkrefid="nowhere_fb"', 1)
    assert any("names no itemfeedback" in e for e in check_qti(dangling))


def test_qti_package_is_an_ims_content_package():
    bank = load_bank(BANKS[1])
    export = to_qti(bank)
    data = qti_package(export)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        manifest = ET.fromstring(archive.read("imsmanifest.xml"))
        cp = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
        assert manifest.tag == f"{cp}manifest" and manifest.get("identifier")
        assert [c.tag for c in manifest] == [f"{cp}metadata", f"{cp}organizations",
                                             f"{cp}resources"]
        (resource,) = manifest.find(f"{cp}resources")
        assert resource.get("type") == "imsqti_xmlv1p2"
        href = resource.get("href")
        assert [f.get("href") for f in resource.findall(f"{cp}file")] == [href]
        assert sorted(names) == sorted(["imsmanifest.xml", href])
        assert archive.read(href).decode("utf-8") == export.xml
    assert qti_package(export) == data  # the same bytes every time


# ============================================================================ CLI

def test_cli_export_gift_prints_gift_and_reports_to_stderr(capsys):
    assert main(["export", "gift", "02"]) == 0
    out, err = capsys.readouterr()
    bank = load_bank("02_how_neuropathic_pain_develops")
    parsed = parse_gift(out)
    n_predict = sum(isinstance(q, PredictQuestion) for q in bank.questions)
    assert len(parsed["questions"]) == len(bank.questions) - n_predict
    assert (f"{bank.notebook} -> GIFT: {len(bank.questions) - n_predict} exported, "
            f"{n_predict} left out") in err
    for q in bank.questions:
        if isinstance(q, PredictQuestion):
            assert f"left out {q.id} (predict)" in err


def test_cli_export_qti_writes_a_package_or_bare_xml(tmp_path, capsys):
    target = tmp_path / "quiz.zip"
    assert main(["export", "qti", "04_interventions_aimed_at_resolution", "-o",
                 str(target)]) == 0
    err = capsys.readouterr().err
    assert f"wrote {target}" in err and "left out" in err
    with zipfile.ZipFile(target) as archive:
        assert "imsmanifest.xml" in archive.namelist()
    xml_target = tmp_path / "quiz.xml"
    assert main(["export", "qti", "4", "-o", str(xml_target)]) == 0
    assert check_qti(xml_target.read_text(encoding="utf-8")) == []


def test_cli_export_of_an_all_predict_bank_fails_with_a_sentence(tmp_path, capsys):
    path = tmp_path / "only_predict.yaml"
    text = (FIXTURES / "predict_demo.yaml").read_text(encoding="utf-8")
    path.write_text(text.split("\n  - id: demo_single")[0] + "\n", encoding="utf-8")
    assert main(["export", "gift", str(path), "-o", str(tmp_path / "x.gift")]) == 1
    err = capsys.readouterr().err
    assert "nothing to export" in err and not (tmp_path / "x.gift").exists()


def test_cli_export_runs_as_a_command_and_names_an_unknown_bank():
    run = subprocess.run([sys.executable, "-m", "course_lib.quiz", "export", "gift", "no_such"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert "ERROR" in run.stderr and "Traceback" not in run.stderr
