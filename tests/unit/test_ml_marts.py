"""The ML marts: created on first write, one batch per run id, a retried run replacing its own
rows; and the content checks failing on the latest run's faults."""

import datetime as dt
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd

from ml.tables import CUSTOMER_SCORES, FORECASTS, append_run
from orchestration.defs.ml.checks import (
    latest_forecasts_are_in_band,
    latest_forecasts_are_well_formed,
    latest_scores_are_well_formed,
)
from orchestration.defs.resources import WarehouseResource


def forecast_rows(run_id: str, weeks: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "forecast_run_id": run_id,
            "shop_id": "water-st",
            "metric": "revenue_total",
            "target_week_start": [
                dt.date(2026, 11, 16) + dt.timedelta(weeks=w) for w in range(weeks)
            ],
            "horizon_weeks": range(1, weeks + 1),
            "yhat": 100.0,
            "yhat_lower": 80.0,
            "yhat_upper": 120.0,
            "model": "mstl_ets",
            "mase": 0.9,
            "mase_seasonal_naive": 1.4,
            "coverage_80": 0.8,
            "mlflow_run_id": "abc",
            "trained_through_week": dt.date(2026, 11, 9),
            "created_at": dt.datetime(2026, 11, 16, 8, tzinfo=dt.UTC),
        }
    )


def runs(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    counts = con.execute(
        "select forecast_run_id, count(*) from marts.fct_forecasts group by all"
    ).fetchall()
    return dict(counts)


def test_a_run_without_rows_still_creates_the_table() -> None:
    with duckdb.connect() as con:
        assert append_run(con, FORECASTS, FORECASTS.empty_rows(), "r0") == 0
        assert runs(con) == {}
        columns = [row[0] for row in con.execute("describe marts.fct_forecasts").fetchall()]
        assert columns == list(FORECASTS.columns)


def test_runs_append_and_a_retried_run_replaces_its_rows() -> None:
    with duckdb.connect() as con:
        append_run(con, FORECASTS, forecast_rows("r1", 12), "r1")
        append_run(con, FORECASTS, forecast_rows("r2", 12), "r2")
        append_run(con, FORECASTS, forecast_rows("r1", 3), "r1")
        assert runs(con) == {"r1": 3, "r2": 12}


def scores(run_id: str, scored_at: dt.datetime) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "scoring_run_id": run_id,
            "customer_key": ["c1", "c2", "c3"],
            "as_of_date": dt.date(2026, 11, 15),
            "scored_at": scored_at,
            "p_alive": [0.9, 0.3, 0.8],
            "expected_visits_90d": [2.0, 0.1, 1.0],
            "predicted_clv_12m": [400.0, 20.0, 150.0],
            "predicted_clv_12m_low": [100.0, 0.0, 0.0],
            "predicted_clv_12m_high": [700.0, 60.0, 300.0],
            "churn_risk": [0.1, 0.7, 0.2],
            "value_at_stake": [40.0, 14.0, 30.0],
            "last_visit_date": dt.date(2026, 10, 1),
            "usual_interval_days": [50.0, 30.0, 30.0],
            "days_overdue": [-5.0, 15.0, 15.0],
            "overdue_ratio": [0.9, 1.5, 1.5],  # c3: 1.5 x their usual interval is At-Risk
            "segment": ["Premium VIP", "At-Risk", "At-Risk"],
            "mlflow_run_id": "abc",
        }
    )


def test_forecast_check_fails_on_gaps_and_points_outside_their_interval(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    good = forecast_rows("r1", 12)
    later = good.assign(forecast_run_id="r2", created_at=good["created_at"] + dt.timedelta(days=7))
    # week 6 gone, the last point above its interval, and a worse MASE than seasonal naive's
    broken = later.drop(index=5).assign(yhat=[*[100.0] * 10, 500.0], mase=1.5)
    warehouse = WarehouseResource(path=str(path))
    with duckdb.connect(str(path)) as con:
        append_run(con, FORECASTS, good, "r1")
    assert latest_forecasts_are_well_formed(warehouse=warehouse).passed
    with duckdb.connect(str(path)) as con:
        append_run(con, FORECASTS, broken, "r2")
    result = latest_forecasts_are_well_formed(warehouse=warehouse)
    assert not result.passed
    counts = {key: value.value for key, value in result.metadata.items()}
    assert counts == {
        "rows": 11,
        "gappy_series": 1,
        "yhat_outside_interval": 1,
        "misplaced_weeks": 0,
        "lost_to_seasonal_naive": 11,
    }


def test_the_band_check_warns_naming_the_series_outside(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    warehouse = WarehouseResource(path=str(path))
    with duckdb.connect(str(path)) as con:
        append_run(con, FORECASTS, forecast_rows("r1", 12), "r1")
    assert latest_forecasts_are_in_band(warehouse=warehouse).passed
    too_wide = forecast_rows("r2", 12).assign(
        coverage_80=0.95, created_at=dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC)
    )
    with duckdb.connect(str(path)) as con:
        append_run(con, FORECASTS, too_wide, "r2")
    result = latest_forecasts_are_in_band(warehouse=warehouse)
    assert not result.passed
    assert result.severity == dg.AssetCheckSeverity.WARN
    assert result.metadata["series_outside"].value == 1
    assert "water-st" in result.metadata["outside"].value


def test_score_check_fails_on_a_client_filed_against_the_at_risk_rule(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    at = dt.datetime(2026, 11, 16, 8, tzinfo=dt.UTC)
    misfiled = scores("r2", at + dt.timedelta(days=7))
    misfiled.loc[2, "segment"] = "Regular"  # overdue ratio 1.5 is At-Risk
    warehouse = WarehouseResource(path=str(path))
    with duckdb.connect(str(path)) as con:
        append_run(con, CUSTOMER_SCORES, scores("r1", at), "r1")
    assert latest_scores_are_well_formed(warehouse=warehouse).passed
    with duckdb.connect(str(path)) as con:
        append_run(con, CUSTOMER_SCORES, misfiled, "r2")
    result = latest_scores_are_well_formed(warehouse=warehouse)
    assert not result.passed
    assert result.metadata["misfiled_at_risk"].value == 1


def test_a_table_from_before_a_new_column_gets_it() -> None:
    with duckdb.connect() as con:
        con.execute("create schema marts")
        old_columns = {k: v for k, v in FORECASTS.columns.items() if k != "mase_seasonal_naive"}
        columns = ", ".join(f"{name} {kind}" for name, kind in old_columns.items())
        con.execute(f"create table marts.fct_forecasts ({columns})")
        assert append_run(con, FORECASTS, forecast_rows("r1", 3), "r1") == 3
        stored = con.execute("select mase_seasonal_naive from marts.fct_forecasts").fetchall()
        assert stored == [(1.4,)] * 3


def test_a_table_from_when_scores_were_required_takes_a_baseline_without_them() -> None:
    with duckdb.connect() as con:
        con.execute("create schema marts")
        required = {
            name: kind.removesuffix(" not null") + " not null"
            for name, kind in FORECASTS.columns.items()
        }
        columns = ", ".join(f"{name} {kind}" for name, kind in required.items())
        con.execute(f"create table marts.fct_forecasts ({columns})")
        baseline = forecast_rows("r1", 2).assign(
            model="naive", mase=None, mase_seasonal_naive=None, coverage_80=None
        )
        assert append_run(con, FORECASTS, baseline, "r1") == 2
        stored = con.execute("select model, mase, coverage_80 from marts.fct_forecasts").fetchall()
        assert stored == [("naive", None, None)] * 2
