"""Writing CRM rows into Cassandra: how the demo's CRM data reaches a configured cluster.

Rows come as the demo writes them to JSON lines (`as_row()` dicts of the contract columns, with
instants as ISO-8601 text, days as ISO dates and ids as uuid text); they become driver values
here and go through one prepared INSERT per table, many requests in flight at once. A CQL
INSERT replaces the row with the same key, so seeding the same data twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence

from cassandra.cluster import Session
from cassandra.concurrent import execute_concurrent_with_args

from chairside.contracts.crm import CUSTOMER_COLUMNS, INQUIRY_COLUMNS
from chairside.core.settings import CassandraSettings
from ingestion.cassandra.schema import apply_schema
from ingestion.cassandra.session import open_session

CrmRow = Mapping[str, object]

# Requests in flight at once: enough to hide round trips, few enough for a one-node dev cluster.
CONCURRENCY = 32


def _instant(value: object) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(str(value))


_CONVERSIONS: dict[str, Callable[[object], object]] = {
    "created_at": _instant,
    "updated_at": _instant,
    "day": lambda value: dt.date.fromisoformat(str(value)),
    "inquiry_id": lambda value: uuid.UUID(str(value)),
}


def driver_values(row: CrmRow, columns: Sequence[str]) -> tuple[object, ...]:
    return tuple(_CONVERSIONS.get(column, lambda value: value)(row[column]) for column in columns)


def write_rows(session: Session, table: str, columns: Sequence[str], rows: Iterable[CrmRow]) -> int:
    placeholders = ", ".join("?" for _ in columns)
    insert = session.prepare(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})")
    results = execute_concurrent_with_args(
        session,
        insert,
        (driver_values(row, columns) for row in rows),
        concurrency=CONCURRENCY,
        raise_on_first_error=True,
        results_generator=True,
    )
    return sum(1 for _ in results)


def seed_crm(
    settings: CassandraSettings, customers: Iterable[CrmRow], inquiries: Iterable[CrmRow]
) -> tuple[int, int]:
    """Create the keyspace and tables where missing, then write the rows; returns the number
    of customers and inquiries written."""
    with open_session(settings, use_keyspace=False) as session:
        apply_schema(session, settings.keyspace)
        session.set_keyspace(settings.keyspace)
        return (
            write_rows(session, "customers", CUSTOMER_COLUMNS, customers),
            write_rows(session, "inquiries_by_day", INQUIRY_COLUMNS, inquiries),
        )
