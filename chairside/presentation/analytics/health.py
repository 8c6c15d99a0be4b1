"""The Data health app's queries: how fresh each source is, what was set aside on the way in,
and which valid events the marts hold back until their shop or their booking arrives.

Freshness is per source for the picked shops where the source records a shop (Kafka, Cassandra);
inbox files, dead letters and quarantined rows are chain-wide (a message that failed to parse has
no trustworthy shop), filtered by the date range only. A source whose table does not exist yet
(never configured, never loaded) is listed as such rather than failing the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from chairside.core.warehouse import read_frame
from chairside.presentation.analytics.catalog import existing_tables
from chairside.presentation.analytics.filters import Filters

# The nightly build runs at 03:00; a source not loaded for a day and two hours missed a night.
STALE_AFTER = dt.timedelta(hours=26)

DEAD_LETTERS = "raw_kafka.dead_letters"
QUARANTINE = "ops.inbox_quarantine"
CRM_QUARANTINE = "raw_cassandra.quarantine"
INBOX_FILES = "ops.inbox_files"
HELD = "intermediate.int_events__held"


@dataclass(frozen=True)
class Source:
    name: str
    table: str
    loaded_at: str
    per_shop: bool

    @property
    def system(self) -> str:
        """ "inbox", "kafka" or "cassandra": what has to be set up for the source to load."""
        return self.name.split()[0].lower()


SOURCES = (
    Source("Inbox spreadsheets", INBOX_FILES, "loaded_at", per_shop=False),
    Source("Kafka calls", "raw_kafka.calls", "ingested_at", per_shop=True),
    Source("Kafka appointments", "raw_kafka.appointments", "ingested_at", per_shop=True),
    Source("Kafka customers", "raw_kafka.customers", "ingested_at", per_shop=True),
    Source("Kafka inquiries", "raw_kafka.inquiries", "ingested_at", per_shop=True),
    Source("Cassandra customers", "raw_cassandra.customers", "loaded_at", per_shop=True),
    Source("Cassandra inquiries", "raw_cassandra.inquiries_by_day", "loaded_at", per_shop=True),
)


def _freshness_sql(source: Source) -> str:
    where = "where shop_id in (select unnest($1::varchar[]))" if source.per_shop else ""
    return (
        f"select '{source.name}' as source, '{source.table}' as table_name, "
        f"count(*) as rows, max({source.loaded_at}) as last_loaded_at "
        f"from {source.table} {where}"
    )


def freshness(
    path: Path,
    shop_ids: tuple[str, ...],
    now: dt.datetime | None = None,
    *,
    set_up: Collection[str] = ("inbox", "kafka", "cassandra"),
) -> pd.DataFrame:
    """Per source: rows, last load, hours since, and a status (fresh, stale, never loaded, or
    not set up: an empty source whose system is not in `set_up`, which nobody expects to load).

    Load ages are on the wall clock whatever date the app answers for: they say how long ago
    data arrived, which no as-of date changes."""
    present = existing_tables(path, [source.table for source in SOURCES])
    loaded = [source for source in SOURCES if source.table in present]
    frame = pd.DataFrame(columns=["source", "table_name", "rows", "last_loaded_at"])
    if loaded:
        sql = "\nunion all\n".join(_freshness_sql(source) for source in loaded)
        frame = read_frame(path, sql, [list(shop_ids)])
    missing = pd.DataFrame(
        {
            "source": [source.name for source in SOURCES if source.table not in present],
            "table_name": [source.table for source in SOURCES if source.table not in present],
            "rows": 0,
        }
    )
    frame = pd.concat([frame, missing], ignore_index=True)
    order = {source.name: number for number, source in enumerate(SOURCES)}
    frame = frame.sort_values("source", key=lambda names: names.map(order)).reset_index(drop=True)
    last = pd.to_datetime(frame["last_loaded_at"], utc=True)
    age = pd.Timestamp(now or dt.datetime.now(dt.UTC)) - last
    systems = {source.name: source.system for source in SOURCES}
    return frame.assign(
        last_loaded_at=last,
        hours_since=age.dt.total_seconds() / 3600,
        status=[
            _status(rows, since, systems[name] in set_up)
            for name, rows, since in zip(frame["source"], frame["rows"], age, strict=True)
        ],
    )


def _status(rows: int, since: pd.Timedelta, set_up: bool) -> str:
    if not rows or pd.isna(since):
        return "never loaded" if set_up else "not set up"
    return "stale" if since > STALE_AFTER else "fresh"


DEAD_LETTER_COUNTS_SQL = f"""
select kafka_topic as topic, count(*) as messages, max(dead_lettered_at) as latest
from {DEAD_LETTERS}
where cast(dead_lettered_at as date) >= $1 and cast(dead_lettered_at as date) < $2
group by all
order by messages desc
"""

LATEST_DEAD_LETTERS_SQL = f"""
select dead_lettered_at, kafka_topic as topic, kafka_partition as partition,
       kafka_offset as offset, reason
