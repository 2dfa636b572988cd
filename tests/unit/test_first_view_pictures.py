"""The first view's pictures (issue 21, item 7): a notebook opened, nothing run, shows each lab's figure.

Each lab cell's stored placeholder carries a still picture of its figure at the starting setting: an
``<img>`` of an SVG ``data:`` URI (what JupyterLab's sanitiser keeps in an untrusted notebook), drawn by
``course_lib.figures.static_svg`` from the same JSON the Explore edition stores for the lab's starting
state (``site_labs.figure_json``). Checked here: every lab cell of every committed notebook has one (the
mystery neuron excepted, on purpose); each picture is the one a freshly built lab draws, and, where the
Explore edition keeps the same number of points, the one drawn from the site's own starting state; its
polylines are the state's decimated traces; the renderer draws every trace type of every figure builder;
nothing in a picture can run; the notebooks stay within their size budget. The browser side (the
picture really shows in an untrusted notebook) is tests/browser/test_first_view.py.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET

import nbformat
import pytest

from course_lib import site_labs
from course_lib.figures.static_svg import figure_svg, svg_data_uri
from course_lib.lab_registry import FIGURE_BUILDERS
from course_lib.placeholder import (PICTURE_CLASS, PLACEHOLDER_CLASS, WIDGET_VIEW_MIME, figure_picture, figure_state,
                                    with_placeholder)
from course_lib.syllabus import enabled_notebooks

#: as tests/notebooks/hygiene.py (MAX_NOTEBOOK_BYTES)
MAX_NOTEBOOK_BYTES = 1_000_000
#: one picture's share: the largest is about 40 kB of base64; a picture far above it has lost its decimation
MAX_PICTURE_BYTES = 80_000
#: lab cells whose first view has no picture, on purpose: the mystery neuron's starting figure shows one
#: random hidden change (a different one from the learner's), so neither words nor a picture of it are stored
NO_PICTURE = ("mystery_neuron",)
SVG_TAGS = {"svg", "title", "defs", "clipPath", "pattern", "rect", "path", "polyline", "circle", "text", "g"}


def stored_html(cell) -> str:
    return "".join("".join(o.get("data", {}).get("text/html", "")) for o in cell.get("outputs", []))


def pictures_in(rich: str) -> list[str]:
    """The SVG markup of each placeholder picture in a cell's HTML."""
    return [base64.b64decode(data).decode("utf-8")
            for data in re.findall(r"src='data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)'", rich)]


def polylines(svg: str) -> list[list[tuple[float, float]]]:
    return [[tuple(float(v) for v in point.split(",")) for point in points.split()]
            for points in re.findall(r"<polyline points='([^']*)'", svg)]


@pytest.fixture(scope="module")
def notebooks():
    return {entry.id: (entry, nbformat.read(entry.path, as_version=4)) for entry in enabled_notebooks()}


@pytest.fixture(scope="module")
def lab_cells():
    return site_labs.lab_cells()


def _stored(notebooks, cell) -> str:
    """The stored HTML of the notebook cell that ``cell`` (a site_labs.LabCell) stands for."""
    _, nb = notebooks[cell.notebook]
    found = [stored_html(c) for c in nb.cells if c.cell_type == "code" and c.source.strip() == cell.source.strip()]
    assert found, f"{cell.name}: no such cell in {cell.notebook}"
    return found[0]


# ----------------------------------------------------------------------------- the committed notebooks


def test_every_lab_cell_stores_a_picture_under_its_instruction(notebooks):
    missing, unexpected = [], []
    for notebook_id, (_, nb) in notebooks.items():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            tags = set(cell.get("metadata", {}).get("tags", []))
            rich = stored_html(cell)
            has = PICTURE_CLASS in rich and len(pictures_in(rich)) == 1
            if "lab" in tags and not cell.source.strip().startswith(NO_PICTURE):
                if not has:
                    missing.append(f"{notebook_id} cell {index + 1}")
                else:  # under the "Run this cell" line, with an accessible name, inside the placeholder box
                    assert rich.index("Run this cell") < rich.index(PICTURE_CLASS), (notebook_id, index + 1)
                    assert re.search(r"<img src='data:image/svg\+xml;base64,[^']+' alt='Still picture of the "
                                     r"figure at its starting setting[^']*'", rich), (notebook_id, index + 1)
                    assert rich.startswith(f"<div class='{PLACEHOLDER_CLASS}'")
            elif PICTURE_CLASS in rich:
                unexpected.append(f"{notebook_id} cell {index + 1} ({cell.source.strip()[:30]})")
    assert not missing, f"lab cells whose first view has no picture: {missing} (run tools/execute_notebooks.py)"
    assert not unexpected, f"pictures outside the lab cells (a quiz, or the mystery neuron): {unexpected}"


