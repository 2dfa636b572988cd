"""Export a question bank to a learning platform: Moodle's GIFT text and IMS QTI 1.2.

    to_gift(bank)     -> GiftExport(text, report)      Moodle: Question bank > Import > GIFT
    to_qti(bank)      -> QtiExport(xml, report)        the questestinterop document
    qti_package(exp)  -> bytes                         an IMS content package (zip with
                                                       imsmanifest.xml): Canvas "QTI .zip file"
                                                       import; Blackboard reads it too

Pure functions: a :class:`~course_lib.quiz.schema.Bank` in, text or bytes out, no files
touched. Each export comes with an :class:`ExportReport` saying which questions went out (as
which platform type, and what had to change on the way) and which were left out and why.

How each question type maps
---------------------------
=============  ==============================  =========================================
bank type      GIFT (Moodle)                    QTI 1.2 (Canvas question_type)
=============  ==============================  =========================================
single         multiple choice, one ``=``       multiple_choice_question
multiple       multiple choice with weights     multiple_answers_question
numeric        numerical ``{#...}`` + ranges    numerical_question
categorise     matching ``a -> b``              matching_question (one menu per item)
order          matching: step -> position       matching_question: step -> position
predict        left out                         left out
=============  ==============================  =========================================

* **Predict** questions are left out of both: the learner commits a prediction, then runs a
  lab in the notebook and compares. A platform quiz has no lab, so there is nothing to
  observe and no fixed right answer.
* **Feedback.** Every option's feedback travels with its option (GIFT ``#feedback``; QTI
  ``itemfeedback`` shown by ``displayfeedback`` when the option is chosen). The explanation
  and source become the general feedback (GIFT ``####``; QTI ``general_fb``). What a format
  cannot attach to an answer is moved into the general feedback and the report says so:
  GIFT has no "you left this one unticked" feedback (``if_missed``) and Moodle's matching
  type has no per-pair feedback (categorise/order ``feedback``). QTI can say both, with
  ``not``/``varequal`` conditions. Hints are not exported (GIFT has no syntax for them; QTI
  leaves them out too, so that both exports ask the same thing).
* **Scoring** follows :mod:`grading` where the format allows: multiple select gives each right
  tick +1/k and each wrong tick -1/k of the mark, never below zero (GIFT weights; in QTI the
  full-credit condition names the exact set, which is what Canvas reads, and Canvas's own
  multiple-answers scoring gives partial credit by the same rule);
  categorise and order give each item 1/n of the mark; numeric answers count inside the
  tolerance, then ``feedback_ranges`` are tried before ``too_low``/``too_high``.
* **Order** questions have no GIFT type and no Canvas Classic type, so the nearest is a
  matching question that pairs each step with its position (1 = first); the steps are listed
  in the same fixed shuffle as the printed handout, never in the answer order.
* **Units.** Neither format reads a unit typed after a number, so a numeric prompt gains
  "Type the number only, without the unit (<unit>)."
* **Text.** Bank text uses three marks of Markdown (``**bold**``, ``*italic*``, ```code```).
  Both exports carry it as HTML, rendered the way the notebook widget renders it
  (:func:`course_lib.quiz.text.markdown_inline`, which needs no widget toolkit): GIFT questions are marked ``[html]`` (Moodle's own Markdown dialect
  differs between versions; HTML does not), except the right-hand side of a matching pair,
  which Moodle shows as plain text in a menu; then GIFT's special characters
  ``~ = # { } :`` and the backslash are escaped with a backslash. QTI uses
  ``mattext texttype="text/html"``; XML escaping is done by the serializer.
* **Only learner-facing text goes out**: prompt, options, feedback, explanation, source, task
  words. Author fields (``observe_with``, ``when`` intervals) and bank ids are not shown to
  learners (ids appear only in question names, which platforms show to instructors).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from .schema import (
    Bank,
    CategoriseQuestion,
    Item,
    MultipleQuestion,
    NumericQuestion,
    OrderQuestion,
    PredictQuestion,
    Question,
    SingleQuestion,
)

from .text import markdown_inline, plain_text

FORMATS = ("gift", "qti")



def predict_reason(q: PredictQuestion) -> str:
    """Why a predict question stays in the notebook, in the question's own words."""
    return (f"predict, then observe: after predicting, the learner works the notebook's live "
            f"lab ({q.task.rstrip(' .')}) and compares; a platform quiz has no lab to run, and "
            f"the right answer is whatever the lab shows, so there is no fixed key to score")


