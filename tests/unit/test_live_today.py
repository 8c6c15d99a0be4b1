"""Today per shop from the live feed's events: each event on its shop's own date by the one
clock, every listed shop shown, calls in progress merged in, and the in-progress book."""

from __future__ import annotations

import datetime as dt

from chairside.contracts.events import InquiryReceived
from chairside.core.clock import Clock
from chairside.presentation.analytics import today
from ingestion.kafka.today_feed import LiveEvent, start_of_today
from ingestion.webhooks.ringing import STALE, CallsInProgress

NAMES = {"water-st": "Water St", "queen-west": "Queen West"}
ZONES = {"water-st": "America/St_Johns", "queen-west": "America/Toronto"}
CLOCK = Clock(dt.date(2026, 11, 16))
UTC = dt.UTC


def at(hour: int, minute: int = 0, day: int = 16) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def inquiry(shop: str, when: dt.datetime, name: str) -> LiveEvent:
    data = InquiryReceived("i-" + name, name, "Fade?", "walk_in", when)
    return LiveEvent("inquiry", shop, when, inquiry=data)


EVENTS = [
    LiveEvent("call", "water-st", at(12), "answered"),
    LiveEvent("call", "water-st", at(13), "missed"),
    LiveEvent("call", "water-st", at(14), "voicemail"),
    # 02:00 UTC on the 16th is still the 15th in St. John's (UTC-3:30) and Toronto (UTC-5)
    LiveEvent("call", "water-st", at(2), "answered"),
    LiveEvent("booking", "queen-west", at(4, 59)),
    LiveEvent("booking", "queen-west", at(5)),
    # 04:00 UTC on the 17th is still the 16th in Toronto
    inquiry("queen-west", at(4, day=17), "Late"),
    inquiry("water-st", at(15), "Early"),
    LiveEvent("booking", "bay-st", at(15)),
]


def test_each_event_counts_on_its_shops_own_date() -> None:
    table = today.per_shop(EVENTS, CLOCK, NAMES, ZONES)
    assert table.to_dict("records") == [
        {
            "shop": "Queen West",
            "calls_answered": 0,
            "calls_missed": 0,
            "bookings": 1,
            "inquiries": 1,
        },
        {
            "shop": "Water St",
            "calls_answered": 1,
            "calls_missed": 2,
            "bookings": 0,
            "inquiries": 1,
        },
        {
            "shop": "bay-st (not in the shops file)",
            "calls_answered": 0,
            "calls_missed": 0,
            "bookings": 1,
            "inquiries": 0,
        },
    ]


def test_todays_inquiries_newest_first_in_shop_time() -> None:
    table = today.inquiries(EVENTS, CLOCK, NAMES, ZONES)
    assert table[["time", "shop", "name"]].values.tolist() == [
        ["23:00", "Queen West", "Late"],
        ["11:30", "Water St", "Early"],
    ]


def test_the_feed_starts_at_the_first_midnight_among_the_shops() -> None:
    assert start_of_today(CLOCK, ZONES.values()) == dt.datetime(2026, 11, 16, 3, 30, tzinfo=UTC)


def test_calls_in_progress_join_the_counts() -> None:
    counts = today.per_shop([], CLOCK, NAMES, ZONES)
    table = today.with_calls_in_progress(
        counts, {"water-st": {"ringing": 2, "on_the_line": 1}}, NAMES
    )
    assert table[["shop", "ringing", "on_the_line", "calls_answered"]].values.tolist() == [
        ["Queen West", 0, 0, 0],
        ["Water St", 2, 1, 0],
    ]


def test_a_call_rings_until_its_final_status_or_until_it_is_stale() -> None:
    calls = CallsInProgress()
    calls.heard("CA1", "water-st", "ringing", at(12))
    calls.heard("CA2", "water-st", "ringing", at(12))
    calls.heard("CA2", "water-st", "in-progress", at(12, 1))
    calls.heard("CA3", "queen-west", "ringing", at(12))
    calls.heard("CA3", "queen-west", "no-answer", at(12, 1))
    calls.heard("CA3", "queen-west", "ringing", at(12, 2))  # a late retry after the end
    assert calls.counts(at(12, 2)) == {"water-st": {"ringing": 1, "on_the_line": 1}}
    assert calls.counts(at(12) + STALE + dt.timedelta(minutes=2)) == {}
