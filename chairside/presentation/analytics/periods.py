"""The date ranges every app offers, and one rule for the range an app opens on.

A preset is a span of complete weeks ending with the week the app reports on (the last week
complete in every picked shop), so "last 4 weeks" never ends in a week still in progress. A
custom range is typed as two ISO dates (2026-09-27): the form Canada's standard uses, read the
same in every browser locale, and applied exactly as typed, never moved by a calendar widget.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from chairside.presentation.analytics.filters import WEEK

DAY = dt.timedelta(days=1)
Span = tuple[dt.date, dt.date]


def _weeks(count: int) -> Callable[[dt.date], Span]:
    return lambda week: (week - (count - 1) * WEEK, week + WEEK - DAY)


def _year_to_date(week: dt.date) -> Span:
    sunday = week + WEEK - DAY
    return dt.date(sunday.year, 1, 1), sunday


def _same_weeks_last_year(week: dt.date) -> Span:
    """The 13 weeks a year (52 weeks, so weekdays line up) before the last 13."""
    start, end = _weeks(13)(week)
    return start - 52 * WEEK, end - 52 * WEEK


PRESETS: dict[str, Callable[[dt.date], Span]] = {
    "Last complete week": _weeks(1),
    "Last 4 weeks": _weeks(4),
    "Last 13 weeks (a quarter)": _weeks(13),
    "Last 26 weeks": _weeks(26),
    "Last 52 weeks": _weeks(52),
    "Year to date": _year_to_date,
    "Same 13 weeks last year": _same_weeks_last_year,
}
DEFAULT_PRESET = "Last 26 weeks"


def preset_span(preset: str, reporting_week: dt.date, first_day: dt.date) -> Span:
    """The days of `preset` ending with `reporting_week`, starting no earlier than the data."""
    start, end = PRESETS[preset](reporting_week)
    return max(start, first_day), max(end, first_day)


def parse_day(text: str, field: str) -> dt.date:
    """A typed date, or a ValueError that names the field and shows the form to type."""
    cleaned = text.strip()
    try:
        return dt.date.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(
            f"{field}: {cleaned!r} is not a date. Type it as year-month-day, e.g. 2026-09-27."
        ) from None


def typed_span(start: str, end: str) -> Span:
    """The range two typed dates make; a range that ends before it starts is refused."""
    first, last = parse_day(start, "From"), parse_day(end, "To")
    if last < first:
        raise ValueError(f"To ({last:%Y-%m-%d}) is before From ({first:%Y-%m-%d}).")
    return first, last
