"""The Explore edition's labs: each lab cell of a notebook, as the site shows it (issue 21, item 2).

:func:`lab_html` is called by :mod:`course_lib.site` for every code cell that builds a lab (tagged
``lab``, or whose stored output is a course placeholder); :func:`head_html` adds what a page with labs
loads; :func:`write_assets` writes the files those tags name into the site folder.

No Python runs in the learner's browser, so each lab is *precomputed*: at build time the lab is built
as its notebook builds it (the lesson module's own function, e.g. ``nb02.channel_lab()``; the mystery
neuron with the registry's fixed seed, where the notebook draws one at random) and driven through a set
of settings, its *states*, each reached as a learner reaches it from the starting setting:

* each control on its own over its slider steps (:data:`MAX_SLIDER_VALUES` at most; some labs walk
  coarser steps, :data:`SPECS`) or its options; from each cause too, for the labs whose controls
  depend on a menu (``walk_from``); a control the lab hides at that setting is not walked;
* named presets: the lab's own (the channel lab's menu), settings the notebook's text uses, and the
  setting each Predict question asks about (``Lesson.connections``: its ``when``);
* where a lab teaches a combination (the channel lab's Nav1.8 x Kdr, the balance lab's Na x K, ...),
  a coarse grid of the controls that combine.

One control is moved as the learner moves it (``control.value``), so the lab's own coupling runs (the
regrowth lab's injury site sets the distance); the state is filed under the values the controls then
hold, and ``moves`` tells the page where such a move lands. Each state keeps the figure's traces
(decimated to :data:`MAX_POINTS`, rounded to a thousandth of their span, delta-encoded, each array
stored once per lab in ``pool``, and only what differs from the starting state), the readout sentence
and the figure description, in one JSON file per lab cell (``site/labs/<notebook number>-<cell>.json``).
``site_assets/explore.js`` draws a state with the vendored plotly.js cartesian bundle
(``tools/fetch_plotly_js.py``) and switches state as the learner moves a control. A combination that was
not precomputed is never invented: the page moves the other controls to the nearest precomputed
setting and says so. Labs that remember earlier runs (a faded "previous setting", the currents tried so
far) are computed right after the starting setting, so on the page "previous" is the starting setting.

A setting that shows a Predict question's answer (and the balance lab's map of every setting) stays
hidden, its preset disabled and the figure replaced by "Lock in your prediction above first", until the
quiz says the prediction is locked in (the ``course:predicted`` event of ``site_assets/quiz.js``, or
``window.courseQuiz.isLocked``).

Computing every state takes about 20 s; the result is kept per process and on disk under
``.cache/site_labs/<hash of the sources>/`` (:func:`explorable`), so a rebuild with unchanged sources
takes a few seconds.

Cells that stay a link to the live notebook say why (:data:`STATIC_REASONS`).
"""

from __future__ import annotations

import ast
import html
import importlib
import json
import math
import re
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# the figure as data has its home in figures.figure_json; decode and round_array are named here too for
# the tests, which read a stored site through this module
from .figures.figure_json import MAX_POINTS, figure_json, plain_value
from .figures.figure_json import decode, round_array as _round_array  # noqa: F401
from .site_quiz import LIVE_WORDS

ASSETS = Path(__file__).resolve().parent / "site_assets"
LAB_DIR = "labs"  # site/labs/<file>.json
VENDOR_DIR = "vendor"  # site/vendor/plotly-cartesian.min.js and its LICENSE
PLOTLY_JS = "plotly-cartesian.min.js"
FETCH_COMMAND = "python tools/fetch_plotly_js.py"

#: Most states one lab cell may hold (the unit tests check it).
MAX_STATES = 400
#: Most values a slider walks through on the site (a finer slider is walked in coarser steps).
MAX_SLIDER_VALUES = 41


def html_outputs(cell) -> list[str]:
    """The HTML of a code cell's stored outputs (nbformat may keep it as a list of lines)."""
    rich = (output.get("data", {}).get("text/html") for output in cell.get("outputs", []))
    return ["".join(r) if isinstance(r, list) else str(r) for r in rich if r is not None]


# ------------------------------------------------------------------------------------------ specs


