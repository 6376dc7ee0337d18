# Thin targets: the logic lives in Python (pipelines/*). `make run` and `make test` set
# everything up on a fresh machine; see README.md.
SHELL := /bin/bash
export MANYI_DATA_DIR ?= $(CURDIR)/data
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
PY := .venv/bin/python
SYSTEM_PACKAGES := chromium fonts-noto-cjk openjdk-17-jre-headless
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test generate build bench lint setup system dbt-parse report user

setup: system .venv/.synced dbt-parse

# Debian packages: Chromium renders charts to PNG (kaleido) and drives browser tests;
# the CJK font makes Chinese readable in both; Java 17 runs Spark (the scale-out engine).
system:
	@dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1 || { \
	  echo "installing $(SYSTEM_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; }

# Bytecode compiled once here: the environment may forbid writing it at run time
# (PYTHONDONTWRITEBYTECODE), and every process (dbt, Dagster, Streamlit, each test's
# subprocess) would otherwise compile its imports again, 3 s of each dbt start.
.venv/.synced: pyproject.toml uv.lock Makefile
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen --compile-bytecode
	@touch $@

dbt-parse: .venv/.synced
	$(PY) -m pipelines.transform.prepare

run: setup
	$(PY) -m pipelines.serve

# Two workers, one per core of the CI machine; a module's tests stay on one worker, so
# module-scoped fixtures (a dbt build, a served app) are built once. The Spark tests go
# together, first (tests/conftest.py).
test: setup
	$(PY) -m pytest -n 2 --dist loadscope

generate: .venv/.synced
	$(PY) -m pipelines.synthetic --scale demo

build: setup
	$(PY) -m pipelines.build

bench: setup
	$(PY) -m bench

# Preview a report e-mail into $(MANYI_DATA_DIR)/outbox/preview/: make report NAME=daily [DATE=…]
report: .venv/.synced
	$(PY) -m pipelines.reports preview $(NAME) $(if $(DATE),--date $(DATE))

# Create or update a dashboard user; the password is asked for (twice), never an argument:
#   make user NAME=li_lei ROLE=hall_manager HALLS=YT001,YT002 [DISPLAY=李雷]
# ROLE is executive, quality, hall_manager or viewer (docs/operations.md, "Access").
user: .venv/.synced
	$(PY) -m pipelines.access user $(NAME) --role $(ROLE) $(if $(HALLS),--halls $(HALLS)) $(if $(DISPLAY),--display-name "$(DISPLAY)")

lint: .venv/.synced
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(PY) -m pipelines.portable_sql dbt_project/models
	@mkdir -p $(MANYI_DATA_DIR)/tmp
	cd dbt_project && MANYI_DBT_DUCKDB_PATH=$(MANYI_DATA_DIR)/tmp/sqlfluff.duckdb ../.venv/bin/sqlfluff lint models
