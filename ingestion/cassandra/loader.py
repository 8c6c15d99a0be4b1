"""Incremental loads of the two CRM tables into raw DuckDB, one transaction per shop.

Rows go to DuckDB in batches of at most `fetch_size` inside the shop's transaction, and the
shop's watermark is written last in that transaction: memory holds about one page at a time, and
a failure part-way (a timeout on page 40) leaves the shop exactly as the previous load left it.
A batch is a page of customers; day partitions of inquiries are small (a few rows each), so a
shop's days are gathered into batches, one upsert each rather than one per day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
from cassandra.cluster import Session

from chairside.warehouse import transaction
from ingestion.cassandra import mapping, reader, store, watermarks


@dataclass
class TableLoad:
    """What one load of one table did, for the run log and the asset's metadata."""

    table: str
    shops: int = 0
    partitions: int = 0
    pages: int = 0
    rows_read: int = 0
    rows_upserted: int = 0

    def add_page(self, rows: int) -> None:
        self.pages += 1
        self.rows_read += rows


def load_customers(
    con: duckdb.DuckDBPyConnection, session: Session, fetch_size: int, now: dt.datetime
) -> TableLoad:
    """Read every shop's partition; upsert the rows changed since the shop's watermark."""
    previous = store.watermarks(con, store.CUSTOMERS)
    shops = sorted(
        row["shop_id"] for page in reader.customer_shops(session, fetch_size) for row in page
    )
    load = TableLoad(store.CUSTOMERS, shops=len(shops), partitions=len(shops))
    for shop_id in shops:
        watermark = previous.get(shop_id)
        newest = watermark
        with transaction(con):
            for page in reader.customer_pages(session, shop_id, fetch_size):
                records = [mapping.customer_record(row, now) for row in page]
                changed = [r for r in records if watermarks.changed_since(r, watermark)]
                store.upsert(con, store.CUSTOMERS, changed)
                newest = watermarks.next_change_watermark(
                    newest, map(watermarks.change_stamp, records), now
                )
                load.add_page(len(records))
                load.rows_upserted += len(changed)
            if newest is not None:
                store.save_watermark(con, store.CUSTOMERS, shop_id, newest, now)
    return load


def load_inquiries(
    con: duckdb.DuckDBPyConnection, session: Session, fetch_size: int, now: dt.datetime
) -> TableLoad:
    """Read each shop's day partitions from its re-read window on; upsert by `inquiry_id`."""
    previous = store.watermarks(con, store.INQUIRIES)
    keys = (
        mapping.partition_key(row)
        for page in reader.inquiry_partitions(session, fetch_size)
        for row in page
    )
    plan = watermarks.partitions_to_read(keys, previous)
    load = TableLoad(store.INQUIRIES, shops=len(plan))
    for shop_id, days in plan.items():
        with transaction(con):
            batch: list[mapping.RawRecord] = []
            for day in days:
                for page in reader.inquiry_pages(session, shop_id, day, fetch_size):
                    batch.extend(mapping.inquiry_record(row, now) for row in page)
                    load.add_page(len(page))
                    if len(batch) >= fetch_size:
                        load.rows_upserted += _upsert_inquiries(con, batch)
                        batch = []
            load.rows_upserted += _upsert_inquiries(con, batch)
            newest = watermarks.next_day_watermark(previous.get(shop_id), days, now)
            store.save_watermark(con, store.INQUIRIES, shop_id, newest, now)
        load.partitions += len(days)
    return load


def _upsert_inquiries(con: duckdb.DuckDBPyConnection, batch: list[mapping.RawRecord]) -> int:
    records = mapping.latest_per_inquiry(batch)
    store.upsert(con, store.INQUIRIES, records)
    return len(records)
