# Quick start:  make run   (set up, migrate the embedded SQLite DB, load demo data, serve :8000)
#               make test  (set up, then lint, type-check and run the whole suite on SQLite + PostgreSQL)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest services openapi bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/qcredit migrate
	$(BIN)/qcredit demo
	$(BIN)/qcredit serve

services:
	scripts/test-services.sh

lint: $(STAMP)
	$(BIN)/ruff check service tests bench migrations
	$(BIN)/ruff format --check service tests bench

typecheck: $(STAMP)
	$(BIN)/mypy service

pytest: $(STAMP) services
	$(BIN)/pytest -q -p no:cacheprovider

test: lint typecheck pytest

openapi: $(STAMP)
	$(BIN)/python -m service.http.openapi > openapi/openapi.json

bench: $(STAMP)
	$(BIN)/python -m bench.run --quick

clean:
	rm -rf $(VENV) qcredit.db qcredit.db-wal qcredit.db-shm .qcredit-demo-key
