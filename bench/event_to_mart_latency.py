"""Event-to-release latency in the embedded setup: from a booking's publish to Kafka to its row
in marts.fct_appointments of the published release readers see.

    python bench/event_to_mart_latency.py --rate 5 --seconds 60

A small demo warehouse is built first (the `warehouse_build` job, so dim_shop and every raw
table exist, and a first release is published); then the simulator plays into a local
Kafka-protocol broker in a thread while the loop does what the daemon does: on every tick of
`--sensor-interval` seconds (5, as `kafka_lag_sensor` is declared) it evaluates the sensor, and
runs the `event_refresh` job it requests (Kafka ingestion, the dbt build of the models downstream
of the Kafka sources with their tests, the quality checks, publishing the release) in this
process, the next tick coming once the run has ended. Every `appointment.booked` is a sample; it
counts once the release readers see has it, so the wait for a tick is in every sample.

Besides p50/p95 it prints where a run's time goes: the sensor, each step, dbt's start (process,
imports, parse) against its models and tests (from run_results.json), and the run's overhead
around its steps. Not in the samples: the process a deployment's run launcher starts per run;
its start (importing the definitions) is measured once and printed beside them.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).parents[1]
DBT_TARGET = ROOT / "dbt_project" / "target"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=5.0, help="simulator events per second")
    parser.add_argument("--seconds", type=float, default=120.0, help="how long to simulate")
    parser.add_argument(
        "--sensor-interval", type=float, default=5.0, help="seconds between sensor ticks"
    )
    parser.add_argument(
        "--job",
        default="event_refresh",
        help="the job run on a sensor request: `warehouse_build` measures the whole build the "
        "sensor used to start, for comparison",
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
        os.environ.pop("CHAIRSIDE_KAFKA_BOOTSTRAP", None)  # the first build: inbox only
        import dagster as dg
        import duckdb

        from chairside.contracts.topics import TOPICS
        from chairside.core.settings import load_settings
        from chairside.demo import DemoConfig, generate, write_dataset
        from chairside.demo.local_broker import LocalKafkaBroker
        from chairside.demo.simulator import SimulatorConfig, simulate
        from chairside.demo.simulator.envelopes import LiveEvent
        from chairside.presentation.release.readers import CurrentRelease
        from orchestration.definitions import defs
        from orchestration.defs.ingestion.kafka import KafkaResource
        from orchestration.defs.ingestion.kafka_sensors import kafka_lag_sensor

        demo = generate(DemoConfig(seed=7, shops=3, years=0.1))
        write_dataset(
            demo, inbox_dir=data / "inbox", events_dir=data / "events", crm_dir=data / "crm"
        )
        instance = dg.DagsterInstance.ephemeral()
        build = defs.resolve_job_def("warehouse_build").execute_in_process(
            instance=instance, raise_on_error=False
        )
        print(f"warehouse_build on the demo inbox: success={build.success}")
        readers_see = CurrentRelease(load_settings().releases.root, "analyst")
        event_job = defs.resolve_job_def(args.job)
        launch = _run_process_start()

        published: dict[str, float] = {}  # appointment_id -> publish time
        lock = threading.Lock()

        def on_published(event: LiveEvent) -> None:
            if event.event_type == "appointment.booked":
                with lock:
                    published[event.key] = time.monotonic()

        latencies: list[float] = []
        phases: dict[str, list[float]] = defaultdict(list)
        failed_runs: list[str] = []
        cursor: str | None = None
        with LocalKafkaBroker({topic.name: 6 for topic in TOPICS}) as broker:
            os.environ["CHAIRSIDE_KAFKA_BOOTSTRAP"] = broker.bootstrap
            kafka = load_settings().kafka
            assert kafka is not None
            config = SimulatorConfig(rate=args.rate, duration=args.seconds, seed=1)
            player = threading.Thread(
                target=simulate, args=(config, kafka), kwargs={"on_published": on_published}
            )
            player.start()
            first_tick = time.monotonic()
            runs = 0
            while player.is_alive() or published:
                # the first sensor tick after the previous run ended
                ticks = -(-(time.monotonic() - first_tick) // args.sensor_interval)
                time.sleep(max(0.0, first_tick + ticks * args.sensor_interval - time.monotonic()))
                tick = time.monotonic()
                evaluation = kafka_lag_sensor(
                    dg.build_sensor_context(
                        instance=instance, cursor=cursor, resources={"kafka": KafkaResource()}
                    )
                )
                phases["sensor evaluation"].append(time.monotonic() - tick)
                if not isinstance(evaluation, dg.SensorResult) or not evaluation.run_requests:
                    continue
                cursor = evaluation.cursor
                started = time.monotonic()
                result = event_job.execute_in_process(
                    instance=instance,
                    tags=evaluation.run_requests[0].tags,
                    raise_on_error=False,
                )
                runs += 1
                phases["run (in process)"].append(time.monotonic() - started)
                _record_steps(instance, result.run_id, phases)
                if not result.success:
                    failed_runs.append(result.run_id)
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
                if not player.is_alive() and not latencies and runs > 3:
                    break
            player.join()

    if failed_runs:
        print(f"{len(failed_runs)} {args.job} runs failed: {failed_runs}", file=sys.stderr)
    if not latencies:
        print("no sample reached marts.fct_appointments", file=sys.stderr)
        return 1
    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"{len(latencies)} bookings at {args.rate:g} events/s for {args.seconds:g} s: "
        f"Kafka publish -> published release p50 {cuts[49]:.1f} s, p95 {cuts[94]:.1f} s, "
        f"max {max(latencies):.1f} s (sensor every {args.sensor_interval:g} s included), "
        f"load average {_load()}"
    )
    print(f"where a run's time goes, median over {runs} {args.job} runs (s):")
    for phase, seconds in phases.items():
        print(f"  {phase:<42} {statistics.median(seconds):6.1f}")
    print(
        f"  {'not in the samples: a run process start':<42} {launch:6.1f}"
        "  (importing the definitions, as a launched run does)"
    )
    return 0


def _record_steps(instance, run_id: str, phases: dict[str, list[float]]) -> None:
    """Each step's wall time, dbt's split into start, models and tests, and the run's time
    outside its steps."""
    import dagster as dg

    records = instance.all_logs(
        run_id,
        of_type={
            dg.DagsterEventType.RUN_START,
            dg.DagsterEventType.RUN_SUCCESS,
            dg.DagsterEventType.RUN_FAILURE,
            dg.DagsterEventType.STEP_START,
            dg.DagsterEventType.STEP_SUCCESS,
            dg.DagsterEventType.STEP_FAILURE,
        },
    )
    begun: dict[str, float] = {}
    in_steps = 0.0
    run_span = [record.timestamp for record in records if not record.step_key]
    for record in records:
        if not record.step_key:
            continue
        if record.dagster_event.event_type == dg.DagsterEventType.STEP_START:
            begun[record.step_key] = record.timestamp
            continue
        seconds = record.timestamp - begun[record.step_key]
        in_steps += seconds
        phases[f"step {record.step_key}"].append(seconds)
        if record.step_key == "chairside_dbt_assets":
            _record_dbt(run_id, seconds, phases)
    if len(run_span) >= 2:
        phases["run overhead outside steps"].append(max(run_span) - min(run_span) - in_steps)


def _record_dbt(run_id: str, step_seconds: float, phases: dict[str, list[float]]) -> None:
    """dagster-dbt leaves each invocation's run_results.json in a target folder of its own."""
    for folder in DBT_TARGET.glob(f"chairside_dbt_assets-{run_id[:7]}-*"):
        results = json.loads((folder / "run_results.json").read_text())
        by_kind: dict[str, float] = defaultdict(float)
        counts: dict[str, int] = defaultdict(int)
        for node in results["results"]:
            kind = node["unique_id"].split(".")[0]
            by_kind[kind] += node["execution_time"]
            counts[kind] += 1
        phases["  dbt start (process, parse, connect)"].append(
            step_seconds - results["elapsed_time"]
        )
        phases["  dbt nodes, wall (2 threads)"].append(results["elapsed_time"])
        for kind in sorted(by_kind):
            phases[f"  dbt {counts[kind]} {kind}s, summed"].append(by_kind[kind])
        shutil.rmtree(folder)


def _run_process_start() -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", "import orchestration.definitions"], cwd=ROOT, check=True)
    return time.monotonic() - started


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
