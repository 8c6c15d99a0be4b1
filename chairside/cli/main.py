"""`chairside`: the command line an operator (and `make demo`) uses.

Heavy imports (Dagster, dbt, the generator) happen inside the commands, so `--help` is instant.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from chairside.cli.campaign import campaign_group
from chairside.cli.inbox import inbox_group
from chairside.cli.payroll import payroll_command
from chairside.cli.webhooks import webhooks_group
from chairside.core.settings import CassandraSettings, KafkaSettings, Settings, load_settings
from chairside.presentation.release.commands import export_command, publish_command
from ingestion.kafka.client import CLIENT_NAMES, DEFAULT_CLIENT
from ml.clv.score_command import score_command
from ml.forecast.csv_command import forecast_command

if TYPE_CHECKING:
    from chairside.demo import DemoDataset


def _dagster_home(settings: Settings) -> Path:
    """Runs land in DAGSTER_HOME so `dagster dev` shows them (default: under data/)."""
    home = Path(os.environ.get("DAGSTER_HOME") or settings.data_dir / "dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    instance_config = home / "dagster.yaml"
    if not instance_config.exists():
        shutil.copyfile(
            Path(__file__).parents[2] / "orchestration" / "dagster.yaml", instance_config
        )
    os.environ["DAGSTER_HOME"] = str(home)
    return home


AS_OF_OPTION = click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Run as of this date: what had happened before it began, and its weeks, scores and "
    "snapshot as they were then [default: CHAIRSIDE_AS_OF, else today in each shop].",
)


@click.group()
def main() -> None:
    """Chairside: ingestion, warehouse, forecasts and client value for barber shops and salons."""


main.add_command(inbox_group)
main.add_command(score_command)
main.add_command(forecast_command)
main.add_command(publish_command)
main.add_command(export_command)
main.add_command(webhooks_group)
main.add_command(payroll_command)
main.add_command(campaign_group)


def _demo_options(command):
    for option in reversed(
        [
            click.option(
                "--seed", default=7, show_default=True, help="Random seed; same seed, same data."
            ),
            click.option("--shops", default=3, show_default=True, help="Number of shops."),
            click.option("--years", default=2.0, show_default=True, help="Years of history."),
            click.option(
                "--end-date",
                type=click.DateTime(["%Y-%m-%d"]),
                default=None,
                help="Last day of history; the run is then as of the day after "
                "[default: yesterday, UTC, on the clock CHAIRSIDE_AS_OF pins].",
            ),
        ]
    ):
        command = option(command)
    return command


def _generate(settings: Settings, seed: int, shops: int, years: float, end: dt.date) -> DemoDataset:
    from chairside.demo import DemoConfig, generate, write_dataset

    config = DemoConfig(seed=seed, shops=shops, years=years, end_date=end)
    click.echo(f"Generating demo data: {shops} shops, {years:g} years to {end}, seed {seed}")
    dataset = generate(config, progress=lambda message: click.echo(f"  {message}", err=True))
    demo_dir = settings.data_dir / "demo"
    written = write_dataset(
        dataset, inbox_dir=settings.inbox, events_dir=demo_dir / "events", crm_dir=demo_dir / "crm"
    )
    click.echo(f"  inbox spreadsheets -> {settings.inbox}")
    click.echo(f"  Kafka events (JSON lines) -> {demo_dir / 'events'}")
    click.echo(f"  CRM rows (JSON lines) -> {demo_dir / 'crm'}")
    if settings.cassandra is not None:
        _write_crm(settings.cassandra, dataset)
    click.echo(f"  {written}")
    return dataset


def _write_crm(cassandra: CassandraSettings, dataset: DemoDataset) -> None:
    """The CRM rows into the configured cluster too, where the Cassandra assets read them."""
    from chairside.demo.crm_seed import seed_crm
    from ingestion.cassandra.session import CassandraUnavailable

    try:
        customers, inquiries = seed_crm(
            cassandra,
            (row.as_row() for row in dataset.cassandra_customers),
            (row.as_row() for row in dataset.cassandra_inquiries),
        )
    except CassandraUnavailable as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"  CRM rows -> Cassandra {', '.join(cassandra.hosts)} keyspace {cassandra.keyspace}: "
        f"{customers} customers, {inquiries} inquiries"
    )


@main.command("generate")
@_demo_options
def generate_command(seed: int, shops: int, years: float, end_date) -> None:
    """Write demo source data (inbox spreadsheets, events, CRM rows)."""
    settings = load_settings()
    _generate(settings, seed, shops, years, _demo_end(settings, end_date))


def _demo_end(settings: Settings, end_date: dt.datetime | None) -> dt.date:
    """The demo's last day: the one given, else yesterday (UTC) on the settings' clock."""
    if end_date is not None:
        return end_date.date()
    return settings.clock.today("UTC") - dt.timedelta(days=1)


@main.command("run")
@AS_OF_OPTION
def run_command(as_of: dt.datetime | None) -> None:
    """Run the whole pipeline once: ingest, build the warehouse, run the checks, forecast and
    score."""
    _run(load_settings(), as_of.date() if as_of else None)


def _run(settings: Settings, as_of: dt.date | None, run_config: dict | None = None) -> None:
    home = _dagster_home(settings)
    from orchestration.run import run_pipeline

    pinned = as_of or settings.clock.as_of
    when = f"as of {pinned}" if pinned else "as of today in each shop"
    click.echo(f"Running the pipeline {when} (Dagster home {home}) ...")
    result = run_pipeline(run_config=run_config, as_of=as_of)
    if not result.success:
        failed = [event.step_key for event in result.all_events if event.is_step_failure]
        click.echo(f"Pipeline run {result.run_id} failed in {failed}; see `dagster dev`.", err=True)
        sys.exit(1)
    click.echo(f"Pipeline run {result.run_id} succeeded.")


# A fresh demo has had one run: its forecasts also include the one the Monday before would have
# made (from the weeks ended by then), so this week's snapshot holds last week against it.
DEMO_RUN_CONFIG = {"ops": {"marts__fct_forecasts": {"config": {"weeks_back": 1}}}}


@main.command("demo")
@_demo_options
def demo_command(seed: int, shops: int, years: float, end_date) -> None:
    """Generate demo data, run the whole pipeline on it and say where to look. With --end-date
    the run is as of the day after it, so the same command shows the same weeks on any day."""
    settings = load_settings()
    end = _demo_end(settings, end_date)
    dataset = _generate(settings, seed, shops, years, end)
    _record_played_campaigns(settings, dataset)
    events = sorted((settings.data_dir / "demo" / "events").glob("*.jsonl"))
    as_of = end + dt.timedelta(days=1) if end_date is not None else None
    with _demo_kafka(settings, events) as kafka:
        _publish(kafka, events)
        _run(settings, as_of, DEMO_RUN_CONFIG)
    _snapshots(settings, as_of)
    _report(settings)


def _record_played_campaigns(settings: Settings, dataset: DemoDataset) -> None:
    """The demo's past campaigns into the warehouse's register, as their exports would have
    recorded them, so the run measures them in fct_campaign_results."""
    from chairside.core.warehouse import connect
    from chairside.demo.campaigns import record_played

    with connect(settings.duckdb_path) as con:
        written = record_played(con, dataset.campaigns)
    click.echo(f"  {written} past campaigns -> the campaign register ({settings.duckdb_path})")


@contextmanager
def _demo_kafka(settings: Settings, events: list[Path]) -> Iterator[KafkaSettings]:
    """The configured Kafka, or else a local broker in this process (librdkafka's mock cluster
    on loopback) sized for the events and announced to the pipeline run through
    CHAIRSIDE_KAFKA_BOOTSTRAP. Its offsets start at zero, so the warehouse forgets the offsets
    and dead letters of any earlier broker; events already loaded are skipped by event_id."""
    if settings.kafka is not None:
        yield settings.kafka
        return
    from chairside.contracts.topics import TOPICS
    from chairside.core.warehouse import connect
    from chairside.demo.local_broker import LocalKafkaBroker, partitions_for
    from ingestion.kafka import store

    with connect(settings.duckdb_path) as con:
        store.ensure_schema(con)
        store.forget_broker(con)
    partitions = partitions_for(max((path.stat().st_size for path in events), default=0))
    with LocalKafkaBroker({topic.name: partitions for topic in TOPICS}) as broker:
        click.echo(f"Local Kafka broker on {broker.bootstrap}, {partitions} partitions per topic")
        os.environ["CHAIRSIDE_KAFKA_BOOTSTRAP"] = broker.bootstrap
        try:
            yield KafkaSettings(bootstrap=(broker.bootstrap,))
        finally:
            del os.environ["CHAIRSIDE_KAFKA_BOOTSTRAP"]


@main.group("kafka")
def kafka_group() -> None:
    """Publish events to Kafka (replay, backfill) or ingest them once outside Dagster."""


def _kafka_settings(settings: Settings) -> KafkaSettings:
    if settings.kafka is None:
        raise click.ClickException("CHAIRSIDE_KAFKA_BOOTSTRAP is not set; see .env.example.")
    return settings.kafka


@kafka_group.command("publish")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--topic", help="Publish every file to this topic [default: the file's name].")
def kafka_publish_command(files: tuple[Path, ...], topic: str | None) -> None:
    """Publish JSON-lines FILES (one message value per line, as `generate` writes
    <topic>.jsonl), keyed by their entity id. Replayed events are loaded once."""
    _publish(_kafka_settings(load_settings()), list(files), topic)


def _publish(kafka: KafkaSettings, files: list[Path], topic_name: str | None = None) -> None:
    from chairside.contracts.topics import topic_named
    from ingestion.kafka.producer import Publisher, PublishFailed, read_jsonl, topic_of_file

    try:
        topics = [topic_named(topic_name) if topic_name else topic_of_file(p) for p in files]
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
    try:
        with Publisher(kafka) as publisher:
            for path, topic in zip(files, topics, strict=True):
                count = publisher.send(topic, read_jsonl(path, topic))
                click.echo(f"  {count} messages from {path.name} -> Kafka {topic.name}")
    except PublishFailed as error:
        raise click.ClickException(str(error)) from error


@kafka_group.command("ingest")
@click.option(
    "--client", type=click.Choice(CLIENT_NAMES), default=DEFAULT_CLIENT, show_default=True
)
@click.option("--max-records", type=click.IntRange(min=1), help="Most messages per topic.")
@click.option(
    "--max-seconds", type=click.FloatRange(min=0, min_open=True), help="Longest run per topic."
)
@click.option("--chunk-records", type=click.IntRange(min=1), help="Messages per transaction.")
def kafka_ingest_command(
    client: str, max_records: int | None, max_seconds: float | None, chunk_records: int | None
) -> None:
    """Consume every topic once into the warehouse, as the Kafka assets do."""
    import dataclasses

    from chairside.core.warehouse import connect
    from ingestion.kafka.client import KafkaUnavailable
    from ingestion.kafka.consumer import Limits, ingest

    settings = load_settings()
    kafka = _kafka_settings(settings)
    bounds = {
        "max_records": max_records,
        "max_seconds": max_seconds,
        "chunk_records": chunk_records,
    }
    limits = dataclasses.replace(Limits(), **{k: v for k, v in bounds.items() if v is not None})
    try:
        with connect(settings.duckdb_path) as con:
            reports = ingest(con, kafka, client=client, limits=limits)
    except KafkaUnavailable as error:
        raise click.ClickException(str(error)) from error
    for report in reports:
        click.echo(report.summary())


@main.command("simulate")
@click.option(
    "--rate",
    type=click.FloatRange(min=0, min_open=True),
    default=5.0,
    show_default=True,
    envvar="CHAIRSIDE_SIMULATOR_RATE",
    help="Kafka events per second [env CHAIRSIDE_SIMULATOR_RATE].",
)
@click.option(
    "--shops",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    envvar="CHAIRSIDE_SIMULATOR_SHOPS",
    help="Shops of the demo chain to play [env CHAIRSIDE_SIMULATOR_SHOPS].",
)
@click.option("--seed", type=int, help="Seed of the traffic [default: a new one each run].")
@click.option("--duration", type=click.FloatRange(min=0, min_open=True), help="Seconds to run.")
@click.option("--max-events", type=click.IntRange(min=1), help="Events to publish, then stop.")
def simulate_command(
    rate: float, shops: int, seed: int | None, duration: float | None, max_events: int | None
) -> None:
    """Play live shop traffic into Kafka (and the CRM when CHAIRSIDE_CASSANDRA_HOSTS is set)
    until SIGINT/SIGTERM, or for a bounded run."""
    import signal
    import threading

    from chairside.demo.simulator import SimulatorConfig, simulate
    from ingestion.cassandra.session import CassandraUnavailable
    from ingestion.kafka.producer import PublishFailed

    settings = load_settings()
    kafka = _kafka_settings(settings)
    stop = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stop.set())
    config = SimulatorConfig(
        rate=rate, shops=shops, seed=seed, duration=duration, max_events=max_events
    )
    crm = "Cassandra " + ", ".join(settings.cassandra.hosts) if settings.cassandra else None
    click.echo(
        f"Simulating {shops} shops at {rate:g} events/s into Kafka {', '.join(kafka.bootstrap)}"
        f"{' and ' + crm if crm else '; CRM rows skipped: CHAIRSIDE_CASSANDRA_HOSTS is not set'}"
    )
    try:
        report = simulate(config, kafka, settings.cassandra, stop)
    except (PublishFailed, CassandraUnavailable) as error:
        raise click.ClickException(str(error)) from error
    click.echo(report.summary())


@main.command("apps")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=2718, show_default=True)
def apps_command(host: str, port: int) -> None:
    """Serve the apps: a home page listing them, each app at its own path (/overview, ...)."""
    import uvicorn

    from chairside.presentation.analytics.server import build

    click.echo(f"Chairside apps on http://{host}:{port}/")
    uvicorn.run(build(), host=host, port=port, log_level="warning")


def _snapshots(settings: Settings, as_of: dt.date | None) -> None:
    from orchestration.run import write_snapshots

    result = write_snapshots(as_of=as_of)
    if not result.success:
        click.echo(f"Owner snapshots run {result.run_id} failed; see `dagster dev`.", err=True)
        sys.exit(1)
    (materialization,) = result.asset_materializations_for_node("reports__owner_snapshots")
    files = materialization.metadata["files"].value
    skipped = materialization.metadata["skipped"].value
    click.echo("\nThis week's owner snapshots:")
    for shop_id, path in sorted(files.items()):
        click.echo(f"  {shop_id:<20} {path}")
    for shop_id, reason in sorted(skipped.items()):
        click.echo(f"  {shop_id:<20} none: {reason}")


def _report(settings: Settings) -> None:
    from chairside.core.warehouse import read_frame

    counts = read_frame(
        settings.duckdb_path,
        """
        select s.shop_id, s.shop_name, count(i.inquiry_key) as inquiries
        from marts.dim_shop s left join marts.fct_inquiries i using (shop_id)
        group by all order by s.shop_id
        """,
    )
    click.echo("\nInquiries per shop in marts.fct_inquiries:")
    for row in counts.itertuples():
        click.echo(f"  {row.shop_id:<20} {row.inquiries:>7}  {row.shop_name}")
    click.echo(
        "\nWhere to look:\n"
        f"  warehouse   duckdb {settings.duckdb_path}\n"
        "              (raw_kafka, raw_cassandra, raw_inbox, ops, staging, intermediate, marts)\n"
        f"  release     {settings.releases.root}/current  (what readers see; chairside publish)\n"
        "  Dagster     make dagster        (http://127.0.0.1:3000)\n"
        "  apps        make apps           (marimo, http://127.0.0.1:2718)\n"
        "  MLflow      make mlflow         (http://127.0.0.1:5000)"
    )
