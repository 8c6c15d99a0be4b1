"""The CRM's Cassandra tables as Dagster assets: incremental loads into raw DuckDB.

The keys follow dagster-dbt's default for sources (`[source name, table]`), so the dbt staging
models on source `cassandra` depend on these assets. Without CHAIRSIDE_CASSANDRA_HOSTS the
assets still materialize, with the raw tables created empty and the reason in the run log and
the metadata, so dbt staging builds on every machine.
"""

import datetime as dt
from collections.abc import Callable

import dagster as dg
import duckdb
from cassandra.cluster import Session

from chairside.settings import load_settings
from ingestion.cassandra import store
from ingestion.cassandra.loader import TableLoad, load_customers, load_inquiries
from ingestion.cassandra.session import open_session
from ingestion.cassandra.watermarks import REREAD_DAYS
from orchestration.defs.resources import WarehouseResource

Loader = Callable[[duckdb.DuckDBPyConnection, Session, int, dt.datetime], TableLoad]

NOT_CONFIGURED = (
    "Skipped: CHAIRSIDE_CASSANDRA_HOSTS is not set, so no Cassandra cluster was read. "
    "The raw_cassandra tables exist for dbt (empty unless an earlier run loaded them)."
)

# A restarting node or a network blip usually clears within minutes: waits of about 15 s,
# 30 s, 60 s and 120 s, each jittered so the two tables' retries do not land together.
CASSANDRA_RETRY = dg.RetryPolicy(
    max_retries=4, delay=15, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)


def _materialize(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, load: Loader
) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        store.ensure_schema(con)
    settings = load_settings().cassandra
    if settings is None:
        context.log.warning(NOT_CONFIGURED)
        return dg.MaterializeResult(metadata={"skipped": True, "reason": NOT_CONFIGURED})
    # The session opens first: a slow or failing connect must not hold the warehouse's lock.
    with open_session(settings) as session, warehouse.connect() as con:
        result = load(con, session, settings.fetch_size, dt.datetime.now(dt.UTC))
    source = f"{', '.join(settings.hosts)} keyspace {settings.keyspace}"
    context.log.info(
        f"{result.table}: {result.rows_upserted} rows upserted and {result.rows_quarantined} "
        f"quarantined (raw_cassandra.quarantine) of {result.rows_read} read "
        f"from {result.partitions} partitions of {result.shops} shops "
        f"in {result.pages} pages ({source})"
    )
    return dg.MaterializeResult(
        metadata={
            "skipped": False,
            "source": source,
            "shops": result.shops,
            "partitions_read": result.partitions,
            "pages": result.pages,
            "rows_read": result.rows_read,
            "rows_upserted": result.rows_upserted,
            "rows_quarantined": result.rows_quarantined,
        }
    )


@dg.asset(
    key=["cassandra", "customers"],
    group_name="ingestion",
    kinds={"cassandra", "duckdb"},
    retry_policy=CASSANDRA_RETRY,
    description=(
        "CRM customers in raw_cassandra.customers: each shop's partition read page by page, "
        "rows changed since the shop's updated_at watermark upserted by (shop_id, customer_id)."
    ),
)
def cassandra_customers(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    return _materialize(context, warehouse, load_customers)


@dg.asset(
    key=["cassandra", "inquiries_by_day"],
    group_name="ingestion",
    kinds={"cassandra", "duckdb"},
    retry_policy=CASSANDRA_RETRY,
    description=(
        "CRM inquiries in raw_cassandra.inquiries_by_day: the (shop_id, day) partitions since "
        f"each shop's last load, its last {REREAD_DAYS} days read again for late writes, "
        "upserted by inquiry_id."
    ),
)
def cassandra_inquiries_by_day(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    return _materialize(context, warehouse, load_inquiries)
