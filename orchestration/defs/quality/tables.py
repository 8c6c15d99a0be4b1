"""The warehouse tables that have an expectation suite, and the Dagster asset each one is.

Raw tables carry the keys the ingestion assets give them (dagster-dbt's `[source, table]`),
marts the keys of their dbt models (`[marts, model]`), so each check lands on the asset that
writes the table and gates what depends on it.
"""

from dataclasses import dataclass

import dagster as dg


@dataclass(frozen=True)
class CheckedTable:
    """`relation` (`schema.table`) names the table and its suite, `expectations/<relation>.json`;
    `row_id` are the columns that identify a row, shown next to each failing example."""

    relation: str
    asset_key: dg.AssetKey
    row_id: tuple[str, ...]


def _kafka(table: str) -> CheckedTable:
    return CheckedTable(f"raw_kafka.{table}", dg.AssetKey(["kafka", table]), ("event_id",))


def _mart(model: str, *row_id: str) -> CheckedTable:
    return CheckedTable(f"marts.{model}", dg.AssetKey(["marts", model]), row_id)


CHECKED_TABLES: tuple[CheckedTable, ...] = (
    # raw, as ingested
    _kafka("appointments"),
    _kafka("calls"),
    _kafka("customers"),
    CheckedTable(
        "raw_inbox.inquiries",
        dg.AssetKey(["inbox", "inquiries"]),
        ("file_id", "sheet", "row_number"),
    ),
    CheckedTable(
        "raw_cassandra.customers",
        dg.AssetKey(["cassandra", "customers"]),
        ("shop_id", "customer_id"),
    ),
    # marts, as dbt built them
    _mart("dim_shop", "shop_id"),
    _mart("dim_customer", "customer_key"),
    _mart("fct_appointments", "appointment_id"),
    _mart("fct_calls", "call_id"),
    _mart("fct_inquiries", "inquiry_key"),
    _mart("fct_weekly_shop_metrics", "shop_id", "week_start"),
)
