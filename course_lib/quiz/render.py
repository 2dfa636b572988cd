"""Quiz widgets: ipywidgets views over :mod:`session` and :mod:`grading`.

Accessibility: answers use native controls (RadioButtons, Checkbox, Dropdown, Text), so they
work from the keyboard and with a screen reader; every verdict is written in words, and the
colour bar beside it only repeats what the words say.

DESIGN note (live regions): a screen reader announces a change inside a live region that
already exists; a region inserted together with its text is often not announced. An
``ipywidgets.HTML`` widget replaces its whole inner HTML on every change, so a
``role="status"`` div inside its value is a new element each time. The verdict and the hints
are therefore :class:`LiveRegion` widgets (a few lines of anywidget, which the course already
installs for plotly): the ``role="status" aria-live="polite" aria-atomic="true"`` element is
created once when the question is displayed, and each update replaces only what is inside it.
DOM to expect, per question: ``.course-quiz .course-quiz-verdict > div.course-quiz-live[role=status]``
(empty until the first verdict; the "Predict first" note of a predict question is its first
content) and ``.course-quiz .course-quiz-hints > div.course-quiz-live[role=status]``.

DESIGN note (focus): a focused button is never disabled or hidden, which would drop focus to
the page body. "Lock in my prediction" stays enabled and becomes "Prediction locked in"
(pressing it again changes nothing); "Show a hint" becomes "No more hints". Where a focused
control must go away (Predict again, the reset confirmation), focus is first moved to the
control the learner needs next with ipywidgets' ``DOMWidget.focus()``, then it is hidden.
Every question's and quiz's outer box has the CSS class ``course-quiz``, for keyboard handling.

Robustness: every button callback goes through :func:`_guarded`. An exception inside it is
logged and shown in the widget as a friendly sentence; it is never raised into the kernel.

Test hooks (each question object): ``.controls`` (dict of answer widgets), ``.set_answer()``,
``.check_button`` / ``.check()``, ``.verdict.value`` (the verdict in words), ``.hint_button``,
``.show_answer_button``, ``.status.value`` (saved history), ``.view`` (the VBox to display).
"""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as W
import traitlets

from . import observations
from .grading import CORRECT, MATCH, PARTLY, Verdict, describe_prediction, echo, observed_option
from .loader import available_banks, load_bank
from .progress import ProgressStore, SummaryRow, get_store
from .schema import (
    Bank,
    CategoriseQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderQuestion,
    PredictQuestion,
    Question,
    SingleQuestion,
    quiz_intro,
)
from .session import PredictSession, QuestionSession
from .text import markdown_inline

log = logging.getLogger(__name__)

# Okabe-Ito colours; the words carry the meaning, the bar only repeats it.
_BAR = {"good": "#009E73", "partial": "#E69F00", "bad": "#D55E00", "info": "#0072B2"}
_PLEASE_RETRY = ("Something went wrong inside the quiz ({error}). Your saved progress is safe: "
                 "try again, or re-run this cell.")


# ----------------------------------------------------------------------------- helpers

def _full() -> W.Layout:
    """A fresh auto-width layout. Never share one Layout between widgets: hiding one widget
    (``layout.display = "none"``) would hide every widget sharing its layout."""
    return W.Layout(width="auto")


def _box(kind: str, inner_html: str) -> str:
    """A verdict or note with a colour bar; the words carry the meaning. No ARIA role here:
    the :class:`LiveRegion` around it is the (single, persistent) live region."""
    return (f'<div style="border-left:4px solid {_BAR[kind]}; padding:2px 8px; '
            f'margin:4px 0">{inner_html}</div>')


class LiveRegion(anywidget.AnyWidget):
    """HTML shown inside an ARIA live region that exists from the first display and is
    updated in place (see the DESIGN note at the top of this module). ``.value`` is HTML."""

    _esm = Path(__file__).with_name("live_region.js")
    value = traitlets.Unicode("").tag(sync=True)

    def __init__(self, value: str = "", css_class: str = "", **kwargs: Any):
        super().__init__(value=value, **kwargs)
        if css_class:
            self.add_class(css_class)


def verdict_html(verdict: Verdict) -> str:
    if not verdict.valid:
        kind = "info"
    elif verdict.headline in (CORRECT, MATCH):
        kind = "good"
    elif verdict.headline == PARTLY:
        kind = "partial"
    elif verdict.correct:
        kind = "good"
    elif verdict.score > 0:
        kind = "partial"
    else:
        kind = "bad" if verdict.headline != "Prediction saved" else "info"
    body = " ".join(markdown_inline(f) for f in verdict.feedback if f)
    return _box(kind, f"<strong>{html.escape(verdict.headline)} —</strong> {body}")


