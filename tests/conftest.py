"""Shared pytest set-up for the course's tests."""

import os

# Quiz progress written by tests and by nbval's kernels must never touch a learner's real data.
# (Set before any course_lib.quiz import; kernels started by nbval inherit the environment.)
os.environ.setdefault("COURSE_PROGRESS_DIR", os.path.join(os.path.dirname(__file__), ".progress-under-test"))

# Hypothesis: `make test` (and CI, which runs it) uses the "ci" profile, derandomised, so a failure
# found once is found again on the next run and on any machine; the failing example's blob is
# printed to replay it. Elsewhere the "dev" profile explores new examples on every run.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("dev", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

# Fixture notebooks are inputs to tests (some broken on purpose), not course notebooks: nbval
# must not collect them.
collect_ignore_glob = ["*/fixtures/*"]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print the browser test's time per notebook, so the figures reach whoever reads the log."""
    timings = getattr(config, "_course_timings", {})
    if timings:
        terminalreporter.section("time per notebook in the browser")
        for name, seconds in timings.items():
            terminalreporter.write_line(f"{name:<45} {seconds:6.1f} s")
