"""The start-here environment check reports versions and problems in words."""

from course_lib import environment
from course_lib.environment import check_environment, report_html, report_text


def test_report_in_this_environment_is_ok():
    report = check_environment()
    assert report.ok, report.problems
    names = {p.name for p in report.packages}
    assert {"ipywidgets", "plotly", "anywidget", "jupyterlab"} <= names
    assert "All set" in report_text(report)


def test_missing_package_and_broken_figure_are_reported(monkeypatch):
    monkeypatch.setattr(environment, "REQUIRED_PACKAGES", ("numpy", "no-such-package-xyz"))
    monkeypatch.setattr(environment, "_try_figure_widget", lambda: (False, "ImportError: anywidget"))
    report = check_environment()
    assert not report.ok
    text = report_text(report)
    assert "no-such-package-xyz is not installed" in text and "anywidget" in text
    page = report_html(report)
    assert "MISSING" in page and "Error displaying widget" in page


def test_troubleshooting_says_an_unrun_placeholder_is_normal():
    steps = " ".join(environment.WIDGET_TROUBLESHOOTING)
    assert "Run this cell" in steps and "normal" in steps
    # the error advice is only for a cell that has been run
    assert "cell you have run" in steps