@dataclass(frozen=True)
class Spec:
    """How one kind of lab cell becomes an explorable (beyond what is read from the lab itself)."""

    #: the lesson's connection key ("channel") or a function of the cell's arguments returning a Connection
    link: str | Callable[..., Any] | None = None
    #: build the lab another way than the notebook's call (e.g. a fixed seed where the notebook draws one)
    build: Callable[..., Any] | None = None
    #: control -> the site's slider step (coarser than the lab's own)
    steps: Mapping[str, float] = field(default_factory=dict)
    #: controls to leave out (not explorable on the site), with the reason said on the page
    skip: Mapping[str, str] = field(default_factory=dict)
    #: menu controls whose every option is a starting point of the 1-D walks
    walk_from: tuple[str, ...] = ()
    #: coarse grids of controls that combine: ({control: [values]}, ...)
    grids: tuple[Mapping[str, tuple], ...] = ()
    #: named presets: ((label, {control: value}), ...)
    presets: tuple[tuple[str, Mapping[str, Any]], ...] = ()
    #: what the page says the combinations are (shown under the controls)
    combos: str = ""
    #: a figure without controls (the cohort, a case timeline): one state
    figure_only: bool = False
    #: the lab remembers earlier runs: "previous" (a faded trace of the last run) computes each state
    #: right after the starting setting, so "previous" is always the starting setting; "fresh" (every
    #: step current tried so far) builds a new lab per state, then the starting setting, then the state
    history: str = ""
    #: other settings that give the Predict question's answer away (the balance lab's map of every setting)
    reveals: Mapping[str, Any] | None = None
    #: points per trace on the site (fewer for a lab with many long traces, to keep its page light)
    max_points: int = MAX_POINTS


def _lesson(notebook: str):
    return importlib.import_module(f"course_lib.lessons.nb{notebook[:2]}")


def _mystery_build(seed: int | None = None):
    from .lab_registry import lab as registry_lab
    from .lessons import nb02

    # the notebook draws a mystery at random (seed None); the site shows the registry's fixed one
    return nb02.mystery_neuron(seed=seed if seed is not None else registry_lab("MysteryNeuronLab").build_kwargs["seed"])


def _case_link(case_id: str, lab: str = "cause"):
    from .lessons import nb06

    return nb06.CASE_LINKS.get((case_id, lab))


_PERCENT = (0.0, 50.0, 100.0, 150.0, 200.0)

