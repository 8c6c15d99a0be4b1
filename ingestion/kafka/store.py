"""The raw Kafka tables, the dead-letter table and the consumed offsets in DuckDB.

`write_chunk` is the exactly-once step: a chunk's events, its dead letters and the next offset
of every partition it covers commit in one transaction. After a crash either all of them are
in the warehouse (and the consumer resumes after them) or none are (and it reads them again).
Events are keyed by `event_id` and dead letters by their Kafka coordinates, so a re-delivery
(a producer retry, a re-sent batch, two overlapping runs) is skipped rather than loaded twice;
offsets only ever move forward for the same reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from ingestion.kafka.client import Delivery
from ingestion.kafka.envelope import Event
from ingestion.kafka.topics import TOPICS, Topic

_EVENT_COLUMNS = """
    event_id varchar primary key,
    event_type varchar not null,
    schema_version integer not null,
    occurred_at timestamptz not null,
    shop_id varchar not null,
    message_key varchar,
    data json not null,
    kafka_topic varchar not null,
    kafka_partition integer not null,
    kafka_offset bigint not null,
    ingested_at timestamptz not null
"""

_BOOKKEEPING_DDL = """
create schema if not exists raw_kafka;
create schema if not exists ops;
create table if not exists raw_kafka.dead_letters (
    kafka_topic varchar not null,
    kafka_partition integer not null,
    kafka_offset bigint not null,
    message_key blob,
    raw_value blob,
    reason varchar not null,
    dead_lettered_at timestamptz not null,
    primary key (kafka_topic, kafka_partition, kafka_offset)
);
create table if not exists ops.kafka_offsets (
    consumer_group varchar not null,
    kafka_topic varchar not null,
    kafka_partition integer not null,
    next_offset bigint not null,
    updated_at timestamptz not null,
    primary key (consumer_group, kafka_topic, kafka_partition)
);
"""

# The columns `EventColumns` hands to DuckDB, in its order.
_EVENT_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("event_type", pa.string()),
        ("schema_version", pa.int32()),
        ("occurred_at", pa.timestamp("us", tz="UTC")),
        ("shop_id", pa.string()),
        ("message_key", pa.string()),
        ("data", pa.string()),
        ("kafka_partition", pa.int32()),
        ("kafka_offset", pa.int64()),
    ]
)
_DEAD_LETTER_SCHEMA = pa.schema(
    [
        ("kafka_partition", pa.int32()),
        ("kafka_offset", pa.int64()),
        ("message_key", pa.binary()),
        ("raw_value", pa.binary()),
        ("reason", pa.string()),
    ]
)


@dataclass(frozen=True, slots=True)
class DeadLetter:
    delivery: Delivery
    reason: str


class EventColumns:
    """A chunk's valid events, column by column in `_EVENT_SCHEMA` order, the first delivery of
    each event_id only. Built in one pass without an object per row, because this is the
    ingestion hot path, and handed to DuckDB as one Arrow table."""

    def __init__(self) -> None:
        self.received = 0
        self._seen: set[str] = set()
        self._columns: tuple[list[object], ...] = tuple([] for _ in _EVENT_SCHEMA)

    def add(self, delivery: Delivery, event: Event) -> None:
        self.received += 1
        if event.event_id in self._seen:
            return
        self._seen.add(event.event_id)
        ids, types, versions, instants, shops, keys, data, partitions, offsets = self._columns
        ids.append(event.event_id)
        types.append(event.event_type)
        versions.append(event.schema_version)
        instants.append(event.occurred_at)
        shops.append(event.shop_id)
        keys.append(_text(delivery.key))
        data.append(event.data)
        partitions.append(delivery.partition)
        offsets.append(delivery.offset)

    def __len__(self) -> int:
        return len(self._seen)

    def to_arrow(self) -> pa.Table:
        return pa.table(list(self._columns), schema=_EVENT_SCHEMA)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A consumed slice of one topic, validated: what `write_chunk` commits at once."""

    topic: Topic
    events: EventColumns
    dead_letters: list[DeadLetter]
    next_offsets: Mapping[int, int]  # partition -> the offset after the last one consumed


@dataclass(frozen=True, slots=True)
class Written:
    loaded: int  # new events
    dead_lettered: int  # new dead letters
    duplicates: int  # re-deliveries skipped: a known event_id or an already dead-lettered offset


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every raw Kafka table (empty) so dbt staging builds before the first event."""
    con.execute(_BOOKKEEPING_DDL)
    for topic in TOPICS:
        con.execute(f"create table if not exists {topic.qualified_table} ({_EVENT_COLUMNS})")


def stored_offsets(con: duckdb.DuckDBPyConnection, group: str, topic: Topic) -> dict[int, int]:
    rows = con.execute(
        "select kafka_partition, next_offset from ops.kafka_offsets "
        "where consumer_group = ? and kafka_topic = ?",
        [group, topic.name],
    ).fetchall()
    return dict(rows)


def set_offsets(
    con: duckdb.DuckDBPyConnection, group: str, topic: Topic, offsets: Mapping[int, int]
) -> None:
    """Move stored offsets to exactly these values, also backwards: for a log that was
    recreated or truncated, which `write_chunk`'s forward-only update would never follow."""
    _upsert_offsets(con, group, topic, offsets, "excluded.next_offset")


