"""The raw Kafka tables, the dead-letter table and the consumed offsets in DuckDB.

`write_chunk` is the exactly-once step: a chunk's events, its dead letters and the next offset
of every partition it covers commit in one transaction. After a crash either all of them are
in the warehouse (and the consumer resumes after them) or none are (and it reads them again).
Events are keyed by `event_id` and dead letters by their Kafka coordinates, so a re-delivery
(a producer retry, a re-sent batch, two overlapping runs) is skipped rather than loaded twice;
offsets only ever move forward for the same reason. A re-delivery must carry the same payload
(its digest, see `envelope`): the same event_id with another payload is a dead letter that
names when the event that stands was loaded. Events loaded before digests were stored have
none, and a re-delivery of one of them counts as the same.

The raw event tables have no primary key: the insert itself keeps `event_id` unique, taking
only ids that neither the chunk (first delivery wins) nor the table holds yet (one join of the
chunk's ids with the table finds those it holds, with their digests). The key's index
on a random id grew costlier with the table, per row inserted and at every checkpoint, where
the anti-join scans the id column once per chunk, a cost that large chunks share out (100k
events into a table of 1M, 3M, 10M events: with the key 6.1, 7.8, 9.9 us per event plus
1.9, 4.5, 8.1 to checkpoint; anti-join 1.6, 2.8, 6.0 plus 1.1, 1.3, 1.2). Uniqueness is then a
guarantee of this insert, not of the table: only `write_chunk` may add events, one
transaction at a time, which holds because one ingestion runs at a time and a DuckDB file has
one writing process. Tables created with the key by older versions keep it (DuckDB cannot
drop it in place); the insert is right either way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from chairside.contracts.topics import TOPICS, Topic
from chairside.core.warehouse import transaction
from ingestion.kafka.client import Deliveries
from ingestion.kafka.envelope import Event, Invalid

_EVENT_COLUMNS = """
    event_id varchar not null,
    event_type varchar not null,
    schema_version integer not null,
    occurred_at timestamptz not null,
    shop_id varchar not null,
    message_key varchar,
    data json not null,
    kafka_topic varchar not null,
    kafka_partition integer not null,
    kafka_offset bigint not null,
    ingested_at timestamptz not null,
    payload_digest blob
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

# The columns of a chunk's events as handed to DuckDB, in this order.
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
        ("payload_digest", pa.binary()),
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
class Repeat:
    """A later delivery, in the same chunk, of an event_id the chunk already has."""

    row: int  # its position among the chunk's deliveries
    first: int  # the row, in the chunk's events, of the first delivery
    digest: bytes


@dataclass(frozen=True, slots=True)
class Chunk:
    """A consumed slice of one topic, validated: what `write_chunk` commits at once.

    Its rows are Arrow tables, built column by column without an object per row, because this
    is the ingestion hot path; `chunk_of` builds one. The deliveries stay referenced (not
    copied) for the raw bytes of a conflict found only when the chunk meets the table.
    """

    topic: Topic
    events: pa.Table  # `_EVENT_SCHEMA`: valid events, the first delivery of each event_id
    dead_letters: pa.Table  # `_DEAD_LETTER_SCHEMA`
    consumed: int  # messages: the valid ones (repeats included) and the dead letters
    next_offsets: Mapping[int, int]  # partition -> the offset after the last one consumed
    deliveries: Deliveries
    event_rows: Sequence[int] | None  # each event's delivery; None: event i is delivery i
    repeats: Sequence[Repeat] = ()

    def delivery_of(self, event: int) -> int:
        return event if self.event_rows is None else self.event_rows[event]


