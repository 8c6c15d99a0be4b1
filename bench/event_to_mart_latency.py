"""Event-to-release latency in the embedded setup: from a booking's publish to Kafka to its row
in marts.fct_appointments of the published release readers see.

    python bench/event_to_mart_latency.py --rate 5 --seconds 120

A small demo warehouse is built first (the `warehouse_build` job, so dim_shop and every raw
table exist, and a first release is published); then the simulator plays into a local
Kafka-protocol broker in a thread while the loop does what the sensor-driven deployment does when
the kafka_lag_sensor fires: one bounded Kafka ingestion, `dbt build` of fct_appointments,
dim_customer and what they are built from, then publishing the release
(`chairside.release.publish`). A loop starts only on a sensor tick (every `--sensor-interval`
seconds, 15 as `kafka_lag_sensor` is declared) once the previous one has ended, as the sensor
skips while a run is in flight, so the wait for the tick is in every sample. Every
`appointment.booked` is a sample; it counts once the release readers see has it. Not included:
launching a Dagster run process, which the in-process loop does not pay.
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
    parser.add_argument(
        "--sensor-interval", type=float, default=15.0, help="seconds between sensor ticks"
    )
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
        from chairside.release.publish import publish
        from chairside.release.readers import CurrentRelease
        from chairside.settings import KafkaSettings, load_settings
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
        releases = load_settings().releases
        readers_see = CurrentRelease(releases.root, "analyst")
        publishing: list[float] = []

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
            first_tick = time.monotonic()
            loop = 0
            while player.is_alive() or published:
                # the first sensor tick after the previous run ended
                ticks = -(-(time.monotonic() - first_tick) // args.sensor_interval)
                time.sleep(max(0.0, first_tick + ticks * args.sensor_interval - time.monotonic()))
                started = time.monotonic()
                with duckdb.connect(str(warehouse)) as con:
                    ingest(con, kafka)
                _dbt_build()
                loop += 1
                before_publish = time.monotonic()
                publish(warehouse, releases, run_id=f"bench-{loop:05d}", as_of=None)
                publishing.append(time.monotonic() - before_publish)
                with duckdb.connect(os.fspath(readers_see), read_only=True) as con:
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
        f"Kafka publish -> published release p50 {cuts[49]:.1f} s, p95 {cuts[94]:.1f} s, "
        f"max {max(latencies):.1f} s (sensor every {args.sensor_interval:g} s included); "
        f"run (ingest + dbt build + publish) median {statistics.median(periods):.1f} s over "
        f"{len(periods)} runs, of which publishing median {statistics.median(publishing):.1f} s"
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
