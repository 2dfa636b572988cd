"""Browser-side figures: every notebook in a real JupyterLab in headless chromium (used by run.py --browser).

Per notebook, in a fresh browser context (empty cache), through the Chrome DevTools Protocol:

- bytes_per_notebook: bytes the page receives while the notebook runs top to bottom (Run All):
  WebSocket frames (kernel messages, widget state, each FigureWidget's JavaScript) plus any HTTP
  responses in that window. page_load_bytes: HTTP bytes to open JupyterLab and the notebook before
  that (JupyterLab's own static assets; a browser cache keeps them for the next notebook).
- run_all_s: seconds from "Restart kernel and run all" to every cell done and the kernel idle.
  "cold" is the first run in a new server and kernel (numba's cache as the install left it:
  warmed by ``python -m course_lib.warmup`` like ``make lab`` and Binder's postBuild, or empty with
  ``--numba-cache empty``, which is what a learner got before the warm-up existed); "warm" is a
  second restart-and-run-all of the same notebook.
- slider_to_plot_ms: per lab cell with a slider, the time from the key press reaching the slider
  (ArrowRight/ArrowLeft on its handle) to the plot's data or shapes having changed in the page, i.e.
  the kernel round trip, the model, the figure update and plotly's redraw.
- kernel_peak_mb: the kernel process's VmHWM after its run (max of the cold and the warm kernel).

The server and chromium are set up as the browser tests do (tests/browser/conftest.py supplies the
chromium path, flags and JupyterLab settings), with its own NUMBA_CACHE_DIR.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
# The browser tests' own JavaScript probes (window.jupyterapp: --expose-app-in-browser): notebook ready,
# and the run's state (kernel, cells done, error outputs).
from tests.browser.jupyter import JS_NOTEBOOK_READY, JS_RUN_STATE  # noqa: E402

RUN_TIMEOUT_S = 300
SLIDER_PRESSES = 10
PRESS_TIMEOUT_MS = 10_000

# Installs a timer on one lab cell: a key press on its first slider handle starts the clock; the
# first plot redraw or DOM change after which the plot's data (or shapes) differ stops it.
JS_INSTALL_TIMER = """(cell) => {
  const plot = cell.querySelector('.js-plotly-plot');
  const handle = cell.querySelector('.widget-slider .noUi-handle');
  if (!plot || !handle) return false;
  const signature = () => {
    const parts = (plot.data || []).map(t => {
      // x too: a horizontal bar (the goals lab) changes only its x
      const weighted = (values) => {
        let sum = 0;
        for (let i = 0; i < values.length; i++) { const v = +values[i]; if (Number.isFinite(v)) sum += v * (1 + (i % 7)); }
        return sum;
      };
      const y = t.y || []; const x = t.x || [];
      return `${x.length}:${y.length}:${weighted(x)}:${weighted(y)}:${t.visible}:${t.name}`;
    });
    const layout = plot.layout || {};
    return parts.join('|') + JSON.stringify(layout.shapes || []) + JSON.stringify((layout.annotations || []).map(a => a.text));
  };
  const timer = {samples: [], t0: null, before: null};
  const check = () => {
    if (timer.t0 !== null && signature() !== timer.before) {
      timer.samples.push(performance.now() - timer.t0);
      timer.t0 = null;
    }
  };
  handle.addEventListener('keydown', () => { timer.before = signature(); timer.t0 = performance.now(); }, true);
  new MutationObserver(check).observe(plot, {subtree: true, childList: true, attributes: true});
  if (plot.on) plot.on('plotly_afterplot', check);
  cell.__courseTimer = timer;
  return true;
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _browser_test_settings():
    """Chromium path, flags and JupyterLab settings shared with the browser tests."""
    from tests.browser import conftest

    return conftest.CHROMIUM, conftest.CHROMIUM_ARGS, conftest.LAB_SETTINGS


@contextlib.contextmanager
def jupyterlab_server(home: Path, lab_settings: dict, extra_env: dict):
    """A JupyterLab server on 127.0.0.1 serving the repository; yields (base url, token, process)."""
    settings_dir = home / "settings"
    for relative, content in lab_settings.items():
        path = settings_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content))
    port, token = _free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={REPO_ROOT}",
               "--expose-app-in-browser", f"--LabApp.user_settings_dir={settings_dir}",
               f"--LabApp.workspaces_dir={home / 'workspaces'}",
               "--LabServerApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log_path = home / "server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=REPO_ROOT,
                                  env={**os.environ, **extra_env})
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("JupyterLab did not start:\n" + log_path.read_text()[-3000:])
                    time.sleep(0.5)
            yield base, token, server
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


