"""Recording a forecast run in MLflow.

One parent run per forecast run holds the settings and the champion table. Under it, one run per
series and candidate holds the held-out scores (MASE, coverage, bias, Winkler score, each also per
origin), the selection MASE, the seconds its backtest fits took, the parameters, the backtest
table and, as an `mlflow.data` dataset with its digest, the series it was trained on. The
champion's run also holds the series' one comparison plot and the pyfunc model, registered as
`forecast-<shop_id>-<metric>` with the alias `champion` moved to the new version. Every run
carries the Dagster run id, a fingerprint of its input data and the git commit of the code, so
when two runs differ an ML engineer can tell whether the data or the code changed.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path

import mlflow
import mlflow.data
import pandas as pd
from mlflow import MlflowClient
from mlflow.entities import DatasetInput, InputTag, Metric, Param
from mlflow.utils.mlflow_tags import MLFLOW_DATASET_CONTEXT, MLFLOW_GIT_COMMIT, MLFLOW_PARENT_RUN_ID

from ml.forecast.backtest import INTERVAL_LEVEL, Scores
from ml.forecast.champion import CandidateResult, ForecastSettings, SeriesResult
from ml.forecast.models import MstlEts
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
DESCRIPTION = (
    "Weekly forecasts of completed visits and revenue per shop. A parent run per forecast run; "
    "a child run per shop, metric and candidate model (named shop/metric/model) with its "
    "rolling-origin backtest: the champion is picked on the earlier origins and its MASE and "
    "80% coverage are scored on the later ones, beside seasonal naive's. Each series' champion "
    "is registered as forecast-<shop>-<metric>."
)
CHAMPION_ALIAS = "champion"

# What loading a champion needs besides the `ml` package, per model.
BASE_REQUIREMENTS = ("mlflow", "pandas", "numpy", "scipy")
MODEL_REQUIREMENTS = {MstlEts.name: ("statsforecast",)}
PROJECT_ROOT = Path(__file__).parents[2]


def code_version() -> str:
    """The git commit the code runs from; "unknown" outside a git checkout (an image)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return done.stdout.strip()


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
    client, experiment_id = open_experiment(tracking_uri, experiment, DESCRIPTION)
    tags = {
        DAGSTER_RUN_TAG: dagster_run_id,
        FINGERPRINT_TAG: input_fingerprint,
        MLFLOW_GIT_COMMIT: code_version(),
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
                    "selected": result.selected,
                    "mase": result.mase,
                    "mase_seasonal_naive": result.mase_seasonal_naive,
                    "coverage_80": result.coverage_80,
                    "mlflow_run_id": champion_runs[result.series.shop_id, result.series.metric],
                }
                for result in results
            ]
        )
        summary = {
            "series": len(results),
            "baselines_not_backtested": sum(not result.backtested for result in results),
            "median_champion_mase": champions["mase"].median(),
            "median_seasonal_naive_mase": champions["mase_seasonal_naive"].median(),
            "median_coverage_80": champions["coverage_80"].median(),
        }
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
        "train_weeks": str(len(series.values)),
        "trained_through_week": series.trained_through_week.isoformat(),
        "selection_origins": ",".join(_origin_weeks(result, "selection")),
        "held_out_origins": ",".join(_origin_weeks(result, "held_out")),
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
    dataset = _series_dataset(result)
    if not result.backtested:
        return _log_baseline(client, experiment_id, result, series_params, series_tags, dataset)
    champion_run_id = ""
    for name, candidate in result.candidates.items():
        is_champion = name == result.champion
        run_name = f"{series.shop_id}/{series.metric}/{name}"
        run_tags = {
            **series_tags,
            "model": name,
            "champion": str(is_champion).lower(),
            "selected": str(name == result.selected).lower(),
        }
        with tracked_run(client, experiment_id, run_name, run_tags) as run_id:
            params = {"model": name, **series_params}
            if is_champion:
                params.update(result.forecaster.params)
            client.log_batch(
                run_id,
                metrics=_score_metrics(candidate),
                params=[Param(key, value) for key, value in params.items()],
            )
            client.log_inputs(run_id, datasets=[dataset])
            client.log_table(run_id, candidate.backtest, "backtest.json")
            if is_champion:
                with tempfile.TemporaryDirectory() as scratch:
                    plot = Path(scratch) / "forecast.png"
                    series_figure(result).savefig(plot)
                    client.log_artifact(run_id, str(plot))
                _log_champion_model(client, run_id, result)
                champion_run_id = run_id
    return champion_run_id


