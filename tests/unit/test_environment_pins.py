"""environment.yml (Binder, conda) and constraints.txt (pip, CI) install the same course.

Binder's route: conda provides Python 3.11 and pip; environment.yml's pip section installs every
runtime package at its constraints.txt version; postBuild installs course_lib and warms numba's
cache. These tests catch drift between the files without building anything; ``make binder-check``
rehearses the real build.
"""

import importlib.metadata
import importlib.util
import re

import yaml
from packaging.requirements import Requirement
from packaging.version import Version

from course_lib.syllabus import REPO_ROOT


def _load_tool(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lock_environment = _load_tool("lock_environment")
binder_check = _load_tool("binder_check")
_norm = lock_environment.normalise


def pip_pins() -> dict[str, str]:
    return {name: version for name, (_, version) in lock_environment.read_constraints().items()}


def environment() -> dict:
    return yaml.safe_load((REPO_ROOT / "environment.yml").read_text())


def environment_pip_section() -> list[str]:
    sections = [dep["pip"] for dep in environment()["dependencies"] if isinstance(dep, dict)]
    assert len(sections) == 1, "environment.yml needs exactly one pip section"
    return sections[0]


def environment_pins() -> dict[str, str]:
    pins = {}
    for line in environment_pip_section():
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s=]+)", line)
        assert match, f"environment.yml pip line {line!r} is not an exact name==version pin"
        pins[_norm(match.group(1))] = match.group(2)
    return pins


def runtime_dependencies() -> set[str]:
    return {_norm(req.name) for req in lock_environment.project_dependencies()}


def test_conda_provides_only_python_311_and_pip():
    env = environment()
    assert env["channels"] == ["conda-forge"]
    conda_packages = [dep for dep in env["dependencies"] if isinstance(dep, str)]
    assert conda_packages == ["python=3.11", "pip"], (
        "every other package comes from pip at the version CI tested; a conda package here would be "
        f"resolved by conda instead: {conda_packages}")


def test_every_pip_package_is_pinned_at_the_constraints_version():
    pins, env = pip_pins(), environment_pins()
    mismatched = {name: (version, pins.get(name)) for name, version in env.items() if pins.get(name) != version}
    assert mismatched == {}, f"environment.yml vs constraints.txt (environment.yml, constraints.txt): {mismatched}"


def test_pip_section_is_exactly_the_runtime_closure():
    # everything the course needs at run time, nothing only the tests need
    closure = lock_environment.runtime_closure()
    env = set(environment_pins())
    assert closure - env == set(), f"runtime packages missing from environment.yml: {sorted(closure - env)}"
    assert env - closure == set(), f"packages in environment.yml the course does not need: {sorted(env - closure)}"
    assert not {"pytest", "playwright", "hypothesis", "nbval"} & env


def test_environment_yml_is_what_make_lock_writes():
    assert (REPO_ROOT / "environment.yml").read_text() == lock_environment.render(), (
        "environment.yml is out of date: run `make lock`")


def test_every_runtime_dependency_is_pinned_in_both_files():
    runtime = runtime_dependencies()
    assert runtime - set(environment_pins()) == set(), "runtime dependencies missing from environment.yml"
    assert runtime - set(pip_pins()) == set(), "runtime dependencies missing from constraints.txt"
    # Binder's base image ships notebook 7.4, which refuses jupyterlab 4.5+: ours must be pinned
    assert "notebook" in environment_pins()


def test_pinned_set_satisfies_its_own_requirements():
    # each pinned package's requirements (read from its installed metadata) accept the pinned
    # versions of the others: notebook must accept our jupyterlab, and so on
    pins = environment_pins()
    conflicts = []
    for name in pins:
        for line in importlib.metadata.distribution(name).requires or []:
            requirement = Requirement(line)
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue
            pinned = pins.get(_norm(requirement.name))
            if pinned is not None and not requirement.specifier.contains(Version(pinned), prereleases=True):
                conflicts.append(f"{name} requires {requirement}, pinned {pinned}")
    assert conflicts == []


