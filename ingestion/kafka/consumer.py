"""Bounded batch ingestion: each topic from the warehouse's offsets to the end offsets seen at
the start of the run, or until the record or time bound, one transaction per chunk.

Per chunk: poll, validate, write events + dead letters + next offsets in one DuckDB
transaction (`store.write_chunk`), then commit the same offsets to the consumer group. A crash
anywhere leaves the warehouse at a chunk boundary and the next run seeks to it; the group commit
only trails the warehouse, so Kafka tools show the lag but never decide what is read.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass, field

import duckdb

from chairside.settings import KafkaSettings
from ingestion.kafka import store
from ingestion.kafka.client import DEFAULT_CLIENT, ClientName, Delivery, TopicReader, open_reader
from ingestion.kafka.envelope import Event, validate
from ingestion.kafka.faults import FaultPoints
from ingestion.kafka.topics import TOPICS, Topic

log = logging.getLogger(__name__)

DEFAULT_GROUP = "chairside-warehouse"

# How long one poll may wait; short, so the chunk and run deadlines are honoured closely.
_POLL_SECONDS = 0.2
# DuckDB checkpoints whenever its write-ahead log passes a threshold (16 MiB by default); a
# run raises it to this so that it checkpoints once, at its end (see `_checkpoint_at_end`).
_RUN_CHECKPOINT_THRESHOLD = "1GiB"


@dataclass(frozen=True)
class Limits:
    """Bounds of one run per topic, and the size of its transactions."""

    max_records: int = 2_000_000
    max_seconds: float = 600.0
    chunk_records: int = 20_000
    chunk_seconds: float = 1.0  # a chunk commits after this long even when not full

    def __post_init__(self) -> None:
        if (
            min(self.max_records, self.chunk_records) < 1
            or min(self.max_seconds, self.chunk_seconds) <= 0
        ):
            raise ValueError(f"Kafka ingestion limits must be positive: {self}")


@dataclass
class TopicReport:
    """What one run did to one topic. Always: consumed = loaded + dead_lettered + duplicates."""

    topic: str
    consumed: int = 0
    loaded: int = 0
    dead_lettered: int = 0
    duplicates: int = 0
    chunks: int = 0
    lost_to_retention: int = 0  # deleted by the broker before this group read them
    remaining: int = 0  # left before the end offsets seen at the start of the run
    stopped_by: str = "caught up"  # or "max_records", "max_seconds"
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        log.warning(message)
        self.warnings.append(message)

    def summary(self) -> str:
        return (
            f"{self.topic}: {self.consumed} consumed = {self.loaded} loaded + "
            f"{self.dead_lettered} dead-lettered + {self.duplicates} duplicates skipped; "
            f"{self.remaining} left, stopped by {self.stopped_by}"
        )


@dataclass
class _Plan:
    starts: dict[int, int]  # partition -> offset to read from
    ends: dict[int, int]  # partition -> end offset when the run started
    resets: dict[int, int]  # stored offsets that must be moved (log truncated or recreated)


def ingest(
    con: duckdb.DuckDBPyConnection,
    kafka: KafkaSettings,
    *,
    group: str = DEFAULT_GROUP,
    client: ClientName = DEFAULT_CLIENT,
    limits: Limits | None = None,
    topics: Iterable[Topic] = TOPICS,
    faults: FaultPoints | None = None,
) -> list[TopicReport]:
    """One bounded run over `topics`, each with its own reader, sharing the connection."""
    store.ensure_schema(con)
    faults = faults or FaultPoints.from_environment()
    limits = limits or Limits()
    reports = []
    with _checkpoint_at_end(con):
        for topic in topics:
            with closing(open_reader(client, kafka, topic, group)) as reader:
                reports.append(ingest_topic(con, reader, topic, group, limits, faults))
    return reports


@contextmanager
def _checkpoint_at_end(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Checkpoint the warehouse once per run rather than every 16 MiB of log.

    A checkpoint writes the raw tables' event_id index, which grows with the table, so at the
    default threshold a long run slowed down as it went (1M events: 12.8 against 6.8 us per
    event). Every chunk still commits durably to the write-ahead log, so a crash loses
    nothing; a restart replays a longer log. The threshold is a database-wide setting, hence
    restored afterwards.
    """
    (previous,) = con.execute("select current_setting('checkpoint_threshold')").fetchone()
    con.execute(f"set checkpoint_threshold = '{_RUN_CHECKPOINT_THRESHOLD}'")
    try:
        yield
    finally:
        con.execute(f"set checkpoint_threshold = '{previous}'")
        con.execute("checkpoint")


