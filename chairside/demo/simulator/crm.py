"""The simulator's CRM writes: new customers and inquiries into the contract's Cassandra tables.

One session and one prepared INSERT per table for the whole run (the demo seeder prepares per
batch, which is fine once but not several times a second). Rows are the `as_row()` dicts the
demo writes, converted by the seeder's own `driver_values`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from cassandra.cluster import Session

from chairside.contracts.crm import CUSTOMER_COLUMNS, INQUIRY_COLUMNS
from chairside.core.settings import CassandraSettings
from chairside.demo.crm_seed import CrmRow, driver_values
from ingestion.cassandra.schema import apply_schema
from ingestion.cassandra.session import open_session


class CrmWriter:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._inserts = {
            table: (columns, session.prepare(_insert(table, columns)))
            for table, columns in (
                ("customers", CUSTOMER_COLUMNS),
                ("inquiries_by_day", INQUIRY_COLUMNS),
            )
        }
        self.written = 0

    def write(self, table: str, rows: Sequence[CrmRow]) -> None:
        columns, insert = self._inserts[table]
        for row in rows:
            self._session.execute(insert, driver_values(row, columns))
            self.written += 1


def _insert(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"


@contextmanager
def crm_writer(settings: CassandraSettings) -> Iterator[CrmWriter]:
    """A writer on the configured keyspace, created with its tables where missing."""
    with open_session(settings, use_keyspace=False) as session:
        apply_schema(session, settings.keyspace)
        session.set_keyspace(settings.keyspace)
        yield CrmWriter(session)