# ----------------------------------------------------------------------------- report

@dataclass(frozen=True)
class Exported:
    """One question that went out: its bank id and type, the platform type it became, and
    what changed on the way (empty when nothing did)."""

    id: str
    type: str
    as_type: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class LeftOut:
    id: str
    type: str
    reason: str


@dataclass(frozen=True)
class ExportReport:
    notebook: str
    format: str
    exported: tuple[Exported, ...] = ()
    left_out: tuple[LeftOut, ...] = ()

    @property
    def exported_ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.exported)

    @property
    def left_out_ids(self) -> tuple[str, ...]:
        return tuple(l.id for l in self.left_out)

    def summary(self) -> str:
        """A few lines for an instructor: counts, then each left-out question and each note."""
        name = {"gift": "GIFT", "qti": "QTI 1.2"}.get(self.format, self.format)
        lines = [f"{self.notebook} -> {name}: {len(self.exported)} exported, "
                 f"{len(self.left_out)} left out"]
        for left in self.left_out:
            lines.append(f"  left out {left.id} ({left.type}): {left.reason}")
        for done in self.exported:
            for note in done.notes:
                lines.append(f"  note {done.id} ({done.type} as {done.as_type}): {note}")
        return "\n".join(lines)


@dataclass(frozen=True)
class GiftExport:
    text: str
    report: ExportReport


@dataclass(frozen=True)
class QtiExport:
    xml: str
    report: ExportReport
    notebook: str = ""
    title: str = ""


# ----------------------------------------------------------------------------- shared text

def to_html(text: str) -> str:
    """Bank text (with **bold**, *italic*, `code`) as an HTML fragment on one line."""
    return markdown_inline(text, quote=False)


to_plain = plain_text


def _number(x: float) -> str:
    """A number as plain decimal text both formats read: 0.5, 169, -1000000."""
    text = f"{x:.15g}"
    if "e" in text:  # never for the numbers banks hold, but keep the output plain decimal
        text = f"{x:.15f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def shown_steps(q: OrderQuestion) -> list[Item]:
    """The steps in the order a learner sees them (the handout's and the widget's), never the answer order."""
    return q.shuffled_steps()


def _prompt(q: Question) -> str:
    """The learner-facing prompt, plus what the platform's answer box needs to be told."""
    text = q.prompt
    if isinstance(q, NumericQuestion) and q.unit:
        text += f"\n\nType the number only, without the unit ({q.unit})."
    elif isinstance(q, NumericQuestion):
        text += "\n\nType the number only."
    elif isinstance(q, OrderQuestion):
        text += ("\n\nGive each one its place in that order: 1st comes first, "
                 f"{_ordinal(len(q.steps))} last.")
    return text


def _question_name(bank: Bank, position: int, q: Question) -> str:
    """Shown to instructors in the platform's question bank: the notebook's number, the
    question's place in the bank, and its id (the id the instructor guide uses)."""
    prefix = bank.notebook.split("_", 1)[0]
    return f"{prefix} Q{position:02d} {q.id}"


def _multiple_weight(k: int) -> float:
    return 100.0 / k


# Moodle accepts only these grades for an answer (question_bank::fraction_options_full), as
# percentages; GIFT weights are matched against them on import.
MOODLE_GRADES = (100.0, 90.0, 83.33333, 80.0, 75.0, 70.0, 66.66667, 60.0, 50.0, 40.0, 33.33333,
                 30.0, 25.0, 20.0, 16.66667, 14.28571, 12.5, 11.11111, 10.0, 5.0, 0.0)


