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

from ingestion.cassandra.mapping import RAW_CUSTOMER_COLUMNS, RAW_INQUIRY_COLUMNS, RawRecord

CUSTOMERS = "raw_cassandra.customers"
INQUIRIES = "raw_cassandra.inquiries_by_day"

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

_COLUMNS = {CUSTOMERS: RAW_CUSTOMER_COLUMNS, INQUIRIES: RAW_INQUIRY_COLUMNS}
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
