"""Environment check for the start-here notebook: versions, and what to do if widgets do not show.

A learner whose sliders, after the cell has run, appear as text such as ``VBox(children=...)`` or
"Error displaying widget" has a front-end problem, not a course problem. (Before a cell runs, every
lab and quiz shows a "Run this cell" placeholder instead: see ``course_lib.placeholder``.) This module finds what it can from the kernel side
and says, in plain words, what to try.
"""

from __future__ import annotations

import html
import importlib.metadata
import platform
import sys
from dataclasses import dataclass

#: Packages the labs need, in the order the report lists them.
REQUIRED_PACKAGES: tuple[str, ...] = (
    "course_lib",
    "jupyterlab",
    "ipywidgets",
    "jupyterlab_widgets",
    "plotly",
    "anywidget",
    "numpy",
    "scipy",
    "numba",
    "PyYAML",
)

MINIMUM_PYTHON = (3, 11)

WIDGET_TROUBLESHOOTING: tuple[str, ...] = (
    "Open the course with `make lab` (or the Binder link), which starts JupyterLab from the "
    "course's own environment.",
    "In the menu choose Kernel > Restart Kernel and Run All Cells.",
    "Reload the browser tab (Ctrl+Shift+R, or Cmd+Shift+R on a Mac); widgets load when the page does.",
    "Before a lab or quiz cell has run, it shows a short 'Run this cell' note: that is normal, "
    "not a fault. Only if a cell you have run still shows 'Error displaying widget' or text like "
    "VBox(children=...) do the JupyterLab in your browser and the kernel's ipywidgets not match: "
    "run `make lab` again so both come from the same environment.",
    "In VS Code, install the Jupyter extension and pick the kernel in the course's .venv folder.",
)


@dataclass(frozen=True)
class PackageStatus:
    name: str
    version: str | None  # None: not installed

    @property
    def ok(self) -> bool:
        return self.version is not None


@dataclass(frozen=True)
class EnvironmentReport:
    python_version: str
    python_ok: bool
    platform: str
    packages: tuple[PackageStatus, ...]
    figure_widget_ok: bool
    figure_widget_error: str

    @property
    def ok(self) -> bool:
        return self.python_ok and self.figure_widget_ok and all(p.ok for p in self.packages)

    @property
    def problems(self) -> list[str]:
        found = []
        if not self.python_ok:
            found.append(
                f"Python {self.python_version} is older than the course needs "
                f"({'.'.join(map(str, MINIMUM_PYTHON))} or newer)."
            )
        found += [f"{p.name} is not installed." for p in self.packages if not p.ok]
        if not self.figure_widget_ok:
            found.append(f"An interactive plotly figure could not be made: {self.figure_widget_error}")
        return found


def package_version(name: str) -> str | None:
    """Installed version of distribution ``name``, or None when it is not installed."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _try_figure_widget() -> tuple[bool, str]:
    """Build a tiny FigureWidget: it fails (in the kernel) when anywidget is missing."""
    try:
        import plotly.graph_objects as go

        from course_lib.figures.figure_widget import CourseFigureWidget

        # the course's own figure widget (it shares the kernel's one copy of plotly's JavaScript;
        # a stock FigureWidget would send another 5 MB to the page) and closed at once: nothing is
        # displayed, the check is only whether it can be built
        CourseFigureWidget(data=[go.Scatter(x=[0, 1], y=[0, 1])]).close()
    except Exception as error:  # noqa: BLE001 - we report any failure to the learner
        return False, f"{type(error).__name__}: {error}"
    return True, ""


def check_environment() -> EnvironmentReport:
    """Collect versions and try the one thing the labs cannot work without (a FigureWidget)."""
    widget_ok, widget_error = _try_figure_widget()
    return EnvironmentReport(
        python_version=platform.python_version(),
        python_ok=sys.version_info[:2] >= MINIMUM_PYTHON,
        platform=f"{platform.system()} {platform.machine()}",
        packages=tuple(PackageStatus(name, package_version(name)) for name in REQUIRED_PACKAGES),
        figure_widget_ok=widget_ok,
        figure_widget_error=widget_error,
    )


def report_text(report: EnvironmentReport) -> str:
    """The report as plain text, one line per item, ending with a verdict."""
    lines = [f"Python {report.python_version} on {report.platform}"]
    lines += [f"  {p.name:<20} {p.version or 'MISSING'}" for p in report.packages]
    if report.ok:
        lines.append("All set: the labs and quizzes should work here.")
    else:
        lines.append("Something needs fixing:")
        lines += [f"  - {problem}" for problem in report.problems]
    return "\n".join(lines)


def report_html(report: EnvironmentReport) -> str:
    """The report as an HTML table plus the widget troubleshooting steps."""
    rows = "".join(
        f"<tr><td>{html.escape(p.name)}</td><td>{html.escape(p.version or 'MISSING')}</td></tr>"
        for p in report.packages
    )
    verdict = (
        "<p><b>All set:</b> the labs and quizzes should work here.</p>"
        if report.ok
        else "<p><b>Something needs fixing:</b></p><ul>"
        + "".join(f"<li>{html.escape(p)}</li>" for p in report.problems)
        + "</ul>"
    )
    steps = "".join(f"<li>{html.escape(step)}</li>" for step in WIDGET_TROUBLESHOOTING)
    return (
        f"<p>Python {html.escape(report.python_version)} on {html.escape(report.platform)}</p>"
        f"<table><tr><th>package</th><th>version</th></tr>{rows}</table>{verdict}"
        "<p><b>If the slider above did not appear</b> (you see plain text, or "
        "'Error displaying widget'), try these in order:</p>"
        f"<ol>{steps}</ol>"
    )


def show_environment_check() -> EnvironmentReport:
    """Display the report in a notebook (HTML) and return it."""
    from IPython.display import HTML, display

    report = check_environment()
    display(HTML(report_html(report)))
    return report
