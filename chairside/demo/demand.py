"""When people want haircuts: season, weekday, time of day and slow growth.

These shapes are what the forecasts and the weekly metrics should find again: a December
peak, a July-August dip, busy Saturdays, quiet Mondays, lunch and after-work rushes.
"""

from __future__ import annotations

import bisect
import itertools
import random
from datetime import date, timedelta

from chairside.demo.model import Shop

_MONTH_FACTOR = (0.85, 0.9, 1.0, 1.0, 1.05, 1.05, 0.8, 0.82, 1.0, 1.0, 1.05, 1.3)
_WEEKDAY_WEIGHT = (0.55, 0.75, 0.85, 1.0, 1.3, 1.7, 0.7)
_GROWTH_PER_YEAR = 0.08
_SLOT_MINUTES = 15

# Hours at which people phone or go online to book (or ask); phone calls spill outside
# opening hours, which is where after-hours missed calls come from.
PHONE_HOURS = dict(zip(range(7, 22), (1, 3, 8, 10, 10, 9, 9, 8, 8, 8, 7, 4, 3, 2, 1), strict=True))
ONLINE_HOURS = dict(
    zip(range(6, 24), (1, 3, 4, 4, 4, 4, 6, 5, 4, 4, 4, 5, 6, 8, 9, 9, 7, 3), strict=True)
)


def season(day: date) -> float:
    """Demand relative to an average month."""
    return _MONTH_FACTOR[day.month - 1]


class SeasonalClock:
    """Time measured in "average days": a December day counts 1.3, a July day 0.8.

    A client due "every 30 days" is due after 30 seasonal days, so visits crowd into
    December and thin out in summer, instead of merely shifting from one month to the next.
    """

    def __init__(self, start: date, days: int) -> None:
        self._start = start
        self._elapsed = list(
            itertools.accumulate(
                (season(start + timedelta(days=n)) for n in range(days)), initial=0.0
            )
        )

    def after(self, day: date, interval_days: float) -> date:
        """The day `interval_days` seasonal days after `day` (which must not precede the start)."""
        target = self._elapsed[(day - self._start).days] + interval_days
        index = bisect.bisect_left(self._elapsed, target)
        if index < len(self._elapsed):
            return self._start + timedelta(days=index)
        # Past the horizon the season no longer matters to the data: count plain days.
        return self._start + timedelta(days=len(self._elapsed) + round(target - self._elapsed[-1]))


def growth(day: date, start: date) -> float:
    """Word of mouth: new clients arrive a little faster every year."""
    return 1.0 + _GROWTH_PER_YEAR * (day - start).days / 365.25


def weekday_weight_of(weekday: int) -> float:
    """Relative demand on a weekday (Monday is 0): Saturday busiest, early week quiet."""
    return _WEEKDAY_WEIGHT[weekday]


def choose_service_day(
    rng: random.Random, shop: Shop, desired: date, earliest: date, preferred_weekday: int | None
) -> date | None:
    """An open day within three days of `desired` and not before `earliest`: the client's
    usual weekday if they have one, else weighted towards busy weekdays; None if there is none."""
    candidates = [
        day
        for offset in range(-3, 4)
        if (day := desired + timedelta(days=offset)) >= earliest and shop.is_open_on(day)
    ]
    if not candidates:
        return None
    if preferred_weekday is not None:
        usual = [day for day in candidates if day.weekday() == preferred_weekday]
        if usual:
            return usual[0]
    weights = [
        weekday_weight_of(day.weekday()) / (1 + abs((day - desired).days)) for day in candidates
    ]
    return rng.choices(candidates, weights)[0]


def choose_start_minute(rng: random.Random, shop: Shop, day: date, duration_min: int) -> int:
    """A start on the 15-minute grid, weighted to lunch and after work (mornings on weekends)."""
    first, last = shop.opens_minute, shop.closes_minute - duration_min
    starts = list(range(first + (-first) % _SLOT_MINUTES, last + 1, _SLOT_MINUTES))
    weekend = day.weekday() >= 5
    return rng.choices(starts, [_start_weight(minute // 60, weekend) for minute in starts])[0]


def _start_weight(hour: int, weekend: bool) -> float:
    if weekend:
        return 1.6 if hour < 13 else 1.0 if hour < 15 else 0.6
    if hour == 12:
        return 1.4
    if 16 <= hour <= 18:
        return 1.6
    return 0.7 if hour < 10 else 1.0


def choose_hour(rng: random.Random, hours: dict[int, int]) -> int:
    return rng.choices(list(hours), list(hours.values()))[0]
