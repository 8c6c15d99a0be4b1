"""Bounded batch ingestion: each topic from the warehouse's offsets to the end offsets seen at
the start of the run, or until the record or time bound, one transaction per chunk.

Per chunk: poll, validate, write events + dead letters + next offsets in one DuckDB
transaction (`store.write_chunk`), then commit the same offsets to the consumer group. A crash
anywhere leaves the warehouse at a chunk boundary and the next run seeks to it; the group commit
only trails the warehouse, so Kafka tools show the lag but never decide what is read.

The transactions run on a writer thread of their own while this one polls and validates the
next chunk: DuckDB releases the GIL while it works, so on two cores the insert (2 to 4 us per
event in `bench/kafka_ingest.py`) runs alongside polling and validation (about 4.5) instead of
after them. The order of commits stays that of a sequential loop: chunk n's warehouse commit,
its group commit, then chunk n+1's warehouse commit; only the reading of chunk n+1 moves ahead.

A broker lost while messages are still due (the log end seen at the start is not reached)
is noticed by the silence: nothing polled for `Limits.stall_seconds` ends the run with an error
naming the cluster, the topic and where reading stood. The clients reconnect by themselves, so
a shorter outage (a broker restart, a leader election) only delays the run.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import partial

import duckdb

from chairside.contracts.topics import TOPICS, Topic
from chairside.core.settings import KafkaSettings
from ingestion.kafka import store
from ingestion.kafka.bounds import Bounds
from ingestion.kafka.client import (
    DEFAULT_CLIENT,
    ClientName,
    Deliveries,
    KafkaUnavailable,
    TopicReader,
    open_reader,
)
from ingestion.kafka.envelope import validate
from ingestion.kafka.faults import FaultPoints

log = logging.getLogger(__name__)

DEFAULT_GROUP = "chairside-warehouse"

# How long one poll may wait; short, so the chunk and run deadlines are honoured closely.
_POLL_SECONDS = 0.2
# DuckDB checkpoints whenever its write-ahead log passes a threshold (16 MiB by default); a
# run raises it to this so that it checkpoints once, at its end (see `_checkpoint_at_end`).
_RUN_CHECKPOINT_THRESHOLD = "1GiB"
# Partitions a lost broker's error names with their offsets; it is one line, topics have many.
_PARTITIONS_NAMED = 5


@dataclass(frozen=True)
class Limits:
    """Bounds of one run per topic, and the size of its transactions."""

    max_records: int = 2_000_000
    max_seconds: float = 600.0
    # Over 122,880 rows (a DuckDB row group), an insert writes its full row groups straight
    # to the database file, compressed, instead of to the write-ahead log and then again at
    # the checkpoint; the rest, over half a row group here, is not merged (rewritten) into
    # its neighbours at the checkpoint. 1M events: 1.7 us per event in DuckDB, against 2.5 to
    # 3.2 in chunks of 100k. Two chunks in flight take a run about 0.5 GB above where it began.
    chunk_records: int = 200_000
    chunk_seconds: float = 1.0  # a chunk commits after this long even when not full
    # Nothing polled for this long while messages are due: the broker is lost, the run fails.
    # Longer than a leader election or a quick broker restart; short enough that a run fails (and
    # Dagster retries it) within a minute.
    stall_seconds: float = 20.0

    def __post_init__(self) -> None:
        if (
            min(self.max_records, self.chunk_records) < 1
            or min(self.max_seconds, self.chunk_seconds, self.stall_seconds) <= 0
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

    def add(self, chunk: store.Chunk, written: store.Written) -> None:
        self.consumed += chunk.consumed
        self.loaded += written.loaded
        self.dead_lettered += written.dead_lettered
        self.duplicates += written.duplicates
        self.chunks += 1

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
    ingested_at: dt.datetime | None = None,
) -> list[TopicReport]:
    """One bounded run over `topics`, each with its own reader, sharing the connection.

    `ingested_at`, the time of ingestion the plausibility bounds are relative to, is the wall
    clock now unless given (a test pins it). A topic that cannot be read raises
    `KafkaUnavailable` naming the cluster and the topic; the topics before it stay loaded."""
    store.ensure_schema(con)
    faults = faults or FaultPoints.from_environment()
    limits = limits or Limits()
    bounds = Bounds.at(
        ingested_at or dt.datetime.now(dt.UTC), max_value_bytes=kafka.max_value_bytes
    )
    reports = []
    with _checkpoint_at_end(con):
        for topic in topics:
            try:
                with closing(open_reader(client, kafka, topic, group)) as reader:
                    reports.append(ingest_topic(con, reader, topic, group, limits, faults, bounds))
            except KafkaUnavailable as error:
                where = f"Kafka at {', '.join(kafka.bootstrap)}, reading {topic.name}"
                raise KafkaUnavailable(f"{where}: {error}") from error
    return reports


@contextmanager
def _checkpoint_at_end(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Checkpoint the warehouse once per run rather than every 16 MiB of log.

    A full chunk writes its rows to the database file directly (see `Limits.chunk_records`), a
    smaller one (a slow broker, the end of a run) to the log, and each checkpoint rewrites the
    table's last, partly filled row group. Every commit is durable either way, so a crash loses
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
    bounds: Bounds,
    clock: Callable[[], float] = time.monotonic,
) -> TopicReport:
    report = TopicReport(topic.name)
    plan = _plan(reader.watermarks(), store.stored_offsets(con, group, topic), report)
    if plan.resets:
        store.set_offsets(con, group, topic, plan.resets)
    reader.commit(plan.starts)  # the group follows the warehouse, whatever happened before
    positions = dict(plan.starts)  # where reading goes on: after every chunk read so far
    pending = {p for p, end in plan.ends.items() if positions[p] < end}
    if pending:
        reader.start({p: positions[p] for p in pending})
    deadline = clock() + limits.max_seconds
    heard = clock()  # when a poll last returned messages
    read = 0
    with _Writer(con, group, reader, faults, report) as writer:
        while pending:
            if read >= limits.max_records:
                report.stopped_by = "max_records"
                break
            if clock() >= deadline:
                report.stopped_by = "max_seconds"
                break
            want = min(limits.chunk_records, limits.max_records - read)
            until = min(deadline, clock() + limits.chunk_seconds, heard + limits.stall_seconds)
            deliveries = _fill(reader, want, until, positions, plan.ends, pending, clock)
            chunk = _validate(topic, deliveries, bounds) if deliveries else None
            writer.finish()  # the previous chunk, read and validated while it was written
            if chunk is None:
                if clock() - heard >= limits.stall_seconds:
                    raise _stalled(limits, positions, plan.ends, pending)
                continue
            heard = clock()
            writer.start(chunk)
            read += chunk.consumed
            positions.update(chunk.next_offsets)
            pending -= {p for p in chunk.next_offsets if positions[p] >= plan.ends[p]}
    report.remaining = sum(max(0, end - positions[p]) for p, end in plan.ends.items())
    return report


class _Writer:
    """Writes chunks to the warehouse on a thread of its own, one at a time, in order.

    `start` begins a chunk's transaction; `finish` waits for its commit, then makes the group
    commit on the calling thread (the Kafka clients are not made to be shared by threads),
    with the fault points around both: commits and fault points come as in a sequential loop.
    The connection is the writer thread's from `start` to `finish`, and leaving the `with`
    block waits for a transaction still running, so none is ever left half done. A failed
    transaction (rolled back whole) raises from `finish` and ends the run.
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        group: str,
        reader: TopicReader,
        faults: FaultPoints,
        report: TopicReport,
    ) -> None:
        self._con, self._group, self._reader = con, group, reader
        self._faults, self._report = faults, report
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kafka-warehouse")
        self._chunk: store.Chunk | None = None
        self._written: Future[store.Written] | None = None

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, error_type: type[BaseException] | None, *_: object) -> None:
        try:
            if error_type is None:
                self.finish()
        finally:
            self._thread.shutdown(wait=True)

    def start(self, chunk: store.Chunk) -> None:
        assert self._written is None, "the previous chunk is not finished"
        self._chunk, self._written = chunk, self._thread.submit(self._write, chunk)

    def _write(self, chunk: store.Chunk) -> store.Written:
        before_commit = partial(self._faults.reach, "before_warehouse_commit")
        return store.write_chunk(self._con, self._group, chunk, before_commit=before_commit)

    def finish(self) -> None:
        if self._chunk is None or self._written is None:
            return
        chunk, written = self._chunk, self._written.result()
        self._chunk = self._written = None
        self._faults.reach("after_warehouse_commit")
        self._faults.reach("before_group_commit")
        self._reader.commit(chunk.next_offsets)
        self._faults.reach("after_group_commit")
        self._report.add(chunk, written)


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
) -> Deliveries:
    """Poll until the chunk is full, every pending partition reached its end, or `until`."""
    batch = Deliveries()
    reached = dict(positions)
    waiting = set(pending)
    while waiting and len(batch) < want:
        timeout = until - clock()
        if timeout <= 0:
            break
        polled = reader.poll(want - len(batch), min(timeout, _POLL_SECONDS))
        reached.update(polled.next_offsets())
        waiting = {p for p in waiting if reached[p] < ends[p]}
        batch.extend(polled)
    return batch


def _validate(topic: Topic, deliveries: Deliveries, bounds: Bounds) -> store.Chunk:
    results = [validate(topic, value, bounds) for value in deliveries.values]
    return store.chunk_of(topic, deliveries, results)


def _stalled(
    limits: Limits, positions: Mapping[int, int], ends: Mapping[int, int], pending: set[int]
) -> KafkaUnavailable:
    left = sum(ends[p] - positions[p] for p in pending)
    shown = sorted(pending)[:_PARTITIONS_NAMED]
    where = ", ".join(f"{p} at offset {positions[p]}" for p in shown)
    if len(pending) > len(shown):
        where += f" and {len(pending) - len(shown)} more"
    return KafkaUnavailable(
        f"no message for {limits.stall_seconds:g} s with {left} still due (partitions {where}); "
        "the broker is unreachable. Everything read before is in the warehouse and the next "
        "run resumes there"
    )
