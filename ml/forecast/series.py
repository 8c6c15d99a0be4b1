"""From `fct_weekly_shop_metrics` rows to the complete weekly series the models train on.

The mart has no row for a week without activity, and its newest row is the week in progress.
Models need neither gaps nor a half-finished week (a Wednesday's revenue looks like a collapse),
so each shop's series runs from its first week to its last *complete* week in the shop's own
time zone, with missing weeks as zeros.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from ml.clock import last_complete_week
from ml.forecast.public_holidays import province_for_time_zone

FORECAST_METRICS = ("appointments_completed", "revenue_total")


@dataclass(frozen=True)
class WeeklySeries:
    """One metric of one shop: `values` indexed by contiguous week-start Mondays."""

    shop_id: str
    metric: str
    values: pd.Series
    subdivision: str | None  # the province whose public holidays apply

    @property
    def trained_through_week(self) -> dt.date:
        return self.values.index[-1].date()


def build_weekly_series(
    weekly: pd.DataFrame,
    shops: pd.DataFrame,
    now: dt.datetime,
    *,
    metrics: Sequence[str] = FORECAST_METRICS,
    subdivisions: Mapping[str, str] | None = None,
) -> tuple[list[WeeklySeries], dict[str, str]]:
    """Every shop's series per metric, and the shops left out with the reason.

    `weekly` has shop_id, week_start and the metric columns; `shops` has shop_id and time_zone.
    `subdivisions` names a shop's province where its time zone does not say (Montreal and
    Toronto share `America/Toronto`).
    """
    overrides = subdivisions or {}
    zones = dict(zip(shops["shop_id"], shops["time_zone"], strict=True))
    series: list[WeeklySeries] = []
    skipped: dict[str, str] = {}
    for shop_id, rows in weekly.groupby("shop_id", sort=True):
        zone = zones.get(shop_id)
        if zone is None:
            skipped[shop_id] = "no time zone in dim_shop"
            continue
        through = pd.Timestamp(last_complete_week(now, zone))
        rows = rows.assign(week_start=pd.to_datetime(rows["week_start"]))
        rows = rows[rows["week_start"] <= through]
        if rows.empty:
            skipped[shop_id] = f"no complete week through {through.date()}"
            continue
        weeks = pd.date_range(rows["week_start"].min(), through, freq="W-MON", name="week_start")
        frame = rows.set_index("week_start")[list(metrics)].astype(float)
        frame = frame.reindex(weeks, fill_value=0.0)
        subdivision = overrides.get(shop_id) or province_for_time_zone(zone)
        series.extend(
            WeeklySeries(str(shop_id), metric, frame[metric].rename(metric), subdivision)
            for metric in metrics
        )
    return series, skipped
