"""The base every lab in the course is built on.

A lab is a small interactive experiment: a few controls, one plotly FigureWidget and a sentence
that says in words what the figure shows. This class holds the wiring every lab shares, so each
lab only says what its controls are, how its figure looks and what one update does:

    control.observe -> Lab._on_change -> subclass._update() -> model -> figure.batch_update

What it guarantees, so a learner can never break a lab or a lesson:

* one FigureWidget per lab, built once and reused (each carries megabytes of JavaScript);
* an exception inside an update is caught and shown as a friendly message in the readout,
  never raised into the kernel;
* Reset restores every control's default value with a single update, not one per control;
* predict-then-observe quiz questions can listen to a lab's results through ``on_result``
  without the lab knowing anything about quizzes.
"""

from __future__ import annotations

import html
import logging
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import ipywidgets as widgets
import numpy as np

from ..figures.figure_widget import DESCRIPTION_STYLE, description_html

logger = logging.getLogger(__name__)

ResultListener = Callable[[Any, str], None]

def float_slider(description: str, value: float, low: float, high: float, step: float, fmt: str = ".1f", *,
                 continuous: bool = False, tooltip: str | None = None, max_width: str = "480px"
                 ) -> widgets.FloatSlider:
    """The course's slider: the label in full (``description_width: initial``), the readout's number
    format, and the output's width up to ``max_width`` (on a narrow screen the shared CSS of
    ``widgets/a11y.py`` wraps the label and the number). ``continuous`` updates while dragging; most
    labs run a model per step, so they update on release."""
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               readout_format=fmt, continuous_update=continuous, tooltip=tooltip,
                               style={"description_width": "initial"},
                               layout=widgets.Layout(width="100%", max_width=max_width))


# One worker thread for all labs of a kernel (see Lab.beside). One is enough: a lab update runs
# one job beside its own work, and jobs of one update run in the order they were handed over.
_BESIDE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="course-lab")


