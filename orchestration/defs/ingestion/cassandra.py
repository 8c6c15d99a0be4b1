"""The CRM's Cassandra tables as Dagster assets: incremental loads into raw DuckDB.

The keys follow dagster-dbt's default for sources (`[source name, table]`), so the dbt staging
models on source `cassandra` depend on these assets.

Without CHAIRSIDE_CASSANDRA_HOSTS there is nothing to load, and an asset that "materialized"
nothing would show green in Dagster while Data health says the CRM was never loaded. So the
definitions then hold the two keys as external assets (`cassandra_assets`): Dagster lists them,
with the reason in their description, as never materialized, no job runs them, and the dbt build
creates the raw tables empty (`store.ensure_schema`), so staging builds on every machine. A
non-required output left unyielded would not do: Dagster then skips the whole dbt step
downstream (dagster-io/dagster#9408).
"""

import datetime as dt
from collections.abc import Callable

import dagster as dg
import duckdb
from cassandra.cluster import Session

from chairside.core.settings import load_settings
from ingestion.cassandra import store
from ingestion.cassandra.loader import TableLoad, load_customers, load_inquiries
from ingestion.cassandra.session import open_session
from ingestion.cassandra.watermarks import REREAD_DAYS
from orchestration.defs.resources import WarehouseResource

Loader = Callable[[duckdb.DuckDBPyConnection, Session, int, dt.datetime], TableLoad]

NOT_CONFIGURED = (
    "Not loaded: CHAIRSIDE_CASSANDRA_HOSTS is not set, so no Cassandra cluster is read. "
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
    if settings is None:  # only when run by hand: `cassandra_assets` leaves them out then
        raise dg.Failure(NOT_CONFIGURED, allow_retries=False)
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


def cassandra_assets(configured: bool) -> list[dg.AssetsDefinition | dg.AssetSpec]:
    """The loading assets when a cluster is configured; else their keys as external assets,
    never materialized, whose description says why (module docstring)."""
    loaders = [cassandra_customers, cassandra_inquiries_by_day]
    if configured:
        return [*loaders]
    return [
        dg.AssetSpec(
            spec.key,
            group_name=spec.group_name,
            kinds=spec.kinds,
            description=f"{NOT_CONFIGURED} When set: {spec.description}",
        )
        for loader in loaders
        for spec in loader.specs
    ]
