"""Shared pytest set-up for the course's tests."""

import os

# Quiz progress written by tests and by nbval's kernels must never touch a learner's real data.
# (Set before any course_lib.quiz import; kernels started by nbval inherit the environment.)
os.environ.setdefault("COURSE_PROGRESS_DIR", os.path.join(os.path.dirname(__file__), ".progress-under-test"))

# Hypothesis: `make test` (and CI, which runs it) uses the "ci" profile, derandomised, so a failure
# found once is found again on the next run and on any machine; the failing example's blob is
# printed to replay it. Elsewhere the "dev" profile explores new examples on every run.
import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("dev", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

# Fixture notebooks are inputs to tests (some broken on purpose), not course notebooks: nbval
# must not collect them.
collect_ignore_glob = ["*/fixtures/*"]


def _repeated_notebook_runs(config) -> list[str]:
    """Each notebook run the browser fixtures recorded more than once, as "<notebook> on <worker>"."""
    runs = [tuple(run) for run in getattr(config, "_course_notebook_runs", [])]  # (notebook, worker)
    notebooks = [notebook for notebook, _ in runs]
    return [f"{notebook} on {worker}" for notebook, worker in runs if notebooks.count(notebook) > 1]


def pytest_sessionfinish(session):
    """On a pytest-xdist worker, hand what the browser fixtures recorded to the controller
    (pytest_testnodedown). On the controller, or without workers: fail the run if a notebook was opened
    and run more than once (the browser tests share one run per notebook; conftest.py in tests/browser
    keeps a notebook's tests on one worker)."""
    config = session.config
    if hasattr(config, "workeroutput"):
        config.workeroutput["course_timings"] = getattr(config, "_course_timings", {})
        config.workeroutput["course_notebook_runs"] = getattr(config, "_course_notebook_runs", [])
    elif _repeated_notebook_runs(config):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: unknown when xdist is not loaded
def pytest_testnodedown(node, error):
    """On the controller, gather each worker's records for the checks and summary here."""
    output = getattr(node, "workeroutput", {})
    node.config.__dict__.setdefault("_course_timings", {}).update(output.get("course_timings", {}))
    node.config.__dict__.setdefault("_course_notebook_runs", []).extend(output.get("course_notebook_runs", []))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print the browser test's time per notebook, so the figures reach whoever reads the log."""
    repeated = _repeated_notebook_runs(config)
    if repeated:
        terminalreporter.section("a notebook was run more than once in the browser", red=True)
        for run in repeated:
            terminalreporter.write_line(f"{run}: its tests were split (see browser_test_group in "
                                        "tests/browser/conftest.py)", red=True)
    timings = getattr(config, "_course_timings", {})
    if timings:
        terminalreporter.section("time per notebook in the browser")
        for name, seconds in sorted(timings.items()):
            terminalreporter.write_line(f"{name:<45} {seconds:6.1f} s")
