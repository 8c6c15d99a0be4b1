"""The suite checks run by Dagster on copies of the warehouse `chairside demo` built (see
conftest): every suite passes on what the real pipeline produced; planted defects fail the right
expectation, a failed critical expectation stops the asset downstream while a failed warning does
not, and tables that are missing, empty or short of a column are handled."""

from collections.abc import Sequence
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from chairside.core.settings import Settings
from ingestion.cassandra import store
from orchestration.defs.quality import QUALITY_CHECKS
from orchestration.defs.quality.checks import build_suite_check
from orchestration.defs.quality.tables import CHECKED_TABLES, CheckedTable
from orchestration.defs.resources import ClockResource, WarehouseResource
from tests.integration.conftest import DEMO_AS_OF, DemoBuild

pytestmark = pytest.mark.integration


def table(relation: str) -> CheckedTable:
    return next(table for table in CHECKED_TABLES if table.relation == relation)


def run_checks(
    warehouse: Path,
    checks: Sequence[dg.AssetChecksDefinition],
    downstream: Sequence[dg.AssetsDefinition] = (),
) -> dg.ExecuteInProcessResult:
    """The checks (and any downstream assets) in one run, their tables as external assets."""
    checked = {key.asset_key for check in checks for key in check.check_keys}
    definitions = dg.Definitions(
        assets=[*(dg.AssetSpec(key) for key in checked), *downstream],
        asset_checks=checks,
        resources={
            "warehouse": WarehouseResource(path=str(warehouse)),
            "clock": ClockResource(as_of=DEMO_AS_OF),
        },
    )
    job = definitions.resolve_implicit_global_asset_job_def()
    return job.execute_in_process(raise_on_error=False)


def evaluations(result: dg.ExecuteInProcessResult) -> dict[str, dg.AssetCheckEvaluation]:
    return {e.asset_key.to_user_string(): e for e in result.get_asset_check_evaluations()}


@pytest.fixture(scope="module")
def demo_run(
    demo_build: DemoBuild, tmp_path_factory: pytest.TempPathFactory
) -> dg.ExecuteInProcessResult:
    """Every suite on a copy of the demo warehouse, in one run shared by the module."""
    return run_checks(demo_build.copy_warehouse(tmp_path_factory.mktemp("demo")), QUALITY_CHECKS)


def test_every_suite_passes_on_what_the_pipeline_built(
    demo_run: dg.ExecuteInProcessResult,
) -> None:
    verdicts = {asset: evaluation.passed for asset, evaluation in evaluations(demo_run).items()}
    assert verdicts == {table.asset_key.to_user_string(): True for table in CHECKED_TABLES}


def plant_calls_without_outcome(warehouse: Path, count: int) -> list[str]:
    """Calls whose `data` lacks the outcome, as a consumer without validation would store."""
    with duckdb.connect(str(warehouse)) as con:
        ids = [
            row[0]
            for row in con.execute(
                f"select event_id from raw_kafka.calls order by event_id limit {count}"
            ).fetchall()
        ]
        con.execute(
            "update raw_kafka.calls set data = json_merge_patch(data, '{\"outcome\": null}') "
            "where event_id in (select unnest(?::varchar[]))",
            [ids],
        )
    return ids


def test_a_failure_names_the_expectation_its_rows_and_why(
    demo_build: DemoBuild, tmp_path: Path
) -> None:
    warehouse = demo_build.copy_warehouse(tmp_path)
    planted = plant_calls_without_outcome(warehouse, 3)

    result = run_checks(warehouse, [build_suite_check(table("raw_kafka.calls"))])

    calls = evaluations(result)["kafka/calls"]
    assert (calls.passed, calls.severity) == (False, dg.AssetCheckSeverity.ERROR)
    failed = {
        (f["expectation"], *f["columns"]): f
        for f in calls.metadata["unsuccessful_expectations"].data
    }
    outcome = failed[("expect_column_values_to_not_be_null", "data.outcome")]
    assert outcome["severity"] == "critical"
    assert outcome["unexpected_count"] == 3
    assert "neither answered nor missed" in outcome["notes"]
    assert {"event_id": planted[0]} in outcome["example_rows"]
    assert calls.metadata["validation_seconds"].value > 0
    assert "data.outcome" in calls.description


