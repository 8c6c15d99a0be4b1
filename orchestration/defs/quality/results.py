"""What a suite check reports to Dagster: pass or fail, severity, and metadata to act on.

A failed critical expectation makes the result ERROR, which a blocking check turns into a stop
for everything downstream in the run; failed warnings only make it WARN. A table that does not
exist yet or has no rows passes and says so: there is nothing wrong to stop, and the metadata
shows that nothing was validated. A table without a column its suite reads fails: the suite can
no longer vouch for it.
"""

import dagster as dg

from orchestration.defs.quality.tables import CheckedTable
from orchestration.defs.quality.validation import SuiteOutcome


def validated(table: CheckedTable, outcome: SuiteOutcome) -> dg.AssetCheckResult:
    if outcome.passed:
        description = f"All {outcome.evaluated} expectations met on {outcome.rows:,} rows."
    else:
        critical = sum(failure.blocking for failure in outcome.failures)
        description = "\n".join(
            [
                f"{len(outcome.failures)} of {outcome.evaluated} expectations failed "
                f"({critical} critical) on {outcome.rows:,} rows:",
                *(f"- [{failure.severity}] {failure.summary()}" for failure in outcome.failures),
            ]
        )
    return dg.AssetCheckResult(
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.ERROR if outcome.blocking else dg.AssetCheckSeverity.WARN,
        description=description,
        metadata={
            "table": table.relation,
            "row_count": outcome.rows,
            "evaluated_expectations": outcome.evaluated,
            "unsuccessful_expectations": dg.MetadataValue.json(
                [failure.as_metadata() for failure in outcome.failures]
            ),
            "validation_seconds": round(outcome.seconds, 3),
        },
    )


def missing(table: CheckedTable) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=True,
        description=f"{table.relation} does not exist yet: nothing to validate.",
        metadata={"table": table.relation, "table_exists": False},
    )


def empty(table: CheckedTable) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=True,
        description=f"{table.relation} is empty: nothing to validate.",
        metadata={"table": table.relation, "table_exists": True, "row_count": 0},
    )


def columns_missing(table: CheckedTable, columns: tuple[str, ...]) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=False,
        severity=dg.AssetCheckSeverity.ERROR,
        description=f"{table.relation} lacks columns its suite reads: {', '.join(columns)}.",
        metadata={"table": table.relation, "missing_columns": dg.MetadataValue.json(list(columns))},
    )
