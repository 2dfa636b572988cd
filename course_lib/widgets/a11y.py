"""Keyboard and screen-reader access for every lab and quiz, added in one place.

Each lab view (``Lab._build_view``) and each quiz question view carries one invisible
:class:`CourseAccess` widget. Its small script finds the course widget it sits in (the
closest ``.course-lab`` / ``.course-quiz`` box, else its parent box), marks it with the
class ``course-a11y`` and then, in the browser:

* **keys stay in the widget.** JupyterLab 4 starts Lumino with ``bubblingKeydown: true``
  (its notebook shortcuts listen on ``document`` in the bubbling phase), so a keydown that
  stops propagating at the course widget never reaches "a" (insert cell), "d d" (delete
  cell), "k"/"j" and the arrow keys (move between cells). What passes through, on purpose:
  Tab and Shift+Tab (the browser moves focus; JupyterLab binds neither in command mode),
  and chords with Ctrl, Alt or Cmd (Ctrl+S saves, Ctrl+Enter runs: a learner expects them
  everywhere). Everything else, Shift+letters and Shift+Enter included, belongs to the
  control that has focus. (Lumino's other supported way, the ``data-lm-suppress-shortcuts``
  attribute, silences every shortcut, Ctrl+S included, and Chrome then opens its own "Save
  page" dialog; hence the selective stop.)
* **focus is never lost**: when the focused control is disabled or hidden (after "Lock in my
  prediction", or the last hint), focus moves to the next control of the same widget.
* **Escape leaves the widget** to the cell around it, which is JupyterLab's own meaning of
  Escape (back to command mode); from there J/K and Shift+Enter work as usual.
* **sliders get a name and a value with units**: each slider handle is labelled by its
  visible description (``aria-labelledby``) and gets an ``aria-valuetext`` such as
  "90 picoamps", updated whenever the value changes. The spoken unit is worked out here, in
  Python, from the description text (see :func:`spoken_unit`), so no lab needs editing; a
  lab may still give ``control_units = {"control name": "unit words"}``. A slider without
  units reads "0.15, on a scale from 0 to 0.3".
* **radio buttons form one group** (``role="radiogroup"`` named by its label, a shared
  ``name`` so arrow keys move the choice, as in any web form), and the lab readout
  (``.course-lab-readout``) becomes one persistent polite live region whose text changes.
* **focus is visible**: a 3 px ``--jp-brand-color0`` outline, 8.6:1 on the light theme's white
  and 4.1:1 on the dark theme's #111. (``--jp-brand-color1``, the lighter blue, would be only
  2.99:1 where the ring crosses a slider's pale track in the dark theme.) Course text uses
  JupyterLab's colour variables, so it follows the light and dark themes.

DESIGN note, why a helper widget and not new controls: the standard ipywidgets already use
native inputs and noUiSlider's ARIA slider pattern; what they lack is a few attributes and a
key boundary. One hidden anywidget (anywidget is already installed for plotly) adds those to
every present and future lab and quiz, and needs no per-lab code. The alternative, writing our
own slider, radio and dropdown widgets, would duplicate ipywidgets' behaviour and its tests.
The script and style are kept here as strings (not separate files) so a plain ``pip install``
ships them without package-data settings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import anywidget
import ipywidgets as widgets
import traitlets

# Units as a screen reader should say them. Written out, because "mS/cm2" is read letter by
# letter ("m S slash c m 2"), which says nothing to a listener.
SPOKEN_UNITS: dict[str, str] = {
    "pA": "picoamps",
    "nA": "nanoamps",
    "uA/cm2": "microamps per square centimetre",
    "mS/cm2": "millisiemens per square centimetre",
    "mV": "millivolts",
    "ms": "milliseconds",
    "s": "seconds",
    "Hz": "hertz",
    "%": "percent",
    "mm": "millimetres",
    "mm/day": "millimetres a day",
}
_TIME_NOUNS = ("years", "months", "weeks", "days", "hours", "minutes", "seconds")
_TRAILING_PARENTHESES = re.compile(r"\(([^()]+)\)\s*$")
_SCALE_RANGE = re.compile(r"-?\d+(\.\d+)?\s*(-|–|to)\s*-?\d+(\.\d+)?( scale)?")

SLIDER_TYPES = (widgets.FloatSlider, widgets.IntSlider, widgets.FloatLogSlider)


def spoken_unit(description: str) -> str:
    """The unit a slider's value is in, as words, worked out from its visible description.

    "Step current (pA)" -> "picoamps"; "Nav1.7 conductance (% of normal)" -> "percent of
    normal"; "Months before the cause is removed" -> "months". A description with no unit
    in it gives "" (the browser then reads the value against the slider's range).
    """
    if not isinstance(description, str):
        raise ValueError(f"description must be a string, got {description!r}")
    text = description.strip()
    match = _TRAILING_PARENTHESES.search(text)
    if match and _SCALE_RANGE.fullmatch(match.group(1).strip()):
        return ""  # "Mood (0-1)": a scale, not a unit; the browser reads it against the range
    if match:
        words = [SPOKEN_UNITS.get(token, token) for token in match.group(1).split()]
        return " ".join(words)
    first = text.split(" ", 1)[0].lower() if text else ""
    if first in _TIME_NOUNS:
        return first
    return ""


def slider_units(controls: Mapping[str, widgets.Widget],
                 overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Map each slider's visible description to its spoken unit (what the browser script uses).

    ``overrides`` maps a control's name to unit words and wins over the description.
    Sliders whose unit cannot be found are left out (the script then uses the range).
    """
    overrides = dict(overrides or {})
    unknown = set(overrides) - set(controls)
    if unknown:
        raise ValueError(f"control_units names unknown control(s) {sorted(unknown)}; "
                         f"the controls are {sorted(controls)}")
    units: dict[str, str] = {}
    for name, control in controls.items():
        if not isinstance(control, SLIDER_TYPES):
            continue
        unit = overrides.get(name) or spoken_unit(control.description)
        if unit:
            units[control.description.strip()] = unit
    return units


# ----------------------------------------------------------------------------- browser side

_ESM = r"""
const ROOT_CLASS = "course-a11y";
// Every helper loads its own copy of this module, so ids are counted on window (unique page-wide).
function nextId(kind) {
  window.__courseA11yIds = (window.__courseA11yIds || 0) + 1;
  return `course-a11y-${kind}-${window.__courseA11yIds}`;
}

// Keys JupyterLab should still see: Tab moves focus, Escape leaves (handled below); chords
// with Ctrl, Alt or Cmd are the learner's app-wide shortcuts (save, run).
function onKeydown(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "Tab" || event.key === "Escape") return;  // Escape: onEscape, below
  event.stopPropagation();  // JupyterLab listens on document, bubbling phase
}

// Escape leaves any control for its cell, in command mode. Listened to while the event travels
// down (capture), because ipywidgets' text boxes and menus stop keys on their own element, so a
// handler on the way back up never saw Escape there.
function onEscape(event) {
  if (event.key !== "Escape" || event.ctrlKey || event.metaKey || event.altKey) return;
  const cell = event.currentTarget.closest(".jp-Cell");
  if (!cell) return;
  event.stopPropagation();
  cell.focus();  // JupyterLab's focus-in handler puts this cell in command mode
}

function setIfChanged(node, name, value) {
  if (value === null || value === undefined) return;
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

function visibleLabel(container) {
  if (!container) return null;
  const label = container.querySelector(":scope > .widget-label");
  if (!label || !label.textContent.trim() || label.style.display === "none") return null;
  if (!label.id) label.id = nextId("label");
  return label;
}

function decimalsOf(text) {
  const match = /\.(\d+)/.exec(text || "");
  return match ? match[1].length : 0;
}

function valueText(handle, readout, single, unit) {
  const now = Number(handle.getAttribute("aria-valuenow"));
  if (!Number.isFinite(now)) return null;
  const shown = single && readout ? readout.textContent.trim() : "";
  const value = now.toFixed(decimalsOf(shown || handle.getAttribute("aria-valuenow")));
  if (unit) return `${value} ${unit}`;
  const lo = handle.getAttribute("aria-valuemin"), hi = handle.getAttribute("aria-valuemax");
  return `${value}, on a scale from ${Number(lo)} to ${Number(hi)}`;
}

function enhance(root) {
  const units = root.__courseUnits || {};
  for (const slider of root.querySelectorAll(".widget-slider")) {
    const label = visibleLabel(slider);
    const handles = slider.querySelectorAll(".noUi-handle");
    const readout = slider.querySelector(".widget-readout");
    const unit = label ? units[label.textContent.trim()] : undefined;
    for (const handle of handles) {
      if (label) setIfChanged(handle, "aria-labelledby", label.id);
      setIfChanged(handle, "aria-valuetext", valueText(handle, readout, handles.length === 1, unit));
    }
  }
  for (const group of root.querySelectorAll(".widget-radio-box")) {
    setIfChanged(group, "role", "radiogroup");
    const label = visibleLabel(group.parentElement);
    if (label) setIfChanged(group, "aria-labelledby", label.id);
    if (!group.dataset.courseGroup) group.dataset.courseGroup = nextId("radio");
    for (const radio of group.querySelectorAll("input[type=radio]")) {
      setIfChanged(radio, "name", group.dataset.courseGroup);  // one group: arrow keys move the choice
    }
  }
  for (const select of root.querySelectorAll(".widget-dropdown select")) {
    if (select.labels && select.labels.length) continue;
    const label = visibleLabel(select.parentElement);
    if (label) setIfChanged(select, "aria-labelledby", label.id);
  }
  for (const region of root.querySelectorAll(".course-lab-readout")) {
    setIfChanged(region, "role", "status");
    setIfChanged(region, "aria-live", "polite");
    setIfChanged(region, "aria-atomic", "true");
  }
}

// A control that is disabled or hidden while it has focus (a "Lock in" or "No more hints" button)
// drops the focus to the page body, and a keyboard user has to start again from the top. Move it
// instead to the next control that can take it in the same widget, else the previous one, else
// the box around the lost control.
const FOCUSABLE = "button, select, input, textarea, [tabindex='0']";

function canFocus(node) {
  return node.isConnected && !node.disabled && node.getClientRects().length > 0;
}

function rescueFocus(root) {
  const lost = root.__courseLastFocus;
  const active = document.activeElement;
  if (!lost || (active && active !== document.body && active !== lost) || canFocus(lost)) return;
  const all = Array.from(root.querySelectorAll(FOCUSABLE)).filter(n => !n.closest(".js-plotly-plot"));
  const after = all.filter(n => lost.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING);
  const before = all.filter(n => lost.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_PRECEDING);
  const target = after.find(canFocus) || before.reverse().find(canFocus);
  if (target) { target.focus(); return; }
  const box = (lost.isConnected && lost.closest(".widget-box")) || root;
  if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "-1");
  box.focus();
}

function install(root, units) {
  root.__courseUnits = Object.assign(root.__courseUnits || {}, units);
  if (root.classList.contains(ROOT_CLASS)) { enhance(root); return; }
  root.classList.add(ROOT_CLASS);
  root.addEventListener("keydown", onKeydown);
  root.addEventListener("keydown", onEscape, true);
  root.addEventListener("focusin", (event) => { root.__courseLastFocus = event.target; });
  enhance(root);
  // Controls render after this helper and change later (values, re-rendered options): redo
  // the attributes whenever the subtree changes. enhance() only writes what differs, so the
  // observer settles after one extra round.
  new MutationObserver(() => { enhance(root); rescueFocus(root); }).observe(root, {
    subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: ["aria-valuenow", "aria-valuetext", "style", "disabled", "class"],
  });
}

// The helper is rendered before its box puts it into the page; wait until it is attached
// (a cell scrolled out of a windowed notebook may be attached much later).
function whenAttached(el, then, waitedMs = 0) {
  if (el.isConnected && el.parentElement) { then(); return; }
  if (waitedMs > 600000) return;
  setTimeout(() => whenAttached(el, then, waitedMs + 100), 100);
}

// Definitions of dotted words (<abbr title> in the notebook's text) for touch and keyboard, not
// only for a mouse hovering: each becomes focusable, and a tap, a click, Enter or Space shows the
// definition in brackets after the word (again hides it). JupyterLab's sanitizer drops tabindex
// and role from Markdown, so they are set here, once per page, on every rendered cell as it appears.
const TERM = ".jp-RenderedMarkdown abbr[title]";
function markTerms() {
  for (const term of document.querySelectorAll(`${TERM}:not([data-course-term])`)) {
    term.dataset.courseTerm = "";
    term.tabIndex = 0;
    term.setAttribute("role", "button");
    term.setAttribute("aria-expanded", "false");
  }
}
function toggleTerm(term) {
  const shown = term.nextElementSibling;
  if (shown && shown.classList.contains("course-term-definition")) {
    shown.remove();
    term.setAttribute("aria-expanded", "false");
    return;
  }
  const definition = document.createElement("span");
  definition.className = "course-term-definition";
  definition.setAttribute("role", "note");
  definition.textContent = ` (${term.title})`;
  term.after(definition);
  term.setAttribute("aria-expanded", "true");
}
function enableDefinitions() {
  document.addEventListener("click", (event) => {
    const term = event.target.closest && event.target.closest(TERM);
    if (term) toggleTerm(term);
  });
  // before JupyterLab's own shortcuts (Enter edits the cell, Space scrolls), which listen later
  document.addEventListener("keydown", (event) => {
    const term = event.target.closest && event.target.closest(TERM);
    if (!term || !(event.key === "Enter" || event.key === " ")) return;
    event.preventDefault();
    event.stopPropagation();
    toggleTerm(term);
  }, true);
}

// Every output of the page keeps single keys to itself: links, plotly's toolbar buttons and the
// course's tables are not inside a widget's own boundary, and JupyterLab would read "a" there as
// "insert a cell" and "d d" as "delete it". Listened to on the way back up, after the focused
// element has had the key; Escape leaves for the cell (command mode), Tab and chords pass.
function guardOutputKeys(output) {
  output.dataset.courseKeys = "";
  output.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.key === "Tab") return;
    if (event.key === "Escape") {
      const cell = output.closest(".jp-Cell");
      if (cell) { event.stopPropagation(); cell.focus(); }
      return;
    }
    event.stopPropagation();
  });
}
function guardAllOutputs() {
  document.querySelectorAll(".jp-OutputArea-output:not([data-course-keys])").forEach(guardOutputKeys);
}

// Once per page, whichever helper renders first: the page-wide listeners above, and one observer
// that marks new dotted words and guards new outputs as cells render (at most once a frame).
function enablePageHelpers() {
  if (window.__coursePageHelpers) return;
  window.__coursePageHelpers = true;
  enableDefinitions();
  const update = () => { markTerms(); guardAllOutputs(); };
  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; update(); });
  }).observe(document.body, { childList: true, subtree: true });
  update();
}

export default {
  render({ model, el }) {
    el.classList.add("course-a11y-helper");
    enablePageHelpers();
    whenAttached(el, () => {
      const root = el.closest(".course-lab, .course-quiz") || el.parentElement.closest(".widget-box")
        || el.parentElement;
      if (!root) return;
      install(root, model.get("units") || {});
      model.on("change:units", () => install(root, model.get("units") || {}));
    });
  },
};
"""

_CSS = r"""
/* Focus visible on every control in a course widget: 3 px in the theme's darker brand colour
   (>= 3:1 against the page and the slider track, light and dark), replacing ipywidgets' 1 px
   light blue. */
.course-a11y :is(button, select, input, textarea, [contenteditable="true"], .noUi-handle):focus-visible,
.course-a11y.widget-box[tabindex="-1"]:focus-visible,
.course-a11y .widget-box[tabindex="-1"]:focus-visible {
  outline: 3px solid var(--jp-brand-color0) !important;
  outline-offset: 2px !important;
}
/* A long option wraps onto more lines instead of running over the next option (ipywidgets gives
   every radio option one fixed line's height), so a click lands on the option the learner sees. */
.course-a11y .widget-radio-box label {
  display: flex !important;
  align-items: flex-start;
  height: auto !important;
  min-height: var(--jp-widgets-radio-item-height);
  line-height: 1.4 !important;
  padding: 2px 0;
}
.course-a11y .widget-radio-box input {
  order: -1; /* ipywidgets puts the input after the text and floats it left */
  flex: none;
  float: none !important;
  height: 1.4em !important;
  line-height: 1.4 !important;
  margin: 0 8px 0 1px !important;
}
/* Reflow (WCAG 1.4.10): a course widget fits its output area down to a 480 px notebook (the
   JupyterLab sidebar collapsed on a small screen; at 200 % zoom a window about 1,100 px wide) without
   clipping or a sideways scroll.
   ipywidgets lays a control out on one fixed-height line (description, slider, readout) and gives
   it a 2 px margin on each side; boxes scroll what does not fit. Here a control never takes more
   than the width it has (a fixed width set in Python, "520px", becomes a maximum; the side
   margins go, so a "100%" control is not 4 px too wide), and when the line is too short its parts
   wrap below each other: a long description wraps onto more lines, the slider keeps a usable
   track (at least 8em, so it never shrinks to nothing) and its number goes under the track's end
   when it does not fit beside it. */
.course-a11y .widget-inline-hbox {
  max-width: 100%;
  margin-left: 0 !important;
  margin-right: 0 !important;
  flex-wrap: wrap;
  height: auto !important;
  min-height: var(--jp-widgets-inline-height);
}
/* a row of controls (an on/off box beside its slider) puts the second below the first when both
   do not fit */
.course-a11y .widget-hbox {
  flex-wrap: wrap;
  max-width: 100%;
}
.course-a11y .widget-box > .jupyter-widgets:not(.widget-box) {
  max-width: 100%;
}
.course-a11y .widget-inline-hbox > .widget-label {
  max-width: 100%;
  text-wrap-mode: wrap; /* ipywidgets sets nowrap (CSS Text 4 longhand; Chromium 130, Firefox 124, Safari 17.4) */
  overflow-wrap: anywhere;
  line-height: 1.3 !important;
  padding: 5px 0;
  height: auto;
  text-overflow: clip;
  overflow: visible;
}
.course-a11y .widget-hslider .slider-container {
  min-width: 8em;
}
.course-a11y .widget-inline-hbox > .widget-readout {
  flex: none;
  margin-left: auto; /* wrapped onto a line of its own, it stays under the slider's end */
}
.course-a11y .widget-dropdown > select {
  min-width: 8em;
  max-width: 100%;
}
/* an on/off box or a choice with a long sentence wraps it instead of cutting it off */
.course-a11y .widget-label-basic {
  text-wrap-mode: wrap;
  overflow: visible;
  text-overflow: clip;
  height: auto;
  line-height: 1.4;
  max-width: 100%;
}
.course-a11y .widget-checkbox .widget-label-basic {
  display: flex;
  align-items: flex-start;
}
.course-a11y .widget-checkbox .widget-label-basic input {
  flex: none;
  margin-top: 0.25em;
}
/* HTML text (readouts, notes, tables) wraps long words instead of running out of the box */
.course-a11y .widget-html-content {
  overflow-wrap: anywhere;
  max-width: 100%;
}
/* A dotted word can be focused (keyboard) and tapped to show its definition. */
.jp-RenderedMarkdown abbr[data-course-term] { cursor: help; }
.jp-RenderedMarkdown abbr[data-course-term]:focus-visible {
  outline: 3px solid var(--jp-brand-color0);
  outline-offset: 2px;
}
.jp-RenderedMarkdown .course-term-definition { color: var(--jp-content-font-color1); font-style: italic; }
/* Course text follows the theme (no fixed colours): descriptions and readouts. */
.course-a11y .course-lab-description,
.course-a11y .course-lab-description p,
.course-a11y .course-lab-readout {
  color: var(--jp-content-font-color1) !important;
}
"""


class CourseAccess(anywidget.AnyWidget):
    """Invisible helper that adds keyboard and screen-reader access to the box it sits in.

    ``units`` maps a slider's visible description to its unit in words (see
    :func:`slider_units`).
    """

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    _css = traitlets.Unicode(_CSS).tag(sync=True)
    units = traitlets.Dict(value_trait=traitlets.Unicode()).tag(sync=True)


def course_access(controls: Mapping[str, widgets.Widget] | None = None,
                  control_units: Mapping[str, str] | None = None) -> CourseAccess:
    """The helper for one lab or quiz view: put it anywhere inside the view's outer box."""
    helper = CourseAccess(units=slider_units(controls or {}, control_units))
    helper.layout.display = "none"
    return helper
