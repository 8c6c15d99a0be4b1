"""From `fct_weekly_shop_metrics` rows to the complete weekly series the models train on.

Models need no half-finished week: a Wednesday's revenue, or a first week that began on a
Saturday, looks like a collapse. The mart says which weeks are complete (`is_complete`), so each
shop's series runs over those alone; quiet weeks are rows of zeros in the mart, not gaps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

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
    *,
    metrics: Sequence[str] = FORECAST_METRICS,
    subdivisions: Mapping[str, str] | None = None,
) -> tuple[list[WeeklySeries], dict[str, str]]:
    """Every shop's series per metric over its complete weeks, and the shops left out with the
    reason.

    `weekly` has shop_id, week_start, is_complete and the metric columns; `shops` has shop_id and
    time_zone. `subdivisions` names a shop's province where its time zone does not say (Montreal
    and Toronto share `America/Toronto`).
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
        rows = rows[rows["is_complete"].astype(bool)]
        if rows.empty:
            skipped[shop_id] = "no complete week yet"
            continue
        frame = rows.assign(week_start=pd.to_datetime(rows["week_start"])).set_index("week_start")
        weeks = pd.date_range(frame.index.min(), frame.index.max(), freq="W-MON")
        if len(weeks) != len(frame):
            skipped[shop_id] = f"{len(weeks) - len(frame)} weeks inside its history are incomplete"
            continue
        frame = frame.sort_index()[list(metrics)].astype(float)
        subdivision = overrides.get(shop_id) or province_for_time_zone(zone)
        series.extend(
            WeeklySeries(str(shop_id), metric, frame[metric].rename(metric), subdivision)
            for metric in metrics
        )
    return series, skipped
