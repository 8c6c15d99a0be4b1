"""Incremental loads of the two CRM tables into raw DuckDB, one transaction per shop.

Rows go to DuckDB in batches of at most `fetch_size` inside the shop's transaction, and the
shop's watermark is written last in that transaction: memory holds about one page at a time, and
a failure part-way (a timeout on page 40) leaves the shop exactly as the previous load left it.
A batch is a page of customers; day partitions of inquiries are small (a few rows each), so a
shop's days are gathered into batches, one upsert each rather than one per day.

A row that fails the contract's plausibility checks (`checks.py`) goes to `raw_cassandra.quarantine`
in the same transaction, with its field and reason, and its shop's other rows load: every row
read is upserted, quarantined, or (customers only) unchanged since the watermark. A quarantined
row leaves the quarantine when it loads, once the CRM fixes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
from cassandra.cluster import Session
from cassandra.util import Date

from chairside.contracts.bounds import Bounds
from chairside.core.warehouse import transaction
from ingestion.cassandra import checks, mapping, reader, store, watermarks
from ingestion.cassandra.reader import Page
from ingestion.inbox.kinds import ParseContext

# Phones without a country code are read as the inbox reads them (its default region).
PHONE_REGION = ParseContext.phone_region


@dataclass
class TableLoad:
    """What one load of one table did, for the run log and the asset's metadata."""

    table: str
    shops: int = 0
    partitions: int = 0
    pages: int = 0
    rows_read: int = 0
    rows_upserted: int = 0
    rows_quarantined: int = 0

    def add_page(self, rows: int) -> None:
        self.pages += 1
        self.rows_read += rows


def load_customers(
    con: duckdb.DuckDBPyConnection, session: Session, fetch_size: int, now: dt.datetime
) -> TableLoad:
    """Read every shop's partition; upsert the rows changed since the shop's watermark."""
    limits = Bounds.at(now)
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
                good = _set_aside(con, "customers", page, checks.customer_problem, limits, now)
                records = [mapping.customer_record(row, now) for row in good]
                changed = [r for r in records if watermarks.changed_since(r, watermark)]
                store.upsert(con, store.CUSTOMERS, changed)
                store.release(
                    con, "customers", [mapping.record_key("customers", r) for r in changed]
                )
                load.rows_quarantined += len(page) - len(good)
                newest = watermarks.next_change_watermark(
                    newest, map(watermarks.change_stamp, records), now
                )
                load.add_page(len(page))
                load.rows_upserted += len(changed)
            if newest is not None:
                store.save_watermark(con, store.CUSTOMERS, shop_id, newest, now)
    return load


def load_inquiries(
    con: duckdb.DuckDBPyConnection, session: Session, fetch_size: int, now: dt.datetime
) -> TableLoad:
    """Read each shop's day partitions from its re-read window on; upsert by `inquiry_id`."""
    limits = Bounds.at(now)
    previous = store.watermarks(con, store.INQUIRIES)
    keys = [
        mapping.partition_key(row)
        for page in reader.inquiry_partitions(session, fetch_size)
        for row in page
    ]
    # A day beyond Python's calendar cannot be placed against a watermark: its partition is
    # read on every load, and its rows go to quarantine.
    beyond = [(shop_id, day) for shop_id, day in keys if not isinstance(day, dt.date)]
    plan = watermarks.partitions_to_read(
        [(shop_id, day) for shop_id, day in keys if isinstance(day, dt.date)], previous
    )
    unplaced: dict[str, list[Date]] = {}
    for shop_id, day in beyond:
        unplaced.setdefault(shop_id, []).append(day)
    load = TableLoad(store.INQUIRIES, shops=len(plan.keys() | unplaced.keys()))
    for shop_id in sorted(plan.keys() | unplaced.keys()):
        days = plan.get(shop_id, [])
        with transaction(con):
            batch: list[mapping.RawRecord] = []
            for day in [*days, *unplaced.get(shop_id, [])]:
                for page in reader.inquiry_pages(session, shop_id, day, fetch_size):
                    good = _set_aside(
                        con, "inquiries_by_day", page, checks.inquiry_problem, limits, now
                    )
                    batch.extend(mapping.inquiry_record(row, now) for row in good)
                    load.add_page(len(page))
                    load.rows_quarantined += len(page) - len(good)
                    if len(batch) >= fetch_size:
                        load.rows_upserted += _upsert_inquiries(con, batch)
                        batch = []
            load.rows_upserted += _upsert_inquiries(con, batch)
            if days:
                newest = watermarks.next_day_watermark(previous.get(shop_id), days, now)
                store.save_watermark(con, store.INQUIRIES, shop_id, newest, now)
        load.partitions += len(days) + len(unplaced.get(shop_id, []))
    return load


def _set_aside(
    con: duckdb.DuckDBPyConnection,
    table: str,
    page: Page,
    problem_of: checks.Check,
    limits: Bounds,
    now: dt.datetime,
) -> list[reader.Row]:
    """Quarantine the rows of `page` that cannot load; the rows that can."""
    good, quarantined = [], {}
    for row in page:
        problem = problem_of(row, limits, PHONE_REGION)
        if problem is None:
            good.append(row)
        else:
            record = mapping.quarantine_record(table, row, *problem, now)
            quarantined[record["record_key"]] = record
    store.upsert(con, store.QUARANTINE, list(quarantined.values()))
    return good


def _upsert_inquiries(con: duckdb.DuckDBPyConnection, batch: list[mapping.RawRecord]) -> int:
    records = mapping.latest_per_inquiry(batch)
    store.upsert(con, store.INQUIRIES, records)
    store.release(con, "inquiries_by_day", [r["inquiry_id"] for r in records])
    return len(records)
