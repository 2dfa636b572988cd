"""Fixtures for the real-browser tests: a JupyterLab server on 127.0.0.1 and headless Chromium.

Chromium comes from Debian (`/usr/bin/chromium`, installed by `make test` when run as root); playwright
drives it through ``executable_path``, so no browser is ever downloaded. Without chromium the tests skip
with the reason, except under CI (CI=true), where they must run and fail instead.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from course_lib.syllabus import enabled_notebooks

from .jupyter import keep_console_problems, lab_cell_indices, notebook_page

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")

# Chromium flags for this sandbox: no GPU, no background calls to the internet (which is closed).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# JupyterLab settings for a test run: render every cell (no windowing, so the DOM holds all outputs)
# and no news or update toasts over the notebook.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    # never write a test's Run All outputs into the committed notebooks
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def browser_test_group(nodeid: str) -> str:
    """Which tests must share a pytest-xdist worker: every test that reads one notebook's shared run
    (the ``notebook`` fixture, whose parameter id is the notebook's id) goes with that notebook, so each
    notebook is still opened and run once; any other test stays with the rest of its module (module-scoped
    fixtures, such as a notebook a module runs itself)."""
    path, _, test = nodeid.partition("::")
    params = test[test.find("[") + 1:-1].split("-") if test.endswith("]") else []
    for entry in enabled_notebooks():
        if entry.id in params:
            return f"notebook {entry.id}"
    return path


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``pytest tests/browser -n 2 --dist loadscope`` (``make test``) hands out whole groups of
    :func:`browser_test_group`, largest first. Each worker has its own JupyterLab server, kernels, browser
    and quiz progress folder, so groups on different workers share nothing but the read-only repository.

    (Not ``--dist loadgroup`` with ``xdist_group`` marks: with pytest 9.2, pytest-xdist 3.8 drops those
    marks without a word and spreads a notebook's tests over both workers, pytest-xdist issue #1386.)"""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByNotebook(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return browser_test_group(nodeid)

    return ByNotebook(config, log)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    reason = (
        f"Debian's chromium is not installed at {CHROMIUM}; run `make test` as root to install it, "
        "or `sudo apt-get install chromium`"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests must run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    """A JupyterLab server for the whole session; yields its base URL and token."""
    home = tmp_path_factory.mktemp("lab")
    settings_dir = home / "settings"
    for relative, content in LAB_SETTINGS.items():
        path = settings_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content))
    port, token = _free_port(), secrets.token_hex(16)
    command = [
        sys.executable, "-m", "jupyter", "lab",
        "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={REPO_ROOT}",
        "--expose-app-in-browser",
        f"--LabApp.user_settings_dir={settings_dir}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        "--LabServerApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = open(home / "server.log", "w")
    # quiz answers the tests give go to this server's own progress folder: a run starts from no answers,
    # whatever an earlier run (or another worker's server) saved
    environment = {**os.environ, "COURSE_PROGRESS_DIR": str(home / "progress")}
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=REPO_ROOT, env=environment)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError(f"JupyterLab did not start; see {home / 'server.log'}:\n"
                                   + (home / "server.log").read_text()[-3000:])
            time.sleep(0.5)
    yield {"base": base, "token": token, "log": home / "server.log"}
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="package", params=enabled_notebooks(), ids=[e.id for e in enabled_notebooks()])
def notebook(request, browser, lab_server, screenshot_dir):
    """One notebook of the course map opened in a new kernel and run (Run All) in its own page, once for
    every module that reads it: the first view (before Run All), accessibility, contrast and reflow,
    and renders tests. pytest groups
    those tests by notebook, so each notebook runs once in the browser phase instead of once per module.
    Run All's time goes to the end-of-run summary. Tests that change the page (theme, width, a slider,
    an answer) must not rely on what an earlier module left; each sets what it needs."""
    from .test_first_view import first_view

    entry = request.param
    seen = {}
    started = time.monotonic()

    def look_before_running(page):
        nonlocal started
        seen.update(first_view(page, entry, screenshot_dir))
        started = time.monotonic()

    with notebook_page(browser, lab_server, entry, before_run=look_before_running) as page:
        request.config.__dict__.setdefault("_course_timings", {})[entry.id] = time.monotonic() - started
        # each notebook is opened and run once in the whole browser phase (tests/conftest.py checks)
        request.config.__dict__.setdefault("_course_notebook_runs", []).append(
            (entry.id, os.environ.get("PYTEST_XDIST_WORKER", "the one process")))
        # every keyboard helper has found its widget (they install once their box is in the page) ...
        page.wait_for_function(
            """() => {
              const helpers = Array.from(document.querySelectorAll('.course-a11y-helper'));
              return helpers.length > 0 && helpers.every(h => h.closest('.course-a11y'));
            }""",
            timeout=60_000,
        )
        # ... and every lab has drawn its plot
        labs = lab_cell_indices(entry.path)
        if labs:
            page.wait_for_function(
                "(n) => document.querySelectorAll('.jp-OutputArea-output .js-plotly-plot .main-svg').length >= n",
                arg=len(labs), timeout=120_000)
        yield SimpleNamespace(page=page, entry=entry, first_view=seen)


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """The Explore edition, built once into a temporary folder and served on 127.0.0.1: its base URL and
    its page names."""
    from course_lib import site

    folder = tmp_path_factory.mktemp("site")
    site.build(folder)
    with site.serve(folder) as base:
        yield base, sorted(p.name for p in folder.glob("*.html"))


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1600}, device_scale_factor=1)
    yield keep_console_problems(context.new_page())
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


@pytest.fixture
def record_timing(request):
    """Store a named duration for the end-of-run summary (see tests/conftest.py)."""
    timings = request.config.__dict__.setdefault("_course_timings", {})

    def record(name: str, seconds: float) -> None:
        timings[name] = seconds

    return record
