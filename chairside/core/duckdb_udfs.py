"""DuckDB functions the dbt models call, registered on dbt's connection as a dbt-duckdb plugin.

Matching one person across sources needs the same phone and email normalisation everywhere: the
inbox loader already owns it (`chairside.contracts.cells`), so dbt calls that code instead of a SQL
imitation of libphonenumber. Unreadable values become NULL here: a model must not fail on one
customer's typo, and the raw value stays beside the normalised one.
"""

from __future__ import annotations

from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection
from duckdb.sqltypes import VARCHAR

from chairside.contracts import cells


def normalize_phone(raw: str | None, region: str | None) -> str | None:
    if raw is None:
        return None
    try:
        return cells.phone(raw, region or "CA")[1]
    except cells.CellError:
        return None


def normalize_email(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        return cells.email(raw)
    except cells.CellError:
        return None


def normalize_gender(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        return cells.gender(raw)
    except cells.CellError:
        return None


def register(conn: DuckDBPyConnection) -> None:
    """Make the functions callable on `conn`: dbt's connection, and the publisher's, which reads
    the marts' views that call them (`chairside.presentation.release.publish`)."""
    conn.create_function(
        "normalize_phone",
        normalize_phone,
        [VARCHAR, VARCHAR],
        VARCHAR,
        null_handling="special",
        side_effects=False,
    )
    for name, function in (
        ("normalize_email", normalize_email),
        ("normalize_gender", normalize_gender),
    ):
        conn.create_function(
            name, function, [VARCHAR], VARCHAR, null_handling="special", side_effects=False
        )


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self.config = plugin_config

    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        register(conn)
