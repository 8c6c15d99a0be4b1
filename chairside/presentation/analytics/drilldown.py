"""The rows behind a KPI card: the appointments or calls of one week that a number counts.

Each KPI names the rows it is computed from (an owner who sees "14 no-shows" can open the 14),
with the same filter the weekly mart applies, so the list's length is the card's count. Money,
client and rate KPIs open the appointments their numerator or denominator ranges over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from chairside.core.warehouse import read_frame
from chairside.presentation.analytics.filters import Filters
from chairside.presentation.analytics.kpis import KPI_BY_NAME


@dataclass(frozen=True)
class Rows:
    source: str  # "appointments" or "calls"
    where: str  # SQL over the source's alias `r`
    words: str  # what the rows are, for the heading


_COMPLETED = Rows("appointments", "r.status = 'completed'", "visits (completed appointments)")
_SCHEDULED = Rows("appointments", "true", "appointments scheduled in the week")
_ANSWERED = Rows("calls", "r.is_answered", "answered calls")

BEHIND: dict[str, Rows] = {
    "calls_total": Rows("calls", "true", "calls"),
    "calls_answered": _ANSWERED,
    "calls_missed": Rows("calls", "r.is_missed", "missed calls"),
    "calls_after_hours": Rows("calls", "r.is_after_hours", "after-hours calls"),
    "call_answer_rate": Rows("calls", "true", "calls"),
    "avg_call_duration_sec": _ANSWERED,
    "call_conversion_rate": _ANSWERED,
    "appointments_scheduled": _SCHEDULED,
    "appointments_completed": _COMPLETED,
    "appointments_no_show": Rows("appointments", "r.status = 'no_show'", "no-shows"),
    "appointments_cancelled": Rows("appointments", "r.status = 'cancelled'", "cancellations"),
    "no_show_rate": _SCHEDULED,
    "cancellation_rate": _SCHEDULED,
    "utilization": _SCHEDULED,
    "new_clients": Rows(
        "appointments", "r.status = 'completed' and r.is_first_visit", "first visits"
    ),
}

APPOINTMENTS_SQL = """
select
    s.shop_name as shop,
    r.scheduled_start_local as starts,
    coalesce(svc.service_name, r.service_code) as service_name,
    coalesce(staff.staff_name, r.staff_id) as barber,
    r.status,
    r.channel,
    r.revenue_total
from marts.fct_appointments as r
join marts.dim_shop as s using (shop_id)
left join marts.dim_service as svc using (shop_id, service_code)
left join marts.dim_staff as staff using (shop_id, staff_id)
where r.shop_id in (select unnest($1::varchar[])) and r.{week_column} = $2 and {where}
order by r.scheduled_start_local, s.shop_name
"""

CALLS_SQL = """
select
    s.shop_name as shop,
    r.started_at_local as starts,
    r.outcome,
    r.intent,
    r.duration_sec,
    r.is_after_hours as after_hours,
    r.appointment_id is not null as booked
from marts.fct_calls as r
join marts.dim_shop as s using (shop_id)
where r.shop_id in (select unnest($1::varchar[])) and r.week_start = $2 and {where}
order by r.started_at_local, s.shop_name
"""


def rows_behind(kpi_name: str) -> Rows:
    """What `kpi_name` counts; every other KPI (money, clients) is over the week's visits,
    bookings over the appointments booked in the week."""
    if kpi_name == "appointments_booked":
        return Rows("appointments", "true", "appointments booked in the week")
    return BEHIND.get(kpi_name, _COMPLETED)


def drill(path: Path, filters: Filters, week: dt.date, kpi_name: str) -> pd.DataFrame:
    """The rows of `week` at the filter's shops behind `kpi_name`."""
    if kpi_name not in KPI_BY_NAME:
        raise KeyError(f"no KPI named {kpi_name!r}")
    rows = rows_behind(kpi_name)
    if rows.source == "calls":
        sql = CALLS_SQL.format(where=rows.where)
    else:
        week_column = "booked_week_start" if kpi_name == "appointments_booked" else "week_start"
        sql = APPOINTMENTS_SQL.format(where=rows.where, week_column=week_column)
    return read_frame(path, sql, [list(filters.shop_ids), week])
