# vsend: `make run` sets everything up and serves the demo; `make test` sets up and runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv
BIN := $(VENV)/bin
PORT ?= 8000
STATIC_VENDOR := src/vsend/static/govuk

.PHONY: lock install assets run test test-fast test-browser lint migrate demo clean messages

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# Python dependencies come from requirements/dev.lock exactly, every file checked against its hash.
# `make lock` regenerates the lock files from the ranges in pyproject.toml.
$(VENV)/.installed: $(UV) pyproject.toml requirements/dev.lock
	VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet --require-hashes -r requirements/dev.lock
	VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet --no-deps -e .
	touch $@

lock: $(UV)
	$(UV) pip compile -q pyproject.toml --generate-hashes --python-version 3.11 -o requirements/prod.lock
	$(UV) pip compile -q pyproject.toml --group dev --generate-hashes --python-version 3.11 -o requirements/dev.lock

# GOV.UK Frontend and axe-core come from package-lock.json exactly.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(STATIC_VENDOR)/.copied: node_modules/.installed
	rm -rf $(STATIC_VENDOR) && mkdir -p $(STATIC_VENDOR)
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(STATIC_VENDOR)/
	# The stylesheet expects its fonts at /assets/; vsend serves them under /static/govuk/assets/.
	sed 's#url(/assets/#url(/static/govuk/assets/#g' node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css > $(STATIC_VENDOR)/govuk-frontend.min.css
	cp -r node_modules/govuk-frontend/dist/govuk/assets $(STATIC_VENDOR)/assets
	touch $@

install: $(VENV)/.installed $(STATIC_VENDOR)/.copied

assets: $(STATIC_VENDOR)/.copied

migrate: install
	$(BIN)/vsend migrate --no-input

demo: migrate
	$(BIN)/vsend demo

run: demo
	$(BIN)/vsend serve 127.0.0.1:$(PORT)

# The catalogue template for translators (src/vsend/locale/django.pot): every translatable string.
messages: install
	$(BIN)/vsend messages

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

# Every test, browser journeys included. DATABASE_URL selects PostgreSQL; unset, SQLite.
test: install
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest -m "not browser"

clean:
	rm -rf $(VENV) node_modules $(STATIC_VENDOR) staticfiles var
