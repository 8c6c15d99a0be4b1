"""The campaign register: what `fct_campaign_results` reads. Written only by an export, in one
transaction with its members, so a campaign is recorded whole or not at all."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from chairside.core.warehouse import transaction
from chairside.presentation.campaigns.split import Split

MACRO = Path(__file__).parents[3] / "dbt_project" / "macros" / "create_campaign_tables.sql"


def _macro_body(path: Path) -> str:
    """The SQL inside the dbt macro that creates the register before every build: the tables are
    declared once, there, and an export on a warehouse dbt has not built yet runs the same DDL."""
    text = path.read_text()
    start = text.index("%}", text.index("{% macro")) + 2
    body = text[start : text.index("{% endmacro")]
    if "{{" in body or "{%" in body:
        raise ValueError(f"{path}: the campaign DDL must stay plain SQL, without Jinja")
    return body


DDL = _macro_body(MACRO)


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
