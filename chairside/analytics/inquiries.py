"""The Inquiries app's queries: what people ask the front desk, by week, channel and shop.

Inquiries come from every capture point (the front-desk sheet, the CRM, the inquiries topic) and
sit in `fct_inquiries` once each; a week here is the inquiry's shop-local week, as everywhere.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from chairside.analytics.filters import SHOPS, Filters, in_range
from chairside.warehouse import read_frame

CHANNELS = {"walk_in": "Walk-in", "phone": "Phone", "web": "Web", "form": "Form"}

WEEKLY_SQL = f"""
select
    week_start,
    coalesce(channel, 'unknown') as channel,
    count(*) as inquiries
from marts.fct_inquiries
where {SHOPS} and {in_range("week_start")}
group by all
order by week_start, channel
"""

LATEST_SQL = f"""
select
    i.inquired_at_local as received,
    s.shop_name as shop,
    i.customer_name as name,
    coalesce(i.channel, 'unknown') as channel,
    i.message as inquiry
from marts.fct_inquiries as i
join marts.dim_shop as s using (shop_id)
where i.{SHOPS} and {in_range("i.week_start")}
order by i.inquired_at desc
limit $4
"""


def weekly(path: Path, filters: Filters) -> pd.DataFrame:
    """Inquiries per week and channel (channels in words)."""
    frame = read_frame(path, WEEKLY_SQL, filters.params())
    return frame.assign(channel=frame["channel"].map(lambda c: CHANNELS.get(c, "Unknown")))


def latest(path: Path, filters: Filters, rows: int = 50) -> pd.DataFrame:
    """The newest inquiries of the range, newest first."""
    frame = read_frame(path, LATEST_SQL, filters.params(rows))
    return frame.assign(channel=frame["channel"].map(lambda c: CHANNELS.get(c, "Unknown"))).rename(
        columns={
            "received": "Received",
            "shop": "Shop",
            "name": "Name",
            "channel": "Channel",
            "inquiry": "Inquiry",
        }
    )
