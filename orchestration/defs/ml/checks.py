"""Checks on the ML marts: fresh before the Monday snapshots, and well formed.

The owner snapshots go out Monday 06:00 shop time, first in St. John's; forecasts and scores
must have been rebuilt in the six hours before. The content checks look at the latest run only
(of forecasts, the one trained on the latest weeks, as the apps and snapshots read them) and
block what reads the marts downstream (the snapshots) when they fail.
"""

import datetime as dt

import dagster as dg

from chairside.core.warehouse import read_frame
from ml.clv.evaluation import MAX_DECILE_GAP, MIN_CHURN_AUC
from ml.clv.scores import (
    AT_RISK,
    AT_RISK_CHURN_RISK,
    AT_RISK_OVERDUE_RATIO,
    LAPSED,
    LAPSED_CHURN_RISK,
    LAPSED_DAYS,
    SEGMENTS,
)
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
        select forecast_run_id from marts.fct_forecasts
        order by trained_through_week desc, created_at desc limit 1
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
        or isodow(target_week_start) != 1) as misplaced_weeks,
    (select count(*) from latest
     where mase > mase_seasonal_naive
        or (model != 'seasonal_naive' and mase >= mase_seasonal_naive)) as lost_to_seasonal_naive
"""

# The bands of docs/metrics.md (Forecasts): held-out coverage of the 80% interval, and skill, a
# held-out MASE below 1 (better than "next week as this week").
COVERAGE_BAND = (0.75, 0.85)
MAX_MASE = 1.0
FORECAST_BANDS_SQL = f"""
with latest as (
    select * from marts.fct_forecasts
    where forecast_run_id = (
        select forecast_run_id from marts.fct_forecasts
        order by trained_through_week desc, created_at desc limit 1
    )
)
select distinct shop_id, metric, model, mase, mase_seasonal_naive, coverage_80
from latest
where coverage_80 not between {COVERAGE_BAND[0]} and {COVERAGE_BAND[1]} or mase >= {MAX_MASE}
order by shop_id, metric
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
                        or churn_risk not between 0 and 1) as bad_probabilities,
    count(*) filter (where segment not in ({SEGMENT_LIST})) as unknown_segments,
    count(*) filter (where (segment = '{LAPSED}') != (
        as_of_date - last_visit_date > {LAPSED_DAYS} or churn_risk >= {LAPSED_CHURN_RISK}
    )) as misfiled_lapsed,
    count(*) filter (where segment != '{LAPSED}' and (segment = '{AT_RISK}') != (
        coalesce(overdue_ratio >= {AT_RISK_OVERDUE_RATIO}, false)
        or churn_risk >= {AT_RISK_CHURN_RISK}
    )) as misfiled_at_risk,
    count(*) filter (where not (predicted_clv_12m_low <= predicted_clv_12m_high)
                        or abs(value_at_stake - predicted_clv_12m * churn_risk) > 0.01
    ) as bad_values
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
    training week, every point forecast lies inside its interval, and no champion but seasonal
    naive itself has a held-out MASE at or above seasonal naive's (blocks the owner snapshots
    from showing one; the apps' queries leave such weeks out besides)."""
    return _result(warehouse, FORECAST_PROBLEMS_SQL)


@dg.asset_check(asset=fct_forecasts)
def latest_forecasts_are_in_band(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Warns, naming the series, when a series' held-out coverage of the 80% interval leaves
    0.75-0.85 or its held-out MASE is 1 or more. A warning, not a block: with about 25 held-out
    weeks per series, coverage of a well-calibrated interval leaves the band by chance now and
    then, and the forecast is still the best one held out."""
    outside = read_frame(warehouse.resolved_path, FORECAST_BANDS_SQL)
    return dg.AssetCheckResult(
        passed=outside.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "series_outside": len(outside),
            "coverage_band": f"{COVERAGE_BAND[0]}-{COVERAGE_BAND[1]}",
            "max_mase": MAX_MASE,
            "outside": dg.MetadataValue.md(outside.to_markdown(index=False))
            if not outside.empty
            else "none",
        },
    )


@dg.asset_check(asset=fct_customer_scores, blocking=True)
def latest_scores_are_well_formed(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """One row per client in the latest run, probabilities in range, known segments, Lapsed and
    At-Risk exactly where docs/metrics.md puts them, value at stake = value x churn risk."""
    return _result(warehouse, SCORE_PROBLEMS_SQL)


@dg.asset_check(asset=fct_customer_scores)
def churn_risk_holds_its_band(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
    """Warns when the latest run's holdout churn AUC falls under 0.80 or under the plain overdue
    ratio's, or a decile's predicted rate is more than 5 points off the observed one (the
    figures the asset measured out of fold, `ml.clv.evaluation`). A run without scores passes."""
    event = context.instance.get_latest_materialization_event(fct_customer_scores.key)
    metadata = event.asset_materialization.metadata if event and event.asset_materialization else {}
    if "holdout_churn_auc" not in metadata:
        return dg.AssetCheckResult(passed=True, metadata={"scored": False})
    auc = float(metadata["holdout_churn_auc"].value)
    baseline = float(metadata["holdout_overdue_ratio_auc"].value)
    gap = float(metadata["holdout_calibration_max_gap"].value)
    return dg.AssetCheckResult(
        passed=auc >= MIN_CHURN_AUC and auc >= baseline and gap <= MAX_DECILE_GAP,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"churn_auc": auc, "overdue_ratio_auc": baseline, "max_decile_gap": gap},
    )
