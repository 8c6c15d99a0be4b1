"""The ingestion state the Data health app shows, copied into the owner release.

Data health reads what ingestion loaded and set aside (raw tables, dead letters, quarantined
rows, held events), tables a build writes and so holds locked. A copy in the release lets the
page answer during builds like every other app; it is as fresh as the release, which is what
the page also says. The raw event tables are copied slim (shop and load time: all freshness
needs), under the same names, so the page's queries run unchanged. Only the owner release gets
them: dead letters and quarantined rows hold raw contact data.
"""

from __future__ import annotations

import duckdb

from chairside.presentation.analytics.health import (
    DEAD_LETTERS,
    HELD,
    INBOX_FILES,
    QUARANTINE,
    SOURCES,
)


def copies() -> dict[str, str]:
    """relation -> the select list copied from the build (`*`, or a source's slim columns)."""
    slim = {
        source.table: ", ".join(
            [*(["shop_id"] if source.per_shop else []), f'"{source.loaded_at}"']
        )
        for source in SOURCES
    }
    whole = {relation: "*" for relation in (DEAD_LETTERS, QUARANTINE, INBOX_FILES, HELD)}
    return {**slim, **whole}


def copy_into(con: duckdb.DuckDBPyConnection, source: str, target: str) -> list[str]:
    """Copy every health table the `source` catalog has into the `target` catalog; returns the
    relations copied (a source never configured has none, which the page says)."""
    present = {
        f"{schema}.{table}"
        for schema, table in con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = ?",
            [source],
        ).fetchall()
    }
    copied = []
    for relation, columns in copies().items():
        if relation not in present:
            continue
        schema = relation.split(".")[0]
        con.execute(f"create schema if not exists {target}.{schema}")
        con.execute(
            f"create table {target}.{relation} as select {columns} from {source}.{relation}"
        )
        copied.append(relation)
    return copied
