"""The ML assets end to end on a synthetic warehouse: marts in a DuckDB file under tmp_path, the
assets and their checks materialized by Dagster, MLflow on SQLite under tmp_path."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient

from chairside.core.settings import Settings
from ml.clv.simulate import BgNbdParams, GammaGammaParams, simulate_visits
from ml.forecast.models import CANDIDATES
from ml.forecast.tracking import registered_model_name
from ml.tables import CUSTOMER_SCORES, FORECASTS
from orchestration.defs.ml import ML_ASSETS, MlflowResource
from orchestration.defs.ml.checks import (
    churn_risk_holds_its_band,
    latest_forecasts_are_in_band,
    latest_forecasts_are_well_formed,
    latest_scores_are_well_formed,
)
from orchestration.defs.ml.customer_scores import ScoringConfig
from orchestration.defs.ml.forecasts import ForecastConfig
from orchestration.defs.resources import ClockResource, WarehouseResource

pytestmark = pytest.mark.integration

# Monday 2026-11-16, 05:30 in St. John's: last week (from 2026-11-09) has ended in both shops.
AS_OF = "2026-11-16"
LAST_WEEK = dt.date(2026, 11, 9)
OBSERVATION_END = dt.date(2026, 11, 15)
SHOPS = {"water-st": "America/St_Johns", "mont-royal": "America/Toronto"}
WEEKS = 156


def weekly_metrics(rng: np.random.Generator) -> pd.DataFrame:
    """Three years of complete weeks per shop, a Christmas week without a row, a partial first
    week and the week in progress (both incomplete)."""
    weeks = pd.date_range(end=pd.Timestamp(LAST_WEEK), periods=WEEKS, freq="W-MON")
    frames = []
    for number, shop_id in enumerate(SHOPS):
        season = np.sin(2 * np.pi * (np.arange(WEEKS) + 13 * number) / 52)
        visits = np.round(90 + 30 * season + rng.normal(0, 5, WEEKS)).astype(int)
        frames.append(
            pd.DataFrame(
                {
                    "shop_id": shop_id,
                    "week_start": weeks.date,
                    "appointments_completed": visits,
                    "revenue_total": np.round(visits * rng.normal(42, 3, WEEKS), 2),
                    "is_complete": True,
                }
            ).drop(index=[WEEKS - 47])  # closed the week of 2025-12-22
        )
        incomplete = {"shop_id": shop_id, "is_complete": False}
        frames.append(
            pd.DataFrame(
                [
                    incomplete
                    | {"week_start": dt.date(2026, 11, 16)}
                    | {"appointments_completed": 3, "revenue_total": 120.0},
                    incomplete
                    | {"week_start": (weeks[0] - pd.Timedelta(weeks=1)).date()}
                    | {"appointments_completed": 9, "revenue_total": 380.0},
                ]
            )
        )
    return pd.concat(frames, ignore_index=True)


def appointments(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Completed visits of simulated clients, plus cancellations, no-shows and future bookings
    that must not count as visits; and the clients with their home shop."""
    clients = 600
    first = np.datetime64("2024-03-01") + rng.integers(0, 800, clients)
    visits = simulate_visits(
        first,
        dt.date(2026, 11, 16),
        BgNbdParams(r=2.0, alpha=12.0, a=0.8, b=4.0),
        GammaGammaParams(p=6.0, q=4.0, v=24.0),
        rng,
    )
    home = pd.DataFrame(
        {
            "customer_key": [f"c{n:04d}" for n in range(clients)],
            "home_shop_id": rng.choice(list(SHOPS), clients),
            "marketing_opt_in": rng.random(clients) < 0.6,
        }
    )
    completed = visits.assign(
        customer_key=[f"c{n:04d}" for n in visits["customer_key"]], status="completed"
    )
    others = completed.sample(80, random_state=1).assign(
        status=rng.choice(["cancelled", "no_show"], 80), revenue=np.nan
    )
    booked = completed.sample(20, random_state=2).assign(
        status="booked", visit_date=dt.date(2026, 11, 20), revenue=np.nan
    )
    rows = pd.concat([completed, others, booked], ignore_index=True)
    rows = rows.merge(home[["customer_key", "home_shop_id"]], on="customer_key")
    table = pd.DataFrame(
        {
            "appointment_id": [f"a{n:06d}" for n in range(len(rows))],
            "shop_id": rows["home_shop_id"],
            "customer_key": rows["customer_key"],
            "status": rows["status"],
            "service_date": rows["visit_date"],
            "revenue_total": rows["revenue"],
        }
    )
    return table, home


