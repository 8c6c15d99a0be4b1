"""Every weekly metric of docs/metrics.md, under its docs/metrics.md name, re-aggregated correctly.

The metrics themselves (label, family, numerator and denominator of each rate) come from the one
registry that dbt computes the mart from (`chairside/metric_registry.py`); this module only says
how each kind of metric re-aggregates.

`fct_weekly_shop_metrics` holds one row per shop and week, with each rate's numerator and
denominator next to it. Over several shops (or weeks) a rate is the sum of its numerators over the
sum of its denominators, never the mean of the rates: a quiet shop's 50% must not weigh as much as
a busy shop's 10%. Each `Kpi` therefore carries its numerator and denominator as SQL aggregates
over the mart's rows (`m`) and the visit intervals of the same shop-weeks (`gaps`).

Some metrics need more than the mart stores. `avg_visit_interval_days`: the mart keeps only the
mean, so the sum and count of intervals come from `fct_appointments` for the same shop-weeks,
taken as the mart takes them. `clients_served` (and `returning_clients`): distinct clients do not
add up over weeks, so a range counts them from `fct_appointments`; one week adds the shops up,
which counts a client served by two of the picked shops in the same week once per shop (rare, and
exact counting would cost a scan of every visit on each filter change). `revenue_wow_growth` is
a week's revenue over the previous week's, across the picked shops.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pandas as pd

from chairside.core.warehouse import read_frame
from chairside.metric_registry import Kind, MetricDefinition, weekly_metrics
from chairside.presentation.analytics.filters import SHOPS, WEEK, Filters


class Unit(StrEnum):
    COUNT = "count"
    RATE = "rate"
    MONEY = "money"
    SECONDS = "seconds"
    DAYS = "days"


class Family(StrEnum):
    CALLS = "Calls"
    APPOINTMENTS = "Appointments"
    MONEY = "Money"
    CLIENTS = "Clients"


@dataclass(frozen=True)
class Kpi:
    name: str  # the docs/metrics.md name, also the column name in every frame built here
    label: str
    family: Family
    unit: Unit
    numerator: str | None  # SQL aggregate over the rows; None: computed by the query (see above)
    denominator: str | None = None
    higher_is_better: bool | None = True  # None: neither direction is good news by itself
    pending: str | None = None  # why a recent week has no value yet, when that is normal

    @property
    def sql(self) -> str:
        if self.numerator is None:
            raise ValueError(f"{self.name} is derived from other KPIs, not aggregated")
        if self.denominator is None:
            return f"{self.numerator} as {self.name}"
        return (
            f"cast({self.numerator} as double) / nullif(cast({self.denominator} as double), 0)"
            f" as {self.name}"
        )


# Means whose parts are not in the mart: the visit intervals of the same shop-weeks (`gaps`).
_MEANS_FROM_APPOINTMENTS = {
    "avg_visit_interval_days": ("sum(gaps.interval_days)", "sum(gaps.intervals)"),
}


def _parts(metric: MetricDefinition) -> tuple[str | None, str | None]:
    """The SQL aggregates over the mart's rows (`m`) that re-aggregate `metric`."""
    name = metric.name
    if metric.kind in (Kind.COUNT, Kind.MONEY):
        return f"sum(m.{name})", None
    if metric.kind is Kind.RATE:
        # a rate known only some time after its week counts the weeks that have it (not NULL)
        known = f" filter (where m.{name} is not null)" if metric.known_after_days else ""
        return f"sum(m.{metric.numerator}){known}", f"sum(m.{metric.denominator}){known}"
    if metric.kind is Kind.MEAN and metric.weight:
        return (
            f"sum(m.{name} * m.{metric.weight})",
            f"sum(m.{metric.weight}) filter (where m.{name} is not null)",
        )
    if metric.kind is Kind.MEAN:
        return _MEANS_FROM_APPOINTMENTS[name]
    return None, None  # growth: computed by the query from the weeks' values


def _kpi(metric: MetricDefinition) -> Kpi:
    numerator, denominator = _parts(metric)
    return Kpi(
        metric.name,
        metric.label,
        Family(metric.family),
        Unit(metric.unit),
        numerator,
        denominator,
        higher_is_better=metric.higher_is_better,
        pending=(
            f"Known {metric.known_after_days} days after the week"
            if metric.known_after_days
            else None
        ),
    )


KPIS: tuple[Kpi, ...] = tuple(_kpi(metric) for metric in weekly_metrics().values())
KPI_BY_NAME = {kpi.name: kpi for kpi in KPIS}
WOW = KPI_BY_NAME["revenue_wow_growth"]

_AGGREGATES = ",\n        ".join(kpi.sql for kpi in KPIS if kpi.numerator is not None)


def _kpi_sql(weeks: str, *, by_week: bool) -> str:
    """The KPIs of the picked shops ($1) over the weeks that `weeks` (a condition on the column
    `{column}`) selects: one row per week, or one row for them all."""
    return f"""
with gaps as (
    select shop_id, week_start,
           sum(days_since_previous_visit) as interval_days,
           count(days_since_previous_visit) as intervals
    from marts.fct_appointments
    where {SHOPS} and {weeks.format(column="week_start")}
    group by shop_id, week_start
),
aggregated as (
    select
        {"m.week_start," if by_week else ""}
        bool_and(m.is_complete) as is_complete,
        {_AGGREGATES}
    from marts.fct_weekly_shop_metrics as m
    left join gaps using (shop_id, week_start)
    where m.{SHOPS} and {weeks.format(column="m.week_start")}
    {"group by m.week_start" if by_week else ""}
)"""


