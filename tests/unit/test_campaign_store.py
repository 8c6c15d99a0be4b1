"""The campaign register: recorded whole, once per shop, rule and day, in the tables dbt reads."""

import datetime as dt

import duckdb
import pytest

from chairside.presentation.campaigns.split import split
from chairside.presentation.campaigns.store import DDL, CampaignExists, record

DAY = dt.date(2026, 9, 1)


def columns(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select table_name, column_name, data_type, is_nullable from information_schema.columns "
        "where table_schema = 'ops' order by table_name, ordinal_position"
    ).fetchall()


def test_an_export_creates_the_tables_the_dbt_hook_declares() -> None:
    with duckdb.connect() as con:
        con.execute(DDL)
        assert columns(con) == [
            ("campaign_members", "campaign_id", "VARCHAR", "NO"),
            ("campaign_members", "customer_key", "VARCHAR", "YES"),
            ("campaign_members", "arm", "VARCHAR", "NO"),
            ("campaign_members", "customer_id", "VARCHAR", "YES"),
            ("campaigns", "campaign_id", "VARCHAR", "NO"),
            ("campaigns", "shop_id", "VARCHAR", "NO"),
            ("campaigns", "rule", "VARCHAR", "NO"),
            ("campaigns", "exported_on", "DATE", "NO"),
            ("campaigns", "control_share", "DOUBLE", "NO"),
            ("campaigns", "seed", "BIGINT", "NO"),
            ("campaigns", "created_at", "TIMESTAMP WITH TIME ZONE", "NO"),
        ]


def test_a_campaign_is_recorded_with_every_member_and_its_arm() -> None:
    drawn = split("water-st:at_risk:2026-09-01", [f"k{n}" for n in range(30)])
    with duckdb.connect() as con:
        key = record(con, "water-st", "at_risk", DAY, drawn, 0.1)
        assert key == "water-st:at_risk:2026-09-01"
        assert con.execute(
            "select shop_id, rule, exported_on, control_share, seed from ops.campaigns"
        ).fetchall() == [("water-st", "at_risk", DAY, 0.1, drawn.seed)]
        assert con.execute(
            "select arm, count(*) from ops.campaign_members group by arm order by arm"
        ).fetchall() == [("control", 3), ("treated", 27)]


def test_the_same_campaign_twice_is_refused_and_nothing_is_added() -> None:
    drawn = split("water-st:at_risk:2026-09-01", ["a", "b"])
    with duckdb.connect() as con:
        record(con, "water-st", "at_risk", DAY, drawn, 0.1)
        with pytest.raises(CampaignExists, match="already exported"):
            record(con, "water-st", "at_risk", DAY, drawn, 0.1)
        assert con.execute("select count(*) from ops.campaign_members").fetchone() == (2,)
