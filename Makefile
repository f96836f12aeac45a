# The two commands: `make run` (set up and serve the demo) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MANAGE := $(PY) manage.py

.PHONY: run test test-postgres bench venv migrate demo check lint messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

migrate: venv
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo

## Set up everything (virtualenv, install, migrate, demo data) and serve on http://127.0.0.1:$(PORT)
run: demo
	$(MANAGE) runserver 127.0.0.1:$(PORT)

## Run the whole test suite (SQLite unless DATABASE_URL is set)
test: venv
	$(PY) scripts/run_tests.py $(ARGS)

## Run the whole suite against a throwaway PostgreSQL cluster on 127.0.0.1
test-postgres: venv
	scripts/with-postgres.sh $(MAKE) test ARGS="$(ARGS)"

## Benchmarks: our pages against a trivial Django view, at growing data sizes
bench: venv
	$(PY) tests/perf/bench.py $(ARGS)

check: venv
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

lint: venv
	$(VENV)/bin/ruff check .

## Regenerate and compile the translation catalogues (needs GNU gettext)
messages: venv
	cd faggruppe_pages && $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages -l nb -l nn --no-obsolete && $(CURDIR)/$(PY) $(CURDIR)/manage.py compilemessages
	cd governance && $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages -l nb -l nn --no-obsolete && $(CURDIR)/$(PY) $(CURDIR)/manage.py compilemessages
	$(MANAGE) makemessages -l nb -l nn --no-obsolete --ignore=faggruppe_pages --ignore=governance --ignore=.venv && $(MANAGE) compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3
