# SIINas — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell pyenv which python3.12 2>/dev/null || command -v python3.12 || echo python3.12)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3

.PHONY: install run test test-clock lint check migrate demo worker beat browsers bench loadtest vendor messages backup restore clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference

demo: migrate
	$(BIN)/python manage.py load_demo

# Links in e-mails, letters and certificate QR codes (the demo's too) follow HOST and PORT unless
# SIINAS_BASE_URL is set.
run: export SIINAS_BASE_URL ?= http://$(HOST):$(PORT)

## make run — the portal on the embedded default (SQLite, in-process tasks, e-mail as files in var/mail/, demo data)
run: demo
	@echo "SIINas on $(SIINAS_BASE_URL)/  (Ctrl+C to stop; e-mails are in var/mail/)"
	$(BIN)/gunicorn siinas.wsgi:application --bind $(HOST):$(PORT) --workers $(WORKERS) --worker-class sync --access-logfile -

lint: install
	$(BIN)/ruff check .

check: install
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run

## make test — everything CI runs: ruff, system checks, migrations check, the whole pytest suite
test: install browsers
	$(BIN)/ruff check .
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## make test-clock — the whole pytest suite again with the process clock moved to a Jakarta day boundary
## (tests/clock.py; TEST_CLOCK=jakarta-boundary, month-boundary or an ISO instant). CI's second pass.
TEST_CLOCK ?= jakarta-boundary
test-clock: install browsers
	SIINAS_TEST_CLOCK=$(TEST_CLOCK) $(BIN)/python -m pytest $(PYTEST_ARGS)

## make browsers — what tests/browser needs: Debian's Chromium (Playwright drives /usr/bin/chromium and never
## downloads a browser of its own), axe-core from the npm registry (package-lock.json); Playwright is a dev extra.
browsers: install
	@test -x /usr/bin/chromium || { $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq \
		&& DEBIAN_FRONTEND=noninteractive $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq chromium; }
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund

worker: install
	$(BIN)/celery -A siinas worker --loglevel INFO

beat: install
	$(BIN)/celery -A siinas beat --loglevel INFO --schedule var/celerybeat-schedule

## make backup — pg_dump --format=custom of DATABASE_URL, a tar of PRIVATE_MEDIA_ROOT, manifest.json (migrations,
## row counts, SHA-256 of everything) and SHA256SUMS into a new BACKUP_DIR. PostgreSQL only (docs/operations.md).
BACKUP_DIR ?= var/backups/$(shell date -u +%Y%m%dT%H%M%SZ)
backup: install
	$(BIN)/python manage.py backup --output "$(BACKUP_DIR)"

## make restore BACKUP=var/backups/<stamp> TARGET_DATABASE_URL=postgres://… — every checksum first, then into an
## empty database and an empty PRIVATE_MEDIA_ROOT, then row counts and checksums compared with the manifest.
## manage.py reads the URL from the environment (export it rather than typing a password after `make`).
## RESTORE_ARGS="--force" (non-empty targets) or "--verify-only" (checksums only, e.g. of an off-site copy).
restore: install
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/<stamp> TARGET_DATABASE_URL=postgres://… [RESTORE_ARGS=--verify-only]"; exit 2; }
	$(BIN)/python manage.py restore --input "$(BACKUP)" $(RESTORE_ARGS)

## make loadtest DATABASE_URL=postgres://…/siinas_scale_x [LOADTEST_ARGS="--scenario both"] — issue 14 §4: gunicorn on
## 127.0.0.1 and locust headless on a throwaway copy (createdb -T) of that database; figures in var/loadtest/.
## bench/run.sh --help lists the options (docs/performance.md, "Load test").
loadtest: install
	bench/run.sh --copy $(LOADTEST_ARGS)

messages: install
	$(BIN)/python manage.py makemessages -l id -l en --ignore ".venv/*" --ignore "node_modules/*" --ignore "var/*"
	$(BIN)/python manage.py compilemessages --ignore ".venv/*"

# Refresh the committed third-party assets in static/vendor/ from the npm registry (package.json).
vendor:
	npm install --no-audit --no-fund
	cp node_modules/bootstrap/dist/css/bootstrap.min.css* node_modules/bootstrap/dist/js/bootstrap.bundle.min.js* static/vendor/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp node_modules/chart.js/dist/chart.umd.min.js* static/vendor/chartjs/
	cp node_modules/d3-array/dist/d3-array.min.js node_modules/d3-geo/dist/d3-geo.min.js node_modules/d3-geo/LICENSE static/vendor/d3-geo/
	cp node_modules/d3-array/LICENSE static/vendor/d3-geo/LICENSE.d3-array
	cp node_modules/topojson-client/dist/topojson-client.min.js node_modules/topojson-client/LICENSE static/vendor/topojson/
	cp node_modules/cytoscape/dist/cytoscape.min.js node_modules/cytoscape/LICENSE static/vendor/cytoscape/
	cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts static/vendor/bootstrap-icons/

clean:
	rm -rf $(VENV) var node_modules
