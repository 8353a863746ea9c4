# Everyday tasks. `make run` and `make test` are the README's quick start.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
TI_SCHEMA ?= webapp/gql/ti-schema

.PHONY: run test lint format schema sandbox-reset clean i18n-extract i18n-update i18n-compile wheel screenshots fonts bench-bytes
BABEL_KEYWORDS := -k _l -k lazy_gettext -k N_ -k t:2 -k tn:2,3

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.app-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.app-installed

## run: install and serve Atrium at http://127.0.0.1:5000 (on the sandbox unless TI_INSTANCE_URL is set)
run: $(VENV)/.app-installed
	$(BIN)/flask --app webapp run --host 127.0.0.1 --port 5000

node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --silent
	touch $@

## test: install what the tests need (Python packages, Debian's chromium, axe-core), lint, run all
test: $(VENV)/.test-installed node_modules/axe-core/axe.min.js
	scripts/ensure-debian-packages.sh
	$(BIN)/ruff check webapp tests bench
	$(BIN)/ruff format --check webapp tests bench
	$(BIN)/pytest -n 2

lint: $(VENV)/.test-installed
	$(BIN)/ruff check webapp tests bench
	$(BIN)/ruff format --check webapp tests bench

format: $(VENV)/.test-installed
	$(BIN)/ruff check --fix webapp tests bench
	$(BIN)/ruff format webapp tests bench

## i18n-extract: collect every translatable string into translations/messages.pot
i18n-extract: $(VENV)/.app-installed
	$(BIN)/pybabel extract -F translations/babel.cfg $(BABEL_KEYWORDS) --ignore-dirs ".*" --no-location \
		--sort-output --project Atrium -o translations/messages.pot .

## i18n-update: merge new strings into each language's catalog (then translate them)
i18n-update: i18n-extract
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-wrap \
		--no-fuzzy-matching --ignore-obsolete

## i18n-compile: check that every catalog compiles and how much of it is translated. Nothing is
## written: building the package compiles them into it (setup.py), and in a checkout the app
## compiles them at start into ~/.cache/atrium, outside the sources (webapp/i18n.py).
i18n-compile: $(VENV)/.app-installed
	for po in translations/*/LC_MESSAGES/messages.po; do \
		$(BIN)/pybabel compile --statistics -l $$(basename $$(dirname $$(dirname $$po))) \
			-i $$po -o /dev/null || exit 1; \
	done

## wheel: build the installable package into dist/, the compiled catalogs inside
wheel: | $(BIN)/python
	$(BIN)/python -m pip wheel --no-deps --wheel-dir dist .

## schema: re-vendor webapp/gql/schema.graphql from TI's introspection snapshot
schema: $(VENV)/.app-installed
	$(BIN)/python -m webapp.gql.refresh_schema $(TI_SCHEMA)

## sandbox-reset: restore the sandbox's demo data
sandbox-reset: $(VENV)/.app-installed
	$(BIN)/flask --app webapp sandbox reset

## screenshots: every page at 390 and 1280 px, English and Arabic, both demo companies (git-ignored)
screenshots: $(VENV)/.test-installed
	scripts/ensure-debian-packages.sh
	$(BIN)/python scripts/screenshots.py --out screenshots

## fonts: re-vendor the brand fonts into webapp/static/fonts from the @fontsource packages (npm)
fonts: $(VENV)/.app-installed
	npm install --no-audit --no-fund --silent
	$(BIN)/pip install --quiet -e '.[fonts]'
	$(BIN)/python scripts/vendor_fonts.py

## bench-bytes: bytes on the wire per page, first and repeat view, in Chromium (README "Bytes")
bench-bytes: $(VENV)/.test-installed
	scripts/ensure-debian-packages.sh
	$(BIN)/python bench/bytes.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache instance build dist *.egg-info
