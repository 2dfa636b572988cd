"""The Lab base: error safety, reset, presets, result listeners, one figure reused."""

import ipywidgets as widgets
import plotly.graph_objects as go
import pytest

from course_lib.widgets.base import Lab


class SquareLab(Lab):
    """A minimal lab: y = x**2 at the slider's x; x < 0 raises, to test error safety."""

    title = "Square lab"

    def _build_controls(self):
        return {"x": widgets.FloatSlider(value=2.0, min=-5, max=5, description="x")}

    def _build_figure(self):
        fig = go.FigureWidget()
        fig.add_scatter(x=[0.0], y=[0.0])
        return fig

    def _update(self):
        x = self.value("x")
        if x < 0:
            raise ValueError(f"x = {x} is not allowed: it must be from 0 to 5")
        with self.figure.batch_update():
            self.figure.data[0].x, self.figure.data[0].y = [x], [x * x]
        self.result = x * x
        self.set_readout(f"x squared is {x * x:g}")
        self._publish(x * x, f"{x * x:g}")


def test_update_runs_on_build_and_on_change():
    lab = SquareLab()
    assert lab.figure.data[0].y == (4.0,)
    lab.controls["x"].value = 3.0
    assert lab.figure.data[0].y == (9.0,) and "9" in lab.readout.value
    assert lab.update_count == 2


def test_error_in_update_is_shown_not_raised():
    lab = SquareLab()
    lab.controls["x"].value = -1.0  # must not raise
    assert "Something went wrong" in lab.readout.value and "x = -1.0" in lab.readout.value
    assert isinstance(lab.last_error, ValueError)
    assert lab.figure.data[0].y == (4.0,), "a failed update leaves the last good figure"
    lab.controls["x"].value = 1.0
    assert lab.last_error is None and lab.figure.data[0].y == (1.0,)


def test_reset_restores_defaults_in_one_update():
    lab = SquareLab()
    lab.controls["x"].value = 4.0
    before = lab.update_count
    lab.reset_button.click()
    assert lab.value("x") == 2.0 and lab.update_count == before + 1


def test_set_values_updates_once_and_rejects_unknown_controls():
    lab = SquareLab()
    before = lab.update_count
    lab.set_values(x=1.5)
    assert lab.update_count == before + 1 and lab.result == 2.25
    with pytest.raises(KeyError, match="unknown control"):
        lab.set_values(y=1)


def test_listeners_receive_results_and_a_broken_listener_is_contained():
    lab = SquareLab()
    seen = []
    lab.on_result(lambda value, text: 1 / 0)
    lab.on_result(lambda value, text: seen.append((value, text)))
    lab.controls["x"].value = 3.0
    assert seen == [(9.0, "9")]
    assert lab.last_error is None


def test_figure_is_built_once_and_reused():
    lab = SquareLab()
    fig = lab.figure
    for x in (1.0, 2.0, 3.0):
        lab.controls["x"].value = x
    assert lab.figure is fig and fig in lab.view.children


class TwoControlLab(SquareLab):
    """SquareLab plus an on/off box and a menu, to test set_values' checks."""

    def _build_controls(self):
        return {"x": widgets.FloatSlider(value=2.0, min=-5, max=5, description="Distance (cm)"),
                "on": widgets.Checkbox(value=True, description="Light on"),
                "colour": widgets.Dropdown(options=[("Red", "r"), ("Blue", "b")], value="r",
                                           description="Colour")}

    def _update(self):
        self.check_controls()
        super()._update()


@pytest.mark.parametrize("values, words", [
    ({"x": 7.0}, "Distance (cm) = 7.0 is not allowed: it must be a number from -5 to 5"),
    ({"x": float("nan")}, "Distance (cm) = nan is not allowed"),
    ({"x": float("inf")}, "Distance (cm) = inf"),
    ({"x": "3"}, "Distance (cm) = '3' is not allowed"),
    ({"x": True}, "Distance (cm) = True is not allowed"),
    ({"on": "no"}, "Light on = 'no' is not allowed: it must be True (on) or False (off)"),
    ({"on": 1}, "Light on = 1 is not allowed"),
    ({"colour": "green"}, "Colour = 'green' is not allowed: choose one of ['r', 'b']"),
])
def test_set_values_names_the_control_as_the_learner_sees_it(values, words):
    lab = TwoControlLab()
    with pytest.raises(ValueError) as error:
        lab.set_values(**values)
    assert words in str(error.value)


def test_set_values_is_all_or_nothing():
    lab = TwoControlLab()
    before = (lab.value("x"), lab.value("on"), lab.value("colour"), lab.update_count)
    for bad in ({"x": 1.0, "on": False, "colour": "green"},      # last one bad
                {"x": 99.0, "on": False},                         # first one bad
                {"on": False, "x": float("nan")}):
        with pytest.raises(ValueError):
            lab.set_values(**bad)
        assert (lab.value("x"), lab.value("on"), lab.value("colour"), lab.update_count) == before
    lab.set_values(x=1.0, on=False, colour="b")
    assert (lab.value("x"), lab.value("on"), lab.value("colour")) == (1.0, False, "b")


def test_a_nan_typed_into_a_slider_is_reported_by_its_visible_name():
    lab = TwoControlLab()
    lab.controls["x"].value = float("nan")          # ipywidgets keeps NaN (it only clamps numbers)
    assert isinstance(lab.last_error, ValueError)
    assert "Distance (cm) = nan is not allowed: it must be a number from -5 to 5" in lab.readout.value


class BesideLab(SquareLab):
    """SquareLab whose square is computed on the labs' worker thread."""

    def _update(self):
        x = self.value("x")
        square = self.beside(_square_or_raise, x)
        self.set_readout(f"x squared is {square.result():g}")


def _square_or_raise(x):
    import threading

    assert threading.current_thread() is not threading.main_thread(), "beside ran on the caller's thread"
    if x > 4:
        raise ValueError(f"x = {x} is too big for the worker")
    return x * x


def test_work_beside_the_update_returns_its_result_and_its_error_is_shown_not_raised():
    lab = BesideLab()
    assert "x squared is 4" in lab.readout.value
    lab.controls["x"].value = 4.5                           # the worker raises
    assert isinstance(lab.last_error, ValueError) and "too big" in lab.readout.value
    lab.controls["x"].value = 3.0                           # and the next update works again
    assert lab.last_error is None and "x squared is 9" in lab.readout.value
