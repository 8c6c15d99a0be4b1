"""Each suite in `expectations/` as a Dagster asset check on the asset that writes its table.

Every check is blocking; the severity of what failed decides whether it blocks (see `results`).
For a raw table that stops the dbt build of the run, for a mart the forecasts, client scores and
owner snapshots that read it. Which expectations are critical, and why, is in each suite's notes.
"""

from pathlib import Path

import dagster as dg

from chairside.core.clock import Clock
from orchestration.defs.quality import results
from orchestration.defs.quality.reading import read_table
from orchestration.defs.quality.suites import load_suite, required_columns, suite_parameters
from orchestration.defs.quality.tables import CHECKED_TABLES, CheckedTable
from orchestration.defs.quality.validation import validate_frame
from orchestration.defs.resources import ClockResource, WarehouseResource

CHECK_NAME = "expectation_suite"


def run_suite(table: CheckedTable, warehouse: Path, clock: Clock) -> dg.AssetCheckResult:
    """Load the table's suite, read the columns it needs and validate them."""
    suite = load_suite(table.relation)
    columns = list(dict.fromkeys([*table.row_id, *required_columns(suite)]))
    read = read_table(warehouse, table.relation, columns)
    if not read.exists:
        return results.missing(table)
    if read.missing_columns:
        return results.columns_missing(table, read.missing_columns)
    if read.frame.empty:
        return results.empty(table)
    outcome = validate_frame(
        read.frame, suite, row_id=table.row_id, parameters=suite_parameters(clock)
    )
    return results.validated(table, outcome)


def build_suite_check(table: CheckedTable) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=table.asset_key,
        name=CHECK_NAME,
        blocking=True,
        description=(
            f"Great Expectations suite expectations/{table.relation}.json on {table.relation}; "
            "a failed critical expectation stops what depends on it."
        ),
    )
    def suite_check(warehouse: WarehouseResource, clock: ClockResource) -> dg.AssetCheckResult:
        return run_suite(table, warehouse.resolved_path, clock.clock)

    return suite_check


QUALITY_CHECKS: list[dg.AssetChecksDefinition] = [
    build_suite_check(table) for table in CHECKED_TABLES
]
