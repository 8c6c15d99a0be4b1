"""`chairside payroll`: a pay period's payouts as CSV for payroll, from the warehouse marts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click


@click.command("payroll")
@click.option(
    "--period-start",
    type=click.DateTime(["%Y-%m-%d"]),
    required=True,
    help="First day (a Monday) of the pay period.",
)
@click.option("--shop", "shop_id", default=None, help="One shop only [default: every shop].")
@click.option(
    "--to",
    "target",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="CSV file to write.",
)
def payroll_command(period_start: dt.datetime, shop_id: str | None, target: Path) -> None:
    """Write one pay period's payouts (service revenue, commission %, commission, tips, payout)
    to a CSV file. Members without a commission % on the roster are listed as not payable and
    the command exits 1 once the file is written."""
    from chairside.core.settings import load_settings
    from chairside.core.warehouse import WarehouseUnavailable
    from chairside.presentation.analytics.payroll import NoSuchPayPeriod, payroll_csv, payroll_frame

    settings = load_settings()
    try:
        frame = payroll_frame(settings.duckdb_path, period_start.date(), shop_id)
    except (NoSuchPayPeriod, WarehouseUnavailable) as error:
        raise click.ClickException(str(error)) from error
    target.write_bytes(payroll_csv(frame))
    click.echo(f"{len(frame)} payouts of the period from {period_start.date()} -> {target}")
    unpayable = frame[frame["status"].str.startswith("NOT PAYABLE")]
    for row in unpayable.itertuples():
        click.echo(f"{row.shop_id} {row.staff_id}: {row.status}", err=True)
    if not unpayable.empty:
        raise SystemExit(1)
