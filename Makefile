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

.PHONY: venv dev test lint bench schema graphiql-assets

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

# GraphiQL's assets, served by the API itself (server/static/graphiql/README.md): fetched from the
# npm registry only when a version changes, then committed.
GRAPHIQL_VERSION := 3.8.3
REACT_VERSION := 18.2.0
GRAPHIQL_ASSETS := server/static/graphiql

graphiql-assets:
	@set -e; work=$$(mktemp -d); trap 'rm -rf "$$work"' EXIT; \
	(cd "$$work" && npm pack --silent graphiql@$(GRAPHIQL_VERSION) react@$(REACT_VERSION) \
		react-dom@$(REACT_VERSION) >/dev/null); \
	for pinned in graphiql-$(GRAPHIQL_VERSION) react-$(REACT_VERSION) react-dom-$(REACT_VERSION); do \
		package=$${pinned%-*}; \
		mkdir -p "$$work/$$package" "$(GRAPHIQL_ASSETS)/$$package"; \
		tar xzf "$$work/$$pinned.tgz" -C "$$work/$$package"; \
		cp "$$work/$$package/package/LICENSE" "$(GRAPHIQL_ASSETS)/$$package/"; \
	done; \
	cp "$$work"/graphiql/package/graphiql.min.js "$$work"/graphiql/package/graphiql.min.css \
		"$(GRAPHIQL_ASSETS)/graphiql/"; \
	cp "$$work"/react/package/umd/react.production.min.js "$(GRAPHIQL_ASSETS)/react/"; \
	cp "$$work"/react-dom/package/umd/react-dom.production.min.js "$(GRAPHIQL_ASSETS)/react-dom/"; \
	for file in $(GRAPHIQL_ASSETS)/*/*.js $(GRAPHIQL_ASSETS)/*/*.css; do \
		echo "$$file sha384-$$(openssl dgst -sha384 -binary "$$file" | base64 | tr -d '\n')"; \
	done
