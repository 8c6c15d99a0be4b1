"""The raw Kafka tables: their fixed shape, and one transaction per chunk."""

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import pytest

from chairside.contracts.topics import CALLS
from ingestion.kafka import store
from ingestion.kafka.client import Deliveries
from ingestion.kafka.envelope import Event, Invalid

GROUP = "test-group"
AT = dt.datetime(2026, 3, 14, 13, 2, 5, tzinfo=dt.UTC)


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
        store.ensure_schema(connection)
        yield connection


def event(event_id: str, digest: bytes = b"same payload") -> Event:
    data = '{"call_id": "c-1", "x": [1]}'
    return Event(event_id, "call.completed", 1, AT, "water-st", data, digest)


def chunk(
    events: Sequence[tuple[int, int, str]],
    dead: Sequence[tuple[int, int, str]] = (),
    key: bytes = b"c-1",
) -> store.Chunk:
    """Events as (partition, offset, event_id), dead letters as (partition, offset, reason)."""
    deliveries = Deliveries()
    results: list[Event | Invalid] = []
    for partition, offset, event_id in events:
        deliveries.extend(Deliveries([partition], [offset], [key], [b"{}"]))
        results.append(event(event_id))
    for partition, offset, reason in dead:
        deliveries.extend(Deliveries([partition], [offset], [key], [b"{oops"]))
        results.append(Invalid(reason))
    return store.chunk_of(CALLS, deliveries, results)


def test_the_raw_tables_have_the_contract_columns_and_keys(con: duckdb.DuckDBPyConnection) -> None:
    store.ensure_schema(con)  # a second time is harmless
    columns = con.execute(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_schema in ('raw_kafka', 'ops') and table_name != 'inbox_files' "
        "order by table_name, ordinal_position"
    ).fetchall()
    by_table: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in columns:
        by_table.setdefault(table, []).append((column, data_type))
    event_columns = [
        ("event_id", "VARCHAR"),
        ("event_type", "VARCHAR"),
        ("schema_version", "INTEGER"),
        ("occurred_at", "TIMESTAMP WITH TIME ZONE"),
        ("shop_id", "VARCHAR"),
        ("message_key", "VARCHAR"),
        ("data", "JSON"),
        ("kafka_topic", "VARCHAR"),
        ("kafka_partition", "INTEGER"),
        ("kafka_offset", "BIGINT"),
        ("ingested_at", "TIMESTAMP WITH TIME ZONE"),
        ("payload_digest", "BLOB"),
    ]
    events = [by_table[t] for t in ("calls", "appointments", "customers", "inquiries")]
    assert events == [event_columns] * 4
    assert [c for c, _ in by_table["dead_letters"]] == [
        "kafka_topic",
        "kafka_partition",
        "kafka_offset",
        "message_key",
        "raw_value",
        "reason",
        "dead_lettered_at",
    ]
    assert [c for c, _ in by_table["kafka_offsets"]] == [
        "consumer_group",
        "kafka_topic",
        "kafka_partition",
        "next_offset",
        "updated_at",
    ]


def test_a_chunk_commits_events_dead_letters_and_offsets(con: duckdb.DuckDBPyConnection) -> None:
    written = store.write_chunk(
        con, GROUP, chunk([(0, 0, "e1"), (0, 1, "e2"), (1, 0, "e3")], [(1, 1, "invalid JSON")])
    )
    assert written == store.Written(loaded=3, dead_lettered=1, duplicates=0)
    rows = con.execute(
        "select event_id, kafka_topic, kafka_partition, kafka_offset, message_key, data->>'$.x[0]'"
        " from raw_kafka.calls order by event_id"
    ).fetchall()
    assert rows == [
        ("e1", CALLS.name, 0, 0, "c-1", "1"),
        ("e2", CALLS.name, 0, 1, "c-1", "1"),
        ("e3", CALLS.name, 1, 0, "c-1", "1"),
    ]
    assert con.execute("select raw_value, reason from raw_kafka.dead_letters").fetchall() == [
        (b"{oops", "invalid JSON")
    ]
    assert store.stored_offsets(con, GROUP, CALLS) == {0: 2, 1: 2}


def test_the_first_delivery_of_an_event_id_wins(con: duckdb.DuckDBPyConnection) -> None:
    first = store.write_chunk(con, GROUP, chunk([(0, 5, "e1"), (0, 6, "e1"), (0, 7, "e2")]))
    again = store.write_chunk(con, GROUP, chunk([(0, 8, "e2"), (0, 9, "e3")]))
    assert first == store.Written(loaded=2, dead_lettered=0, duplicates=1)
    assert again == store.Written(loaded=1, dead_lettered=0, duplicates=1)
    offsets = dict(con.execute("select event_id, kafka_offset from raw_kafka.calls").fetchall())
    assert offsets == {"e1": 5, "e2": 7, "e3": 9}


def test_a_key_that_is_not_utf8_is_kept(con: duckdb.DuckDBPyConnection) -> None:
    store.write_chunk(con, GROUP, chunk([(0, 0, "e1")], [(0, 1, "value is not UTF-8")], b"ap-\xff"))
    assert con.execute("select message_key from raw_kafka.calls").fetchone() == ("ap-\ufffd",)
    dead = con.execute("select message_key, raw_value from raw_kafka.dead_letters").fetchone()
    assert dead == (b"ap-\xff", b"{oops")


def test_a_dead_letter_is_kept_once_per_offset(con: duckdb.DuckDBPyConnection) -> None:
    store.write_chunk(con, GROUP, chunk([], [(0, 3, "bad")]))
    written = store.write_chunk(con, GROUP, chunk([], [(0, 3, "bad"), (0, 4, "bad")]))
    assert written == store.Written(loaded=0, dead_lettered=1, duplicates=1)


