"""Issue 23 items 3-4 without a browser: the house rule for marks that must reach 3:1 (WCAG 1.4.11).

The browser test (tests/browser/test_contrast_and_reflow.py) measures what the page draws; these check
the rule itself in figures.style, and that the figures use it where the issue found marks too faint.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from course_lib.figures import style
from course_lib.figures.figure_widget import CourseFigureWidget
from course_lib.figures.style import (BASELINE_COLOUR, DARK_BACKGROUND, LIGHT_BACKGROUND, LIGHT_PAGE_SHADES,
                                      MIN_MARK_CONTRAST, PALETTE, contrast_ratio, mark_shade, marker_edge,
                                      shape_line, theme_css)


def test_contrast_ratio_matches_wcag_examples():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    # the numbers: black on JupyterLab's dark page, the palette's orange on white
    assert contrast_ratio(PALETTE["black"], DARK_BACKGROUND) == pytest.approx(1.11, abs=0.01)
    assert contrast_ratio(PALETTE["orange"], LIGHT_BACKGROUND) == pytest.approx(2.25, abs=0.01)
    # a translucent colour is drawn over the background first
    assert contrast_ratio("rgba(0, 0, 0, 0)", "#FFFFFF") == pytest.approx(1.0)


@pytest.mark.parametrize("name", [n for n in PALETTE if n != "black"])
def test_every_palette_colour_has_a_shade_readable_on_both_pages(name):
    shade = mark_shade(PALETTE[name])
    assert contrast_ratio(shade, LIGHT_BACKGROUND) >= MIN_MARK_CONTRAST
    assert contrast_ratio(shade, DARK_BACKGROUND) >= MIN_MARK_CONTRAST


def test_shades_change_only_the_colours_that_need_it_and_keep_their_hue():
    assert set(LIGHT_PAGE_SHADES) == {PALETTE[n] for n in ("orange", "sky_blue", "yellow", "grey")}
    assert mark_shade(PALETTE["blue"]) == PALETTE["blue"]  # already 5.2:1 on white
    for colour, shade in LIGHT_PAGE_SHADES.items():
        # darker toward black: every channel scaled by the same factor, so the hue stays
        original = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
        darker = [int(shade[i:i + 2], 16) for i in (1, 3, 5)]
        factors = {round(d / o, 2) for d, o in zip(darker, original) if o > 40}
        assert len(factors) == 1 and factors.pop() < 1, (colour, shade)
        # just far enough: not a near-black that would lose the colour-blind-safe identity
        assert contrast_ratio(shade, LIGHT_BACKGROUND) < MIN_MARK_CONTRAST + 0.5


def test_shade_refuses_colours_it_cannot_judge():
    with pytest.raises(ValueError, match="opaque"):
        mark_shade("rgba(230, 159, 0, 0.5)")
    with pytest.raises(ValueError, match="not allowed"):
        mark_shade("orange")


def test_baseline_colour_reads_on_both_pages():
    assert contrast_ratio(BASELINE_COLOUR, LIGHT_BACKGROUND) >= MIN_MARK_CONTRAST
    assert contrast_ratio(BASELINE_COLOUR, DARK_BACKGROUND) >= MIN_MARK_CONTRAST


def test_marker_edge_and_shape_line():
    assert marker_edge(PALETTE["sky_blue"]) == {"color": LIGHT_PAGE_SHADES[PALETTE["sky_blue"]], "width": 1.5}
    # simple_white draws shapes at 30 % opacity: a shape that marks something is opaque
    assert shape_line(PALETTE["black"], "dot")["opacity"] == 1.0


def test_theme_css_redraws_each_light_colour_only_on_the_light_page():
    css = theme_css()
    rules = re.findall(r'(body\[data-jp-theme-light="true"\][^{]*stroke: (rgb\([^)]*\))"\]) \{\s*stroke: (rgb\([^)]*\))',
                       css)
    assert len(rules) == len(LIGHT_PAGE_SHADES)
    assert all(":not(.hoverlayer)" in selector for selector, _, _ in rules)
    # the widget carries the generated rules after the file's own
    assert CourseFigureWidget._css.endswith(css)


def test_dark_theme_css_recolours_black_shapes_and_arrows():
    text = (Path(style.__file__).parent / "figure_widget.css").read_text(encoding="utf-8")
    for selector in (".shapelayer path[style*=\"stroke: rgb(0, 0, 0)\"]",
                     ".annotation-arrow-g path[style*=\"stroke: rgb(0, 0, 0)\"]",
                     ".annotation-arrow-g path[style*=\"fill: rgb(0, 0, 0)\"]"):
        assert selector in text


def _shapes_and_markers(fig):
    return list(fig.layout.shapes), [t for t in fig.data if t.type == "scatter" and t.mode and "markers" in t.mode]


def test_figures_draw_their_marks_opaque_and_edged():
    from course_lib.figures.icon_array import build_icon_figure
    from course_lib.figures.pathway import build_pathway_figure
    from course_lib.figures.trial_icons import build_trial_figure
    from course_lib.figures.dorsal_horn import build_duration_figure

    for build in (build_pathway_figure, build_duration_figure):
        shapes, _ = _shapes_and_markers(build())
        assert shapes and all(s.opacity == 1.0 for s in shapes if s.line.width), build.__name__
    for build in (build_icon_figure, build_trial_figure):
        _, markers = _shapes_and_markers(build())
        filled = [m for m in markers if not str(m.marker.symbol).endswith("open") and m.marker.color in LIGHT_PAGE_SHADES]
        assert filled, build.__name__
        for trace in filled:  # a light fill always comes with a darker edge of its own hue
            assert trace.marker.line.color == mark_shade(trace.marker.color) and trace.marker.line.width >= 1


def test_shared_widget_css_lets_controls_wrap_at_480_px():
    """Issue 23 item 5: the shared widget CSS (every lab and quiz) wraps a control's parts below each
    other and keeps a slider usable, instead of clipping it (the browser test measures the result)."""
    from course_lib.widgets import a11y

    css = re.sub(r"/\*.*?\*/", "", a11y._CSS, flags=re.S)
    rules = dict(re.findall(r"([^{}]+)\{([^}]*)\}", css))
    declarations = {selector.strip(): body for selector, body in rules.items()}
    assert "flex-wrap: wrap" in declarations[".course-a11y .widget-inline-hbox"]
    assert "flex-wrap: wrap" in declarations[".course-a11y .widget-hbox"]
    assert "min-width: 8em" in declarations[".course-a11y .widget-hslider .slider-container"]
    assert "text-wrap-mode: wrap" in declarations[".course-a11y .widget-inline-hbox > .widget-label"]
