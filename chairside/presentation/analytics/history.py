"""The weekly history the insight rules read, per shop, counted back from a reporting week.

Sixty weeks of the mart: the longest window a rule looks at is four weeks a year back (52 + 4),
and the 90-day retention rule looks 13 + 8 + 12 weeks back. Missed after-hours calls (from
`fct_calls`, the mart has no such count) and the visits per service are only compared over the
recent and norm windows, so only those weeks are read. One query, one short connection: the
services ride along as a list per shop-week. The SQL numbers each row by weeks back, and the
rows become arrays for all shops at once (see `ShopHistory`). Only complete weeks are read: a
rule never compares against a partial first week or the week in progress.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from chairside.core.warehouse import read_frame
from chairside.presentation.analytics.catalog import Catalog
from chairside.presentation.analytics.filters import SHOPS, Filters, in_range
from chairside.presentation.analytics.insights import (
    NORM_WEEKS,
    RECENT_WEEKS,
    RETENTION,
    ShopHistory,
)

HISTORY_WEEKS = 60


def _known_only(column: str | None) -> str:
    return f"case when m.{RETENTION.name} is not null then m.{column} else 0 end as {column}"


DETAIL_WEEKS = RECENT_WEEKS + NORM_WEEKS

COUNTS = (
    "calls_total",
    "calls_answered",
    "missed_after_hours",
    "appointments_scheduled",
    "appointments_completed",
    "appointments_no_show",
    "appointments_cancelled",
    "visits_rebooked",
    "new_clients",
    "new_clients_retained_90d",
)

# $4: the reporting week, from which weeks are counted back; $5: the first week with detail
HISTORY_SQL = f"""
with missed as (
    select shop_id, week_start,
           count(*) filter (where is_after_hours and is_missed) as missed_after_hours
    from marts.fct_calls
    where {SHOPS} and week_start >= $5 and week_start < $3
    group by shop_id, week_start
),
services as (
    select shop_id, week_start,
           list({{
               'service_name': coalesce(service_name, 'Unknown service'), 'visits': visits
           }}) as services
    from marts.fct_weekly_service_mix
    where {SHOPS} and week_start >= $5 and week_start < $3
    group by shop_id, week_start
)
select
    m.shop_id,
    cast((cast($4 as date) - m.week_start) // 7 as integer) as weeks_back,
    m.calls_total, m.calls_answered,
    coalesce(missed.missed_after_hours, 0) as missed_after_hours,
    m.appointments_scheduled, m.appointments_completed,
    m.appointments_no_show, m.appointments_cancelled,
    m.visits_rebooked,
    -- a week's 90-day retention counts only once its 90 days have passed (the rate is set):
    -- until then its new clients are no trials of the retention rule
    {_known_only(RETENTION.denominator)},
    {_known_only(RETENTION.numerator)},
    services.services
from marts.fct_weekly_shop_metrics as m
left join missed using (shop_id, week_start)
left join services using (shop_id, week_start)
where m.{SHOPS} and {in_range("m.week_start")} and m.is_complete
"""


def load_histories(path: Path, catalog: Catalog, filters: Filters) -> list[ShopHistory]:
    """One history per shop of `filters`, back from its `last_week` (the reporting week)."""
    week = filters.last_week
    detail_from = filters.ending(week, DETAIL_WEEKS).first_week
    weekly = read_frame(
        path, HISTORY_SQL, filters.ending(week, HISTORY_WEEKS).params(week, detail_from)
    )
    shops = list(filters.shop_ids)
    counts = _cube(weekly.assign(has_row=1), shops, HISTORY_WEEKS, [*COUNTS, "has_row"])
    services = _services(weekly)
    names = sorted(services["service_name"].unique())
    visits = services.pivot_table(
        index=["shop_id", "weeks_back"], columns="service_name", values="visits", aggfunc="sum"
    )
    by_service = _cube(visits.reset_index(), shops, HISTORY_WEEKS, names)
    shop_names = catalog.shops.set_index("shop_id")["shop_name"]
    return [
        ShopHistory(
            shop_id=shop_id,
            shop_name=str(shop_names[shop_id]),
            week=week,
            weekly={column: counts[number, :, c] for c, column in enumerate(COUNTS)},
            has_row=counts[number, :, len(COUNTS)] > 0,
            services={
                name: by_service[number, :, s]
                for s, name in enumerate(names)
                if by_service[number, :, s].any()
            },
        )
        for number, shop_id in enumerate(shops)
    ]


def _services(weekly: pd.DataFrame) -> pd.DataFrame:
    """The per-week service lists as rows: shop_id, weeks_back, service_name, visits."""
    listed = weekly[["shop_id", "weeks_back", "services"]].explode("services")
    listed = listed[listed["services"].notna()]
    detail = pd.DataFrame(list(listed["services"]), columns=["service_name", "visits"])
    return pd.concat([listed[["shop_id", "weeks_back"]].reset_index(drop=True), detail], axis=1)


def _cube(frame: pd.DataFrame, shops: list[str], weeks: int, columns: list[str]) -> np.ndarray:
    """`columns` of `frame` as a shop x weeks back x column array, zero where there is no row."""
    index = pd.MultiIndex.from_product([shops, range(weeks)], names=["shop_id", "weeks_back"])
    full = frame.set_index(["shop_id", "weeks_back"])[columns].reindex(index, fill_value=0)
    return full.fillna(0).to_numpy(dtype=float).reshape(len(shops), weeks, len(columns))
