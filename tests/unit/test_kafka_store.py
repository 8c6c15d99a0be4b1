"""The raw Kafka tables: their fixed shape, and one transaction per chunk."""

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import pytest

from ingestion.kafka import store
from ingestion.kafka.client import Delivery
from ingestion.kafka.envelope import Event
from ingestion.kafka.topics import CALLS

GROUP = "test-group"
AT = dt.datetime(2026, 3, 14, 13, 2, 5, tzinfo=dt.UTC)


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
        store.ensure_schema(connection)
        yield connection


def event(event_id: str) -> Event:
    return Event(event_id, "call.completed", 1, AT, "water-st", '{"call_id": "c-1", "x": [1]}')


def chunk(
    events: Sequence[tuple[int, int, str]],
    dead: Sequence[tuple[int, int, str]] = (),
    next_offsets: dict[int, int] | None = None,
) -> store.Chunk:
    """Events as (partition, offset, event_id), dead letters as (partition, offset, reason)."""
    columns = store.EventColumns()
    for partition, offset, event_id in events:
        columns.add(Delivery(partition, offset, b"c-1", b"{}"), event(event_id))
    letters = [store.DeadLetter(Delivery(p, o, None, b"{oops"), why) for p, o, why in dead]
    if next_offsets is None:
        next_offsets = {}
        for partition, offset, _ in [*events, *dead]:
            next_offsets[partition] = max(next_offsets.get(partition, 0), offset + 1)
    return store.Chunk(CALLS, columns, letters, next_offsets)


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
    ]
    assert by_table["calls"] == by_table["appointments"] == by_table["customers"] == event_columns
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
    columns = store.EventColumns()
    columns.add(Delivery(0, 0, b"ap-\xff", b"{}"), event("e1"))
    letter = store.DeadLetter(Delivery(0, 1, b"ap-\xff", b"\xff"), "value is not UTF-8")
    store.write_chunk(con, GROUP, store.Chunk(CALLS, columns, [letter], {0: 2}))
    assert con.execute("select message_key from raw_kafka.calls").fetchone() == ("ap-\ufffd",)
    dead = con.execute("select message_key, raw_value from raw_kafka.dead_letters").fetchone()
    assert dead == (b"ap-\xff", b"\xff")


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
