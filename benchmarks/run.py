"""Performance figures for the course (measurements, not tests).

    python benchmarks/run.py          # a readable table
    python benchmarks/run.py --json   # one JSON object on stdout

Reports, against the budgets in DESIGN.md:
- lab_update_ms: per lab, p50 and p95 of a control change until the figure data is updated
  (Python side, after warm-up). Budget: p95 under 30 ms.
- model_ms_per_model_second, speedup_vs_solve_ivp, spike_time_max_diff_ms: per nociceptor model,
  the compiled simulation against scipy's solve_ivp on the same equations and protocol.
  Budget: under 5 ms per model second; aim for 20x or more.
- cohort: run time of the virtual cohort.
- notebooks: per notebook, execution time in a fresh kernel and the kernel's peak memory (MB).
  Budgets: whole course under 2 minutes; each kernel under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "benchmarks"))


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """p50 and p95 (nearest-rank) of a list of milliseconds, rounded for reading."""
    ordered = sorted(samples_ms)
    p95_index = max(0, min(len(ordered) - 1, round(0.95 * len(ordered)) - 1))
    return {"p50": round(statistics.median(ordered), 2), "p95": round(ordered[p95_index], 2), "n": len(ordered)}


def time_control_changes(lab, control: str, values: list, warmup: int = 3) -> dict[str, float]:
    """Time ``lab.controls[control].value = v`` for each v (which runs the model and updates the figure)."""
    widget = lab.controls[control]
    for value in values[:warmup]:
        widget.value = value
    samples = []
    for value in values:
        start = time.perf_counter()
        widget.value = value
        samples.append((time.perf_counter() - start) * 1000.0)
        if lab.last_error is not None:
            raise RuntimeError(f"{type(lab).__name__} failed at {control}={value}: {lab.last_error}")
    return percentiles(samples)


def demo_lab_latency(n: int = 50) -> dict:
    from course_lib.widgets.demo_lab import ThresholdDemoLab

    lab = ThresholdDemoLab()
    values = [1.0 + (i % 16) * 0.5 for i in range(n)]
    return {"demo_threshold": time_control_changes(lab, "threshold", values)}


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


def normalise_latency(per_lab: dict) -> dict:
    """Bench modules report p50_ms/p95_ms (plus extras such as build_ms); keep one naming."""
    out = {}
    for lab, numbers in per_lab.items():
        renamed = {key.removesuffix("_ms") if key in ("p50_ms", "p95_ms") else key: value
                   for key, value in numbers.items()}
        out[lab] = {key: round(value, 2) if isinstance(value, float) else value for key, value in renamed.items()}
    return out


def collect(include_notebooks: bool = True) -> dict:
    figures: dict = {"lab_update_ms": {}, "model_ms_per_model_second": {}, "speedup_vs_solve_ivp": {},
                     "spike_time_max_diff_ms": {}}
    figures["lab_update_ms"].update(demo_lab_latency())
    try:
        import nociceptor_bench
    except ImportError as error:
        figures["nociceptor"] = f"not measured: {error}"
    else:
        figures["lab_update_ms"].update(normalise_latency(nociceptor_bench.lab_latency()))
        for model, numbers in nociceptor_bench.model_speed().items():
            figures["model_ms_per_model_second"][model] = round(numbers["ms_per_model_second"], 2)
            figures["speedup_vs_solve_ivp"][model] = round(numbers["speedup_vs_solve_ivp"], 1)
            figures["spike_time_max_diff_ms"][model] = numbers["max_spike_time_difference_ms"]
    try:
        import dorsal_horn_bench
    except ImportError as error:
        figures["dorsal_horn"] = f"not measured: {error}"
    else:
        figures["lab_update_ms"].update(normalise_latency(dorsal_horn_bench.lab_latency()))
        figures["cohort"] = dorsal_horn_bench.cohort_speed()
    if include_notebooks:
        figures["notebooks"] = notebook_figures()
    return figures


def print_table(figures: dict) -> None:
    print("Slider change -> figure data updated (ms, Python side; budget p95 < 30)")
    for lab, numbers in figures["lab_update_ms"].items():
        flag = "" if numbers["p95"] < 30 else "   OVER BUDGET"
        build = f"   (built in {numbers['build_ms']:.0f} ms)" if "build_ms" in numbers else ""
        print(f"  {lab:<32} p50 {numbers['p50']:7.2f}   p95 {numbers['p95']:7.2f}{flag}{build}")
    if figures["model_ms_per_model_second"]:
        print("Nociceptor models (budget < 5 ms per model second; aim >= 20x solve_ivp)")
        for model, ms in figures["model_ms_per_model_second"].items():
            print(f"  {model:<48} {ms:7.2f} ms/model-s   {figures['speedup_vs_solve_ivp'][model]:7.1f}x solve_ivp"
                  f"   spike times within {figures['spike_time_max_diff_ms'][model]:.4f} ms")
    if "cohort" in figures:
        print(f"Virtual cohort: {figures['cohort']}")
    for key in ("nociceptor", "dorsal_horn"):
        if key in figures:
            print(f"{key}: {figures[key]}")
    if "notebooks" in figures:
        print("Notebooks in a fresh kernel (budget: all < 120 s; each kernel < 300 MB)")
        for name, numbers in figures["notebooks"].items():
            if name != "total_seconds":
                print(f"  {name:<40} {numbers['seconds']:6.1f} s   {numbers['peak_kernel_mb']:6.0f} MB")
        print(f"  {'total':<40} {figures['notebooks']['total_seconds']:6.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--no-notebooks", action="store_true", help="skip executing the notebooks")
    args = parser.parse_args(argv)
    figures = collect(include_notebooks=not args.no_notebooks)
    if args.json:
        print(json.dumps(figures))
    else:
        print_table(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