def test_each_picture_is_the_starting_figure_a_fresh_lab_draws(notebooks, lab_cells):
    """The stored picture is drawn from the lab's starting state: a lab built as the notebook builds it draws
    the same SVG, point for point; its polylines are that state's decimated traces."""
    checked = 0
    for cell in lab_cells:
        if cell.function in NO_PICTURE or not cell.function:
            continue
        stored = pictures_in(_stored(notebooks, cell))
        assert len(stored) == 1, cell.name
        lab = cell.build()
        state = figure_state(lab.figure)
        expected = pictures_in(figure_picture(lab.figure))[0]
        assert stored[0] == expected, f"{cell.name}: the stored picture is not the starting figure's (re-execute)"
        # every drawn line is one of the state's traces, with the state's (decimated) points
        lines = [t for t in state["data"] if t.get("visible", True) is True
                 and "lines" in (t.get("mode") or "lines") and t.get("type", "scatter") == "scatter"]
        counts = sorted(sum(1 for x, y in zip(t["x"], t["y"]) if x is not None and y is not None) for t in lines
                        if len(t.get("x") or []) > 1)
        drawn = polylines(stored[0])
        assert sorted(len(p) for p in drawn) == counts, cell.name
        assert all(len(p) <= site_labs.MAX_POINTS for p in drawn), cell.name
        checked += 1
    assert checked >= 20


def test_pictures_come_from_the_explore_editions_starting_state(notebooks, lab_cells):
    """Where the site keeps as many points as the notebook (all but the channel lab, which the site thins to
    160), the site's stored starting state draws exactly the stored picture: one home for that state."""
    compared = []
    for cell in lab_cells:
        if cell.reason is not None or cell.function in NO_PICTURE or cell.spec.max_points != site_labs.MAX_POINTS:
            continue
        data = site_labs.explorable(cell)
        base = site_labs.decode(data["base"], data["pool"])
        default = data["states"][data["default"]]
        assert not default.get("q"), f"{cell.name}: its starting setting answers a Predict question"
        state = site_labs.apply_diff(base, site_labs.decode(default, data["pool"]))
        stored = pictures_in(_stored(notebooks, cell))[0]
        assert stored == pictures_in(figure_picture(state))[0], cell.name
        compared.append(cell.name)
    assert len(compared) >= 20, compared


def test_notebooks_stay_within_their_size_budget(notebooks):
    sizes = {}
    for notebook_id, (entry, nb) in notebooks.items():
        sizes[notebook_id] = entry.path.stat().st_size
        for cell in nb.cells:
            for match in re.findall(r"data:image/svg\+xml;base64,[A-Za-z0-9+/=]+", stored_html(cell)):
                assert len(match) <= MAX_PICTURE_BYTES, (notebook_id, len(match))
    print(sizes)
    assert all(size <= MAX_NOTEBOOK_BYTES for size in sizes.values()), sizes


def test_nothing_in_a_picture_can_run(notebooks):
    for notebook_id, (_, nb) in notebooks.items():
        for cell in nb.cells:
            for svg in pictures_in(stored_html(cell)):
                assert not re.search(r"<script|<foreignObject|javascript:|\son\w+\s*=|href", svg, re.I), notebook_id
                root = ET.fromstring(svg)
                tags = {element.tag.split("}")[-1] for element in root.iter()}
                assert tags <= SVG_TAGS, (notebook_id, tags - SVG_TAGS)
                for element in root.iter():
                    assert not any(name.lower().startswith("on") for name in element.attrib), notebook_id


# -------------------------------------------------------------------------------------- the renderer


@pytest.mark.parametrize("entry", FIGURE_BUILDERS, ids=lambda e: e.name)
def test_every_figure_builder_draws(entry):
    """Each builder's figure, with every trace shown (a hidden map included), draws as valid SVG with a mark
    for each of its trace types."""
    state = figure_state(entry.build())
    for trace in state["data"]:
        trace["visible"] = True
    svg = figure_svg(state)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and root.find("{http://www.w3.org/2000/svg}title") is not None
    kinds = {t.get("type", "scatter") for t in state["data"]}
    assert kinds <= {"scatter", "bar", "heatmap"}, f"{entry.name}: a trace type the picture does not draw: {kinds}"
    if any(t.get("type") == "heatmap" and t.get("z") for t in state["data"]):
        assert svg.count("<rect") > 20, entry.name


