"""An alert fires once per crossing and stays fired: fct_shop_alerts built by the real dbt model
over a hand-made scorecard, again and again as the months go by, as the nightly job would.

Rebooking at harbour (target 60%): January on target, February below (an alert), March still
below (none), April on target again, May below (a second alert). Each build after the first sees
the history so far; the builds on later as-of dates are full refreshes (as every build on a new
date is), and a later correction of a month does not change an alert already raised.
"""

import datetime as dt
import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.integration

DBT_PROJECT = Path(__file__).parents[2] / "dbt_project"
TARGET = 0.60
REBOOKING = {  # month -> rate
    dt.date(2026, 1, 1): 0.65,
    dt.date(2026, 2, 1): 0.48,
    dt.date(2026, 3, 1): 0.50,
    dt.date(2026, 4, 1): 0.62,
    dt.date(2026, 5, 1): 0.40,
}


def months_known(con: duckdb.DuckDBPyConnection, as_of: dt.date, rates: dict) -> None:
    """The scorecard as a build on `as_of` sees it: the months that ended by then."""
    con.execute("delete from marts.fct_shop_scorecard")
    for month, rate in rates.items():
        end = (month + dt.timedelta(days=32)).replace(day=1)
        if end <= as_of:
            con.execute(
                "insert into marts.fct_shop_scorecard values "
                "('harbour', ?, ?, true, 4, 'rebooking', 'Rebooking', ?, ?, ?, 'Book more', null)",
                [month, end, rate, TARGET, min(rate / TARGET, 1.0)],
            )


def build(warehouse: Path, as_of: dt.date, rates: dict, full_refresh: bool) -> list[tuple]:
    with duckdb.connect(str(warehouse)) as con:
        months_known(con, as_of, rates)
    built = subprocess.run(
        [
            "dbt",
            "run",
            "--select",
            "fct_shop_alerts",
            "--vars",
            json.dumps({"as_of_date": as_of.isoformat()}),
            *(["--full-refresh"] if full_refresh else []),
        ],
        cwd=DBT_PROJECT,
        env={**os.environ, "CHAIRSIDE_DUCKDB_PATH": str(warehouse)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select alert_id, value, raised_on from marts.fct_shop_alerts order by month_start"
        ).fetchall()


def test_each_crossing_raises_one_alert_that_stays_raised(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.dim_shop (shop_id varchar, time_zone varchar)")
        con.execute("insert into marts.dim_shop values ('harbour', 'America/St_Johns')")
        con.execute(
            "create table marts.fct_shop_scorecard (shop_id varchar, month_start date, "
            "month_end date, is_complete boolean, principle_order integer, principle varchar, "
            "principle_name varchar, value decimal(14, 4), target decimal(14, 4), "
            "score decimal(5, 4), next_change varchar, health_score decimal(5, 4))"
        )

    feb = ("harbour:rebooking:2026-02", Decimal("0.4800"), dt.date(2026, 3, 2))
    # February fell below: raised the morning its month was complete
    assert build(warehouse, dt.date(2026, 3, 2), REBOOKING, full_refresh=True) == [feb]
    # the same build again raises nothing more
    assert build(warehouse, dt.date(2026, 3, 2), REBOOKING, full_refresh=False) == [feb]
    # March stays below: still the one alert, kept from the day it was raised
    assert build(warehouse, dt.date(2026, 4, 6), REBOOKING, full_refresh=True) == [feb]
    # April recovers: nothing to raise
    assert build(warehouse, dt.date(2026, 5, 4), REBOOKING, full_refresh=True) == [feb]
    # May falls again: a second alert, raised on its own day
    may = ("harbour:rebooking:2026-05", Decimal("0.4000"), dt.date(2026, 6, 1))
    assert build(warehouse, dt.date(2026, 6, 1), REBOOKING, full_refresh=True) == [feb, may]
    # a late correction of May (still below): the alert stays as it was raised, once
    corrected = REBOOKING | {dt.date(2026, 5, 1): 0.45}
    assert build(warehouse, dt.date(2026, 6, 2), corrected, full_refresh=True) == [feb, may]
