# Glowpath developer commands. `make dev` runs the whole stack locally; `make test` runs the tests.
# The first run creates .venv and installs the project with its dev extras from PyPI, at the exact
# versions (and hashes) of requirements-dev.lock. `make lock` refreshes the locks.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The stamp's name carries a hash of pyproject.toml and the dev lock: edit the dependencies (then
# `make lock`) and the next `make` reinstalls; otherwise `make venv` is a no-op.
PYPROJECT_HASH := $(shell cat pyproject.toml requirements-dev.lock | cksum | cut -d' ' -f1)
STAMP := $(VENV)/.installed-$(PYPROJECT_HASH)
ARGS ?=
# The locks: requirements-dev.lock (every extra: development, local dev server, tracing, S3) for
# `make venv` and CI; requirements.lock (the runtime, tracing, S3) for the Docker image, at the
# same versions. Both resolve for every platform, with hashes.
LOCK_OPTIONS := --quiet --universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock"
UV_VERSION = $(shell sed -n 's/^uv==\([^ ]*\).*/\1/p' requirements-dev.lock)
UPGRADE ?=

.PHONY: venv dev test lint bench schema graphiql-assets lock fuzz

venv: $(STAMP)

$(STAMP):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --no-deps -e .
	@$(BIN)/python -m pip check >/dev/null || { $(BIN)/python -m pip check; \
		echo "requirements-dev.lock lacks what pyproject.toml asks for: run make lock" >&2; exit 1; }
	@rm -f $(VENV)/.installed-*
	@touch $@

# Adds what pyproject.toml gained and keeps every other pin; `make lock UPGRADE=1` moves every
# package to its newest allowed release. Needs only uv (installed at its locked version).
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install -q "uv==$(UV_VERSION)"
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra local --extra otel --extra s3 $(LOCK_OPTIONS) \
		$(if $(UPGRADE),--upgrade) -o requirements-dev.lock
	$(BIN)/uv pip compile pyproject.toml --extra otel --extra s3 $(LOCK_OPTIONS) \
		--constraint requirements-dev.lock -o requirements.lock

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

# The schemathesis run alone: 100 generated documents per query and mutation, on PostgreSQL (the
# suite sends 25 there). It needs the PostgreSQL server `make test` uses.
fuzz: venv
	GLOWPATH_FUZZ_EXAMPLES=100 GLOWPATH_FUZZ_BUDGET_SECONDS=3600 GLOWPATH_TEST_POSTGRES=require \
		$(BIN)/python -m tests.run_suites -q tests/api/test_fuzz.py $(ARGS)

bench: venv
	$(BIN)/python -m bench.step_bench
	$(BIN)/python -m bench.journey_bench

# Everything written from the code: the GraphQL schema, the permission table's README section and
# the script that makes a new SQLite database (after a new migration).
schema: venv
	$(BIN)/glowpath export-schema
	$(BIN)/python -m server.permissions_readme
	$(BIN)/python -m domain.store.sqlite_snapshot

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
