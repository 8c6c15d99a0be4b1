"""Recording a scoring run in MLflow: one run per scoring run with the fitted parameters and
log-likelihood (as metrics, so they can be plotted across runs), the Gamma-Gamma independence
check, segment sizes, and the holdout evaluation as metrics, a table and a plot."""

from __future__ import annotations

import time
from dataclasses import asdict

from mlflow.entities import Metric, Param

from ml.clv.pipeline import ScoringResult, ScoringSettings
from ml.clv.plots import holdout_figure
from ml.tracking import DAGSTER_RUN_TAG, FINGERPRINT_TAG, open_experiment, tracked_run

CLIENT_VALUE_EXPERIMENT = "chairside-client-value"


def log_scoring_run(
    result: ScoringResult,
    settings: ScoringSettings,
    *,
    tracking_uri: str,
    experiment: str,
    scoring_run_id: str,
    dagster_run_id: str,
    input_fingerprint: str,
) -> str:
    """Log the run; return its MLflow run id."""
    client, experiment_id = open_experiment(tracking_uri, experiment)
    tags = {
        DAGSTER_RUN_TAG: dagster_run_id,
        FINGERPRINT_TAG: input_fingerprint,
        "scoring_run_id": scoring_run_id,
    }
    with tracked_run(client, experiment_id, f"scores-{scoring_run_id}", tags) as run_id:
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
    return run_id
