# The usual chores. `make demo` and `make test` are the README's quick start.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo serve test test-fast lint typecheck format migrations bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)
	sh pwa/scripts/vendor-pyodide.sh
	sh pwa/scripts/vendor-swagger.sh

## Load the demo data and serve on http://localhost:8000 (SQLite, in-process worker)
demo: install
	$(BIN)/rounds demo --serve

serve: install
	$(BIN)/rounds serve

## The whole suite: lint, types, unit, SQLite, PostgreSQL, browser end-to-end
test: install
	bash scripts/test.sh

## The quick loop: SQLite only, no browser, no test marked `slow` (CI runs those); stops at
## the first failure
test-fast: install
	$(BIN)/pytest -q -x -p no:cacheprovider -m "not e2e and not slow"

lint: install
	$(BIN)/ruff check backend sync geo notifications tests benchmarks

format: install
	$(BIN)/ruff format backend sync geo notifications tests benchmarks

typecheck: install
	$(BIN)/mypy backend sync geo notifications

migrations: install
	PATH=$(BIN):$$PATH ./scripts/regen-migrations.sh

bench: install
	$(BIN)/python benchmarks/api_bench.py

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache .mypy_cache
