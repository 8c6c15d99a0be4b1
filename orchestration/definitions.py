"""Everything Dagster runs for Chairside: `dagster dev` loads `defs` from here."""

from __future__ import annotations

import dagster as dg

from chairside.core.settings import load_settings
from orchestration.defs.dbt.assets import chairside_dbt_assets
from orchestration.defs.dbt.cli_resource import VENV_DBT, ChairsideDbtResource
from orchestration.defs.dbt.project import dbt_project
from orchestration.defs.ingestion.cassandra import cassandra_assets
from orchestration.defs.ingestion.inbox import inbox_tables
from orchestration.defs.ingestion.inbox_sensor import inbox_job, inbox_sensor
from orchestration.defs.ingestion.kafka import KafkaResource, kafka_events
from orchestration.defs.ingestion.kafka_sensors import kafka_lag_sensor
from orchestration.defs.jobs import event_job, warehouse_job
from orchestration.defs.ml import (
    ML_ASSETS,
    ML_CHECKS,
    ML_JOBS,
    ML_RESOURCES,
    ML_SCHEDULES,
    ML_SENSORS,
)
from orchestration.defs.quality import QUALITY_CHECKS
from orchestration.defs.release import RELEASE_ASSETS, RELEASE_SENSORS
from orchestration.defs.reports import REPORT_ASSETS, REPORT_JOBS, REPORT_SCHEDULES
from orchestration.defs.resources import (
    ClockResource,
    InboxResource,
    ReleasesResource,
    WarehouseResource,
)

pipeline_job = dg.define_asset_job(
    "chairside_pipeline",
    # owner snapshots go out on their own schedule (Monday 06:00 in each shop), never as a
    # side effect of a rebuild
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("reports"),
    description=(
        "Everything but the owner snapshots, in order: ingest every source, build the "
        "warehouse with its checks, then forecasts and client scores. What `chairside demo` runs."
    ),
)

# The dbt next to this interpreter, so a run started as `.venv/bin/chairside` finds it without
# the venv on PATH; plain `dbt` (from PATH) elsewhere.
DBT_EXECUTABLE = str(VENV_DBT) if VENV_DBT.exists() else "dbt"

nightly_build = dg.ScheduleDefinition(
    name="nightly_build",
    job=warehouse_job,
    cron_schedule="0 3 * * *",
    execution_timezone="America/St_Johns",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

defs = dg.Definitions(
    assets=[
        inbox_tables,
        *cassandra_assets(configured=load_settings().cassandra is not None),
        kafka_events,
        chairside_dbt_assets,
        *ML_ASSETS,
        *RELEASE_ASSETS,
        *REPORT_ASSETS,
    ],
    asset_checks=[*QUALITY_CHECKS, *ML_CHECKS],
    jobs=[pipeline_job, warehouse_job, event_job, inbox_job, *ML_JOBS, *REPORT_JOBS],
    schedules=[nightly_build, *ML_SCHEDULES, *REPORT_SCHEDULES],
    sensors=[inbox_sensor, kafka_lag_sensor, *ML_SENSORS, *RELEASE_SENSORS],
    # DuckDB takes one writing process at a time: each run executes its steps in one process,
    # and the instance's run queue (orchestration/dagster.yaml) runs one run at a time.
    executor=dg.in_process_executor,
    resources={
        **ML_RESOURCES,
        "warehouse": WarehouseResource(),
        "releases": ReleasesResource(),
        "clock": ClockResource(),
        "inbox": InboxResource(),
        "kafka": KafkaResource(),
        # DbtCliResource.__init__ takes the DbtProject; mypy sees only the subclass' pydantic fields
        "dbt": ChairsideDbtResource(
            project_dir=dbt_project,  # type: ignore[arg-type]
            dbt_executable=DBT_EXECUTABLE,
        ),
    },
)
