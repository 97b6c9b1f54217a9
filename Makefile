# The two commands a new user needs: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL pass of `make test`; pytest-django creates and drops test_<name> beside it.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/aifabriek
PIP := $(BIN)/pip install --quiet --disable-pip-version-check

.PHONY: run test lint test-sqlite test-postgres browser-deps vendor clean

run: $(VENV)/.installed-base
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_aifabriek
	@$(BIN)/python manage.py create_demo_users --site-url "http://$(HOST):$(PORT)/"
	$(BIN)/python manage.py runserver "$(HOST):$(PORT)"

test: $(VENV)/.installed-test browser-deps lint test-sqlite test-postgres

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	env -u DATABASE_URL $(BIN)/python manage.py makemigrations --check --dry-run

test-sqlite: $(VENV)/.installed-test
	@echo "== pytest on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: $(VENV)/.installed-test
	@echo "== pytest on PostgreSQL ($(TEST_DATABASE_URL)) =="
	DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-base: requirements/base.lock | $(BIN)/python
	$(PIP) -r requirements/base.lock
	touch $@

$(VENV)/.installed-test: requirements/test.lock requirements/base.lock | $(BIN)/python
	$(PIP) -r requirements/test.lock
	touch $@ $(VENV)/.installed-base

# Browser tests drive Debian's chromium; Playwright never downloads a browser of its own.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

# Refresh the vendored front-end files from the exact versions in package.json (needs npm).
vendor:
	npm install --no-audit --no-fund --no-save
	cp node_modules/plotly.js-basic-dist-min/plotly-basic.min.js static/vendor/plotly/
	node scripts/extract_plotly_css.js static/vendor/plotly/plotly-basic.min.js static/vendor/plotly/plotly.css
	cp node_modules/@utrecht/component-library-css/dist/index.css static/vendor/utrecht/component-library.css
	cp node_modules/axe-core/axe.min.js tests/vendor/

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
