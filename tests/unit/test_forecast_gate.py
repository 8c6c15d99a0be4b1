"""A forecast that lost to seasonal naive on held-out origins never reaches an owner or the app.

The forecast run publishes seasonal naive instead of such a champion (`test_ml_forecast.py`) and
a blocking check stops the snapshots (`tests/integration/test_ml_assets.py`). This proves the
last line: whatever `fct_forecasts` holds, the queries the snapshot and the app read leave a
lost champion's weeks out, and the snapshot says in words why there is no forecast.
"""

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from chairside.presentation.analytics import forecasts
from chairside.presentation.analytics.filters import Filters
from chairside.presentation.snapshot.images import forecast_images
from chairside.presentation.snapshot.render import render_html
from tests.unit.test_snapshot_render import snapshot

WEEK = dt.date(2026, 11, 9)

# (metric, model, mase, mase_seasonal_naive): visits' champion lost held out (a tie is no win),
# revenue's won, and a young shop's baseline has no scores at all.
CHAMPIONS = [
    ("water-st", "appointments_completed", "mstl_ets", 0.91, 0.91),
    ("water-st", "revenue_total", "growth_seasonal_naive", 0.74, 0.88),
    ("new-shop", "appointments_completed", "naive", None, None),
    ("new-shop", "revenue_total", "seasonal_naive", None, None),
]


def forecast_rows(trained_through: dt.date, run: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "forecast_run_id": run,
                "shop_id": shop_id,
                "metric": metric,
                "target_week_start": trained_through + dt.timedelta(weeks=h),
                "horizon_weeks": h,
                "yhat": 100.0,
                "yhat_lower": 90.0,
                "yhat_upper": 110.0,
                "model": model,
                "mase": mase,
                "mase_seasonal_naive": baseline,
                "coverage_80": None if mase is None else 0.8,
                "mlflow_run_id": "r",
                "trained_through_week": trained_through,
                "created_at": pd.Timestamp(trained_through, tz="UTC") + pd.Timedelta(days=8),
            }
            for shop_id, metric, model, mase, baseline in CHAMPIONS
            for h in range(1, 5)
        ]
    )


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    # last week's run (its first week is the reported one) and this week's
    made = pd.concat([forecast_rows(WEEK - dt.timedelta(weeks=1), "a"), forecast_rows(WEEK, "b")])
    shops = pd.DataFrame({"shop_id": ["water-st", "new-shop"], "shop_name": ["Water St", "New"]})
    weekly = pd.DataFrame(
        {
            "shop_id": ["water-st", "new-shop"],
            "week_start": [WEEK, WEEK],
            "appointments_completed": [95, 20],
            "revenue_total": [4000.0, 800.0],
        }
    )
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        for name, frame in (
            ("fct_forecasts", made),
            ("dim_shop", shops),
            ("fct_weekly_shop_metrics", weekly),
        ):
            con.register("frame", frame)
            con.execute(f"create table marts.{name} as select * from frame")
            con.unregister("frame")
    return path


def test_a_lost_champion_s_weeks_are_never_read(warehouse: Path) -> None:
    ahead = forecasts.next_weeks(warehouse, ("water-st", "new-shop"), WEEK)
    assert set(zip(ahead["shop_id"], ahead["metric"], strict=True)) == {
        ("water-st", "revenue_total"),
        ("new-shop", "appointments_completed"),
        ("new-shop", "revenue_total"),
    }
    last_week = forecasts.forecast_vs_actual(warehouse, Filters(("water-st",), WEEK, WEEK), WEEK)
    assert last_week["metric"].tolist() == ["revenue_total"]
    champions = forecasts.champions(warehouse, ("water-st", "new-shop"))
    assert champions.set_index(["shop_name", "metric"])["withheld"].to_dict() == {
        ("New", "appointments_completed"): False,
        ("New", "revenue_total"): False,
        ("Water St", "appointments_completed"): True,
        ("Water St", "revenue_total"): False,
    }


def test_the_snapshot_says_why_a_lost_forecast_is_not_shown(warehouse: Path) -> None:
    shown = snapshot(
        ahead=forecasts.next_weeks(warehouse, ("water-st",), WEEK),
        champions=forecasts.champions(warehouse, ("water-st",)),
        forecast_for_last_week=forecasts.forecast_vs_actual(
            warehouse, Filters(("water-st",), WEEK, WEEK), WEEK
        ),
    )
    html = render_html(shown, forecast_images(shown))
    assert (
        "No forecast this week: tested on weeks it had not seen, the model did no better than "
        "simply repeating the same week last year, so it is not shown."
    ) in html
    assert html.count("<img") == 1  # revenue's chart only
    assert "about CAD" in html and "visits, usually within" not in html


def test_the_app_says_why_a_baseline_has_no_held_out_score(warehouse: Path) -> None:
    table = forecasts.champion_table(forecasts.champions(warehouse, ("water-st", "new-shop")))
    shown = table.to_string()
    assert "nan" not in shown.lower() and "none" not in shown.lower()
    records = table.set_index(["shop", "metric"])["held-out record"]
    assert records["New", "Visits"] == (
        "No held-out score: too few complete weeks to backtest yet, so the forecast is a stated "
        "baseline (the last week repeated)."
    )
    assert records["New", "Revenue"].endswith("(the same week last year).")
    assert records["Water St", "Visits"].startswith("Not shown: on held-out weeks it did no ")
    assert table.set_index(["shop", "metric"]).loc[("New", "Visits"), "held-out MASE"] == "–"


def test_a_forecast_made_later_as_of_an_earlier_week_does_not_replace_this_week_s(
    warehouse: Path,
) -> None:
    """The demo makes last Monday's forecast after this Monday's: the apps and the snapshot
    still show this week's as the forecast, and judge last week on last Monday's."""
    made_later = forecast_rows(WEEK - dt.timedelta(weeks=1), "made-later").assign(
        created_at=pd.Timestamp(WEEK, tz="UTC") + pd.Timedelta(days=30), yhat=50.0
    )
    with duckdb.connect(str(warehouse)) as con:
        con.register("frame", made_later)
        con.execute("insert into marts.fct_forecasts select * from frame")
    ahead = forecasts.next_weeks(warehouse, ("water-st",), WEEK)
    assert set(ahead["week_start"].dt.date) == {WEEK + dt.timedelta(weeks=h) for h in (1, 2, 3, 4)}
    last_week = forecasts.forecast_vs_actual(warehouse, Filters(("water-st",), WEEK, WEEK), WEEK)
    assert last_week["yhat"].tolist() == [50.0]  # the latest made of those trained before it
    champions = forecasts.champions(warehouse, ("water-st",))
    assert set(champions["trained_through_week"].dt.date) == {WEEK}
