# Glowpath developer commands. `make dev` runs the whole stack locally; `make test` runs the tests.
# The first run creates .venv and installs the project with its dev extras from PyPI.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The stamp's name carries a hash of pyproject.toml: edit the dependencies and the next
# `make` reinstalls; otherwise `make venv` is a no-op.
PYPROJECT_HASH := $(shell cksum pyproject.toml | cut -d' ' -f1)
STAMP := $(VENV)/.installed-$(PYPROJECT_HASH)
ARGS ?=

.PHONY: venv dev test lint bench schema

venv: $(STAMP)

$(STAMP):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

dev: venv
	$(BIN)/glowpath dev

# The whole suite on SQLite, then again on a fresh PostgreSQL database when 127.0.0.1:5432
# answers (else it says it skipped that run). Extra pytest arguments: make test ARGS="-k cors"
test: venv
	$(BIN)/python -m tests.run_suites -q $(ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy domain schema workflows server

bench: venv
	$(BIN)/python -m bench.journey_bench

schema: venv
	$(BIN)/glowpath export-schema
	$(BIN)/python -m server.permissions_readme
