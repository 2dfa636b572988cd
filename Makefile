# The course's two commands: `make lab` and `make test`. Both set up .venv first.
# Only Python 3.11+ and make are needed; everything else is installed from the project's files.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
RUNTIME_STAMP := $(VENV)/.runtime-installed
TEST_STAMP    := $(VENV)/.test-installed
# numba caches compiled code keyed on each model file; re-warm when a model (or the warm-up) changes.
WARM_STAMP    := $(VENV)/.numba-warm
MODEL_SOURCES := $(wildcard course_lib/models/*.py) course_lib/warmup.py
NOTEBOOK ?= notebooks/00_start_here.ipynb

# JupyterLab refuses to run as root unless told; containers and CI run as root.
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: help setup setup-test warm lab test test-fast browser-deps notebooks site bench binder-check lock readme clean

help:
	@echo "make lab        set up the course and open it in JupyterLab"
	@echo "make test       set up the course and run every test (unit, science, notebooks, browser)"
	@echo "make test-fast  every test except the browser tests"
	@echo "make notebooks  re-execute every notebook in place (after editing one)"
	@echo "make site       build the Explore edition (a static website) into site/"
	@echo "make bench      print the performance figures (Python side, in a real browser, and the Explore edition)"
	@echo "make binder-check  rehearse Binder's build in a throwaway virtualenv (release check)"

$(BIN)/python:
	@echo "==> Creating the virtual environment in $(VENV) (first run only)"
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "the course needs Python 3.11 or newer, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): $(BIN)/python pyproject.toml constraints.txt
	@echo "==> Installing the course and its pinned packages (a few minutes the first time)"
	$(PIP) install --quiet --constraint constraints.txt --editable .
	@touch $@

$(TEST_STAMP): $(RUNTIME_STAMP) pyproject.toml constraints.txt
	@echo "==> Installing the test tools"
	$(PIP) install --quiet --constraint constraints.txt --editable '.[test]'
	@touch $@

# Compile the numba kernels into numba's on-disk cache now, so the first notebook run does not.
# numba keys a cached kernel on its own file only: a kernel that calls a shared helper
# (models/_neuron_toolkit.py, _rate_table.py) would keep the old helper compiled in. So any change to
# a model file clears the models' whole cache first.
$(WARM_STAMP): $(RUNTIME_STAMP) $(MODEL_SOURCES)
	@echo "==> Compiling the course's models once (numba cache; about a minute the first time)"
	rm -f course_lib/models/__pycache__/*.nbi course_lib/models/__pycache__/*.nbc
	$(BIN)/python -m course_lib.warmup
	@touch $@

warm: $(WARM_STAMP)

# The plotly.js cartesian bundle the Explore edition's labs draw with: from the npm registry, checked
# against its published sha512 (tools/fetch_plotly_js.py), kept in .cache/ (not in git). Install time only:
# building and serving the site fetch nothing.
PLOTLY_JS := .cache/plotly/plotly-cartesian.min.js
$(PLOTLY_JS): tools/fetch_plotly_js.py | $(BIN)/python
	@echo "==> Fetching the plotly.js bundle for the Explore edition (npm registry, checksum checked)"
	$(BIN)/python tools/fetch_plotly_js.py
	@touch $@

setup: $(RUNTIME_STAMP) $(WARM_STAMP)

setup-test: $(TEST_STAMP)

lab: setup
	@echo "==> Opening $(NOTEBOOK) in JupyterLab (stop it with Ctrl+C)"
	$(BIN)/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/$(NOTEBOOK)

# Debian's chromium for the real-browser tests. Installed when we are root and it is missing;
# otherwise the browser tests say why they cannot run (and fail under CI=true, never skip).
browser-deps:
	@if [ -x /usr/bin/chromium ]; then \
	  echo "==> chromium found: $$(/usr/bin/chromium --version 2>/dev/null)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "==> Installing Debian's chromium for the browser tests (first run only)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else \
	  echo "==> chromium is missing and cannot be installed here (needs root and apt-get):"; \
	  echo "    the browser tests will be skipped. Install it with: sudo apt-get install chromium"; \
	fi

# Two runs: everything but the browser on $(JOBS) workers (each notebook stays on one worker, so nbval
# runs its cells in order), then the browser tests on $(JOBS) workers, each with its own JupyterLab and
# chromium (a notebook's tests stay on one worker: browser_test_group in tests/browser/conftest.py).
# Both always run; `make test` fails if either does.
JOBS ?= 2
NBVAL := --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg

test: setup-test warm browser-deps $(PLOTLY_JS)
	@echo "==> Running every test: unit, science validation, notebook hygiene and nbval ($(JOBS) workers)"
	HYPOTHESIS_PROFILE=ci $(BIN)/python -m pytest tests notebooks $(NBVAL) -m "not browser" -n $(JOBS) --dist loadfile; \
	status=$$?; \
	echo "==> Running the browser tests (JupyterLab in headless chromium)"; \
	HYPOTHESIS_PROFILE=ci $(BIN)/python -m pytest tests/browser -m browser -n $(JOBS) --dist loadscope || status=1; \
	exit $$status

test-fast: setup-test warm $(PLOTLY_JS)
	HYPOTHESIS_PROFILE=ci $(BIN)/python -m pytest tests notebooks $(NBVAL) -m "not browser" -n $(JOBS) --dist loadfile

notebooks: setup
	$(BIN)/python tools/execute_notebooks.py

# Python-side figures, then every notebook in a real JupyterLab in headless chromium.
bench: setup setup-test browser-deps $(PLOTLY_JS)
	$(BIN)/python benchmarks/run.py --browser --site

# A fresh virtualenv with repo2docker's base packages, then environment.yml's pip section and
# postBuild, as Binder runs them; ends with pip check and the course importing. A release check
# (a few minutes: it downloads the packages), not part of `make test`.
binder-check: setup
	$(BIN)/python tools/binder_check.py --python $(PYTHON)

# Regenerate the exact pins from the current .venv (after changing pyproject.toml).
lock: setup-test
	@{ echo "# Exact versions of everything course_lib and its tests install (pip constraints)."; \
	   echo "# A class gets the same course all term. Regenerate with: make lock"; \
	   $(PIP) freeze --exclude-editable | grep -iv '^course.lib'; } > constraints.txt
	$(BIN)/python tools/lock_environment.py
	@echo "==> constraints.txt and environment.yml updated (tests/unit/test_environment_pins.py checks them)"

site: setup $(PLOTLY_JS)
	$(BIN)/python -m course_lib.site

readme: setup
	$(BIN)/python -m course_lib.syllabus

clean:
	rm -rf $(VENV) tests/browser/screenshots .pytest_cache site
