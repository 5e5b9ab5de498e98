# Parasat — `make run` serves the app, `make test` runs the whole suite.
# Both bootstrap everything they need: a Python >= 3.12, uv, and .venv from requirements.lock.

SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON_DOWNLOADS := never
export UV_SYSTEM_CERTS := 1
export PYTHONPATH := $(CURDIR)/src
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.parasat-installed
PORT ?= 8000

# The first Python >= 3.12 found: on PATH, then under pyenv.
PYTHON := $(shell for p in python3.13 python3.12 python3 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null && { command -v $$p; break; }; done)

.PHONY: help run dev test lint format install messages makemessages bench check-python clean static lock

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Parasat needs Python 3.12 or newer, and none was found (tried python3.13, python3.12, python3, pyenv)." >&2; \
		echo "Install it (e.g. 'apt-get install python3.12' or 'pyenv install 3.12') and run make again." >&2; \
		exit 1; fi

$(STAMP): requirements.lock pyproject.toml | check-python
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	@[ -x $(BIN)/python ] || $(PYTHON) -m uv venv --quiet $(VENV) --python $(PYTHON)
	$(PYTHON) -m uv pip sync --quiet --python $(BIN)/python --require-hashes requirements.lock
	$(PYTHON) -m uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $(STAMP)

install: $(STAMP) messages ## Create .venv and compile the translations

messages: $(STAMP)
	@$(BIN)/python -m parasat.core.lib.catalogues compile

makemessages: $(STAMP) ## Extract UI strings into the kk/ru/en catalogues (needs gettext)
	cd src/parasat && ../../$(BIN)/parasat makemessages -l kk -l ru --no-obsolete --add-location file --ignore 'toolkit/bank/*'

run: install ## Migrate, load the toolkit and the Kazakhstan 2014 review, and serve on http://127.0.0.1:$(PORT)
	$(BIN)/parasat prepare
	@$(MAKE) --no-print-directory static
	PORT=$(PORT) exec $(BIN)/parasat serve

# Collect (and compress) static files only when they changed since the last run.
static: $(STAMP)
	@manifest=$${PARASAT_VAR_DIR:-var}/static/staticfiles.json; \
	if [ ! -f $$manifest ] || [ requirements.lock -nt $$manifest ] || \
	   [ -n "$$(find src -path '*/static/*' -newer $$manifest -print -quit)" ]; then \
		echo "Collecting static files…"; $(BIN)/parasat collectstatic --no-input --verbosity 0; fi

dev: install ## Development server with autoreload (DEBUG on)
	PARASAT_ENV=development $(BIN)/parasat prepare
	PORT=$(PORT) PARASAT_ENV=development $(BIN)/parasat runserver 127.0.0.1:$(PORT)

# The suite runs in TEST_WORKERS processes (pytest-xdist); the browser tests are
# dealt among them module by module (see conftest.py). TEST_WORKERS=0 runs it in this process;
# PYTEST_ARGS adds to (and may override) the options, e.g. PYTEST_ARGS='-m "not browser"'.
TEST_WORKERS ?= 2
# Compiled bytecode is kept (under var/pycache) even where the environment asks
# Python not to write it (PYTHONDONTWRITEBYTECODE): otherwise every worker
# compiles Django, the libraries and the project again, some 10 s of CPU each.
TEST_ENV := PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/var/pycache

test: install ## Run the whole test suite in parallel (browser tests too where Chromium is installed)
	$(BIN)/ruff check --quiet .
	$(BIN)/ruff format --check --quiet .
	$(TEST_ENV) $(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP) ## ruff: lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## ruff: fix what can be fixed and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install ## Benchmarks (see bench/README.md)
	@status=0; $(BIN)/python bench/run.py || status=1; \
	$(BIN)/python bench/assessment.py || status=1; \
	$(BIN)/python bench/jobs.py || status=1; \
	$(BIN)/python bench/analysis.py || status=1; \
	$(BIN)/python bench/reports.py || status=1; \
	$(BIN)/python bench/actionplan.py || status=1; \
	$(BIN)/python bench/engagement.py || status=1; \
	$(BIN)/python bench/surveys.py || status=1; exit $$status

lock: ## Re-resolve dependencies and export requirements.lock (uv.lock is never committed)
	$(PYTHON) -m uv lock --python $(PYTHON)
	$(PYTHON) -m uv export --format requirements-txt --all-groups --no-emit-project --no-header -o requirements.lock --quiet

clean: ## Remove .venv (the database in var/ stays)
	rm -rf $(VENV)
