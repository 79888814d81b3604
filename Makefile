# The two commands of the README's quick start. Each sets itself up: it
# creates .venv (with the machine's python3) and installs the package and
# its test tools from pyproject.toml when they are missing or out of date.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.etagspec-installed
REPORT_DIR ?= etagspec-report
# `make test` fails when branch coverage of etagspec/ drops below this (per cent).
COVERAGE_FLOOR ?= 94
PIP_INSTALL := $(PY) -m pip install --progress-bar off --disable-pip-version-check
# The installer of everything below: uv, from PyPI at UV_VERSION. The venv
# is made without pip (ensurepip alone costs more than uv's whole install of
# the test tools); the machine's own pip puts uv into it (pip's --python),
# and uv installs the rest, pip included (the tests call it). It installs
# the test tools several times faster than pip (README, "Quick start"). It
# compiles no bytecode at install (no --compile-bytecode): a module is
# compiled when it is first imported, and only the imported ones are, where
# compiling all of site-packages (Django, mypy, Pillow) costs more than the
# whole test run then compiles. `make INSTALLER=pip ...` installs with pip alone.
UV_VERSION := 0.13.9
INSTALLER ?= uv
ifeq ($(INSTALLER),uv)
MAKE_VENV := $(PYTHON) -m venv --without-pip $(VENV)
INSTALLER_SETUP := $(PYTHON) -m pip --python $(PY) install --disable-pip-version-check --quiet uv==$(UV_VERSION)
INSTALL := $(VENV)/bin/uv pip install --python $(PY)
else ifeq ($(INSTALLER),pip)
MAKE_VENV := $(PYTHON) -m venv $(VENV)
INSTALLER_SETUP := $(PIP_INSTALL) --upgrade pip
INSTALL := $(PIP_INSTALL)
else
$(error INSTALLER is uv or pip, not '$(INSTALLER)')
endif

.PHONY: check test lint typecheck reports parser-reports bench fuzz clean

$(STAMP): pyproject.toml
	@echo "== setting up $(VENV): etagspec and its test tools from pyproject.toml, installed by $(INSTALLER)"
	$(MAKE_VENV)
	$(INSTALLER_SETUP)
	$(INSTALL) -e '.[test,examples]'
	touch $(STAMP)

## check: the main job — the conformance harness against the reference app.
check: $(STAMP)
	$(VENV)/bin/etagspec check --unsafe /data.json --report-dir $(REPORT_DIR)

## test: lint, type check and the whole test suite with branch coverage of
## etagspec/ (modules below 100 % listed; fails under COVERAGE_FLOOR). What CI runs.
# `-p no:etagspec`: the installed pytest plugin would import etagspec before
# coverage starts, hiding every import-time line; its own tests load it.
# `-n 2` (TEST_WORKERS): one pytest-xdist worker per core of the machines it
# runs on. A third worker fills the core that waiting tests leave idle, but
# it did not pay on a fresh clone (measured back to back: pytest 127 s with 3
# against 140 s with 2 where .venv and __pycache__ existed, 165 s against
# 156 s on fresh clones), and three processes on 2 cores put the timing
# tests at risk; TEST_WORKERS=3 tries it.
# `--dist worksteal`: a worker that runs out of tests takes some of another's,
# from the end of its queue; tests/conftest.py puts test_diagnosis.py (the longest
# module, whose runs are cached per process) at the head, so it stays in one
# worker.
# Bytecode is cached (__pycache__, git-ignored) even where PYTHONDONTWRITEBYTECODE
# is set: the workers and the tests' own Python subprocesses import the same modules.
# Hypothesis runs its "ci" profile (tests/conftest.py); HYPOTHESIS_PROFILE=thorough
# runs the long one. Its engine runs without coverage's tracer, what it calls
# with it (tests/untraced_engine.py: the same lines and arcs measured, in
# less CPU time); ETAGSPEC_TRACE_ENGINE=1 traces the engine too.
# mypy (typecheck) runs before pytest, not beside it: beside it, it only
# competed with the workers' start-up for the 2 cores (measured 23.3 s
# against 23.0 s, three runs each, on a subset), and before it a type error
# fails the run at once.
HYPOTHESIS_PROFILE ?= ci
TEST_WORKERS ?= 2
test: $(STAMP) lint typecheck
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -q -n $(TEST_WORKERS) --dist worksteal -p no:etagspec \
		--hypothesis-profile=$(HYPOTHESIS_PROFILE) --cov=etagspec --cov-branch \
		--cov-report=term-missing:skip-covered --cov-fail-under=$(COVERAGE_FLOOR)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

# The long jobs below are not part of `make test`. Each installs its own
# pinned extra from pyproject.toml into the same .venv.
$(VENV)/.etagspec-%: $(STAMP) pyproject.toml
	@echo "== installing the pinned '$*' extra from pyproject.toml into $(VENV)"
	$(INSTALL) -e '.[test,examples,$*]'
	touch $@

## reports: regenerate reports/ (every target of conformance/targets.toml:
## apps and servers in reports/, layers in reports/layers/, parsers in
## reports/parsers/ (each finding confirmed by a direct call), in one run;
## the layer findings confirmed).
## nginx and Apache come from Debian's packages; installed here when missing.
## etag-middleware goes apart under build/etag-middleware, where the layer
## adapter conformance/layers/asgi_layers.py loads it from.
reports: $(VENV)/.etagspec-campaign
	@command -v nginx >/dev/null && command -v apache2 >/dev/null || \
		{ apt-get update -qq && apt-get install -y -qq nginx-light apache2 >/dev/null; }
	$(INSTALL) --quiet --no-deps --upgrade --target build/etag-middleware etag-middleware==0.2.0
	$(VENV)/bin/etagspec matrix conformance/targets.toml --out reports
	$(PY) conformance/layers/confirm.py

## parser-reports: regenerate reports/parsers/ alone (the parser targets of
## conformance/targets.toml, each finding confirmed by a direct call).
parser-reports: $(VENV)/.etagspec-campaign
	$(VENV)/bin/etagspec matrix conformance/targets.toml --out reports --kind parser

## bench: the benchmark suite; rewrites benchmarks/README.md's table.
bench: $(VENV)/.etagspec-bench
	$(PY) benchmarks/run.py

## fuzz: the hostile-input campaign with atheris (FUZZ_RUNS inputs per target).
FUZZ_RUNS ?= 200000
fuzz: $(VENV)/.etagspec-fuzz
	$(PY) fuzz/run.py --runs $(FUZZ_RUNS)

clean:
	rm -rf $(VENV) $(REPORT_DIR) .pytest_cache .mypy_cache .ruff_cache .hypothesis
