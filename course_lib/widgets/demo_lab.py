"""The start-here demo lab: one slider moves a toy fibre's threshold and the plot follows."""

from __future__ import annotations

import ipywidgets as widgets

from ..figures.demo import (
    GENTLE_TOUCH,
    build_response_figure,
    describe_response_figure,
    update_response_figure,
)
from ..models.demo import RANGES, ToyFibreParams, firing_rate_hz, response_curve
from .base import Lab

START = ToyFibreParams()


class ThresholdDemoLab(Lab):
    """Drag the threshold slider: the response curve shifts and the readout says what changed."""

    title = "Demo lab: how a fibre's threshold changes its response (a teaching toy)"

    def _build_controls(self) -> dict[str, widgets.Widget]:
        low, high = RANGES["threshold"]
        return {
            "threshold": widgets.FloatSlider(
                value=START.threshold,
                min=low,
                max=high,
                step=0.5,
                description="Threshold (stimulus strength)",
                continuous_update=True,  # the toy model takes microseconds, so follow the drag live
                style={"description_width": "initial"},
                layout=widgets.Layout(width="480px"),
            )
        }

    def _build_figure(self):
        fig = build_response_figure()
        self._strengths, self._baseline = response_curve(START)
        return fig

    def _update(self) -> None:
        self.check_controls()
        params = ToyFibreParams(threshold=self.value("threshold"))
        strengths, rate = response_curve(params)
        touch = float(firing_rate_hz(GENTLE_TOUCH, params))
        update_response_figure(self.figure, strengths, self._baseline, rate, touch)
        self.result = {"threshold": params.threshold, "touch_rate_hz": touch}
        self.set_readout(
            f"Threshold {params.threshold:g}: a gentle touch (strength {GENTLE_TOUCH:g}) makes the toy "
            f"fibre fire at {touch:.0f} impulse{'' if round(touch) == 1 else 's'} per second "
            f"(at the start: {float(firing_rate_hz(GENTLE_TOUCH, START)):.0f})."
        )
        self.set_description(describe_response_figure(params.threshold, START.threshold, touch))
        self._publish(touch, f"{touch:.0f} Hz at threshold {params.threshold:g}")
