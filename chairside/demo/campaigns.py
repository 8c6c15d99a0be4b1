"""Past campaigns the demo plays, so `fct_campaign_results` has results to show and a known
true effect to recover.

On each campaign day a shop tries to win back the clients who have stopped coming (in truth: they
will not come back by themselves), opted in, split by the product's own seeded control draw. Each
contacted client books a visit within the window with probability `TRUE_LIFT`; the control is
left alone, and having left, does not come back by itself. The true lift is therefore
`TRUE_LIFT`, less the few bookings that find no slot in time or end in a no-show.

None of the export's rules picks exactly these clients (the warehouse sees who is Lapsed only
after a year), so the campaigns are recorded as run from another tool: rule `win_back`, members
by their booking-system customer id, which the warehouse resolves to a client as it resolves
their appointments (int_campaigns__members).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import duckdb

from chairside.core.warehouse import transaction
from chairside.demo.model import PlayedCampaign
from chairside.presentation.campaigns.split import CONTROL_SHARE
from chairside.presentation.campaigns.store import DDL, campaign_id

TRUE_LIFT = 0.30
RULE = "win_back"
# Campaign days: this many days before the demo's last day (then back to a Monday), each one
# late enough for clients to have lapsed and early enough for its 30 days to be over.
DAYS_BEFORE_END = (270, 180, 90)
HISTORY_BEFORE_FIRST = 180
WINDOW_DAYS = 30
BOOK_WITHIN_DAYS = 20  # a contacted client who responds books for a day this soon


def campaign_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """The Mondays the demo campaigns run on, oldest first; none in a history too short."""
    days = []
    for before in DAYS_BEFORE_END:
        day = end - dt.timedelta(days=before)
        day -= dt.timedelta(days=day.weekday())
        if day >= start + dt.timedelta(days=HISTORY_BEFORE_FIRST) and (
            day + dt.timedelta(days=WINDOW_DAYS) <= end
        ):
            days.append(day)
    return days


def played_id(shop_id: str, day: dt.date) -> str:
    return campaign_id(shop_id, RULE, day)


def record_played(con: duckdb.DuckDBPyConnection, campaigns: Iterable[PlayedCampaign]) -> int:
    """Write the played campaigns into the register as their exports would have; one already
    recorded (the same demo run again) is left as it is. Returns how many were written."""
    con.execute(DDL)
    written = 0
    for campaign in campaigns:
        recorded = con.execute(
            "select 1 from ops.campaigns where campaign_id = ?", [campaign.campaign_id]
        ).fetchone()
        if recorded is not None:
            continue
        with transaction(con):
            con.execute(
                "insert into ops.campaigns values (?, ?, ?, ?, ?, ?, now())",
                [
                    campaign.campaign_id,
                    campaign.shop_id,
                    campaign.rule,
                    campaign.day,
                    CONTROL_SHARE,
                    campaign.seed,
                ],
            )
            con.executemany(
                "insert into ops.campaign_members (campaign_id, customer_id, arm) values (?, ?, ?)",
                [(campaign.campaign_id, key, "treated") for key in campaign.treated]
                + [(campaign.campaign_id, key, "control") for key in campaign.control],
            )
        written += 1
    return written
