# The two commands a new user needs: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL pass of `make test`; pytest-django creates and drops test_<name> beside it.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/aifabriek
# The system tests run beside that pass, so their test database has a name of its own.
SYSTEM_DATABASE_URL ?= $(TEST_DATABASE_URL)_system
PIP := $(BIN)/pip install --quiet --disable-pip-version-check

.PHONY: run test lint test-sqlite test-postgres test-system test-sqlite-then-system browser-deps \
	print-deps html-checker nginx-deps serve-prod vendor clean bench bench-smoke bench-deps

run: $(VENV)/.installed-base
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_aifabriek
	@$(BIN)/python manage.py create_demo_users --site-url "http://$(HOST):$(PORT)/"
	$(BIN)/python manage.py runserver "$(HOST):$(PORT)"

# After lint, two jobs run side by side, one on each core: the PostgreSQL pass, and the SQLite
# pass followed by the system tests (about as long). Each job's output is printed whole when it
# ends (--output-sync), and `make test` fails if either fails.
test: $(VENV)/.installed-test browser-deps print-deps html-checker nginx-deps bench-deps
	@$(MAKE) --no-print-directory lint
	@echo "== two jobs side by side; each one's output when it ends =="
	@$(MAKE) --no-print-directory --output-sync=target -j2 test-postgres test-sqlite-then-system

# The system tests run even when the SQLite pass fails, so one run reports both.
test-sqlite-then-system:
	@status=0; $(MAKE) --no-print-directory test-sqlite || status=1; \
	$(MAKE) --no-print-directory test-system || status=1; exit $$status

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	env -u DATABASE_URL $(BIN)/python manage.py makemigrations --check --dry-run

# The fuzz tests run in the PostgreSQL pass only (docs/decisions.md, "Fuzzing").
test-sqlite: $(VENV)/.installed-test
	@echo "== pytest on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest -m "not system and not fuzz"

test-postgres: $(VENV)/.installed-test
	@echo "== pytest on PostgreSQL ($(TEST_DATABASE_URL)) =="
	DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest -m "not system and not html_check"

# Tests that start whole stacks of their own (servers, proxies, load) run once, on PostgreSQL.
test-system: $(VENV)/.installed-test
	@echo "== system tests on PostgreSQL ($(SYSTEM_DATABASE_URL)) =="
	DATABASE_URL="$(SYSTEM_DATABASE_URL)" $(BIN)/pytest -m system

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

# The print tests count and read the pages chromium prints with Debian's poppler-utils
# (pdfinfo, pdftotext, pdftoppm).
print-deps:
	@command -v pdfinfo >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null; \
	  else echo "The print tests need poppler-utils: sudo apt-get install poppler-utils" >&2; exit 1; fi; }

# The HTML check runs the Nu Html Checker (npm vnu-jar, pinned in package-lock.json) with Java.
VNU_JAR := node_modules/vnu-jar/build/dist/vnu.jar
html-checker: $(VNU_JAR)
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	  else echo "The HTML check needs Java: sudo apt-get install openjdk-17-jre-headless" >&2; exit 1; fi; }

$(VNU_JAR): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq npm >/dev/null; \
	  else echo "The HTML check installs its checker with npm: sudo apt-get install npm" >&2; exit 1; fi; }
	npm ci --no-audit --no-fund
	touch $@
# The system tests and `make serve-prod` run Debian's nginx as a child process; the package's own
# service is not started on install (policy-rc.d).
nginx-deps:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    if [ -e /usr/sbin/policy-rc.d ]; then policy=keep; else policy=ours; \
	      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d; fi; \
	    apt-get update -qq && apt-get install -y -qq nginx >/dev/null; status=$$?; \
	    [ "$$policy" = keep ] || rm -f /usr/sbin/policy-rc.d; exit $$status; \
	  else echo "The production trial needs Debian's nginx: sudo apt-get install nginx" >&2; exit 1; fi; }

# The production stack on loopback, as deploy/ describes it: static files, migrations and the
# data set, then nginx in front of two gunicorn instances (DEBUG off) on PostgreSQL and Redis.
# Ctrl-C, SIGTERM or SIGHUP stops everything.
SERVE_PROD_PORT ?= 8080
SERVE_PROD_APP_PORTS ?= 8001 8002
SERVE_PROD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/aifabriek_prod
SERVE_PROD_CACHE_URL ?= redis://127.0.0.1:6379/1
serve-prod: $(VENV)/.installed-base nginx-deps
	$(BIN)/python -m deploy.stack --port $(SERVE_PROD_PORT) --app-ports $(SERVE_PROD_APP_PORTS) \
	  --database-url "$(SERVE_PROD_DATABASE_URL)" --cache-url "$(SERVE_PROD_CACHE_URL)"

# Refresh the vendored front-end files from the exact versions in package.json (needs npm).
vendor:
	npm install --no-audit --no-fund --no-save
	cp node_modules/plotly.js-basic-dist-min/plotly-basic.min.js static/vendor/plotly/
	node scripts/extract_plotly_css.js static/vendor/plotly/plotly-basic.min.js static/vendor/plotly/plotly.css
	cp node_modules/@utrecht/component-library-css/dist/index.css static/vendor/utrecht/component-library.css
	cp node_modules/axe-core/axe.min.js tests/vendor/

clean:
	rm -rf $(VENV) staticfiles .serve-prod .pytest_cache .ruff_cache

# The main pages under load, each as a ratio to a bare view in the same server (bench/run.py):
# a PostgreSQL database of its own, the generated portfolio, gunicorn and wrk on loopback.
# Writes bench/RESULTS.md; bench-smoke (tiny data, about a minute) writes bench/RESULTS-smoke.md.
bench: $(VENV)/.installed-base bench-deps
	$(BIN)/python -m bench.run

bench-smoke: $(VENV)/.installed-base bench-deps
	$(BIN)/python -m bench.run --smoke $(if $(BENCH_OUTPUT),--output "$(BENCH_OUTPUT)")

# wrk from Debian drives the load.
bench-deps:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; \
	  else echo "The benchmark needs wrk: sudo apt-get install wrk" >&2; exit 1; fi; }