def ingest_topic(
    con: duckdb.DuckDBPyConnection,
    reader: TopicReader,
    topic: Topic,
    group: str,
    limits: Limits,
    faults: FaultPoints,
    clock: Callable[[], float] = time.monotonic,
) -> TopicReport:
    report = TopicReport(topic.name)
    plan = _plan(reader.watermarks(), store.stored_offsets(con, group, topic), report)
    if plan.resets:
        store.set_offsets(con, group, topic, plan.resets)
    reader.commit(plan.starts)  # the group follows the warehouse, whatever happened before
    positions = dict(plan.starts)
    pending = {p for p, end in plan.ends.items() if positions[p] < end}
    if pending:
        reader.start({p: positions[p] for p in pending})
    deadline = clock() + limits.max_seconds
    while pending:
        if report.consumed >= limits.max_records:
            report.stopped_by = "max_records"
            break
        if clock() >= deadline:
            report.stopped_by = "max_seconds"
            break
        want = min(limits.chunk_records, limits.max_records - report.consumed)
        until = min(deadline, clock() + limits.chunk_seconds)
        deliveries = _fill(reader, want, until, positions, plan.ends, pending, clock)
        if not deliveries:
            continue
        chunk = _validate(topic, deliveries)
        written = store.write_chunk(
            con, group, chunk, before_commit=lambda: faults.reach("before_warehouse_commit")
        )
        faults.reach("after_warehouse_commit")
        faults.reach("before_group_commit")
        reader.commit(chunk.next_offsets)
        faults.reach("after_group_commit")
        positions.update(chunk.next_offsets)
        pending -= {p for p in chunk.next_offsets if positions[p] >= plan.ends[p]}
        report.consumed += len(deliveries)
        report.loaded += written.loaded
        report.dead_lettered += written.dead_lettered
        report.duplicates += written.duplicates
        report.chunks += 1
    report.remaining = sum(max(0, end - positions[p]) for p, end in plan.ends.items())
    return report


def _plan(
    marks: Mapping[int, tuple[int, int]], stored: Mapping[int, int], report: TopicReport
) -> _Plan:
    """Start each partition at its stored offset; say so loudly where that is impossible."""
    plan = _Plan(starts={}, ends={}, resets={})
    recreated, deleted = [], []
    for partition, (low, high) in sorted(marks.items()):
        plan.ends[partition] = high
        offset = stored.get(partition, 0)
        if offset > high:
            recreated.append(f"{partition} (stored {offset}, log end {high})")
            offset = plan.resets[partition] = low
        elif offset < low:
            deleted.append(f"{partition} ({offset}..{low - 1})")
            report.lost_to_retention += low - offset
            offset = plan.resets[partition] = low
        plan.starts[partition] = offset
    if recreated:
        report.warn(
            f"{report.topic}: stored offsets are past the log end in partitions "
            f"{', '.join(recreated)}: topic recreated? Read again from the log start; events "
            "already loaded are skipped"
        )
    if deleted:
        report.warn(
            f"{report.topic}: the broker's retention deleted messages before they were "
            f"ingested, in partitions {', '.join(deleted)}"
        )
    return plan


def _fill(
    reader: TopicReader,
    want: int,
    until: float,
    positions: Mapping[int, int],
    ends: Mapping[int, int],
    pending: set[int],
    clock: Callable[[], float],
) -> list[Delivery]:
    """Poll until the chunk is full, every pending partition reached its end, or `until`."""
    batch: list[Delivery] = []
    reached = dict(positions)
    waiting = set(pending)
    while waiting and len(batch) < want:
        timeout = until - clock()
        if timeout <= 0:
            break
        polled = reader.poll(want - len(batch), min(timeout, _POLL_SECONDS))
        for delivery in polled:
            reached[delivery.partition] = delivery.offset + 1
        waiting = {p for p in waiting if reached[p] < ends[p]}
        batch.extend(polled)
    return batch


def _validate(topic: Topic, deliveries: list[Delivery]) -> store.Chunk:
    events = store.EventColumns()
    dead_letters: list[store.DeadLetter] = []
    next_offsets: dict[int, int] = {}
    for delivery in deliveries:
        result = validate(topic, delivery.value)
        if isinstance(result, Event):
            events.add(delivery, result)
        else:
            dead_letters.append(store.DeadLetter(delivery, result.reason))
        next_offsets[delivery.partition] = delivery.offset + 1
    return store.Chunk(topic, events, dead_letters, next_offsets)
