"""The batch loop on an in-memory topic: bounds, offsets, commit order, retention gaps.

`MemoryTopic` implements the reader interface over Python lists, so these tests run in
milliseconds; the same loop against a real Kafka-protocol broker is in tests/integration.
"""

import datetime as dt
import itertools
import json
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

import duckdb
import pytest

from chairside.contracts.topics import CALLS
from ingestion.kafka import store
from ingestion.kafka.bounds import Bounds
from ingestion.kafka.client import Deliveries, KafkaUnavailable
from ingestion.kafka.consumer import Limits, TopicReport, ingest_topic
from ingestion.kafka.faults import FAULT_PAUSE_VARIABLE, FaultPoints

GROUP = "test-group"
BOUNDS = Bounds.at(dt.datetime(2026, 3, 15, tzinfo=dt.UTC))


def call(number: int) -> bytes:
    return json.dumps(
        {
            "event_id": str(uuid.UUID(int=number)),
            "event_type": "call.completed",
            "schema_version": 1,
            "occurred_at": "2026-03-14T10:32:05-02:30",
            "shop_id": "water-st",
            "data": {
                "call_id": f"c-{number}",
                "from_number": "+17095550100",
                "started_at": "2026-03-14T10:30:00-02:30",
                "duration_sec": 125,
                "outcome": "answered",
            },
        }
    ).encode()


