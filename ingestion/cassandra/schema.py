"""schema.cql applied through the driver, for a keyspace other than compose's `chairside`.

docker compose's init service runs the file through cqlsh as written. The demo seeding and the
integration tests apply the same statements through a session, under the configured keyspace
(the tests use a throwaway one), so there is one schema and no copy of it in Python.
"""

from __future__ import annotations

import re
from pathlib import Path

from cassandra.cluster import Session

SCHEMA_PATH = Path(__file__).with_name("schema.cql")
_FILE_KEYSPACE = "chairside"
# Unquoted CQL keyspace names: a letter, then letters, digits and underscores, 48 at most.
_KEYSPACE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,47}")


def schema_statements(keyspace: str) -> list[str]:
    if not _KEYSPACE_NAME.fullmatch(keyspace):
        raise ValueError(
            f"CHAIRSIDE_CASSANDRA_KEYSPACE {keyspace!r} is not a plain CQL name "
            "(a letter, then letters, digits or '_', 48 at most)"
        )
    lines = [line for line in SCHEMA_PATH.read_text().splitlines() if not line.startswith("--")]
    text = re.sub(rf"\b{_FILE_KEYSPACE}\b", keyspace, "\n".join(lines))
    return [statement.strip() for statement in text.split(";") if statement.strip()]


def apply_schema(session: Session, keyspace: str) -> None:
    """Create the keyspace and the contract's tables where missing (the file says IF NOT
    EXISTS throughout), waiting for schema agreement after each, as the driver does."""
    for statement in schema_statements(keyspace):
        session.execute(statement)
