"""One event at a time, each answered only once the brokers acknowledged it.

A webhook may answer its caller 2xx only after the event is safe in Kafka, and 503 in time for
the caller's own timeout when it is not (the caller then retries). So every message carries its
own deadline (`message.timeout.ms`): librdkafka reports it delivered or failed within that
time, and a background thread serves those reports to the futures waiting on them. A message
that failed is not in the log; one whose failure raced its delivery may be, and its retry then
carries the same `event_id`, which the warehouse counts once.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from concurrent.futures import Future
from types import TracebackType

from confluent_kafka import KafkaError, KafkaException, Message, Producer

from chairside.contracts.topics import Topic
from chairside.core.settings import KafkaSettings
from ingestion.kafka.producer import Outgoing, PublishFailed, producer_config


class AcknowledgedPublisher:
    """`with AcknowledgedPublisher(kafka, timeout_seconds=10) as publisher:` then
    `publisher.send(topic, message)` returns a future that resolves when the brokers
    acknowledged, or fails with `PublishFailed` saying why."""

    def __init__(self, kafka: KafkaSettings, *, timeout_seconds: float) -> None:
        self._producer = Producer(
            {**producer_config(kafka), "message.timeout.ms": int(timeout_seconds * 1000)}
        )
        self._stop = threading.Event()
        self._poller = threading.Thread(target=self._serve, name="kafka-acks", daemon=True)
        self._poller.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            self._producer.poll(0.05)

    def send(self, topic: Topic, message: Outgoing) -> Future[None]:
        acknowledged: Future[None] = Future()

        def delivered(error: KafkaError | None, _message: Message) -> None:
            if error is None:
                acknowledged.set_result(None)
            else:
                acknowledged.set_exception(PublishFailed(f"{topic.name}: {error.str()}"))

        try:
            self._producer.produce(topic.name, message.value, message.key, on_delivery=delivered)
        except (BufferError, KafkaException) as error:  # queue full, or a fatal producer error
            acknowledged.set_exception(PublishFailed(f"{topic.name}: {error}"))
        return acknowledged

    def publish(self, topic: Topic, message: Outgoing) -> None:
        """Send and wait for the acknowledgement; raises `PublishFailed` when there is none."""
        self.send(topic, message).result()

    def close(self) -> None:
        self._stop.set()
        self._poller.join()
        self._producer.flush(0)

    def __enter__(self) -> AcknowledgedPublisher:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


_SHARED: dict[Hashable, AcknowledgedPublisher] = {}
_SHARED_LOCK = threading.Lock()


def shared_publisher(kafka: KafkaSettings, *, timeout_seconds: float) -> AcknowledgedPublisher:
    """One publisher per cluster for the whole process, for app pages: a page's session ends
    without telling anyone, and a publisher per page would leave its thread and connections
    behind. The producer is thread-safe, so every page may send through it."""
    key = (kafka.bootstrap, tuple(sorted(kafka.security.items())), timeout_seconds)
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = AcknowledgedPublisher(kafka, timeout_seconds=timeout_seconds)
        return _SHARED[key]