def _moodle_grade(percent: float) -> str | None:
    """The grade Moodle will accept for this percentage, written as GIFT writes it, or None."""
    for grade in MOODLE_GRADES:
        if abs(abs(percent) - grade) < 1e-4:
            text = _number(grade)
            return text if percent >= 0 else f"-{text}"
    return None


# ----------------------------------------------------------------------------- GIFT

# Moodle's GIFT documentation: "Matching questions ... at least three matching pairs".
GIFT_MIN_PAIRS = 3

_GIFT_SPECIAL = re.compile(r"([\\~=#{}:])")


def gift_escape(text: str) -> str:
    """Escape GIFT's special characters ~ = # { } : and the backslash with a backslash."""
    return _GIFT_SPECIAL.sub(r"\\\1", text)


def _gift_text(text: str) -> str:
    """Bank text as GIFT answer/feedback text: HTML on one line, escaped."""
    return gift_escape(to_html(text))


def _general_html(q: Question, extra: list[str] | None = None) -> str:
    parts = [f"<p>{to_html(q.explanation)}</p>"]
    parts.extend(extra or [])
    if q.source:
        parts.append(f"<p><small>Source: {to_html(q.source)}</small></p>")
    return "".join(parts)


def _no_weight(body: str) -> str:
    """A leading '%' reads as the start of a weight; in HTML it can be written &#37;."""
    return gift_escape("&#37;") + body[1:] if body.startswith("%") else body


def _gift_choice(mark: str, text: str, feedback: str, weight: str | None = None) -> str:
    body = _gift_text(text)
    # A weight is written when asked for, and whenever the text itself starts with '%' (which
    # Moodle would otherwise read as the start of a weight).
    if weight is None and body.startswith("%"):
        weight = "100" if mark == "=" else "0"
    line = f"{mark}%{weight}%{body}" if weight is not None else f"{mark}{body}"
    if feedback:
        line += f"#{_gift_text(feedback)}"
    return "\t" + line


