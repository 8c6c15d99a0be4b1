"""A broker lost in the middle of a run: `chairside kafka ingest` fails with one clear line
naming the cluster and the topic, never exits 0, and does not flood stderr with the client's
retries; what it read before the loss stays in the warehouse.

The CLI test runs the real command in a subprocess against the broker (librdkafka's mock
cluster) in this process: the consumer pauses after a chunk's commits (a fault point), the
broker goes down, and the consumer resumes against it. The mid-topic test runs the loop with
each client in this process, the broker lost after the first poll.
"""

import datetime as dt
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

import duckdb
import pytest

from chairside.contracts.topics import INQUIRIES
from chairside.demo.local_broker import LocalKafkaBroker
from ingestion.kafka import store
from ingestion.kafka.bounds import Bounds
from ingestion.kafka.client import (
    CLIENT_NAMES,
    Deliveries,
    KafkaUnavailable,
    TopicReader,
    open_reader,
)
from ingestion.kafka.consumer import DEFAULT_GROUP, Limits, ingest_topic
from ingestion.kafka.faults import (
    FAULT_PAUSE_VARIABLE,
    FAULT_RESUME_VARIABLE,
    PAUSED_MARKER,
    FaultPoints,
)
from ingestion.kafka.producer import Outgoing, Publisher
from ingestion.kafka.store import ensure_schema
from tests.kafka_broker import contract_broker, dirty_dataset, publish_dataset, settings_for

pytestmark = pytest.mark.integration

CHAIRSIDE = Path(sys.executable).with_name("chairside")
CHUNK_RECORDS = 40
# Far above the 20 s a lost broker is given: a run that does not fail by then has hung.
RUN_TIMEOUT_SECONDS = 120
BOUNDS = Bounds.at(dt.datetime(2026, 11, 16, 12, tzinfo=dt.UTC))


@pytest.fixture
def broker() -> Iterator[LocalKafkaBroker]:
    with contract_broker() as running:
        yield running


def inquiries(count: int) -> list[Outgoing]:
    """`count` inquiries from the front-desk form, in the past on any day the test runs."""
    messages = []
    for number in range(count):
        value = {
            "event_id": str(uuid.UUID(int=number)),
            "event_type": "inquiry.received",
            "schema_version": 1,
            "occurred_at": "2026-11-14T10:32:05-03:30",
            "shop_id": "water-st",
            "data": {
                "inquiry_id": f"in-{number}",
                "customer_name": "Ana Silva",
                "message": "Walk-ins on Saturday?",
                "channel": "form",
                "created_at": "2026-11-14T10:30:00-03:30",
            },
        }
        messages.append(Outgoing(f"in-{number}".encode(), json.dumps(value).encode()))
    return messages


def ingest(
    broker: LocalKafkaBroker, warehouse: Path, client: str, pause_at: str | None, resume: Path
) -> subprocess.Popen[str]:
    env = {**os.environ, "CHAIRSIDE_KAFKA_BOOTSTRAP": broker.bootstrap}
    env["CHAIRSIDE_DUCKDB_PATH"] = str(warehouse)
    env.pop(FAULT_PAUSE_VARIABLE, None)
    if pause_at:
        env[FAULT_PAUSE_VARIABLE] = pause_at
        env[FAULT_RESUME_VARIABLE] = str(resume)
    command = [str(CHAIRSIDE), "kafka", "ingest", "--client", client]
    command += ["--chunk-records", str(CHUNK_RECORDS)]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def lose_broker_at_pause(
    process: subprocess.Popen[str], broker: LocalKafkaBroker, resume: Path
) -> tuple[list[str], list[str]]:
    """Wait for the pause, take the broker down, let the consumer go on; its output lines."""
    assert process.stderr is not None
    early = []
    for line in process.stderr:
        early.append(line)
        if line.startswith(PAUSED_MARKER):
            break
    else:
        pytest.fail(f"the consumer never paused: {''.join(early)}")
    broker.set_down()
    resume.touch()
    try:
        output, errors = process.communicate(timeout=RUN_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()  # a hung consumer must not outlive the test
        process.communicate()
        raise
    return output.splitlines(), [*early[:-1], *errors.splitlines()]


def test_a_broker_lost_mid_run_fails_the_run_with_one_clear_line(
    broker: LocalKafkaBroker, tmp_path: Path
) -> None:
    """The mock broker hands a small topic over in one fetch, so after the loss the consumer
    finishes what it holds and fails on what it must still ask the broker for."""
    publish_dataset(broker, dirty_dataset())
    warehouse, resume = tmp_path / "warehouse.duckdb", tmp_path / "resume"
    process = ingest(broker, warehouse, "confluent", "after_group_commit:2", resume)
    output, errors = lose_broker_at_pause(process, broker, resume)
    assert process.returncode == 1, errors
    assert errors[-1].startswith(f"Error: Kafka at {broker.bootstrap}, reading chairside."), errors
    # The client's retries are held back: a few lines of them, not one per second.
    assert len(errors) <= 10, "\n".join(errors)
    assert output == []  # no topic summary: the run did not finish
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (loaded,) = con.execute("select count(*) from raw_kafka.calls").fetchone()
    assert loaded > 0  # what was read before the loss stays


class LostAfterFirstPoll:
    """The real reader; the broker goes down after the first poll that returned messages, and
    the messages the client had fetched ahead are not handed over: a topic larger than the
    client's prefetch, lost in its middle, without publishing one."""

    def __init__(self, reader: TopicReader, broker: LocalKafkaBroker) -> None:
        self._reader, self._broker, self.lost = reader, broker, False

    def watermarks(self) -> dict[int, tuple[int, int]]:
        return self._reader.watermarks()

    def committed(self) -> dict[int, int]:
        return self._reader.committed()

    def start(self, offsets: Mapping[int, int]) -> None:
        self._reader.start(offsets)

    def poll(self, max_records: int, timeout: float) -> Deliveries:
        polled = self._reader.poll(max_records, timeout)
        if self.lost:
            return Deliveries()
        if polled:
            self._broker.set_down()
            self.lost = True
        return polled

    def commit(self, offsets: Mapping[int, int]) -> None:
        self._reader.commit(offsets)

    def close(self) -> None:
        self._reader.close()


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_a_broker_lost_in_the_middle_of_a_topic_fails_it_and_keeps_what_was_read(
    broker: LocalKafkaBroker, tmp_path: Path, client: str
) -> None:
    with Publisher(settings_for(broker)) as publisher:
        publisher.send(INQUIRIES, inquiries(5 * CHUNK_RECORDS))
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        ensure_schema(con)
        reader = LostAfterFirstPoll(
            open_reader(client, settings_for(broker), INQUIRIES, DEFAULT_GROUP), broker
        )
        limits = Limits(chunk_records=CHUNK_RECORDS, stall_seconds=5)
        try:
            with pytest.raises(KafkaUnavailable, match=r"no message for 5 s with \d+ still due"):
                ingest_topic(con, reader, INQUIRIES, DEFAULT_GROUP, limits, FaultPoints(), BOUNDS)
        finally:
            reader.close()
        (loaded,) = con.execute("select count(*) from raw_kafka.inquiries").fetchone()
        stored = sum(store.stored_offsets(con, DEFAULT_GROUP, INQUIRIES).values())
    assert 0 < loaded == stored < 5 * CHUNK_RECORDS
