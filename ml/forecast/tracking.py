"""Recording a forecast run in MLflow.

One parent run per forecast run holds the settings and the champion table. Under it, one run per
series and candidate holds the backtest scores (overall and per origin), the parameters, the
backtest table and the forecast plot. The champion's run also holds the pyfunc model, registered
as `forecast-<shop_id>-<metric>` with the alias `champion` moved to the new version. Every run
carries the Dagster run id and a fingerprint of its input data, so when two runs differ an ML
engineer can tell whether the data or the model changed.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path

import mlflow
import pandas as pd
from mlflow import MlflowClient
from mlflow.entities import Metric, Param
from mlflow.utils.mlflow_tags import MLFLOW_PARENT_RUN_ID

from ml.forecast.backtest import BacktestScores
from ml.forecast.champion import ForecastSettings, SeriesResult
from ml.forecast.models import INTERVAL_LEVEL, Ets, ProphetModel
from ml.forecast.plots import series_figure
from ml.forecast.serving import (
    ENTRY_POINT,
    FORECASTER_ARTIFACT,
    INPUT_EXAMPLE,
    SIGNATURE,
    save_forecaster,
)
from ml.tracking import (
    DAGSTER_RUN_TAG,
    FINGERPRINT_TAG,
    fingerprint,
    open_experiment,
    pinned_requirements,
    tracked_run,
)

FORECAST_EXPERIMENT = "chairside-forecasts"
CHAMPION_ALIAS = "champion"

# What loading a champion needs besides the `ml` package, per model.
BASE_REQUIREMENTS = ("mlflow", "pandas", "numpy", "scipy")
MODEL_REQUIREMENTS = {ProphetModel.name: ("prophet",), Ets.name: ("statsforecast",)}


def registered_model_name(shop_id: str, metric: str) -> str:
    return f"forecast-{shop_id}-{metric}"


def log_forecast_run(
    results: Sequence[SeriesResult],
    settings: ForecastSettings,
    *,
    tracking_uri: str,
    experiment: str,
    forecast_run_id: str,
    dagster_run_id: str,
    input_fingerprint: str,
) -> dict[tuple[str, str], str]:
    """Log every candidate of every series; return the champion's run id per (shop, metric)."""
    client, experiment_id = open_experiment(tracking_uri, experiment)
    tags = {
        DAGSTER_RUN_TAG: dagster_run_id,
        FINGERPRINT_TAG: input_fingerprint,
        "forecast_run_id": forecast_run_id,
    }
    with tracked_run(client, experiment_id, f"forecast-{forecast_run_id}", tags) as parent_id:
        champion_runs = {
            (result.series.shop_id, result.series.metric): _log_series(
                client, experiment_id, parent_id, result, settings, tags
            )
            for result in results
        }
        champions = pd.DataFrame(
            [
                {
                    "shop_id": result.series.shop_id,
                    "metric": result.series.metric,
                    "model": result.champion,
                    "mase": result.candidates[result.champion].scores.mase,
                    "coverage_80": result.candidates[result.champion].scores.coverage_80,
                    "mlflow_run_id": champion_runs[result.series.shop_id, result.series.metric],
                }
                for result in results
            ]
        )
        summary = {"series": len(results), "median_champion_mase": champions["mase"].median()}
        for model, count in champions["model"].value_counts().items():
            summary[f"champions_{model}"] = count
        now = _now_ms()
        client.log_batch(
            parent_id,
            metrics=[Metric(key, float(value), now, 0) for key, value in summary.items()],
            params=[Param(key, str(value)) for key, value in asdict(settings).items()],
        )
        client.log_table(parent_id, champions, "champions.json")
    return champion_runs


def _log_series(
    client: MlflowClient,
    experiment_id: str,
    parent_id: str,
    result: SeriesResult,
    settings: ForecastSettings,
    tags: Mapping[str, str],
) -> str:
    """Log one run per candidate of a series; return the champion's run id."""
    series = result.series
    series_params = {
        "shop_id": series.shop_id,
        "metric": series.metric,
        "subdivision": series.subdivision or "national",
        "train_weeks": str(len(series.values)),
        "trained_through_week": series.trained_through_week.isoformat(),
        "backtest_cutoffs": ",".join(c.date().isoformat() for c in result.cutoffs),
        "horizon_weeks": str(settings.horizon_weeks),
        "interval_level": str(INTERVAL_LEVEL),
    }
    series_tags = {
        **tags,
        MLFLOW_PARENT_RUN_ID: parent_id,
        FINGERPRINT_TAG: fingerprint(series.values.to_frame()),
        "shop_id": series.shop_id,
        "metric": series.metric,
    }
    champion_run_id = ""
    with tempfile.TemporaryDirectory() as scratch:
        plot = Path(scratch) / "forecast.png"
        series_figure(result).savefig(plot)
        for name, candidate in result.candidates.items():
            is_champion = name == result.champion
            run_name = f"{series.shop_id}/{series.metric}/{name}"
            run_tags = {**series_tags, "model": name, "champion": str(is_champion).lower()}
            with tracked_run(client, experiment_id, run_name, run_tags) as run_id:
                client.log_batch(
                    run_id,
                    metrics=_score_metrics(candidate.scores),
                    params=[
                        Param(key, value)
                        for key, value in {
                            "model": name,
                            **series_params,
                            **candidate.fitted.params,
                        }.items()
                    ],
                )
                client.log_artifact(run_id, str(plot))
                client.log_table(run_id, candidate.backtest, "backtest.json")
                if is_champion:
                    _log_champion_model(client, run_id, result)
                    champion_run_id = run_id
    return champion_run_id


def _score_metrics(scores: BacktestScores) -> list[Metric]:
    """Overall scores at step 0; per origin and per weeks ahead as steps, for MLflow's charts."""
    now = _now_ms()
    return [
        Metric("mase", scores.mase, now, 0),
        Metric("coverage_80", scores.coverage_80, now, 0),
        Metric("mae", scores.mae, now, 0),
        *(
            Metric("mase_by_cutoff", value, now, step)
            for step, value in enumerate(scores.mase_by_cutoff)
        ),
        *(
            Metric("mase_by_horizon", value, now, weeks_ahead)
            for weeks_ahead, value in enumerate(scores.mase_by_horizon, start=1)
        ),
    ]


def _log_champion_model(client: MlflowClient, run_id: str, result: SeriesResult) -> None:
    """Log the champion as a pyfunc model in its run, register it and point `champion` at it.

    `mlflow.pyfunc.log_model` only logs into the active run, so the run is resumed for it.
    """
    name = registered_model_name(result.series.shop_id, result.series.metric)
    champion = result.candidates[result.champion]
    requirements = (*BASE_REQUIREMENTS, *MODEL_REQUIREMENTS.get(result.champion, ()))
    with tempfile.TemporaryDirectory() as scratch, mlflow.start_run(run_id=run_id):
        model = mlflow.pyfunc.log_model(
            name="model",
            python_model=str(ENTRY_POINT),
            artifacts={FORECASTER_ARTIFACT: str(save_forecaster(champion.fitted, Path(scratch)))},
            signature=SIGNATURE,
            input_example=INPUT_EXAMPLE,
            pip_requirements=pinned_requirements(*requirements),
        )
    version = mlflow.register_model(
        model.model_uri,
        name,
        tags={"model": result.champion, "mase": f"{champion.scores.mase:.4f}"},
    )
    client.set_registered_model_alias(name, CHAMPION_ALIAS, version.version)


def _now_ms() -> int:
    return int(time.time() * 1000)
