"""Kafka ingestion against kcat: publish N events to a local broker, time both reading them.

    python bench/kafka_ingest.py                       # 1,000,000 events, both clients
    python bench/kafka_ingest.py --events 200000 --clients confluent
    python bench/kafka_ingest.py --history 1000000     # into a table holding 1M events already

The broker is librdkafka's mock cluster on loopback, in this process. The events are the
demo's appointment events, cycled with fresh event ids (so every one is new to the
warehouse), a few invalid ones included. kcat (Debian's `kcat`) reads the topic raw to its
stdout; each client runs the real ingestion (`ingestion.kafka.consumer.ingest`) into a fresh
DuckDB file: validation, raw table, dead letters, offsets, group commits. With `--history N`
the raw table already holds N other events (years of a busy shop), which every insert checks
its event ids against. The figures are events per second of wall-clock time on this machine,
and ingestion's ratio to kcat, which decides the default client. The mock keeps about 5 MB per
partition, so the topic gets enough partitions to hold every event at once.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb

# DuckDB imports pandas the first time it reads an Arrow table, which takes a second or two
# (longer where bytecode is not cached); imported here so the timings are the steady state.
import pandas  # noqa: F401

from chairside.contracts.topics import APPOINTMENTS
from chairside.core.settings import KafkaSettings
from chairside.demo import DemoConfig, generate
from chairside.demo.local_broker import LocalKafkaBroker, partitions_for
from ingestion.kafka.client import CLIENT_NAMES, DEFAULT_CLIENT
from ingestion.kafka.consumer import Limits, TopicReport, ingest
from ingestion.kafka.producer import Outgoing, Publisher
from ingestion.kafka.store import ensure_schema

TARGET_RATIO = 0.3
HISTORY_DATA = (
    '{"appointment_id":"a-1","customer_id":"c-1","staff_id":"ws-02","service_code":"CUT",'
    '"scheduled_start":"2025-11-22T16:15:00-03:30","duration_min":30,"quoted_price":25.0,'
    '"channel":"phone","call_id":null}'
)
_ID_START, _ID_END = len(b'{"event_id":"'), len(b'{"event_id":"') + 36


def sample_messages(seed: int) -> list[Outgoing]:
    """One year of one demo shop's appointment events, keyed as the contract says."""
    dataset = generate(DemoConfig(seed=seed, shops=1, years=1.0))
    return [Outgoing(r.key.encode(), r.value) for r in dataset.kafka[APPOINTMENTS.name]]


def messages(sample: list[Outgoing], count: int) -> Iterator[Outgoing]:
    """`count` messages cycling through `sample`, each valid one with its own event id. The
    id is replaced in place: the demo writes `event_id` first in compact JSON."""
    for number in range(count):
        message = sample[number % len(sample)]
        value = message.value
        if value.startswith(b'{"event_id":"') and len(value) > _ID_END:
            fresh = str(uuid.UUID(int=number)).encode()
            value = value[:_ID_START] + fresh + value[_ID_END:]
        yield Outgoing(message.key, value)


def time_kcat(bootstrap: str) -> tuple[int, float]:
    """Messages kcat read from the start to the end of the topic, and the seconds it took."""
    # -C consume, -o beginning, -e exit at the end, -q quiet: one value per line on stdout
    command = ["kcat", "-C", "-b", bootstrap, "-t", APPOINTMENTS.name, "-o", "beginning", "-eq"]
    started = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE) as kcat:
        assert kcat.stdout is not None
        lines = sum(block.count(b"\n") for block in iter(lambda: kcat.stdout.read(1 << 20), b""))
    if kcat.returncode != 0:
        raise RuntimeError(f"kcat exited with {kcat.returncode}")
    return lines, time.perf_counter() - started


def add_history(con: duckdb.DuckDBPyConnection, events: int) -> None:
    """`events` earlier appointment events in the raw table, each with an id of its own."""
    ensure_schema(con)
    con.execute(
        f"""
        insert into {APPOINTMENTS.qualified_table}
        select uuid()::varchar, 'appointment.booked', 1, now(), 'water-st', 'a-1', ?,
               'history', 0, i, now()
        from range(?) offsets(i)
        """,
        [HISTORY_DATA, events],
    )
    con.execute("checkpoint")


def time_ingestion(
    kafka: KafkaSettings, client: str, events: int, history: int
) -> tuple[TopicReport, float]:
    with tempfile.TemporaryDirectory(prefix="chairside-kafka-bench-") as scratch:
        con = duckdb.connect(str(Path(scratch) / "warehouse.duckdb"))
        if history:
            add_history(con, history)
        limits = Limits(max_records=events, max_seconds=3600)
        started = time.perf_counter()
        (report,) = ingest(
            con, kafka, group=f"bench-{client}", client=client, limits=limits, topics=[APPOINTMENTS]
        )
        con.close()
        return report, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--clients", default=",".join(CLIENT_NAMES))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--history", type=int, default=0, help="events already in the raw table (default 0)"
    )
    args = parser.parse_args()
    clients = [name.strip() for name in args.clients.split(",") if name.strip()]
    if shutil.which("kcat") is None:
        print(
            "kcat is not installed (apt-get install -y kcat, or `make bench-kafka`)",
            file=sys.stderr,
        )
        return 2

    sample = sample_messages(args.seed)
    average_bytes = sum(len(m.value) for m in sample) / len(sample)
    partitions = partitions_for(int(args.events * average_bytes))
    with LocalKafkaBroker({APPOINTMENTS.name: partitions}) as broker:
        kafka = KafkaSettings(bootstrap=(broker.bootstrap,))
        started = time.perf_counter()
        with Publisher(kafka) as publisher:
            published = publisher.send(APPOINTMENTS, messages(sample, args.events))
        publish_seconds = time.perf_counter() - started
        del sample
        gc.collect()

        read, kcat_seconds = time_kcat(broker.bootstrap)
        if read != published:
            print(f"kcat read {read} of {published} messages", file=sys.stderr)
            return 1
        kcat_rate = read / kcat_seconds
        print(
            f"Kafka ingestion benchmark: {published:,} events, {partitions} partitions, "
            f"{args.history:,} events in the raw table before"
        )
        print(f"  publish (confluent producer)   {published / publish_seconds:>10,.0f} events/s")
        print(
            f"  kcat, raw to stdout            {kcat_rate:>10,.0f} events/s  ({kcat_seconds:.1f} s)"
        )
        rates = {}
        for client in clients:
            report, seconds = time_ingestion(kafka, client, published, args.history)
            if report.consumed != published:
                print(f"{client} consumed {report.consumed} of {published}", file=sys.stderr)
                return 1
            rates[client] = report.consumed / seconds
            print(
                f"  ingest, {client:<22} {rates[client]:>10,.0f} events/s  ({seconds:.1f} s,"
                f" ratio to kcat {rates[client] / kcat_rate:.2f}; loaded {report.loaded:,},"
                f" dead letters {report.dead_lettered:,}, duplicates {report.duplicates:,})"
            )
    fastest = max(rates, key=rates.__getitem__)
    ratio = rates[fastest] / kcat_rate
    verdict = "meets" if ratio >= TARGET_RATIO else "misses"
    print(f"  fastest client: {fastest}, {ratio:.2f}x kcat ({verdict} the {TARGET_RATIO}x target)")
    if fastest != DEFAULT_CLIENT:
        print(f"  the default client is {DEFAULT_CLIENT}: ingestion.kafka.client.DEFAULT_CLIENT")
    return 0


if __name__ == "__main__":
    sys.exit(main())
