"""The one clock, end to end on the demo warehouse.

* Long after the demo's last day (40 and 400 days), the apps' queries, the owner snapshot and
  client scoring still report the demo's last complete week, or say plainly that a range has
  none: never a week of zeros.
* `chairside run --as-of 2026-11-02` on the full demo gives the same weekly metrics, clients,
  scores and snapshot as a run made that day, on a warehouse that held only what had happened
  before 2 November began in each shop.
"""

import datetime as dt
import subprocess
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from chairside.core.clock import Clock
from chairside.presentation.analytics.catalog import load_catalog
from chairside.presentation.analytics.kpis import week_in_context
from chairside.presentation.snapshot.content import build_snapshot
from chairside.presentation.snapshot.render import render_html
from orchestration.defs.ml.customer_scores import fct_customer_scores
from orchestration.defs.ml.resources import MlflowResource
from orchestration.defs.resources import ClockResource, WarehouseResource
from tests.integration.conftest import CHAIRSIDE, DEMO_END, DemoBuild, isolated_environment

pytestmark = pytest.mark.integration

END = dt.date.fromisoformat(DEMO_END)  # a Sunday: the demo's last week is complete
LAST_WEEK = END - dt.timedelta(days=6)
NOV_2 = dt.date(2026, 11, 2)
DAY = dt.timedelta(days=1)


@pytest.mark.parametrize("days_later", [40, 400])
def test_long_after_the_data_ends_the_apps_and_snapshot_show_its_last_complete_week(
    demo_build: DemoBuild, days_later: int
) -> None:
    path = demo_build.settings.duckdb_path
    clock = Clock(END + dt.timedelta(days=days_later))
    catalog = load_catalog(path)
    shop_ids = tuple(catalog.shops["shop_id"])

    week = catalog.reporting_week(clock)
    assert week == LAST_WEEK
    context = week_in_context(path, shop_ids, week, [week - dt.timedelta(weeks=n) for n in (1, 0)])
    assert context.week["appointments_completed"] > 0
    assert context.week["revenue_total"] > 0
    assert context.week_before["appointments_completed"] > 0

    # a range after the data: no complete week, said as such rather than shown as zeros
    after = (LAST_WEEK + dt.timedelta(weeks=2), LAST_WEEK + dt.timedelta(weeks=4))
    assert catalog.reporting_week(clock, shop_ids, after) is None

    snapshot = build_snapshot(path, catalog, "water-st", clock)
    assert snapshot.week == LAST_WEEK
    assert snapshot.as_of == clock.as_of
    assert snapshot.last_week["appointments_completed"] > 0


@pytest.mark.parametrize("days_later", [40, 400])
def test_scoring_long_after_the_data_ends_scores_every_client_as_of_then(
    demo_build: DemoBuild, tmp_path: Path, days_later: int
) -> None:
    warehouse = demo_build.copy_warehouse(tmp_path)
    as_of = END + dt.timedelta(days=days_later)
    result = dg.materialize(
        [fct_customer_scores],
        resources={
            "warehouse": WarehouseResource(path=str(warehouse)),
            "mlflow": MlflowResource(tracking_uri=f"sqlite:///{tmp_path / 'mlflow.db'}"),
            "clock": ClockResource(as_of=as_of.isoformat()),
        },
    )
    assert result.success
    (materialization,) = result.asset_materializations_for_node("marts__fct_customer_scores")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        scores = con.execute(
            "select customer_key, segment from marts.fct_customer_scores where scoring_run_id = ?",
            [result.run_id],
        ).df()
        known = con.execute("select count(*) from marts.dim_customer where is_client").fetchone()[0]
    if days_later == 40:  # an ordinary Monday after a quiet month: every client scored
        assert materialization.metadata["observation_end"].value == (as_of - DAY).isoformat()
        assert scores["customer_key"].nunique() == len(scores) == known
    elif scores.empty:  # more than a year without a visit: no model to fit, said in words
        assert "clients" in materialization.metadata["skipped"].value
    else:  # or every client scored, and every one of them Lapsed
        assert len(scores) == known
        assert set(scores["segment"]) == {"Lapsed"}


def _known_before(path: Path, day: dt.date) -> None:
    """The warehouse as it stood when `day` began in each shop: every event that happened since,
    as ingestion would not yet have seen it, removed from the raw tables."""
    with duckdb.connect(str(path)) as con:
        for table in ("appointments", "calls", "customers"):
            con.execute(
                f"""
                delete from raw_kafka.{table} as e
                where e.occurred_at >= (
                    select timezone(s.time_zone, cast(? as timestamp))
                    from marts.dim_shop as s where s.shop_id = e.shop_id
                )
                """,
                [day],
            )


def _run_as_of(demo_build: DemoBuild, directory: Path, truncate: bool) -> Path:
    data = directory / "data"
    path = demo_build.copy_warehouse(data)
    if truncate:
        _known_before(path, NOV_2)
    completed = subprocess.run(
        [str(CHAIRSIDE), "run", "--as-of", NOV_2.isoformat()],
        cwd=directory,
        env=isolated_environment(data.resolve()),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return path


def _read(path: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).df()


WEEKLY = """
select * exclude (refreshed_at) from marts.fct_weekly_shop_metrics order by shop_id, week_start
"""
CLIENTS = """
select customer_key, visit_count, last_visit_date, days_since_last_visit, days_overdue
from marts.dim_customer order by customer_key
"""
SCORES = """
select * exclude (scoring_run_id, scored_at, mlflow_run_id)
from marts.fct_customer_scores
where scored_at = (select max(scored_at) from marts.fct_customer_scores)
order by customer_key
"""


def test_a_run_as_of_a_past_monday_matches_a_run_made_that_day(
    demo_build: DemoBuild, tmp_path: Path
) -> None:
    pinned = _run_as_of(demo_build, tmp_path / "pinned", truncate=False)
    that_day = _run_as_of(demo_build, tmp_path / "that-day", truncate=True)

    weekly = _read(pinned, WEEKLY)
    assert weekly["week_start"].max().date() == NOV_2 - dt.timedelta(weeks=1)
    assert weekly["as_of_date"].dt.date.unique().tolist() == [NOV_2]
    for sql in (WEEKLY, CLIENTS, SCORES):
        pd.testing.assert_frame_equal(_read(pinned, sql), _read(that_day, sql))

    clock = Clock(NOV_2)
    snapshots = [
        build_snapshot(path, load_catalog(path), "water-st", clock) for path in (pinned, that_day)
    ]
    assert snapshots[0].week == NOV_2 - dt.timedelta(weeks=1)
    assert render_html(snapshots[0]) == render_html(snapshots[1])