def _gift_answers(q: Question) -> tuple[list[str], str, tuple[str, ...]] | str:
    """(answer lines, general feedback HTML, notes) for one question, or a reason to leave it
    out."""
    notes: list[str] = []
    if isinstance(q, SingleQuestion):
        lines = [_gift_choice("=" if o.id == q.answer else "~", o.text, o.feedback)
                 for o in q.options]
        return lines, _general_html(q), ()
    if isinstance(q, MultipleQuestion):
        k = len(q.answer)
        right = _moodle_grade(_multiple_weight(k))
        wrong = _moodle_grade(-_multiple_weight(k))
        if right is None or wrong is None:
            return (f"Moodle's grade list cannot split the mark into {k} equal parts "
                    f"for {k} right options")
        lines = [_gift_choice("~", o.text, o.feedback, right if o.id in q.answer else wrong)
                 for o in q.options]
        missed = [o for o in q.options if o.id in q.answer and o.if_missed]
        extra = []
        if missed:
            items = "".join(f"<li>{to_html(o.text)}: {to_html(o.if_missed)}</li>" for o in missed)
            extra.append(f"<p>If you left one of these unticked:</p><ul>{items}</ul>")
            notes.append("GIFT has no feedback for an unticked right option; the "
                         f"'if missed' feedback of {len(missed)} option(s) is in the general "
                         "feedback")
        return lines, _general_html(q, extra), tuple(notes)
    if isinstance(q, NumericQuestion):
        lines = [f"\t={_number(q.answer)}:{_number(q.tolerance)}"]
        for r in q.feedback_ranges:
            lines.append(f"\t=%0%{_number(r.low)}..{_number(r.high)}#{_gift_text(r.feedback)}")
        far = 1e4 * (1.0 + abs(q.answer) + q.tolerance)
        if q.too_low:
            lines.append(f"\t=%0%{_number(q.answer - far)}..{_number(q.answer)}"
                         f"#{_gift_text(q.too_low)}")
        if q.too_high:
            lines.append(f"\t=%0%{_number(q.answer)}..{_number(q.answer + far)}"
                         f"#{_gift_text(q.too_high)}")
        if q.too_low or q.too_high:
            notes.append("'too low'/'too high' feedback is given as 0% ranges reaching "
                         f"{_number(far)} below/above the answer (Moodle tries answers in order)")
        if q.unit:
            notes.append(f"the unit ({q.unit}) cannot be typed in Moodle's answer box; the "
                         "prompt asks for the number only")
        return ["\t#"] + lines, _general_html(q), tuple(notes)
    if isinstance(q, (CategoriseQuestion, OrderQuestion)):
        if isinstance(q, CategoriseQuestion):
            pairs = [(i, q.group_label(i.group)) for i in q.items]
        else:
            place = {s.id: _ordinal(n) for n, s in enumerate(q.steps, 1)}
            pairs = [(s, place[s.id]) for s in shown_steps(q)]
            notes.append("GIFT has no ordering type: each step is matched to its position")
        if len(pairs) < GIFT_MIN_PAIRS:
            return (f"Moodle's matching type needs at least {GIFT_MIN_PAIRS} pairs; this "
                    f"question has {len(pairs)}")
        with_feedback = [(i, label) for i, label in pairs if i.feedback]
        extra = []
        if with_feedback:
            items = "".join(f"<li>{to_html(i.text)} ({to_html(label)}): {to_html(i.feedback)}</li>"
                            for i, label in with_feedback)
            extra.append(f"<ul>{items}</ul>")
            notes.append("Moodle's matching type has no per-item feedback; the feedback of "
                         f"{len(with_feedback)} item(s) is in the general feedback")
        # Moodle shows the right-hand side in a drop-down menu as plain text, not HTML.
        lines = [f"\t={_no_weight(_gift_text(i.text))} -> {gift_escape(to_plain(label))}"
                 for i, label in pairs]
        return lines, _general_html(q, extra), tuple(notes)
    if isinstance(q, PredictQuestion):
        return predict_reason(q)
    return f"no GIFT question type for a '{q.type}' question"


_GIFT_TYPES = {"single": "multiple choice", "multiple": "multiple choice (several right)",
               "numeric": "numerical", "categorise": "matching", "order": "matching"}


def to_gift(bank: Bank) -> GiftExport:
    """The bank as Moodle GIFT text (UTF-8), and the report of what went out."""
    blocks = [f"// {' '.join(bank.title.split())}",
              f"// Exported from the course bank '{bank.notebook}'. Questions left out are "
              "listed at the end.",
              "",
              f"$CATEGORY: $course$/top/{bank.notebook}",
              ""]
    exported: list[Exported] = []
    left_out: list[LeftOut] = []
    for position, q in enumerate(bank.questions, 1):
        result = _gift_answers(q)
        if isinstance(result, str):
            left_out.append(LeftOut(q.id, q.type, result))
            continue
        lines, general, notes = result
        name = gift_escape(_question_name(bank, position, q))
        head = f"::{name}::[html]{_gift_text(_prompt(q))}{{"
        if lines and lines[0].strip() == "#":  # numerical: the '#' must open the answers
            head, lines = head + "#", lines[1:]
        block = [head]
        block.extend(lines)
        block.append(f"\t####{gift_escape(general)}")
        block.append("}")
        blocks.append("\n".join(block))
        blocks.append("")
        exported.append(Exported(q.id, q.type, _GIFT_TYPES[q.type], notes))
    for left in left_out:
        reason = " ".join(left.reason.split())  # a comment is one line
        blocks.append(f"// Left out: {left.id} ({left.type}): {reason}")
    report = ExportReport(bank.notebook, "gift", tuple(exported), tuple(left_out))
    return GiftExport("\n".join(blocks).rstrip("\n") + "\n", report)