def build_marts(path: Path) -> None:
    rng = np.random.default_rng(2026)
    appointment_rows, customers = appointments(rng)
    tables = {
        "dim_shop": pd.DataFrame({"shop_id": list(SHOPS), "time_zone": list(SHOPS.values())}),
        "fct_weekly_shop_metrics": weekly_metrics(rng),
        "fct_appointments": appointment_rows,
        "dim_customer": customers,
    }
    money = {"fct_weekly_shop_metrics": "revenue_total", "fct_appointments": "revenue_total"}
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        for name, frame in tables.items():
            con.register("frame", frame)
            columns = ", ".join(
                f"cast({c} as decimal(12, 2)) as {c}" if money.get(name) == c else c
                for c in frame.columns
            )
            con.execute(f"create table marts.{name} as select {columns} from frame")
            con.unregister("frame")


def materialize(warehouse: Path, tracking_uri: str) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [
            *ML_ASSETS,
            latest_forecasts_are_well_formed,
            churn_risk_holds_its_band,
            latest_forecasts_are_in_band,
            latest_scores_are_well_formed,
        ],
        resources={
            "warehouse": WarehouseResource(path=str(warehouse)),
            "mlflow": MlflowResource(tracking_uri=tracking_uri),
            "clock": ClockResource(as_of=AS_OF),
        },
        run_config=dg.RunConfig(
            ops={
                "marts__fct_forecasts": ForecastConfig(),
                "marts__fct_customer_scores": ScoringConfig(),
            }
        ),
    )


@dataclass(frozen=True)
class MlRun:
    result: dg.ExecuteInProcessResult
    warehouse: Path
    tracking_uri: str


@pytest.fixture(scope="module")
def ml_run(tmp_path_factory: pytest.TempPathFactory) -> MlRun:
    """One materialization shared by the module's tests: it fits real models."""
    root = tmp_path_factory.mktemp("ml")
    warehouse = root / "warehouse.duckdb"
    build_marts(warehouse)
    tracking_uri = f"sqlite:///{root}/mlflow/mlflow.db"
    result = materialize(warehouse, tracking_uri)
    assert result.success
    return MlRun(result, warehouse, tracking_uri)


def read(warehouse: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).df()


def test_forecasts_cover_twelve_weeks_per_shop_and_metric(ml_run: MlRun) -> None:
    result, warehouse = ml_run.result, ml_run.warehouse
    rows = read(warehouse, "select * from marts.fct_forecasts")
    assert list(rows.columns) == list(FORECASTS.columns)
    assert len(rows) == len(SHOPS) * 2 * 12
    assert set(rows["forecast_run_id"]) == {result.run_id}
    assert set(rows["trained_through_week"].dt.date) == {LAST_WEEK}
    first_target = LAST_WEEK + dt.timedelta(weeks=1)
    assert set(rows.loc[rows["horizon_weeks"] == 1, "target_week_start"].dt.date) == {first_target}
    assert set(rows["model"]) <= {"seasonal_naive", "growth_seasonal_naive", "theta", "mstl_ets"}
    assert (rows["yhat_lower"] <= rows["yhat_upper"]).all()
    assert rows.groupby(["shop_id", "metric"])["mase"].nunique().eq(1).all()
    assert (rows["mase"] <= rows["mase_seasonal_naive"]).all()
    assert rows["coverage_80"].between(0, 1).all()


def test_customer_scores_cover_every_client_with_a_visit(ml_run: MlRun) -> None:
    warehouse = ml_run.warehouse
    rows = read(warehouse, "select * from marts.fct_customer_scores")
    assert list(rows.columns) == list(CUSTOMER_SCORES.columns)
    visited = read(
        warehouse,
        "select count(distinct customer_key) as n from marts.fct_appointments "
        f"where status = 'completed' and service_date <= date '{OBSERVATION_END}'",
    )["n"].item()
    assert len(rows) == rows["customer_key"].nunique() == visited
    assert set(rows["segment"]) == {
        "Premium VIP",
        "High Value",
        "Regular",
        "Developing",
        "At-Risk",
        "Lapsed",
    }
    assert rows["mlflow_run_id"].nunique() == 1


