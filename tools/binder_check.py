"""Rehearse Binder's build of the course in a throwaway virtualenv (``make binder-check``).

repo2docker (the builder behind mybinder.org) does, for a repository with an environment.yml:

1. ``mamba create`` of its own base environment for Python 3.11 from a frozen lock file
   (JupyterLab, notebook, ipywidgets, jupyterhub-singleuser ...; the lock ships inside the
   ``jupyter-repo2docker`` package on PyPI, which this script downloads, pinned, and reads:
   nothing of repo2docker is copied into this repository);
2. ``mamba env update`` with our environment.yml; its pip section runs as
   ``python -m pip install -U -r <the pip lines> --no-input`` (mamba's pip_utils);
3. copies the repository and runs ``postBuild`` in it.

This script repeats those steps with pip instead of conda: a fresh virtualenv, the base lock's
Python packages installed at their locked versions (``--no-deps``, as a lock is installed), then our
pip section, then postBuild in a copy of the repository. It ends with ``pip check``, the course
importing and the JupyterLab widget extensions present, and every runtime package at the version
in constraints.txt. Conda packages that are not Python packages (compilers' runtime libraries,
openssl, nodejs, python itself) and conda's metapackages have no PyPI twin and are skipped; a few
conda names differ from PyPI's and are mapped (:data:`CONDA_TO_PYPI`). Both lists are printed.

    python tools/binder_check.py [--python python3.11] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
#: The repo2docker release whose base environment we rehearse (the version mybinder.org runs may
#: be newer: bump this when it is). Its wheel on PyPI carries the lock file.
REPO2DOCKER = "jupyter-repo2docker==2026.4.0"
BASE_LOCK_IN_WHEEL = "repo2docker/buildpacks/conda/environment.py-3.11-linux-64.lock"

#: conda-forge names whose PyPI distribution is called something else.
CONDA_TO_PYPI = {
    "brotli-python": "Brotli",
    "python-fastjsonschema": "fastjsonschema",
    "jupyterhub-base": "jupyterhub",
    "nbconvert-core": "nbconvert",
}
#: conda packages built for Python but with nothing to install from PyPI.
SKIP_PYTHON_PACKAGES = {"python", "python_abi"}

COPY_IGNORE = shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info", ".pytest_cache",
                                     ".hypothesis", "screenshots", "results")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def fetch_base_lock(workdir: Path) -> Path:
    """Download repo2docker's wheel from PyPI (no dependencies) and extract its Python 3.11 lock."""
    import zipfile

    wheels = workdir / "repo2docker-wheel"
    run(f"download {REPO2DOCKER} (for its base-environment lock)",
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
         "--dest", str(wheels), REPO2DOCKER])
    wheel = next(wheels.glob("*.whl"))
    lock = workdir / "base.lock"
    with zipfile.ZipFile(wheel) as archive:
        lock.write_bytes(archive.read(BASE_LOCK_IN_WHEEL))
    return lock


def base_packages(lock: Path) -> tuple[list[str], list[str]]:
    """(pip pins for the lock's Python packages, names of the conda packages skipped)."""
    pins, skipped = [], []
    for line in lock.read_text().splitlines():
        if not line.startswith("https://"):
            continue
        filename = line.split("#", 1)[0].rsplit("/", 1)[1]
        stem = filename.removesuffix(".conda").removesuffix(".tar.bz2")
        name, version, build = stem.rsplit("-", 2)
        # conda-forge Python packages carry "py" at the start of their build string (pyhd8ed1ab_0,
        # py311h...); libraries, nodejs and metapackages (jupyterhub-singleuser ...) do not.
        if not build.startswith("py") or name in SKIP_PYTHON_PACKAGES:
            skipped.append(name)
            continue
        pins.append(f"{CONDA_TO_PYPI.get(name, name)}=={version}")
    return pins, skipped


def environment_pip_lines(environment_yml: Path = REPO_ROOT / "environment.yml") -> list[str]:
    """The pip section of environment.yml, read without a YAML library (this may run on a bare Python)."""
    lines, inside = [], False
    for raw in environment_yml.read_text().splitlines():
        text = raw.split("#", 1)[0].rstrip()
        if re.fullmatch(r"\s*-\s*pip:\s*", text):
            inside = True
            continue
        if inside:
            match = re.fullmatch(r"\s{4,}-\s*(\S.*)", text)
            if match:
                lines.append(match.group(1).strip())
            elif text.strip():
                inside = False
    return lines