@dg.asset(deps=[dg.AssetKey(["marts", "fct_weekly_shop_metrics"])])
def owner_snapshot() -> None:
    """Stands in for what reads the weekly metrics: it runs only if the check lets it."""


@dg.asset(deps=[dg.AssetKey(["marts", "fct_appointments"])])
def client_scores() -> None:
    """Stands in for what reads fct_appointments."""


def materialized(result: dg.ExecuteInProcessResult) -> set[str]:
    return {event.asset_key.to_user_string() for event in result.get_asset_materialization_events()}


def test_a_failed_critical_expectation_stops_the_asset_downstream(
    demo_build: DemoBuild, tmp_path: Path
) -> None:
    warehouse = demo_build.copy_warehouse(tmp_path)
    weekly = build_suite_check(table("marts.fct_weekly_shop_metrics"))
    assert materialized(run_checks(warehouse, [weekly], [owner_snapshot])) == {"owner_snapshot"}

    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update marts.fct_weekly_shop_metrics set no_show_rate = 1.4 "
            "where week_start = (select max(week_start) from marts.fct_weekly_shop_metrics)"
        )
    result = run_checks(warehouse, [weekly], [owner_snapshot])

    assert not result.success
    evaluation = evaluations(result)["marts/fct_weekly_shop_metrics"]
    assert (evaluation.passed, evaluation.severity) == (False, dg.AssetCheckSeverity.ERROR)
    assert "no_show_rate" in evaluation.description
    assert materialized(result) == set()


def test_failed_warnings_do_not_stop_the_asset_downstream(
    demo_build: DemoBuild, tmp_path: Path
) -> None:
    warehouse = demo_build.copy_warehouse(tmp_path)
    with duckdb.connect(str(warehouse)) as con:  # a visit nobody can be found for: a warning
        con.execute(
            "update marts.fct_appointments set customer_key = null where appointment_id = "
            "(select min(appointment_id) from marts.fct_appointments where status = 'completed')"
        )
    appointments = build_suite_check(table("marts.fct_appointments"))

    result = run_checks(warehouse, [appointments], [client_scores])

    evaluation = evaluations(result)["marts/fct_appointments"]
    assert (evaluation.passed, evaluation.severity) == (False, dg.AssetCheckSeverity.WARN)
    assert materialized(result) == {"client_scores"}


def test_missing_and_empty_tables_pass_saying_so_and_a_missing_column_fails(
    chairside_env: Settings,
) -> None:
    warehouse = chairside_env.duckdb_path
    with duckdb.connect(str(warehouse)) as con:
        store.ensure_schema(con)  # raw_cassandra tables, empty: no cluster configured
        con.execute("create schema marts")
        con.execute("create table marts.dim_shop as select 'water-st' as shop_id")
    checks = [
        build_suite_check(table(relation))
        for relation in ("raw_cassandra.customers", "marts.dim_customer", "marts.dim_shop")
    ]

    found = evaluations(run_checks(warehouse, checks))

    empty, missing, short = (
        found["cassandra/customers"],
        found["marts/dim_customer"],
        found["marts/dim_shop"],
    )
    assert empty.passed
    assert (empty.metadata["table_exists"].value, empty.metadata["row_count"].value) == (True, 0)
    assert missing.passed
    assert missing.metadata["table_exists"].value is False
    assert (short.passed, short.severity) == (False, dg.AssetCheckSeverity.ERROR)
    assert set(short.metadata["missing_columns"].data) == {
        "time_zone",
        "currency",
        "opens_at",
        "closes_at",
        "owner_email",
    }
