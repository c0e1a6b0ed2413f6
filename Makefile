# Sonagram: `make run` (local stack), `make test` (everything CI runs), `make bench`.
# One Python everywhere: the Lambda runtimes are python3.12. PYTHON, else python3.12 on
# PATH, else pyenv's (a pyenv shim answers only when 3.12 is selected, so each is tried).
PYTHON ?= $(firstword $(foreach p,python3.12 $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12),\
	$(shell $(p) -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null && echo $(p))))
VENV := .venv
PY := $(VENV)/bin/python
# Two installs, each redone when the pins change: what running Sonagram needs (make run), and
# all a developer and CI need besides (tests, oracles, linters, the CDK).
RUN_INSTALLED := $(VENV)/.installed-run
INSTALLED := $(VENV)/.installed-test
EXTRAS_run := worker,run
EXTRAS_test := worker,run,test,infra

.PHONY: install ui run test lint format unit integration bench types layer synth deploy destroy clean

# The browser app: `npm ci` when the lock changes, `vite build` when a source does.
FRONTEND := frontend
NODE_MODULES := $(FRONTEND)/node_modules/.installed
UI_BUILT := $(FRONTEND)/dist/index.html
UI_SOURCES := $(shell find $(FRONTEND)/src -type f) \
	$(addprefix $(FRONTEND)/,index.html package.json tsconfig.json vite.config.ts) \
	chalicelib/spectrogram/viridis.json

install: $(INSTALLED)

$(VENV)/.installed-%: pyproject.toml
	@test -n '$(PYTHON)' || { echo 'Python 3.12 not found: pyenv install 3.12, or set PYTHON'; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade 'pip<26.3'  # chalice 1.34 wants pip < 26.3
	$(PY) -m pip install --quiet -e '.[$(EXTRAS_$*)]'
	touch $@

$(NODE_MODULES): $(FRONTEND)/package-lock.json
	cd $(FRONTEND) && npm ci --no-audit --no-fund
	touch $@

$(UI_BUILT): $(NODE_MODULES) $(UI_SOURCES)
	cd $(FRONTEND) && npm run build

ui: $(UI_BUILT)

# Debian's packages the tests run: Chromium for the browser flows (Playwright's own download
# is out of reach), curl and jq for the API walk-through in docs/api.md.
TEST_TOOLS := /usr/bin/chromium /usr/bin/curl /usr/bin/jq
$(TEST_TOOLS):
	apt-get update && apt-get install -y $(notdir $(TEST_TOOLS))

run: $(RUN_INSTALLED) ui
	$(PY) -m infra.local

# The UI is built first: the integration tests fetch it and drive it in Chromium.
test: install lint ui $(TEST_TOOLS)
	$(PY) -m pytest
	cd $(FRONTEND) && CI=true npx vitest run

# Besides Python's linters: ESLint (with React's rules of hooks) on the browser app, and its
# types of the API (frontend/src/api/openapi.ts) against the API's document.
lint: install $(NODE_MODULES)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m infra.api_types --check
	cd $(FRONTEND) && npm run lint

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

unit: install
	$(PY) -m pytest tests/unit

integration: install
	$(PY) -m pytest tests/integration

bench: install
	$(PY) -m bench

# The browser app's types of the API, generated from its /openapi.json: run after changing
# chalicelib/openapi.py (make lint fails until then).
types: $(RUN_INSTALLED) $(NODE_MODULES)
	$(PY) -m infra.api_types

# The worker's scientific Lambda layer, checked against the size limit (layers/README.md).
layer: install
	$(PY) -m layers.build_layer

# The cloud stage (docs/deploy.md): the pinned CDK CLI runs infra/app.py, which needs
# the layer and the built UI. STAGE names the stack (Sonagram-<STAGE>); CDK_ARGS passes more
# context, e.g. CDK_ARGS='-c alarm_email=me@example.org -c worker_concurrency=200'.
CDK := npx --yes aws-cdk@2.1148.1
CDK_STAGE = -c stage=$(STAGE) $(CDK_ARGS)
stage-required = $(if $(STAGE),,$(error make $@ needs STAGE=<name>, e.g. make $@ STAGE=lab))

synth: install ui layer
	$(stage-required)
	$(CDK) synth $(CDK_STAGE) --quiet

deploy: install ui layer
	$(stage-required)
	$(CDK) deploy $(CDK_STAGE)

destroy: install ui layer
	$(stage-required)
	$(CDK) destroy $(CDK_STAGE)

clean:
	rm -rf $(VENV) build layers/build bench/work .pytest_cache .ruff_cache \
		$(FRONTEND)/node_modules $(FRONTEND)/dist
