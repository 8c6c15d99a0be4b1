"""Forecast queries for the Forecasts app and the owner snapshot.

`fct_forecasts` is appended per run, so "the forecast" of a shop and metric is the run trained
on the latest weeks (the latest made among those: a forecast made afterwards as of an earlier
date never replaces it), and "what was forecast" for a past week is the forecast made closest
before it (the latest run trained before that week, i.e. its shortest horizon). Every forecast
row carries its champion's backtest MASE and 80% coverage, and they are shown with it.

A forecast that did no better than seasonal naive on held-out origins is never shown, whatever
the mart holds: the forecast run publishes seasonal naive instead of such a champion, a blocking
check stops the snapshots when the latest run has one anyway, and these queries, which the apps
and the snapshot read through, leave its weeks out (`withheld`). Its champion row stays, so the
page can say why there is no forecast.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from chairside.core.warehouse import read_frame
from chairside.presentation.analytics.filters import SHOPS, Filters, in_range

METRICS = {"appointments_completed": "Visits", "revenue_total": "Revenue"}
BASELINE = "seasonal_naive"
BASELINE_WORDS = {"seasonal_naive": "the same week last year", "naive": "the last week repeated"}


def withheld(table: str) -> str:
    """SQL: the champion of `table`'s row is not seasonal naive and its held-out MASE is not
    below seasonal naive's. NULL scores (a stated baseline too young to backtest) are no loss."""
    return (
        f"coalesce({table}.model != '{BASELINE}' "
        f"and {table}.mase >= {table}.mase_seasonal_naive, false)"
    )


LATEST_RUNS = f"""
latest_runs as (
    select
        shop_id, metric,
        arg_max(forecast_run_id, (trained_through_week, created_at)) as forecast_run_id
    from marts.fct_forecasts
    where {SHOPS}
    group by shop_id, metric
)"""

# $2: the reporting week; the forecast starts the week after it.
NEXT_WEEKS_SQL = f"""
with {LATEST_RUNS}
select
    f.shop_id, s.shop_name, f.metric, f.target_week_start as week_start, f.horizon_weeks,
    f.yhat, f.yhat_lower, f.yhat_upper
from marts.fct_forecasts as f
join latest_runs using (shop_id, metric, forecast_run_id)
join marts.dim_shop as s using (shop_id)
where f.target_week_start > $2 and not {withheld("f")}
order by f.shop_id, f.metric, f.target_week_start
"""

CHAMPIONS_SQL = f"""
with {LATEST_RUNS}
select
    s.shop_name, f.metric,
    any_value(f.model) as model,
    any_value(f.mase) as mase,
    any_value(f.mase_seasonal_naive) as mase_seasonal_naive,
    any_value(f.coverage_80) as coverage_80,
    bool_or({withheld("f")}) as withheld,
    any_value(f.trained_through_week) as trained_through_week,
    any_value(f.created_at) as created_at,
    any_value(f.mlflow_run_id) as mlflow_run_id
from marts.fct_forecasts as f
join latest_runs using (shop_id, metric, forecast_run_id)
join marts.dim_shop as s using (shop_id)
group by s.shop_name, f.metric
order by s.shop_name, f.metric
"""

# $4: the reporting week; later weeks have no complete actuals yet.
ACCURACY_SQL = f"""
with candidates as (
    select
        shop_id, metric, target_week_start as week_start, horizon_weeks, model,
        yhat, yhat_lower, yhat_upper,
        row_number() over (
            partition by shop_id, metric, target_week_start
            order by trained_through_week desc, created_at desc
        ) as pick
    from marts.fct_forecasts
    where {SHOPS} and {in_range("target_week_start")} and target_week_start <= $4
        and not {withheld("marts.fct_forecasts")}
)
select
    c.shop_id, s.shop_name, c.metric, c.week_start, c.horizon_weeks, c.model,
    c.yhat, c.yhat_lower, c.yhat_upper,
    cast(case c.metric
        when 'appointments_completed' then m.appointments_completed
        when 'revenue_total' then m.revenue_total
    end as double) as actual
from candidates as c
join marts.fct_weekly_shop_metrics as m using (shop_id, week_start)
join marts.dim_shop as s using (shop_id)
where c.pick = 1
order by c.shop_id, c.metric, c.week_start
"""

