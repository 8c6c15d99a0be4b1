"""Helpers for the Kafka tests: a small dirty demo dataset, what it must become in the
warehouse, a local broker holding it, and the raw tables read back.

The broker is librdkafka's mock cluster in the test process, on loopback ports the OS picks,
so parallel pytest workers never share one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import duckdb

from chairside.contracts.topics import TOPICS, topic_named
from chairside.core.settings import KafkaSettings
from chairside.demo import DemoConfig, DemoDataset, generate
from chairside.demo.local_broker import LocalKafkaBroker
from ingestion.kafka.producer import Outgoing, Publisher

PARTITIONS = 3


@cache
def dirty_dataset(seed: int = 3) -> DemoDataset:
    """One shop, five weeks, 2% invalid messages of every kind, plus the usual redeliveries."""
    config = DemoConfig(
        seed=seed, shops=1, years=0.1, end_date=dt.date(2026, 11, 15), dirty_rate=0.02
    )
    return generate(config)


@dataclass(frozen=True)
class Expected:
    """What a topic's messages must become: distinct valid events, dead letters by defect."""

    event_ids: frozenset[str]
    defects: Counter[str]
    redeliveries: int
    messages: int


def expected(dataset: DemoDataset) -> dict[str, Expected]:
    found = {}
    for topic, records in dataset.kafka.items():
        valid = [r.envelope["event_id"] for r in records if r.defect is None]
        found[topic] = Expected(
            event_ids=frozenset(valid),
            defects=Counter(r.defect for r in records if r.defect is not None),
            redeliveries=len(valid) - len(set(valid)),
            messages=len(records),
        )
    return found


@contextmanager
def contract_broker(partitions: int = PARTITIONS) -> Iterator[LocalKafkaBroker]:
    with LocalKafkaBroker({topic.name: partitions for topic in TOPICS}) as broker:
        yield broker


def settings_for(broker: LocalKafkaBroker) -> KafkaSettings:
    return KafkaSettings(bootstrap=(broker.bootstrap,))


def publish_dataset(broker: LocalKafkaBroker, dataset: DemoDataset) -> None:
    with Publisher(settings_for(broker)) as publisher:
        for topic, records in dataset.kafka.items():
            messages = (Outgoing(record.key.encode(), record.value) for record in records)
            publisher.send(topic_named(topic), messages)


def event_ids(con: duckdb.DuckDBPyConnection, topic: str) -> list[str]:
    table = topic_named(topic).qualified_table
    return [row[0] for row in con.execute(f"select event_id from {table}").fetchall()]


def dead_letter_reasons(con: duckdb.DuckDBPyConnection, topic: str) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "select reason from raw_kafka.dead_letters where kafka_topic = ?", [topic]
        ).fetchall()
    ]


def stored_offsets(con: duckdb.DuckDBPyConnection, topic: str) -> dict[int, int]:
    rows = con.execute(
        "select kafka_partition, next_offset from ops.kafka_offsets where kafka_topic = ?",
        [topic],
    ).fetchall()
    return dict(rows)
