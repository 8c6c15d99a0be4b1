# The two commands of the README's quick start are `make demo` and `make test`; both set up
# everything they need from a fresh clone (a pinned uv, then the locked environment).

PYTHON ?= python3.11
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
DBT_PROJECT := orchestration/defs/dbt/project.py
DBT_MANIFEST := dbt_project/target/manifest.json

# dagster-dbt and the tests call `dbt` by name: the venv's bin must come first on PATH.
export PATH := $(BIN):$(PATH)
export DAGSTER_HOME ?= $(CURDIR)/data/dagster_home

.PHONY: setup demo test test-unit test-integration lint browser java apps dagster mlflow bench bench-apps bench-warehouse clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --python $(PYTHON)
	touch $@

# The dbt manifest is prepared at build time, never parsed when Dagster imports the code.
DBT_SOURCES := $(shell find dbt_project -path dbt_project/target -prune -o -type f \( -name '*.sql' -o -name '*.yml' \) -print)
$(DBT_MANIFEST): $(VENV)/.synced $(DBT_SOURCES)
	dagster-dbt project prepare-and-package --file $(DBT_PROJECT)
	touch $@

setup: $(VENV)/.synced $(DBT_MANIFEST)

demo: setup
	mkdir -p $(DAGSTER_HOME)
	chairside demo

lint: setup
	ruff check .
	ruff format --check .
	lint-imports
	mypy
	cd dbt_project && dbt parse --warn-error-options '{"error": "all"}' --quiet
	# the dbt templater compiles each model; it needs no warehouse, only a connection
	CHAIRSIDE_DUCKDB_PATH=:memory: sqlfluff lint dbt_project/models dbt_project/tests \
		--processes 2 --disable-progress-bar --nocolor

test-unit: setup
	pytest tests/unit -q

# Debian's Chromium, for the tests that load the apps and the owner snapshot in a browser.
browser:
	scripts/install-browser.sh

# Debian's Java 17 runtime, for pyspark (the `spark` dbt target and its parity test).
java:
	scripts/install-java.sh

test-integration: setup browser java
	pytest tests/integration -q

test: lint browser java
	pytest tests -q -n 2 --dist loadfile

apps: setup
	chairside apps --host 127.0.0.1 --port 2718

dagster: setup
	mkdir -p $(DAGSTER_HOME)
	test -f $(DAGSTER_HOME)/dagster.yaml || cp orchestration/dagster.yaml $(DAGSTER_HOME)/
	dagster dev --host 127.0.0.1 --port 3000

mlflow: setup
	mlflow ui --backend-store-uri sqlite:///data/mlflow/mlflow.db --host 127.0.0.1 --port 5000

bench: setup
	python bench/pipeline.py

bench-apps: setup browser
	python bench/apps_render.py

# Full warehouse build against the incremental build after one more day (3 shops x 2 years).
bench-warehouse: setup
	python bench/warehouse_incremental.py

clean:
	rm -rf data dbt_project/target dbt_project/logs .pytest_cache

# Kafka ingestion against kcat on a local broker (1,000,000 events); installs Debian's kcat.
.PHONY: bench-kafka
bench-kafka: setup
	command -v kcat >/dev/null || (apt-get update && apt-get install -y kcat)
	python bench/kafka_ingest.py

# Event to the Today app on screen (Chromium), against event to fct_inquiries through a build.
.PHONY: bench-live
bench-live: setup browser
	python bench/live_view_latency.py
