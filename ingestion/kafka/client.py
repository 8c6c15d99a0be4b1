"""The small consumer interface the ingestion loop needs, and the choice of implementation.

Partitions are assigned by the caller, never by group rebalancing: the warehouse holds the
offsets that count and a run seeks to them, so a group membership would only add rebalances
(and a session to time out after a crash). The group id is still used to commit offsets after
each warehouse commit, which is what makes the lag visible to Kafka's own tools.

Two implementations sit behind it: confluent-kafka (librdkafka), the default because
`bench/kafka_ingest.py` measured it several times faster than kafka-python on the same
ingestion, and kafka-python, the pure-Python client the source was first written against.
Both pass the same integration tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol

from chairside.contracts.topics import Topic
from chairside.core.settings import KafkaSettings

ClientName = Literal["confluent", "kafka-python"]
CLIENT_NAMES: tuple[ClientName, ...] = ("confluent", "kafka-python")
DEFAULT_CLIENT: ClientName = "confluent"

# Broker round trips (metadata, watermarks, committed offsets) give up after this long, so an
# unreachable cluster fails the run (and Dagster retries it) instead of hanging it.
REQUEST_TIMEOUT_SECONDS = 30.0


class KafkaUnavailable(RuntimeError):
    """The cluster or the topic cannot be reached now; the message says which and why."""


@dataclass(slots=True)
class Deliveries:
    """Consumed messages of the reader's topic, column by column: message i is
    (partitions[i], offsets[i], keys[i], values[i]), in the order they were consumed.

    Columns rather than an object per message: ingestion handles every message of a busy topic,
    and an object each (built, tracked by the garbage collector, dropped again) made polling
    cost 2 us per message in `bench/kafka_ingest.py`, about twice what it costs now. Within a
    partition, offsets ascend.
    """

    partitions: list[int] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)
    keys: list[bytes | None] = field(default_factory=list)
    values: list[bytes | None] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.offsets)

    def extend(self, more: Deliveries) -> None:
        self.partitions.extend(more.partitions)
        self.offsets.extend(more.offsets)
        self.keys.extend(more.keys)
        self.values.extend(more.values)

    def next_offsets(self) -> dict[int, int]:
        """Per partition, the offset after the last message: where reading resumes."""
        # dict() keeps each partition's last offset, the highest, as offsets ascend in one.
        last = dict(zip(self.partitions, self.offsets, strict=True))
        return {partition: offset + 1 for partition, offset in last.items()}


class TopicReader(Protocol):
    """One topic read on behalf of one consumer group."""

    def watermarks(self) -> dict[int, tuple[int, int]]:
        """Every partition's (first available offset, offset after the last message)."""
        ...

    def committed(self) -> dict[int, int]:
        """The group's committed offsets; partitions it never committed are left out."""
        ...

    def start(self, offsets: Mapping[int, int]) -> None:
        """Assign exactly these partitions, each positioned at its offset."""
        ...

    def poll(self, max_records: int, timeout: float) -> Deliveries:
        """Up to `max_records` messages, waiting at most `timeout` seconds when none is ready.

        A broker outage is not an error here: the client reconnects and polls return nothing
        until it is back.
        """
        ...

    def commit(self, offsets: Mapping[int, int]) -> None:
        """Commit next offsets to the group, best effort: the warehouse already holds them, so
        a failure is logged and the next commit catches up."""
        ...

    def close(self) -> None: ...


def open_reader(client: ClientName, kafka: KafkaSettings, topic: Topic, group: str) -> TopicReader:
    if client == "confluent":
        from ingestion.kafka.confluent_reader import ConfluentReader

        return ConfluentReader(kafka, topic, group)
    if client == "kafka-python":
        from ingestion.kafka.kafka_python_reader import KafkaPythonReader

        return KafkaPythonReader(kafka, topic, group)
    raise ValueError(f"unknown Kafka client {client!r}; choose one of {', '.join(CLIENT_NAMES)}")
