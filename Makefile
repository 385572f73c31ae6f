# Quick start:  make run   (set up, migrate the embedded SQLite DB, load demo data, serve :8000)
#               make test  (set up, then lint, type-check and run the whole suite on SQLite + PostgreSQL)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest services openapi client-codegen bench clean

$(STAMP): pyproject.toml clients/python/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' -e 'clients/python[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/qcredit migrate
	$(BIN)/qcredit demo
	$(BIN)/qcredit serve

services:
	scripts/test-services.sh

lint: $(STAMP)
	$(BIN)/ruff check service tests bench migrations clients/python
	$(BIN)/ruff format --check service tests bench clients/python

typecheck: $(STAMP)
	$(BIN)/mypy service clients/python/src clients/python/examples

pytest: $(STAMP) services
	$(BIN)/pytest -q -p no:cacheprovider

test: lint typecheck pytest

openapi: $(STAMP)
	$(BIN)/python -m service.http.openapi > openapi/openapi.json

# the Python client's models (from openapi/openapi.json) and its sync half (from the async)
client-codegen: $(STAMP)
	$(BIN)/python -m pip install --quiet -e 'clients/python[codegen]'
	$(BIN)/python clients/python/scripts/codegen.py

bench: $(STAMP)
	$(BIN)/python -m bench.run --quick

clean:
	rm -rf $(VENV) qcredit.db qcredit.db-wal qcredit.db-shm .qcredit-demo-key
