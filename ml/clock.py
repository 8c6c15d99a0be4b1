"""What has ended, on the clocks of the shops.

Models train only on finished periods: a week or a day still in progress in a shop's time zone
looks like a collapse in visits. Shops span five and a half hours of time zones, so "finished"
is decided on each shop's own clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo


def local_date(now: dt.datetime, time_zone: str) -> dt.date:
    return now.astimezone(ZoneInfo(time_zone)).date()


def last_complete_week(now: dt.datetime, time_zone: str) -> dt.date:
    """Monday of the last ISO week that has ended in `time_zone` at the instant `now`."""
    today = local_date(now, time_zone)
    return today - dt.timedelta(days=today.weekday() + 7)


def last_complete_day(now: dt.datetime, time_zones: Iterable[str]) -> dt.date:
    """The last date that has ended in every one of `time_zones` (the westernmost decides)."""
    return min(local_date(now, zone) for zone in time_zones) - dt.timedelta(days=1)