def chunk_of(topic: Topic, deliveries: Deliveries, results: Sequence[Event | Invalid]) -> Chunk:
    """The chunk of `deliveries`, given each one's validation result (in the same order)."""
    invalid_rows = [row for row, result in enumerate(results) if isinstance(result, Invalid)]
    events = [result for result in results if isinstance(result, Event)]
    event_rows = None  # all of them: most chunks hold no invalid message, or a few
    if invalid_rows:
        event_rows = [row for row, result in enumerate(results) if isinstance(result, Event)]
    repeats: list[Repeat] = []
    ids = [event.event_id for event in events]
    if len(set(ids)) < len(ids):
        rows = event_rows or range(len(events))
        first, repeats = _first_of_each(ids)
        repeats = [Repeat(rows[i], at, events[i].digest) for i, at in repeats]
        events, event_rows = [events[i] for i in first], [rows[i] for i in first]
    return Chunk(
        topic,
        _events(deliveries, events, event_rows),
        _dead_letters(deliveries, [r for r in results if isinstance(r, Invalid)], invalid_rows),
        len(deliveries),
        deliveries.next_offsets(),
        deliveries,
        event_rows,
        repeats,
    )


def _events(deliveries: Deliveries, events: list[Event], rows: list[int] | None) -> pa.Table:
    """The events' table; `rows` are their positions among the deliveries, None when they are
    all of them."""
    keys, partitions, offsets = deliveries.keys, deliveries.partitions, deliveries.offsets
    if rows is not None:
        keys = [keys[row] for row in rows]
        partitions = [partitions[row] for row in rows]
        offsets = [offsets[row] for row in rows]
    columns = [
        [event.event_id for event in events],
        [event.event_type for event in events],
        [event.schema_version for event in events],
        [event.occurred_at for event in events],
        [event.shop_id for event in events],
        _texts(keys),
        [event.data for event in events],
        partitions,
        offsets,
        [event.digest for event in events],
    ]
    return pa.table(columns, schema=_EVENT_SCHEMA)


def _first_of_each(ids: list[str]) -> tuple[list[int], list[tuple[int, int]]]:
    """Positions of the first occurrence of each id, ascending; and for every later one, its
    position and the index of its first occurrence among those first positions."""
    first: dict[str, int] = {}
    kept: list[int] = []
    repeats: list[tuple[int, int]] = []
    for position, event_id in enumerate(ids):
        at = first.setdefault(event_id, len(kept))
        if at == len(kept):
            kept.append(position)
        else:
            repeats.append((position, at))
    return kept, repeats


def _texts(keys: list[bytes | None]) -> pa.Array:
    """The keys as UTF-8 text; a key that is not UTF-8 is kept readable, never fails the row."""
    binary = pa.array(keys, pa.binary())
    try:
        return binary.cast(pa.string())  # checks UTF-8 in C: nearly every key is
    except pa.ArrowInvalid:
        return pa.array([_text(key) for key in keys], pa.string())


def _dead_letters(deliveries: Deliveries, invalid: Sequence[Invalid], rows: list[int]) -> pa.Table:
    columns = [
        [deliveries.partitions[row] for row in rows],
        [deliveries.offsets[row] for row in rows],
        [deliveries.keys[row] for row in rows],
        [deliveries.values[row] for row in rows],
        [result.reason for result in invalid],
    ]
    return pa.table(columns, schema=_DEAD_LETTER_SCHEMA)


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
        # Tables created before payload digests were stored.
        con.execute(
            f"alter table {topic.qualified_table} add column if not exists payload_digest blob"
        )


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
    with transaction(con):
        con.execute("delete from ops.kafka_offsets")
        con.execute("delete from raw_kafka.dead_letters")


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
    with transaction(con):
        loaded, conflicts = _insert_events(con, chunk)
        dead_lettered = _insert_dead_letters(con, chunk, conflicts)
        _advance_offsets(con, group, chunk)
        if before_commit is not None:
            before_commit()
    return Written(loaded, dead_lettered, chunk.consumed - loaded - dead_lettered)


@dataclass(frozen=True, slots=True)
class _Standing:
    """The delivery of an event_id that stands: the one loaded first."""

    digest: bytes | None  # None: loaded before digests were stored
    loaded_at: str
    partition: int
    offset: int