class ByteCounter:
    """Counts bytes the page receives, by phase, from CDP Network events."""

    def __init__(self, cdp) -> None:
        self.phase = "load"
        self.bytes: dict[str, dict[str, int]] = {}
        cdp.send("Network.enable")
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.on("Network.loadingFinished", self._http)

    def _add(self, kind: str, n: int) -> None:
        phase = self.bytes.setdefault(self.phase, {"websocket": 0, "http": 0})
        phase[kind] += n

    def _frame(self, params: dict) -> None:
        response = params["response"]
        payload = response.get("payloadData", "")
        # text frames arrive as text; binary frames (Jupyter's v1 kernel protocol) as base64
        n = len(base64.b64decode(payload)) if response.get("opcode") == 2 else len(payload.encode("utf-8"))
        self._add("websocket", n)

    def _http(self, params: dict) -> None:
        self._add("http", int(params.get("encodedDataLength", 0)))

    def total(self, phase: str) -> int:
        numbers = self.bytes.get(phase, {})
        return sum(numbers.values())


def kernel_peak_mb(server: subprocess.Popen, kernel_id: str) -> float | None:
    """VmHWM of the kernel process whose connection file names ``kernel_id`` (None if not found)."""
    import psutil

    for child in psutil.Process(server.pid).children(recursive=True):
        try:
            if any(kernel_id in part for part in child.cmdline()):
                for line in Path(f"/proc/{child.pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM"):
                        return round(int(line.split()[1]) / 1024.0, 1)
        except (psutil.Error, OSError):
            continue
    return None


def _run_all(page, timeout_s: float = RUN_TIMEOUT_S) -> tuple[float, dict]:
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:restart-run-all'); }")
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    accept.wait_for(timeout=30_000)
    started = time.monotonic()
    accept.click()
    deadline = started + timeout_s
    while True:
        state = page.evaluate(JS_RUN_STATE)
        if state["errors"]:
            raise RuntimeError(f"error output while running: {state['errors']}")
        if state["total"] and state["done"] == state["total"] and state["status"] == "idle":
            return time.monotonic() - started, state
        if time.monotonic() > deadline:
            raise RuntimeError(f"the notebook did not finish in {timeout_s} s: {state}")
        page.wait_for_timeout(100)  # lets playwright deliver the CDP events meanwhile


def _lab_cells(path: Path) -> list[tuple[int, str]]:
    """(cell index, lab class name) of each cell tagged "lab" that builds a Lab.

    A cell either builds the lab itself (``ChannelLab()``) or, as the notebooks do, calls its
    lesson module's one-line function (``channel_lab()``, from ``from course_lib.lessons.nb02
    import *``): then the class is read from that function's source.
    """
    import importlib
    import inspect

    import nbformat

    nb = nbformat.read(path, as_version=4)
    lesson_modules = [importlib.import_module(name) for cell in nb.cells if cell.cell_type == "code"
                      for name in re.findall(r"from (course_lib\.lessons\.\w+) import \*", cell.source)]
    out = []
    for index, cell in enumerate(nb.cells):
        if "lab" not in cell.get("metadata", {}).get("tags", []):
            continue
        match = re.search(r"\b([A-Z]\w*Lab)\(", cell.source)
        call = re.match(r"\s*(\w+)\(", cell.source)
        if not match and call:
            for module in lesson_modules:
                function = getattr(module, call.group(1), None)
                if callable(function):
                    match = re.search(r"\b([A-Z]\w*Lab)\(", inspect.getsource(function))
                    break
        if match:
            out.append((index, match.group(1)))
    return out


