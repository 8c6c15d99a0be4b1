"""Event-to-mart latency in the embedded setup: from a booking's publish to its row in
marts.fct_appointments.

    python bench/event_to_mart_latency.py --rate 5 --seconds 120

A small demo warehouse is built first (the `warehouse_build` job, so dim_shop and every raw
table exist); then the simulator plays into a local Kafka-protocol broker in a thread while the
loop does what the sensor-driven deployment does once the kafka_lag_sensor fires: one bounded
Kafka ingestion, then `dbt build` of fct_appointments, dim_customer and what they are built
from. Every `appointment.booked` is a sample. The sensor's own interval (60 s) comes on top of
the loop period in a deployment; this measures the work, printed with the loop period.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=5.0, help="simulator events per second")
    parser.add_argument("--seconds", type=float, default=120.0, help="how long to simulate")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="chairside-latency-") as scratch:
        data = Path(scratch) / "data"
        warehouse = data / "warehouse.duckdb"
        os.environ.update(
            {
                "CHAIRSIDE_DATA_DIR": str(data),
                "CHAIRSIDE_DUCKDB_PATH": str(warehouse),
                "CHAIRSIDE_INBOX": str(data / "inbox"),
            }
        )
        import dagster as dg
        import duckdb

        from chairside.demo import DemoConfig, generate, write_dataset
        from chairside.settings import KafkaSettings
        from chairside.simulator import SimulatorConfig, simulate
        from chairside.simulator.envelopes import LiveEvent
        from ingestion.kafka.consumer import ingest
        from ingestion.kafka.local_broker import LocalKafkaBroker
        from ingestion.kafka.topics import TOPICS
        from orchestration.definitions import defs

        demo = generate(DemoConfig(seed=7, shops=3, years=0.1))
        write_dataset(
            demo, inbox_dir=data / "inbox", events_dir=data / "events", crm_dir=data / "crm"
        )
        build = defs.resolve_job_def("warehouse_build").execute_in_process(
            instance=dg.DagsterInstance.ephemeral(), raise_on_error=False
        )
        print(f"warehouse_build on the demo inbox: success={build.success}")

        published: dict[str, float] = {}  # appointment_id -> publish time
        lock = threading.Lock()

        def on_published(event: LiveEvent) -> None:
            if event.event_type == "appointment.booked":
                with lock:
                    published[event.key] = time.monotonic()

        latencies: list[float] = []
        periods: list[float] = []
        with LocalKafkaBroker({topic.name: 6 for topic in TOPICS}) as broker:
            kafka = KafkaSettings(bootstrap=(broker.bootstrap,))
            config = SimulatorConfig(rate=args.rate, duration=args.seconds, seed=1)
            player = threading.Thread(
                target=simulate, args=(config, kafka), kwargs={"on_published": on_published}
            )
            player.start()
            while player.is_alive() or published:
                started = time.monotonic()
                with duckdb.connect(str(warehouse)) as con:
                    ingest(con, kafka)
                _dbt_build()
                with duckdb.connect(str(warehouse), read_only=True) as con:
                    visible = {
                        row[0]
                        for row in con.execute(
                            "select appointment_id from marts.fct_appointments"
                        ).fetchall()
                    }
                now = time.monotonic()
                with lock:
                    for appointment_id in visible & published.keys():
                        latencies.append(now - published.pop(appointment_id))
                periods.append(now - started)
                if not player.is_alive() and not latencies and len(periods) > 3:
                    break
            player.join()

    if not latencies:
        print("no sample reached marts.fct_appointments", file=sys.stderr)
        return 1
    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"{len(latencies)} bookings at {args.rate:g} events/s for {args.seconds:g} s: "
        f"publish -> marts.fct_appointments p50 {cuts[49]:.1f} s, p95 {cuts[94]:.1f} s, "
        f"max {max(latencies):.1f} s; loop period (ingest + dbt build) "
        f"median {statistics.median(periods):.1f} s over {len(periods)} loops"
    )
    return 0


def _dbt_build() -> None:
    dbt = Path(sys.executable).with_name("dbt")
    subprocess.run(
        # dim_customer too: fct_appointments' relationship test checks new customers against it.
        [str(dbt), "build", "--select", "+fct_appointments", "+dim_customer", "--quiet"],
        cwd=ROOT / "dbt_project",
        check=True,
    )


if __name__ == "__main__":
    sys.exit(main())
