# Two commands matter: `make run` and `make test`. Each builds what it needs from nothing.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
KEZEK_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
export KEZEK_TEST_POSTGRES_URL

.PHONY: run demo test test-unit interop lint postgres chromium screenshots bench clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Kezek needs Python 3.11 or newer on PATH." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

# An independent C2SP tlog-witness client and verifier the interop tests run against
# (docs/transparency.md, "Interoperation"); they declare Python >= 3.12 but run on 3.11.
INTEROP := $(VENV)/.interop-aics-tlog-0.2.1-aics-witness-0.1.0
$(INTEROP): $(STAMP)
	$(BIN)/python -m pip install --quiet --no-deps --ignore-requires-python aics-tlog==0.2.1 aics-witness==0.1.0
	@touch $@

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/kezek serve --demo

demo: run

postgres:
	@scripts/ensure-postgres.sh "$(KEZEK_TEST_POSTGRES_URL)"

chromium:
	@scripts/ensure-chromium.sh

test: $(STAMP) $(INTEROP) postgres chromium
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -q -p no:cacheprovider

test-unit: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit

interop: $(INTEROP)
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/integration/test_witness_interop.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# A PNG of each page, at a desktop's width and a phone's (360 px), under docs/screenshots/.
screenshots: $(STAMP) chromium
	$(BIN)/python -m tests.browser.screenshots docs/screenshots

BENCH_APPLICATIONS ?= 2000
bench: $(STAMP)
	@mkdir -p var
	$(BIN)/python -m bench --applications $(BENCH_APPLICATIONS) --json var/bench-sqlite.json
	@if $(BIN)/python -c "import psycopg, sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" \
		"$(KEZEK_TEST_POSTGRES_URL)" 2>/dev/null; then \
		$(BIN)/python -m bench --applications $(BENCH_APPLICATIONS) \
			--database-url "$(KEZEK_TEST_POSTGRES_URL)" --json var/bench-postgres.json; \
	else echo "PostgreSQL at $(KEZEK_TEST_POSTGRES_URL) unreachable: SQLite only"; fi

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache *.egg-info var
