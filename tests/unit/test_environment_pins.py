"""environment.yml (Binder, conda) and constraints.txt (pip) install the same course."""

import re

import yaml

from course_lib.syllabus import REPO_ROOT

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python < 3.11 is not supported anyway
    tomllib = None


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pip_pins() -> dict[str, str]:
    pins = {}
    for line in (REPO_ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[_norm(name)] = version.strip()
    return pins


def conda_pins() -> dict[str, str]:
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and dep not in ("pip",):
            name, _, version = dep.partition("=")
            pins[_norm(name)] = version.lstrip("=")
    return pins


def runtime_dependencies() -> set[str]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    return {_norm(re.split(r"[<>=!~\[ ;]", dep, maxsplit=1)[0]) for dep in project["dependencies"]}


def test_every_conda_package_is_pinned_at_the_pip_version():
    pip, conda = pip_pins(), conda_pins()
    conda.pop("python")
    mismatched = {n: (v, pip.get(n)) for n, v in conda.items() if pip.get(n) != v}
    assert mismatched == {}, f"environment.yml vs constraints.txt (conda, pip): {mismatched}"


def test_every_runtime_dependency_is_in_both_files():
    runtime = runtime_dependencies()
    assert runtime - set(conda_pins()) == set(), "runtime dependencies missing from environment.yml"
    assert runtime - set(pip_pins()) == set(), "runtime dependencies missing from constraints.txt"


def test_environment_uses_conda_forge_python_311_and_no_editable_install():
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    assert "python=3.11" in env["dependencies"]
    pip_section = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert not any("-e" in item for d in pip_section for item in d.get("pip", [])), "no -e . in environment.yml"
    assert "pip install" in (REPO_ROOT / "postBuild").read_text()


def test_installed_versions_match_the_pins():
    # the .venv that runs these tests must be the pinned one, or the class is not on the same course
    import importlib.metadata

    pins = pip_pins()
    drift = {}
    for name in runtime_dependencies():
        installed = importlib.metadata.version(name)
        if installed != pins[name]:
            drift[name] = (installed, pins[name])
    assert drift == {}, f"installed vs pinned: {drift}"
