"""The timeline of an invented case of notebook 06: the teaching model's pain signal and the nerve's
drive over the case's months, with its events marked (numbers from ``course_lib.cases.case_course``)."""

from __future__ import annotations

import numpy as np

from ..cases import TIPPED_ABOVE, case, pain_course_words
from ..models.timeline import GONE_LINE, PAIN_SIGNAL, RESOLVED_BELOW
from .figure_widget import CourseFigureWidget
from .style import DISPLAY_DTYPE, PALETTE, base_layout, shape_line


def describe_timeline(case_id: str, result) -> str:
    """The timeline figure in words (its wording follows the model's numbers)."""
    item = case(case_id)
    end = float(result.t_months[-1])
    course = pain_course_words(result)
    events = "; ".join(f"month {e.month:g}: {e.label}" for e in item.events)
    switch = ("The sensitisation level passes its tipping point and stays high."
              if result.S[-1] > TIPPED_ABOVE else "The sensitisation level stays below its tipping point.")
    return (f"Line chart of {item.name}'s invented case in the teaching model, from month 0 to {end:.0f}. "
            f"Lines: the {PAIN_SIGNAL} (0 to 100 % of its maximum) and the nerve's abnormal input (drive); dotted vertical lines mark "
            f"the events ({events}). In this teaching model {course}. {switch} This is a teaching model's "
            "course, not a prediction for a person.")


def build_timeline_figure(case_id: str, result) -> CourseFigureWidget:
    """The model pain signal and nerve drive over the case's months, with its events marked."""
    item = case(case_id)
    months = np.asarray(result.t_months, dtype=float)
    step = max(1, months.size // 600)  # a light figure: at most about 600 points per line
    fig = CourseFigureWidget(layout=base_layout(
        # short enough for a 480 px notebook (the longest name, Margaret, ran off the edge before)
        title=f"{item.name} (invented case): the model's course",
        xaxis={"title": "months from the start of the case"},
        yaxis={"title": "model pain signal (% of its maximum)", "range": [0, 105]},
        yaxis2={"title": "nerve's abnormal input (drive)", "overlaying": "y", "side": "right",
                "range": [0, 2.1], "showgrid": False},
        height=360, hovermode="closest"))
    fig.add_scatter(x=months[::step].astype(DISPLAY_DTYPE), y=result.pain_signal[::step].astype(DISPLAY_DTYPE),
                    name="model pain signal", mode="lines", line={"color": PALETTE["vermillion"], "width": 3})
    fig.add_scatter(x=months[::step].astype(DISPLAY_DTYPE), y=result.drive[::step].astype(DISPLAY_DTYPE),
                    name="nerve's drive", mode="lines", yaxis="y2",
                    line={"color": PALETTE["blue"], "width": 2, "dash": "dash"})
    fig.add_hline(y=RESOLVED_BELOW, **shape_line(PALETTE["grey"], "dot", 1),
                  annotation_text=f"{GONE_LINE:s}: gone below", annotation_position="bottom right")
    for event in item.events:
        fig.add_vline(x=event.month, **shape_line(PALETTE["black"], "dot", 1))
    return fig


__all__ = ["build_timeline_figure", "describe_timeline"]
