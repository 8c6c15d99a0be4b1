"""`TopicReader` on kafka-python, the pure-Python client.

Pinned to kafka-python 2.3.3: 3.0.12 fails its ApiVersions handshake with librdkafka's mock
cluster (the Kafka-protocol broker the demo, the tests and the benchmark run on loopback),
while 2.3 talks to it, and to real brokers, with the protocol version fixed to `API_VERSION`
instead of probed. Fixing it also saves the probe's round trips on every connect.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from kafka import KafkaConsumer, OffsetAndMetadata, TopicPartition
from kafka.errors import KafkaError

from chairside.contracts.topics import Topic
from chairside.core.settings import KafkaSettings
from ingestion.kafka.client import REQUEST_TIMEOUT_SECONDS, Deliveries, KafkaUnavailable
from ingestion.kafka.client_logs import quiet_kafka_python

log = logging.getLogger(__name__)

API_VERSION = (2, 5)
_TIMEOUT_MS = int(REQUEST_TIMEOUT_SECONDS * 1000)
# A group commit waits at most this long: it is advisory (see TopicReader.commit).
_COMMIT_TIMEOUT_MS = 5_000


class KafkaPythonReader:
    def __init__(self, kafka: KafkaSettings, topic: Topic, group: str) -> None:
        self._topic = topic.name
        quiet_kafka_python()
        try:
            self._consumer = KafkaConsumer(
                bootstrap_servers=list(kafka.bootstrap),
                group_id=group,
                client_id="chairside",
                api_version=API_VERSION,
                enable_auto_commit=False,
                request_timeout_ms=_TIMEOUT_MS,
                max_partition_fetch_bytes=4 * 1024 * 1024,
                fetch_max_bytes=64 * 1024 * 1024,
                **kafka.security,
            )
        except KafkaError as error:
            where = ", ".join(kafka.bootstrap)
            raise KafkaUnavailable(f"cannot connect to Kafka at {where}: {error}") from error

    def _partitions(self) -> list[TopicPartition]:
        partitions = self._consumer.partitions_for_topic(self._topic)
        if not partitions:
            raise KafkaUnavailable(f"topic {self._topic} does not exist or has no partitions")
        return [TopicPartition(self._topic, partition) for partition in sorted(partitions)]

    def watermarks(self) -> dict[int, tuple[int, int]]:
        partitions = self._partitions()
        try:
            low = self._consumer.beginning_offsets(partitions)
            high = self._consumer.end_offsets(partitions)
        except KafkaError as error:
            raise KafkaUnavailable(f"cannot read offsets of {self._topic}: {error}") from error
        return {tp.partition: (low[tp], high[tp]) for tp in partitions}

    def committed(self) -> dict[int, int]:
        found = {}
        for tp in self._partitions():
            try:
                offset = self._consumer.committed(tp, timeout_ms=_TIMEOUT_MS)
            except KafkaError as error:
                raise KafkaUnavailable(f"cannot read group offsets: {error}") from error
            if offset is not None:
                found[tp.partition] = offset
        return found

    def start(self, offsets: Mapping[int, int]) -> None:
        assignment = {TopicPartition(self._topic, p): offset for p, offset in offsets.items()}
        self._consumer.assign(list(assignment))
        for tp, offset in assignment.items():
            self._consumer.seek(tp, offset)

    def poll(self, max_records: int, timeout: float) -> Deliveries:
        batches = self._consumer.poll(timeout_ms=int(timeout * 1000), max_records=max_records)
        records = [record for records in batches.values() for record in records]
        return Deliveries(
            [record.partition for record in records],
            [record.offset for record in records],
            [record.key for record in records],
            [record.value for record in records],
        )

    def commit(self, offsets: Mapping[int, int]) -> None:
        request = {
            TopicPartition(self._topic, p): OffsetAndMetadata(offset, "", -1)
            for p, offset in offsets.items()
        }
        try:
            self._consumer.commit(request, timeout_ms=_COMMIT_TIMEOUT_MS)
        except KafkaError as error:
            log.warning("group commit of %s failed (the warehouse has them): %s", offsets, error)

    def close(self) -> None:
        self._consumer.close(autocommit=False)
