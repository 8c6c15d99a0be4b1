"""`marts.fct_customer_scores`: every client's value, churn risk and segment, per scoring run.

Scores are computed through the last day that has ended in every shop, from completed visits
only. A chain with too short a history for the holdout check gets no scores yet (see
`ml.clv.pipeline`); the run then succeeds with nothing written and says why.
"""

import datetime as dt

import dagster as dg
from pydantic import Field

from chairside.core.warehouse import read_frame
from ml.clv.models import ModelNotIdentified
from ml.clv.pipeline import ScoringSettings, history_shortfall, run_scoring, score_rows
from ml.clv.tracking import CLIENT_VALUE_EXPERIMENT, log_scoring_run
from ml.tables import CUSTOMER_SCORES, append_run
from ml.tracking import fingerprint
from orchestration.defs.ml.resources import MlflowResource
from orchestration.defs.resources import ClockResource, WarehouseResource

APPOINTMENTS_KEY = dg.AssetKey(["marts", "fct_appointments"])
DIM_CUSTOMER_KEY = dg.AssetKey(["marts", "dim_customer"])
DIM_SHOP_KEY = dg.AssetKey(["marts", "dim_shop"])

VISITS_SQL = """
select
    cast(customer_key as varchar) as customer_key,
    service_date as visit_date,
    cast(revenue_total as double) as revenue
from marts.fct_appointments
where status = 'completed' and customer_key is not null
order by customer_key, service_date, appointment_id
"""
HOME_SHOPS_SQL = """
select cast(customer_key as varchar) as customer_key, home_shop_id
from marts.dim_customer
order by customer_key
"""
ZONES_SQL = "select distinct time_zone from marts.dim_shop order by time_zone"


DEFAULTS = ScoringSettings()


class ScoringConfig(dg.Config):
    holdout_days: int = Field(
        default=DEFAULTS.holdout_days,
        description="Holdout of the model check; scoring needs twice this much history.",
    )
    penalizer: float = Field(
        default=DEFAULTS.penalizer,
        description="L2 penalty of the fits; 0 is plain maximum likelihood.",
    )
    experiment: str = Field(default=CLIENT_VALUE_EXPERIMENT, description="MLflow experiment name.")


@dg.asset(
    key=CUSTOMER_SCORES.name.split("."),
    group_name="ml",
    deps=[APPOINTMENTS_KEY, DIM_CUSTOMER_KEY, DIM_SHOP_KEY],
    kinds={"python", "duckdb", "mlflow"},
    description="Per client and scoring run: p_alive, expected visits, 12-month value with an "
    "80% range (modified BG/NBD x Gamma-Gamma), churn risk (90 days), value at stake, days "
    "overdue, overdue ratio and segment.",
)
def fct_customer_scores(
    context: dg.AssetExecutionContext,
    config: ScoringConfig,
    warehouse: WarehouseResource,
    mlflow: MlflowResource,
    clock: ClockResource,
) -> dg.MaterializeResult:
    visits = read_frame(warehouse.resolved_path, VISITS_SQL)
    home = read_frame(warehouse.resolved_path, HOME_SHOPS_SQL)
    zones = read_frame(warehouse.resolved_path, ZONES_SQL)["time_zone"].tolist()
    settings = ScoringSettings(penalizer=config.penalizer, holdout_days=config.holdout_days)
    if not zones:
        return _no_scores(context, warehouse, "no shop in dim_shop")
    observation_end = clock.clock.last_complete_day(zones)
    shortfall = history_shortfall(visits, observation_end, settings)
    if shortfall is not None:
        return _no_scores(context, warehouse, shortfall)

    try:
        result = run_scoring(
            visits, home.set_index("customer_key")["home_shop_id"], observation_end, settings
        )
    except ModelNotIdentified as error:
        return _no_scores(context, warehouse, str(error))
    mlflow_run_id = log_scoring_run(
        result,
        settings,
        visits,
        tracking_uri=mlflow.resolved_uri,
        experiment=config.experiment,
        scoring_run_id=context.run.run_id,
        dagster_run_id=context.run.run_id,
        input_fingerprint=fingerprint(visits),
    )
    rows = score_rows(
        result,
        scoring_run_id=context.run.run_id,
        scored_at=dt.datetime.now(dt.UTC),
        mlflow_run_id=mlflow_run_id,
    )
    with warehouse.connect() as con:
        written = append_run(con, CUSTOMER_SCORES, rows, context.run.run_id)

    segments = rows["segment"].value_counts()
    return dg.MaterializeResult(
        metadata={
            "rows": written,
            "observation_end": observation_end.isoformat(),
            "holdout_churn_auc": result.holdout.churn_auc,
            "holdout_overdue_ratio_auc": result.holdout.overdue_ratio_auc,
            "holdout_calibration_max_gap": result.holdout.max_decile_gap,
            "holdout_visits_actual": result.holdout.actual_visits,
            "holdout_visits_predicted": result.holdout.predicted_visits,
            **{f"segment {name}": int(count) for name, count in segments.items()},
            "mlflow_run_id": mlflow_run_id,
        }
    )


def _no_scores(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, reason: str
) -> dg.MaterializeResult:
    """A run that writes no scores still creates the table and says why."""
    context.log.warning(f"no customer scores this run: {reason}")
    with warehouse.connect() as con:
        append_run(con, CUSTOMER_SCORES, CUSTOMER_SCORES.empty_rows(), context.run.run_id)
    return dg.MaterializeResult(metadata={"rows": 0, "skipped": reason})