# ----------------------------------------------------------------------------- QTI 1.2

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_XSD = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"

_CANVAS_TYPES = {"single": "multiple_choice_question", "multiple": "multiple_answers_question",
                 "numeric": "numerical_question", "categorise": "matching_question",
                 "order": "matching_question"}


def _q(tag: str) -> str:
    """Elements are built unqualified under a root that declares QTI's namespace as the
    default (xmlns=...), so no process-wide ET.register_namespace is needed."""
    return tag


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _q(tag), {k: v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _material(parent: ET.Element, html_text: str) -> ET.Element:
    material = _el(parent, "material")
    _el(material, "mattext", html_text, texttype="text/html")
    return material


def _metadata(parent: ET.Element, fields: list[tuple[str, str]]) -> None:
    meta = _el(parent, "qtimetadata")
    for label, entry in fields:
        f = _el(meta, "qtimetadatafield")
        _el(f, "fieldlabel", label)
        _el(f, "fieldentry", entry)


def _feedback(item: ET.Element, ident: str, html_text: str) -> None:
    fb = _el(item, "itemfeedback", ident=ident)
    flow = _el(fb, "flow_mat")
    _material(flow, html_text)


def _condition(proc: ET.Element, *, cont: bool) -> tuple[ET.Element, ET.Element]:
    cond = _el(proc, "respcondition", **{"continue": "Yes" if cont else "No"})
    return cond, _el(cond, "conditionvar")


def _show(cond: ET.Element, ident: str) -> None:
    _el(cond, "displayfeedback", feedbacktype="Response", linkrefid=ident)


def _score(cond: ET.Element, value: float, action: str = "Set") -> None:
    _el(cond, "setvar", _number(round(value, 4)), action=action, varname="SCORE")


def _choice_lid(presentation: ET.Element, ident: str, cardinality: str,
                labels: list[tuple[str, str]], text: str | None = None) -> None:
    lid = _el(presentation, "response_lid", ident=ident, rcardinality=cardinality)
    if text is not None:
        _material(lid, text)
    render = _el(lid, "render_choice")
    for label_ident, label_text in labels:
        label = _el(render, "response_label", ident=label_ident)
        _material(label, label_text)


def _resprocessing(item: ET.Element) -> ET.Element:
    proc = _el(item, "resprocessing")
    outcomes = _el(proc, "outcomes")
    _el(outcomes, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    # The explanation (general feedback) is shown whatever the answer.
    cond, var = _condition(proc, cont=True)
    _el(var, "other")
    _show(cond, "general_fb")
    return proc


def choice_ident(option_id: str) -> str:
    return f"choice_{option_id}"


def group_ident(group_id: str) -> str:
    return f"group_{group_id}"


def position_ident(n: int) -> str:
    return f"position_{n}"


def _qti_item(section: ET.Element, bank: Bank, position: int, q: Question) -> tuple[str, ...] | str:
    """Append one item to the section; return its notes, or a reason to leave it out (then
    nothing is appended)."""
    if isinstance(q, PredictQuestion):
        return predict_reason(q)
    if q.type not in _CANVAS_TYPES:
        return f"no QTI 1.2 question type for a '{q.type}' question"
    notes: list[str] = []
    item = ET.Element(_q("item"), ident=q.id, title=_question_name(bank, position, q))
    meta = _el(item, "itemmetadata")
    _metadata(meta, [("question_type", _CANVAS_TYPES[q.type]), ("points_possible", "1.0")])
    presentation = _el(item, "presentation")
    _material(presentation, to_html(_prompt(q)))
    feedbacks: list[tuple[str, str]] = [("general_fb", _general_html(q))]

    if isinstance(q, (SingleQuestion, MultipleQuestion)):
        single = isinstance(q, SingleQuestion)
        right = {q.answer} if single else set(q.answer)
        _choice_lid(presentation, "response1", "Single" if single else "Multiple",
                    [(choice_ident(o.id), to_html(o.text)) for o in q.options])
        proc = _resprocessing(item)
        for o in q.options:
            cond, var = _condition(proc, cont=True)
            _el(var, "varequal", choice_ident(o.id), respident="response1")
            _show(cond, f"{choice_ident(o.id)}_fb")
            feedbacks.append((f"{choice_ident(o.id)}_fb", to_html(o.feedback)))
        for o in q.options:
            if not single and o.id in right and o.if_missed:
                cond, var = _condition(proc, cont=True)
                no = _el(var, "not")
                _el(no, "varequal", choice_ident(o.id), respident="response1")
                _show(cond, f"{choice_ident(o.id)}_missed_fb")
                feedbacks.append((f"{choice_ident(o.id)}_missed_fb", to_html(o.if_missed)))
        cond, var = _condition(proc, cont=False)
        target = var if single else _el(var, "and")
        for o in q.options:
            if o.id in right:
                _el(target, "varequal", choice_ident(o.id), respident="response1")
            elif not single:
                _el(_el(target, "not"), "varequal", choice_ident(o.id), respident="response1")
        _score(cond, 100)
        if not single:
            notes.append("full marks need exactly the right set; Canvas gives partial credit "
                         "for multiple-answers questions itself (+1/k right, -1/k wrong)")

    elif isinstance(q, NumericQuestion):
        response = _el(presentation, "response_str", ident="response1", rcardinality="Single")
        render = _el(response, "render_fib", fibtype="Decimal")
        _el(render, "response_label", ident="answer1")
        proc = _resprocessing(item)
        low, high = q.answer - q.tolerance, q.answer + q.tolerance

        def inside(parent: ET.Element, a: float, b: float) -> None:
            both = _el(parent, "and")
            _el(both, "vargte", _number(a), respident="response1")
            _el(both, "varlte", _number(b), respident="response1")

        cond, var = _condition(proc, cont=False)
        either = _el(var, "or")
        _el(either, "varequal", _number(q.answer), respident="response1")
        inside(either, low, high)
        _score(cond, 100)
        for n, r in enumerate(q.feedback_ranges, 1):
            cond, var = _condition(proc, cont=True)
            inside(var, r.low, r.high)
            _show(cond, f"range{n}_fb")
            feedbacks.append((f"range{n}_fb", to_html(r.feedback)))
        for text, compare, ident in ((q.too_low, "varlt", "too_low_fb"),
                                     (q.too_high, "vargt", "too_high_fb")):
            if not text:
                continue
            cond, var = _condition(proc, cont=True)
            _el(var, compare, _number(q.answer), respident="response1")
            for r in q.feedback_ranges:  # a range's own feedback comes first (as in grading)
                inside(_el(var, "not"), r.low, r.high)
            _show(cond, ident)
            feedbacks.append((ident, to_html(text)))
        if q.unit:
            notes.append(f"the unit ({q.unit}) cannot be typed in the answer box; the prompt "
                         "asks for the number only")

    else:  # categorise or order, as matching: one menu per item
        if isinstance(q, CategoriseQuestion):
            labels = [(group_ident(g.id), to_html(g.label)) for g in q.groups]
            rows = [(i, group_ident(i.group)) for i in q.items]
        else:
            labels = [(position_ident(n), _ordinal(n)) for n in range(1, len(q.steps) + 1)]
            place = {s.id: position_ident(n) for n, s in enumerate(q.steps, 1)}
            rows = [(s, place[s.id]) for s in shown_steps(q)]
            notes.append("Canvas Classic Quizzes have no ordering type: each step is matched "
                         "to its position")
        for i, _right in rows:
            _choice_lid(presentation, f"response_{i.id}", "Single", labels, to_html(i.text))
        proc = _resprocessing(item)
        share = 100.0 / len(rows)
        for i, right in rows:
            cond, var = _condition(proc, cont=True)
            _el(var, "varequal", right, respident=f"response_{i.id}")
            _score(cond, share, action="Add")
        for i, right in rows:
            if i.feedback:
                cond, var = _condition(proc, cont=True)
                _el(_el(var, "not"), "varequal", right, respident=f"response_{i.id}")
                _show(cond, f"item_{i.id}_fb")
                feedbacks.append((f"item_{i.id}_fb", to_html(i.feedback)))

    for ident, text in feedbacks:
        _feedback(item, ident, text)
    section.append(item)
    return tuple(notes)


def to_qti(bank: Bank) -> QtiExport:
    """The bank as one IMS QTI 1.2 assessment (a ``questestinterop`` document, UTF-8 XML)."""
    root = ET.Element(_q("questestinterop"),
                      {"xmlns": QTI_NS, f"{{{XSI_NS}}}schemaLocation": f"{QTI_NS} {QTI_XSD}"})
    assessment = _el(root, "assessment", ident=bank.notebook, title=bank.title)
    section = _el(assessment, "section", ident="root_section")
    exported: list[Exported] = []
    left_out: list[LeftOut] = []
    for position, q in enumerate(bank.questions, 1):
        result = _qti_item(section, bank, position, q)
        if isinstance(result, str):
            left_out.append(LeftOut(q.id, q.type, result))
        else:
            exported.append(Exported(q.id, q.type, _CANVAS_TYPES[q.type], result))
    if left_out:
        comment = "; ".join(f"{l.id} ({l.type})" for l in left_out)
        assessment.insert(0, _el_detached("qticomment", f"Left out: {comment}"))
    ET.indent(root, space="  ")
    xml = ET.tostring(root, encoding="unicode")
    report = ExportReport(bank.notebook, "qti", tuple(exported), tuple(left_out))
    return QtiExport('<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n", report,
                     bank.notebook, bank.title)


def _el_detached(tag: str, text: str) -> ET.Element:
    element = ET.Element(_q(tag))
    element.text = text
    return element


def qti_manifest(export: QtiExport, href: str) -> str:
    """imsmanifest.xml for a package holding one QTI 1.2 assessment at ``href``."""
    def cp(parent: ET.Element | None, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        name = tag  # unqualified, under the root's xmlns (see _q)
        element = ET.Element(name, attrs) if parent is None else ET.SubElement(parent, name, attrs)
        if text is not None:
            element.text = text
        return element

    manifest = cp(None, "manifest", xmlns=CP_NS, identifier=f"manifest_{export.notebook}",
                  **{f"{{{XSI_NS}}}schemaLocation": f"{CP_NS} {CP_XSD}"})
    metadata = cp(manifest, "metadata")
    cp(metadata, "schema", "IMS Content")
    cp(metadata, "schemaversion", "1.1.3")
    cp(manifest, "organizations")
    resources = cp(manifest, "resources")
    resource = cp(resources, "resource", identifier=f"res_{export.notebook}",
                  type="imsqti_xmlv1p2", href=href)
    cp(resource, "file", href=href)
    ET.indent(manifest, space="  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(manifest, encoding="unicode") + "\n")


def qti_package(export: QtiExport) -> bytes:
    """An IMS content package (zip): imsmanifest.xml plus <notebook>/<notebook>.xml."""
    href = f"{export.notebook}/{export.notebook}.xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        # A fixed timestamp keeps the package byte-identical from run to run.
        for name, text in (("imsmanifest.xml", qti_manifest(export, href)), (href, export.xml)):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


# ----------------------------------------------------------------------------- helpers for the CLI

def resolve_notebook(name: str, available: list[str]) -> str:
    """A notebook number ("04", "4") stands for the one bank whose id starts with it; anything
    else (an id, a path) is returned unchanged for load_bank to judge."""
    text = str(name).strip()
    if text.isdigit():
        matches = [n for n in available if n.split("_", 1)[0].isdigit()
                   and int(n.split("_", 1)[0]) == int(text)]
        if len(matches) == 1:
            return matches[0]
    return name
