"""What the warehouse holds: the shops, the weeks with data and the complete ones, which optional
tables exist yet, and the week an app reports on.

The ML marts (`fct_forecasts`, `fct_customer_scores`) appear only after the first weekly ML run,
so apps ask whether they exist before reading them and say so instead of failing. An app reads
the catalog once per page load (one query), not on every filter change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from chairside.core.clock import Clock
from chairside.core.warehouse import read_frame

FORECASTS = "marts.fct_forecasts"
CUSTOMER_SCORES = "marts.fct_customer_scores"


OPTIONAL_TABLES = (FORECASTS, CUSTOMER_SCORES)


@dataclass(frozen=True)
class Catalog:
    """The shops (shop_id, shop_name, time_zone, currency, owner_email, and the first and last
    of their complete weeks: a shop's complete weeks are one unbroken run), the weeks of data
    and which of the optional tables exist."""

    shops: pd.DataFrame
    first_week: dt.date
    last_week: dt.date
    tables: frozenset[str]

    def has(self, table: str) -> bool:
        return table in self.tables

    def names(self) -> dict[str, str]:
        """Shop name -> shop_id, the options of a shop picker."""
        return dict(zip(self.shops["shop_name"], self.shops["shop_id"], strict=True))

    def time_zones(self, shop_ids: Iterable[str]) -> list[str]:
        zones = self.shops.set_index("shop_id")["time_zone"]
        return [zones[shop_id] for shop_id in shop_ids]

    def reporting_week(
        self,
        clock: Clock,
        shop_ids: Iterable[str] | None = None,
        within: tuple[dt.date, dt.date] | None = None,
    ) -> dt.date | None:
        """The week an app or a snapshot reports on: the last week complete in every one of
        `shop_ids` (default all) that had ended by the clock's today in each, inside `within`
        (first and last Monday, inclusive) when given. None when there is no such week: a
        week still in progress, or one the data does not cover, reads as a collapse, so it is
        never shown as "this week".
        """
        shops = self.shops.set_index("shop_id")
        picked = shops.loc[list(shop_ids)] if shop_ids is not None else shops
        if picked.empty or picked["first_complete_week"].isna().any():
            return None
        first = max(picked["first_complete_week"])
        last = min([*picked["last_complete_week"], clock.last_ended_week(picked["time_zone"])])
        if within is not None:
            first, last = max(first, within[0]), min(last, within[1])
        return last if last >= first else None

    def currency(self, shop_ids: Iterable[str]) -> str:
        """The shops' currency code, or "" when they differ (amounts then carry no symbol)."""
        codes = set(self.shops.set_index("shop_id").loc[list(shop_ids), "currency"])
        return codes.pop() if len(codes) == 1 else ""


class NoData(Exception):
    """The warehouse is readable but holds nothing to show yet; the message says what."""


CATALOG_SQL = """
select
    s.shop_id, s.shop_name, s.time_zone, s.currency, s.owner_email,
    complete.first_complete_week, complete.last_complete_week,
    weeks.first_week, weeks.last_week, optional.tables
from marts.dim_shop as s
left join (
    select
        shop_id,
        min(week_start) filter (where is_complete) as first_complete_week,
        max(week_start) filter (where is_complete) as last_complete_week
    from marts.fct_weekly_shop_metrics
    group by shop_id
) as complete using (shop_id),
    (
        select min(week_start) as first_week, max(week_start) as last_week
        from marts.fct_weekly_shop_metrics
    ) as weeks,
    (
        select coalesce(list(table_schema || '.' || table_name), []) as tables
        from information_schema.tables
        where table_schema || '.' || table_name in (select unnest(?::varchar[]))
    ) as optional
order by s.shop_name
"""


SHOP_COLUMNS = [
    "shop_id",
    "shop_name",
    "time_zone",
    "currency",
    "owner_email",
    "first_complete_week",
    "last_complete_week",
]


def load_catalog(path: Path) -> Catalog:
    frame = read_frame(path, CATALOG_SQL, [list(OPTIONAL_TABLES)])
    if frame.empty or frame["first_week"].isna().all():
        raise NoData("No shops or weeks in the warehouse yet: run the pipeline first.")
    first = frame.iloc[0]
    shops = frame[SHOP_COLUMNS].copy()
    for column in ("first_complete_week", "last_complete_week"):
        shops[column] = [None if pd.isna(day) else day.date() for day in shops[column]]
    return Catalog(
        shops=shops,
        first_week=first["first_week"].date(),
        last_week=first["last_week"].date(),
        tables=frozenset(first["tables"]),
    )


def existing_tables(path: Path, names: Iterable[str]) -> frozenset[str]:
    """Those of `names` ("schema.table") that the warehouse has."""
    wanted = list(names)
    found = read_frame(
        path,
        "select table_schema || '.' || table_name as name from information_schema.tables "
        "where table_schema || '.' || table_name in (select unnest(?::varchar[]))",
        [wanted],
    )
    return frozenset(found["name"])
