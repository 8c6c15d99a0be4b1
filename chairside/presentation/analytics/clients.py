"""The Clients app's queries, and the at-risk list the owner snapshot sends.

Served clients, cohorts and demographics follow the range; segments and the at-risk list are the
latest scoring run's (`fct_customer_scores` is appended per run), for clients whose home shop is
picked. Segment names are docs/metrics.md's; they are repeated here rather than imported from
`ml.clv`, whose model imports would cost an app seconds to start.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from chairside.core.phones import NO_PHONE, display_phone, shop_region, tel_uri, text_or_none
from chairside.core.warehouse import read_frame
from chairside.presentation.analytics.filters import SHOPS, Filters, in_range

AT_RISK = "At-Risk"
VIP = "Premium VIP"
LAPSED = "Lapsed"
SEGMENTS = (VIP, "High Value", "Regular", "Developing", AT_RISK, LAPSED)
AGE_BANDS = ("under 25", "25-34", "35-44", "45-54", "55-64", "65+", "unknown")

LATEST_SCORES = """
latest as (
    select * from marts.fct_customer_scores
    where scoring_run_id = (
        select arg_max(scoring_run_id, scored_at) from marts.fct_customer_scores
    )
)"""

# Cohort = the month of the new clients' first week; only weeks whose 90 days have passed count.
COHORTS_SQL = f"""
select
    cast(date_trunc('month', week_start) as date) as cohort_month,
    cast(sum(new_clients) as bigint) as new_clients,
    cast(sum(new_clients_retained_90d) as bigint) as retained_90d,
    cast(sum(new_clients_retained_90d) as double) / nullif(sum(new_clients), 0)
        as new_client_retention_90d
from marts.fct_weekly_shop_metrics
where {SHOPS} and {in_range("week_start")} and new_client_retention_90d is not null
group by all
order by cohort_month
"""

DEMOGRAPHICS_SQL = f"""
with served as (
    select distinct customer_key
    from marts.fct_appointments
    where {SHOPS} and {in_range("week_start")} and status = 'completed'
)
select
    coalesce(c.age_band, 'unknown') as age_band,
    coalesce(c.gender, 'unknown') as gender,
    count(*) as clients
from served
join marts.dim_customer as c using (customer_key)
group by all
"""

SEGMENTS_SQL = f"""
with {LATEST_SCORES}
select
    latest.segment,
    count(*) as clients,
    sum(latest.predicted_clv_12m) as predicted_clv_12m,
    avg(latest.p_alive) as avg_p_alive,
    count(*) filter (where c.marketing_opt_in) as opted_in,
    max(latest.scored_at) as scored_at
from latest
join marts.dim_customer as c using (customer_key)
where c.home_shop_id in (select unnest($1::varchar[]))
group by latest.segment
"""

# At-risk clients worth a call: no booking ahead of them as of $2, the most valuable first.
AT_RISK_SQL = f"""
with {LATEST_SCORES}
select
    c.customer_key,
    c.full_name as client,
    shop.shop_name as home_shop,
    c.phone_e164,
    c.email,
    c.marketing_opt_in,
    c.last_visit_date,
    c.visit_count,
    latest.days_overdue,
    latest.usual_interval_days,
    latest.as_of_date - latest.last_visit_date as days_since_last_visit,
    latest.churn_risk,
    latest.predicted_clv_12m,
    latest.value_at_stake,
    shop.currency,
    shop.time_zone
from latest
join marts.dim_customer as c using (customer_key)
left join marts.dim_shop as shop on shop.shop_id = c.home_shop_id
where latest.segment = '{AT_RISK}'
  and c.home_shop_id in (select unnest($1::varchar[]))
  and not exists (
      select 1 from marts.fct_appointments as a
      where a.customer_key = latest.customer_key
        and a.status = 'booked' and cast(a.scheduled_start_local as date) >= $2
  )