def run(step: str, command: list[str], **kwargs) -> subprocess.CompletedProcess:
    print(f"==> {step}", flush=True)
    start = time.perf_counter()
    done = subprocess.run(command, text=True, capture_output=True, **kwargs)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        print(done.stdout[-4000:], done.stderr[-4000:], sep="\n", file=sys.stderr)
        raise SystemExit(f"binder-check FAILED at: {step} (exit {done.returncode})")
    print(f"    ok in {seconds:.1f} s", flush=True)
    return done


CHECK_IMPORT = """
import json, importlib.metadata as md
import course_lib, course_lib.widgets, course_lib.quiz, course_lib.warmup
import plotly.graph_objects as go
go.FigureWidget()   # needs anywidget; fails when the widget stack is incomplete
print(json.dumps({d.metadata['Name']: d.version for d in md.distributions()}))
"""


def check(python: str, workdir: Path) -> dict:
    started = time.perf_counter()
    env_dir, repo_copy = workdir / "env", workdir / "repo"
    run(f"fresh virtualenv from {python}", [python, "-m", "venv", str(env_dir)])
    bin_dir = env_dir / "bin"
    py = str(bin_dir / "python")
    environ = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
               "VIRTUAL_ENV": str(env_dir), "NUMBA_CACHE_DIR": str(workdir / "numba-cache")}
    environ.pop("PYTHONPATH", None)

    pins, skipped = base_packages(fetch_base_lock(workdir))
    (workdir / "base.txt").write_text("\n".join(pins) + "\n")
    print(f"    repo2docker base: {len(pins)} Python packages as pip pins; mapped "
          + ", ".join(f"{c}->{p}" for c, p in CONDA_TO_PYPI.items())
          + f"; skipped {len(skipped)} conda-only packages: {', '.join(sorted(skipped))}")
    run("repo2docker's base environment (pinned, --no-deps, as a lock is installed)",
        [py, "-m", "pip", "install", "--quiet", "--no-deps", "-r", str(workdir / "base.txt")], env=environ)

    shutil.copytree(REPO_ROOT, repo_copy, ignore=COPY_IGNORE)
    pip_lines = environment_pip_lines(repo_copy / "environment.yml")
    spec = repo_copy / "mambaf-pip.txt"
    spec.write_text("\n".join(pip_lines) + "\n")
    run(f"environment.yml's pip section ({len(pip_lines)} pins), as mamba env update runs it",
        [py, "-m", "pip", "install", "-U", "-r", str(spec), "--no-input", "--quiet"], env=environ, cwd=repo_copy)
    spec.unlink()
    postbuild = run("postBuild (install course_lib, warm numba's cache)", ["bash", "postBuild"],
                    env=environ, cwd=repo_copy)
    print("    " + postbuild.stdout.strip().replace("\n", "\n    "))
    run("pip check", [py, "-m", "pip", "check"], env=environ)
    imported = run("course imports; plotly FigureWidget builds", [py, "-c", CHECK_IMPORT], env=environ,
                   cwd=workdir)
    extensions = run("JupyterLab extensions", [str(bin_dir / "jupyter"), "labextension", "list"], env=environ)
    listing = re.sub(r"\x1b\[[0-9;]*m", "", extensions.stdout + extensions.stderr)  # drop colours
    for needed in ("@jupyter-widgets/jupyterlab-manager", "anywidget"):
        if not re.search(rf"{re.escape(needed)} v\S+ enabled", listing):
            raise SystemExit(f"binder-check FAILED: JupyterLab extension {needed} missing or disabled:\n{listing}")

    import json

    installed = {normalise(name): version for name, version in json.loads(imported.stdout.strip().splitlines()[-1]).items()}
    drift = {}
    for line in pip_lines:
        name, version = line.split("==")
        if installed.get(normalise(name)) != version:
            drift[name] = (installed.get(normalise(name)), version)
    if drift:
        raise SystemExit(f"binder-check FAILED: installed vs environment.yml: {drift}")
    seconds = time.perf_counter() - started
    print(f"binder-check passed in {seconds:.0f} s: pip check clean, {len(pip_lines)} runtime packages "
          f"at the pinned versions, course imports, widget extensions enabled, numba cache warmed.")
    return {"seconds": seconds, "base_pins": len(pins), "skipped": skipped}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", default="python3.11", help="the Python 3.11 to build the virtualenv from")
    parser.add_argument("--keep", type=Path, help="build in this (empty or new) folder and keep it")
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        check(args.python, args.keep.resolve())
    else:
        with tempfile.TemporaryDirectory(prefix="binder-check-") as workdir:
            check(args.python, Path(workdir))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
