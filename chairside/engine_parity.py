"""Compare the marts Spark built with DuckDB's, row for row.

The `spark` dbt target writes each mart as a Parquet table under its warehouse directory
(`<dir>/marts.db/<table>`), which DuckDB reads directly, so no second Spark session is needed to
check it. Each Spark column is cast to the type the DuckDB mart has (Spark keeps instants as UTC
timestamps and wall-clock times as timestamps of the same value; DuckDB's session is set to UTC
so both read alike). Money is decimal on both sides and must match to the cent; rates are doubles
and must match to 1e-9, so doubles are compared rounded to 9 places. The times a build stamps its
rows with differ by construction and are left out (tests/warehouse_diff.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from tests.warehouse_diff import BUILD_STAMPS

RATE_PLACES = 9


@dataclass(frozen=True)
class MartDifference:
    table: str
    only_duckdb: list[tuple]
    only_spark: list[tuple]

    @property
    def count(self) -> int:
        return len(self.only_duckdb) + len(self.only_spark)


def spark_mart_differences(
    warehouse: Path, spark_tables: Path, tables: list[str], *, schema: str = "marts", shown: int = 5
) -> list[MartDifference]:
    """Per table of `schema`: the rows only one engine has (duplicates counted), up to `shown`
    of each. `spark_tables` is Spark's directory of that schema (`<warehouse>/<schema>.db`)."""
    differences = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        for table in tables:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = current_database() and table_schema = ? "
                "and table_name = ? order by ordinal_position",
                [schema, table],
            ).fetchall()
            if not columns:
                raise ValueError(f"{schema}.{table} is not in {warehouse}")
            compared = [(name, kind) for name, kind in columns if name not in BUILD_STAMPS]
            ours = ", ".join(_comparable(f'"{name}"', kind) for name, kind in compared)
            theirs = ", ".join(
                _comparable(f'cast("{name}" as {kind})', kind) for name, kind in compared
            )
            files = spark_tables / table / "*.parquet"
            duck = f"select {ours} from {schema}.{table}"
            spark = f"select {theirs} from read_parquet('{files}')"
            only_duckdb = con.execute(f"{duck} except all {spark} limit {shown}").fetchall()
            only_spark = con.execute(f"{spark} except all {duck} limit {shown}").fetchall()
            differences.append(MartDifference(table, only_duckdb, only_spark))
    return differences


def _comparable(expression: str, kind: str) -> str:
    if kind in ("DOUBLE", "FLOAT"):
        return f"round({expression}, {RATE_PLACES})"
    return expression