def forget_broker(con: duckdb.DuckDBPyConnection) -> None:
    """Forget every position in a previous broker's log: stored offsets and the dead letters
    (identified by topic, partition and offset). For a fresh broker whose offsets restart at
    zero, the demo's local one: the next run reads each topic from its start, events already
    loaded are skipped by event_id, and new dead letters cannot collide with old coordinates."""
    con.begin()
    try:
        con.execute("delete from ops.kafka_offsets")
        con.execute("delete from raw_kafka.dead_letters")
        con.commit()
    except BaseException:
        con.rollback()
        raise


def dead_letter_reasons(
    con: duckdb.DuckDBPyConnection, *, since: datetime, limit: int = 20
) -> dict[str, int]:
    """The most frequent reasons among dead letters written since `since`, with their counts."""
    rows = con.execute(
        "select reason, count(*) from raw_kafka.dead_letters where dead_lettered_at >= ? "
        "group by reason order by count(*) desc, reason limit ?",
        [since, limit],
    ).fetchall()
    return dict(rows)


def write_chunk(
    con: duckdb.DuckDBPyConnection,
    group: str,
    chunk: Chunk,
    *,
    before_commit: Callable[[], None] | None = None,
) -> Written:
    """Commit the chunk's events, dead letters and offsets together, or nothing.

    `before_commit` runs inside the open transaction, just before COMMIT: the consumer passes
    its fault-injection checkpoint there so a crash test can stop the process at that point.
    """
    con.begin()
    try:
        loaded = _insert_events(con, chunk)
        dead_lettered = _insert_dead_letters(con, chunk)
        _advance_offsets(con, group, chunk)
        if before_commit is not None:
            before_commit()
        con.commit()
    except BaseException:
        con.rollback()
        raise
    received = chunk.events.received + len(chunk.dead_letters)
    return Written(loaded, dead_lettered, received - loaded - dead_lettered)


def _insert_events(con: duckdb.DuckDBPyConnection, chunk: Chunk) -> int:
    """New events only: a known event_id was delivered before, and the first delivery wins."""
    if not len(chunk.events):
        return 0
    return _insert(
        con,
        chunk.events.to_arrow(),
        f"""
        insert into {chunk.topic.qualified_table}
        select event_id, event_type, schema_version, occurred_at, shop_id,
               message_key, data, ?, kafka_partition, kafka_offset, now()
        from incoming
        on conflict do nothing
        """,
        [chunk.topic.name],
    )


def _insert_dead_letters(con: duckdb.DuckDBPyConnection, chunk: Chunk) -> int:
    if not chunk.dead_letters:
        return 0
    letters = [(letter.delivery, letter.reason) for letter in chunk.dead_letters]
    rows = pa.table(
        [
            [delivery.partition for delivery, _ in letters],
            [delivery.offset for delivery, _ in letters],
            [delivery.key for delivery, _ in letters],
            [delivery.value for delivery, _ in letters],
            [reason for _, reason in letters],
        ],
        schema=_DEAD_LETTER_SCHEMA,
    )
    return _insert(
        con,
        rows,
        """
        insert into raw_kafka.dead_letters
        select ?, kafka_partition, kafka_offset, message_key, raw_value, reason, now()
        from incoming
        on conflict do nothing
        """,
        [chunk.topic.name],
    )


def _insert(con: duckdb.DuckDBPyConnection, rows: pa.Table, sql: str, params: list[object]) -> int:
    """Run an insert reading the Arrow table `rows` as `incoming`; the rows it inserted."""
    con.register("incoming", rows)
    try:
        (inserted,) = con.execute(sql, params).fetchone()
    finally:
        con.unregister("incoming")
    return inserted


def _advance_offsets(con: duckdb.DuckDBPyConnection, group: str, chunk: Chunk) -> None:
    forward = "greatest(ops.kafka_offsets.next_offset, excluded.next_offset)"
    _upsert_offsets(con, group, chunk.topic, chunk.next_offsets, forward)


def _upsert_offsets(
    con: duckdb.DuckDBPyConnection,
    group: str,
    topic: Topic,
    offsets: Mapping[int, int],
    next_offset: str,
) -> None:
    """One statement for every partition: a topic can have hundreds."""
    partitions = sorted(offsets)
    con.execute(
        f"""
        insert into ops.kafka_offsets
        select ?, ?, unnest(?::integer[]), unnest(?::bigint[]), now()
        on conflict do update set next_offset = {next_offset}, updated_at = excluded.updated_at
        """,
        [group, topic.name, partitions, [offsets[p] for p in partitions]],
    )


def _text(key: bytes | None) -> str | None:
    """The key as UTF-8 text; a key that is not UTF-8 is kept readable, never fails the row."""
    return None if key is None else key.decode("utf-8", errors="replace")
