"""The care-plan builder's data and the one-page plan (notebook 05).

A learner picks goals (walk further, sleep better, ...) and the parts of multidisciplinary care
that serve them (physiotherapy and graded exercise, psychological therapy, pain science
education, sleep habits, pacing, medication review, a pain programme). :func:`build_plan` turns
the choices into a :class:`Plan`; :func:`plan_html` and :func:`plan_markdown` render it as a
one-page document to download and take to a clinician, with questions to ask and the red flags
that need prompt medical care. Nothing in it is advice, and it says so at the top.

Data: ``careplan.yaml`` next to this file (our own wording; evidence statements from the
course's SCIENCE.md and the sources cited there, without invented numbers). The links from
goals to components are our suggestions for discussion, not evidence-based pairings.

No widgets and no figures here: the lab (another layer) calls these functions.
Everything the learner types is escaped in both HTML and Markdown.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA_FILE = Path(__file__).with_name("careplan.yaml")
MAX_TEXT_CHARS = 2000          # learner's own goal or note


class CarePlanDataError(ValueError):
    """careplan.yaml is malformed; the message names the section, entry id and field."""


@dataclass(frozen=True)
class Goal:
    id: str
    label: str
    description: str


@dataclass(frozen=True)
class Component:
    id: str
    label: str
    what_it_does: str
    evidence: str
    source: str
    serves: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    """A question to ask, or a red flag."""

    id: str
    text: str


@dataclass(frozen=True)
class CarePlanData:
    disclaimer: str
    goals: tuple[Goal, ...]
    components: tuple[Component, ...]
    questions: tuple[Item, ...]
    red_flags: tuple[Item, ...]

    def goal(self, goal_id: str) -> Goal:
        return _by_id(self.goals, goal_id, "goal")

    def component(self, component_id: str) -> Component:
        return _by_id(self.components, component_id, "component")

    def question(self, question_id: str) -> Item:
        return _by_id(self.questions, question_id, "question")


def _by_id(entries, entry_id: str, kind: str):
    for entry in entries:
        if entry.id == entry_id:
            return entry
    raise ValueError(f"{kind} = {entry_id!r} is not allowed: it must be one of "
                     f"{', '.join(e.id for e in entries)}")


_SECTION_FIELDS = {
    "goals": (Goal, {"id", "label", "description"}),
    "components": (Component, {"id", "label", "what_it_does", "evidence", "source", "serves"}),
    "questions": (Item, {"id", "text"}),
    "red_flags": (Item, {"id", "text"}),
}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _parse_section(data: dict, section: str) -> tuple:
    cls, wanted = _SECTION_FIELDS[section]
    entries = data.get(section)
    if not isinstance(entries, list) or not entries:
        raise CarePlanDataError(f"{section}: must be a non-empty list")
    out, seen = [], set()
    for index, raw in enumerate(entries):
        where = f"{section}[{index}]"
        if not isinstance(raw, dict):
            raise CarePlanDataError(f"{where}: must be a mapping of fields")
        entry_id = raw.get("id")
        if isinstance(entry_id, str):
            where = f"{section} '{entry_id}'"
        unknown = set(raw) - wanted
        missing = wanted - set(raw)
        if unknown:
            raise CarePlanDataError(f"{where}: unknown field {sorted(unknown)[0]!r}")
        if missing:
            raise CarePlanDataError(f"{where}: missing field {sorted(missing)[0]!r}")
        if not isinstance(entry_id, str) or not _ID.match(entry_id):
            raise CarePlanDataError(f"{where}: field 'id' must be lower_case_with_underscores")
        if entry_id in seen:
            raise CarePlanDataError(f"{where}: field 'id' is used twice")
        seen.add(entry_id)
        values = {}
        for name in wanted:
            value = raw[name]
            if name == "serves":
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise CarePlanDataError(f"{where}: field 'serves' must be a list of goal ids")
                value = tuple(value)
            elif not isinstance(value, str) or not value.strip():
                raise CarePlanDataError(f"{where}: field {name!r} must be non-empty text")
            else:
                value = " ".join(value.split())
            values[name] = value
        out.append(cls(**values))
    return tuple(out)


def parse_careplan(data) -> CarePlanData:
    """Check and convert parsed YAML; raise CarePlanDataError naming what is wrong."""
    if not isinstance(data, dict):
        raise CarePlanDataError("careplan data: must be a mapping with goals, components, "
                                "questions, red_flags and disclaimer")
    unknown = set(data) - {"disclaimer", *_SECTION_FIELDS}
    if unknown:
        raise CarePlanDataError(f"careplan data: unknown section {sorted(unknown)[0]!r}")
    disclaimer = data.get("disclaimer")
    if not isinstance(disclaimer, str) or "not medical advice" not in disclaimer:
        raise CarePlanDataError("disclaimer: must be text that says the plan is not medical advice")
    parsed = {s: _parse_section(data, s) for s in _SECTION_FIELDS}
    goal_ids = {g.id for g in parsed["goals"]}
    for c in parsed["components"]:
        for g in c.serves:
            if g not in goal_ids:
                raise CarePlanDataError(f"components '{c.id}': field 'serves' names unknown goal {g!r}")
    return CarePlanData(" ".join(disclaimer.split()), parsed["goals"], parsed["components"],
                        parsed["questions"], parsed["red_flags"])


@lru_cache(maxsize=1)
def load_careplan(path: Path = DATA_FILE) -> CarePlanData:
    """The course's care-plan data (cached)."""
    with open(path, encoding="utf-8") as fh:
        return parse_careplan(yaml.safe_load(fh))


