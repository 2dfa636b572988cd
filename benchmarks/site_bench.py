"""The Explore edition's figures (issue 21 item 4): build time, size, and each page in headless Chromium.

``python benchmarks/run.py --site`` (or ``python benchmarks/site_bench.py``) builds the site into a
temporary folder, serves it on 127.0.0.1 with Python's own http.server (what the README tells a user to
run) and opens it in Debian's chromium, as the browser tests do. Reported, not asserted:

* the build: seconds with the labs computed afresh (``COURSE_SITE_LABS_CACHE=0``) and with the disk
  cache of lab states warm; the site's size, and how much of it is lab data and the plotly bundle;
* the first page (the course map) and every notebook page on a **cold** load (a new browser profile,
  nothing cached): bytes transferred and the time until the page is interactive (every explorable has
  drawn its first state and the quiz script is ready); then the same page **warm** (reloaded);
* each notebook page reached from the course map, as a learner goes on (plotly.js and the scripts are
  in the browser's cache by then): bytes transferred and time to interactive.

The budgets it prints beside the figures are issue 21's: the first page at most 3 MB and interactive in
at most 3 s on a cold load; each further page at most 1 MB.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
FIRST_PAGE_MB, FURTHER_PAGE_MB, INTERACTIVE_S = 3.0, 1.0, 3.0

# Interactive: the page has loaded, every explorable has drawn (explore.js sets data-ready) and, where
# the page has questions, the quiz script has set up its API.
JS_INTERACTIVE = """() => document.readyState === 'complete'
  && [...document.querySelectorAll('section.explore')].every(s => s.dataset.ready === 'true')
  && (!document.querySelector('.question') || !!window.courseQuiz)"""
# Bytes the page and its resources cost on the wire (0 for what came from the cache).
JS_TRANSFERRED = """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
  .reduce((sum, e) => sum + (e.transferSize || 0), 0)"""


def build(folder: Path) -> dict:
    """Build the site twice into ``folder``: the labs computed afresh, then from the warm disk cache."""
    from course_lib import site

    figures = {}
    for label, cache in (("cold", "0"), ("warm", "1")):
        previous = os.environ.get("COURSE_SITE_LABS_CACHE")
        os.environ["COURSE_SITE_LABS_CACHE"] = cache
        try:
            started = time.perf_counter()
            site.build(folder)
            figures[f"build_{label}_s"] = round(time.perf_counter() - started, 1)
        finally:
            if previous is None:
                os.environ.pop("COURSE_SITE_LABS_CACHE", None)
            else:
                os.environ["COURSE_SITE_LABS_CACHE"] = previous
    size = lambda paths: sum(p.stat().st_size for p in paths if p.is_file())  # noqa: E731
    figures["site_mb"] = round(size(folder.rglob("*")) / 1e6, 2)
    figures["labs_mb"] = round(size((folder / "labs").rglob("*")) / 1e6, 2)
    figures["plotly_mb"] = round(size((folder / "vendor").rglob("*")) / 1e6, 2)
    return figures


def _visit(page, url: str) -> tuple[float, int]:
    """Seconds from navigation to interactive, and the bytes transferred for it."""
    started = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function(JS_INTERACTIVE, timeout=60_000, polling=20)
    return time.perf_counter() - started, page.evaluate(JS_TRANSFERRED)


def pages_in_browser(base: str, names: list[str]) -> dict:
    sys.path.insert(0, str(REPO_ROOT))
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    rows = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for name in names:  # each page cold (a new profile), then reloaded warm
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                cold_s, cold_bytes = _visit(page, f"{base}/{name}")
                warm_s, warm_bytes = _visit(page, f"{base}/{name}")
                rows[name] = {"cold_s": round(cold_s, 2), "cold_kb": round(cold_bytes / 1e3),
                              "warm_s": round(warm_s, 2), "warm_kb": round(warm_bytes / 1e3)}
                context.close()
            # a learner's way through: the course map, then each notebook in turn (the cache kept)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            _visit(page, f"{base}/index.html")
            for name in names:
                if name != "index.html":
                    seconds, transferred = _visit(page, f"{base}/{name}")
                    rows[name].update(after_map_s=round(seconds, 2), after_map_kb=round(transferred / 1e3))
            context.close()
        finally:
            browser.close()
    return rows


def collect() -> dict:
    from course_lib import site

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "site"
        figures = build(folder)
        names = ["index.html"] + sorted(p.name for p in folder.glob("0*.html"))
        with site.serve(folder) as base:
            figures["pages"] = pages_in_browser(base, names)
    return figures


def print_table(figures: dict) -> None:
    print(f"Explore edition: build {figures['build_cold_s']} s (labs computed), {figures['build_warm_s']} s "
          f"(lab cache warm); site {figures['site_mb']} MB, of which lab states {figures['labs_mb']} MB and "
          f"plotly.js {figures['plotly_mb']} MB")
    print(f"{'page':<45} {'cold kB':>8} {'cold s':>7} {'warm kB':>8} {'warm s':>7} {'next kB':>8} {'next s':>7}")
    for name, row in figures["pages"].items():
        print(f"{name:<45} {row['cold_kb']:>8} {row['cold_s']:>7} {row['warm_kb']:>8} {row['warm_s']:>7} "
              f"{row.get('after_map_kb', '-'):>8} {row.get('after_map_s', '-'):>7}")
    print(f"budgets: first page <= {FIRST_PAGE_MB:g} MB and <= {INTERACTIVE_S:g} s cold; "
          f"each further page ('next', after the course map) <= {FURTHER_PAGE_MB:g} MB")


if __name__ == "__main__":
    print_table(collect())