#: (notebook, function called by the cell) -> how it becomes an explorable.
SPECS: dict[tuple[str, str], Spec] = {
    ("00_start_here", "demo_lab"): Spec(link="demo"),
    ("02_how_neuropathic_pain_develops", "channel_lab"): Spec(
        link="channel", history="previous", max_points=160,
        steps={"nav17": 40.0, "nav18": 20.0, "kdr": 20.0, "ka": 40.0, "amplitude": 25.0, "duration": 250.0},
        grids=({"nav18": _PERCENT, "kdr": _PERCENT},),
        combos="Nav1.8 and Kdr combine on a grid of 0, 50, 100, 150 and 200 %"),
    ("02_how_neuropathic_pain_develops", "balance_lab"): Spec(
        link="balance", reveals={"show_map": True}, steps={"g_na_sub": 0.5, "g_k_sub": 0.5, "amplitude": 10.0},
        skip={"noise": "the noise is random on every run: the live notebook draws it"},
        grids=({"g_na_sub": (0.0, 1.0, 2.0, 3.0, 5.0, 7.5, 10.0), "g_k_sub": (0.0, 1.0, 2.0, 2.5, 3.0, 5.0, 10.0)},),
        # the notebook's two named balances (models.excitability NORMAL, NEUROPATHIC); the settings of
        # its numbers table ("Na 10, K 2.0" and so on) are shown after the prediction, so not offered here
        presets=(("Normal (Na 2.0, K 2.5)", {"g_na_sub": 2.0, "g_k_sub": 2.5}),
                 ("Neuropathic (Na 2.5, K 2.0)", {"g_na_sub": 2.5, "g_k_sub": 2.0})),
        combos="sodium and potassium combine on a grid (Na 0, 1, 2, 3, 5, 7.5, 10 by K 0, 1, 2, 2.5, 3, 5, 10)"),
    ("02_how_neuropathic_pain_develops", "mystery_neuron"): Spec(
        link="mystery", build=_mystery_build, history="fresh"),
    ("03_acute_vs_chronic", "duration_lab"): Spec(link="duration"),
    ("03_acute_vs_chronic", "windup_lab"): Spec(
        link="windup", history="previous",
        grids=({"frequency_hz": (0.1, 0.3, 0.5, 1.0, 1.5, 2.0), "nmda_on": (True, False)},),
        combos="the stimulus rate combines with NMDA on or off at 0.1, 0.3, 0.5, 1, 1.5 and 2 per second"),
    ("03_acute_vs_chronic", "gate_lab"): Spec(
        link="gate", steps={"touch": 0.25, "noxious": 0.25},
        grids=({"touch": (0.0, 1.0, 2.0, 3.0), "inhibition": (0.0, 0.05, 0.1, 0.15, 0.2, 0.3)},),
        combos="touch combines with inhibition at touch 0, 1, 2, 3 by inhibition 0, 0.05, 0.1, 0.15, 0.2, 0.3"),
    ("03_acute_vs_chronic", "cohort_view"): Spec(figure_only=True),
    ("04_interventions_aimed_at_resolution", "cause_lab"): Spec(
        link="cause", walk_from=("cause",), steps={"treat_month": 3.0}),
    ("04_interventions_aimed_at_resolution", "regrowth_lab"): Spec(
        link="regrowth", steps={"week_shown": 4.0},
        grids=({"site": "*", "axon_loss": "*"},),
        combos="every injury site combines with every severity"),
    ("04_interventions_aimed_at_resolution", "trial_lab"): Spec(
        link="trial", grids=({"placebo": (True, False), "after_stopping": (True, False),
                              "n_patients": (100, 500, 1000)},),
        combos="placebo, counting after stopping and the number of patients combine freely (100, 500 or 1000 "
               "patients)"),
    ("04_interventions_aimed_at_resolution", "reversal_lab"): Spec(
        link="reversal", steps={"months_sensitised": 2.0, "treatment_months": 2.0},
        skip={"run_cohort": "the virtual cohort runs in the live notebook"},
        grids=({"cause_removed": (True, False), "stronger_inhibition": (True, False), "lower_drive": (True, False)},),
        combos="the three treatments combine freely"),
    ("05_managing_persistent_pain", "mind_lab"): Spec(link="mind"),
    ("05_managing_persistent_pain", "where_it_acts_lab"): Spec(link="where_it_acts"),
    ("05_managing_persistent_pain", "icon_array_lab"): Spec(
        link="icon_array", grids=({"compare": (True,), "drug": "*", "second_drug": ("tca", "pregabalin")},),
        combos="with 'Compare' ticked, each drug class is shown beside TCAs or pregabalin"),
    ("05_managing_persistent_pain", "goals_lab"): Spec(link="goals"),
    ("06_case_studies_and_review", "case_lab"): Spec(link=_case_link, steps={"treat_month": 3.0}),
    ("06_case_studies_and_review", "case_timeline"): Spec(figure_only=True),
}

#: Lab cells that stay a link to the live notebook, and why (the page and the tests read this).
STATIC_REASONS: dict[tuple[str, str], str] = {
    ("05_managing_persistent_pain", "care_plan_lab"): (
        "The care plan is your own: fourteen choices in any combination and a goal in your own words, "
        "too many to precompute, and it saves and prints what you choose."),
}


def _call(source: str) -> tuple[str, tuple]:
    """``channel_lab()`` -> ("channel_lab", ()); ``case_lab("diabetes", "cause")`` -> (..., ("diabetes", "cause"))."""
    node = ast.parse(source.strip(), mode="eval").body
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        raise ValueError(f"not a lab call: {source!r}")
    return node.func.id, tuple(ast.literal_eval(arg) for arg in node.args)


def file_name(notebook: str, function: str, args: tuple) -> str:
    """The JSON file of one lab cell: ``02-channel_lab``, ``06-case_lab-diabetes-cause``."""
    return "-".join([notebook[:2], function, *map(str, args)])


# ------------------------------------------------------------------------------------ serialising


def _pooled(value, pool: list, index: dict):
    """Each encoded array once: ``{"_p": n}`` refers to ``pool[n]`` (a time axis, or a curve that several
    states share, is stored once per lab)."""
    if isinstance(value, dict):
        if set(value) == {"_d", "_v"}:
            key = _dumps(value)
            if key not in index:
                index[key] = len(pool)
                pool.append(value)
            return {"_p": index[key]}
        return {k: _pooled(v, pool, index) for k, v in value.items()}
    if isinstance(value, list):
        return [_pooled(v, pool, index) for v in value]
    return value


