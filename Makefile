# Sonagram: `make run` (local stack), `make test` (everything CI runs), `make bench`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: install run test lint format unit integration bench layer clean

install: $(INSTALLED)

# Reinstall only when the dependency pins change.
$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade 'pip<26.3'  # chalice 1.34 wants pip < 26.3
	$(PY) -m pip install --quiet -e '.[worker,dev,infra]'
	touch $@

run: install
	$(PY) -m infra.local

test: install lint
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

unit: install
	$(PY) -m pytest tests/unit

integration: install
	$(PY) -m pytest tests/integration

bench: install
	$(PY) -m bench

# The worker's scientific Lambda layer, checked against the size limit (layers/README.md).
layer: install
	$(PY) -m layers.build_layer

clean:
	rm -rf $(VENV) build layers/build bench/work .pytest_cache .ruff_cache
