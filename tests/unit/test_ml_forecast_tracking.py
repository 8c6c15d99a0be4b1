"""A forecast run in a real local MLflow store holds every item the forecasts issue (#14) asks
for: the input series as `mlflow.data` datasets with a digest, the git commit, bias, Winkler
score, coverage per origin and fit seconds per candidate, one comparison plot per series, and a
registered champion that gives back the stored forecast, interval included."""

import json
import re
from pathlib import Path

import mlflow
import pandas as pd
import pytest
from mlflow import MlflowClient

from ml.forecast.champion import ForecastSettings, evaluate_series
from ml.forecast.series import WeeklySeries
from ml.forecast.tracking import FORECAST_EXPERIMENT, log_forecast_run, registered_model_name
from tests.unit.test_ml_forecast import known_shop

SETTINGS = ForecastSettings()


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    results = [
        evaluate_series(WeeklySeries(shop_id, "appointments_completed", values), SETTINGS)
        for shop_id, values in (("water-st", known_shop(3)), ("new-shop", known_shop(3, 40)))
    ]
    uri = f"sqlite:///{tmp_path_factory.mktemp('mlflow')}/mlflow.db"
    runs = log_forecast_run(
        results,
        SETTINGS,
        tracking_uri=uri,
        experiment=FORECAST_EXPERIMENT,
        forecast_run_id="forecast-1",
        dagster_run_id="dagster-1",
        input_fingerprint="f" * 16,
    )
    return results, uri, runs


def test_every_candidate_run_holds_its_scores_dataset_and_commit(logged) -> None:
    results, uri, _ = logged
    client = MlflowClient(uri)
    experiment = client.get_experiment_by_name(FORECAST_EXPERIMENT)
    runs = client.search_runs([experiment.experiment_id], "tags.shop_id = 'water-st'")
    backtested = results[0]
    assert {run.data.tags["model"] for run in runs} == set(backtested.candidates)
    for run in runs:
        assert re.fullmatch(r"[0-9a-f]{40}", run.data.tags["mlflow.source.git.commit"])
        candidate = backtested.candidates[run.data.tags["model"]]
        metrics = run.data.metrics
        assert metrics["bias"] == pytest.approx(candidate.held_out.bias)
        assert metrics["winkler_80"] == pytest.approx(candidate.held_out.winkler_80)
        assert metrics["fit_seconds"] == pytest.approx(candidate.fit_seconds)
        history = client.get_metric_history(run.info.run_id, "coverage_by_origin")
        assert [m.value for m in sorted(history, key=lambda m: m.step)] == pytest.approx(
            list(candidate.held_out.coverage_by_origin)
        )
        [dataset] = run.inputs.dataset_inputs
        assert dataset.dataset.name == "water-st/appointments_completed"
        assert len(dataset.dataset.digest) >= 8
        assert json.loads(dataset.dataset.profile)["num_rows"] == len(backtested.series.values)


def test_one_comparison_plot_per_series_with_its_champion(logged) -> None:
    _, uri, runs = logged
    client = MlflowClient(uri)
    for run_id in runs.values():
        artifacts = {a.path for a in client.list_artifacts(run_id)}
        plots = [path for path in artifacts if path.endswith(".png")]
        assert plots == ["forecast.png"] or run_id == runs["new-shop", "appointments_completed"]
    local = Path(
        client.download_artifacts(runs["water-st", "appointments_completed"], "forecast.png")
    )
    assert local.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("shop_id", ["water-st", "new-shop"])
def test_the_registered_champion_reproduces_the_stored_forecast(logged, shop_id: str) -> None:
    results, uri, runs = logged
    result = next(r for r in results if r.series.shop_id == shop_id)
    name = registered_model_name(shop_id, "appointments_completed")
    client = MlflowClient(uri)
    assert (
        client.get_model_version_by_alias(name, "champion").run_id
        == runs[shop_id, "appointments_completed"]
    )
    mlflow.set_tracking_uri(uri)
    model = mlflow.pyfunc.load_model(f"models:/{name}@champion")
    predicted = model.predict(pd.DataFrame({"horizon_weeks": range(1, 13)}))
    stored = result.forecast
    assert predicted["target_week_start"].tolist() == stored.index.tolist()
    for column in ("yhat", "yhat_lower", "yhat_upper"):
        assert predicted[column].to_numpy() == pytest.approx(stored[column].to_numpy())
