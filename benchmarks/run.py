"""Performance figures for the course (measurements, not tests).

    python benchmarks/run.py                    # a readable table (``make bench`` adds --browser)
    python benchmarks/run.py --json             # one JSON object on stdout
    python benchmarks/run.py --json --browser   # plus the figures measured in a real browser
    python benchmarks/run.py --site             # plus the Explore edition (site_bench.py)

Reports, against the budgets in DESIGN.md:
- lab_update_ms: for every lab (every Lab subclass in course_lib.widgets, walked as listed in
  course_lib/lab_registry.py; labs.py fails loudly when one is missing there), p50 and p95 of a control change until the figure data is updated
  (Python side, after warm-up). Budget: p95 under 16 ms.
- model_ms_per_model_second, speedup_vs_solve_ivp, spike_time_max_diff_ms: per nociceptor model,
  the compiled simulation against scipy's solve_ivp on the same equations and protocol.
  Budget: under 5 ms per model second; aim for 20x or more.
- cohort: run time of the virtual cohort.
- virtual_trials_ms: run time of each of notebook 04's virtual trials and cohorts.
- notebooks: per notebook, execution time in a fresh kernel and the kernel's peak memory (MB).
  Budgets: whole course under 2 minutes; each kernel under 300 MB.
- browser (with --browser; see browser_bench.py): bytes_per_notebook (budget 6 MB), slider_to_plot_ms per
  lab (p95 budget 100 ms), run_all_s per notebook {cold, warm} (budgets 10 s and 4 s),
  kernel_peak_mb, page_load_bytes.
- site (with --site; see site_bench.py): the Explore edition's build time and size, and each page's
  bytes and time to interactive, cold, warm and after the course map. Budgets: first page 3 MB and 3 s
  cold; each further page 1 MB.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "benchmarks"))


def notebook_figures() -> dict:
    """Execute each enabled notebook in a fresh kernel; time it and read the kernel's peak RSS."""
    import nbformat
    from nbclient import NotebookClient

    from course_lib.syllabus import enabled_notebooks

    results = {}
    for entry in enabled_notebooks():
        nb = nbformat.read(entry.path, as_version=4)
        nb.cells.append(
            nbformat.v4.new_code_cell(
                # VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork+exec, so a kernel
                # started by this (large) process would report our peak instead of its own.
                "print('PEAK_RSS_KB', [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"
            )
        )
        client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(entry.path.parent)}})
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
        text = "".join(out.get("text", "") for out in nb.cells[-1].outputs)
        peak_mb = int(text.split("PEAK_RSS_KB")[1].split()[0]) / 1024.0
        results[entry.id] = {"seconds": round(seconds, 2), "peak_kernel_mb": round(peak_mb, 1)}
    results["total_seconds"] = round(sum(v["seconds"] for v in results.values()), 2)
    return results


LAB_BUDGET_P95_MS = 16.0
BROWSER_BUDGETS = {"bytes": 6_000_000, "slider_p95_ms": 100.0, "cold_s": 10.0, "warm_s": 4.0}


def collect(include_notebooks: bool = True, browser: bool = False, numba_cache: str = "warmed",
            only: list[str] | None = None, site: bool = False) -> dict:
    import labs

    figures: dict = {"lab_update_ms": labs.lab_latency(), "model_ms_per_model_second": {},
                     "speedup_vs_solve_ivp": {}, "spike_time_max_diff_ms": {}}
    import dorsal_horn_bench
    import nociceptor_bench

    for model, numbers in nociceptor_bench.model_speed().items():
        figures["model_ms_per_model_second"][model] = round(numbers["ms_per_model_second"], 2)
        figures["speedup_vs_solve_ivp"][model] = round(numbers["speedup_vs_solve_ivp"], 1)
        figures["spike_time_max_diff_ms"][model] = numbers["max_spike_time_difference_ms"]
    figures["cohort"] = dorsal_horn_bench.cohort_speed()
    figures["virtual_trials_ms"] = dorsal_horn_bench.virtual_trial_speed()
    if include_notebooks:
        figures["notebooks"] = notebook_figures()
    if browser:
        import browser_bench

        figures["browser"] = browser_bench.browser_figures(labs.percentiles, labs.key_for_class,
                                                           numba_cache=numba_cache, only=only)
    if site:
        import site_bench

        figures["site"] = site_bench.collect()
    return figures


def _flag(over: bool) -> str:
    return "   OVER BUDGET" if over else ""


