"""The Inquiries app's queries: what people ask the front desk, by week, channel and shop.

Inquiries come from every capture point (the front-desk sheet, the CRM, the inquiries topic) and
sit in `fct_inquiries` once each; a week here is the inquiry's shop-local week, as everywhere.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from chairside.core.warehouse import read_frame
from chairside.presentation.analytics.filters import SHOPS, Filters, in_range

# How an inquiry was taken, in the order the chart stacks them.
HEADINGS = ["Walk-in", "Phone", "Web", "Form", "Front-desk sheet", "CRM", "Other"]

# The channel in words; a front-desk sheet or a CRM row may name none, and then its source says
# how it was taken: every inquiry is counted under some heading.
HOW = """coalesce(
    case channel when 'walk_in' then 'Walk-in' when 'phone' then 'Phone' when 'web' then 'Web'
        when 'form' then 'Form' end,
    case source when 'inbox' then 'Front-desk sheet' when 'cassandra' then 'CRM'
        when 'kafka' then 'Form' end,
    'Other'
)"""

WEEKLY_SQL = f"""
select week_start, {HOW} as channel, count(*) as inquiries
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
    {HOW.replace("channel", "i.channel").replace("source", "i.source")} as channel,
    i.message as inquiry
from marts.fct_inquiries as i
join marts.dim_shop as s using (shop_id)
where i.{SHOPS} and {in_range("i.week_start")}
order by i.inquired_at desc
limit $4
"""


def weekly(path: Path, filters: Filters) -> pd.DataFrame:
    """Inquiries per week and how they were taken."""
    return read_frame(path, WEEKLY_SQL, filters.params())


def latest(path: Path, filters: Filters, rows: int = 50) -> pd.DataFrame:
    """The newest inquiries of the range, newest first."""
    return read_frame(path, LATEST_SQL, filters.params(rows))
