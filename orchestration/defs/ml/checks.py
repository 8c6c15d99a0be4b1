"""Checks on the ML marts: fresh before the Monday snapshots, and well formed.

The owner snapshots go out Monday 06:00 shop time, first in St. John's; forecasts and scores
must have been rebuilt in the six hours before. The content checks look at the latest run only
and block what reads the marts downstream (the snapshots) when they fail.
"""

import datetime as dt

import dagster as dg

from chairside.warehouse import read_frame
from ml.clv.scores import AT_RISK, AT_RISK_CHURN_RISK, AT_RISK_DAYS_OVERDUE, SEGMENTS
from orchestration.defs.ml.customer_scores import fct_customer_scores
from orchestration.defs.ml.forecasts import fct_forecasts
from orchestration.defs.resources import WarehouseResource

FRESHNESS_CHECKS = dg.build_last_update_freshness_checks(
    assets=[fct_forecasts, fct_customer_scores],
    deadline_cron="0 6 * * 1",
    timezone="America/St_Johns",
    lower_bound_delta=dt.timedelta(hours=6),
)

freshness_sensor = dg.build_sensor_for_freshness_checks(
    freshness_checks=FRESHNESS_CHECKS,
    name="ml_freshness_checks_sensor",
    default_status=dg.DefaultSensorStatus.RUNNING,
)

FORECAST_PROBLEMS_SQL = """
with latest as (
    select * from marts.fct_forecasts
    where forecast_run_id = (
        select forecast_run_id from marts.fct_forecasts order by created_at desc limit 1
    )
),
per_series as (
    select shop_id, metric, count(*) as weeks, count(distinct horizon_weeks) as horizons,
           min(horizon_weeks) as first_horizon, max(horizon_weeks) as last_horizon
    from latest
    group by shop_id, metric
)
select
    (select count(*) from latest) as rows,
    (select count(*) from per_series
     where weeks != horizons or first_horizon != 1 or last_horizon != weeks) as gappy_series,
    (select count(*) from latest
     where not (yhat_lower <= yhat and yhat <= yhat_upper)) as yhat_outside_interval,
    (select count(*) from latest
     where target_week_start != trained_through_week + 7 * horizon_weeks
        or isodow(target_week_start) != 1) as misplaced_weeks
"""

SEGMENT_LIST = ", ".join(f"'{segment}'" for segment in SEGMENTS)
SCORE_PROBLEMS_SQL = f"""
with latest as (
    select * from marts.fct_customer_scores
    where scoring_run_id = (
        select scoring_run_id from marts.fct_customer_scores order by scored_at desc limit 1
    )
)
select
    count(*) as rows,
    count(*) - count(distinct customer_key) as duplicate_clients,
    count(*) filter (where p_alive not between 0 and 1
                        or abs(churn_risk - (1 - p_alive)) > 1e-9) as bad_probabilities,
    count(*) filter (where segment not in ({SEGMENT_LIST})) as unknown_segments,
    count(*) filter (where (segment = '{AT_RISK}') != (
        churn_risk >= {AT_RISK_CHURN_RISK} or coalesce(days_overdue > {AT_RISK_DAYS_OVERDUE}, false)
    )) as misfiled_at_risk
from latest
"""


def _result(warehouse: WarehouseResource, sql: str) -> dg.AssetCheckResult:
    """Pass when every count but `rows` is zero; all counts go in the metadata."""
    counts = {
        name: int(count) for name, count in read_frame(warehouse.resolved_path, sql).iloc[0].items()
    }
    problems = {name: count for name, count in counts.items() if name != "rows" and count}
    return dg.AssetCheckResult(passed=not problems, metadata=counts)


@dg.asset_check(asset=fct_forecasts, blocking=True)
def latest_forecasts_are_well_formed(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Every series of the latest run has horizons 1..n on consecutive Mondays after its last
    training week, and every point forecast lies inside its interval."""
    return _result(warehouse, FORECAST_PROBLEMS_SQL)


@dg.asset_check(asset=fct_customer_scores, blocking=True)
def latest_scores_are_well_formed(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """One row per client in the latest run, probabilities in range, churn_risk = 1 - p_alive,
    known segments, and At-Risk exactly where METRICS.md puts it."""
    return _result(warehouse, SCORE_PROBLEMS_SQL)
