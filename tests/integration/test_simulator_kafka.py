"""The simulator against the local Kafka-protocol broker: contract-valid events at the asked
rate, all of them consumed by the ingestion into the warehouse."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from chairside.contracts.topics import TOPICS
from chairside.demo.simulator import SimulatorConfig, simulate
from chairside.demo.simulator.envelopes import LiveEvent
from ingestion.kafka.bounds import Bounds
from ingestion.kafka.consumer import ingest
from ingestion.kafka.envelope import Event, validate
from tests.kafka_broker import contract_broker, event_ids, settings_for

CHAIRSIDE = Path(sys.executable).with_name("chairside")
RATE = 40.0
SECONDS = 3.0


def test_simulated_events_are_valid_paced_and_ingested(tmp_path: Path) -> None:
    published: list[LiveEvent] = []
    with contract_broker() as broker:
        kafka = settings_for(broker)
        config = SimulatorConfig(rate=RATE, duration=SECONDS, seed=11)
        report = simulate(config, kafka, on_published=published.append)

        expected = RATE * SECONDS
        assert 0.8 * expected <= report.events <= expected + 1, report.summary()
        assert report.stopped_by == "duration"
        assert report.crm_skipped > 0  # no Cassandra configured: rows are counted, not written
        bounds = Bounds.at(dt.datetime.now(dt.UTC))  # live events: ingested as they happen
        results = [validate(event.topic, event.value, bounds) for event in published]
        assert [r for r in results if not isinstance(r, Event)] == []

        with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
            reports = ingest(con, kafka)
            assert sum(r.loaded for r in reports) == report.events
            assert sum(r.dead_lettered for r in reports) == 0
            loaded = {event_id for topic in TOPICS for event_id in event_ids(con, topic.name)}
    assert loaded == {event.event_id for event in published}


def _environment(bootstrap: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHAIRSIDE_")}
    return {**env, "CHAIRSIDE_KAFKA_BOOTSTRAP": bootstrap, "CHAIRSIDE_SIMULATOR_RATE": "50"}


def test_command_stops_after_max_events() -> None:
    with contract_broker() as broker:
        done = subprocess.run(
            [str(CHAIRSIDE), "simulate", "--max-events", "25", "--seed", "1"],
            env=_environment(broker.bootstrap),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 0, done.stderr
    assert "25 events" in done.stdout and "stopped by max_events" in done.stdout
    assert "at 50 events/s" in done.stdout  # the rate came from CHAIRSIDE_SIMULATOR_RATE
    assert "CRM rows skipped: CHAIRSIDE_CASSANDRA_HOSTS is not set" in done.stdout


def test_command_shuts_down_cleanly_on_sigterm() -> None:
    with contract_broker() as broker:
        process = subprocess.Popen(
            [str(CHAIRSIDE), "simulate"],
            env=_environment(broker.bootstrap),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Wait for the start-up line, so the signal lands on the running loop.
        assert process.stdout is not None
        assert "Simulating" in process.stdout.readline()
        time.sleep(1.0)
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "stopped by stop signal" in stdout
