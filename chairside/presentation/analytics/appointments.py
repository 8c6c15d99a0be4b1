"""The Appointments app's queries: status mix, the hour-of-week capacity, cancel reasons and
the per-barber table.

Rates over the range are re-aggregated from their parts (see `kpis`); a barber's 90-day return
rate counts only the weeks whose 90 days have passed, as the mart's own rate does.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from chairside.core.warehouse import read_frame
from chairside.presentation.analytics.filters import SHOPS, Filters, in_range

STATUSES = {
    "appointments_completed": "Completed",
    "appointments_no_show": "No-show",
    "appointments_cancelled": "Cancelled",
    "still_booked": "Still booked",
}

CAPACITY_SQL = f"""
select
    iso_dow,
    hour_of_day,
    cast(sum(appointments_started) as bigint) as appointments_started,
    sum(occupied_minutes) as occupied_minutes,
    sum(staff_minutes_available) as staff_minutes_available,
    cast(sum(occupied_minutes) as double) / nullif(sum(staff_minutes_available), 0)
        as utilization
from marts.fct_hourly_capacity
where {SHOPS} and {in_range("week_start")}
group by all
order by iso_dow, hour_of_day
"""

CANCEL_REASONS_SQL = f"""
select
    coalesce(cancelled_by, 'unknown') as cancelled_by,
    coalesce(cancel_reason, 'no reason given') as reason,
    count(*) as cancellations
from marts.fct_appointments
where {SHOPS} and {in_range("week_start")} and status = 'cancelled'
group by all
order by cancellations desc
"""

STAFF_SQL = f"""
select
    s.shop_name as shop,
    coalesce(staff.staff_name, w.staff_id) as barber,
    any_value(staff.role) as role,
    cast(sum(w.visits) as bigint) as visits,
    cast(sum(w.new_clients) as bigint) as new_clients,
    sum(w.revenue_total) as revenue,
    cast(sum(w.revenue_total) as double) / nullif(sum(w.visits), 0) as avg_ticket,
    cast(sum(w.visits_rebooked) as double) / nullif(sum(w.visits), 0) as rebooking_rate,
    cast(sum(w.visits_returned_90d) filter (where w.return_rate_90d is not null) as double)
        / nullif(sum(w.visits) filter (where w.return_rate_90d is not null), 0)
        as return_rate_90d,
    cast(sum(w.service_minutes) as bigint) as service_minutes
from marts.fct_weekly_staff_metrics as w
join marts.dim_shop as s using (shop_id)
left join marts.dim_staff as staff using (shop_id, staff_id)
where w.{SHOPS} and {in_range("w.week_start")}
group by s.shop_name, w.staff_id, staff.staff_name
order by revenue desc
"""


def status_mix(weekly: pd.DataFrame) -> pd.DataFrame:
    """Long form of the weekly KPI frame: appointments per week and final status.

    "Still booked" is what has neither happened nor been cancelled yet (upcoming weeks).
    """
    frame = weekly.assign(
        still_booked=weekly["appointments_scheduled"]
        - weekly["appointments_completed"]
        - weekly["appointments_no_show"]
        - weekly["appointments_cancelled"]
    )
    long = frame.melt(
        id_vars="week_start",
        value_vars=list(STATUSES),
        var_name="status",
        value_name="appointments",
    )
    return long.assign(status=long["status"].map(STATUSES))


def capacity(path: Path, filters: Filters) -> pd.DataFrame:
    """Chair minutes offered and occupied per weekday and hour (shop-local) over the range."""
    return read_frame(path, CAPACITY_SQL, filters.params())


def cancel_reasons(path: Path, filters: Filters) -> pd.DataFrame:
    return read_frame(path, CANCEL_REASONS_SQL, filters.params())


def staff_table(path: Path, filters: Filters) -> pd.DataFrame:
    """One row per barber who had a visit in the range: visits, revenue and their rates."""
    return read_frame(path, STAFF_SQL, filters.params())