def test_checks_ran_and_passed(ml_run: MlRun) -> None:
    result = ml_run.result
    evaluations = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert {name: passed for name, passed in evaluations.items() if "band" not in name} == {
        "latest_forecasts_are_well_formed": True,
        "latest_scores_are_well_formed": True,
    }
    # the band checks only warn; they ran and say which series are outside, if any
    assert {"latest_forecasts_are_in_band", "churn_risk_holds_its_band"} <= set(evaluations)


def test_a_forecast_that_lost_to_seasonal_naive_fails_the_blocking_check(ml_run: MlRun) -> None:
    copy = ml_run.warehouse.with_name("tampered.duckdb")
    copy.write_bytes(ml_run.warehouse.read_bytes())
    with duckdb.connect(str(copy)) as con:
        con.execute(
            "update marts.fct_forecasts set mase = mase_seasonal_naive + 0.1 "
            "where shop_id = 'water-st' and metric = 'revenue_total'"
        )
    result = dg.materialize(
        [dg.SourceAsset(FORECASTS.name.split(".")), latest_forecasts_are_well_formed],
        resources={"warehouse": WarehouseResource(path=str(copy))},
        selection=dg.AssetSelection.checks(latest_forecasts_are_well_formed),
        raise_on_error=False,
    )
    [evaluation] = result.get_asset_check_evaluations()
    assert not evaluation.passed
    assert evaluation.metadata["lost_to_seasonal_naive"].value == 12


def test_mlflow_has_a_run_per_series_and_candidate_and_a_champion_per_series(ml_run: MlRun) -> None:
    result, warehouse, tracking_uri = ml_run.result, ml_run.warehouse, ml_run.tracking_uri
    client = MlflowClient(tracking_uri)
    experiment = client.get_experiment_by_name("chairside-forecasts")
    store = Path(tracking_uri.removeprefix("sqlite:///")).parent
    assert experiment.artifact_location == (store / "artifacts").as_uri()
    runs = client.search_runs([experiment.experiment_id], "tags.shop_id != ''")
    assert len(runs) == len(SHOPS) * 2 * len(CANDIDATES)  # a run per candidate
    for run in runs:
        assert run.info.status == "FINISHED"
        assert run.data.tags["dagster_run_id"] == result.run_id
        assert len(run.data.tags["data_fingerprint"]) == 16
        assert len(run.data.tags["mlflow.source.git.commit"]) == 40
        assert {
            "mase", "coverage_80", "bias", "winkler_80", "selection_mase", "fit_seconds",
            "mase_by_origin", "coverage_by_origin",
        } <= set(run.data.metrics)  # fmt: skip
        assert {"model", "trained_through_week", "held_out_origins"} <= set(run.data.params)
        [dataset] = client.get_run(run.info.run_id).inputs.dataset_inputs
        assert dataset.dataset.name == f"{run.data.tags['shop_id']}/{run.data.tags['metric']}"
        assert dataset.dataset.digest
        artifacts = {a.path for a in client.list_artifacts(run.info.run_id)}
        assert "backtest.json" in artifacts
        assert ("forecast.png" in artifacts) == (run.data.tags["champion"] == "true")
    by_origin = client.get_metric_history(runs[0].info.run_id, "coverage_by_origin")
    assert [m.step for m in by_origin] == [0, 1, 2, 3, 4]

    rows = read(warehouse, "select * from marts.fct_forecasts")
    for (shop_id, metric), series in rows.groupby(["shop_id", "metric"]):
        version = client.get_model_version_by_alias(
            registered_model_name(shop_id, metric), "champion"
        )
        assert version.run_id == series["mlflow_run_id"].iloc[0]
        assert client.get_run(version.run_id).data.tags["model"] == series["model"].iloc[0]