ACTUALS_SQL = f"""
select
    m.shop_id, s.shop_name, m.week_start,
    cast(m.appointments_completed as double) as appointments_completed,
    cast(m.revenue_total as double) as revenue_total
from marts.fct_weekly_shop_metrics as m
join marts.dim_shop as s using (shop_id)
where m.{SHOPS} and {in_range("m.week_start")}
order by m.shop_id, m.week_start
"""


def next_weeks(path: Path, shop_ids: tuple[str, ...], after_week: dt.date) -> pd.DataFrame:
    """The latest run's forecast per shop and metric for the weeks after `after_week`."""
    return read_frame(path, NEXT_WEEKS_SQL, [list(shop_ids), after_week])


def champions(path: Path, shop_ids: tuple[str, ...]) -> pd.DataFrame:
    """Per shop and metric, the latest run's model and its backtest MASE and coverage."""
    return read_frame(path, CHAMPIONS_SQL, [list(shop_ids)])


def held_out_record(champion: pd.Series) -> str:
    """What a champion row's scores mean, in a sentence; never a NaN shown as a number."""
    if pd.isna(champion["mase"]):
        baseline = BASELINE_WORDS.get(str(champion["model"]), str(champion["model"]))
        return (
            "No held-out score: too few complete weeks to backtest yet, so the forecast is a "
            f"stated baseline ({baseline})."
        )
    if champion["withheld"]:
        return (
            "Not shown: on held-out weeks it did no better than seasonal naive (the same week "
            "last year)."
        )
    return "Scored on weeks it was not picked on."


def champion_table(champions: pd.DataFrame) -> pd.DataFrame:
    """`champions` as the app shows them: scores as text ("–" where a series has none) and a
    sentence saying what they mean."""

    def number(value: float, pattern: str) -> str:
        return "–" if pd.isna(value) else pattern.format(value)

    return pd.DataFrame(
        {
            "shop": champions["shop_name"],
            "metric": champions["metric"].map(METRICS),
            "model": champions["model"],
            "held-out MASE": champions["mase"].map(lambda v: number(v, "{:.2f}")),
            "seasonal naive MASE": champions["mase_seasonal_naive"].map(
                lambda v: number(v, "{:.2f}")
            ),
            "80% coverage": champions["coverage_80"].map(lambda v: number(v, "{:.0%}")),
            "held-out record": [held_out_record(row) for _, row in champions.iterrows()],
            "trained through": champions["trained_through_week"],
        }
    )


def forecast_vs_actual(path: Path, filters: Filters, reporting_week: dt.date) -> pd.DataFrame:
    """Complete weeks of the range with what was forecast for them and what happened.

    `inside` says whether the actual fell inside the 80% interval, `error` is actual - yhat.
    """
    frame = read_frame(path, ACCURACY_SQL, filters.params(reporting_week))
    return frame.assign(
        error=frame["actual"] - frame["yhat"],
        inside=(frame["actual"] >= frame["yhat_lower"]) & (frame["actual"] <= frame["yhat_upper"]),
    )


def actuals(path: Path, filters: Filters) -> pd.DataFrame:
    """The forecast metrics' actual values in long form: shop, week_start, metric, actual."""
    frame = read_frame(path, ACTUALS_SQL, filters.params())
    return frame.melt(
        id_vars=["shop_id", "shop_name", "week_start"],
        value_vars=list(METRICS),
        var_name="metric",
        value_name="actual",
    )


def accuracy_summary(compared: pd.DataFrame) -> pd.DataFrame:
    """Per shop and metric over `forecast_vs_actual` weeks: how often the actual fell inside the
    80% interval (about 80% when the interval is honest) and the typical miss."""
    frame = compared.assign(
        abs_error=compared["error"].abs(),
        abs_pct_error=compared["error"].abs() / compared["actual"].where(compared["actual"] > 0),
    )
    return (
        frame.groupby(["shop_name", "metric"], as_index=False)
        .agg(
            weeks=("week_start", "count"),
            inside_80=("inside", "mean"),
            mean_abs_error=("abs_error", "mean"),
            mean_abs_pct_error=("abs_pct_error", "mean"),
        )
        .assign(metric=lambda summary: summary["metric"].map(METRICS))
    )
