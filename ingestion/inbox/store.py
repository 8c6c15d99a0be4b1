"""The raw inbox tables and the inbox's bookkeeping in DuckDB.

Raw tables keep every loaded row of every file version with its provenance (file, sheet, row);
which version wins is decided in dbt staging, so history is never overwritten here.
`ops.inbox_files` records what became of each version of each file name: content that loaded is
recorded once, which is what makes a reload of the same bytes a no-op; content that was rejected
stays recorded with its reason, and the same bytes may still load later (renamed to a known
kind, or once the loader reads them). `ops.inbox_quarantine` keeps every row that could not be
read, whole, with why.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from chairside.core.warehouse import WarehouseUnavailable, read_frame, transaction
from ingestion.inbox.kinds import KINDS, SHOP_REF, Kind

PROVENANCE = (
    ("file_id", "VARCHAR NOT NULL"),
    ("sheet", "VARCHAR"),
    ("row_number", "INTEGER NOT NULL"),
)

INBOX_FILES_DDL = """
create table if not exists ops.inbox_files (
    file_id varchar not null,         -- sha256 of the content
    file_name varchar not null,       -- as listed; bytes that are not UTF-8 shown as \\xNN
    kind varchar,
    version integer not null,         -- 1 for the first content seen under this name, then 2...
    size_bytes bigint not null,
    status varchar not null,          -- loaded | rejected
    message varchar,
    rows_read integer not null,       -- non-blank data rows = rows_loaded + rows_quarantined
    rows_loaded integer not null,
    rows_quarantined integer not null,
    extra_columns varchar[],
    loaded_at timestamptz not null,
    primary key (file_name, version)
);
"""

OPS_DDL = """
create schema if not exists ops;
create table if not exists ops.inbox_quarantine (
    file_id varchar not null,
    file_name varchar not null,
    sheet varchar,
    row_number integer not null,
    column_name varchar not null,
    reason varchar not null,
    raw_values json,                  -- the whole row as read: header as written -> cell
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
    _rekey_inbox_files(con)
    con.execute(INBOX_FILES_DDL)
    for kind in KINDS.values():
        body = ", ".join(f"{name} {sql_type}" for name, sql_type in columns(kind))
        con.execute(f"create table if not exists {kind.table} ({body})")
        _add_new_columns(con, kind)


def _add_new_columns(con: duckdb.DuckDBPyConnection, kind: Kind) -> None:
    """A column a kind gained since the warehouse was made (the shops' Phone), added empty to
    the raw table, so older warehouses load newer files."""
    schema, table = kind.table.split(".")
    existing = {
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchall()
    }
    for name, sql_type in columns(kind):
        if name not in existing:
            con.execute(f"alter table {kind.table} add column {name} {sql_type.split()[0]}")


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


def _rekey_inbox_files(con: duckdb.DuckDBPyConnection) -> None:
    """Warehouses made before rejected content could load later key `ops.inbox_files` by the
    content hash, which forbids recording the same bytes rejected and then loaded. DuckDB cannot
    drop a primary key, so the table is copied into the new shape, every record kept."""
    (keyed_by_content,) = con.execute(
        "select count(*) from duckdb_constraints() where schema_name = 'ops' "
        "and table_name = 'inbox_files' and constraint_type = 'PRIMARY KEY' "
        "and constraint_column_names = ['file_id']"
    ).fetchone()
    if not keyed_by_content:
        return
    with transaction(con):
        con.execute("alter table ops.inbox_files rename to inbox_files_keyed_by_content")
        con.execute(INBOX_FILES_DDL)
        con.execute(
            "insert into ops.inbox_files by name select * from ops.inbox_files_keyed_by_content"
        )
        con.execute("drop table ops.inbox_files_keyed_by_content")


LOADED_SQL = "select distinct file_id, file_name from ops.inbox_files where status = 'loaded'"


def loaded_contents(warehouse: Path) -> frozenset[tuple[str, str]]:
    """(sha256, file name) of every content the warehouse has loaded; none before it exists.

    Raises `WarehouseUnavailable` while a build holds the file: the caller looks again later
    rather than guess."""
    if not warehouse.exists():
        return frozenset()
    try:
        frame = read_frame(warehouse, LOADED_SQL, attempts=4)
    except WarehouseUnavailable as error:
        if "does not have this table" in str(error):
            return frozenset()
        raise
    return frozenset(zip(frame["file_id"], frame["file_name"], strict=True))
