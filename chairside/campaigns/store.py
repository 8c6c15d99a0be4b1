"""The campaign register: what `fct_campaign_results` reads. Written only by an export, in one
transaction with its members, so a campaign is recorded whole or not at all."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from chairside.campaigns.split import Split
from chairside.warehouse import transaction

# The same tables as dbt_project/macros/create_campaign_tables.sql (checked by a unit test).
DDL = """
create schema if not exists ops;
create table if not exists ops.campaigns (
    campaign_id varchar not null,
    shop_id varchar not null,
    rule varchar not null,
    exported_on date not null,
    control_share double not null,
    seed bigint not null,
    created_at timestamptz not null
);
create table if not exists ops.campaign_members (
    campaign_id varchar not null,
    customer_key varchar,
    arm varchar not null,
    customer_id varchar
);
-- a member is recorded by its resolved client (an export) or by the booking system's
-- customer id (a campaign played or run elsewhere: int_campaigns__members resolves it);
-- a register made before the customer id was added gets it
alter table ops.campaign_members add column if not exists customer_id varchar;
alter table ops.campaign_members alter column customer_key drop not null;
"""

MACRO = Path(__file__).parents[2] / "dbt_project" / "macros" / "create_campaign_tables.sql"


class CampaignExists(ValueError):
    """A campaign of that shop, rule and day is already recorded."""


def campaign_id(shop_id: str, rule: str, exported_on: dt.date) -> str:
    return f"{shop_id}:{rule}:{exported_on.isoformat()}"


def record(
    con: duckdb.DuckDBPyConnection,
    shop_id: str,
    rule: str,
    exported_on: dt.date,
    drawn: Split,
    share: float,
) -> str:
    """Record the campaign and every eligible client with their arm; returns its id."""
    con.execute(DDL)
    key = campaign_id(shop_id, rule, exported_on)
    (exists,) = con.execute(
        "select count(*) from ops.campaigns where campaign_id = ?", [key]
    ).fetchone()
    if exists:
        raise CampaignExists(
            f"Campaign {key} was already exported: one campaign per shop, rule and day."
        )
    members = [(key, k, "treated") for k in drawn.treated] + [
        (key, k, "control") for k in drawn.control
    ]
    with transaction(con):
        con.execute(
            "insert into ops.campaigns values (?, ?, ?, ?, ?, ?, now())",
            [key, shop_id, rule, exported_on, share, drawn.seed],
        )
        if members:
            con.executemany(
                "insert into ops.campaign_members (campaign_id, customer_key, arm) "
                "values (?, ?, ?)",
                members,
            )
    return key
