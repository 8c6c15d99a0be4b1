"""`TopicReader` on confluent-kafka (librdkafka): fetching and decompression happen in C
threads, so the Python side only sees ready messages in large batches."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping

from confluent_kafka import (
    OFFSET_INVALID,
    Consumer,
    KafkaError,
    KafkaException,
    Message,
    TopicPartition,
)

from chairside.contracts.topics import Topic
from chairside.core.settings import KafkaSettings
from ingestion.kafka.client import REQUEST_TIMEOUT_SECONDS, Deliveries, KafkaUnavailable
from ingestion.kafka.client_logs import rdkafka_logger
from ingestion.kafka.rdkafka_config import rdkafka_config

log = logging.getLogger(__name__)

# librdkafka's close waits for every request still out, a group commit to a broker that is gone
# included, and takes no timeout; past this it is left to finish (or not) on its own thread.
CLOSE_TIMEOUT_SECONDS = 10.0
# librdkafka's own logs and its error callbacks: both repeat every retry while a broker is lost.
client_log = rdkafka_logger()

# Messages taken from librdkafka per call (see `ConfluentReader.poll`).
_CONSUME_BATCH = 500


def _log_commit(error: KafkaError | None, partitions: list[TopicPartition]) -> None:
    if error is not None:
        client_log.warning("group commit failed (the warehouse has the offsets): %s", error)


def _log_client_error(error: KafkaError) -> None:
    """librdkafka reports connection trouble here and keeps retrying by itself."""
    if error.fatal():
        client_log.error("Kafka client error: %s", error)
    else:
        client_log.warning("Kafka client: %s", error)


def _columns(messages: list[Message]) -> Deliveries:
    if failed := [message for message in messages if message.error() is not None]:
        _raise_or_log(failed)
        messages = [message for message in messages if message.error() is None]
    # a message without an error always has its partition and offset
    return Deliveries(
        [_known(message.partition()) for message in messages],
        [_known(message.offset()) for message in messages],
        [message.key() for message in messages],
        [message.value() for message in messages],
    )


def _known(value: int | None) -> int:
    """librdkafka sets a fetched message's partition and offset; None would be its bug."""
    if value is None:
        raise KafkaException("a fetched message came without its partition or offset")
    return value


def _raise_or_log(failed: list[Message]) -> None:
    """A fetch error librdkafka will retry by itself is logged; any other ends the run."""
    for message in failed:
        error = message.error()
        if error is not None and not error.retriable():
            raise KafkaException(error)
        client_log.warning("Kafka fetch: %s", error)


class ConfluentReader:
    def __init__(self, kafka: KafkaSettings, topic: Topic, group: str) -> None:
        self._topic = topic.name
        config: dict[str, object] = {
            **rdkafka_config(kafka),
            "group.id": group,
            "enable.auto.commit": False,
            "enable.auto.offset.store": False,
            # Only reached when a seek lands outside the log; the consumer reports the gap.
            "auto.offset.reset": "earliest",
            # librdkafka pauses fetching for this long once its prefetch queue is full, which
            # happens while a chunk is written; the default (1 s) leaves the consumer idle.
            "fetch.queue.backoff.ms": 20,
            "on_commit": _log_commit,
            "error_cb": _log_client_error,
            # librdkafka's own log goes to stderr, a line per failed reconnect while a broker
            # is lost, and forwarding it to Python logging (the `logger` property) took
            # ingestion from 29k to 18k events/s in `bench/kafka_ingest.py`. Its errors (a
            # failed connection, authentication, TLS) reach `error_cb` too, through Python
            # logging with repeats held back; so it prints critical messages only.
            "log_level": 2,
        }
        try:
            self._consumer = Consumer(config)
        except KafkaException as error:
            raise KafkaUnavailable(f"cannot create a Kafka consumer: {error}") from error

    def _partitions(self) -> list[TopicPartition]:
        try:
            metadata = self._consumer.list_topics(self._topic, timeout=REQUEST_TIMEOUT_SECONDS)
        except KafkaException as error:
            raise KafkaUnavailable(f"cannot read Kafka metadata: {error}") from error
        described = metadata.topics.get(self._topic)
        if described is None or described.error is not None or not described.partitions:
            reason = described.error if described is not None else "not in the metadata"
            raise KafkaUnavailable(f"topic {self._topic} is not available: {reason}")
        return [TopicPartition(self._topic, p) for p in sorted(described.partitions)]

    def watermarks(self) -> dict[int, tuple[int, int]]:
        marks = {}
        for tp in self._partitions():
            try:
                marks[tp.partition] = self._consumer.get_watermark_offsets(
                    tp, timeout=REQUEST_TIMEOUT_SECONDS
                )
            except KafkaException as error:
                raise KafkaUnavailable(f"cannot read offsets of {self._topic}: {error}") from error
        return marks

    def committed(self) -> dict[int, int]:
        try:
            found = self._consumer.committed(self._partitions(), timeout=REQUEST_TIMEOUT_SECONDS)
        except KafkaException as error:
            raise KafkaUnavailable(f"cannot read group offsets: {error}") from error
        return {tp.partition: tp.offset for tp in found if tp.offset != OFFSET_INVALID}

    def start(self, offsets: Mapping[int, int]) -> None:
        self._consumer.assign([TopicPartition(self._topic, p, o) for p, o in offsets.items()])

    def poll(self, max_records: int, timeout: float) -> Deliveries:
        """Consumed in small batches, each turned into columns at once: librdkafka's message
        objects are tracked by the garbage collector, and tens of thousands alive at a time
        made it promote them and sweep the whole heap every chunk or two."""
        deliveries = Deliveries()
        wait = timeout  # for the first batch; the rest only take what is already fetched
        while len(deliveries) < max_records:
            want = min(max_records - len(deliveries), _CONSUME_BATCH)
            messages = self._consumer.consume(want, wait)
            if not messages:
                break
            deliveries.extend(_columns(messages))
            wait = 0
        return deliveries

    def commit(self, offsets: Mapping[int, int]) -> None:
        """Asynchronous: `_log_commit` reports the outcome during a later poll or the close."""
        try:
            self._consumer.commit(
                offsets=[TopicPartition(self._topic, p, o) for p, o in offsets.items()],
                asynchronous=True,
            )
        except KafkaException as error:
            log.warning("group commit of %s failed (the warehouse has them): %s", offsets, error)

    def close(self) -> None:
        """Bounded, so a lost broker fails the run with its own error instead of hanging it."""
        closer = threading.Thread(target=self._consumer.close, name="kafka-close", daemon=True)
        closer.start()
        closer.join(CLOSE_TIMEOUT_SECONDS)
        if closer.is_alive():
            log.warning(
                "the Kafka consumer of %s did not close within %g s (is the broker gone?); "
                "left to close on its own",
                self._topic,
                CLOSE_TIMEOUT_SECONDS,
            )
