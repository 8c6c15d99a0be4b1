"""The payroll export: one pay period of `marts.fct_staff_payouts`, as the CSV a payroll clerk
opens in a spreadsheet.

A member whose roster row has no commission % is exported with an empty commission and payout
and a status saying why, so the file cannot be paid from silently at 0.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from chairside.core.warehouse import read_frame
from chairside.presentation.analytics.safe_csv import to_csv

PAYROLL_SQL = """
select
    payouts.shop_id,
    payouts.staff_id,
    staff.staff_name,
    payouts.period_start,
    payouts.period_end - 1 as period_last_day,
    payouts.visits,
    -- money as written, with its two decimals (a float would print 3790.2)
    cast(payouts.revenue_service as varchar) as revenue_service,
    cast(payouts.commission_pct as varchar) as commission_pct,
    cast(payouts.commission as varchar) as commission,
    cast(payouts.tips as varchar) as tips,
    cast(payouts.payout as varchar) as payout,
    payouts.is_complete,
    payouts.is_commission_missing,
    payouts.visits_without_commission
from marts.fct_staff_payouts as payouts
left join marts.dim_staff as staff using (shop_id, staff_id)
where payouts.period_start = ? and (? is null or payouts.shop_id = ?)
order by payouts.shop_id, payouts.staff_id
"""

PERIODS_SQL = """
select distinct period_start from marts.fct_staff_payouts
where ? is null or shop_id = ?
order by period_start desc
limit 6
"""

COLUMNS = (
    "shop_id",
    "staff_id",
    "staff_name",
    "period_start",
    "period_last_day",
    "visits",
    "revenue_service",
    "commission_pct",
    "commission",
    "tips",
    "payout",
    "status",
)


class NoSuchPayPeriod(LookupError):
    """No payouts start on the asked day; the message names the periods that exist."""


def payroll_frame(
    warehouse: Path, period_start: dt.date, shop_id: str | None = None
) -> pd.DataFrame:
    """The period's payouts, one row per staff member, with a status in words."""
    rows = read_frame(warehouse, PAYROLL_SQL, [period_start, shop_id, shop_id])
    if rows.empty:
        known = read_frame(warehouse, PERIODS_SQL, [shop_id, shop_id])["period_start"]
        listed = ", ".join(str(pd.Timestamp(day).date()) for day in known) or "none"
        raise NoSuchPayPeriod(
            f"No pay period starts on {period_start}"
            f"{f' for shop {shop_id}' if shop_id else ''}; the latest start on: {listed}"
        )
    return rows.assign(status=rows.apply(_status, axis=1))[list(COLUMNS)]


def _status(row: pd.Series) -> str:
    if row["is_commission_missing"]:
        return (
            f"NOT PAYABLE: no commission % on the roster for {row['visits_without_commission']} "
            "visit(s); fix the staff sheet and rebuild"
        )
    if not row["is_complete"]:
        return "period not over yet: figures can still change"
    return "ok"


def payroll_csv(frame: pd.DataFrame) -> bytes:
    """The export's bytes: formula prefixes neutralised (a name typed as `=...` stays text)."""
    return to_csv(frame)
