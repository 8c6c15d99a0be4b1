"""The warehouse's full build against its incremental build after one more day of events.

    python bench/warehouse_incremental.py                 # the demo: 3 shops x 2 years
    python bench/warehouse_incremental.py --shops 30      # a small chain

The demo generator writes `--years` of history plus one day. Everything before that last day
goes through the real path (local Kafka broker, consumer, inbox loader) into a fresh warehouse,
and `dbt build` runs once to create it. Then, timed:

1. full: `dbt build --full-refresh`, every model rebuilt from the raw tables, every test;
2. incremental: the last day's events published and ingested, then `dbt build`.

Both are wall-clock seconds of the `dbt` command, which is what a Dagster run spends on the
dbt assets; the sum of dbt's own node timings is printed next to them, because dbt's start-up
(parsing, connecting) is a fixed cost that does not grow with history and dominates small data
sets. Last, the incremental warehouse is checked against a full rebuild of the same raw data:
every mart must come out identical, or the figures mean nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from chairside.contracts.topics import TOPICS, topic_named
from chairside.core.settings import KafkaSettings
from chairside.demo import DemoConfig, DemoDataset, generate, write_dataset
from chairside.demo.backdate import backdate_loads
from chairside.demo.config import DEFAULT_END_DATE
from chairside.demo.local_broker import LocalKafkaBroker, partitions_for
from ingestion.cassandra import store as cassandra_store
from ingestion.inbox.loader import load_inbox
from ingestion.kafka.consumer import ingest
from ingestion.kafka.producer import Outgoing, Publisher
from tests.warehouse_diff import mart_differences

DBT_PROJECT = Path(__file__).resolve().parents[1] / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")  # the venv's dbt, whatever the PATH
TARGET_RATIO = 0.10
_OCCURRED_ON = re.compile(rb'"occurred_at":"(\d{4}-\d{2}-\d{2})')


@dataclass(frozen=True)
class DbtRun:
    seconds: float  # wall clock of the dbt command
    node_seconds: float  # the sum of dbt's own timings of its models and tests
    nodes: int


def split_last_day(
    dataset: DemoDataset, last_day: dt.date
) -> tuple[dict[str, list[Outgoing]], dict[str, list[Outgoing]]]:
    """Each topic's messages before `last_day` and on it (by the shop-local date the event
    happened), in the generator's order. A message without a readable date counts as before."""
    day = last_day.isoformat().encode()
    history: dict[str, list[Outgoing]] = {}
    new_day: dict[str, list[Outgoing]] = {}
    for topic, records in dataset.kafka.items():
        history[topic], new_day[topic] = [], []
        for record in records:
            found = _OCCURRED_ON.search(record.value)
            on_last_day = found is not None and found.group(1) == day
            (new_day if on_last_day else history)[topic].append(
                Outgoing(record.key.encode(), record.value)
            )
    return history, new_day


def publish_and_ingest(
    kafka: KafkaSettings, warehouse: Path, messages: dict[str, list[Outgoing]]
) -> int:
    with Publisher(kafka) as publisher:
        for topic, outgoing in messages.items():
            publisher.send(topic_named(topic), outgoing)
    loaded = 0
    with duckdb.connect(str(warehouse)) as con:
        while True:  # a run is bounded (Limits.max_records): go on as the lag sensor would
            reports = ingest(con, kafka)
            loaded += sum(report.loaded for report in reports)
            if not any(report.remaining for report in reports):
                return loaded


def dbt_build(warehouse: Path, target: Path, *extra: str) -> DbtRun:
    env = {**os.environ, "CHAIRSIDE_DUCKDB_PATH": str(warehouse)}
    command = [str(DBT), "build", "--quiet", "--target-path", str(target), *extra]
    started = time.perf_counter()
    subprocess.run(command, cwd=DBT_PROJECT, env=env, check=True)
    seconds = time.perf_counter() - started
    results = json.loads((target / "run_results.json").read_text())["results"]
    return DbtRun(seconds, sum(r["execution_time"] for r in results), len(results))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shops", type=int, default=3)
    parser.add_argument("--years", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--last-day", type=dt.date.fromisoformat, default=DEFAULT_END_DATE)
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    args = parser.parse_args()

    days = round(args.years * 365.25) + 1
    config = DemoConfig(
        seed=args.seed, shops=args.shops, years=days / 365.25, end_date=args.last_day
    )
    with tempfile.TemporaryDirectory(prefix="chairside-bench-") as scratch:
        root = (args.keep or Path(scratch)).resolve()
        warehouse = root / "warehouse.duckdb"
        started = time.perf_counter()
        dataset = generate(config)
        write_dataset(
            dataset, inbox_dir=root / "inbox", events_dir=root / "events", crm_dir=root / "crm"
        )
        history, new_day = split_last_day(dataset, args.last_day)
        del dataset
        with LocalKafkaBroker(
            {t.name: partitions_for(_bytes(history[t.name] + new_day[t.name])) for t in TOPICS}
        ) as broker:
            kafka = KafkaSettings(bootstrap=(broker.bootstrap,))
            loaded_history = publish_and_ingest(kafka, warehouse, history)
            with duckdb.connect(str(warehouse)) as con:
                load_inbox(con, root / "inbox")
                cassandra_store.ensure_schema(con)  # no cluster here: the CRM tables stay empty
                backdate_loads(con, dt.timedelta(days=1))  # a history that grew day by day
            dbt_build(warehouse, root / "target-first")
            print(f"  prepared in {time.perf_counter() - started:.0f} s", file=sys.stderr)

            full = dbt_build(warehouse, root / "target-full", "--full-refresh")
            loaded_day = publish_and_ingest(kafka, warehouse, new_day)
            incremental = dbt_build(warehouse, root / "target-incremental")

        rebuilt = root / "rebuilt.duckdb"
        with duckdb.connect(str(warehouse)) as con:
            con.execute("checkpoint")
        rebuilt.write_bytes(warehouse.read_bytes())
        dbt_build(rebuilt, root / "target-rebuilt", "--full-refresh")
        differences = mart_differences(warehouse, rebuilt)
        differing = {table: rows for table, rows in differences.items() if rows}

    ratio = incremental.seconds / full.seconds
    print(
        f"Warehouse build: {args.shops} shops x {args.years:g} years"
        f" ({loaded_history:,} events), then one more day ({loaded_day:,} events)"
    )
    for name, run in (("full (--full-refresh)", full), ("incremental, one more day", incremental)):
        print(
            f"  {name:<27} {run.seconds:7.1f} s wall clock,"
            f" {run.node_seconds:7.1f} s in {run.nodes} models and tests"
        )
    node_ratio = incremental.node_seconds / full.node_seconds
    verdict = "meets" if ratio < TARGET_RATIO else "misses"
    print(
        f"  incremental / full           {ratio:7.1%} wall clock ({verdict} the"
        f" {TARGET_RATIO:.0%} target), {node_ratio:.1%} of node time"
    )
    if differing:
        print(f"  NOT identical to a full rebuild: rows differing {differing}", file=sys.stderr)
        return 1
    print(f"  identical to a full rebuild: all {len(differences)} mart tables")
    return 0


def _bytes(messages: list[Outgoing]) -> int:
    return sum(len(message.value) for message in messages)


if __name__ == "__main__":
    sys.exit(main())