def _insert_events(
    con: duckdb.DuckDBPyConnection, chunk: Chunk
) -> tuple[int, list[tuple[int, Invalid]]]:
    """New events only, and the conflicts: deliveries whose event_id is loaded already (before
    or earlier in this chunk) with another payload, as (delivery row, reason)."""
    if not chunk.events.num_rows:
        return 0, []
    table = chunk.topic.qualified_table
    con.register("incoming", chunk.events)
    try:
        stored = con.execute(
            f"""
            select event_id, payload_digest, {_UTC_TEXT.format("ingested_at")},
                   kafka_partition, kafka_offset
            from {table} where event_id in (select event_id from incoming)
            """
        ).fetchall()
    finally:
        con.unregister("incoming")
    new = chunk.events
    if stored:
        known = pa.array([row[0] for row in stored], pa.string())
        new = new.filter(pc.invert(pc.is_in(new.column("event_id"), value_set=known)))
    loaded = 0
    if new.num_rows:
        loaded = _insert(
            con,
            new,
            f"""
            insert into {table}
            select event_id, event_type, schema_version, occurred_at, shop_id,
                   message_key, data, ?, kafka_partition, kafka_offset, now(), payload_digest
            from incoming
            """,
            [chunk.topic.name],
        )
    return loaded, _conflicts(con, chunk, {row[0]: _Standing(*row[1:]) for row in stored})


# An instant as ISO-8601 text in UTC, for a reason a person reads.
_UTC_TEXT = "strftime(timezone('UTC', {}), '%Y-%m-%dT%H:%M:%S.%fZ')"


def _conflicts(
    con: duckdb.DuckDBPyConnection, chunk: Chunk, stored: Mapping[str, _Standing]
) -> list[tuple[int, Invalid]]:
    """Deliveries that conflict with the event that stands for their event_id."""
    if not stored and not chunk.repeats:
        return []
    ids = chunk.events.column("event_id").to_pylist()
    digests = chunk.events.column("payload_digest").to_pylist()
    found = []
    for event, (event_id, digest) in enumerate(zip(ids, digests, strict=True)):
        standing = stored.get(event_id)
        if standing is not None and standing.digest not in (None, digest):
            found.append((chunk.delivery_of(event), _conflict(chunk.topic, event_id, standing)))
    if chunk.repeats:
        ((now,),) = con.execute(f"select {_UTC_TEXT.format('now()')}").fetchall()
        partitions, offsets = (
            chunk.events.column("kafka_partition"),
            chunk.events.column("kafka_offset"),
        )
        for repeat in chunk.repeats:
            event_id = ids[repeat.first]
            standing = stored.get(event_id) or _Standing(
                digests[repeat.first],
                now,
                partitions[repeat.first].as_py(),
                offsets[repeat.first].as_py(),
            )
            if standing.digest not in (None, repeat.digest):
                found.append((repeat.row, _conflict(chunk.topic, event_id, standing)))
    return found


def _conflict(topic: Topic, event_id: str, standing: _Standing) -> Invalid:
    return Invalid(
        f"conflicts with the event first loaded at {standing.loaded_at} (event_id {event_id}, "
        f"{topic.name} partition {standing.partition} offset {standing.offset}): "
        "same event_id, different payload; the first one stands"
    )


def _insert_dead_letters(
    con: duckdb.DuckDBPyConnection, chunk: Chunk, conflicts: list[tuple[int, Invalid]]
) -> int:
    rows = chunk.dead_letters
    if conflicts:
        conflicts.sort(key=lambda conflict: conflict[0])
        more = _dead_letters(
            chunk.deliveries, [reason for _, reason in conflicts], [row for row, _ in conflicts]
        )
        rows = pa.concat_tables([rows, more])
    if not rows.num_rows:
        return 0
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
    return None if key is None else key.decode("utf-8", errors="replace")
