"""The raw tables as a Parquet lake, the layout the `spark` dbt target reads its sources from.

One directory per source table, `<lake>/<schema>/<table>/`, Hive-partitioned by `shop_id` and
`lake_date` (the UTC date the row was loaded) where the table has them, so a build of a few
shops or of the last days reads only their files. The partition columns are also kept inside the
files: Spark then keeps each column's type and place, and reads the partition values as strings
(dbt_project/profiles.yml) without guessing that a shop id of digits is a number.

This is an export of the DuckDB raw tables, the rows ingestion has committed there (exactly
once, dead letters apart), copied whole: a re-export replaces the table's directory, never adds
to it, so the lake holds each row once. Ingestion does not yet land rows in the lake directly.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

# The schemas the dbt sources read (dbt_project/models/staging/*/_*__sources.yml).
RAW_SCHEMAS = ("raw_kafka", "raw_inbox", "raw_cassandra", "ops")
# The column saying when a row was loaded, by the first one a table has.
LOAD_TIMES = ("ingested_at", "dead_lettered_at", "loaded_at")


def export_raw_tables(con: duckdb.DuckDBPyConnection, lake: Path) -> dict[str, int]:
    """Every table of the raw schemas, written to the lake; the rows written, by table."""
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = current_database() and table_type = 'BASE TABLE' "
        f"and table_schema in ({', '.join('?' for _ in RAW_SCHEMAS)}) order by 1, 2",
        list(RAW_SCHEMAS),
    ).fetchall()
    return {
        f"{schema}.{table}": export_table(con, schema, table, lake / schema / table)
        for schema, table in tables
    }


def export_table(con: duckdb.DuckDBPyConnection, schema: str, table: str, target: Path) -> int:
    types = dict(
        con.execute(
            "select column_name, data_type from information_schema.columns where table_catalog "
            "= current_database() and table_schema = ? and table_name = ? "
            "order by ordinal_position",
            [schema, table],
        ).fetchall()
    )
    columns = list(types)
    load_time = next((name for name in LOAD_TIMES if name in columns), None)
    lake_date = f"cast({load_time} as date)" if load_time else "cast(null as date)"
    values = ", ".join(_lake_value(name, kind) for name, kind in types.items())
    rows = f'select {values}, {lake_date} as lake_date from "{schema}"."{table}"'
    partitions = [name for name in ("shop_id",) if name in columns]
    if load_time:
        partitions.append("lake_date")
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    counted = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()
    count = int(counted[0]) if counted else 0
    if count == 0 or not partitions:
        # one file, so that even an empty table has its schema in the lake
        con.execute(f"copy ({rows}) to '{target / 'rows.parquet'}' (format parquet)")
    else:
        con.execute(
            f"copy ({rows}) to '{target}' (format parquet, "
            f"partition_by ({', '.join(partitions)}), write_partition_columns true)"
        )
    return count


def _lake_value(name: str, kind: str) -> str:
    """Spark has no time-of-day type (a shop's opening hours) and reads no JSON type (an
    event's data): both are stored as their text, `09:00:00` and the JSON document."""
    if kind in ("TIME", "JSON"):
        return f'cast("{name}" as varchar) as "{name}"'
    return f'"{name}"'


def main() -> None:
    """`python -m chairside.lake WAREHOUSE LAKE`: export a warehouse's raw tables."""
    import sys

    warehouse, lake = (Path(arg) for arg in sys.argv[1:3])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table, rows in export_raw_tables(con, lake).items():
            print(f"{table}: {rows} rows")


if __name__ == "__main__":
    main()
