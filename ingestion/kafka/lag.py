"""How far behind the log end a consumer is, per partition.

Two views of the same question: the warehouse's stored offsets are what ingestion has really
done (the lag asset check); the consumer group's committed offsets are what Kafka tools show,
and all a sensor needs without opening the warehouse (they trail the warehouse by at most the
last chunk, so they can only overstate the lag, never hide it).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass

import duckdb

from chairside.contracts.topics import TOPICS, Topic
from chairside.core.settings import KafkaSettings
from ingestion.kafka import store
from ingestion.kafka.client import ClientName, open_reader


@dataclass(frozen=True)
class TopicLag:
    topic: str
    ends: dict[int, int]  # partition -> log end offset
    behind: dict[int, int]  # partition -> messages not yet consumed

    @property
    def total(self) -> int:
        return sum(self.behind.values())


def topic_lag(
    topic: Topic, marks: Mapping[int, tuple[int, int]], positions: Mapping[int, int]
) -> TopicLag:
    """Messages between each partition's position and its end; a partition never read, or read
    only before retention deleted its start, counts from the first available offset."""
    behind = {
        partition: max(0, high - max(positions.get(partition, low), low))
        for partition, (low, high) in marks.items()
    }
    return TopicLag(topic.name, {p: high for p, (_, high) in marks.items()}, behind)


def warehouse_lag(
    con: duckdb.DuckDBPyConnection, kafka: KafkaSettings, group: str, client: ClientName
) -> list[TopicLag]:
    lags = []
    for topic in TOPICS:
        with closing(open_reader(client, kafka, topic, group)) as reader:
            marks = reader.watermarks()
        lags.append(topic_lag(topic, marks, store.stored_offsets(con, group, topic)))
    return lags


def group_lag(kafka: KafkaSettings, group: str, client: ClientName) -> list[TopicLag]:
    lags = []
    for topic in TOPICS:
        with closing(open_reader(client, kafka, topic, group)) as reader:
            lags.append(topic_lag(topic, reader.watermarks(), reader.committed()))
    return lags
