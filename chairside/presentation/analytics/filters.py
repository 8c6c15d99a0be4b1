"""The shop and date-range filter every app applies, and the SQL that applies it.

A range is widened to whole ISO weeks (Monday to Sunday). The weekly marts are keyed by
`week_start` while calls and visits carry a local date; on whole weeks both cover the same days,
so a range's visits always add up to its weekly rows. Windows are half-open: from the first
Monday up to, not including, the Monday after the last week.

Queries take the filter as positional parameters `$1` (shop ids), `$2` (first Monday) and `$3`
(the Monday after the range), so one statement can filter several tables with the same values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

WEEK = dt.timedelta(days=7)

SHOPS = "shop_id in (select unnest($1::varchar[]))"


def monday(day: dt.date) -> dt.date:
    """The Monday starting the ISO week of `day`."""
    return day - dt.timedelta(days=day.weekday())


def in_range(column: str) -> str:
    """`column` (a date or a week start) inside the filter's weeks."""
    return f"{column} >= $2 and {column} < $3"


@dataclass(frozen=True)
class Filters:
    """Shops, and the weeks from `first_week` through `last_week` (both Mondays, inclusive)."""

    shop_ids: tuple[str, ...]
    first_week: dt.date
    last_week: dt.date

    def __post_init__(self) -> None:
        if not self.shop_ids:
            raise ValueError("pick at least one shop")
        if monday(self.first_week) != self.first_week or monday(self.last_week) != self.last_week:
            raise ValueError("weeks start on a Monday")
        if self.last_week < self.first_week:
            raise ValueError(f"the range ends ({self.last_week}) before it starts")

    @classmethod
    def from_inputs(cls, shop_ids: Iterable[str], start: dt.date, end: dt.date) -> Filters:
        """From the apps' pickers: any two dates, widened to the weeks that contain them."""
        return cls(tuple(sorted(set(shop_ids))), monday(start), monday(end))

    @property
    def end(self) -> dt.date:
        """The Monday after the last week: the exclusive end of the range."""
        return self.last_week + WEEK

    @property
    def weeks(self) -> int:
        return (self.end - self.first_week).days // 7

    def mondays(self) -> list[dt.date]:
        return [self.first_week + number * WEEK for number in range(self.weeks)]

    def params(self, *extra: object) -> list[object]:
        """`$1`, `$2`, `$3` as the module docstring describes, then `extra` as `$4`..."""
        return [list(self.shop_ids), self.first_week, self.end, *extra]

    def through(self, last_week: dt.date) -> Filters:
        """The same shops and first week, ending with `last_week` instead."""
        return Filters(self.shop_ids, self.first_week, last_week)

    def ending(self, last_week: dt.date, weeks: int) -> Filters:
        """The same shops over the `weeks` weeks through `last_week`."""
        return Filters(self.shop_ids, last_week - (weeks - 1) * WEEK, last_week)
