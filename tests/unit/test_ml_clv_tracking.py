"""A scoring run in MLflow: the model registered as `client-value@champion` scores clients as
the run stored them, and the run holds what a reviewer needs to trust it (input dataset with its
digest, AUC, calibration table and plot, per-frequency holdout table)."""

import json
from pathlib import Path

import mlflow
import pandas as pd
import pytest
from mlflow import MlflowClient

from ml.clv.pipeline import ScoringSettings, run_scoring
from ml.clv.serving import OUTPUT_COLUMNS
from ml.clv.tracking import CLIENT_VALUE_EXPERIMENT, REGISTERED_MODEL, log_scoring_run
from tests.unit.test_ml_clv import END, simulated


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    visits = simulated(1500, seed=3).assign(
        customer_key=lambda f: "k" + f["customer_key"].astype(str)
    )
    home = pd.Series("water-st", index=visits["customer_key"].unique())
    result = run_scoring(visits, home, END, ScoringSettings())
    uri = f"sqlite:///{tmp_path_factory.mktemp('mlflow')}/mlflow.db"
    run_id = log_scoring_run(
        result,
        ScoringSettings(),
        visits,
        tracking_uri=uri,
        experiment=CLIENT_VALUE_EXPERIMENT,
        scoring_run_id="scoring-1",
        dagster_run_id="dagster-1",
        input_fingerprint="f" * 16,
    )
    return result, visits, uri, run_id


def test_the_champion_reproduces_the_stored_scores(logged) -> None:
    result, visits, uri, run_id = logged
    client = MlflowClient(uri)
    champion = client.get_model_version_by_alias(REGISTERED_MODEL, "champion")
    assert champion.run_id == run_id
    # the returning clients: a one-visit client's usual interval is their home shop's median
    returning = result.rfm.index[result.rfm["frequency"] > 0][:40]
    mine = visits[visits["customer_key"].isin(returning)]
    mlflow.set_tracking_uri(uri)
    model = mlflow.pyfunc.load_model(f"models:/{REGISTERED_MODEL}@champion")
    predicted = model.predict(
        pd.DataFrame(
            {
                "customer_id": mine["customer_key"],
                "visit_date": pd.to_datetime(mine["visit_date"]),
                "amount": mine["revenue"],
            }
        )
    ).set_index("customer_id")
    assert list(predicted.columns) == list(OUTPUT_COLUMNS[1:])
    stored = result.scores.loc[returning]
    assert sorted(predicted.index) == sorted(returning)
    for column in OUTPUT_COLUMNS[1:]:
        assert predicted.loc[returning, column].to_numpy() == pytest.approx(
            stored[column].to_numpy(), abs=1e-6
        ), column


def test_the_run_holds_the_dataset_and_the_holdout_check(logged) -> None:
    result, visits, uri, run_id = logged
    client = MlflowClient(uri)
    run = client.get_run(run_id)
    assert run.data.metrics["holdout_churn_auc"] == pytest.approx(result.holdout.churn_auc)
    (dataset,) = run.inputs.dataset_inputs
    assert dataset.dataset.name == "completed_visits"
    assert len(dataset.dataset.digest) > 0
    assert json.loads(dataset.dataset.profile)["num_rows"] == len(visits)
    artifacts = {a.path for a in client.list_artifacts(run_id)}
    assert {
        "calibration.png",
        "holdout.png",
        "holdout_by_frequency.json",
        "holdout_calibration.json",
    } <= artifacts
    local = Path(client.download_artifacts(run_id, "calibration.png"))
    assert local.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = json.loads(
        Path(client.download_artifacts(run_id, "holdout_calibration.json")).read_text()
    )
    assert len(table["data"]) == 10


def test_the_experiment_says_what_its_runs_are_and_each_run_its_model(logged) -> None:
    _, _, uri, run_id = logged
    client = MlflowClient(uri)
    experiment = client.get_experiment_by_name(CLIENT_VALUE_EXPERIMENT)
    assert "held-out" in experiment.tags["mlflow.note.content"]
    assert client.get_run(run_id).info.run_name == (
        "client-value/mbgnbd-gamma-gamma-churn-gbm/scoring-1"
    )