def _guarded(owner: Any, action: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a callback so an error is shown in ``owner.verdict`` instead of raised."""

    @functools.wraps(action)
    def safe(*args: Any, **kwargs: Any) -> Any:
        try:
            return action(*args, **kwargs)
        except Exception as exc:  # nothing a learner does may crash the kernel
            log.exception("quiz callback failed")
            message = _PLEASE_RETRY.format(error=f"{type(exc).__name__}: {echo(str(exc))}")
            try:
                owner.verdict.value = _box("info", html.escape(message))
            except Exception:
                pass
            return None

    return safe


# ----------------------------------------------------------------------------- questions

class QuestionWidget:
    """Base class: prompt, answer controls, Check / Hint / Show answer, verdict, history."""

    session: QuestionSession

    def __init__(self, notebook: str, question: Question, store: ProgressStore | None = None,
                 number: int | None = None):
        self.notebook = notebook
        self.question = question
        self.session = self._make_session(notebook, question, store)
        label = f"Question {number}" if number is not None else "Question"
        self.prompt = W.HTML(f"<p><strong>{label}.</strong> {markdown_inline(question.prompt)}</p>")
        self.controls: dict[str, W.Widget] = self._build_controls()
        self.check_button = W.Button(description=self._check_label, button_style="primary",
                                     tooltip=self._check_tooltip, layout=_full())
        self.hint_button = W.Button(description="Show a hint", layout=_full(),
                                    tooltip="Reveal the next hint, one at a time")
        self.show_answer_button = W.Button(description="Show answer", layout=_full(),
                                           tooltip="Reveal the answer and explanation")
        self.verdict = LiveRegion(css_class="course-quiz-verdict")
        self.hints = LiveRegion(css_class="course-quiz-hints")
        self.explanation = W.HTML(value="")
        self.status = W.HTML(value="")
        self.check_button.on_click(_guarded(self, lambda _b: self._on_check()))
        self.hint_button.on_click(_guarded(self, lambda _b: self.show_hint()))
        self.show_answer_button.on_click(_guarded(self, lambda _b: self.show_answer()))
        self.hint_button.layout.display = None if question.hints else "none"
        buttons = W.HBox([self.check_button, self.hint_button, self.show_answer_button])
        from ..widgets.a11y import course_access  # keys stay in the quiz; radio groups (issue 13)
        self.view = W.VBox([self.prompt, self._controls_view(), buttons, self.hints,
                            self.verdict, self.explanation, self.status, course_access()],
                           layout=W.Layout(margin="0 0 16px 0"))
        self.view.add_class("course-quiz")
        self._refresh_status()

    _check_label = "Check"
    _check_tooltip = "Check your answer"

    # subclasses implement these
    def _make_session(self, notebook: str, question: Question,
                      store: ProgressStore | None) -> QuestionSession:
        return QuestionSession(notebook, question, store)

    def _build_controls(self) -> dict[str, W.Widget]:
        raise NotImplementedError

    def _controls_view(self) -> W.Widget:
        return W.VBox(list(self.controls.values()))

    def answer(self) -> Any:
        raise NotImplementedError

    def set_answer(self, value: Any) -> None:
        raise NotImplementedError

    # shared behaviour
    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        # widget view plus a "run this cell" placeholder for a notebook opened without running
        from ..placeholder import with_placeholder

        return with_placeholder(self.view._repr_mimebundle_(**kwargs), "this question",
                                f"The question: {self.question.prompt}")

    def check(self) -> Verdict | None:
        """Check the current answer (what the Check button does). Never raises."""
        return _guarded(self, self._on_check)()

    def _on_check(self) -> Verdict:
        verdict = self.session.submit(self.answer())
        # One assignment per check: each change of a live region may be announced.
        shown = verdict_html(verdict)
        if verdict.valid and not verdict.correct and not self.session.revealed:
            left = self.session.attempts_left
            shown += _box("info", f"{left} attempt{'s' if left != 1 else ''} left before the "
                                  "answer is shown.")
        if verdict.valid and (self.session.saved_record or {}).get("answered_after_reveal"):
            shown += _box("info", "The answer was shown before this try, so it is saved as "
                                  "“answer shown” and does not change your score.")
        self.verdict.value = shown
        self._refresh_explanation()
        self._refresh_status()
        return verdict

    def show_hint(self) -> str | None:
        hint = self.session.next_hint()
        shown = self.session.shown_hints()
        total = len(self.question.hints)
        self.hints.value = "".join(
            _box("info", f"<strong>Hint {i + 1} of {total}:</strong> {markdown_inline(h)}")
            for i, h in enumerate(shown))
        if self.session.hints_left <= 0:
            # Not disabled: the learner's focus is on this button (see the DESIGN note).
            self.hint_button.description = "No more hints"
            self.hint_button.tooltip = "All the hints for this question are shown above"
        else:
            self.hint_button.description = f"Show hint {len(shown) + 1} of {total}"
        return hint

    def show_answer(self) -> str:
        answer = self.session.reveal()
        self._refresh_explanation()
        self._refresh_status()
        return answer

    def _refresh_explanation(self) -> None:
        if not self.session.explanation_visible:
            self.explanation.value = ""
            return
        parts = []
        if self.session.revealed and not self.session.solved:
            parts.append(f"<p><strong>Answer:</strong> "
                         f"{markdown_inline(self.question.answer_text())}</p>")
        parts.append(f"<p><strong>Why:</strong> {markdown_inline(self.question.explanation)}</p>")
        if self.question.source:
            parts.append(f"<p><small>Source: {markdown_inline(self.question.source)}</small></p>")
        self.explanation.value = "".join(parts)

    def _refresh_status(self) -> None:
        note = ""
        if not self.session.store.can_save:
            note = (" Progress cannot be saved on this computer at the moment: your answers "
                    "count in this session only.")
        self.status.value = (f"<small>Your progress: {html.escape(self.session.status())}"
                             f"{html.escape(note)}</small>")


class SingleChoiceWidget(QuestionWidget):
    question: SingleQuestion

    def _build_controls(self) -> dict[str, W.Widget]:
        radio = W.RadioButtons(options=[(o.text, o.id) for o in self.question.options],
                               value=None, description="Your answer:", layout=_full(),
                               style={"description_width": "initial"})
        return {"choice": radio}

    def answer(self) -> Any:
        return self.controls["choice"].value

    def set_answer(self, value: Any) -> None:
        self.controls["choice"].value = value


class MultipleChoiceWidget(QuestionWidget):
    question: MultipleQuestion

    def _build_controls(self) -> dict[str, W.Widget]:
        return {o.id: W.Checkbox(value=False, description=o.text, indent=False, layout=_full())
                for o in self.question.options}

    def _controls_view(self) -> W.Widget:
        note = W.HTML("<em>Tick every statement that is true.</em>")
        return W.VBox([note, *self.controls.values()])

    def answer(self) -> Any:
        return {oid for oid, box in self.controls.items() if box.value}

    def set_answer(self, value: Any) -> None:
        """``value``: option ids to tick, or {option id: True/False} (only True ticks)."""
        if isinstance(value, dict):
            chosen = {oid for oid, ticked in value.items() if ticked is True}
        elif isinstance(value, str):
            chosen = {value}
        else:
            chosen = set(value)
        for oid, box in self.controls.items():
            box.value = oid in chosen


class NumericWidget(QuestionWidget):
    question: NumericQuestion

    def _build_controls(self) -> dict[str, W.Widget]:
        unit = f" (in {self.question.unit})" if self.question.unit else ""
        return {"value": W.Text(value="", placeholder="type a number",
                                description=f"Your answer{unit}:", continuous_update=False,
                                style={"description_width": "initial"})}

    def answer(self) -> Any:
        return self.controls["value"].value

    def set_answer(self, value: Any) -> None:
        self.controls["value"].value = str(value)


_CHOOSE = "— choose —"


class CategoriseWidget(QuestionWidget):
    """One Dropdown per item: the item text is shown above its dropdown, and the dropdown's
    own label names the item number, so a screen reader user knows which one they sort."""

    question: CategoriseQuestion

    def _build_controls(self) -> dict[str, W.Widget]:
        choices = [(_CHOOSE, None)] + [(g.label, g.id) for g in self.question.groups]
        return {item.id: W.Dropdown(options=choices, value=None, description=f"Item {i + 1} is:",
                                    style={"description_width": "initial"})
                for i, item in enumerate(self.question.items)}

    def _controls_view(self) -> W.Widget:
        rows = []
        for i, item in enumerate(self.question.items):
            text = W.HTML(f"<p><strong>Item {i + 1}.</strong> {markdown_inline(item.text)}</p>")
            rows.append(W.VBox([text, self.controls[item.id]]))
        return W.VBox(rows)

    def answer(self) -> Any:
        return {iid: dd.value for iid, dd in self.controls.items()}

    def set_answer(self, value: Any) -> None:
        for iid, dd in self.controls.items():
            dd.value = value.get(iid)


class OrderWidget(QuestionWidget):
    """Steps are shown shuffled (the same shuffle each time, seeded by the question id) with
    one position Dropdown per step."""

    question: OrderQuestion

    def _build_controls(self) -> dict[str, W.Widget]:
        n = len(self.question.steps)
        self.display_order = self.question.shuffled_steps()
        choices = [(_CHOOSE, None)] + [(str(k), k) for k in range(1, n + 1)]
        return {step.id: W.Dropdown(options=choices, value=None,
                                    description=f"Position of step {chr(65 + i)}:",
                                    style={"description_width": "initial"})
                for i, step in enumerate(self.display_order)}

    def _controls_view(self) -> W.Widget:
        rows = [W.HTML("<em>Give each step its position: 1 happens first.</em>")]
        for i, step in enumerate(self.display_order):
            text = W.HTML(f"<p><strong>Step {chr(65 + i)}.</strong> {markdown_inline(step.text)}</p>")
            rows.append(W.VBox([text, self.controls[step.id]]))
        return W.VBox(rows)

    def answer(self) -> Any:
        return {sid: dd.value for sid, dd in self.controls.items()}

    def set_answer(self, value: Any) -> None:
        """``value``: step ids in the learner's order, or {step id: position}."""
        positions = value if isinstance(value, dict) else {sid: k + 1 for k, sid in enumerate(value)}
        for sid, dd in self.controls.items():
            dd.value = positions.get(sid)


class PredictWidget(QuestionWidget):
    """Commit a prediction (choice or number), then a lab reports via ``observe``; the widget
    shows the prediction beside the model's result and whether they match."""

    question: PredictQuestion
    session: PredictSession
    _check_label = "Lock in my prediction"
    _check_tooltip = ("Lock in your prediction before you run the lab; you can predict again "
                      "after you have compared it with the model")
    _locked_label = "Prediction locked in"
    _locked_tooltip = "Your prediction is locked in: now run the lab to compare"

    def _make_session(self, notebook: str, question: Question,
                      store: ProgressStore | None) -> QuestionSession:
        session = PredictSession(notebook, question, store)  # type: ignore[arg-type]
        session.add_listener(_guarded(self, lambda _s: self._show_comparison()))
        return session

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.comparison = W.HTML(value="")
        self.predict_again_button = W.Button(description="Predict again", layout=_full(),
                                             tooltip="Clear your prediction to try a new one")
        self.predict_again_button.layout.display = "none"
        self.predict_again_button.on_click(_guarded(self, lambda _b: self._predict_again()))
        self.show_answer_button.layout.display = "none"  # the lab is the answer
        self.view.children = (*self.view.children[:5], self.comparison,
                              self.predict_again_button, *self.view.children[5:])
        task = markdown_inline(self.question.task)
        self.verdict.value = _box("info", f"<strong>Predict first —</strong> then {task}")

    def _build_controls(self) -> dict[str, W.Widget]:
        if self.question.prediction == "numeric":
            unit = f" (in {self.question.unit})" if self.question.unit else ""
            return {"prediction": W.Text(value="", placeholder="type a number",
                                         description=f"My prediction{unit}:",
                                         continuous_update=False,
                                         style={"description_width": "initial"})}
        return {"prediction": W.RadioButtons(
            options=[(o.text, o.id) for o in self.question.options], value=None,
            description="My prediction:", layout=_full(), style={"description_width": "initial"})}

    def answer(self) -> Any:
        return self.controls["prediction"].value

    def set_answer(self, value: Any) -> None:
        widget = self.controls["prediction"]
        widget.value = str(value) if self.question.prediction == "numeric" else value

    def observe(self, value: Any, description: str = "") -> None:
        """Hand a lab's result to this question (same as ``course_lib.quiz.observe``)."""
        observations.observe(self.question.id, value, description, notebook=self.notebook)

    def _on_check(self) -> Verdict:
        already_locked = self.session.prediction is not None
        verdict = self.session.commit(self.answer())
        if already_locked:
            return verdict  # pressing "Prediction locked in" again changes nothing on screen
        if self.session.prediction is not None:
            self.controls["prediction"].disabled = True
            self._set_locked(True)
        if self.session.comparison is None:  # else the listener has drawn the comparison
            self.verdict.value = verdict_html(verdict)
        return verdict

    def _set_locked(self, locked: bool) -> None:
        """The Lock-in button shows the state in its label; it is never disabled, because it
        holds the keyboard focus at that moment (see the DESIGN note)."""
        self.check_button.description = self._locked_label if locked else self._check_label
        self.check_button.tooltip = self._locked_tooltip if locked else self._check_tooltip
        self.check_button.button_style = "" if locked else "primary"
        self.check_button.icon = "lock" if locked else ""

    def _show_comparison(self) -> None:
        verdict = self.session.comparison
        observation = self.session.observation
        if verdict is None or observation is None:
            return
        self.verdict.value = verdict_html(verdict)
        if verdict.valid:
            said = self._describe(self.session.prediction)
            seen = self._describe_observation(observation.value)
            lab = markdown_inline(observation.description) if observation.description else ""
            self.comparison.value = (
                "<table><caption>Your prediction beside the model's result</caption>"
                "<tr><th scope='col'>Your prediction</th><th scope='col'>Model's result</th>"
                f"<th scope='col'>Match?</th></tr><tr><td>{html.escape(said)}</td>"
                f"<td>{html.escape(seen)}<br><small>{lab}</small></td>"
                f"<td>{'Yes' if verdict.correct else 'No'}</td></tr></table>")
            self.predict_again_button.layout.display = None
        self._refresh_explanation()
        self._refresh_status()

    def _describe(self, value: Any) -> str:
        return describe_prediction(self.question, value)

    def _describe_observation(self, value: Any) -> str:
        if self.question.prediction == "numeric":
            return self._describe(value)
        option = observed_option(self.question, value)
        return option.text if option else echo(value)

    def _predict_again(self) -> None:
        self.session.reset_prediction()
        self.controls["prediction"].disabled = False
        self._set_locked(False)
        self.comparison.value = ""
        # Focus first, then hide: the focused Predict again button must not vanish under it.
        self.check_button.focus()
        self.predict_again_button.layout.display = "none"
        self.verdict.value = _box("info", "<strong>Predict again —</strong> choose a new "
                                          "prediction and lock it in, then run the lab again.")


_WIDGETS: dict[str, type[QuestionWidget]] = {
    "single": SingleChoiceWidget,
    "multiple": MultipleChoiceWidget,
    "numeric": NumericWidget,
    "categorise": CategoriseWidget,
    "order": OrderWidget,
    "predict": PredictWidget,
}


def question_widget(notebook_or_path: str, question_id: str, store: ProgressStore | None = None,
                    number: int | None = None) -> QuestionWidget:
    """One question, numbered by its position in the bank unless ``number`` is given."""
    bank = load_bank(notebook_or_path)
    question = bank.get(question_id)
    if number is None:
        number = bank.ids.index(question_id) + 1
    return _WIDGETS[question.type](bank.notebook, question, store, number)


# ----------------------------------------------------------------------------- progress

class ResetControl:
    """"Reset progress" that asks for confirmation before deleting anything."""

    def __init__(self, store: ProgressStore, notebook: str | None,
                 on_done: Callable[[], None] | None = None):
        self.store = store
        self.notebook = notebook
        self.on_done = on_done
        what = f"progress for {notebook}" if notebook else "all quiz progress"
        self.verdict = W.HTML("")  # messages (named so _guarded can report errors here)
        self.reset_button = W.Button(description="Reset progress…", layout=_full(),
                                     tooltip=f"Delete {what}")
        self.confirm_button = W.Button(description="Yes, delete it", button_style="danger",
                                       layout=_full())
        self.cancel_button = W.Button(description="Cancel", layout=_full())
        self.question = W.HTML(f"Delete {html.escape(what)}? This cannot be undone.")
        self.confirm_row = W.HBox([self.question, self.confirm_button, self.cancel_button])
        self.confirm_row.layout.display = "none"
        self.reset_button.on_click(_guarded(self, lambda _b: self.ask()))
        self.confirm_button.on_click(_guarded(self, lambda _b: self.confirm()))
        self.cancel_button.on_click(_guarded(self, lambda _b: self.cancel()))
        self.view = W.VBox([self.reset_button, self.confirm_row, self.verdict])

    def ask(self) -> None:
        self.confirm_row.layout.display = None
        self.verdict.value = ""

    def cancel(self) -> None:
        self.reset_button.focus()  # before hiding the focused Cancel button
        self.confirm_row.layout.display = "none"
        self.verdict.value = "Nothing was deleted."

    def confirm(self) -> None:
        if self.confirm_row.layout.display == "none":
            return  # a reset needs the question asked first
        self.store.reset(self.notebook)
        observations.forget(self.notebook)
        self.reset_button.focus()  # before hiding the focused confirm button
        self.confirm_row.layout.display = "none"
        self.verdict.value = "Progress deleted."
        if self.on_done is not None:
            self.on_done()


def summary_html(rows: list[SummaryRow]) -> str:
    head = ("<table><caption>Your quiz progress across the course</caption><tr>"
            "<th scope='col'>Notebook</th><th scope='col'>Questions tried</th>"
            "<th scope='col'>Last answer correct</th><th scope='col'>Score</th>"
            "<th scope='col'>Predictions compared</th></tr>")
    body = []
    for r in rows:
        predictions = (f"{r.predictions_made} of {r.predictions} "
                       f"({r.predictions_matched} matched)" if r.predictions else "—")
        body.append(
            f"<tr><td>{html.escape(r.title)}<br><small>{html.escape(r.notebook)}</small></td>"
            f"<td>{r.attempted} of {r.questions}</td><td>{r.correct} of {r.questions}</td>"
            f"<td>{r.score_percent:.0f} %</td><td>{predictions}</td></tr>")
    return head + "".join(body) + "</table>"


class ProgressView:
    """The summary table plus a reset (one notebook or all) with confirmation."""

    def __init__(self, store: ProgressStore | None = None):
        from . import progress_summary

        self.store = store if store is not None else get_store()
        self._summary = progress_summary
        self.table = W.HTML("")
        self.verdict = W.HTML("")
        self.notebook_choice = W.Dropdown(
            options=[("All notebooks", None)] + [(nb, nb) for nb in available_banks()],
            value=None, description="Reset:", style={"description_width": "initial"})
        self.reset = ResetControl(self.store, None, on_done=self.refresh)
        self.notebook_choice.observe(_guarded(self, self._choose), names="value")
        from ..widgets.a11y import course_access  # keys stay in the widget (issue 13)

        self.view = W.VBox([self.table, W.HBox([self.notebook_choice, self.reset.view]),
                            self.verdict, course_access()])
        self.view.add_class("course-quiz")
        self.refresh()

    def _choose(self, change: dict[str, Any]) -> None:
        self.reset.notebook = change["new"]
        what = f"progress for {change['new']}" if change["new"] else "all quiz progress"
        self.reset.question.value = f"Delete {html.escape(what)}? This cannot be undone."
        self.reset.confirm_row.layout.display = "none"

    def refresh(self) -> None:
        self.rows = self._summary(self.store)
        self.table.value = summary_html(self.rows)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.view._repr_mimebundle_(**kwargs)


# ----------------------------------------------------------------------------- whole quiz

class QuizView:
    """A notebook's quiz: title, questions (all or chosen ids) and a per-notebook reset."""

    def __init__(self, bank: Bank, ids: list[str] | None = None,
                 store: ProgressStore | None = None):
        self.bank = bank
        self.store = store if store is not None else get_store()
        # Shown in bank order whatever order ``ids`` lists them in, so the numbers (bank
        # positions) always ascend down the page.
        chosen = bank.select(ids)
        self.questions = [
            _WIDGETS[q.type](bank.notebook, q, self.store, number=bank.questions.index(q) + 1)
            for q in chosen]
        header = (f"<h3>{html.escape(bank.title)}</h3>"
                  f"<p>{markdown_inline(quiz_intro(bank, ids))}</p>")
        self.reset = ResetControl(self.store, bank.notebook, on_done=self._after_reset)
        from ..widgets.a11y import course_access  # the reset control's keys stay in the quiz too
        self.view = W.VBox([W.HTML(header), *[q.view for q in self.questions], self.reset.view,
                            course_access()])
        self.view.add_class("course-quiz")

    def __getitem__(self, question_id: str) -> QuestionWidget:
        return next(q for q in self.questions if q.question.id == question_id)

    def _after_reset(self) -> None:
        for q in self.questions:
            q.session.saved_record = None
            q._refresh_status()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        # widget view plus a "run this cell" placeholder for a notebook opened without running
        from ..placeholder import with_placeholder

        return with_placeholder(self.view._repr_mimebundle_(**kwargs), "the quiz", self.bank.title)


def make_quiz(notebook_or_path: str, ids: list[str] | None = None,
              store: ProgressStore | None = None) -> QuizView:
    return QuizView(load_bank(notebook_or_path), ids, store)
