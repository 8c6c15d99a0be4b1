"""fct_campaign_results recovers a known effect: campaigns played on simulated clients whose
chance of a visit within 30 days is 30% held back and 40% when contacted (a true lift of +10
points), split by the product's own seeded control draw and measured by the real dbt model.

Forty campaigns of 1,000 clients: their 95% intervals must hold the true lift about 95% of the
time (at least 34 of 40) and their mean lift must sit within 2 points of it; one campaign of
5,000 must tell the effect from none. The draws are seeded, so the run is the same every time.
"""

import datetime as dt
import os
import subprocess
from pathlib import Path

import duckdb
import numpy as np
import pytest

from chairside.presentation.campaigns.split import split
from chairside.presentation.campaigns.store import record

pytestmark = pytest.mark.integration

DBT_PROJECT = Path(__file__).parents[2] / "dbt_project"
BASE, TRUE_LIFT = 0.30, 0.10
# shop-local export day -> eligible clients: one big campaign, then forty weekly ones
CAMPAIGNS = {dt.date(2025, 1, 6): 5000} | {
    dt.date(2025, 1, 13) + dt.timedelta(weeks=n): 1000 for n in range(40)
}
AS_OF = "2026-11-16"


def play(con: duckdb.DuckDBPyConnection) -> None:
    rng = np.random.default_rng(18)
    con.execute("create schema marts")
    con.execute("create table marts.dim_shop (shop_id varchar, time_zone varchar)")
    con.execute("insert into marts.dim_shop values ('harbour', 'America/St_Johns')")
    # members recorded by an export need no identity resolution: the map can be empty
    con.execute("create schema intermediate")
    con.execute(
        "create table intermediate.int_customers__identity_map "
        "(source varchar, source_id varchar, customer_key varchar)"
    )
    con.execute(
        "create table marts.fct_appointments "
        "(customer_key varchar, status varchar, service_date date)"
    )
    visits = []
    for day, size in CAMPAIGNS.items():
        keys = [f"{day}-{n}" for n in range(size)]
        drawn = split(f"harbour:at_risk:{day}", keys)
        record(con, "harbour", "at_risk", day, drawn, 0.1)
        for arm, chance in ((drawn.treated, BASE + TRUE_LIFT), (drawn.control, BASE)):
            for key in arm:
                if rng.random() < chance:  # a visit inside the 30 days
                    visits.append((key, "completed", day + dt.timedelta(int(rng.integers(30)))))
                else:  # a visit after it, or a no-show inside it: neither is a response
                    later = day + dt.timedelta(int(rng.integers(30, 90)))
                    visits.append((key, "completed", later))
                    visits.append((key, "no_show", day + dt.timedelta(int(rng.integers(30)))))
    con.executemany("insert into marts.fct_appointments values (?, ?, ?)", visits)


def test_the_measured_lift_holds_the_true_one(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        play(con)
    built = subprocess.run(
        [
            "dbt",
            "run",
            "--select",
            "stg_campaigns__campaigns stg_campaigns__campaign_members int_campaigns__members "
            "fct_campaign_results",
            "--vars",
            f'{{"as_of_date": "{AS_OF}"}}',
        ],
        cwd=DBT_PROJECT,
        env={**os.environ, "CHAIRSIDE_DUCKDB_PATH": str(warehouse)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select exported_on, treated_clients, control_clients, lift, lift_lower_95, "
            "lift_upper_95 from marts.fct_campaign_results order by exported_on"
        ).fetchall()
    assert [row[0] for row in rows] == list(CAMPAIGNS)
    for day, treated, control, lift, lower, upper in rows:
        assert treated + control == CAMPAIGNS[day]
        assert control == round(CAMPAIGNS[day] * 0.1)
        assert lower < lift < upper
    (_, _, _, big_lift, big_lower, big_upper), *weekly = rows
    covered = sum(lower <= TRUE_LIFT <= upper for *_, lower, upper in weekly)
    mean_lift = sum(float(row[3]) for row in weekly) / len(weekly)
    print(f"5,000 clients: lift {big_lift} [{big_lower}, {big_upper}]")
    print(f"40 x 1,000: {covered} of 40 intervals hold +0.10; mean lift {mean_lift:.4f}")
    assert big_lower > 0 and big_lower <= TRUE_LIFT <= big_upper
    assert covered >= 34
    assert abs(mean_lift - TRUE_LIFT) < 0.02
