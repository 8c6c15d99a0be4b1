"""`chairside campaign export`: an audience by rule, recorded as a campaign with a random 10%
control held back, and the treated clients written to CSV for the owner's mailing tool."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from chairside.presentation.campaigns.rules import NO_BIRTHDAY, RULES


class RuleChoice(click.Choice):
    """The rules, and the one a user may look for in vain (birthday month) answered in words."""

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, str) and value.lower().startswith("birthday"):
            self.fail(NO_BIRTHDAY, param, ctx)
        return super().convert(value, param, ctx)


@click.group("campaign", epilog=NO_BIRTHDAY)
def campaign_group() -> None:
    """Campaigns that measure themselves (fct_campaign_results)."""


@campaign_group.command("export", epilog=NO_BIRTHDAY)
@click.option("--shop", "shop_id", required=True, help="The shop whose clients to reach.")
@click.option(
    "--rule",
    type=RuleChoice(RULES),
    required=True,
    help="Who is eligible: winnable At-Risk clients, Lapsed clients among the shop's top 20% "
    "by lifetime revenue, or clients of --service who never had --pair. No birthday month: "
    "the sources hold a birth year only.",
)
@click.option("--service", default=None, help="service_pair: the service they had.")
@click.option("--pair", default=None, help="service_pair: the service they never had.")
@click.option(
    "--on",
    "exported_on",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="The export day [default: today in the shop, on the one clock].",
)
@click.option(
    "--to",
    "target",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="CSV file of the clients to contact.",
)
def export_command(
    shop_id: str,
    rule: str,
    service: str | None,
    pair: str | None,
    exported_on: dt.datetime | None,
    target: Path,
) -> None:
    """Record a campaign (rule, day, every eligible client and their arm) and write the treated
    clients to CSV; the control is held back and never written. Results appear in
    fct_campaign_results once 30 days have passed."""
    from chairside.core.settings import load_settings
    from chairside.core.warehouse import WarehouseUnavailable, connect
    from chairside.presentation.analytics.catalog import load_catalog
    from chairside.presentation.analytics.safe_csv import to_csv
    from chairside.presentation.campaigns.audiences import eligible
    from chairside.presentation.campaigns.split import CONTROL_SHARE, split
    from chairside.presentation.campaigns.store import CampaignExists, campaign_id, record

    settings = load_settings()
    try:
        shops = load_catalog(settings.duckdb_path).shops.set_index("shop_id")
        if shop_id not in shops.index:
            raise click.ClickException(f"No shop {shop_id!r}; shops: {', '.join(shops.index)}")
        day = (
            exported_on.date()
            if exported_on
            else settings.clock.today(shops.loc[shop_id, "time_zone"])
        )
        audience = eligible(settings.duckdb_path, shop_id, rule, service, pair)
    except (ValueError, WarehouseUnavailable) as error:
        raise click.ClickException(str(error)) from error
    drawn = split(campaign_id(shop_id, rule, day), audience["customer_key"], CONTROL_SHARE)
    try:
        with connect(settings.duckdb_path) as con:
            key = record(con, shop_id, rule, day, drawn, CONTROL_SHARE)
    except CampaignExists as error:
        raise click.ClickException(str(error)) from error
    treated = audience[audience["customer_key"].isin(drawn.treated)]
    target.write_bytes(to_csv(treated))
    click.echo(
        f"Campaign {key}: {len(audience)} eligible, {len(treated)} exported to {target}, "
        f"{len(drawn.control)} held back as control (seed {drawn.seed})."
    )