def _slider_latencies(page, cell, presses: int = SLIDER_PRESSES) -> tuple[list[float], int]:
    """Press the first slider's handle ``presses`` times (right, then back left).

    Returns (ms per redraw, number of presses that changed nothing within PRESS_TIMEOUT_MS). After two
    misses in a row the timer is installed again on a freshly found handle; after four the lab is
    given up (the failures are reported, never hidden).
    """
    if not cell.evaluate(JS_INSTALL_TIMER):
        return [], 0
    keys = ["ArrowRight"] * (presses // 2) + ["ArrowLeft"] * (presses - presses // 2)
    misses = in_a_row = 0
    for k, key in enumerate(keys):
        handle = cell.locator(".widget-slider .noUi-handle").first
        handle.scroll_into_view_if_needed()
        handle.focus()
        expected = cell.evaluate("(c) => c.__courseTimer.samples.length") + 1
        page.keyboard.press(key)
        try:
            page.wait_for_function("([c, n]) => c.__courseTimer.samples.length >= n",
                                   arg=[cell.element_handle(), expected], timeout=PRESS_TIMEOUT_MS)
            in_a_row = 0
        except Exception:  # noqa: BLE001 - a press that redraws nothing is counted as a miss
            misses += 1
            in_a_row += 1
            cell.evaluate("(c) => { c.__courseTimer.t0 = null; }")
            if in_a_row >= 4:
                break
            if in_a_row == 2:
                cell.evaluate(JS_INSTALL_TIMER)
        page.wait_for_timeout(150)  # let the kernel go idle before the next press
    return list(cell.evaluate("(c) => c.__courseTimer.samples")), misses


def measure_notebook(browser, base: str, token: str, server, entry, lab_key) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 1600}, device_scale_factor=1)
    try:
        page = context.new_page()
        counter = ByteCounter(context.new_cdp_session(page))
        page.goto(f"{base}/lab/workspaces/bench-{entry.id}/tree/notebooks/{entry.filename}?reset&token={token}")
        page.wait_for_function(JS_NOTEBOOK_READY, timeout=120_000)
        page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=120_000)
        page.wait_for_timeout(1000)
        counter.phase = "cold"
        cold_s, state = _run_all(page)
        page.wait_for_timeout(1500)  # frames still in flight after the kernel went idle
        peak_cold = kernel_peak_mb(server, state["kernel_id"])
        counter.phase = "warm"
        warm_s, state = _run_all(page)
        page.wait_for_timeout(1500)
        peak_warm = kernel_peak_mb(server, state["kernel_id"])
        counter.phase = "sliders"
        sliders, slider_misses = {}, {}
        cells = page.locator(".jp-Notebook .jp-Cell")
        for index, class_name in _lab_cells(entry.path):
            cell = cells.nth(index)
            cell.scroll_into_view_if_needed()
            cell.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
            samples, misses = _slider_latencies(page, cell)
            sliders[lab_key(class_name)] = samples
            if misses:
                slider_misses[lab_key(class_name)] = misses
        peaks = [p for p in (peak_cold, peak_warm) if p is not None]
        return {
            "bytes": counter.total("cold"),
            "bytes_detail": counter.bytes,
            "run_all_s": {"cold": round(cold_s, 2), "warm": round(warm_s, 2)},
            "kernel_peak_mb": max(peaks) if peaks else None,
            "sliders": sliders,
            "slider_misses": slider_misses,
        }
    finally:
        with contextlib.suppress(Exception):  # free the kernel's memory before the next notebook
            page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
            page.wait_for_timeout(500)
        context.close()


def browser_figures(percentiles, lab_key, numba_cache: str = "warmed", only: list[str] | None = None) -> dict:
    """The ``browser`` section of the benchmark report (see the module docstring)."""
    from playwright.sync_api import sync_playwright

    from course_lib.syllabus import enabled_notebooks

    chromium, chromium_args, lab_settings = _browser_test_settings()
    # Run All must never write outputs back into the committed notebooks (the server serves the repo)
    lab_settings = {**lab_settings, "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False}}
    if not Path(chromium).exists():
        raise RuntimeError(f"chromium not found at {chromium}: run `make browser-deps` (as root) first")
    entries = [e for e in enabled_notebooks() if not only or e.id in only]
    with tempfile.TemporaryDirectory(prefix="course-bench-") as tmp:
        home = Path(tmp)
        extra_env = {"NUMBA_CACHE_DIR": str(home / "numba-cache")}
        if numba_cache == "warmed":
            subprocess.run([sys.executable, "-m", "course_lib.warmup", "--quiet"], check=True, cwd=REPO_ROOT,
                           env={**os.environ, **extra_env})
        per_notebook = {}
        with jupyterlab_server(home, lab_settings, extra_env) as (base, token, server), sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, headless=True, args=chromium_args)
            try:
                for entry in entries:
                    per_notebook[entry.id] = measure_notebook(browser, base, token, server, entry, lab_key)
            finally:
                browser.close()
    sliders, misses = {}, {}
    for numbers in per_notebook.values():
        for key, samples in numbers["sliders"].items():
            if samples:
                sliders[key] = percentiles(samples)
        misses.update(numbers["slider_misses"])
    return {
        "bytes_per_notebook": {nb: n["bytes"] for nb, n in per_notebook.items()},
        "slider_to_plot_ms": sliders,
        "run_all_s": {nb: n["run_all_s"] for nb, n in per_notebook.items()},
        "kernel_peak_mb": {nb: n["kernel_peak_mb"] for nb, n in per_notebook.items()},
        "page_load_bytes": {nb: n["bytes_detail"].get("load", {}) for nb, n in per_notebook.items()},
        "slider_presses_without_redraw": misses,
        "numba_cache": numba_cache,
    }
