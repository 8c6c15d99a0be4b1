"""The Services app's queries: what clients come in for, week by week, and what it earns.

Shares are recomputed from visits and revenue over the picked shops and weeks (the mart's shares
are per shop and week and do not average).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from chairside.core.warehouse import read_frame
from chairside.presentation.analytics.filters import SHOPS, Filters, in_range

WEEKLY_SQL = f"""
with weekly as (
    select
        week_start,
        coalesce(service_name, 'Unknown service') as service_name,
        cast(sum(visits) as bigint) as visits,
        sum(revenue_service) as revenue_service
    from marts.fct_weekly_service_mix
    where {SHOPS} and {in_range("week_start")}
    group by all
)
select
    *,
    cast(visits as double) / nullif(sum(visits) over (partition by week_start), 0)
        as share_of_visits
from weekly
order by week_start, service_name
"""

MIX_SQL = f"""
with mix as (
    select
        coalesce(service_name, 'Unknown service') as service_name,
        coalesce(category, 'Unknown') as category,
        cast(sum(visits) as bigint) as visits,
        sum(revenue_service) as revenue_service
    from marts.fct_weekly_service_mix
    where {SHOPS} and {in_range("week_start")}
    group by all
)
select
    *,
    cast(revenue_service as double) / nullif(visits, 0) as revenue_per_visit,
    cast(visits as double) / nullif(sum(visits) over (), 0) as share_of_visits,
    cast(revenue_service as double) / nullif(sum(revenue_service) over (), 0)
        as share_of_revenue
from mix
order by revenue_service desc
"""


def weekly_services(path: Path, filters: Filters) -> pd.DataFrame:
    """Visits, service revenue and share of visits per service per week."""
    return read_frame(path, WEEKLY_SQL, filters.params())


def revenue_mix(path: Path, filters: Filters) -> pd.DataFrame:
    """Each service's visits, revenue and shares over the whole range, biggest earner first."""
    return read_frame(path, MIX_SQL, filters.params())
