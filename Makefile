# Pay Doctor. `make run` serves the site on SQLite; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-postgres serve-prod lint format bench bench-load audit migrate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev,postgres]"
	touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_faq

run: migrate
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: $(STAMP)
	.ci/ensure-chromium
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

# The suite against PostgreSQL (and Redis): a throwaway server on loopback, or your own DATABASE_URL.
test-postgres: $(STAMP)
	.ci/with-services $(BIN)/python -m pytest

# Production: gunicorn + WhiteNoise. Needs SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL
# (settings refuse to start without them); SECURE_SSL_REDIRECT=0 when there is no TLS in front.
WORKERS ?= 2
serve-prod: $(STAMP)
	DJANGO_ENV=production $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DJANGO_ENV=production $(BIN)/python manage.py migrate --noinput
	DJANGO_ENV=production $(BIN)/python manage.py load_faq
	DJANGO_ENV=production $(BIN)/gunicorn --config config/gunicorn.py config.wsgi --workers $(WORKERS) --bind $(HOST):$(PORT)

# Starts the production stack on loopback (throwaway PostgreSQL and Redis) and drives it with wrk.
bench-load: $(STAMP)
	.ci/with-services $(BIN)/python bench/load.py

# Known vulnerabilities in the installed packages (pip-audit). Needs network access to pip-audit's
# vulnerability data; without it this says no audit was done and fails, never "no vulnerabilities".
audit: $(STAMP)
	$(BIN)/python .ci/audit

bench: $(STAMP)
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
