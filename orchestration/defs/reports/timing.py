"""When each shop's owner snapshot goes out: a weekday and a time on the shop's own clock.

One Dagster schedule cannot fire at 06:00 in every time zone, and St. John's is half an hour off
the others, so the schedule ticks every quarter hour (UTC) and asks which shops' send moment fell
in the quarter hour that just ended. Every real time-zone offset is a whole number of quarter
hours, so each shop's moment lands on exactly one tick. Offsets run from UTC-12 to UTC+14, so a
Monday moment anywhere falls on the Sunday, Monday or Tuesday of UTC: the schedule ticks on those
days only, and Dagster's UI reads it as what it does.
"""

import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo

SEND_WEEKDAY = 0  # Monday, as `date.weekday()` counts
SEND_TIME = dt.time(6, 0)
TICK = dt.timedelta(minutes=15)
# cron counts Sunday as 0, `date.weekday()` Monday as 0: the UTC days around the send weekday.
_CRON_DAYS = sorted((SEND_WEEKDAY + 1 + shift) % 7 for shift in (-1, 0, 1))
TICK_CRON = "*/15 * * * " + ",".join(map(str, _CRON_DAYS))


def send_moment(
    now: dt.datetime, time_zone: str, *, weekday: int = SEND_WEEKDAY, at: dt.time = SEND_TIME
) -> dt.datetime:
    """The send moment of the shop-local week that contains `now` (aware, in the shop's zone)."""
    zone = ZoneInfo(time_zone)
    today = now.astimezone(zone).date()
    day = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=weekday)
    return dt.datetime.combine(day, at, tzinfo=zone)


def due_shops(
    tick: dt.datetime,
    time_zones: Mapping[str, str],
    *,
    weekday: int = SEND_WEEKDAY,
    at: dt.time = SEND_TIME,
    every: dt.timedelta = TICK,
) -> dict[str, dt.datetime]:
    """Shop id -> send moment, for the shops whose moment is in (tick - every, tick]."""
    moments = {
        shop_id: send_moment(tick, zone, weekday=weekday, at=at)
        for shop_id, zone in time_zones.items()
    }
    return {shop_id: moment for shop_id, moment in moments.items() if tick - every < moment <= tick}
