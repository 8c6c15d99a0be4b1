"""The one clock: a pinned date is today everywhere; unpinned, each shop's own date is."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from chairside.core.clock import AS_OF_ENV, Clock, clock_from, date_at, monday, parse_as_of
from chairside.core.settings import load_settings

ZONES = ["America/St_Johns", "America/Vancouver"]


def test_a_pinned_date_is_today_in_every_shop() -> None:
    clock = Clock(dt.date(2026, 11, 2))
    assert clock.pinned
    assert {clock.today(zone) for zone in [*ZONES, "Pacific/Auckland"]} == {dt.date(2026, 11, 2)}


def test_weeks_and_days_that_have_ended_as_of_a_monday() -> None:
    clock = Clock(dt.date(2026, 11, 16))  # a Monday
    assert clock.last_complete_day(ZONES) == dt.date(2026, 11, 15)
    assert clock.last_ended_week(ZONES) == dt.date(2026, 11, 9)
    assert Clock(dt.date(2026, 11, 15)).last_ended_week(ZONES) == dt.date(2026, 11, 2)


def test_unpinned_today_is_the_date_in_the_shop_s_own_zone() -> None:
    clock = Clock()
    for zone in ["America/St_Johns", "Pacific/Kiritimati", "Pacific/Pago_Pago"]:
        before = dt.datetime.now(ZoneInfo(zone)).date()
        today = clock.today(zone)
        after = dt.datetime.now(ZoneInfo(zone)).date()
        assert today in {before, after}


def test_a_shop_s_date_at_an_instant_follows_its_clock_to_the_half_hour() -> None:
    # Monday 2026-11-16 begins at 03:30 UTC in St. John's (UTC-3:30 in November)
    before = dt.datetime(2026, 11, 16, 3, 29, tzinfo=dt.UTC)
    after = dt.datetime(2026, 11, 16, 3, 30, tzinfo=dt.UTC)
    assert date_at(before, "America/St_Johns") == dt.date(2026, 11, 15)
    assert date_at(after, "America/St_Johns") == dt.date(2026, 11, 16)
    assert date_at(after, "America/Vancouver") == dt.date(2026, 11, 15)  # still Sunday evening
    with pytest.raises(ValueError, match="no time zone"):
        date_at(dt.datetime(2026, 11, 16), "America/St_Johns")


def test_the_westernmost_shop_decides_what_has_ended_everywhere() -> None:
    # Clock.earliest_today takes the minimum of the shops' dates
    assert Clock(dt.date(2026, 11, 16)).earliest_today(ZONES) == dt.date(2026, 11, 16)
    with pytest.raises(ValueError, match="no time zone"):
        Clock().earliest_today([])


def test_the_setting_pins_the_clock_and_a_typo_names_the_setting() -> None:
    assert load_settings({AS_OF_ENV: "2026-11-02"}).clock == Clock(dt.date(2026, 11, 2))
    assert load_settings({AS_OF_ENV: ""}).clock == Clock()
    assert clock_from({}) == Clock()
    with pytest.raises(ValueError, match=f"{AS_OF_ENV} must be a date as YYYY-MM-DD"):
        load_settings({AS_OF_ENV: "02/11/2026"})
    with pytest.raises(ValueError, match="the URL's as_of must be"):
        parse_as_of("yesterday", source="the URL's as_of")


def test_monday_starts_the_iso_week() -> None:
    assert monday(dt.date(2026, 11, 15)) == dt.date(2026, 11, 9)
    assert monday(dt.date(2026, 11, 16)) == dt.date(2026, 11, 16)


def test_a_clock_names_its_date() -> None:
    assert Clock(dt.date(2026, 11, 2)).describe(ZONES) == "as of Mon 2 Nov 2026 (pinned)"
    before = Clock().earliest_today(ZONES)
    described = Clock().describe(ZONES)
    after = Clock().earliest_today(ZONES)
    assert described in {f"as of {day:%a %-d %b %Y}, today" for day in (before, after)}