def components_for_goals(goal_ids, data: CarePlanData | None = None) -> tuple[str, ...]:
    """Components that serve at least one of the goals (data order), as suggestions."""
    data = data or load_careplan()
    wanted = {data.goal(g).id for g in goal_ids}
    return tuple(c.id for c in data.components if wanted & set(c.serves))


# ---------------------------------------------------------------- the plan --------------------

@dataclass(frozen=True)
class Plan:
    """A learner's choices, checked against the data."""

    goals: tuple[Goal, ...]
    own_goal: str
    components: tuple[Component, ...]
    questions: tuple[Item, ...]
    red_flags: tuple[Item, ...]
    notes: str
    disclaimer: str

    def unserved_goals(self) -> tuple[Goal, ...]:
        """Chosen goals that none of the chosen components serves (worth a question)."""
        served = {g for c in self.components for g in c.serves}
        return tuple(g for g in self.goals if g.id not in served)


def _free_text(name: str, value) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{name} = {value!r} is not allowed: it must be text")
    if len(value) > MAX_TEXT_CHARS:
        raise ValueError(f"{name} is {len(value)} characters long: it must be at most "
                         f"{MAX_TEXT_CHARS}")
    # control characters and lone surrogates are not allowed in HTML or XML text
    return _NOT_TEXT.sub("", value).strip()


_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def build_plan(goals=(), components=(), questions=None, own_goal: str = "", notes: str = "",
               data: CarePlanData | None = None) -> Plan:
    """Check the learner's choices (ids from careplan.yaml) and make a Plan.

    questions: ids of the questions to include; None = all of them. Red flags are always all
    included: they are safety information, not a choice. Repeated ids count once.
    """
    data = data or load_careplan()
    if isinstance(goals, str) or isinstance(components, str) or isinstance(questions, str):
        raise ValueError("goals, components and questions must be lists of ids, not one string")
    chosen_goals = tuple(data.goal(g) for g in dict.fromkeys(goals))
    chosen_components = tuple(data.component(c) for c in dict.fromkeys(components))
    chosen_questions = (data.questions if questions is None
                        else tuple(data.question(q) for q in dict.fromkeys(questions)))
    return Plan(chosen_goals, _free_text("own_goal", own_goal), chosen_components,
                chosen_questions, data.red_flags, _free_text("notes", notes), data.disclaimer)


TITLE = "My plan for living well with persistent pain"
RED_FLAG_INTRO = "Get prompt medical care if you notice any of these:"


def _served_labels(component: Component, plan: Plan) -> list[str]:
    chosen = {g.id: g.label for g in plan.goals}
    return [chosen[g] for g in component.serves if g in chosen]