def _diff_figure(base: dict, figure: dict) -> dict:
    """What differs from ``base``: {"t": {index: {prop: value}}, "l": {layout key: value}} (None: removed)."""
    traces = {}
    for index, trace in enumerate(figure["data"]):
        before = base["data"][index] if index < len(base["data"]) else {}
        changed = {k: v for k, v in trace.items() if _dumps(before.get(k)) != _dumps(v)}
        changed.update({k: None for k in before if k not in trace})
        if changed:
            traces[str(index)] = changed
    layout = {k: v for k, v in figure["layout"].items() if _dumps(base["layout"].get(k)) != _dumps(v)}
    layout.update({k: None for k in base["layout"] if k not in figure["layout"]})
    out = {}
    if traces:
        out["t"] = traces
    if layout:
        out["l"] = layout
    return out


def _dumps(value) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def apply_diff(base: dict, diff: dict) -> dict:
    """The full figure of a state: ``base`` with the state's differences (what explore.js does)."""
    data = [dict(t) for t in base["data"]]
    for index, changed in diff.get("t", {}).items():
        trace = data[int(index)]
        for k, v in changed.items():
            if v is None:
                trace.pop(k, None)
            else:
                trace[k] = v
    layout = dict(base["layout"])
    for k, v in diff.get("l", {}).items():
        if v is None:
            layout.pop(k, None)
        else:
            layout[k] = v
    return {"data": data, "layout": layout}


def _inner_description(value: str) -> str:
    """The description widget's HTML without its paragraph and its "Figure description:" label."""
    inner = re.sub(r"^\s*<p[^>]*>", "", value)
    inner = re.sub(r"</p>\s*$", "", inner)
    return re.sub(r"^\s*<b>Figure description:</b>\s*", "", inner)


# -------------------------------------------------------------------------------------- controls


def _control_kind(control) -> str | None:
    import ipywidgets as widgets

    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        return "range"
    if isinstance(control, widgets.Checkbox):
        return "checkbox"
    if isinstance(control, (widgets.Dropdown, widgets.RadioButtons, widgets.Select)):
        return "select"
    return None


def _slider_values(control, step: float | None, extra: list) -> list:
    low, high, own = float(control.min), float(control.max), float(control.step)
    step = float(step or own)
    count = int(round((high - low) / step))
    if count + 1 > MAX_SLIDER_VALUES:
        step = own * math.ceil((high - low) / own / (MAX_SLIDER_VALUES - 1))
        count = int(round((high - low) / step))
    values = {round(low + k * step, 6) for k in range(count + 1) if low + k * step <= high + 1e-9}
    values.add(round(high, 6))
    values.update(round(float(v), 6) for v in extra if low - 1e-9 <= float(v) <= high + 1e-9)
    values = sorted(values)
    if control.__class__.__name__ == "IntSlider":
        values = sorted({int(round(v)) for v in values})
    return values


def _format_value(control, value) -> str:
    fmt = getattr(control, "readout_format", None)
    if fmt:
        try:
            return format(value, fmt)
        except (ValueError, TypeError):
            pass
    return f"{value:g}" if isinstance(value, float) else str(value)


def _options(control) -> list[tuple[str, Any]]:
    return [o if isinstance(o, tuple) else (str(o), o) for o in control.options]


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return math.isclose(float(a), float(b), abs_tol=1e-9)
        except (TypeError, ValueError):
            return False
    return a == b


def _matches(values: Mapping[str, Any], when: Mapping[str, Any] | None) -> bool:
    """``widgets.predictions.controls_match`` on a dict of values (None: no setting is the answer)."""
    if not when:
        return False
    for name, wanted in when.items():
        value = values.get(name)
        if isinstance(wanted, tuple):
            low, high = wanted
            if not low <= value <= high:
                return False
        elif not _same(value, wanted):
            return False
    return True


# ------------------------------------------------------------------------------------ explorables


@dataclass
class LabCell:
    """One lab cell of a notebook and how the site shows it."""

    notebook: str
    source: str
    function: str
    args: tuple
    spec: Spec | None
    reason: str | None  # why it stays a link box (None when it is an explorable)

    @property
    def name(self) -> str:
        return file_name(self.notebook, self.function, self.args)

    def build(self):
        """A new lab (or figure view), built as the notebook builds it."""
        if self.spec and self.spec.build:
            return self.spec.build(*self.args)
        return getattr(_lesson(self.notebook), self.function)(*self.args)

    def connection(self):
        link = self.spec.link if self.spec else None
        if link is None:
            return None
        if callable(link):
            return link(*self.args)
        return _lesson(self.notebook).LESSON.connections[link]


