"""The raw inbox tables and the inbox's bookkeeping in DuckDB.

Raw tables keep every loaded row of every file version with its provenance (file, sheet, row);
which version wins is decided in dbt staging, so history is never overwritten here.
`ops.inbox_files` records each distinct file content once, which is what makes a reload of the
same bytes a no-op; `ops.inbox_quarantine` keeps every row that could not be read, with why.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from ingestion.inbox.kinds import KINDS, SHOP_REF, Kind

PROVENANCE = (
    ("file_id", "VARCHAR NOT NULL"),
    ("sheet", "VARCHAR"),
    ("row_number", "INTEGER NOT NULL"),
)

OPS_DDL = """
create schema if not exists ops;
create table if not exists ops.inbox_files (
    file_id varchar primary key,      -- sha256 of the content
    file_name varchar not null,
    kind varchar,
    version integer not null,         -- 1 for the first content seen under this name, then 2...
    size_bytes bigint not null,
    status varchar not null,          -- loaded | rejected
    message varchar,
    rows_read integer not null,       -- non-blank data rows = rows_loaded + rows_quarantined
    rows_loaded integer not null,
    rows_quarantined integer not null,
    extra_columns varchar[],
    loaded_at timestamptz not null
);
create table if not exists ops.inbox_quarantine (
    file_id varchar not null,
    file_name varchar not null,
    sheet varchar,
    row_number integer not null,
    column_name varchar not null,
    reason varchar not null,
    raw_values json,
    quarantined_at timestamptz not null
);
"""


def columns(kind: Kind) -> list[tuple[str, str]]:
    fields = [field for column in kind.columns for field in column.fields]
    if SHOP_REF in fields:
        fields.append(("shop_id", "VARCHAR"))
    return [*PROVENANCE, *fields]


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists raw_inbox")
    con.execute(OPS_DDL)
    for kind in KINDS.values():
        body = ", ".join(f"{name} {sql_type}" for name, sql_type in columns(kind))
        con.execute(f"create table if not exists {kind.table} ({body})")


def insert_rows(con: duckdb.DuckDBPyConnection, kind: Kind, rows: list[dict]) -> None:
    if not rows:
        return
    names = [name for name, _ in columns(kind)]
    frame = pd.DataFrame.from_records(rows, columns=names)
    con.register("incoming_rows", frame)
    try:
        casts = ", ".join(
            f"cast({name} as {sql_type.split()[0]}) as {name}" for name, sql_type in columns(kind)
        )
        con.execute(f"insert into {kind.table} select {casts} from incoming_rows")
    finally:
        con.unregister("incoming_rows")
