"""Recording a scoring run in MLflow: one run per scoring run with the fitted parameters and
log-likelihood (as metrics, so they can be plotted across runs), the Gamma-Gamma independence
check, segment sizes, the holdout evaluation (AUC as metrics, the per-frequency and calibration
tables, the holdout plot and a reliability diagram), the input visits as a dataset with its
digest, and the model itself as a pyfunc registered as `client-value`, with the alias `champion`
moved to the new version (as `ml.forecast.tracking` does for the forecasters)."""

from __future__ import annotations

import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import mlflow
import mlflow.data
import pandas as pd
from mlflow import MlflowClient
from mlflow.entities import Metric, Param

from ml.clv.pipeline import ScoringResult, ScoringSettings
from ml.clv.plots import calibration_figure, holdout_figure
from ml.clv.serving import (
    ENTRY_POINT,
    INPUT_EXAMPLE,
    MODEL_ARTIFACT,
    FittedClientValue,
    save_fitted,
    signature,
)
from ml.tracking import (
    DAGSTER_RUN_TAG,
    FINGERPRINT_TAG,
    open_experiment,
    pinned_requirements,
    tracked_run,
)

CLIENT_VALUE_EXPERIMENT = "chairside-client-value"
DESCRIPTION = (
    "Client value and churn risk, one run per scoring. Each run fits the modified BG/NBD and "
    "Gamma-Gamma models and the churn classifier on visits before a cutoff, and logs their "
    "held-out figures (churn AUC against the overdue-ratio baseline, calibration by decile, "
    "CLV error) on the clients' later visits; the registered `client-value` model is the "
    "latest run's."
)
REGISTERED_MODEL = "client-value"
CHAMPION_ALIAS = "champion"
REQUIREMENTS = ("mlflow", "pandas", "numpy", "scipy", "lifetimes", "scikit-learn")


def log_scoring_run(
    result: ScoringResult,
    settings: ScoringSettings,
    visits: pd.DataFrame,
    *,
    tracking_uri: str,
    experiment: str,
    scoring_run_id: str,
    dagster_run_id: str,
    input_fingerprint: str,
) -> str:
    """Log the run and register its model; return the MLflow run id. `visits` are the input
    of `run_scoring` (customer_key, visit_date, revenue)."""
    client, experiment_id = open_experiment(tracking_uri, experiment, DESCRIPTION)
    tags = {
        DAGSTER_RUN_TAG: dagster_run_id,
        FINGERPRINT_TAG: input_fingerprint,
        "scoring_run_id": scoring_run_id,
    }
    run_name = f"client-value/mbgnbd-gamma-gamma-churn-gbm/{scoring_run_id}"
    with tracked_run(client, experiment_id, run_name, tags) as run_id:
        repeat = result.rfm[result.rfm["frequency"] > 0]
        metrics = {
            **result.models.params(),
            "clients": len(result.rfm),
            "repeat_clients": len(repeat),
            # Gamma-Gamma assumes spend per visit independent of visit frequency: should be ~0
            "gg_frequency_spend_corr": repeat["frequency"].corr(repeat["monetary_value"]),
            "mean_p_alive": result.scores["p_alive"].mean(),
            **{
                f"segment_{name.lower().replace(' ', '_').replace('-', '_')}": count
                for name, count in result.scores["segment"].value_counts().items()
            },
            "holdout_clients": result.holdout.clients,
            "holdout_actual_visits": result.holdout.actual_visits,
            "holdout_predicted_visits": result.holdout.predicted_visits,
            "holdout_churn_auc": result.holdout.churn_auc,
            "holdout_overdue_ratio_auc": result.holdout.overdue_ratio_auc,
            "holdout_model_auc": result.holdout.model_auc,
            "holdout_calibration_max_gap": result.holdout.max_decile_gap,
        }
        now = int(time.time() * 1000)
        client.log_batch(
            run_id,
            metrics=[Metric(key, float(value), now, 0) for key, value in metrics.items()],
            params=[
                Param("observation_end", result.observation_end.isoformat()),
                Param("time_unit", "weeks"),
                *(Param(key, str(value)) for key, value in asdict(settings).items()),
            ],
        )
        client.log_table(run_id, result.holdout.by_frequency, "holdout_by_frequency.json")
        client.log_table(run_id, result.holdout.calibration, "holdout_calibration.json")
        client.log_figure(run_id, holdout_figure(result.holdout), "holdout.png")
        client.log_figure(run_id, calibration_figure(result.holdout), "calibration.png")
        _log_model(client, run_id, result, visits)
    return run_id


def _log_model(
    client: MlflowClient, run_id: str, result: ScoringResult, visits: pd.DataFrame
) -> None:
    """The input dataset and the pyfunc model in the run; the model registered as champion.

    `mlflow.log_input` and `mlflow.pyfunc.log_model` only log into the active run, so the run is
    resumed for them.
    """
    dataset = mlflow.data.from_pandas(
        visits.assign(visit_date=pd.to_datetime(visits["visit_date"])),
        name="completed_visits",
    )
    fitted = FittedClientValue.of(result.models, result.window.classifier, result.observation_end)
    with tempfile.TemporaryDirectory() as scratch, mlflow.start_run(run_id=run_id):
        mlflow.log_input(dataset, context="training")
        model = mlflow.pyfunc.log_model(
            name="model",
            python_model=str(ENTRY_POINT),
            artifacts={MODEL_ARTIFACT: str(save_fitted(fitted, Path(scratch)))},
            signature=signature(result.observation_end),
            input_example=INPUT_EXAMPLE,
            pip_requirements=pinned_requirements(*REQUIREMENTS),
        )
    version = mlflow.register_model(
        model.model_uri,
        REGISTERED_MODEL,
        tags={
            "observation_end": result.observation_end.isoformat(),
            "holdout_churn_auc": f"{result.holdout.churn_auc:.4f}",
            "dataset_digest": dataset.digest,
        },
    )
    client.set_registered_model_alias(REGISTERED_MODEL, CHAMPION_ALIAS, version.version)