def print_browser_table(numbers: dict) -> None:
    print(f"In the browser (headless chromium; numba cache at first start: {numbers['numba_cache']})")
    print(f"  {'notebook':<40} {'MB to page':>10} {'Run All cold':>13} {'warm':>7} {'kernel MB':>10}")
    for name, size in numbers["bytes_per_notebook"].items():
        run_all = numbers["run_all_s"][name]
        peak = numbers["kernel_peak_mb"].get(name)
        over = (size > BROWSER_BUDGETS["bytes"] or run_all["cold"] > BROWSER_BUDGETS["cold_s"]
                or run_all["warm"] > BROWSER_BUDGETS["warm_s"] or (peak or 0) > 300)
        print(f"  {name:<40} {size / 1e6:10.2f} {run_all['cold']:11.1f} s {run_all['warm']:5.1f} s "
              f"{peak if peak is not None else float('nan'):10.0f}{_flag(over)}")
    print("  (budgets: 6 MB per notebook; Run All 10 s on a first start, 4 s warm; kernel 300 MB)")
    print("Slider key press -> plot redrawn in the page (ms; budget p95 < 100)")
    for lab, stats in numbers["slider_to_plot_ms"].items():
        print(f"  {lab:<32} p50 {stats['p50']:7.1f}   p95 {stats['p95']:7.1f}   n {stats['n']:3d}"
              f"{_flag(stats['p95'] > BROWSER_BUDGETS['slider_p95_ms'])}")
    for lab, misses in numbers.get("slider_presses_without_redraw", {}).items():
        print(f"  {lab:<32} {misses} key press(es) redrew nothing within 10 s")


def print_table(figures: dict) -> None:
    print(f"Slider change -> figure data updated (ms, Python side; budget p95 < {LAB_BUDGET_P95_MS:g})")
    for lab, numbers in figures["lab_update_ms"].items():
        flag = _flag(numbers["p95"] >= LAB_BUDGET_P95_MS)
        build = f"   (built in {numbers['build_ms']:.0f} ms)" if "build_ms" in numbers else ""
        print(f"  {lab:<32} p50 {numbers['p50']:7.2f}   p95 {numbers['p95']:7.2f}{flag}{build}")
    if figures["model_ms_per_model_second"]:
        print("Nociceptor models (budget < 5 ms per model second; aim >= 20x solve_ivp)")
        for model, ms in figures["model_ms_per_model_second"].items():
            print(f"  {model:<48} {ms:7.2f} ms/model-s   {figures['speedup_vs_solve_ivp'][model]:7.1f}x solve_ivp"
                  f"   spike times within {figures['spike_time_max_diff_ms'][model]:.4f} ms")
    if "cohort" in figures:
        print(f"Virtual cohort: {figures['cohort']}")
    if "virtual_trials_ms" in figures:
        print("Virtual trials and cohorts of notebook 04 (ms per run)")
        for name, ms in figures["virtual_trials_ms"].items():
            print(f"  {name:<52} {ms:8.1f} ms")
    if "notebooks" in figures:
        print("Notebooks in a fresh kernel (budget: all < 120 s; each kernel < 300 MB)")
        for name, numbers in figures["notebooks"].items():
            if name != "total_seconds":
                print(f"  {name:<40} {numbers['seconds']:6.1f} s   {numbers['peak_kernel_mb']:6.0f} MB")
        print(f"  {'total':<40} {figures['notebooks']['total_seconds']:6.1f} s")
    if "browser" in figures:
        print_browser_table(figures["browser"])
    if "site" in figures:
        import site_bench

        site_bench.print_table(figures["site"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--no-notebooks", action="store_true", help="skip executing the notebooks")
    parser.add_argument("--browser", action="store_true",
                        help="also run every notebook in JupyterLab in headless chromium")
    parser.add_argument("--numba-cache", choices=("warmed", "empty"), default="warmed",
                        help="numba's cache at the browser run's first start: as `make lab` / postBuild "
                             "leave it (warmed, default) or empty (no install-time warm-up)")
    parser.add_argument("--only", nargs="+", metavar="NOTEBOOK_ID", help="browser run: only these notebooks")
    parser.add_argument("--site", action="store_true", help="also build the Explore edition and load its pages "
                                                             "in headless chromium")
    args = parser.parse_args(argv)
    figures = collect(include_notebooks=not args.no_notebooks, browser=args.browser,
                      numba_cache=args.numba_cache, only=args.only, site=args.site)
    if args.json:
        print(json.dumps(figures))
    else:
        print_table(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
