"""The ML layer in Dagster: forecast and client-score marts, their checks, the weekly run.

Wire into `orchestration.definitions` with the lists below; the assets also need the
`warehouse` resource that is already there.
"""

from orchestration.defs.ml.checks import (
    FRESHNESS_CHECKS,
    churn_risk_holds_its_band,
    freshness_sensor,
    latest_forecasts_are_in_band,
    latest_forecasts_are_well_formed,
    latest_scores_are_well_formed,
)
from orchestration.defs.ml.customer_scores import fct_customer_scores
from orchestration.defs.ml.forecasts import fct_forecasts
from orchestration.defs.ml.resources import MlflowResource
from orchestration.defs.ml.schedules import ml_weekly_job, ml_weekly_schedule

ML_ASSETS = [fct_forecasts, fct_customer_scores]
ML_CHECKS = [
    *FRESHNESS_CHECKS,
    latest_forecasts_are_well_formed,
    churn_risk_holds_its_band,
    latest_forecasts_are_in_band,
    latest_scores_are_well_formed,
]
ML_JOBS = [ml_weekly_job]
ML_SCHEDULES = [ml_weekly_schedule]
ML_SENSORS = [freshness_sensor]
ML_RESOURCES = {"mlflow": MlflowResource()}
