# Sonagram: `make run` (local stack), `make test` (everything CI runs), `make bench`.
# One Python everywhere: the Lambda runtimes are python3.12. PYTHON, else python3.12 on
# PATH, else pyenv's (a pyenv shim answers only when 3.12 is selected, so each is tried).
PYTHON ?= $(firstword $(foreach p,python3.12 $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12),\
	$(shell $(p) -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null && echo $(p))))
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: install run test lint format unit integration bench layer clean

install: $(INSTALLED)

# Reinstall only when the dependency pins change.
$(INSTALLED): pyproject.toml
	@test -n '$(PYTHON)' || { echo 'Python 3.12 not found: pyenv install 3.12, or set PYTHON'; exit 1; }
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
