"""The warehouse the app and snapshot tests share: a copy of the demo warehouse, plus small ML
marts written the way the ML assets write them (`ml.tables`) with known values.

The demo warehouse is the one the session built with `chairside demo` (conftest.py). It is only
ever copied: every test writes to its own copy. The tests here check that the ML marts made for
the other tests look like the real ones.
"""

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from chairside.core.clock import Clock
from chairside.core.settings import ReleaseSettings
from chairside.presentation.analytics.catalog import load_catalog
from chairside.presentation.release.publish import publish
from ml.tables import CUSTOMER_SCORES, FORECASTS, append_run
from tests.integration.conftest import DEMO_AS_OF, DemoBuild

pytestmark = pytest.mark.integration


# Weekly forecast runs written for the tests: the latest trained through the reported week, the
# earlier ones reaching back so each of the last 15 weeks was forecast one week ahead.
FORECAST_RUNS = 16
HORIZON = 12


def copy_demo(build: DemoBuild, directory: Path) -> Path:
    """A copy of the demo warehouse without the pipeline's own ML runs: these tests write ML
    runs with known values (`add_ml_marts`); the real ones are tested in test_demo_pipeline."""
    path = build.copy_warehouse(directory)
    with duckdb.connect(str(path)) as con:
        con.execute(f"drop table if exists {FORECASTS.name}")
        con.execute(f"drop table if exists {CUSTOMER_SCORES.name}")
    return path


def published(warehouse: Path, releases: Path | None = None) -> Path:
    """`warehouse`'s marts published as the release readers see (what the pipeline does after
    its checks pass), under `releases` (default: beside the warehouse); returns the root that
    CHAIRSIDE_RELEASES_DIR names for the apps."""
    root = releases or warehouse.parent / "releases"
    publish(warehouse, ReleaseSettings(root=root), run_id="tests-publish", as_of=None)
    return root


DEMO_CLOCK = Clock(dt.date.fromisoformat(DEMO_AS_OF))


def reported_week(path: Path, clock: Clock = DEMO_CLOCK) -> dt.date:
    """The week the apps report on as of `clock`, for every shop together."""
    week = load_catalog(path).reporting_week(clock)
    assert week is not None, "the demo has complete weeks"
    return week