def test_the_champion_model_reproduces_the_stored_forecast(ml_run: MlRun) -> None:
    warehouse, tracking_uri = ml_run.warehouse, ml_run.tracking_uri
    stored = read(
        warehouse,
        "select * from marts.fct_forecasts where shop_id = 'water-st' "
        "and metric = 'revenue_total' order by horizon_weeks",
    )
    mlflow.set_tracking_uri(tracking_uri)
    model = mlflow.pyfunc.load_model(
        f"models:/{registered_model_name('water-st', 'revenue_total')}@champion"
    )
    predicted = model.predict(pd.DataFrame({"horizon_weeks": range(1, 13)}))
    assert (
        predicted["target_week_start"].dt.date.tolist()
        == stored["target_week_start"].dt.date.tolist()
    )
    for column in ("yhat", "yhat_lower", "yhat_upper"):
        assert predicted[column].to_numpy() == pytest.approx(stored[column].to_numpy())


def test_mlflow_has_the_scoring_run_with_its_holdout_check(ml_run: MlRun) -> None:
    result, warehouse, tracking_uri = ml_run.result, ml_run.warehouse, ml_run.tracking_uri
    client = MlflowClient(tracking_uri)
    run_id = read(warehouse, "select distinct mlflow_run_id from marts.fct_customer_scores")
    run = client.get_run(run_id["mlflow_run_id"].item())
    assert run.data.tags["dagster_run_id"] == result.run_id
    assert {"r", "alpha", "a", "b", "gg_p", "gg_q", "gg_v"} <= set(run.data.metrics)
    assert run.data.metrics["holdout_churn_auc"] > 0.6
    artifacts = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert {"holdout.png", "holdout_by_frequency.json", "holdout_calibration.json"} <= artifacts


def test_a_warehouse_too_young_to_model_still_materializes(chairside_env: Settings) -> None:
    """Forty weeks of a young shop and two clients: too short to backtest, so the stated
    baseline is published without scores; no history to score clients, so that table exists,
    empty; the run and its blocking checks succeed."""
    rng = np.random.default_rng(3)
    weeks = pd.date_range(end=pd.Timestamp(LAST_WEEK), periods=40, freq="W-MON")
    appointment_rows = pd.DataFrame(
        {
            "appointment_id": ["a1", "a2"],
            "shop_id": ["water-st"] * 2,
            "customer_key": ["c1", "c2"],
            "status": ["completed"] * 2,
            "service_date": [dt.date(2026, 9, 1), dt.date(2026, 10, 1)],
            "revenue_total": [40.0, 35.0],
        }
    )
    with duckdb.connect(str(chairside_env.duckdb_path)) as con:
        con.execute("create schema marts")
        con.register(
            "weekly",
            pd.DataFrame(
                {
                    "shop_id": "water-st",
                    "week_start": weeks.date,
                    "appointments_completed": rng.integers(50, 90, 40),
                    "revenue_total": 3000.0,
                    "is_complete": True,
                }
            ),
        )
        con.register("appointments", appointment_rows)
        con.execute("create table marts.fct_weekly_shop_metrics as select * from weekly")
        con.execute("create table marts.fct_appointments as select * from appointments")
        con.execute(
            "create table marts.dim_shop as select 'water-st' as shop_id, "
            "'America/St_Johns' as time_zone"
        )
        con.execute(
            "create table marts.dim_customer as select customer_key, "
            "shop_id as home_shop_id from appointments"
        )

    result = materialize(
        chairside_env.duckdb_path, f"sqlite:///{chairside_env.data_dir}/mlflow/mlflow.db"
    )

    assert result.success
    with duckdb.connect(str(chairside_env.duckdb_path), read_only=True) as con:
        forecasts = con.execute("select * from marts.fct_forecasts").df()
        assert con.execute("select count(*) from marts.fct_customer_scores").fetchone() == (0,)
    assert len(forecasts) == 2 * 12
    assert set(forecasts["model"]) == {"naive"}
    assert forecasts[["mase", "mase_seasonal_naive", "coverage_80"]].isna().all().all()
    assert (forecasts["yhat_lower"] <= forecasts["yhat_upper"]).all()
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks["latest_forecasts_are_well_formed"]
    scores = result.asset_materializations_for_node("marts__fct_customer_scores")[0]
    assert scores.metadata["skipped"].value == "75 days of history; scoring needs 180"
