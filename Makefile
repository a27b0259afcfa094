# Printbridge. Two set-up commands: `make demo` and `make test`. Needs only Python >= 3.11 and make.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=

.PHONY: demo test test-core check bench install lock clean screenshots

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Printbridge needs Python >= 3.11 (found " + sys.version.split()[0] + ")")'
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## demo: migrate, seed a demo account, run web + worker + scheduler on SQLite; prints the URL and a login
demo: $(STAMP)
	$(BIN)/printbridge demo

## test: every test on $$DATABASE_URL (default: the embedded SQLite); browser tests need Chromium
test: $(STAMP)
	@bash bin/run-tests $(PYTEST_ARGS)

## test-core: the core suite on SQLite (no browser, no PostgreSQL-only tests)
test-core: $(STAMP)
	@env -u DATABASE_URL $(BIN)/pytest -q -m "not browser and not postgres_only and not chaos" $(PYTEST_ARGS)

## chaos: the full reliability runs (thousands of orders, every fault, worker kills) on $$DATABASE_URL
.PHONY: chaos
chaos: $(STAMP)
	$(BIN)/pytest -q -m chaos tests/reliability

## check: lint, format, types, migrations, then the tests
check: $(STAMP)
	$(BIN)/ruff check printbridge tests bench
	$(BIN)/ruff format --check printbridge tests bench
	$(BIN)/mypy
	$(BIN)/printbridge makemigrations --check --dry-run
	@bash bin/run-tests $(PYTEST_ARGS)

## bench: timing targets (not tests); prints a table, writes bench/results/
bench: $(STAMP)
	$(BIN)/python bench/reevaluate.py
	$(BIN)/python bench/flash_sale.py

## screenshots: the main pages of the seeded demo, captured in Chromium into docs/screenshots/
screenshots: $(STAMP)
	$(BIN)/python bin/screenshots

lock: $(STAMP)
	{ echo '# Every installed package pinned (make install uses it as a pip constraints file). Regenerate with `make lock`.'; \
	  $(BIN)/pip freeze --exclude-editable | grep -v '^printbridge'; } > constraints.txt

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