# $2: the weeks asked for ($3) and the week before each, so each has its week-on-week growth.
WEEKLY_KPIS_SQL = f"""
{_kpi_sql("{column} in (select unnest($2::date[]))", by_week=True)}
select
    this.*,
    case when this.is_complete and previous.is_complete then
        cast(this.revenue_total as double) / nullif(cast(previous.revenue_total as double), 0) - 1
    end as revenue_wow_growth
from aggregated as this
left join aggregated as previous on previous.week_start = this.week_start - interval 7 day
where this.week_start in (select unnest($3::date[]))
order by this.week_start
"""

PERIOD_KPIS_SQL = f"""
{_kpi_sql("{column} >= $2 and {column} < $3", by_week=False)},
served as (
    select count(distinct customer_key) as clients_served
    from marts.fct_appointments
    where {SHOPS} and week_start >= $2 and week_start < $3 and status = 'completed'
)
select this.* replace (
    served.clients_served as clients_served,
    served.clients_served - this.new_clients as returning_clients
)
from aggregated as this, served
"""


def kpis_for_weeks(path: Path, shop_ids: tuple[str, ...], weeks: Iterable[dt.date]) -> pd.DataFrame:
    """One row per week of `weeks` that has data (week_start, is_complete: complete in every
    shop, and every KPI), over all of `shop_ids` together. One query for any set of weeks: an
    app asks for its trend, this week, last week and the same week last year at once."""
    wanted = sorted(set(weeks))
    with_previous = sorted(set(wanted) | {week - WEEK for week in wanted})
    frame = read_frame(path, WEEKLY_KPIS_SQL, [list(shop_ids), with_previous, wanted])
    return frame[["week_start", "is_complete", *(kpi.name for kpi in KPIS)]]


@dataclass(frozen=True)
class WeekInContext:
    """A week's KPIs next to the week before and the same week a year earlier (52 weeks, so
    the weekdays line up), and the trend leading to it. A week without data, or not complete in
    every shop, is None, and the trend holds complete weeks only: a partial week would read as a
    collapse."""

    trend: pd.DataFrame
    week: pd.Series | None
    week_before: pd.Series | None
    year_before: pd.Series | None


def week_in_context(
    path: Path, shop_ids: tuple[str, ...], week: dt.date, trend_weeks: Iterable[dt.date]
) -> WeekInContext:
    """`week` in context, in one query (an app pays one connection for its whole header)."""
    trend = list(trend_weeks)
    year_before = week - 52 * WEEK
    frame = kpis_for_weeks(path, shop_ids, [*trend, week, week - WEEK, year_before])
    complete = frame[frame["is_complete"].astype(bool)]
    rows = complete.set_index(complete["week_start"].dt.date)

    def row(day: dt.date) -> pd.Series | None:
        return rows.loc[day] if day in rows.index else None

    return WeekInContext(
        trend=complete[complete["week_start"].dt.date.isin(trend)].reset_index(drop=True),
        week=row(week),
        week_before=row(week - WEEK),
        year_before=row(year_before),
    )


def weekly_kpis(path: Path, filters: Filters) -> pd.DataFrame:
    """One row per complete week of `filters` (complete in every shop), over all its shops
    together: the trend charts' rows, where a partial week would read as a collapse."""
    frame = kpis_for_weeks(path, filters.shop_ids, filters.mondays())
    return frame[frame["is_complete"].astype(bool)].reset_index(drop=True)


def period_kpis(path: Path, filters: Filters) -> pd.Series:
    """Every KPI over the whole range of `filters`, but week-on-week growth (a range has none)."""
    return read_frame(path, PERIOD_KPIS_SQL, filters.params()).iloc[0]


def format_value(kpi: Kpi, value: float | None, currency: str = "") -> str:
    """A KPI value as an owner reads it; a missing value (rate without denominator) is "–"."""
    if _missing(value):
        return "–"
    if kpi.unit is Unit.RATE:
        return f"{value:+.1%}" if kpi is WOW else f"{value:.1%}"
    if kpi.unit is Unit.MONEY:
        return f"{currency} {value:,.2f}".strip()
    if kpi.unit is Unit.SECONDS:
        minutes, seconds = divmod(round(value), 60)
        return f"{minutes}:{seconds:02d} min"
    if kpi.unit is Unit.DAYS:
        return f"{value:.0f} days"
    return f"{value:,.0f}"


def change(kpi: Kpi, current: float | None, previous: float | None) -> str:
    """How `current` moved from `previous`: points for rates, percent for everything else."""
    if _missing(current) or _missing(previous):
        return "–"
    if kpi.unit is Unit.RATE:
        points = round((current - previous) * 100, 1)
        return "±0 pts" if points == 0 else f"{points:+.1f} pts"
    if previous == 0:
        return "new" if current else "±0"
    percent = round((current / previous - 1) * 100)
    return "±0%" if percent == 0 else f"{percent:+d}%"


def direction(kpi: Kpi, current: float | None, previous: float | None) -> str | None:
    """ "increase", "decrease" or None, as `mo.stat` takes it: None too when the change shown
    beside the arrow rounds to nothing, so no arrow points at "±0"."""
    if change(kpi, current, previous).startswith(("–", "±")):
        return None
    return "increase" if current > previous else "decrease"


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