def test_no_local_references_in_the_pip_section():
    # repo2docker installs environment.yml before copying the repository (so notebook edits reuse
    # the cached environment) unless a pip line refers to a local file: -e ., -r, -c, file://
    local = [line for line in environment_pip_section()
             if line.startswith(("-", ".")) or "file://" in line or "/" in line]
    assert local == []


def test_postbuild_installs_course_lib_without_dependencies_and_warms_numba():
    commands = [line.strip() for line in (REPO_ROOT / "postBuild").read_text().splitlines()
                if line.strip() and not line.strip().startswith("#")]
    assert commands[0] == "set -euo pipefail"
    install = [c for c in commands if "pip install" in c]
    assert len(install) == 1 and "--no-deps" in install[0] and install[0].rstrip().endswith("."), install
    assert commands.index(install[0]) < commands.index("python -m course_lib.warmup")


def test_installed_versions_match_the_pins():
    # the .venv that runs these tests must be the pinned one, or the class is not on the same course
    pins = pip_pins()
    drift = {}
    for name in runtime_dependencies():
        installed = importlib.metadata.version(name)
        if installed != pins[name]:
            drift[name] = (installed, pins[name])
    assert drift == {}, f"installed vs pinned: {drift}"


def test_binder_check_reads_the_pip_section_as_yaml_does():
    # binder_check parses environment.yml without a YAML library; it must see the same lines
    assert binder_check.environment_pip_lines() == environment_pip_section()


def test_binder_check_maps_repo2docker_base_to_pypi_names(tmp_path):
    # a small lock in conda-lock's explicit format (the real one is read from repo2docker's wheel
    # by `make binder-check`; this test stays offline)
    lock = tmp_path / "base.lock"
    lock.write_text("\n".join([
        "# platform: linux-64",
        "@EXPLICIT",
        "https://conda.anaconda.org/conda-forge/noarch/jupyterlab-4.4.9-pyhd8ed1ab_0.conda#0",
        "https://conda.anaconda.org/conda-forge/noarch/notebook-7.4.7-pyhd8ed1ab_0.conda#0",
        "https://conda.anaconda.org/conda-forge/noarch/jupyterhub-base-5.4.0-pyh31011fe_0.conda#0",
        "https://conda.anaconda.org/conda-forge/noarch/nbconvert-core-7.16.6-pyh29332c3_0.conda#0",
        "https://conda.anaconda.org/conda-forge/linux-64/brotli-python-1.1.0-py311h1ddb823_4.conda#0",
        "https://conda.anaconda.org/conda-forge/linux-64/python-3.11.14-hd63d673_1_cpython.conda#0",
        "https://conda.anaconda.org/conda-forge/linux-64/nodejs-22.13.0-hf235a45_0.conda#0",
        "https://conda.anaconda.org/conda-forge/linux-64/openssl-3.5.4-h26f9b46_0.conda#0",
        "https://conda.anaconda.org/conda-forge/linux-64/libgcc-15.2.0-h767d61c_7.conda#0",
        "https://conda.anaconda.org/conda-forge/noarch/jupyterhub-singleuser-5.4.0-hd8ed1ab_0.conda#0",
        "https://conda.anaconda.org/conda-forge/noarch/python_abi-3.11-8_cp311.conda#0",
    ]) + "\n")
    pins, skipped = binder_check.base_packages(lock)
    names = {_norm(pin.split("==")[0]): pin.split("==")[1] for pin in pins}
    # the base image's front end, which our pins replace
    assert names["jupyterlab"] == "4.4.9" and names["notebook"] == "7.4.7"
    # conda names that differ on PyPI
    assert "jupyterhub" in names and "jupyterhub-base" not in names
    assert "nbconvert" in names and "nbconvert-core" not in names
    assert names["brotli"] == "1.1.0"
    # non-Python conda packages and metapackages have no PyPI twin
    for conda_only in ("python", "nodejs", "openssl", "libgcc", "jupyterhub-singleuser", "python_abi"):
        assert conda_only in skipped and _norm(conda_only) not in names