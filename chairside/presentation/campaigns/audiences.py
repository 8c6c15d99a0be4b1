"""Who a campaign may reach, by rule: opted-in clients of the shop with an email or a phone.

- `at_risk`: the winnable At-Risk segment of the latest scoring run (docs/metrics.md).
- `lapsed_vip`: Lapsed clients whose lifetime revenue was in the shop's top 20%.
- `service_pair`: clients with a visit for one service who never had its pair.

A birthday-month rule needs birth dates; the sources carry a birth year only, so there is none,
and the campaign command says so (`rules.NO_BIRTHDAY`) rather than offer what it cannot draw.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from chairside.core.warehouse import read_frame
from chairside.presentation.analytics.clients import AT_RISK, LAPSED, LATEST_SCORES
from chairside.presentation.campaigns.rules import RULES

CONTACT = """
    c.customer_key, c.first_name, c.last_name, c.email, c.phone_e164 as phone,
    c.home_shop_id as shop_id, c.last_visit_date
"""
REACHABLE = """
    c.home_shop_id = $1 and c.marketing_opt_in
    and (c.email is not null or c.phone_e164 is not null)
"""

SEGMENT_SQL = f"""
with {LATEST_SCORES}
select {CONTACT}
from latest
join marts.dim_customer as c using (customer_key)
where latest.segment = $2 and {REACHABLE}
"""

LAPSED_VIP_SQL = f"""
with {LATEST_SCORES},
ranked as (
    select customer_key,
        percent_rank() over (order by lifetime_revenue) as revenue_rank
    from marts.dim_customer
    where home_shop_id = $1 and is_client
)
select {CONTACT}
from latest
join marts.dim_customer as c using (customer_key)
join ranked using (customer_key)
where latest.segment = '{LAPSED}' and ranked.revenue_rank >= 0.8 and {REACHABLE}
"""

SERVICE_PAIR_SQL = f"""
select {CONTACT}
from marts.dim_customer as c
where {REACHABLE}
  and exists (
      select 1 from marts.fct_appointments as a
      where a.customer_key = c.customer_key and a.status = 'completed'
        and a.service_code = $2)
  and not exists (
      select 1 from marts.fct_appointments as a
      where a.customer_key = c.customer_key and a.status = 'completed'
        and a.service_code = $3)
"""


def eligible(
    path: Path,
    shop_id: str,
    rule: str,
    service: str | None = None,
    pair: str | None = None,
) -> pd.DataFrame:
    """The rule's eligible clients of `shop_id`, ordered by customer key."""
    if rule == "at_risk":
        sql, params = SEGMENT_SQL, [shop_id, AT_RISK]
    elif rule == "lapsed_vip":
        sql, params = LAPSED_VIP_SQL, [shop_id]
    elif rule == "service_pair":
        if not service or not pair:
            raise ValueError("The service_pair rule needs a service and its pair.")
        sql, params = SERVICE_PAIR_SQL, [shop_id, service, pair]
    else:
        raise ValueError(f"Unknown rule {rule!r}; the rules are {', '.join(RULES)}.")
    return read_frame(path, sql + " order by c.customer_key", params)
