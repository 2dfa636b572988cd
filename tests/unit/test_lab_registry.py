"""The lab registry (course_lib.lab_registry) is complete, and what it lists is real.

Every "every lab" test and the benchmark are parametrised over the registry, so "every" is only as
true as the registry is complete: a Lab subclass or a figure builder missing from it would be
skipped by all of them at once. The last tests show a new lab is picked up: a throwaway lab, once
registered, is collected and run by each "every lab" test module, and fails the completeness test
until it is registered.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap

import pytest

from course_lib import lab_registry
from course_lib.lab_registry import FIGURE_BUILDERS, LABS, LABS_BY_NAME
from course_lib.syllabus import REPO_ROOT, enabled_notebooks

#: What the course held when the registry was written (issue 20): fewer means entries were lost.
LAB_FLOOR, FIGURE_BUILDER_FLOOR = 15, 16

#: The test modules whose tests are parametrised over LABS ("every lab").
EVERY_LAB_MODULES = ("tests/unit/test_every_lab_view.py", "tests/unit/test_a11y.py",
                     "tests/unit/test_figure_messages.py")


# ----------------------------------------------------------------------------- complete

def test_every_lab_class_in_the_widgets_is_registered():
    assert lab_registry.unregistered_labs() == [], (
        "add a LabEntry to course_lib/lab_registry.py for each (see 'How to add a lab' there)")


def test_every_entry_names_a_lab_class_of_the_widgets_under_its_own_name():
    from course_lib.widgets.base import Lab

    classes = lab_registry.lab_classes()
    for entry in LABS:
        cls = entry.lab_class()
        assert issubclass(cls, Lab) and cls.__name__ == entry.name, entry
        assert classes.get(entry.name) is cls, f"{entry.name}: not the class found in course_lib.widgets"


def test_every_figure_builder_is_registered_and_every_entry_is_a_builder():
    assert lab_registry.unregistered_figure_builders() == [], "add a FigureEntry to course_lib/lab_registry.py"
    stale = {entry.builder_path for entry in FIGURE_BUILDERS} - lab_registry.figure_builder_paths()
    assert not stale, f"entries naming no build_* function of course_lib.figures: {stale}"


def test_the_registry_keeps_at_least_what_the_course_had():
    assert len(LABS) >= LAB_FLOOR and len(FIGURE_BUILDERS) >= FIGURE_BUILDER_FLOOR


def test_names_and_report_keys_are_unique():
    for values in ([e.name for e in LABS], [e.key for e in LABS], [e.name for e in FIGURE_BUILDERS],
                   [e.builder_path for e in FIGURE_BUILDERS]):
        assert len(values) == len(set(values)), sorted(v for v in values if values.count(v) > 1)
    assert LABS_BY_NAME == {entry.name: entry for entry in LABS}


def test_a_missing_lab_is_named_with_the_way_to_register_it():
    with pytest.raises(KeyError, match="NoSuchLab.*LabEntry"):
        lab_registry.lab("NoSuchLab")


def test_importing_the_registry_loads_no_widget_plotting_or_model_code():
    # the registry is read where speed matters (import course_lib stays light): it names, it does not import
    code = ("import sys, course_lib.lab_registry\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('ipywidgets', 'plotly', 'numpy', 'numba')\n"
            "             or m.startswith(('course_lib.widgets', 'course_lib.figures', 'course_lib.models'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# ----------------------------------------------------------------------------- real

@pytest.mark.parametrize("entry", LABS, ids=lambda entry: entry.name)
def test_the_walk_moves_real_controls_through_values_they_accept(entry):
    lab = entry.factory()
    for change in entry.prepare_changes + entry.changes:
        for control, value in change.items():
            assert control in lab.controls, f"{entry.name}: no control {control!r}"
            assert lab.control_problem(control, value) is None, lab.control_problem(control, value)
    # consecutive changes differ, so each one is an update and not a repeat of the last
    assert all(a != b for a, b in zip(entry.changes, entry.changes[1:])), entry.name
    assert len(entry.changes) >= 2


def test_the_mystery_neuron_is_built_with_every_classroom_seed():
    # each classroom group hides a different change: "every lab" means each of them
    from course_lib.widgets.mystery_neuron import CLASSROOM_SEEDS

    seeds = {kwargs["seed"] for kwargs in lab_registry.lab("MysteryNeuronLab").all_builds()}
    assert seeds >= set(CLASSROOM_SEEDS)


@pytest.mark.parametrize("entry", LABS, ids=lambda entry: entry.name)
def test_every_variant_builds(entry):
    for kwargs in entry.variants:
        assert isinstance(entry.factory(**kwargs), entry.lab_class())


def test_every_entry_names_a_course_notebook():
    notebooks = {notebook.id for notebook in enabled_notebooks()}
    for entry in LABS + FIGURE_BUILDERS:
        assert entry.notebook in notebooks, (entry.name, entry.notebook)
    # browser_bench finds each lab in a lab cell of its notebook: tests/unit/test_benchmarks.py


def test_every_figure_builder_is_built_by_a_widget():
    # a builder listed but shown nowhere would be checked without reaching a learner
    import inspect

    sources = "".join(inspect.getsource(module) for module in _widget_modules())
    for entry in FIGURE_BUILDERS:
        function = entry.builder_path.split(":")[1]
        assert f"{function}(" in sources, f"{function} is built by no widget"


def _widget_modules():
    import importlib
    import pkgutil

    import course_lib.widgets as package

    return [importlib.import_module(info.name)
            for info in pkgutil.iter_modules(package.__path__, prefix=package.__name__ + ".")]


# ----------------------------------------------------------------------------- a new lab

def test_a_lab_class_missing_from_the_registry_is_named():
    from course_lib.widgets.base import Lab

    new_lab = type("BrandNewLab", (Lab,), {"__module__": "course_lib.widgets.brand_new"})
    try:
        assert lab_registry.unregistered_labs() == ["BrandNewLab"]
    finally:
        del new_lab
        gc.collect()  # Lab.__subclasses__() holds weak references: the class is gone for later tests
    assert lab_registry.unregistered_labs() == []


# A throwaway lab, defined by a pytest plugin so that it exists before the test modules are collected
# (their parametrisation reads the registry at import). REGISTER decides whether it gets an entry.
THROWAWAY_PLUGIN = textwrap.dedent('''
    import ipywidgets as widgets
    import numpy as np

    from course_lib import lab_registry
    from course_lib.figures.figure_widget import CourseFigureWidget
    from course_lib.widgets.base import Lab

    REGISTER = {register}


    class ThrowawayLab(Lab):
        title = "Throwaway lab"

        def _build_controls(self):
            return {{"level": widgets.FloatSlider(value=1.0, min=0.0, max=2.0, step=0.5, description="Level (ms)"),
                     "shown": widgets.Checkbox(value=True, description="Line shown")}}

        def _build_figure(self):
            fig = CourseFigureWidget()
            fig.add_scatter(x=np.arange(3.0), y=np.zeros(3), name="level")
            fig.add_scatter(x=np.arange(3.0), y=np.ones(3), name="reference")
            return fig

        def _update(self):
            level = self.value("level")
            with self.figure.batch_update():
                self.figure.data[0].y = np.full(3, level)
                self.figure.data[0].visible = bool(self.value("shown"))
            self.set_readout(f"Level {{level:g}} milliseconds")
            self.set_description("A flat line at the chosen level.")


    ThrowawayLab.__module__ = "course_lib.widgets.throwaway_lab"  # where a new lab's class would live
    if REGISTER:
        entry = lab_registry.LabEntry("ThrowawayLab", "throwaway_lab", "00_start_here", __name__ + ":ThrowawayLab",
                                      lab_registry._walk("level", [0.0, 0.5, 2.0]))
        lab_registry.LABS = lab_registry.LABS + (entry,)
        lab_registry.LABS_BY_NAME[entry.name] = entry
''')


def _pytest_with_throwaway_lab(tmp_path, register: bool, *args: str) -> subprocess.CompletedProcess:
    (tmp_path / "throwaway_lab_plugin.py").write_text(THROWAWAY_PLUGIN.format(register=register))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "throwaway_lab_plugin", "-p", "no:cacheprovider",
                           "-q", "-o", "addopts=", *args], capture_output=True, text=True, timeout=600,
                          cwd=REPO_ROOT, env=env)


@pytest.mark.slow
def test_a_registered_lab_is_collected_and_passes_every_lab_test(tmp_path):
    # per module: how many tests each registered lab gets (read from a collection without the throwaway)
    per_lab = {}
    listing = _pytest_with_throwaway_lab(tmp_path, True, "--collect-only", *EVERY_LAB_MODULES)
    assert listing.returncode == 0, listing.stdout[-3000:] + listing.stderr[-3000:]
    for module in EVERY_LAB_MODULES:
        ids = [line for line in listing.stdout.splitlines() if line.startswith(module + "::")]
        per_lab[module] = (sum("[ThrowawayLab]" in i for i in ids), sum("[ChannelLab]" in i for i in ids))
    # the throwaway gets as many tests as a lab that was there all along, and at least one per module
    assert all(mine == theirs >= 1 for mine, theirs in per_lab.values()), per_lab

    run = _pytest_with_throwaway_lab(tmp_path, True, "-k", "ThrowawayLab", *EVERY_LAB_MODULES)
    expected = sum(mine for mine, _ in per_lab.values())
    assert run.returncode == 0 and f"{expected} passed" in run.stdout, run.stdout[-3000:]


@pytest.mark.slow
def test_an_unregistered_lab_fails_the_completeness_test_by_name(tmp_path):
    run = _pytest_with_throwaway_lab(tmp_path, False, "tests/unit/test_lab_registry.py::"
                                     "test_every_lab_class_in_the_widgets_is_registered")
    assert run.returncode == 1 and "ThrowawayLab" in run.stdout, run.stdout[-3000:]
    run = _pytest_with_throwaway_lab(tmp_path, True, "tests/unit/test_lab_registry.py::"
                                     "test_every_lab_class_in_the_widgets_is_registered")
    assert run.returncode == 0, run.stdout[-3000:]
