"""Today per shop, from the live feed's events: what the Today and Front desk apps show.

"Today" is the one clock's date in each shop's own zone; an event counts on the day its own
business time falls on there. Events of a shop the shops file does not name yet are shown
under their id (read in UTC), not dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

import pandas as pd

from chairside.core.clock import Clock, date_at
from ingestion.kafka.today_feed import LiveEvent

COLUMNS = ("shop", "calls_answered", "calls_missed", "bookings", "inquiries")
_UNLISTED_ZONE = "UTC"


def todays(events: Iterable[LiveEvent], clock: Clock, zones: Mapping[str, str]) -> list[LiveEvent]:
    """The events that happened today in their shop, oldest first."""
    kept = [
        event
        for event in events
        if date_at(event.at, zones.get(event.shop_id, _UNLISTED_ZONE))
        == clock.today(zones.get(event.shop_id, _UNLISTED_ZONE))
    ]
    return sorted(kept, key=lambda event: event.at)


def per_shop(
    events: Iterable[LiveEvent], clock: Clock, names: Mapping[str, str], zones: Mapping[str, str]
) -> pd.DataFrame:
    """One row per shop (every listed shop, zeros included): calls answered and missed
    (docs/metrics.md: a voicemail is a missed call), bookings made and inquiries received today."""
    counts = {shop_id: dict.fromkeys(COLUMNS[1:], 0) for shop_id in names}
    for event in todays(events, clock, zones):
        row = counts.setdefault(event.shop_id, dict.fromkeys(COLUMNS[1:], 0))
        if event.kind == "call":
            row["calls_answered" if event.outcome == "answered" else "calls_missed"] += 1
        elif event.kind == "booking":
            row["bookings"] += 1
        else:
            row["inquiries"] += 1
    rows = [
        {"shop": names.get(shop_id, f"{shop_id} (not in the shops file)"), **row}
        for shop_id, row in counts.items()
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS)).sort_values("shop", ignore_index=True)


def with_calls_in_progress(
    counts: pd.DataFrame, in_progress: Mapping[str, Mapping[str, int]], names: Mapping[str, str]
) -> pd.DataFrame:
    """`counts` with the webhook service's calls ringing and on the line now, per shop."""
    by_name = {
        names.get(shop_id, f"{shop_id} (not in the shops file)"): calls
        for shop_id, calls in in_progress.items()
    }
    missing = sorted(set(by_name) - set(counts["shop"]))
    table = pd.concat([counts, pd.DataFrame({"shop": missing})], ignore_index=True).fillna(0)
    table.insert(1, "ringing", [by_name.get(s, {}).get("ringing", 0) for s in table["shop"]])
    table.insert(
        2, "on_the_line", [by_name.get(s, {}).get("on_the_line", 0) for s in table["shop"]]
    )
    numbers = [column for column in table.columns if column != "shop"]
    table[numbers] = table[numbers].astype(int)
    return table.sort_values("shop", ignore_index=True)


def inquiries(
    events: Iterable[LiveEvent], clock: Clock, names: Mapping[str, str], zones: Mapping[str, str]
) -> pd.DataFrame:
    """Today's inquiries, newest first, in each shop's local time."""
    rows = []
    for event in todays(events, clock, zones):
        if event.inquiry is None:
            continue
        zone = zones.get(event.shop_id, _UNLISTED_ZONE)
        rows.append(
            {
                "time": event.at.astimezone(ZoneInfo(zone)).strftime("%H:%M"),
                "shop": names.get(event.shop_id, event.shop_id),
                "name": event.inquiry.customer_name,
                "phone": event.inquiry.phone,
                "inquiry": event.inquiry.message,
                "channel": event.inquiry.channel,
            }
        )
    columns = ["time", "shop", "name", "phone", "inquiry", "channel"]
    return pd.DataFrame(rows[::-1], columns=columns)