def lab_cell(notebook_id: str, source: str) -> LabCell:
    try:
        function, args = _call(source)
    except (SyntaxError, ValueError):
        return LabCell(notebook_id, source, "", (), None, "This cell is not a single lab call.")
    spec = SPECS.get((notebook_id, function))
    reason = STATIC_REASONS.get((notebook_id, function))
    if spec is None and reason is None:
        reason = "This lab has no Explore edition yet."
    return LabCell(notebook_id, source, function, args, spec, reason)


def lab_cells() -> list[LabCell]:
    """Every lab cell of every enabled notebook, in course order (what :mod:`course_lib.site` meets)."""
    import nbformat

    from .syllabus import enabled_notebooks

    found = []
    for entry in enabled_notebooks():
        nb = nbformat.read(entry.path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code" or "setup" in cell.metadata.get("tags", []):
                continue
            source = cell.source.strip()
            if re.match(r"""^\s*(question\(|quiz\(\))""", source):
                continue
            tags = cell.metadata.get("tags", [])
            placeholder = any("course-placeholder" in rich for rich in html_outputs(cell))
            if "lab" in tags or (placeholder and "quiz" not in tags):
                found.append(lab_cell(entry.id, source))
    return found


def _question_label(notebook: str, question_id: str) -> str:
    """How the page names the question a lab answers (the question sits just above the lab)."""
    from .quiz import load_bank

    load_bank(notebook).get(question_id)  # a KeyError names a connection to a question that is gone
    return "the Predict question above"


def compute(cell: LabCell) -> dict:
    """The explorable's data: controls, the starting figure and every state (see the module docstring)."""
    started = time.perf_counter()
    lab = cell.build()
    spec = cell.spec
    if spec.figure_only:
        base = figure_json(lab.figure, spec.max_points)
        title = getattr(lab, "title", "") or ""
        return {"name": cell.name, "notebook": cell.notebook, "title": title, "lab_class": type(lab).__name__,
                "controls": [], "pool": [],
                "base": base,
                "default": "", "states": {"": {"r": "", "d": html.escape(lab.description_text)}},
                "moves": {}, "observed": None, "presets": [], "questions": {}, "skipped": [], "combos": "",
                "seconds": round(time.perf_counter() - started, 2)}

    link = cell.connection()
    when = dict(link.when) if link is not None and link.when else None
    question = link.question_id if link is not None else None

    # the controls the site offers, and their values
    preset_menu = lab.controls.get("preset")  # the channel lab's menu of presets: buttons on the page
    if preset_menu is not None and _control_kind(preset_menu) != "select":
        preset_menu = None
    extra: dict[str, list] = {}
    for _label, values in spec.presets:
        for k, v in values.items():
            extra.setdefault(k, []).append(v)
    for grid in spec.grids:
        for k, v in grid.items():
            if v != "*":
                extra.setdefault(k, []).extend(v)
    controls = []
    skipped = []
    for name, control in lab.controls.items():
        kind = _control_kind(control)
        if control is preset_menu:
            continue
        if kind is None or name in spec.skip:
            skipped.append({"name": name, "label": lab.control_label(name),
                            "why": spec.skip.get(name, "this control works in the live notebook")})
            continue
        if kind == "range":
            values = _slider_values(control, spec.steps.get(name), extra.get(name, []) + [control.value])
            labels = [_format_value(control, v) for v in values]
        elif kind == "checkbox":
            values, labels = [False, True], ["off", "on"]
        else:
            options = _options(control)
            values, labels = [v for _l, v in options], [l for l, _v in options]
        controls.append({"name": name, "label": lab.control_label(name), "kind": kind, "values": values,
                         "labels": labels, "disabled": bool(getattr(control, "disabled", False))})
    names = [c["name"] for c in controls]
    by_name = {c["name"]: c for c in controls}

    defaults = {n: lab.controls[n].value for n in names}

    def concrete(condition, name):
        """A value inside a Predict question's condition: a range's low end (its middle when narrow)."""
        if not isinstance(condition, tuple):
            return condition
        low, high = condition
        values = [v for v in by_name[name]["values"] if low <= v <= high]
        if not values:
            return (low + high) / 2
        if len(values) <= 3:
            return min(values, key=lambda v: abs(v - (low + high) / 2))
        return values[0]

    def shown(name, value) -> str:
        """A control's value as the page shows it (a slider's number, an option's label)."""
        control = by_name[name]
        if control["kind"] == "range":
            return _format_value(lab.controls[name], value)
        if control["kind"] == "checkbox":  # "Nav1.8 on: no" (a checkbox's label names what ticking it does)
            return "yes" if value else "no"
        for label, option in zip(control["labels"], control["values"]):
            if _same(option, value):
                return label
        return str(value)

    presets = []
    if preset_menu is not None:
        for label, key in _options(preset_menu):
            if key == "custom":
                continue
            probe = cell.build()
            probe.controls["preset"].value = key
            presets.append({"label": label, "values": {n: probe.controls[n].value for n in names}})
    for label, values in spec.presets:
        presets.append({"label": label, "values": values})
    if when:
        values = {k: concrete(v, k) for k, v in when.items() if k in by_name}
        words = "; ".join(f"{by_name[k]['label']}: {shown(k, v)}" for k, v in values.items()
                          if not _same(v, defaults[k])) or "the starting setting"
        presets.append({"label": f"The setting the Predict question asks about ({words})",
                        "values": values, "question": question})

    # Each state is reached as a learner reaches it, on a lab at the starting setting: one control
    # moved (its own observers run, so coupled controls follow: the regrowth lab's site sets the
    # distance), or a preset or grid point set at once (set_values). The state is filed under the
    # values the controls then hold.
    settable_names = [n for n in names if not by_name[n]["disabled"]]
    runs: dict[tuple, dict] = {}  # actual values (in names order) -> state
    moves: list[tuple[tuple, int, Any, tuple]] = []  # (from values, control index, value asked, reached)
    base_figure = None

    def observed() -> list:
        """[value, description] the lab hands its Predict question now (``Connection.value_of``), for
        ``window.courseQuiz.observe`` on the page."""
        value, description = lab.last_published
        if link.value_of is not None:
            value = link.value_of(lab)
        return [plain_value(value), description]

    def actual() -> tuple:
        return tuple(lab.controls[n].value for n in names)

    def run(base: Mapping[str, Any], changes: Mapping[str, Any], one_control: bool) -> tuple:
        nonlocal lab, base_figure
        if spec.history == "fresh":
            lab = cell.build()
        if spec.history:  # the run just before is the starting setting, as in a new lab
            lab.set_values(**{n: defaults[n] for n in settable_names})
        if any(not _same(lab.controls[n].value, base[n]) for n in settable_names):
            lab.set_values(**{n: base[n] for n in settable_names})
        if one_control:
            (name, value), = changes.items()
            lab.controls[name].value = lab._plain(name, value)
        elif changes:
            lab.set_values(**{k: v for k, v in changes.items() if k in settable_names})
        reached = actual()
        if reached in runs:
            return reached
        figure = figure_json(lab.figure, spec.max_points)
        if base_figure is None:
            base_figure = figure
        values = dict(zip(names, reached))
        state = {"r": lab.readout.value, "d": _inner_description(lab.description.value),
                 **_diff_figure(base_figure, figure)}
        hidden = [i for i, n in enumerate(names) if getattr(lab.controls[n].layout, "display", None) == "none"]
        if hidden:
            state["h"] = hidden
        if _matches(values, when) or (question and _matches(values, spec.reveals)):
            state["q"] = question
        if _matches(values, when) and lab.last_published is not None:
            state["o"] = observed()  # what the lab hands the Predict question at this setting
        if lab.last_error is not None:
            state["e"] = 1
        runs[reached] = state
        return reached

    start = run(defaults, {}, False)
    bases = [start]
    for menu in spec.walk_from:
        for value in by_name[menu]["values"]:
            reached = run(defaults, {menu: value}, True)
            moves.append((start, names.index(menu), value, reached))
            if reached not in bases:
                bases.append(reached)
    for preset in presets:
        preset["reached"] = run(defaults, preset["values"], False)
    for grid in spec.grids:
        combos = [{}]
        for k, vs in grid.items():
            combos = [{**c, k: v} for c in combos for v in (by_name[k]["values"] if vs == "*" else vs)]
        for combo in combos:
            run(defaults, combo, False)
    for base in bases:
        base_values = dict(zip(names, base))
        hidden = set(runs[base].get("h", []))
        for i, name in enumerate(names):
            if by_name[name]["disabled"] or i in hidden:  # the cause lab's controls of other causes
                continue
            for value in by_name[name]["values"]:
                moves.append((base, i, value, run(base_values, {name: value}, True)))

    # the values each control takes in some state (a coupled control may reach values off its grid)
    for i, control in enumerate(controls):
        if control["kind"] == "range":
            seen = {round(float(key[i]), 6) for key in runs} | {round(float(v), 6) for v in control["values"]}
            control["values"] = sorted(seen)
            if lab.controls[control["name"]].__class__.__name__ == "IntSlider":
                control["values"] = [int(v) for v in control["values"]]
            control["labels"] = [_format_value(lab.controls[control["name"]], v) for v in control["values"]]
        else:
            missing = [key[i] for key in runs if not any(_same(key[i], v) for v in control["values"])]
            if missing:
                raise ValueError(f"{cell.name}: {control['name']} reached {missing[0]!r}, not one of its options")

    def index_of(i: int, value) -> int:
        values = controls[i]["values"]
        for j, v in enumerate(values):
            if _same(v, value):
                return j
        raise ValueError(f"{cell.name}: {names[i]} = {value!r} is not one of {values}")

    def key_of(values: tuple) -> str:
        return ",".join(str(index_of(i, v)) for i, v in enumerate(values))

    states = {key_of(values): state for values, state in runs.items()}
    jumps = {}
    for base, i, value, reached in moves:
        asked = list(base)
        asked[i] = value
        if key_of(tuple(asked)) != key_of(reached):  # the lab moved another control too
            jumps[f"{key_of(base)}|{i}|{index_of(i, value)}"] = key_of(reached)

    kept = {}
    for preset in presets:
        preset["key"] = key_of(preset.pop("reached"))
        if preset["key"] == key_of(start) and not preset.get("question"):
            continue  # the "Starting setting" button shows it
        if states[preset["key"]].get("q"):
            preset["question"] = question  # a preset that shows the answer is locked like the question's own
        kept.setdefault(preset["key"], preset)
    presets = list(kept.values())

    questions = {question: _question_label(cell.notebook, question)} if question and when else {}
    # a question about the lab itself, whatever its setting (the mystery neuron's hidden change)
    always = {"question": question, "value": observed()[0], "description": observed()[1]} \
        if link is not None and not when and lab.last_published is not None else None
    pool: list = []
    index: dict = {}
    base_figure = _pooled(base_figure, pool, index)
    states = _pooled(states, pool, index)
    return {"name": cell.name, "notebook": cell.notebook, "title": getattr(lab, "title", ""),
            "lab_class": type(lab).__name__, "controls": controls, "pool": pool, "base": base_figure,
            "default": key_of(start), "states": states, "moves": jumps, "observed": always,
            "presets": [{k: v for k, v in p.items() if k != "values"} for p in presets],
            "questions": questions, "skipped": skipped, "combos": spec.combos,
            "seconds": round(time.perf_counter() - started, 2)}


_CACHE: dict[str, dict] = {}
_SOURCE_KEY: list[str] = []


def source_key() -> str:
    """A hash of everything a state depends on: the course_lib sources and data, the notebooks, and the
    versions of numpy, numba, plotly and ipywidgets. A stored state set is used only under the same key."""
    if not _SOURCE_KEY:
        import hashlib
        from importlib.metadata import PackageNotFoundError, version

        from .syllabus import REPO_ROOT

        digest = hashlib.sha256()
        package = Path(__file__).resolve().parent
        files = sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".yaml", ".json", ".csv")
                       and "__pycache__" not in p.parts)
        files += sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
        for path in files:
            digest.update(str(path.relative_to(path.parents[1])).encode())
            digest.update(path.read_bytes())
        for name in ("numpy", "numba", "plotly", "ipywidgets"):
            try:
                digest.update(f"{name}={version(name)}".encode())
            except PackageNotFoundError:
                pass
        _SOURCE_KEY.append(digest.hexdigest()[:20])
    return _SOURCE_KEY[0]


