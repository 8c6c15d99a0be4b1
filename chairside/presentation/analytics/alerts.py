"""Alerts as the owner reads them: each time a shop's health score or a scorecard principle fell
below its target (`marts.fct_shop_alerts`, docs/metrics.md "Alerts"), in a sentence.

An alert belongs to the day its month became complete (`known_on`). The apps list those known in
the picked range; a weekly snapshot lists those known in the seven days it answers for, so each
alert reaches the owner in one snapshot, not in every one while the metric stays below target.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from chairside.core.warehouse import read_frame
from chairside.presentation.analytics.catalog import existing_tables
from chairside.presentation.analytics.filters import Filters
from chairside.presentation.analytics.scorecard import value_text

SHOP_ALERTS = "marts.fct_shop_alerts"
SNAPSHOT_DAYS = 7
DAY = dt.timedelta(days=1)

ALERTS_SQL = f"""
select shop_id, alert_id, metric, metric_name, metric_order, month_start, known_on, value,
    target, previous_value, previous_month_start, next_change, raised_on
from {SHOP_ALERTS}
where shop_id in (select unnest(?::varchar[])) and known_on > ? and known_on <= ?
order by known_on desc, shop_id, metric_order
"""


def known_between(
    path: Path, shop_ids: Sequence[str], after: dt.date, through: dt.date
) -> pd.DataFrame | None:
    """The shops' alerts known after `after` and on or before `through`, newest first; None when
    the warehouse predates the alerts."""
    if SHOP_ALERTS not in existing_tables(path, [SHOP_ALERTS]):
        return None
    frame = read_frame(path, ALERTS_SQL, [list(shop_ids), after, through])
    return frame.assign(
        month_start=[day.date() for day in frame["month_start"]],
        known_on=[day.date() for day in frame["known_on"]],
    )


def in_range(path: Path, filters: Filters) -> pd.DataFrame | None:
    """The alerts of the picked shops known in the picked weeks."""
    return known_between(path, filters.shop_ids, filters.first_week - DAY, filters.end - DAY)


def for_snapshot(path: Path, shop_id: str, as_of: dt.date) -> pd.DataFrame | None:
    """The alerts a snapshot made on `as_of` carries: those known in its last seven days."""
    return known_between(path, [shop_id], as_of - dt.timedelta(days=SNAPSHOT_DAYS), as_of)


def sentence(alert: pd.Series, currency: str) -> str:
    """ "Rebooking fell below its target in October 2026: 52% against 60% (63% in September)."."""
    value = value_text(alert["metric"], alert["value"], currency)
    target = value_text(alert["metric"], alert["target"], currency)
    before = value_text(alert["metric"], alert["previous_value"], currency)
    previous = pd.Timestamp(alert["previous_month_start"])
    return (
        f"{alert['metric_name']} fell below its target in {alert['month_start']:%B %Y}: "
        f"{value} against {target} ({before} in {previous:%B %Y}, on target)."
    )


def display_table(alerts: pd.DataFrame, shops: pd.DataFrame) -> pd.DataFrame:
    """The alerts as a table an owner reads: shop, when, what happened and what to change.
    `shops` is indexed by shop id, with each shop's name and currency."""
    return pd.DataFrame(
        {
            "Shop": [shops.loc[shop, "shop_name"] for shop in alerts["shop_id"]],
            "Known on": [f"{day:%a %d %b %Y}" for day in alerts["known_on"]],
            "Alert": [
                sentence(row, str(shops.loc[row["shop_id"], "currency"]))
                for _, row in alerts.iterrows()
            ],
            "The change that would move it most": alerts["next_change"],
        }
    ).reset_index(drop=True)
