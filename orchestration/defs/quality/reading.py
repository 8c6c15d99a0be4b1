"""Reading the columns a suite needs from a warehouse table into pandas.

Only those columns are read, to keep a million-row fact table small in memory. A column named
`<json column>.<field>` (`data.outcome`) is read as that field of the JSON column as text
(`data ->> '$.outcome'`), which lets the raw Kafka suites check the `data` of each event.

Reads go through `chairside.core.warehouse.read_frame`: a read-only connection held for one query
and
retried while a writer holds the file. A check holds the file only while it reads, never while
it validates, so it keeps a concurrent ingestion waiting for as short a time as it can.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from chairside.core.warehouse import read_frame

_COLUMNS_SQL = (
    "select column_name from information_schema.columns where table_schema = ? and table_name = ?"
)
_JSON_FIELD = re.compile(r"(?P<column>[A-Za-z_][A-Za-z0-9_]*)\.(?P<field>[A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class TableRead:
    """What a check found: no table at all, a table without some needed columns, or the rows."""

    exists: bool
    missing_columns: tuple[str, ...] = ()
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)


def read_table(path: Path, relation: str, columns: Sequence[str]) -> TableRead:
    """The `columns` of `relation` (`schema.table`) in the DuckDB warehouse at `path`."""
    if not path.exists():
        return TableRead(exists=False)
    schema, table = relation.split(".")
    present = set(read_frame(path, _COLUMNS_SQL, [schema, table])["column_name"])
    if not present:
        return TableRead(exists=False)
    missing = tuple(
        column
        for column in columns
        if column not in present and _source_column(column) not in present
    )
    if missing:
        return TableRead(exists=True, missing_columns=missing)
    return TableRead(exists=True, frame=read_frame(path, select_sql(relation, columns, present)))


def select_sql(relation: str, columns: Sequence[str], present: set[str]) -> str:
    """A select of `columns` from `relation`; those not in `present` are JSON fields."""
    schema, table = relation.split(".")
    expressions = ", ".join(
        _quote(column) if column in present else f"{_json_field(column)} as {_quote(column)}"
        for column in columns
    )
    return f"select {expressions} from {_quote(schema)}.{_quote(table)}"


def _source_column(column: str) -> str:
    """The table column that `column` is read from: itself, or the JSON column it is a field of."""
    match = _JSON_FIELD.fullmatch(column)
    return match["column"] if match else column


def _json_field(column: str) -> str:
    match = _JSON_FIELD.fullmatch(column)
    if match is None:
        raise ValueError(f"{column!r} is neither a column nor a `<json column>.<field>`")
    return f"{_quote(match['column'])} ->> '$.{match['field']}'"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
