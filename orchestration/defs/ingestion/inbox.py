"""The inbox spreadsheets as Dagster assets: one load fills every raw inbox table."""

from collections.abc import Iterator

import dagster as dg

from ingestion.inbox.kinds import KINDS, ParseContext
from ingestion.inbox.loader import load_inbox, summarize
from orchestration.defs.resources import InboxResource, WarehouseResource

# Keys follow dagster-dbt's default for sources (`[source name, table]`), so the dbt staging
# models depend on these assets without a custom translator.
INBOX_TABLE_KEYS = {name: dg.AssetKey(["inbox", name]) for name in KINDS}
INBOX_OPS_KEYS = [
    dg.AssetKey(["inbox_ops", "inbox_files"]),
    dg.AssetKey(["inbox_ops", "inbox_quarantine"]),
]


@dg.multi_asset(
    specs=[
        *(
            dg.AssetSpec(
                key,
                group_name="ingestion",
                kinds={"duckdb", "excel"},
                description=f"Raw `{name}` rows from the spreadsheet inbox, every file version.",
            )
            for name, key in INBOX_TABLE_KEYS.items()
        ),
        *(
            dg.AssetSpec(
                key,
                group_name="ingestion",
                kinds={"duckdb"},
                description="Inbox bookkeeping: loaded files and quarantined rows.",
            )
            for key in INBOX_OPS_KEYS
        ),
    ],
    retry_policy=dg.RetryPolicy(max_retries=2, delay=5, backoff=dg.Backoff.EXPONENTIAL),
)
def inbox_tables(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, inbox: InboxResource
) -> Iterator[dg.MaterializeResult]:
    """Load every new or changed inbox file; content already loaded is skipped."""
    ctx = ParseContext(date_order=inbox.default_date_order, phone_region=inbox.phone_region)
    with warehouse.connect() as con:
        results = load_inbox(con, inbox.resolved_path, ctx)
    for result in results:
        if result.status in ("rejected", "failed"):
            context.log.error(result.message)
        elif result.message and result.status != "skipped":
            context.log.warning(result.message)  # still being written, deferred, sheets left out
        for q in result.quarantined:
            context.log.warning(
                f"{result.file_name} [{q.sheet or 'csv'}] row {q.row_number}: {q.reason}"
            )
    totals = summarize(results)
    context.log.info(f"inbox {inbox.resolved_path}: {totals}")
    for key in [*INBOX_TABLE_KEYS.values(), *INBOX_OPS_KEYS]:
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={**totals, "inbox": dg.MetadataValue.path(str(inbox.resolved_path))},
        )
