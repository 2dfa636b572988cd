"""The course's figure widget: plotly's JavaScript goes to the browser once per kernel, not per figure.

These tests look at what the kernel would send (the state of each comm it opens), which is where
the bytes per notebook are decided; tests/browser/test_figures_in_browser.py checks the page.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from contextlib import contextmanager
from pathlib import Path

import ipywidgets
import numpy as np
import plotly.graph_objects as go
import pytest
from ipywidgets.widgets import widget as ipywidgets_widget

from course_lib.figures import figure_widget as fw
from course_lib.figures.figure_widget import PLOT_CONFIG, CourseFigureWidget, description_html, plotly_bundle
from course_lib.lab_registry import FIGURE_BUILDERS
from course_lib.widgets.cohort_view import cohort_view
from course_lib.widgets.demo_lab import ThresholdDemoLab

FIGURES_DIR = Path(fw.__file__).resolve().parent


@contextmanager
def opened_comms():
    """Record (widget class name, bytes of JSON state, bytes of binary buffers) of every comm opened."""
    opened: list[tuple[str, int, int]] = []
    real_create = ipywidgets_widget.comm.create_comm

    def spy(**kwargs):
        state = kwargs["data"]["state"]
        json_bytes = sum(len(str(value).encode()) for value in state.values())
        buffer_bytes = sum(memoryview(b).nbytes for b in kwargs.get("buffers") or [])
        opened.append((state.get("_model_name", "?"), json_bytes, buffer_bytes))
        return real_create(**kwargs)

    ipywidgets_widget.comm.create_comm = spy
    try:
        yield opened
    finally:
        ipywidgets_widget.comm.create_comm = real_create


@pytest.fixture
def fresh_bundle():
    """Close the kernel's bundle widget so the test sees the first figure of a fresh kernel."""
    plotly_bundle().close()
    yield
    plotly_bundle().close()


@pytest.mark.parametrize("entry", FIGURE_BUILDERS, ids=lambda entry: entry.name)
def test_every_figure_builder_makes_a_course_figure(entry):
    # every build_* of course_lib.figures is in the registry (test_lab_registry.py checks that)
    fig = entry.build()
    assert isinstance(fig, CourseFigureWidget)
    assert fig.layout.width is None, "a fixed width would overflow narrow output areas"
    assert fig._plotly_bundle is plotly_bundle()


def test_plotly_travels_once_for_many_figures(fresh_bundle):
    bundle_size = fw.PLOTLY_WIDGET_BUNDLE.stat().st_size
    with opened_comms() as opened:
        figures = [entry.build() for entry in FIGURE_BUILDERS]
    total = sum(json_bytes + buffer_bytes for _, json_bytes, buffer_bytes in opened)
    big = [entry for entry in opened if entry[1] + entry[2] > 200_000]
    # exactly one comm carries plotly, compressed, as one binary buffer, and it is the bundle widget
    assert len(big) == 1 and big[0][0] == "WidgetModel" and big[0][2] == len(fw.compressed_bundle())
    assert big[0][2] < bundle_size / 2
    assert total < bundle_size / 2 + 500_000, f"{len(figures)} figures sent {total} bytes"
    assert len({id(fig._plotly_bundle) for fig in figures}) == 1


def test_stock_figure_widget_would_send_plotly_each_time(fresh_bundle):
    # the problem this module solves, measured the same way: guards the measurement itself
    with opened_comms() as opened:
        go.FigureWidget()
        go.FigureWidget()
    assert sum(1 for _, json_bytes, _ in opened if json_bytes > 4_000_000) == 2


def test_figure_module_is_small_and_free_of_plotly():
    fig = CourseFigureWidget()
    esm = str(fig._esm)
    assert len(esm) < 20_000
    assert "Plotly.newPlot" not in esm  # plotly's own code lives in the bundle only
    assert fig._bundle_key == fw.bundle_key()


def test_bundle_carries_plotlys_own_widget_module_and_names_its_content():
    data = fw.PLOTLY_WIDGET_BUNDLE.read_bytes()
    bundle = plotly_bundle()
    assert bundle.encoding == "gzip" and gzip.decompress(bundle.bundle) == data
    assert bundle.key.endswith(hashlib.sha256(data).hexdigest()[:16])
    # the page delegates to these exports: fail here, not in a browser, if plotly renames them
    exports = re.findall(rb"export\{([^}]*)\}", data)
    assert exports and b"as default" in exports[-1]


def test_bundle_bytes_go_with_the_opening_message_only():
    bundle = plotly_bundle()
    # a later full state (request_states after a reload or restart) leaves the bytes out ...
    assert "bundle" not in bundle.get_state() and bundle.get_state()["key"] == fw.bundle_key()
    # ... but a page that lacks them can ask, in either encoding
    sent = []
    bundle.send = lambda content, buffers=None: sent.append((content, buffers))
    try:
        for encoding, expected in (("gzip", fw.compressed_bundle()), ("identity", fw._bundle_bytes())):
            bundle._handle_custom_msg({"request": "bundle", "encoding": encoding}, [])
            assert sent[-1][0] == {"bundle": encoding} and bytes(sent[-1][1][0]) == expected
        bundle._handle_custom_msg({"request": "something else"}, [])
        assert len(sent) == 2
    finally:
        del bundle.send