def _disk_cache() -> Path:
    from .syllabus import REPO_ROOT

    return REPO_ROOT / ".cache" / "site_labs" / source_key()


def explorable(cell: LabCell) -> dict:
    """:func:`compute`, once per process and once per version of the sources: ``make test`` builds the site
    several times, so a computed state set is kept in ``.cache/site_labs/<hash of the sources>/``
    (set ``COURSE_SITE_LABS_CACHE=0`` to compute afresh)."""
    import os

    if cell.name in _CACHE:
        return _CACHE[cell.name]
    use_disk = os.environ.get("COURSE_SITE_LABS_CACHE", "1") != "0"
    stored = _disk_cache() / f"{cell.name}.json"
    if use_disk and stored.is_file():
        try:
            _CACHE[cell.name] = json.loads(stored.read_text(encoding="utf-8"))
            return _CACHE[cell.name]
        except (OSError, ValueError):
            pass  # a half-written or damaged file: compute again
    data = compute(cell)
    _CACHE[cell.name] = data
    if use_disk:
        try:
            if not stored.parent.is_dir():  # a new version of the sources: the old state sets go
                for old in stored.parent.parent.glob("*"):
                    if old.is_dir():
                        shutil.rmtree(old, ignore_errors=True)
            stored.parent.mkdir(parents=True, exist_ok=True)
            partial = stored.with_suffix(f".{os.getpid()}.part")
            partial.write_text(json.dumps(data, separators=(",", ":"), allow_nan=False), encoding="utf-8")
            partial.replace(stored)
        except OSError:
            pass  # a read-only checkout: the build still works, it just computes every time
    return data


