"""From `fct_weekly_shop_metrics` rows to the weekly series the models train on.

Only complete weeks count (docs/metrics.md): the mart's `is_complete` is false for a shop's partial
first week (its data start mid-week) and for the week in progress, and a model must see
neither: a half week looks like a collapse in visits. The mart decided as of its build; a
forecast made as of an earlier date (`ended_as_of`) also leaves out the weeks that had not ended
by then, so it sees only the weeks that morning's run saw.

Between a shop's first and last complete week:
- a complete week without a row, or with NULL metrics, is a week without activity: a real zero
  (the mart writes a row for every week, so this only happens in hand-made frames);
- a closed holiday week is complete, with zeros, and stays: the seasonal candidates learn it;
- an incomplete week cannot be interior in the mart. Should one ever be, the weeks before it are
  not contiguous with the rest, so the series starts after it, and the shortening is reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from chairside.core.clock import WEEK, Clock

FORECAST_METRICS = ("appointments_completed", "revenue_total")


@dataclass(frozen=True)
class WeeklySeries:
    """One metric of one shop: `values` indexed by contiguous week-start Mondays."""

    shop_id: str
    metric: str
    values: pd.Series

    @property
    def trained_through_week(self) -> dt.date:
        return self.values.index[-1].date()


def ended_as_of(
    weekly: pd.DataFrame, shops: pd.DataFrame, clock: Clock, *, weeks_back: int = 0
) -> pd.DataFrame:
    """`weekly` with `is_complete` false for every week that had not ended `weeks_back` weeks
    before the clock's today in its shop (`shops` has shop_id and time_zone). On the build's own
    clock and no weeks back this changes nothing; one week back, it hides the last complete
    week, as from the run of the Monday before. A shop missing from `shops` keeps its rows for
    `build_weekly_series` to report."""
    zones = shops.set_index("shop_id")["time_zone"]
    then = {
        shop_id: pd.Timestamp(clock.today(zone) - WEEK * weeks_back)
        for shop_id, zone in zones.items()
    }
    ends = pd.to_datetime(weekly["week_start"]) + WEEK
    ended = ends <= weekly["shop_id"].map(then).fillna(ends)
    return weekly.assign(is_complete=weekly["is_complete"].fillna(False).astype(bool) & ended)


def build_weekly_series(
    weekly: pd.DataFrame,
    shops: pd.DataFrame,
    *,
    metrics: Sequence[str] = FORECAST_METRICS,
) -> tuple[list[WeeklySeries], dict[str, str]]:
    """Every shop's complete-week series per metric, and notes on shops left out or shortened.

    `weekly` has shop_id, week_start, is_complete and the metric columns; `shops` has shop_id
    (a shop of the mart missing from dim_shop is reported, not forecast).
    """
    known = set(shops["shop_id"])
    series: list[WeeklySeries] = []
    notes: dict[str, str] = {}
    for shop_id, rows in weekly.groupby("shop_id", sort=True):
        if shop_id not in known:
            notes[shop_id] = "not in dim_shop"
            continue
        rows = rows.assign(week_start=pd.to_datetime(rows["week_start"]))
        complete = rows["is_complete"].fillna(False).astype(bool)
        if not complete.any():
            notes[shop_id] = "no complete week yet"
            continue
        first, last = rows.loc[complete, "week_start"].agg(["min", "max"])
        interior_incomplete = rows.loc[
            ~complete & rows["week_start"].between(first, last), "week_start"
        ]
        if not interior_incomplete.empty:
            gap = interior_incomplete.max()
            first = gap + pd.Timedelta(weeks=1)
            notes[shop_id] = (
                f"week of {gap.date()} is incomplete; series starts after it, on {first.date()}"
            )
        weeks = pd.date_range(first, last, freq="W-MON", name="week_start")
        frame = rows[complete].set_index("week_start")[list(metrics)].astype(float)
        frame = frame.reindex(weeks).fillna(0.0)
        series.extend(
            WeeklySeries(str(shop_id), metric, frame[metric].rename(metric)) for metric in metrics
        )
    return series, notes
