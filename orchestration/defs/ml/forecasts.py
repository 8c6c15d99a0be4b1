"""`marts.fct_forecasts`: next weeks' visits and revenue per shop from the backtest champion.

Trained and scored on complete weeks only: those the mart's `is_complete` marks and that had
ended by the run's clock in each shop (on the build's own clock the two agree).

With `weeks_back` set, the run first makes the forecasts the runs of that many Mondays before
would have made, each from the weeks that had ended by then only, as runs of their own
(`<run id>-<n>w-back`): a new warehouse then has a forecast made before last week to hold last
week against, as the owner snapshot does. `chairside demo` sets it to 1. The current forecast is
made last; readers take the one trained on the latest weeks in any case.

The asset reads the marts, hands DataFrames to `ml.forecast`, records the run in MLflow and
appends the champions' forecasts. The warehouse is opened only to read and, at the end, for one
short write: the minutes of model fitting in between hold no lock on it.
"""

import datetime as dt
from typing import NamedTuple

import dagster as dg
import pandas as pd
from pydantic import Field

from chairside.core.warehouse import read_frame
from ml.forecast.champion import ForecastSettings, SeriesResult, evaluate_all
from ml.forecast.output import forecast_rows
from ml.forecast.series import build_weekly_series, ended_as_of
from ml.forecast.tracking import FORECAST_EXPERIMENT, log_forecast_run
from ml.tables import FORECASTS, append_run
from ml.tracking import fingerprint
from orchestration.defs.ml.resources import MlflowResource
from orchestration.defs.resources import ClockResource, WarehouseResource

WEEKLY_METRICS_KEY = dg.AssetKey(["marts", "fct_weekly_shop_metrics"])
DIM_SHOP_KEY = dg.AssetKey(["marts", "dim_shop"])

# A week without completed appointments has no revenue rather than a NULL one.
WEEKLY_SQL = """
select
    shop_id,
    week_start,
    is_complete,
    cast(coalesce(appointments_completed, 0) as double) as appointments_completed,
    cast(coalesce(revenue_total, 0) as double) as revenue_total
from marts.fct_weekly_shop_metrics
order by shop_id, week_start
"""
SHOPS_SQL = "select shop_id, time_zone from marts.dim_shop order by shop_id"


DEFAULTS = ForecastSettings()


class ForecastConfig(dg.Config):
    horizon_weeks: int = Field(
        default=DEFAULTS.horizon_weeks, description="Weeks ahead to forecast and backtest."
    )
    origins_per_block: int = Field(
        default=DEFAULTS.origins_per_block,
        description="Backtest origins in each half (selection, held out) of the history.",
    )
    experiment: str = Field(default=FORECAST_EXPERIMENT, description="MLflow experiment name.")
    weeks_back: int = Field(
        default=0,
        ge=0,
        description="Also make, first, the forecasts of this many earlier Mondays, each from "
        "the weeks that had ended by then (a new warehouse's track record).",
    )

    def settings(self) -> ForecastSettings:
        return ForecastSettings(
            horizon_weeks=self.horizon_weeks, origins_per_block=self.origins_per_block
        )


@dg.asset(
    key=FORECASTS.name.split("."),
    group_name="ml",
    deps=[WEEKLY_METRICS_KEY, DIM_SHOP_KEY],
    kinds={"python", "duckdb", "mlflow"},
    description="Weekly forecasts per shop and metric with calibrated 80% intervals from the "
    "champion picked on earlier backtest origins and scored on later ones; one batch of rows "
    "per run.",
)
def fct_forecasts(
    context: dg.AssetExecutionContext,
    config: ForecastConfig,
    warehouse: WarehouseResource,
    mlflow: MlflowResource,
    clock: ClockResource,
) -> dg.MaterializeResult:
    shops = read_frame(warehouse.resolved_path, SHOPS_SQL)
    weekly = read_frame(warehouse.resolved_path, WEEKLY_SQL)
    for back in range(config.weeks_back, 0, -1):
        run_id = f"{context.run.run_id}-{back}w-back"
        earlier = ended_as_of(weekly, shops, clock.clock, weeks_back=back)
        done = _forecast(context, config, earlier, shops, mlflow, warehouse, run_id)
        context.log.info(f"{done.rows} rows forecast as of {back} week(s) back, run {run_id}")
    weekly = ended_as_of(weekly, shops, clock.clock)
    done = _forecast(context, config, weekly, shops, mlflow, warehouse, context.run.run_id)
    results = done.results

    champions = [result.champion for result in results]
    return dg.MaterializeResult(
        metadata={
            "rows": done.rows,
            "series": len(results),
            # too short to backtest: a stated baseline without scores
            "baselines_not_backtested": sum(not result.backtested for result in results),
            "not_forecast": done.series - len(results),
            "weeks_back": config.weeks_back,
            "fits": sum(result.fits for result in results),
            "shop_notes": done.shop_notes,
            # picked on the selection origins but lost to seasonal naive on the held-out ones
            "gated_to_seasonal_naive": sum(
                result.selected != result.champion for result in results
            ),
            **{f"champion_{name}": champions.count(name) for name in sorted(set(champions))},
            "mlflow_experiment": config.experiment,
        }
    )


class ForecastRun(NamedTuple):
    rows: int
    results: list[SeriesResult]
    series: int
    shop_notes: int


def _forecast(
    context: dg.AssetExecutionContext,
    config: ForecastConfig,
    weekly: pd.DataFrame,
    shops: pd.DataFrame,
    mlflow: MlflowResource,
    warehouse: WarehouseResource,
    forecast_run_id: str,
) -> ForecastRun:
    """One forecast run from `weekly`'s complete weeks: evaluated, recorded in MLflow and
    appended as `forecast_run_id`."""
    series, shop_notes = build_weekly_series(weekly, shops)
    settings = config.settings()
    results, series_notes = evaluate_all(series, settings)
    for name, reason in {**shop_notes, **series_notes}.items():
        context.log.warning(f"{name}: {reason}")

    champion_runs = {}
    if results:
        champion_runs = log_forecast_run(
            results,
            settings,
            tracking_uri=mlflow.resolved_uri,
            experiment=config.experiment,
            forecast_run_id=forecast_run_id,
            dagster_run_id=context.run.run_id,
            input_fingerprint=fingerprint(weekly),
        )
    rows = forecast_rows(
        results, champion_runs, forecast_run_id=forecast_run_id, created_at=dt.datetime.now(dt.UTC)
    )
    with warehouse.connect() as con:
        written = append_run(con, FORECASTS, rows, forecast_run_id)
    return ForecastRun(written, results, len(series), len(shop_notes))
