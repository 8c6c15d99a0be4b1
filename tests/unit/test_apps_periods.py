"""The apps' date presets end on the reporting week, and typed dates apply exactly as typed."""

import datetime as dt

import pytest

from chairside.presentation.analytics.periods import (
    DEFAULT_PRESET,
    PRESETS,
    preset_span,
    typed_span,
)

WEEK = dt.date(2026, 11, 9)  # a Monday
DATA_FROM = dt.date(2024, 11, 16)


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        ("Last complete week", (dt.date(2026, 11, 9), dt.date(2026, 11, 15))),
        ("Last 4 weeks", (dt.date(2026, 10, 19), dt.date(2026, 11, 15))),
        ("Last 13 weeks (a quarter)", (dt.date(2026, 8, 17), dt.date(2026, 11, 15))),
        ("Last 26 weeks", (dt.date(2026, 5, 18), dt.date(2026, 11, 15))),
        ("Last 52 weeks", (dt.date(2025, 11, 17), dt.date(2026, 11, 15))),
        ("Year to date", (dt.date(2026, 1, 1), dt.date(2026, 11, 15))),
        ("Same 13 weeks last year", (dt.date(2025, 8, 18), dt.date(2025, 11, 16))),
    ],
)
def test_each_preset_covers_whole_weeks_through_the_reporting_week(
    preset: str, expected: tuple[dt.date, dt.date]
) -> None:
    start, end = preset_span(preset, WEEK, DATA_FROM)
    assert (start, end) == expected
    assert end.weekday() == 6  # a Sunday: no week in progress


def test_a_preset_never_starts_before_the_data() -> None:
    start, end = preset_span("Last 52 weeks", dt.date(2025, 1, 6), DATA_FROM)
    assert (start, end) == (DATA_FROM, dt.date(2025, 1, 12))
    assert set(PRESETS) >= {DEFAULT_PRESET}


def test_typed_dates_are_applied_as_typed() -> None:
    assert typed_span(" 2026-09-27", "2026-10-04 ") == (dt.date(2026, 9, 27), dt.date(2026, 10, 4))


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("9/27", "2026-10-04", "From: '9/27' is not a date. Type it as year-month-day"),
        ("2026-09-27", "2026-02-30", "To: '2026-02-30' is not a date"),
        ("2026-09-27", "2026-09-01", "To (2026-09-01) is before From (2026-09-27)."),
    ],
)
def test_a_bad_typed_date_is_named(start: str, end: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        typed_span(start, end)