def dumps(data: dict) -> str:
    return json.dumps({k: v for k, v in data.items() if k != "seconds"}, separators=(",", ":"),
                      ensure_ascii=False, allow_nan=False)


# ---------------------------------------------------------------------------------------- hooks


def lab_html(notebook_id: str, cell) -> str:
    source = cell.source if hasattr(cell, "source") else cell.get("source", "")
    found = lab_cell(notebook_id, "".join(source) if isinstance(source, list) else source)
    what = "this lab"
    for rich in html_outputs(cell):
        match = re.search(r"to start ([^<]+?)\.</b>", rich)
        if match:
            what = html.unescape(match.group(1))
    if found.reason is None:
        data = explorable(found)
        title = data["title"] or what[0].upper() + what[1:]
        return (f"<section class='explore' data-lab='{LAB_DIR}/{found.name}.json' data-notebook='{notebook_id}' "
                f"aria-label='{html.escape(title, quote=True)}'><h3 class='explore-title'>{html.escape(title)}</h3>"
                f"<p class='explore-loading muted'>Loading the lab's precomputed settings ...</p>"
                f"<noscript><p>This lab needs JavaScript in the Explore edition; the live notebook runs it too."
                f"</p></noscript></section>")
    return (f"<div class='live' role='note'><p><strong>{html.escape(what[0].upper() + what[1:])}</strong> "
            f"runs in the live notebook.</p><p class='muted'>{html.escape(found.reason)} {LIVE_WORDS}</p></div>")