from {DEAD_LETTERS}
where cast(dead_lettered_at as date) >= $1 and cast(dead_lettered_at as date) < $2
order by dead_lettered_at desc
limit $3
"""

QUARANTINE_COUNTS_SQL = f"""
select file_name, column_name, count(*) as rows, max(quarantined_at) as latest
from {QUARANTINE}
where cast(quarantined_at as date) >= $1 and cast(quarantined_at as date) < $2
group by all
order by latest desc, rows desc
"""

LATEST_QUARANTINE_SQL = f"""
select quarantined_at, file_name, sheet, row_number, column_name, reason, raw_values
from {QUARANTINE}
where cast(quarantined_at as date) >= $1 and cast(quarantined_at as date) < $2
order by quarantined_at desc, file_name, row_number
limit $3
"""

CRM_QUARANTINE_COUNTS_SQL = f"""
select source_table as crm_table, field, count(*) as rows, max(quarantined_at) as latest
from {CRM_QUARANTINE}
where cast(quarantined_at as date) >= $1 and cast(quarantined_at as date) < $2
group by all
order by latest desc, rows desc
"""

LATEST_CRM_QUARANTINE_SQL = f"""
select quarantined_at, source_table as crm_table, shop_id, partition_key, row_key, field, reason,
       raw_row
from {CRM_QUARANTINE}
where cast(quarantined_at as date) >= $1 and cast(quarantined_at as date) < $2
order by quarantined_at desc, source_table, record_key
limit $3
"""

REJECTED_FILES_SQL = f"""
select loaded_at, file_name, kind, version, status, message
from {INBOX_FILES}
where status != 'loaded'
  and cast(loaded_at as date) >= $1 and cast(loaded_at as date) < $2
order by loaded_at desc
"""


@dataclass(frozen=True)
class SetAside:
    """What ingestion set aside in the range; a frame is None when its table does not exist."""

    dead_letter_counts: pd.DataFrame | None
    latest_dead_letters: pd.DataFrame | None
    quarantine_counts: pd.DataFrame | None
    latest_quarantine: pd.DataFrame | None
    rejected_files: pd.DataFrame | None
    crm_quarantine_counts: pd.DataFrame | None = None
    latest_crm_quarantine: pd.DataFrame | None = None


def set_aside(path: Path, filters: Filters, latest: int = 20) -> SetAside:
    present = existing_tables(path, [DEAD_LETTERS, QUARANTINE, INBOX_FILES, CRM_QUARANTINE])
    days = [filters.first_week, filters.end]

    def read(table: str, sql: str, params: list[object]) -> pd.DataFrame | None:
        return read_frame(path, sql, params) if table in present else None

    return SetAside(
        dead_letter_counts=read(DEAD_LETTERS, DEAD_LETTER_COUNTS_SQL, days),
        latest_dead_letters=read(DEAD_LETTERS, LATEST_DEAD_LETTERS_SQL, [*days, latest]),
        quarantine_counts=read(QUARANTINE, QUARANTINE_COUNTS_SQL, days),
        latest_quarantine=read(QUARANTINE, LATEST_QUARANTINE_SQL, [*days, latest]),
        rejected_files=read(INBOX_FILES, REJECTED_FILES_SQL, days),
        crm_quarantine_counts=read(CRM_QUARANTINE, CRM_QUARANTINE_COUNTS_SQL, days),
        latest_crm_quarantine=read(CRM_QUARANTINE, LATEST_CRM_QUARANTINE_SQL, [*days, latest]),
    )


HELD_COUNTS_SQL = f"""
select source, shop_id, count(*) as events, min(first_seen) as held_since
from {HELD}
group by all
order by held_since, source, shop_id
"""

HELD_EVENTS_SQL = f"""
select first_seen, source, shop_id, entity_id, event_id, reason
from {HELD}
order by first_seen, source, entity_id, event_id
limit $1
"""


@dataclass(frozen=True)
class Held:
    """Events held now (whatever the date range: they are waiting, not past), per source and
    shop, and the oldest of them with their reasons."""

    counts: pd.DataFrame
    oldest: pd.DataFrame


def held(path: Path, oldest: int = 50) -> Held | None:
    """None before the warehouse has been built with the held-records model."""
    if HELD not in existing_tables(path, [HELD]):
        return None
    return Held(
        counts=read_frame(path, HELD_COUNTS_SQL),
        oldest=read_frame(path, HELD_EVENTS_SQL, [oldest]),
    )
