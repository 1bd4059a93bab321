# The two commands: `make run` (set up and serve) and `make test` (the whole suite on
# SQLite and on PostgreSQL). Both create the virtual environment when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve bench bench-quick bench-tools test test-sqlite test-postgres chromium lint format setup messages clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

messages: $(VENV)/.runtime
	$(BIN)/pybabel compile --domain django --directory locale --statistics 2>&1 | tail -n 3

setup: $(VENV)/.runtime messages
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_seed
	$(PY) manage.py ensure_admin

run: setup
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: /admin/, API docs: /api/v1/docs/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production serving: gunicorn with config/gunicorn.py, static files by whitenoise.
# Needs SECRET_KEY, DEBUG=false, ALLOWED_HOSTS and usually DATABASE_URL (see README).
serve: $(VENV)/.runtime messages
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(BIN)/gunicorn --config config/gunicorn.py

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache --no-logo

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Debian's Chromium and a CJK font for the browser tests (tests/browser/).
chromium:
	scripts/ensure-chromium.sh

test-sqlite: $(VENV)/.dev messages chromium
	env -u DATABASE_URL $(BIN)/pytest -q

test-postgres: $(VENV)/.dev messages chromium
	scripts/with-postgres.sh $(BIN)/pytest -q

test: lint test-sqlite test-postgres

# Benchmarks (bench/run.py): the full run takes long and needs wrk from Debian.
bench-tools: $(VENV)/.dev
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" -ne 0 ] && echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk; }

bench: bench-tools messages
	env -u DATABASE_URL $(PY) bench/run.py
	scripts/with-postgres.sh $(PY) bench/run.py

bench-quick: bench-tools messages
	env -u DATABASE_URL $(PY) bench/run.py --quick
	scripts/with-postgres.sh $(PY) bench/run.py --quick

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
