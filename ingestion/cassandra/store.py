"""The raw CRM tables and their watermarks in DuckDB.

The raw tables are keyed as the dbt staging reads them (a customer by shop and id, an inquiry by
id), so loading a row again replaces it. Each shop's watermark lives in `ops` and is written in
the transaction that writes the shop's rows: a crash leaves both as they were, and the next load
reads the same rows again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import pandas as pd

from ingestion.cassandra.mapping import (
    RAW_CUSTOMER_COLUMNS,
    RAW_INQUIRY_COLUMNS,
    RAW_QUARANTINE_COLUMNS,
    RawRecord,
)

CUSTOMERS = "raw_cassandra.customers"
INQUIRIES = "raw_cassandra.inquiries_by_day"
QUARANTINE = "raw_cassandra.quarantine"

DDL = """
create schema if not exists raw_cassandra;
create table if not exists raw_cassandra.customers (
    shop_id varchar not null,
    customer_id varchar not null,
    first_name varchar,
    last_name varchar,
    phone varchar,
    email varchar,
    birth_year integer,
    gender varchar,
    marketing_opt_in boolean,
    created_at timestamptz,
    updated_at timestamptz,
    loaded_at timestamptz not null,
    primary key (shop_id, customer_id)
);
create table if not exists raw_cassandra.inquiries_by_day (
    inquiry_id varchar primary key,   -- the CQL uuid as text
    shop_id varchar not null,
    day date not null,
    created_at timestamptz not null,
    customer_name varchar,
    phone varchar,
    email varchar,
    age integer,
    gender varchar,
    message varchar,
    channel varchar,
    loaded_at timestamptz not null
);
-- CRM rows that cannot load (checks.py), whole, until the row loads once fixed
create table if not exists raw_cassandra.quarantine (
    source_table varchar not null,    -- customers | inquiries_by_day
    record_key varchar not null,      -- the row's key in its raw table
    shop_id varchar,
    partition_key varchar not null,   -- the CQL partition, as text
    row_key varchar not null,         -- the CQL clustering key, as text
    field varchar not null,
    reason varchar not null,
    raw_row varchar not null,         -- JSON: every column as read
    quarantined_at timestamptz not null,
    primary key (source_table, record_key)
);
create schema if not exists ops;
create table if not exists ops.cassandra_customers_watermarks (
    shop_id varchar primary key,
    watermark timestamptz not null,   -- newest change stamp loaded (updated_at, else created_at)
    loaded_at timestamptz not null
);
create table if not exists ops.cassandra_inquiries_by_day_watermarks (
    shop_id varchar primary key,
    watermark date not null,          -- newest (shop_id, day) partition loaded
    loaded_at timestamptz not null
);
"""

_COLUMNS = {
    CUSTOMERS: RAW_CUSTOMER_COLUMNS,
    INQUIRIES: RAW_INQUIRY_COLUMNS,
    QUARANTINE: RAW_QUARANTINE_COLUMNS,
}
_WATERMARKS = {
    CUSTOMERS: "ops.cassandra_customers_watermarks",
    INQUIRIES: "ops.cassandra_inquiries_by_day_watermarks",
}


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw tables (empty) and the watermarks; dbt staging reads the tables whether
    or not a cluster is configured."""
    con.execute(DDL)


def upsert(con: duckdb.DuckDBPyConnection, table: str, records: Sequence[RawRecord]) -> None:
    """Insert the records, replacing rows with the same key. Keys must be unique in `records`."""
    if not records:
        return
    columns = _COLUMNS[table]
    frame = pd.DataFrame.from_records(records, columns=list(columns))
    con.register("incoming_records", frame)
    try:
        names = ", ".join(columns)
        con.execute(
            f"insert or replace into {table} ({names}) select {names} from incoming_records"
        )
    finally:
        con.unregister("incoming_records")


def release(con: duckdb.DuckDBPyConnection, source_table: str, record_keys: list[str]) -> None:
    """Take rows that have now loaded out of quarantine: the CRM fixed them."""
    if record_keys:
        con.execute(
            f"delete from {QUARANTINE} where source_table = ? and record_key in "
            "(select unnest(?::varchar[]))",
            [source_table, record_keys],
        )


def watermarks(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, dt.date]:
    """Each shop's watermark: an aware datetime for customers, a date for inquiries."""
    return dict(con.execute(f"select shop_id, watermark from {_WATERMARKS[table]}").fetchall())


def save_watermark(
    con: duckdb.DuckDBPyConnection,
    table: str,
    shop_id: str,
    watermark: dt.date,
    loaded_at: dt.datetime,
) -> None:
    con.execute(
        f"insert or replace into {_WATERMARKS[table]} values (?, ?, ?)",
        [shop_id, watermark, loaded_at],
    )
