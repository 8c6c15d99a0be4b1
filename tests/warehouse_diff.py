"""Compare the marts of two warehouse files, row for row.

An incremental build must leave the marts exactly as a full build of the same raw data would;
this is how the benchmark and the tests check it. The times a build stamps its rows with
(`changed_at`, `refreshed_at`) differ by construction and are left out.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

BUILD_STAMPS = ("changed_at", "refreshed_at")


def mart_tables(con: duckdb.DuckDBPyConnection, catalog: str | None = None) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' "
        "and table_type = 'BASE TABLE' and table_catalog = coalesce(?, current_database()) "
        "order by table_name",
        [catalog],
    ).fetchall()
    return [name for (name,) in rows]


def mart_differences(left: Path, right: Path) -> dict[str, int]:
    """Per mart table of either warehouse: the rows found in one and not the other, both ways
    counted (duplicates too). A table missing from one side counts all its rows."""
    found: dict[str, int] = {}
    with duckdb.connect(str(left), read_only=True) as con:
        con.execute(f"attach '{right}' as other (read_only)")
        ours, theirs = set(mart_tables(con)), set(mart_tables(con, "other"))
        for table in sorted(ours | theirs):
            if table not in ours or table not in theirs:
                side = "marts" if table in ours else "other.marts"
                (found[table],) = con.execute(f"select count(*) from {side}.{table}").fetchone()
                continue
            stamps = [c for c in BUILD_STAMPS if c in _columns(con, table)]
            rows = f"select * exclude ({', '.join(stamps)})" if stamps else "select *"
            a, b = f"{rows} from marts.{table}", f"{rows} from other.marts.{table}"
            (found[table],) = con.execute(
                f"select (select count(*) from ({a} except all {b}))"
                f" + (select count(*) from ({b} except all {a}))"
            ).fetchone()
    return found


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute(
        "select column_name from information_schema.columns "
        "where table_catalog = current_database() and table_schema = 'marts' "
        "and table_name = ?",
        [table],
    ).fetchall()
    return {name for (name,) in rows}
