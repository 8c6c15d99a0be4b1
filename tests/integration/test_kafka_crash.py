"""Crash safety: the ingesting process is killed with SIGKILL, again and again, and restarted;
in the end every event is in the warehouse exactly once.

The broker runs in this test process; the consumer is the real CLI (`chairside kafka ingest`)
in a subprocess. Kills land at the named points of `ingestion.kafka.faults` (before and after
the DuckDB commit, before and after the consumer-group commit), where the process pauses
because CHAIRSIDE_KAFKA_FAULT_PAUSE says so, and at random moments. The schedule comes from a
seeded RNG, so a failure replays identically.
"""

import os
import queue
import random
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from chairside.demo.local_broker import LocalKafkaBroker
from ingestion.kafka.client import CLIENT_NAMES
from ingestion.kafka.consumer import DEFAULT_GROUP
from ingestion.kafka.faults import FAULT_PAUSE_VARIABLE, PAUSED_MARKER, PHASES
from ingestion.kafka.lag import group_lag, warehouse_lag
from tests.kafka_broker import (
    contract_broker,
    dead_letter_reasons,
    dirty_dataset,
    event_ids,
    expected,
    publish_dataset,
    settings_for,
    stored_offsets,
)

pytestmark = pytest.mark.integration

CHAIRSIDE = Path(sys.executable).with_name("chairside")
SEED = 20261115
RANDOM_KILLS = 2
# Small transactions, so a run commits many chunks and each kill point is reached often.
CHUNK_RECORDS = 40
PAUSE_TIMEOUT_SECONDS = 60


@pytest.fixture
def broker() -> Iterator[LocalKafkaBroker]:
    with contract_broker() as running:
        publish_dataset(running, dirty_dataset())
        yield running


def start_consumer(
    broker: LocalKafkaBroker, warehouse: Path, client: str, pause_at: str | None
) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "CHAIRSIDE_KAFKA_BOOTSTRAP": broker.bootstrap,
        "CHAIRSIDE_DUCKDB_PATH": str(warehouse),
    }
    env.pop(FAULT_PAUSE_VARIABLE, None)
    if pause_at:
        env[FAULT_PAUSE_VARIABLE] = pause_at
    command = [str(CHAIRSIDE), "kafka", "ingest", "--client", client]
    command += ["--chunk-records", str(CHUNK_RECORDS), "--max-seconds", "120"]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


def paused(process: subprocess.Popen[str]) -> bool:
    """Wait until the process says it paused (True) or exits without pausing (False)."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    while (line := lines.get(timeout=PAUSE_TIMEOUT_SECONDS)) is not None:
        if line.startswith(PAUSED_MARKER):
            return True
    return False


def kill(process: subprocess.Popen[str]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL


@pytest.mark.parametrize("client", CLIENT_NAMES)
def test_sigkill_at_any_point_leaves_every_event_exactly_once(
    broker: LocalKafkaBroker, tmp_path: Path, client: str
) -> None:
    rng = random.Random(SEED)
    warehouse = tmp_path / "warehouse.duckdb"
    # The named points first, while most of the data is still unread, so each is reached.
    phases = rng.sample(PHASES, len(PHASES))
    schedule: list[tuple[str, int] | float] = [(phase, rng.randint(1, 4)) for phase in phases]
    schedule += [rng.uniform(0.5, 3.0) for _ in range(RANDOM_KILLS)]

    killed_at = []
    for point in schedule:
        if isinstance(point, tuple):
            phase, count = point
            process = start_consumer(broker, warehouse, client, f"{phase}:{count}")
            if paused(process):
                killed_at.append(phase)
                kill(process)
            else:
                assert process.wait() == 0
        else:
            process = start_consumer(broker, warehouse, client, None)
            try:
                process.wait(timeout=point)
            except subprocess.TimeoutExpired:
                kill(process)
    # Every named point was really crashed at: the data outlasts the schedule.
    assert sorted(killed_at) == sorted(PHASES)

    final = start_consumer(broker, warehouse, client, None)
    _, errors = final.communicate(timeout=120)
    assert final.returncode == 0, errors

    dataset = dirty_dataset()
    kafka = settings_for(broker)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        ends = {lag.topic: lag.ends for lag in warehouse_lag(con, kafka, DEFAULT_GROUP, client)}
        for topic, want in expected(dataset).items():
            assert sorted(event_ids(con, topic)) == sorted(want.event_ids)
            assert len(dead_letter_reasons(con, topic)) == sum(want.defects.values())
            assert stored_offsets(con, topic) == ends[topic]
    assert [lag.total for lag in group_lag(kafka, DEFAULT_GROUP, client)] == [0, 0, 0, 0]
