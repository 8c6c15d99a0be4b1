"""What the warehouse holds: the shops, the weeks with data, which optional tables exist yet, and
the week an app reports on.

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

from chairside.analytics.filters import monday
from chairside.warehouse import read_frame
from ml.clock import last_complete_week

FORECASTS = "marts.fct_forecasts"
CUSTOMER_SCORES = "marts.fct_customer_scores"


OPTIONAL_TABLES = (FORECASTS, CUSTOMER_SCORES)


@dataclass(frozen=True)
class Catalog:
    """The shops (shop_id, shop_name, time_zone, currency, owner_email), the weeks of data and
    which of the optional tables exist."""

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

    def last_complete_week(self, now: dt.datetime) -> dt.date:
        """The last week with data that has ended in every shop (see `reporting_week`)."""
        return reporting_week(now, self.shops["time_zone"], self.last_week)

    def currency(self, shop_ids: Iterable[str]) -> str:
        """The shops' currency code, or "" when they differ (amounts then carry no symbol)."""
        codes = set(self.shops.set_index("shop_id").loc[list(shop_ids), "currency"])
        return codes.pop() if len(codes) == 1 else ""


class NoData(Exception):
    """The warehouse is readable but holds nothing to show yet; the message says what."""


CATALOG_SQL = """
select
    s.shop_id, s.shop_name, s.time_zone, s.currency, s.owner_email,
    weeks.first_week, weeks.last_week, optional.tables
from marts.dim_shop as s,
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


def load_catalog(path: Path) -> Catalog:
    frame = read_frame(path, CATALOG_SQL, [list(OPTIONAL_TABLES)])
    if frame.empty or frame["first_week"].isna().all():
        raise NoData("No shops or weeks in the warehouse yet: run the pipeline first.")
    first = frame.iloc[0]
    return Catalog(
        shops=frame[["shop_id", "shop_name", "time_zone", "currency", "owner_email"]],
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


def reporting_week(now: dt.datetime, time_zones: Iterable[str], last_week: dt.date) -> dt.date:
    """The last week that has ended in every one of `time_zones`, but not after `last_week`.

    A week still in progress looks like a collapse next to a full one, so "this week" in an app
    is the last complete week, decided by the westernmost shop's clock.
    """
    complete = min(last_complete_week(now, zone) for zone in time_zones)
    return min(complete, monday(last_week))