class Lab:
    """Base class for the course's labs. Subclasses implement the three ``_build``/``_update`` hooks.

    Attributes exposed for notebooks and tests:
        controls: name -> ipywidget (set ``.value`` to drive the lab programmatically)
        figure: the lab's single ``plotly.graph_objects.FigureWidget``
        readout: HTML sentence describing the current result in words (aria-live)
        description: HTML text description of the figure (alt text)
        result: the latest model result, whatever the subclass stores
        update_count, last_update_ms, last_error: for tests and benchmarks
    """

    title: str = "Lab"

    def __init__(self) -> None:
        self.result: Any = None
        self.update_count = 0
        self.last_update_ms = float("nan")
        self.last_error: Exception | None = None
        self._listeners: list[ResultListener] = []
        self.last_published: tuple[Any, str] | None = None
        self._suspend_updates = False

        self.controls: dict[str, widgets.Widget] = self._build_controls()
        self.defaults: dict[str, Any] = {
            name: control.value for name, control in self.controls.items() if hasattr(control, "value")
        }
        self.figure = self._build_figure()
        self.readout = widgets.HTML(layout=widgets.Layout(min_height="2.5em"))
        self.readout.add_class("course-lab-readout")
        self.description = widgets.HTML()
        self.description.add_class("course-lab-description")
        self.reset_button = widgets.Button(
            description="Reset", tooltip="Put every control back to its starting value", icon="undo"
        )
        self.reset_button.on_click(lambda _button: self.reset())

        for control in self.controls.values():
            if hasattr(control, "value"):
                control.observe(self._on_change, names="value")
        self.view = self._build_view()
        self.refresh()

    # ----- hooks for subclasses -------------------------------------------------------------
    def _build_controls(self) -> dict[str, widgets.Widget]:
        raise NotImplementedError

    def _build_figure(self):  # -> plotly.graph_objects.FigureWidget
        raise NotImplementedError

    def _update(self) -> None:
        """Read the controls, run the model, update ``self.figure`` and ``self.readout``."""
        raise NotImplementedError

    def _layout_controls(self) -> widgets.Widget:
        """Arrange the controls; subclasses may override for grouped layouts."""
        return widgets.VBox(list(self.controls.values()))

    # ----- shared behaviour -------------------------------------------------------------------
    def _build_view(self) -> widgets.Widget:
        heading = widgets.HTML(f"<b>{html.escape(self.title)}</b>")
        controls = widgets.VBox([self._layout_controls(), self.reset_button])
        if hasattr(self.figure, "accessible_name") and not self.figure.accessible_name:
            self.figure.accessible_name = f"Chart: {self.title}"  # read out when it has no title
        from .a11y import course_access  # keys, names, live region, focus style (issue 13)

        access = course_access(self.controls, getattr(self, "control_units", None))
        view = widgets.VBox([heading, controls, self.figure, self.readout, self.description, access])
        view.add_class("course-lab")
        return view

    @staticmethod
    def beside(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        """Start ``function(*args, **kwargs)`` on the labs' worker thread; ``.result()`` waits for it.

        For the part of an update the figure does not need (a threshold search), so it runs while
        this thread simulates the trace and redraws. The models' compiled integrators release
        Python's lock (numba ``nogil``), so on two cores both run at once; on one core it costs
        about what running them in turn does. Jobs run in the order they are handed over, one at
        a time; an error inside one is raised again by ``.result()``, where ``refresh`` catches it.
        """
        return _BESIDE.submit(function, *args, **kwargs)

    def value(self, name: str) -> Any:
        """The current value of control ``name``."""
        return self.controls[name].value

    def _on_change(self, _change: dict) -> None:
        if not self._suspend_updates:
            self.refresh()

    def refresh(self) -> None:
        """Run one update now, catching any error so the kernel and the lesson carry on."""
        start = time.perf_counter()
        try:
            self.check_controls()  # every lab: a refused value is named as the learner sees it
            self._update()
        except Exception as error:  # noqa: BLE001 - a lab must never raise into the notebook
            self.last_error = error
            logger.exception("lab update failed")
            self.readout.value = (
                "<span role='alert'><b>Something went wrong with this setting:</b> "
                f"{html.escape(str(error))}. Try another value, or press Reset.</span>"
            )
        else:
            self.last_error = None
        finally:
            self.last_update_ms = (time.perf_counter() - start) * 1000.0
            self.update_count += 1

    @contextmanager
    def updates_suspended(self) -> Iterator[None]:
        """Change controls without an update per change (the caller refreshes once after).
        Nested uses keep updates off until the outermost one ends."""
        before, self._suspend_updates = self._suspend_updates, True
        try:
            yield
        finally:
            self._suspend_updates = before

    def reset(self) -> None:
        """Restore every control's default value, then update once."""
        with self.updates_suspended():
            for name, default in self.defaults.items():
                self.controls[name].value = default
        self.refresh()

    def set_values(self, **values: Any) -> None:
        """Set several controls at once (a preset) with a single update.

        All or nothing: every value is checked first (the control exists; a number is finite
        and within the slider's range; an on/off box gets True or False; a menu gets one of
        its options), so a bad value changes nothing and the error names the control as the
        learner sees it, with its range.
        """
        unknown = set(values) - set(self.controls)
        if unknown:
            raise KeyError(f"unknown control(s) {sorted(unknown)}; this lab has {sorted(self.controls)}")
        checked = {}
        for name, new_value in values.items():
            problem = self.control_problem(name, new_value)
            if problem:
                raise ValueError(problem)
            checked[name] = self._plain(name, new_value)
        with self.updates_suspended():
            for name, new_value in checked.items():
                self.controls[name].value = new_value
        self.refresh()

    def _plain(self, name: str, value: Any) -> Any:
        """An accepted value as the control's own type (numpy's bool and numbers become Python's),
        so that assigning it cannot fail half-way through ``set_values``."""
        control = self.controls[name]
        if isinstance(control, widgets.Checkbox):
            return bool(value)
        if isinstance(control, (widgets.IntSlider, widgets.BoundedIntText)):
            return int(value)
        if isinstance(control, (widgets.FloatSlider, widgets.BoundedFloatText)):
            return float(value)
        return value

    # ----- error messages -----------------------------------------------------------------------
    def control_label(self, name: str) -> str:
        """The control's name as the learner sees it (its visible description)."""
        description = getattr(self.controls[name], "description", "") or ""
        return description.strip() or name

    def control_problem(self, name: str, value: Any) -> str | None:
        """Why ``value`` cannot go into control ``name``, in the learner's words (None if it can).

        Example: "Nav1.7 conductance (% of normal) = 500 is not allowed: it must be a number
        from 0 to 200" (no full stop: the readout adds its own sentence after it).
        """
        control = self.controls[name]
        label = self.control_label(name)
        if isinstance(control, widgets.Checkbox):
            if not isinstance(value, (bool, np.bool_)):
                return f"{label} = {value!r} is not allowed: it must be True (on) or False (off)"
            return None
        if isinstance(control, (widgets.FloatSlider, widgets.IntSlider,
                                widgets.BoundedFloatText, widgets.BoundedIntText)):
            low, high = control.min, control.max
            allowed = f"it must be a number from {low:g} to {high:g}"
            if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
                return f"{label} = {value!r} is not allowed: {allowed}"
            if not math.isfinite(float(value)) or not low <= float(value) <= high:
                return f"{label} = {value!r} is not allowed: {allowed}"
            if isinstance(control, (widgets.IntSlider, widgets.BoundedIntText)) and value != int(value):
                return f"{label} = {value!r} is not allowed: it must be a whole number from {low} to {high}"
            return None
        options = getattr(control, "options", None)
        if options is not None:
            allowed_values = [o[1] if isinstance(o, tuple) else o for o in options]
            if value not in allowed_values:
                return f"{label} = {value!r} is not allowed: choose one of {allowed_values}"
        return None

    def check_controls(self) -> None:
        """Raise ValueError (in the learner's words) if any control holds a value its lab cannot use.

        A slider set directly to NaN keeps it (ipywidgets only clamps numbers), so every update
        (``refresh``) calls this first: the readout then names the control, not a model parameter.
        """
        for name, control in self.controls.items():
            if hasattr(control, "value"):
                problem = self.control_problem(name, control.value)
                if problem:
                    raise ValueError(problem)

    def on_result(self, listener: ResultListener) -> None:
        """Call ``listener(value, description)`` after every successful update from now on."""
        self._listeners.append(listener)

    def _publish(self, value: Any, description: str) -> None:
        """Hand the latest result to listeners (e.g. a predict-then-observe question)."""
        self.last_published = (value, description)
        for listener in list(self._listeners):
            try:
                listener(value, description)
            except Exception:  # noqa: BLE001 - a broken listener must not break the lab
                logger.exception("result listener failed")

    def set_readout(self, sentence: str) -> None:
        """Show ``sentence`` (plain text) as the live readout.

        Only the text changes: the readout widget's own element is the one polite live region
        (marked by the browser helper in :mod:`course_lib.widgets.a11y`), so a screen reader
        announces each new sentence instead of meeting a new region every time.
        """
        self.readout.value = html.escape(sentence)

    def set_description(self, text: str) -> None:
        """Show the figure's text description (plain text) under the figure.

        The paragraph carries the figure's ``description_id``, so the chart's ``aria-describedby``
        resolves to it; its colour is the theme's text colour (readable in light and dark).
        """
        self.description.value = description_html(
            self.figure, f"<b>Figure description:</b> {html.escape(text)}", style=DESCRIPTION_STYLE
        )

    def placeholder_name(self) -> str:
        """How the first-view placeholder names this lab ("the channel lab")."""
        return "the " + self.title.split(":", 1)[0].strip().lower()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        # The widget view, plus a "run this cell" placeholder that a notebook opened without
        # running (untrusted, or with no widget state) shows instead of an error or a repr: the
        # instruction, a still picture of the figure as it is now (at first display, the starting
        # setting) and the placeholder's details under it.
        from ..placeholder import with_placeholder

        return with_placeholder(self.view._repr_mimebundle_(**kwargs), self.placeholder_name(),
                                self.placeholder_details(), figure=self.placeholder_figure())

    def _ipython_display_(self) -> None:
        # Published as display_data (as the bare view was before), with the placeholders beside it.
        from IPython.display import display

        display(self._repr_mimebundle_(), raw=True)

    def placeholder_details(self) -> str:
        """What the placeholder says besides "run this cell": the default figure's description."""
        return self.description.value

    def placeholder_figure(self):
        """The figure the placeholder pictures (as it is at first display: the starting setting), or None.

        A lab class that words its own placeholder instead of describing its figure (the mystery
        neuron: its figure shows one random hidden change, not the one a learner will meet) shows no
        picture of it either; override this to picture something else. A lab connected to a Predict
        question keeps its picture (its starting setting is never the one the question asks about,
        as in the Explore edition; ``tests/unit/test_first_view_pictures.py`` checks it).
        """
        if type(self).placeholder_details is not Lab.placeholder_details:
            return None
        return self.figure