def head_html(page_body: str) -> str:
    """The plotly bundle, explore.js and its style, for a page with an explorable; '' otherwise."""
    if "class='explore'" not in page_body:
        return ""
    return (f"<link rel='stylesheet' href='explore.css'>"
            f"<script defer src='{VENDOR_DIR}/{PLOTLY_JS}'></script><script defer src='explore.js'></script>")


def plotly_bundle() -> Path:
    from .syllabus import REPO_ROOT

    return REPO_ROOT / ".cache" / "plotly" / PLOTLY_JS


def write_assets(target: Path) -> None:
    """The plotly bundle and its licence, explore.js and explore.css, and one JSON file per explorable."""
    target = Path(target)
    bundle = plotly_bundle()
    if not bundle.is_file() or not (bundle.parent / "LICENSE").is_file():
        raise FileNotFoundError(f"{bundle} is missing: the Explore edition's labs need the vendored plotly.js "
                                f"bundle; run `{FETCH_COMMAND}` (once) and build again")
    (target / VENDOR_DIR).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bundle, target / VENDOR_DIR / PLOTLY_JS)
    shutil.copyfile(bundle.parent / "LICENSE", target / VENDOR_DIR / "LICENSE.plotly.txt")
    for asset in ("explore.js", "explore.css"):
        shutil.copyfile(ASSETS / asset, target / asset)
    (target / LAB_DIR).mkdir(exist_ok=True)
    for cell in lab_cells():
        if cell.reason is None:
            (target / LAB_DIR / f"{cell.name}.json").write_text(dumps(explorable(cell)), encoding="utf-8")


def report(target: Path) -> list[str]:
    """One line per explorable: states, JSON bytes, seconds to compute (for the build's report)."""
    lines = []
    for cell in lab_cells():
        if cell.reason is None:
            data = explorable(cell)
            path = Path(target) / LAB_DIR / f"{cell.name}.json"
            size = path.stat().st_size if path.exists() else len(dumps(data).encode())
            lines.append(f"{cell.name}: {len(data['states'])} states, {size / 1e3:.0f} kB, {data['seconds']:.1f} s")
        else:
            lines.append(f"{cell.name or cell.source}: link to the live notebook ({cell.reason})")
    return lines