def test_a_figure_answers_a_bundle_request_over_its_own_comm():
    # after a dropped kernel connection the page may hold a bundle model whose comm is closed;
    # figure_widget.js then asks the figure itself
    fig = fw.CourseFigureWidget()
    sent = []
    fig.send = lambda content, buffers=None: sent.append((content, buffers))
    fig._handle_custom_msg({"request": "bundle", "encoding": "gzip"}, [])
    assert sent[-1][0] == {"bundle": "gzip"} and bytes(sent[-1][1][0]) == fw.compressed_bundle()
    fig._handle_custom_msg({"kind": "anywidget-command", "name": "x", "id": 1, "msg": None}, [])
    assert len(sent) == 1, "only bundle requests are answered here"


def test_compressed_bundle_is_cached_on_disk_and_a_bad_cache_is_redone(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path))
    fw.compressed_bundle.cache_clear()
    try:
        first = fw.compressed_bundle()
        cached = tmp_path / f"{fw.bundle_key()}.js.gz"
        assert cached.read_bytes() == first and gzip.decompress(first) == fw._bundle_bytes()
        cached.write_bytes(b"not gzip")
        fw.compressed_bundle.cache_clear()
        assert fw.compressed_bundle() == first and cached.read_bytes() == first
    finally:
        fw.compressed_bundle.cache_clear()


def test_a_closed_bundle_is_replaced(fresh_bundle):
    first = plotly_bundle()
    assert plotly_bundle() is first
    ipywidgets.Widget.close_all()
    fig = CourseFigureWidget()
    assert fig._plotly_bundle is not first and fig._plotly_bundle.comm is not None


def test_toolbar_config_survives_reassignment():
    fig = CourseFigureWidget()
    assert fig._config["displaylogo"] is False
    assert fig._config["modeBarButtons"] == [["toImage", "resetScale2d"]]
    fig._config = {"scrollZoom": True}
    assert fig._config["scrollZoom"] is True and fig._config["displaylogo"] is False
    assert fig._config["modeBarButtons"] == PLOT_CONFIG["modeBarButtons"]


def test_updates_work_as_on_a_plotly_figure_widget():
    fig = CourseFigureWidget()
    fig.add_scatter(x=np.arange(3.0), y=np.zeros(3))
    with fig.batch_update():
        fig.data[0].y = np.array([1.0, 4.0, 9.0])
        fig.layout.title = "squares"
    assert list(fig.data[0].y) == [1.0, 4.0, 9.0] and fig.layout.title.text == "squares"


def test_each_figure_has_its_own_description_id():
    ids = {CourseFigureWidget().description_id for _ in range(20)}
    assert len(ids) == 20 and all(re.fullmatch(r"[A-Za-z][\w-]*", i) for i in ids)


def test_description_html_carries_the_id_the_chart_points_at():
    fig = CourseFigureWidget()
    html = description_html(fig, "<b>Figure description:</b> a line", style=fw.DESCRIPTION_STYLE)
    assert f"id='{fig.description_id}'" in html
    assert "var(--jp-content-font-color1)" in html and "#333" not in html
    assert "id=" not in description_html(go.FigureWidget(), "text")  # a plain figure: no id


def test_lab_description_is_tied_to_its_figure_and_uses_theme_colours():
    lab = ThresholdDemoLab()
    assert f"id='{lab.figure.description_id}'" in lab.description.value
    assert "var(--jp-" in lab.description.value and not re.search(r"#[0-9a-fA-F]{3}\b", lab.description.value)


def test_a_lab_names_its_chart_after_itself_when_the_chart_has_no_title():
    from course_lib.widgets.duration_lab import DurationLab

    lab = DurationLab()
    assert not lab.figure.layout.title.text
    assert lab.figure.accessible_name == f"Chart: {lab.title}"


def test_cohort_view_ties_description_to_figure():
    view = cohort_view()
    figure, description = view.view.children
    assert f"id='{figure.description_id}'" in description.value and "#333" not in description.value


def test_javascript_reads_only_traits_python_syncs():
    js = (FIGURES_DIR / "figure_widget.js").read_text()
    read = set(re.findall(r"""model\.get\("([^"]+)"\)""", js)) | set(
        re.findall(r"""change:([A-Za-z_]+)""", js)
    )
    synced = set(CourseFigureWidget().trait_names(sync=True)) | set(fw.PlotlyBundle().trait_names(sync=True))
    assert read and read <= synced, f"the JavaScript reads traits Python never sends: {read - synced}"


def test_css_colours_come_from_the_jupyterlab_theme():
    css = re.sub(r"/\*.*?\*/", "", (FIGURES_DIR / "figure_widget.css").read_text(), flags=re.S)
    blocks = " ".join(re.findall(r"\{([^}]*)\}", css))  # declarations only, not selectors
    declarations = re.findall(r"(?:fill|stroke|background|color)\s*:\s*([^;]+);", blocks)
    assert declarations
    for value in declarations:
        value = value.replace("!important", "").strip()
        assert value.startswith("var(--jp-") or value == "transparent", f"fixed colour in figure CSS: {value}"