order by latest.value_at_stake desc, latest.days_overdue desc
"""

AUDIENCE_SQL = f"""
with {LATEST_SCORES}
select
    c.customer_key,
    c.first_name,
    c.last_name,
    c.email,
    c.phone_e164 as phone,
    c.home_shop_id as shop_id,
    latest.segment,
    c.last_visit_date,
    round(latest.days_overdue) as days_overdue,
    round(latest.predicted_clv_12m, 2) as predicted_clv_12m
from latest
join marts.dim_customer as c using (customer_key)
where latest.segment in (select unnest($2::varchar[]))
  and c.home_shop_id in (select unnest($1::varchar[]))
  and c.marketing_opt_in
  and (c.email is not null or c.phone_e164 is not null)
order by latest.segment, latest.predicted_clv_12m desc
"""


def cohorts(path: Path, filters: Filters) -> pd.DataFrame:
    """90-day retention of new clients by the month they first came, for months old enough."""
    return read_frame(path, COHORTS_SQL, filters.params())


def demographics(path: Path, filters: Filters) -> pd.DataFrame:
    """Clients served in the range by age band and gender."""
    return read_frame(path, DEMOGRAPHICS_SQL, filters.params())


def segments(path: Path, shop_ids: tuple[str, ...]) -> pd.DataFrame:
    """Clients per segment of the latest scoring run, for clients of `shop_ids`."""
    return read_frame(path, SEGMENTS_SQL, [list(shop_ids)])


def at_risk(path: Path, shop_ids: tuple[str, ...], as_of: dt.date) -> pd.DataFrame:
    """The at-risk clients of `shop_ids` with nothing booked from `as_of` on (shop-local), why
    each is, and how to reach them: `phone` as the home shop's country writes it and `tel` (a
    `tel:` URI) when the number can be dialled, else None; `contact` is what an owner reads."""
    frame = read_frame(path, AT_RISK_SQL, [list(shop_ids), as_of])
    regions = frame["time_zone"].map(shop_region)
    phones = [
        display_phone(phone, region)
        for phone, region in zip(frame["phone_e164"], regions, strict=True)
    ]
    # object columns built from lists: pandas 3 would store a None in a text column as NaN
    frame = frame.assign(
        phone=pd.Series(phones, index=frame.index, dtype=object),
        tel=pd.Series([tel_uri(p) for p in frame["phone_e164"]], index=frame.index, dtype=object),
        email=pd.Series([text_or_none(e) for e in frame["email"]], index=frame.index, dtype=object),
    )
    rows = zip(
        frame["usual_interval_days"],
        frame["days_since_last_visit"],
        frame["visit_count"],
        frame["predicted_clv_12m"],
        frame["currency"],
        strict=True,
    )
    return frame.assign(
        why=[why(*row) for row in rows],
        contact=[contact(*row) for row in zip(frame["phone"], frame["email"], strict=True)],
    )


def contact(phone: str | None, email: str | None) -> str:
    """The number to dial; without one, "no phone" and the email to write to instead."""
    if phone is not None:
        return phone
    return f"{NO_PHONE}, {email}" if email is not None else NO_PHONE


def audience(path: Path, shop_ids: tuple[str, ...], segment_names: list[str]) -> pd.DataFrame:
    """Opted-in clients of `segment_names` with a way to reach them: a campaign's list."""
    return read_frame(path, AUDIENCE_SQL, [list(shop_ids), segment_names])


def _weeks(days: float) -> str:
    """In weeks, as owners count visits; under ten days in days ("0 weeks" says nothing)."""
    if days < 10:
        return "1 day" if round(days) == 1 else f"{round(days)} days"
    weeks = round(days / 7)
    return "1 week" if weeks == 1 else f"{weeks} weeks"


def why(usual_days: float, since_days: float, visits: float, value: float, currency: str) -> str:
    """A client's place on the call list in an owner's words (docs/metrics.md: "usually every 4
    weeks; last came 9 weeks ago; about CAD 620 a year"), no model terms."""
    if pd.isna(visits) or visits <= 1 or pd.isna(usual_days):
        habit = "came once"
    else:
        habit = f"usually every {_weeks(usual_days)}"
    return f"{habit}; last came {_weeks(since_days)} ago; about {currency} {value:,.0f} a year"
