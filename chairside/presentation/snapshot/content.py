"""Everything one shop's snapshot shows, read from the warehouse in one go.

The reported week is the last complete week as of the snapshot's date on the shop's own clock
(made Monday 06:00 there: the week that ended six hours earlier). The forecast and score marts
may not exist yet; their parts are then None and the snapshot says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from chairside.core.clock import Clock
from chairside.presentation.analytics import (
    alerts,
    clients,
    forecasts,
    levers,
    offpeak,
    pricing,
    scorecard,
)
from chairside.presentation.analytics.catalog import CUSTOMER_SCORES, FORECASTS, Catalog, NoData
from chairside.presentation.analytics.filters import Filters
from chairside.presentation.analytics.history import load_histories
from chairside.presentation.analytics.insights import Insight, find_insights
from chairside.presentation.analytics.kpis import week_in_context

HISTORY_WEEKS = 12
TOP_INSIGHTS = 3
CALL_LIST = 10


@dataclass(frozen=True)
class Snapshot:
    shop_id: str
    shop_name: str
    owner_email: str | None
    currency: str
    time_zone: str
    week: dt.date  # the Monday of the reported week
    as_of: dt.date  # the shop's date the snapshot answers for
    last_week: pd.Series  # every KPI of the reported week
    week_before: pd.Series | None
    year_before: pd.Series | None
    history: pd.DataFrame  # metric, week_start, actual: the forecast metrics' recent weeks
    # None when the mart does not exist yet; empty when it has nothing for this shop
    forecast_for_last_week: pd.DataFrame | None  # metric, yhat, yhat_lower, yhat_upper, actual
    ahead: pd.DataFrame | None  # metric, week_start, yhat, yhat_lower, yhat_upper
    champions: pd.DataFrame | None  # metric, model, mase, coverage_80
    at_risk: pd.DataFrame | None  # the clients to call, most valuable first
    insights: list[Insight]
    # the last complete month's scorecard; None when the warehouse predates it
    scorecard: pd.DataFrame | None = None
    upsell_pairs: pd.DataFrame | None = None  # the shop's service pairs (levers)
    offpeak_hours: pd.DataFrame | None = None  # the shop's hours (off-peak lever)
    price_realisation: pd.DataFrame | None = None  # the shop's services (pricing lever)
    # what fell below target in the snapshot's seven days; None without an owner email
    alerts: pd.DataFrame | None = None


def build_snapshot(path: Path, catalog: Catalog, shop_id: str, clock: Clock) -> Snapshot:
    """The snapshot of `shop_id` as of the clock's today there; NoData, saying so in words, when
    the shop has no complete week to report."""
    shop = catalog.shops.set_index("shop_id").loc[shop_id]
    as_of = clock.today(shop["time_zone"])
    week = catalog.reporting_week(clock, [shop_id])
    if week is None:
        raise NoData(
            f"{shop['shop_name']} has no complete week to report as of {as_of:%a %d %b %Y}."
        )
    one_shop = Filters((shop_id,), week, week)
    numbers = week_in_context(path, (shop_id,), week, trend_weeks=[])
    if numbers.week is None:
        raise NoData(f"{shop['shop_name']} has no data for the week of {week:%d %b %Y}.")

    forecast_for_last_week = ahead = champions = at_risk = None
    if catalog.has(FORECASTS):
        forecast_for_last_week = forecasts.forecast_vs_actual(path, one_shop, week)
        ahead = forecasts.next_weeks(path, (shop_id,), week)
        champions = forecasts.champions(path, (shop_id,))
    if catalog.has(CUSTOMER_SCORES):
        at_risk = clients.at_risk(path, (shop_id,), as_of).head(CALL_LIST)

    return Snapshot(
        shop_id=shop_id,
        shop_name=str(shop["shop_name"]),
        owner_email=None if pd.isna(shop["owner_email"]) else str(shop["owner_email"]),
        currency=str(shop["currency"]),
        time_zone=str(shop["time_zone"]),
        week=week,
        as_of=as_of,
        last_week=numbers.week,
        week_before=numbers.week_before,
        year_before=numbers.year_before,
        history=forecasts.actuals(path, one_shop.ending(week, HISTORY_WEEKS)),
        forecast_for_last_week=forecast_for_last_week,
        ahead=ahead,
        champions=champions,
        at_risk=at_risk,
        insights=find_insights(load_histories(path, catalog, one_shop))[:TOP_INSIGHTS],
        scorecard=scorecard.latest(path, (shop_id,), as_of),
        upsell_pairs=levers.upsell_pairs(path, (shop_id,)),
        offpeak_hours=offpeak.offpeak_hours(path, (shop_id,)),
        price_realisation=pricing.price_realisation(path, (shop_id,)),
        alerts=None if pd.isna(shop["owner_email"]) else alerts.for_snapshot(path, shop_id, as_of),
    )
