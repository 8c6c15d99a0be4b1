"""`chairside`: the command line an operator (and `make demo`) uses.

Heavy imports (Dagster, dbt, the generator) happen inside the commands, so `--help` is instant.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from chairside.settings import Settings, load_settings


def _dagster_home(settings: Settings) -> Path:
    """Runs land in DAGSTER_HOME so `dagster dev` shows them (default: under data/)."""
    home = Path(os.environ.get("DAGSTER_HOME") or settings.data_dir / "dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def _yesterday() -> dt.date:
    return dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)


@click.group()
def main() -> None:
    """Chairside: ingestion, warehouse, forecasts and client value for barber shops and salons."""


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
                help="Last day of history [default: yesterday, UTC].",
            ),
        ]
    ):
        command = option(command)
    return command


def _generate(settings: Settings, seed: int, shops: int, years: float, end_date) -> None:
    from chairside.demo import DemoConfig, generate, write_dataset

    end = end_date.date() if end_date else _yesterday()
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
    click.echo(f"  {written}")


@main.command("generate")
@_demo_options
def generate_command(seed: int, shops: int, years: float, end_date) -> None:
    """Write demo source data (inbox spreadsheets, events, CRM rows)."""
    _generate(load_settings(), seed, shops, years, end_date)


@main.command("run")
def run_command() -> None:
    """Run the whole pipeline once: ingest, build the warehouse, run the checks."""
    settings = load_settings()
    _run(settings)


def _run(settings: Settings) -> None:
    home = _dagster_home(settings)
    from orchestration.run import run_pipeline

    click.echo(f"Running the pipeline (Dagster home {home}) ...")
    result = run_pipeline()
    if not result.success:
        failed = [event.step_key for event in result.all_events if event.is_step_failure]
        click.echo(f"Pipeline run {result.run_id} failed in {failed}; see `dagster dev`.", err=True)
        sys.exit(1)
    click.echo(f"Pipeline run {result.run_id} succeeded.")


@main.command("demo")
@_demo_options
def demo_command(seed: int, shops: int, years: float, end_date) -> None:
    """Generate demo data, run the whole pipeline on it and say where to look."""
    settings = load_settings()
    _generate(settings, seed, shops, years, end_date)
    _run(settings)
    _report(settings)


def _report(settings: Settings) -> None:
    from chairside.warehouse import read_frame

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
        f"  warehouse   duckdb {settings.duckdb_path} (schemas raw_inbox, ops, staging, marts)\n"
        "  Dagster     make dagster        (http://127.0.0.1:3000)\n"
        "  apps        make apps           (marimo, http://127.0.0.1:2718)\n"
        "  MLflow      make mlflow         (http://127.0.0.1:5000)"
    )
