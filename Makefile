# The two commands of the README's quick start. Each sets itself up: it
# creates .venv (with the machine's python3) and installs the package and
# its test tools from pyproject.toml when they are missing or out of date.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.etagspec-installed
REPORT_DIR ?= etagspec-report

.PHONY: check test lint typecheck clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,examples]'
	touch $(STAMP)

## check: the main job — the conformance harness against the reference app.
check: $(STAMP)
	$(VENV)/bin/etagspec check --unsafe /data.json --report-dir $(REPORT_DIR)

## test: the whole test suite, lint and type check (what CI runs).
test: $(STAMP) lint typecheck
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) $(REPORT_DIR) .pytest_cache .mypy_cache .ruff_cache .hypothesis
