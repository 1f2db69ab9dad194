# Discretion: `make demo` serves the synthetic council; `make test` runs the whole suite
# (SQLite, then a throw-away PostgreSQL cluster, then real Chromium). Both set everything up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := src/discretion/web/static/discretion/discretion.css
export DISCRETION_HOME := $(CURDIR)

.PHONY: demo serve test test-sqlite test-postgres test-browser lint bench bench-medium install assets system-packages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) $(ASSETS)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(ASSETS): node_modules/.package-lock.json src/discretion/web/assets/discretion.scss src/discretion/web/assets/copy-assets.js
	npm run --silent build

assets: $(ASSETS)

# Debian's PostgreSQL (for the throw-away test cluster) and Chromium (for browser tests).
system-packages:
	@scripts/ensure-system-packages.sh

demo: install
	$(BIN)/discretion demo

# The production stack (gunicorn, task worker, scheduler, audit sequencer) against DATABASE_URL;
# needs real keys in the environment (docs/deploy.md). BIND=0.0.0.0:8000 to listen elsewhere.
serve: install
	$(BIN)/discretion serve --migrate --bind $${BIND:-127.0.0.1:8000}

test: install system-packages
	$(MAKE) test-sqlite
	$(MAKE) test-postgres
	$(MAKE) test-browser

test-sqlite: install
	$(BIN)/pytest -m "not browser"

test-postgres: install
	scripts/with-postgres.sh $(BIN)/pytest -m "not browser"

test-browser: install
	$(BIN)/pytest -m browser

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/lint-imports --no-cache

bench: install system-packages
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	scripts/run-bench.sh

clean:
	rm -rf var/test-* var/bench-* .mypy_cache .ruff_cache
