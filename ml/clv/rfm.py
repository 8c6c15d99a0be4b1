"""Visits -> the recency/frequency/monetary summary the BG/NBD and Gamma-Gamma models fit on.

Conventions of Fader, Hardie & Lee (2005), which the CDNOW reproduction test holds us to:
- visits of one client on one day are one visit (their spend summed);
- `frequency` counts repeat visits, so the first visit is not one;
- `recency` is the time from first to last visit and `T` from first visit to the end of the
  observation period, in `time_unit_days` units (weeks here, as in the literature), from exact
  day counts rather than calendar-period counts;
- `monetary_value` is the mean spend of the repeat visits (0 for clients without one), the
  quantity the Gamma-Gamma model describes.

lifetimes ships `summary_data_from_transaction_data` and `calibration_and_holdout_data` for this,
but counts periods (`freq="W"` merges a client's visits in the same calendar week, which moves
the CDNOW estimates off the published ones), and the latter fails on pandas 3 ("No objects to
concatenate"). Both are a few lines of pandas, written out here.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

DAYS_PER_WEEK = 7.0


def daily_visits(visits: pd.DataFrame, through: dt.date) -> pd.DataFrame:
    """One row per client and visit day up to `through` (inclusive), spend summed.

    `visits` has customer_key, visit_date (date) and revenue (NULL counts as 0).
    """
    days = pd.to_datetime(visits["visit_date"])
    kept = visits.assign(visit_date=days, revenue=visits["revenue"].fillna(0.0).astype(float))
    kept = kept[days <= pd.Timestamp(through)]
    return kept.groupby(["customer_key", "visit_date"], as_index=False, sort=True)["revenue"].sum()


def rfm_summary(
    visits: pd.DataFrame, observation_end: dt.date, *, time_unit_days: float = DAYS_PER_WEEK
) -> pd.DataFrame:
    """Per client with a visit by `observation_end`: frequency, recency, T, monetary_value, and
    first_visit, last_visit and mean_interval_days (NaN for one-visit clients) for scoring."""
    days = daily_visits(visits, observation_end)
    per_client = days.groupby("customer_key", sort=True)
    first = per_client["visit_date"].min()
    last = per_client["visit_date"].max()
    frequency = per_client.size() - 1
    repeat_spend = per_client["revenue"].sum() - per_client["revenue"].first()
    span_days = (last - first).dt.days.astype(float)
    end = pd.Timestamp(observation_end)
    return pd.DataFrame(
        {
            "frequency": frequency,
            "recency": span_days / time_unit_days,
            "T": (end - first).dt.days.astype(float) / time_unit_days,
            "monetary_value": (repeat_spend / frequency.where(frequency > 0)).fillna(0.0),
            "first_visit": first.dt.date,
            "last_visit": last.dt.date,
            "mean_interval_days": span_days / frequency.where(frequency > 0),
        }
    )


def holdout_visits(visits: pd.DataFrame, start: dt.date, end: dt.date) -> pd.Series:
    """Visit days per client after `start` up to `end` (inclusive); clients without are absent."""
    days = daily_visits(visits, end)
    in_holdout = days[days["visit_date"] > pd.Timestamp(start)]
    return in_holdout.groupby("customer_key").size().rename("holdout_visits")