def test_offsets_only_move_forward(con: duckdb.DuckDBPyConnection) -> None:
    store.write_chunk(con, GROUP, chunk([(0, 9, "e1")]))
    store.write_chunk(con, GROUP, chunk([(0, 4, "e2")]))  # an overlapping, older run
    assert store.stored_offsets(con, GROUP, CALLS) == {0: 10}
    store.set_offsets(con, GROUP, CALLS, {0: 2})  # a deliberate rewind does move them back
    assert store.stored_offsets(con, GROUP, CALLS) == {0: 2}


def test_a_failure_before_commit_leaves_nothing_behind(con: duckdb.DuckDBPyConnection) -> None:
    def crash() -> None:
        raise RuntimeError("killed before COMMIT")

    with pytest.raises(RuntimeError):
        store.write_chunk(con, GROUP, chunk([(0, 0, "e1")], [(0, 1, "bad")]), before_commit=crash)
    counts = con.execute(
        "select (select count(*) from raw_kafka.calls), "
        "(select count(*) from raw_kafka.dead_letters), (select count(*) from ops.kafka_offsets)"
    ).fetchone()
    assert counts == (0, 0, 0)


def test_forgetting_a_broker_keeps_the_events(con: duckdb.DuckDBPyConnection) -> None:
    store.write_chunk(con, GROUP, chunk([(0, 0, "e1")], [(0, 1, "bad")]))
    store.forget_broker(con)
    assert store.stored_offsets(con, GROUP, CALLS) == {}
    assert con.execute("select count(*) from raw_kafka.dead_letters").fetchone() == (0,)
    assert con.execute("select count(*) from raw_kafka.calls").fetchone() == (1,)


def test_dead_letter_reasons_count_the_recent_ones(con: duckdb.DuckDBPyConnection) -> None:
    store.write_chunk(con, GROUP, chunk([], [(0, 1, "old")]))
    since = dt.datetime.now(dt.UTC)
    store.write_chunk(con, GROUP, chunk([], [(0, 2, "b"), (0, 3, "a"), (0, 4, "b")]))
    assert store.dead_letter_reasons(con, since=since) == {"b": 2, "a": 1}


def test_event_ids_stay_unique_under_any_redelivery_without_a_key(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The raw tables carry no key: the insert alone keeps event_id unique, within a chunk,
    across chunks, and across runs over the same log."""
    keys = con.execute(
        "select count(*) from duckdb_constraints() "
        "where schema_name = 'raw_kafka' and constraint_type in ('PRIMARY KEY', 'UNIQUE')"
    ).fetchone()
    assert keys == (1,)  # the dead letters' Kafka coordinates only
    ids = [f"e{n}" for n in range(50)]
    for run in range(3):
        for start in range(0, 50, 7):  # chunks that overlap the previous one by two ids
            batch = ids[max(0, start - 2) : start + 7]
            redelivered = [(run, 100 * start + i, event_id) for i, event_id in enumerate(batch)]
            store.write_chunk(con, GROUP, chunk([*redelivered, *redelivered]))
    counts = con.execute("select count(*), count(distinct event_id) from raw_kafka.calls")
    assert counts.fetchone() == (50, 50)


def test_a_table_created_with_the_old_primary_key_still_loads(tmp_path: Path) -> None:
    """Warehouses created before the key was dropped keep it: the same insert works there."""
    with duckdb.connect(str(tmp_path / "old.duckdb")) as old:
        columns = store._EVENT_COLUMNS.replace("event_id varchar not null", "event_id varchar")
        old.execute("create schema raw_kafka")
        old.execute(f"create table raw_kafka.calls ({columns}, primary key (event_id))")
        store.ensure_schema(old)
        first = store.write_chunk(old, GROUP, chunk([(0, 0, "e1"), (0, 1, "e2"), (0, 2, "e1")]))
        again = store.write_chunk(old, GROUP, chunk([(0, 3, "e2"), (0, 4, "e3")]))
        assert (first.loaded, first.duplicates, again.loaded, again.duplicates) == (2, 1, 1, 1)


def test_each_event_keeps_its_own_delivery_among_invalid_and_repeated_ones(
    con: duckdb.DuckDBPyConnection,
) -> None:
    offsets = list(range(10, 16))
    deliveries = Deliveries([0, 1, 0, 1, 0, 1], offsets, [f"k{o}".encode() for o in offsets], [])
    deliveries.values.extend(f"v{o}".encode() for o in offsets)
    results = [Invalid("bad"), event("e1"), event("e2"), Invalid("worse"), event("e1"), event("e3")]
    written = store.write_chunk(con, GROUP, store.chunk_of(CALLS, deliveries, results))
    assert written == store.Written(loaded=3, dead_lettered=2, duplicates=1)
    stored = con.execute(
        "select event_id, kafka_partition, kafka_offset, message_key from raw_kafka.calls"
    ).fetchall()
    assert sorted(stored) == [("e1", 1, 11, "k11"), ("e2", 0, 12, "k12"), ("e3", 1, 15, "k15")]
    dead = con.execute(
        "select kafka_partition, kafka_offset, message_key, raw_value, reason "
        "from raw_kafka.dead_letters"
    ).fetchall()
    assert sorted(dead) == [(0, 10, b"k10", b"v10", "bad"), (1, 13, b"k13", b"v13", "worse")]
    assert store.stored_offsets(con, GROUP, CALLS) == {0: 15, 1: 16}