class MemoryTopic:
    """A topic held in lists; `low` is each partition's first offset still available."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        logs: dict[int, list[bytes]],
        low: Mapping[int, int] | None = None,
    ) -> None:
        self.logs, self.low, self.con = logs, dict(low or {}), con
        self.down = False
        self.positions: dict[int, int] = {}
        self.commits: list[dict[int, int]] = []
        self.stored_when_committed: list[dict[int, int]] = []

    def watermarks(self) -> dict[int, tuple[int, int]]:
        return {p: (self.low.get(p, 0), len(log)) for p, log in self.logs.items()}

    def committed(self) -> dict[int, int]:
        return {p: o for commit in self.commits for p, o in commit.items()}

    def start(self, offsets: Mapping[int, int]) -> None:
        self.positions = dict(offsets)

    def poll(self, max_records: int, timeout: float) -> Deliveries:
        """Round robin over the assigned partitions, one message each in turn."""
        polled = Deliveries()
        if self.down:
            return polled
        for partition in itertools.cycle(sorted(self.positions)):
            if len(polled) == max_records or all(
                self.positions[p] >= len(self.logs[p]) for p in self.positions
            ):
                break
            offset = self.positions[partition]
            if offset < len(self.logs[partition]):
                value = self.logs[partition][offset]
                polled.extend(Deliveries([partition], [offset], [b"k"], [value]))
                self.positions[partition] = offset + 1
        return polled

    def commit(self, offsets: Mapping[int, int]) -> None:
        self.commits.append(dict(offsets))
        self.stored_when_committed.append(store.stored_offsets(self.con, GROUP, CALLS))

    def close(self) -> None:
        pass


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
        store.ensure_schema(connection)
        yield connection


def run(
    con: duckdb.DuckDBPyConnection, topic: MemoryTopic, limits: Limits, clock=None
) -> TopicReport:
    extra = {} if clock is None else {"clock": clock}
    return ingest_topic(con, topic, CALLS, GROUP, limits, FaultPoints(), BOUNDS, **extra)


def rows(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("select count(*) from raw_kafka.calls").fetchone()[0]


def test_a_run_reads_every_partition_to_its_end(con: duckdb.DuckDBPyConnection) -> None:
    logs = {0: [call(n) for n in range(25)], 1: [call(n) for n in range(100, 125)]}
    logs[1][7] = logs[1][3]  # a redelivery
    logs[0][4] = b'{"event_id": '  # not JSON
    report = run(con, MemoryTopic(con, logs), Limits(chunk_records=10))
    assert (report.consumed, report.loaded, report.dead_lettered, report.duplicates) == (
        50,
        48,
        1,
        1,
    )
    assert report.stopped_by == "caught up" and report.remaining == 0
    assert report.chunks == 5
    assert rows(con) == 48
    assert store.stored_offsets(con, GROUP, CALLS) == {0: 25, 1: 25}


def test_the_group_commit_follows_the_warehouse_commit(con: duckdb.DuckDBPyConnection) -> None:
    topic = MemoryTopic(con, {0: [call(n) for n in range(30)], 1: [call(n) for n in range(50, 60)]})
    run(con, topic, Limits(chunk_records=7))
    assert topic.commits[0] == {0: 0, 1: 0}  # at the start, the group is told the warehouse's
    for committed, stored in zip(topic.commits, topic.stored_when_committed, strict=True):
        assert all(stored.get(p, 0) >= offset for p, offset in committed.items())
    assert topic.committed() == {0: 30, 1: 10}


def test_a_run_stops_at_its_record_bound_and_the_next_resumes(
    con: duckdb.DuckDBPyConnection,
) -> None:
    logs = {0: [call(n) for n in range(30)], 1: [call(n) for n in range(100, 120)]}
    first = run(con, MemoryTopic(con, logs), Limits(max_records=20, chunk_records=8))
    assert (first.consumed, first.stopped_by, first.remaining) == (20, "max_records", 30)
    topic = MemoryTopic(con, logs)  # a new consumer: its position comes from the warehouse
    second = run(con, topic, Limits(chunk_records=8))
    assert (second.consumed, second.loaded, second.duplicates) == (30, 30, 0)
    assert rows(con) == 50


def test_a_run_stops_at_its_time_bound_while_the_broker_is_down(
    con: duckdb.DuckDBPyConnection,
) -> None:
    topic = MemoryTopic(con, {0: [call(n) for n in range(5)]})
    topic.down = True
    ticks = itertools.count()
    limits = Limits(max_seconds=30, chunk_seconds=5, stall_seconds=60)
    report = run(con, topic, limits, clock=lambda: next(ticks))
    assert (report.stopped_by, report.consumed, report.remaining) == ("max_seconds", 0, 5)
    topic.down = False
    assert run(con, topic, Limits()).loaded == 5


class LostAfter(MemoryTopic):
    """A topic whose broker is lost after `polls` polls."""

    def __init__(self, con: duckdb.DuckDBPyConnection, logs: dict[int, list[bytes]], polls: int):
        super().__init__(con, logs)
        self.polls = polls

    def poll(self, max_records: int, timeout: float) -> Deliveries:
        self.down = self.down or self.polls == 0
        self.polls -= 1
        return super().poll(max_records, timeout)


def test_a_broker_lost_mid_topic_fails_the_run_and_keeps_what_was_read(
    con: duckdb.DuckDBPyConnection,
) -> None:
    logs = {0: [call(n) for n in range(10)], 1: [call(n) for n in range(20, 25)]}
    topic = LostAfter(con, logs, polls=1)
    ticks = itertools.count()
    limits = Limits(max_seconds=600, chunk_records=4, chunk_seconds=5, stall_seconds=30)
    with pytest.raises(KafkaUnavailable) as failed:
        run(con, topic, limits, clock=lambda: next(ticks))
    assert str(failed.value) == (
        "no message for 30 s with 11 still due (partitions 0 at offset 2, 1 at offset 2); the "
        "broker is unreachable. Everything read before is in the warehouse and the next run "
        "resumes there"
    )
    assert rows(con) == 4 and store.stored_offsets(con, GROUP, CALLS) == {0: 2, 1: 2}
    topic.down = False
    assert run(con, topic, Limits()).loaded == 11


def test_messages_deleted_before_they_were_read_are_reported(
    con: duckdb.DuckDBPyConnection,
) -> None:
    report = run(con, MemoryTopic(con, {0: [call(n) for n in range(10)]}, low={0: 4}), Limits())
    assert (report.lost_to_retention, report.consumed, report.loaded) == (4, 6, 6)
    assert report.warnings == [
        "chairside.calls.v1: the broker's retention deleted messages before they were "
        "ingested, in partitions 0 (0..3)"
    ]


def test_a_recreated_topic_is_read_again_from_its_start(con: duckdb.DuckDBPyConnection) -> None:
    run(con, MemoryTopic(con, {0: [call(n) for n in range(10)]}), Limits())
    store.set_offsets(con, GROUP, CALLS, {0: 500})  # what an earlier, longer log left behind
    report = run(con, MemoryTopic(con, {0: [call(n) for n in range(12)]}), Limits())
    assert (report.consumed, report.loaded, report.duplicates) == (12, 2, 10)
    assert "past the log end in partitions 0 (stored 500, log end 12)" in report.warnings[0]
    assert store.stored_offsets(con, GROUP, CALLS) == {0: 12}


def test_fault_points_are_read_from_the_environment() -> None:
    assert FaultPoints.from_environment({}).pause_at is None
    points = FaultPoints.from_environment({FAULT_PAUSE_VARIABLE: "before_group_commit:3"})
    assert points.pause_at == ("before_group_commit", 3)
    points.reach("before_group_commit")  # the first and second time it does not pause
    points.reach("before_group_commit")
    assert points.reached["before_group_commit"] == 2
    with pytest.raises(ValueError, match="phase one of"):
        FaultPoints.from_environment({FAULT_PAUSE_VARIABLE: "mid_air:1"})


class Recording(FaultPoints):
    """Fault points that record the order they are reached in, alongside the group commits;
    the n-th `before_warehouse_commit` can raise, as a failing transaction would."""

    def __init__(self, log: list[str], fail_commit: int = 0) -> None:
        super().__init__()
        self.log, self.fail_commit = log, fail_commit

    def reach(self, phase: str) -> None:
        super().reach(phase)
        self.log.append(phase)
        if phase == "before_warehouse_commit" and self.reached[phase] == self.fail_commit:
            raise RuntimeError("the warehouse transaction failed")


class LoggedTopic(MemoryTopic):
    def __init__(self, con: duckdb.DuckDBPyConnection, logs: dict[int, list[bytes]]) -> None:
        super().__init__(con, logs)
        self.log: list[str] = []

    def commit(self, offsets: Mapping[int, int]) -> None:
        super().commit(offsets)
        self.log.append("group commit")


def test_chunks_commit_in_order_while_the_next_one_is_read(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The writer thread commits chunk n while chunk n+1 is validated, yet every commit and
    fault point comes in the order of a sequential loop, chunk after chunk."""
    topic = LoggedTopic(con, {0: [call(n) for n in range(30)], 1: [call(n) for n in range(50, 62)]})
    limits = Limits(chunk_records=5)
    report = ingest_topic(con, topic, CALLS, GROUP, limits, Recording(topic.log), BOUNDS)
    per_chunk = [
        "before_warehouse_commit",
        "after_warehouse_commit",
        "before_group_commit",
        "group commit",
        "after_group_commit",
    ]
    assert report.chunks == 9
    assert topic.log == ["group commit", *per_chunk * report.chunks]
    assert topic.committed() == {0: 30, 1: 12}
    assert rows(con) == report.loaded == 42


def test_a_failed_transaction_stops_the_run_and_leaves_the_chunks_before_it(
    con: duckdb.DuckDBPyConnection,
) -> None:
    topic = LoggedTopic(con, {0: [call(n) for n in range(40)]})
    with pytest.raises(RuntimeError, match="transaction failed"):
        ingest_topic(con, topic, CALLS, GROUP, Limits(chunk_records=10), Recording([], 3), BOUNDS)
    assert rows(con) == 20  # two chunks; the third rolled back whole, the fourth never written
    assert store.stored_offsets(con, GROUP, CALLS) == {0: 20}
    assert topic.commits == [{0: 0}, {0: 10}, {0: 20}]
    again = run(con, MemoryTopic(con, {0: [call(n) for n in range(40)]}), Limits())
    assert (again.consumed, again.loaded, again.duplicates) == (20, 20, 0)
