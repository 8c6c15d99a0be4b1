"""Publish events to a contract topic: the demo's, or a JSON-lines file replayed by an operator.

A JSON-lines file holds one message value per line, as `chairside generate` writes them
(`<topic>.jsonl`). Each message gets the contract key (`call_id`, `appointment_id`,
`customer_id` from `data`), so a replay lands every entity on the same partition as the
original and its events stay in order. Lines that are not a readable envelope are published
unkeyed, unchanged: the consumer dead-letters them with a reason, as it would the original.

Publishing is idempotent per producer session (no duplicates from the client's own retries);
replaying a file publishes its events again and the consumer skips them by `event_id`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from confluent_kafka import KafkaError, Message, Producer

from chairside.contracts.topics import Topic, topic_named
from chairside.core.settings import KafkaSettings
from ingestion.kafka.client_logs import rdkafka_logger
from ingestion.kafka.rdkafka_config import rdkafka_config

_FLUSH_SECONDS = 60.0


class PublishFailed(RuntimeError):
    """Some messages were not acknowledged by the brokers; the message says how many and why."""


@dataclass(frozen=True, slots=True)
class Outgoing:
    key: bytes | None
    value: bytes


def topic_of_file(path: Path) -> Topic:
    """`chairside.calls.v1.jsonl` holds messages of `chairside.calls.v1`."""
    return topic_named(path.name.removesuffix(".jsonl"))


def key_of(topic: Topic, value: bytes) -> bytes | None:
    try:
        envelope = json.loads(value)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than Python parses
        return None
    data = envelope.get("data") if isinstance(envelope, dict) else None
    key = data.get(topic.key_field) if isinstance(data, dict) else None
    return key.encode() if isinstance(key, str) and key else None


def read_jsonl(path: Path, topic: Topic) -> Iterator[Outgoing]:
    """Every non-blank line of `path` as a keyed message, in file order."""
    with path.open("rb") as lines:
        for line in lines:
            value = line.rstrip(b"\r\n")
            if value.strip():
                yield Outgoing(key_of(topic, value), value)


def producer_config(kafka: KafkaSettings) -> dict[str, object]:
    """Every Chairside producer's options: idempotent, keyed as Java clients key."""
    return {
        **rdkafka_config(kafka),
        "enable.idempotence": True,
        "linger.ms": 20,
        # Java clients' key hashing, so shop systems and replays agree on partitions.
        "partitioner": "murmur2_random",
        # Through Python logging, served by this publisher's polls only: a producer
        # left for the garbage collector does not print retries to a lost broker.
        "logger": rdkafka_logger(),
    }


class Publisher:
    """`with Publisher(kafka) as publisher: publisher.send(topic, messages)`; leaving the block
    waits for every acknowledgement and raises `PublishFailed` if any message was refused.

    One producer for every topic of a session: an idempotent producer's setup is a round trip
    to the cluster, and replays send several files."""

    def __init__(self, kafka: KafkaSettings) -> None:
        self._producer = Producer(producer_config(kafka))
        self._failures: list[KafkaError] = []
        self.sent = 0

    def _delivered(self, error: KafkaError | None, message: Message) -> None:
        if error is not None:
            self._failures.append(error)

    def send(self, topic: Topic, messages: Iterable[Outgoing]) -> int:
        """Queue `messages` for `topic` in order; the number queued."""
        count = 0
        for message in messages:
            while True:
                try:
                    self._producer.produce(
                        topic.name, message.value, message.key, on_delivery=self._delivered
                    )
                    break
                except BufferError:  # the local queue is full: let deliveries drain it
                    self._producer.poll(0.1)
            self._producer.poll(0)
            count += 1
        self.sent += count
        return count

    def __enter__(self) -> Publisher:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        unsent = self._producer.flush(_FLUSH_SECONDS)
        if error is None and (unsent or self._failures):
            reasons = sorted({str(failure) for failure in self._failures})
            raise PublishFailed(
                f"{len(self._failures) + unsent} of {self.sent} messages not acknowledged"
                f" ({unsent} still queued after {_FLUSH_SECONDS:.0f} s); errors: {reasons}"
            )