def _log_baseline(
    client: MlflowClient,
    experiment_id: str,
    result: SeriesResult,
    series_params: Mapping[str, str],
    series_tags: Mapping[str, str],
    dataset: DatasetInput,
) -> str:
    """The one run of a series too short to backtest: its stated baseline, without scores."""
    series, name = result.series, result.champion
    run_tags = {**series_tags, "model": name, "champion": "true", "backtested": "false"}
    run_name = f"{series.shop_id}/{series.metric}/{name}"
    with tracked_run(client, experiment_id, run_name, run_tags) as run_id:
        params = {"model": name, **series_params, **result.forecaster.params}
        client.log_batch(run_id, params=[Param(key, value) for key, value in params.items()])
        client.log_inputs(run_id, datasets=[dataset])
        _log_champion_model(client, run_id, result)
    return run_id


def _origin_weeks(result: SeriesResult, block: str) -> list[str]:
    if not result.backtested:
        return []
    backtest = next(iter(result.candidates.values())).backtest
    origins = backtest.loc[backtest["block"] == block, "origin"].drop_duplicates()
    return [origin.date().isoformat() for origin in origins]


def _series_dataset(result: SeriesResult) -> DatasetInput:
    """The complete weeks the series was trained on, as an MLflow dataset (name and digest)."""
    series = result.series
    frame = series.values.rename("value").reset_index()
    dataset = mlflow.data.from_pandas(
        frame, name=f"{series.shop_id}/{series.metric}", targets="value"
    )
    # what `mlflow.log_input` does, for a run that is not the active one
    return DatasetInput(
        dataset=dataset._to_mlflow_entity(),
        tags=[InputTag(MLFLOW_DATASET_CONTEXT, "training")],
    )


def _score_metrics(candidate: CandidateResult) -> list[Metric]:
    """Held-out scores at step 0, per held-out origin as steps, for MLflow's charts."""
    now = _now_ms()
    held_out: Scores = candidate.held_out
    return [
        Metric("mase", held_out.mase, now, 0),
        Metric("coverage_80", held_out.coverage_80, now, 0),
        Metric("bias", held_out.bias, now, 0),
        Metric("winkler_80", held_out.winkler_80, now, 0),
        Metric("selection_mase", candidate.selection.mase, now, 0),
        Metric("fit_seconds", candidate.fit_seconds, now, 0),
        *(
            Metric("mase_by_origin", value, now, step)
            for step, value in enumerate(held_out.mase_by_origin)
        ),
        *(
            Metric("coverage_by_origin", value, now, step)
            for step, value in enumerate(held_out.coverage_by_origin)
        ),
    ]


def _log_champion_model(client: MlflowClient, run_id: str, result: SeriesResult) -> None:
    """Log the champion as a pyfunc model in its run, register it and point `champion` at it.

    `mlflow.pyfunc.log_model` only logs into the active run, so the run is resumed for it.
    """
    name = registered_model_name(result.series.shop_id, result.series.metric)
    requirements = (*BASE_REQUIREMENTS, *MODEL_REQUIREMENTS.get(result.champion, ()))
    with tempfile.TemporaryDirectory() as scratch, mlflow.start_run(run_id=run_id):
        model = mlflow.pyfunc.log_model(
            name="model",
            python_model=str(ENTRY_POINT),
            artifacts={FORECASTER_ARTIFACT: str(save_forecaster(result.forecaster, Path(scratch)))},
            signature=SIGNATURE,
            input_example=INPUT_EXAMPLE,
            pip_requirements=pinned_requirements(*requirements),
        )
    version = mlflow.register_model(
        model.model_uri,
        name,
        tags={
            "model": result.champion,
            "mase": f"{result.mase:.4f}" if result.backtested else "not backtested",
        },
    )
    client.set_registered_model_alias(name, CHAMPION_ALIAS, version.version)


def _now_ms() -> int:
    return int(time.time() * 1000)
