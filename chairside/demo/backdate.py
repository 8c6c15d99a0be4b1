"""Give a warehouse loaded in one go the load times of one that grew day by day.

Incremental models pick their work by load time (`ingested_at`, `loaded_at`) less a lookback
margin (dbt_project/macros/incremental_watermark.sql). A demo history published and ingested
within a minute lies entirely inside that margin, so the next build would recompute all of
it: not what a warehouse fed by a live stream sees. The benchmark and the tests therefore set
each event's `ingested_at` to when it occurred (a stream ingests as things happen) and move
every other load time (files, CRM rows, dead letters) back by `files_by`, before building.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from chairside.core.warehouse import transaction

_EVENT_TABLES = ("raw_kafka.appointments", "raw_kafka.calls", "raw_kafka.customers")
# Columns that record when the pipeline stored a row; source times (occurred_at, a CRM's
# updated_at) are data and never move.
_LOAD_TIME_COLUMNS = ("loaded_at", "dead_lettered_at", "quarantined_at")
_LOADED_SCHEMAS = ("raw_kafka", "raw_inbox", "raw_cassandra", "ops")


def backdate_loads(con: duckdb.DuckDBPyConnection, files_by: dt.timedelta) -> None:
    """Events ingested when they occurred, everything else loaded `files_by` earlier; in one
    transaction."""
    columns = con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_schema in ? and column_name in ? order by all",
        [list(_LOADED_SCHEMAS), list(_LOAD_TIME_COLUMNS)],
    ).fetchall()
    with transaction(con):
        for table in _EVENT_TABLES:
            con.execute(f"update {table} set ingested_at = occurred_at")
        for schema, table, column in columns:
            con.execute(f'update "{schema}"."{table}" set "{column}" = "{column}" - ?', [files_by])