def add_ml_marts(path: Path, through: dt.date, seed: int = 5) -> None:
    """Weekly forecast runs up to one trained through `through`, and two scoring runs.

    Each forecast run predicts the next 12 weeks at the mean of its last 8 actual weeks, with a
    band of ±12%; the champion differs by shop. The latest scoring run follows docs/metrics.md's
    At-Risk rule on dim_customer's days_overdue; an older run with other segments must never
    show.
    """
    rng = np.random.default_rng(seed)
    with duckdb.connect(str(path)) as con:
        weekly = con.execute(
            "select shop_id, week_start, cast(appointments_completed as double) as visits, "
            "cast(revenue_total as double) as revenue from marts.fct_weekly_shop_metrics "
            "where week_start <= ? order by shop_id, week_start",
            [through],
        ).df()
        for run in range(FORECAST_RUNS):
            trained = pd.Timestamp(through) - pd.Timedelta(weeks=FORECAST_RUNS - 1 - run)
            rows = []
            for shop_id, history in weekly.groupby("shop_id"):
                recent = history[history["week_start"] <= trained].tail(8)
                for metric, column in (
                    ("appointments_completed", "visits"),
                    ("revenue_total", "revenue"),
                ):
                    level = recent[column].mean()
                    for horizon in range(1, HORIZON + 1):
                        yhat = level * (1 + rng.normal(0, 0.02))
                        rows.append(
                            {
                                "forecast_run_id": f"forecast-{run}",
                                "shop_id": shop_id,
                                "metric": metric,
                                "target_week_start": (trained + pd.Timedelta(weeks=horizon)).date(),
                                "horizon_weeks": horizon,
                                "yhat": yhat,
                                "yhat_lower": yhat * 0.88,
                                "yhat_upper": yhat * 1.12,
                                "model": "ets" if shop_id == "water-st" else "prophet",
                                "mase": 0.8,
                                "mase_seasonal_naive": 1.2,
                                "coverage_80": 0.78,
                                "mlflow_run_id": f"mlflow-{run}-{shop_id}-{metric}",
                                "trained_through_week": trained.date(),
                                "created_at": trained.tz_localize("UTC") + pd.Timedelta(days=7),
                            }
                        )
            append_run(con, FORECASTS, pd.DataFrame(rows), f"forecast-{run}")

        clients = con.execute(
            "select customer_key, days_overdue, last_visit_date, avg_visit_interval_days "
            "from marts.dim_customer where is_client"
        ).df()
        scored_at = pd.Timestamp(through, tz="UTC") + pd.Timedelta(days=7)
        for run, when in (
            ("scores-old", scored_at - pd.Timedelta(weeks=1)),
            ("scores-new", scored_at),
        ):
            p_alive = rng.beta(4, 2, len(clients))
            value = rng.gamma(2, 300, len(clients)).round(2)
            overdue = clients["days_overdue"]
            usual = clients["avg_visit_interval_days"].fillna(30.0)
            as_of = pd.Timestamp(through + dt.timedelta(days=6))
            since = (as_of - pd.to_datetime(clients["last_visit_date"])).dt.days
            ratio = since / usual
            churn = 1 - p_alive
            lapsed = (since > 365) | (churn >= 0.9)
            at_risk = ~lapsed & ((ratio >= 1.5) | (churn >= 0.5))
            segment = np.select(
                [
                    lapsed,
                    at_risk,
                    value >= np.quantile(value, 0.95),
                    value >= np.quantile(value, 0.8),
                ],
                ["Lapsed", "At-Risk", "Premium VIP", "High Value"],
                default="Regular",
            )
            if run == "scores-old":
                segment = np.full(len(clients), "Developing")
            rows = pd.DataFrame(
                {
                    "scoring_run_id": run,
                    "customer_key": clients["customer_key"],
                    "as_of_date": through + dt.timedelta(days=6),
                    "scored_at": when,
                    "p_alive": p_alive,
                    "expected_visits_90d": 2 * p_alive,
                    "predicted_clv_12m": value,
                    "predicted_clv_12m_low": (value * 0.5).round(2),
                    "predicted_clv_12m_high": (value * 1.5).round(2),
                    "churn_risk": churn,
                    "value_at_stake": (value * churn).round(2),
                    "last_visit_date": clients["last_visit_date"],
                    "usual_interval_days": usual,
                    "days_overdue": overdue,
                    "overdue_ratio": ratio,
                    "segment": segment,
                    "mlflow_run_id": f"mlflow-{run}",
                }
            )
            append_run(con, CUSTOMER_SCORES, rows, run)


@pytest.fixture(scope="module")
def ml_warehouse(
    demo_build: DemoBuild, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dt.date]:
    path = copy_demo(demo_build, tmp_path_factory.mktemp("ml-marts"))
    week = reported_week(path)
    add_ml_marts(path, week)
    return path, week


def test_every_forecast_run_covers_the_weeks_after_its_training(ml_warehouse) -> None:
    path, week = ml_warehouse
    with duckdb.connect(str(path), read_only=True) as con:
        bad = con.execute(
            "select count(*) from marts.fct_forecasts where target_week_start "
            "!= trained_through_week + 7 * horizon_weeks or isodow(target_week_start) != 1 "
            "or not (yhat_lower <= yhat and yhat <= yhat_upper)"
        ).fetchone()[0]
        latest = con.execute(
            "select max(trained_through_week), count(distinct shop_id || metric) "
            "from marts.fct_forecasts where forecast_run_id = "
            "(select arg_max(forecast_run_id, created_at) from marts.fct_forecasts)"
        ).fetchone()
    assert bad == 0
    assert latest == (week, 2 * 3)


def test_the_latest_scoring_run_files_at_risk_clients_by_metrics_md(ml_warehouse) -> None:
    path, _ = ml_warehouse
    with duckdb.connect(str(path), read_only=True) as con:
        misfiled, clients, duplicates = con.execute(
            "select count(*) filter (where (segment = 'Lapsed') != lapsed "
            "or (segment = 'At-Risk') != (not lapsed and (churn_risk >= 0.5 "
            "or coalesce(overdue_ratio >= 1.5, false)))), count(*), "
            "count(*) - count(distinct customer_key) "
            "from (select *, as_of_date - last_visit_date > 365 or churn_risk >= 0.9 as lapsed "
            "from marts.fct_customer_scores) where scoring_run_id = 'scores-new'"
        ).fetchone()
    assert (misfiled, duplicates) == (0, 0)
    assert clients > 1000
