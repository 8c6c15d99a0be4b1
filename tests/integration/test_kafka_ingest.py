"""Ingestion against a real Kafka-protocol peer on loopback (librdkafka's mock cluster), with
each client: every valid event once, every invalid one dead-lettered with its reason, re-sent
batches counted once, and a broker outage survived."""

import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path

import duckdb
import pytest

from chairside.contracts.topics import APPOINTMENTS
from chairside.demo.local_broker import LocalKafkaBroker
from ingestion.kafka.bounds import Bounds
from ingestion.kafka.client import CLIENT_NAMES, Deliveries, TopicReader, open_reader
from ingestion.kafka.consumer import DEFAULT_GROUP, Limits, ingest, ingest_topic
from ingestion.kafka.faults import FaultPoints
from ingestion.kafka.lag import group_lag, warehouse_lag
from ingestion.kafka.store import ensure_schema
from tests.kafka_broker import (
    contract_broker,
    dead_letter_reasons,
    dirty_dataset,
    event_ids,
    expected,
    publish_dataset,
    settings_for,
)

pytestmark = pytest.mark.integration
# The time of ingestion: the day after the demo dataset's last.
BOUNDS = Bounds.at(dt.datetime(2026, 11, 16, 12, tzinfo=dt.UTC))

DEFECT_OF_REASON = {
    "invalid JSON": "malformed_json",
    "missing field data.": "missing_field",
    "unknown event_type": "unknown_event_type",
    "schema_version 2 is newer than the supported 1": "schema_version",
}


def defect_of(reason: str) -> str:
    (defect,) = [d for prefix, d in DEFECT_OF_REASON.items() if reason.startswith(prefix)]
    return defect


@pytest.fixture(params=CLIENT_NAMES)
def client(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def broker() -> Iterator[LocalKafkaBroker]:
    with contract_broker() as running:
        yield running


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
        yield connection


def test_every_event_lands_once_and_every_invalid_one_says_why(
    broker: LocalKafkaBroker, con: duckdb.DuckDBPyConnection, client: str
) -> None:
    dataset = dirty_dataset()
    publish_dataset(broker, dataset)
    kafka = settings_for(broker)
    reports = ingest(con, kafka, client=client, limits=Limits(chunk_records=500))
    assert {report.topic for report in reports} == set(dataset.kafka)
    for report in reports:
        want = expected(dataset)[report.topic]
        assert report.consumed == want.messages
        assert report.consumed == report.loaded + report.dead_lettered + report.duplicates
        assert sorted(event_ids(con, report.topic)) == sorted(want.event_ids)
        assert report.duplicates == want.redeliveries
        reasons = dead_letter_reasons(con, report.topic)
        assert Counter(map(defect_of, reasons)) == want.defects
        assert set(want.defects) == set(DEFECT_OF_REASON.values())
    # the small inquiries topic may draw no redelivery; the stream as a whole has some
    assert sum(report.duplicates for report in reports) > 0
    # Both views of the position agree there is nothing left: the warehouse's offsets and
    # the consumer group's, which is what Kafka's tools show.
    assert [lag.total for lag in warehouse_lag(con, kafka, DEFAULT_GROUP, client)] == [0, 0, 0, 0]
    assert [lag.total for lag in group_lag(kafka, DEFAULT_GROUP, client)] == [0, 0, 0, 0]
    again = ingest(con, kafka, client=client)
    assert [report.consumed for report in again] == [0, 0, 0, 0]


def test_a_resent_batch_counts_once(
    broker: LocalKafkaBroker, con: duckdb.DuckDBPyConnection, client: str
) -> None:
    dataset = dirty_dataset()
    publish_dataset(broker, dataset)
    kafka = settings_for(broker)
    ingest(con, kafka, client=client)
    publish_dataset(broker, dataset)  # the producer sends the whole batch again
    reports = ingest(con, kafka, client=client)
    for report in reports:
        if report.topic not in dataset.kafka:  # the demo writes no inquiries
            continue
        want = expected(dataset)[report.topic]
        assert report.loaded == 0
        assert report.dead_lettered == sum(want.defects.values())  # a new delivery each
        assert report.duplicates == want.messages - report.dead_lettered
        assert sorted(event_ids(con, report.topic)) == sorted(want.event_ids)


class OutageDuring:
    """The real reader, with the broker taken down for `seconds` after `polls_before` polls
    that returned messages; 0: as soon as the offsets were read, before any fetch, so the
    group commit at the start meets the outage too."""

    def __init__(
        self, reader: TopicReader, broker: LocalKafkaBroker, polls_before: int, seconds: float
    ) -> None:
        self._reader, self._broker = reader, broker
        self._polls_before, self._seconds = polls_before, seconds
        self.outage: threading.Timer | None = None
        self.polled_while_down = 0

    def _go_down(self) -> None:
        self._broker.set_down()
        self.outage = threading.Timer(self._seconds, self._broker.set_up)
        self.outage.start()

    def watermarks(self) -> dict[int, tuple[int, int]]:
        marks = self._reader.watermarks()
        if self._polls_before == 0:
            self._go_down()
        return marks

    def committed(self) -> dict[int, int]:
        return self._reader.committed()

    def start(self, offsets: Mapping[int, int]) -> None:
        self._reader.start(offsets)

    def poll(self, max_records: int, timeout: float) -> Deliveries:
        down = self.outage is not None and self.outage.is_alive()
        polled = self._reader.poll(max_records, timeout)
        self.polled_while_down += len(polled) if down else 0
        if polled and self._polls_before:
            self._polls_before -= 1
            if self._polls_before == 0:
                self._go_down()
        return polled

    def commit(self, offsets: Mapping[int, int]) -> None:
        self._reader.commit(offsets)

    def close(self) -> None:
        self._reader.close()


@pytest.mark.parametrize("polls_before", [0, 1], ids=["before-first-fetch", "mid-run"])
def test_a_broker_outage_is_survived_and_the_run_resumes(
    broker: LocalKafkaBroker, con: duckdb.DuckDBPyConnection, client: str, polls_before: int
) -> None:
    dataset = dirty_dataset()
    publish_dataset(broker, dataset)
    ensure_schema(con)
    reader = OutageDuring(
        open_reader(client, settings_for(broker), APPOINTMENTS, DEFAULT_GROUP),
        broker,
        polls_before,
        seconds=3.0,
    )
    started = time.monotonic()
    try:
        limits, faults = Limits(chunk_records=200), FaultPoints()
        report = ingest_topic(con, reader, APPOINTMENTS, DEFAULT_GROUP, limits, faults, BOUNDS)
    finally:
        reader.close()
    assert reader.outage is not None
    reader.outage.join()
    if polls_before == 0:  # nothing was fetched before, so nothing could be read while down
        assert reader.polled_while_down == 0
        assert time.monotonic() - started >= 3.0
    want = expected(dataset)[APPOINTMENTS.name]
    assert report.stopped_by == "caught up" and report.consumed == want.messages
    assert sorted(event_ids(con, APPOINTMENTS.name)) == sorted(want.event_ids)
