"""The one clock: what "today" is for every business date Chairside computes.

"Today" is the as-of date (docs/metrics.md): the date a run, a report or an app is pinned to when
one is given, otherwise the current date in the shop's own time zone. Everything that asks "which
week has ended", "how long since the last visit" or "which price is in force" asks this module, so
a backfill can rebuild a past week as it looked then, an owner can see what the snapshot said on a
given Monday, and a test passes on any day of the year.

Load and refresh timestamps (`loaded_at`, `changed_at`, `refreshed_at`) are not business dates:
they record when something happened and stay on the wall clock.

A pinned date is one calendar date for every shop, and a pinned run knows what had happened before
that date began in each shop (it runs "first thing that morning"); an unpinned one knows everything
up to now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

AS_OF_ENV = "CHAIRSIDE_AS_OF"
DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(days=7)


def monday(day: dt.date) -> dt.date:
    """The Monday starting the ISO week of `day`: a business week's `week_start`."""
    return day - dt.timedelta(days=day.weekday())


def parse_as_of(value: str | dt.date | None, *, source: str = AS_OF_ENV) -> dt.date | None:
    """An as-of date from a setting, a URL or a flag (`YYYY-MM-DD`); None or "" leaves it unpinned.

    `source` names where the value came from, so a typo is reported where it was made.
    """
    if value is None or isinstance(value, dt.date):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{source} must be a date as YYYY-MM-DD, got {value!r}") from None


@dataclass(frozen=True)
class Clock:
    """Today in any shop, pinned to `as_of` or read from the wall clock at each question."""

    as_of: dt.date | None = None

    @property
    def pinned(self) -> bool:
        return self.as_of is not None

    def today(self, time_zone: str) -> dt.date:
        """The as-of date in a shop of `time_zone`."""
        if self.as_of is not None:
            return self.as_of
        return dt.datetime.now(ZoneInfo(time_zone)).date()

    def earliest_today(self, time_zones: Iterable[str]) -> dt.date:
        """Today in the westernmost of `time_zones`: the day that has begun in every one of them."""
        zones = list(time_zones)
        if not zones:
            raise ValueError("no time zone to read the date in")
        return min(self.today(zone) for zone in zones)

    def last_complete_day(self, time_zones: Iterable[str]) -> dt.date:
        """The last date that has ended in every one of `time_zones`."""
        return self.earliest_today(time_zones) - DAY

    def last_ended_week(self, time_zones: Iterable[str]) -> dt.date:
        """Monday of the last ISO week that has ended in every one of `time_zones`. Whether the
        data covers that week is the warehouse's to say (`is_complete`)."""
        return monday(self.earliest_today(time_zones)) - WEEK

    def describe(self, time_zones: Iterable[str]) -> str:
        """How a page or a report names the date it answers for, in shops of `time_zones`."""
        day = self.earliest_today(time_zones)
        return f"as of {day:%a %-d %b %Y}" + (" (pinned)" if self.pinned else ", today")


def clock_from(environ: Mapping[str, str]) -> Clock:
    """The clock `CHAIRSIDE_AS_OF` pins, or the wall clock when it is unset or empty."""
    return Clock(parse_as_of(environ.get(AS_OF_ENV)))


def date_at(instant: dt.datetime, time_zone: str) -> dt.date:
    """The calendar date of `instant` in a shop of `time_zone` (a schedule's tick, say)."""
    if instant.tzinfo is None:
        raise ValueError(f"{instant.isoformat()} has no time zone")
    return instant.astimezone(ZoneInfo(time_zone)).date()
