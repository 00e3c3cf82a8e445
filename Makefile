# Pay Doctor. `make run` serves the site on SQLite; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-postgres serve-prod lint format bench bench-load audit migrate clean vendor test-js

# The browser's packages (package.json, lockfile committed): installed by `npm ci`, and the files
# the pages load copied into static/vendor/ (built, not committed) before anything serves or tests.
NODE_STAMP := node_modules/.installed
VENDOR_STAMP := static/vendor/.built

$(NODE_STAMP): package-lock.json package.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

$(VENDOR_STAMP): $(NODE_STAMP) scripts/copy-vendor.mjs
	node scripts/copy-vendor.mjs
	touch $(VENDOR_STAMP)

vendor: $(VENDOR_STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev,postgres]"
	touch $(STAMP)

migrate: $(STAMP) $(VENDOR_STAMP)
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

test: $(STAMP) $(VENDOR_STAMP)
	.ci/ensure-chromium
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(MAKE) --no-print-directory test-js
	$(BIN)/python -m pytest

# Local mode's parity: the Python engines write the cases (tests/js/write_*.py, into
# tests/js/fixtures/, not committed), Node's test runner runs the browser modules on them.
test-js: $(STAMP) $(VENDOR_STAMP)
	@for script in tests/js/write_*.py; do $(BIN)/python $$script || exit 1; done
	node --test tests/js/

# The suite against PostgreSQL (and Redis): a throwaway server on loopback, or your own DATABASE_URL.
test-postgres: $(STAMP) $(VENDOR_STAMP)
	.ci/with-services $(BIN)/python -m pytest

# Production: gunicorn + WhiteNoise. Needs SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL
# (settings refuse to start without them); SECURE_SSL_REDIRECT=0 when there is no TLS in front.
WORKERS ?= 2
serve-prod: $(STAMP) $(VENDOR_STAMP)
	DJANGO_ENV=production $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DJANGO_ENV=production $(BIN)/python manage.py migrate --noinput
	DJANGO_ENV=production $(BIN)/python manage.py load_faq
	DJANGO_ENV=production $(BIN)/gunicorn --config config/gunicorn.py config.wsgi --workers $(WORKERS) --bind $(HOST):$(PORT)

# Starts the production stack on loopback (throwaway PostgreSQL and Redis) and drives it with wrk.
bench-load: $(STAMP) $(VENDOR_STAMP)
	.ci/with-services $(BIN)/python bench/load.py

# Known vulnerabilities in the installed packages (pip-audit). Needs network access to pip-audit's
# vulnerability data; without it this says no audit was done and fails, never "no vulnerabilities".
audit: $(STAMP)
	$(BIN)/python .ci/audit

bench: $(STAMP) $(NODE_STAMP)
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done
	@for script in bench/bench_*.mjs; do echo "== $$script"; node $$script || exit 1; done

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache node_modules static/vendor tests/js/fixtures
