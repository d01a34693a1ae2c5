# Two commands on a fresh machine: `make run` (portal with demo data) and `make test` (the suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint install install-dev migrate demo serve bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py createcachetable

# Links in emails (and the admin address seed_demo prints) use SITE_URL: the address this server answers on.
demo: migrate
	DEBUG=1 SITE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py seed_demo

run: demo
	@echo "Portal: http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	DEBUG=1 SITE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The whole suite, browser tests included; the 25 slowest tests are listed at the end.
test: install-dev
	$(BIN)/python -m pytest --durations=25 $(PYTEST_ARGS)

# The edit-and-test loop: no browser tests (and, as always, no scale-out test). About half the time of `make test`.
test-fast: install-dev
	$(BIN)/python -m pytest -m "not e2e and not scaleout" $(PYTEST_ARGS)

# ruff (lint and format, pyproject.toml), import-linter (the layers of docs/architecture.md), and no function
# in app code over 60 lines. CI runs it before the tests.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python scripts/long_functions.py 60

# The scale-out test (two gunicorn instances + worker on one database; see docs/deploy.md). Needs
# DATABASE_URL on PostgreSQL and Redis. SCALEOUT_RESTART_POSTGRES=1 also restarts that PostgreSQL
# cluster mid-load, cutting everyone's connections: point DATABASE_URL at a throwaway cluster for it
# (.ci/run makes one with pg_createcluster), never at a server others use.
.PHONY: test-scaleout
test-scaleout: install-dev
	$(BIN)/python -m pytest -m scaleout consultatie/tests/scaleout $(PYTEST_ARGS)

# Production-style server (gunicorn.conf.py; settings from the environment, e.g. SECRET_KEY, DATABASE_URL).
serve: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py collectstatic --noinput
	@echo "Production stack: gunicorn on http://$(HOST):$(PORT)/ plus the task worker (db_worker); Ctrl-C stops both."
	$(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	GUNICORN_BIND=$(HOST):$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py

# Benchmarks (needs PostgreSQL and Redis; recreates the database cp_bench); rewrites docs/performance.md.
bench: install-dev
	$(BIN)/python -m bench.run_all $(BENCHES)

clean:
	rm -rf $(VENV) staticfiles test_db.sqlite3*