def test_the_renderer_draws_what_the_course_uses():
    """A synthetic figure with each feature: its marks land where the axes put them."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=3, subplot_titles=("lines", "bars", "map"))
    fig.add_trace(go.Scatter(x=[0, 5, 10], y=[0, 10, None], mode="lines+markers+text", text=["a", "b", "c"],
                             textposition="top center", marker={"symbol": "star-open"}, line={"dash": "dash"},
                             name="a line"), row=1, col=1)
    fig.add_trace(go.Scatter(x=[1, 2], y=[3, 4], mode="markers", marker={"symbol": ["x", "diamond"]}, name="dots"),
                  row=1, col=1)
    fig.add_trace(go.Bar(x=["one", "two"], y=[2, 3], marker={"pattern": {"shape": ["/", ""]}}, texttemplate="%{y:.3g}",
                         textposition="outside", name="bars"), row=1, col=2)
    fig.add_trace(go.Heatmap(z=[[0, 1], [2, 3]], x=[0, 1], y=[0, 1], colorscale=[[0, "#ffffff"], [1, "#000000"]]),
                  row=1, col=3)
    fig.add_shape(type="rect", x0=2, x1=4, y0=0, y1=1, xref="x", yref="paper", fillcolor="#F0E442", opacity=0.2)
    fig.add_annotation(x=5, y=10, text="peak", showarrow=True, arrowhead=2, ax=20, ay=-20, xref="x", yref="y")
    fig.update_xaxes(range=[0, 10], row=1, col=1)
    fig.update_yaxes(range=[0, 10], row=1, col=1)
    fig.update_layout(height=300, margin={"l": 50, "r": 10, "t": 40, "b": 40}, title={"text": "A <b>test</b>"})
    svg = figure_svg(figure_state(fig))
    ET.fromstring(svg)
    (line,) = polylines(svg)  # the None ends the line: two points, from (0, 0) to (5, 10)
    assert len(line) == 2
    x_axis = fig.layout.xaxis.domain
    left = 50 + x_axis[0] * (700 - 60)
    assert line[0][0] == pytest.approx(left, abs=0.1) and line[0][1] == pytest.approx(300 - 40, abs=0.1)
    assert line[1][1] == pytest.approx(40, abs=0.1)  # y = 10, the top of the range
    for mark in ("stroke-dasharray", "<pattern", ">peak<", ">2<", ">lines<", ">A test<", "fill='#000000'",
                 "fill='#ffffff'", ">one<", ">a line<", ">dots<", ">bars<", "fill='#F0E442'"):
        assert mark in svg, mark
    assert "<b>" not in svg and "&lt;b&gt;" not in svg


def _legend_text_y(svg: str, name: str) -> float:
    (y,) = [float(m) for m in re.findall(r"<text[^>]* y='([-\d.]+)'[^>]*>" + re.escape(name) + "<", svg)]
    return y


def test_a_legend_against_the_figures_box_is_drawn_at_its_bottom_edge():
    """style.legend_below puts the legend against the figure's box (yref container), not the plotting
    area: the picture draws it in the bottom margin, under the axis, as plotly does."""
    import plotly.graph_objects as go

    from course_lib.figures.style import legend_below

    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1], name="first"))
    fig.add_trace(go.Scatter(x=[0, 1], y=[1, 0], name="second"))
    fig.update_layout(height=400, margin={"l": 50, "r": 10, "t": 40, "b": 100}, legend=legend_below())
    below = _legend_text_y(figure_svg(figure_state(fig)), "first")
    assert 400 - 100 < below <= 400, below  # in the bottom margin
    fig.update_layout(legend={"yref": "paper", "y": 1.02, "yanchor": "bottom"})
    above = _legend_text_y(figure_svg(figure_state(fig)), "first")
    assert above < 40, above  # the same legend against the plotting area: above it


def test_text_is_escaped_and_the_picture_is_a_safe_image():
    state = {"data": [{"type": "scatter", "x": [0, 1], "y": [0, 1], "name": "<script>alert(1)</script>"},
                      {"type": "scatter", "x": [0, 1], "y": [1, 0], "name": "b' onload='x"}],
             "layout": {"title": {"text": "<img src=x onerror=alert(1)>"}}}
    svg = figure_svg(state)
    assert "<script" not in svg and "<img" not in svg and " onload='" not in svg
    ET.fromstring(svg)
    assert svg_data_uri(svg).startswith("data:image/svg+xml;base64,")


def test_a_placeholder_without_a_figure_has_no_picture():
    bundle = with_placeholder({WIDGET_VIEW_MIME: {"model_id": "none"}}, "the lab", "words", figure=None)
    assert PICTURE_CLASS not in bundle["text/html"] and "words" in bundle["text/html"]
    assert "data:image" not in bundle["text/plain"]


def test_a_lab_pictures_its_starting_setting_and_a_figure_view_its_figure():
    from course_lib.lessons import nb02, nb03, nb06
    from course_lib.widgets.mystery_neuron import MysteryNeuronLab

    lab = nb02.balance_lab()
    before = lab._repr_mimebundle_()["text/html"]
    assert PICTURE_CLASS in before
    assert pictures_in(before)[0] == pictures_in(figure_picture(lab.figure))[0]
    assert PICTURE_CLASS in nb03.cohort_view()._repr_mimebundle_()["text/html"]  # found at the top of the view
    assert PICTURE_CLASS in nb06.case_timeline("diabetes")._repr_mimebundle_()["text/html"]
    assert PICTURE_CLASS not in MysteryNeuronLab(seed=1)._repr_mimebundle_()["text/html"]
    assert PICTURE_CLASS not in nb02.quiz()._repr_mimebundle_()["text/html"]