def plan_html(plan: Plan) -> str:
    """The plan as one self-contained HTML page (also well-formed XML), learner text escaped."""
    e = html.escape
    out = ['<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8" />',
           f'<title>{e(TITLE)}</title>',
           '<style>body{font-family:sans-serif;max-width:46em;margin:2em auto;line-height:1.45}'
           '.disclaimer{border:2px solid;padding:0.6em}</style>',
           '</head>', '<body>', f'<h1>{e(TITLE)}</h1>',
           f'<p class="disclaimer" role="note"><strong>Not medical advice.</strong> '
           f'{e(plan.disclaimer)}</p>',
           '<h2>My goals</h2>']
    if plan.goals or plan.own_goal:
        out.append('<ul>')
        out += [f'<li><strong>{e(g.label)}</strong>: {e(g.description)}</li>' for g in plan.goals]
        if plan.own_goal:
            out.append(f'<li><strong>My own goal</strong>: {e(plan.own_goal)}</li>')
        out.append('</ul>')
    else:
        out.append('<p>No goals chosen yet.</p>')
    out.append('<h2>What could help</h2>')
    if plan.components:
        for c in plan.components:
            out.append(f'<h3>{e(c.label)}</h3>')
            out.append(f'<p><strong>What it does:</strong> {e(c.what_it_does)}</p>')
            out.append(f'<p><strong>How strong the evidence is:</strong> {e(c.evidence)} '
                       f'<em>Source: {e(c.source)}</em></p>')
            served = _served_labels(c, plan)
            if served:
                out.append(f'<p><strong>For my goals:</strong> {e(", ".join(served))}</p>')
    else:
        out.append('<p>No parts of care chosen yet.</p>')
    unserved = plan.unserved_goals()
    if unserved:
        out.append('<p><strong>To ask about:</strong> none of the chosen parts of care is linked '
                   f'here to {e(", ".join(g.label for g in unserved))}.</p>')
    out.append('<h2>Questions to ask my clinician</h2>')
    out.append('<ul>' + ''.join(f'<li>{e(q.text)}</li>' for q in plan.questions) + '</ul>'
               if plan.questions else '<p>No questions chosen.</p>')
    out.append('<h2>Red flags</h2>')
    out.append(f'<p>{e(RED_FLAG_INTRO)}</p>')
    out.append('<ul>' + ''.join(f'<li>{e(r.text)}</li>' for r in plan.red_flags) + '</ul>')
    if plan.notes:
        out.append('<h2>My notes</h2>')
        out.append(f'<p>{e(plan.notes)}</p>')
    out += ['</body>', '</html>']
    return "\n".join(out) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def _md(text: str) -> str:
    """Escape learner text for Markdown: HTML-escape (renderers pass raw HTML through), then
    backslash Markdown's special characters, and keep it on one line."""
    text = " ".join(text.split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def plan_markdown(plan: Plan) -> str:
    """The plan as Markdown (course text is ours and safe; learner text escaped)."""
    lines = [f"# {TITLE}", "", f"> **Not medical advice.** {plan.disclaimer}", "", "## My goals", ""]
    if plan.goals or plan.own_goal:
        lines += [f"- **{g.label}**: {g.description}" for g in plan.goals]
        if plan.own_goal:
            lines.append(f"- **My own goal**: {_md(plan.own_goal)}")
    else:
        lines.append("No goals chosen yet.")
    lines += ["", "## What could help", ""]
    if plan.components:
        for c in plan.components:
            lines += [f"### {c.label}", "", f"**What it does:** {c.what_it_does}", "",
                      f"**How strong the evidence is:** {c.evidence} *Source: {c.source}*", ""]
            served = _served_labels(c, plan)
            if served:
                lines += [f"**For my goals:** {', '.join(served)}", ""]
    else:
        lines += ["No parts of care chosen yet.", ""]
    unserved = plan.unserved_goals()
    if unserved:
        lines += ["**To ask about:** none of the chosen parts of care is linked here to "
                  f"{', '.join(g.label for g in unserved)}.", ""]
    lines += ["## Questions to ask my clinician", ""]
    lines += [f"- {q.text}" for q in plan.questions] or ["No questions chosen."]
    lines += ["", "## Red flags", "", RED_FLAG_INTRO, ""]
    lines += [f"- {r.text}" for r in plan.red_flags]
    if plan.notes:
        lines += ["", "## My notes", "", _md(plan.notes)]
    return "\n".join(lines) + "\n"
