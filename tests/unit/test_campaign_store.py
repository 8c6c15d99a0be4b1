"""The campaign register: recorded whole, once per shop, rule and day, in the tables dbt reads."""

import datetime as dt
import re

import duckdb
import pytest

from chairside.campaigns.split import split
from chairside.campaigns.store import DDL, MACRO, CampaignExists, record

DAY = dt.date(2026, 9, 1)


def columns(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select table_name, column_name, data_type, is_nullable from information_schema.columns "
        "where table_schema = 'ops' order by table_name, ordinal_position"
    ).fetchall()


def test_the_python_ddl_and_the_dbt_hook_make_the_same_tables() -> None:
    body = re.search(r"%}(.*){% endmacro", MACRO.read_text(), re.S).group(1)
    with duckdb.connect() as from_dbt, duckdb.connect() as from_python:
        from_dbt.execute(body)
        from_python.execute(DDL)
        assert columns(from_dbt) == columns(from_python)


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
