"""Whether a CRM row, as the driver returns it, can be loaded: the first field at fault and why.

The CRM is another application's store: Cassandra types its columns but checks nothing else, so
a row can hold a birth year of 1800, a `created_at` in year 1 (a zeroed device clock), a `date`
beyond the year 9999 (Python's `date` cannot hold it, `Date.date()` raises), a phone that dials
nowhere, text of megabytes or control characters. Such a row is quarantined with the field and
the reason (`store.QUARANTINE`); the shop's other rows load. The limits are the contract's
plausibility bounds (`chairside.contracts.bounds`, shared with Kafka), and phones and emails are
read by
the same rules as the inbox's cells, which is how the warehouse matches people across sources.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Callable, Iterable

from cassandra.util import Date

from chairside.contracts import bounds, cells
from chairside.contracts.events import InquiryReceived
from ingestion.cassandra import mapping
from ingestion.cassandra.reader import Row

Problem = tuple[str, str]  # (field, reason)
Check = Callable[[Row, bounds.Bounds, str], Problem | None]

SHOP_ID = re.compile(r"[a-z0-9-]{2,40}")
# A name, an id, a phone or an email longer than this is a paste or a bug, not a person.
LONGEST_FIELD = 1_000
# A front-desk note may be long; a megabyte is a file pasted into the form.
LONGEST_MESSAGE = 10_000
# The contract's inquiry channels, and Instagram: the CRM's own forms include it.
CHANNELS = (*typing.get_args(typing.get_type_hints(InquiryReceived)["channel"]), "instagram")
# Text a person typed holds no control characters but tab and line breaks. U+FFFD is what a
# decoder puts where bytes were not text: the writer mangled the value before it was stored.
_JUNK = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


def _text(name: str, value: str | None, longest: int = LONGEST_FIELD) -> str | None:
    if value is None:
        return None
    if len(value) > longest:
        return f"{name} is {len(value):,} characters long, over the limit of {longest:,}"
    if junk := _JUNK.search(value):
        char = junk.group()
        what = "NUL" if char == "\x00" else f"U+{ord(char):04X}"
        hint = " (bytes that were not valid text)" if char == "\ufffd" else ""
        return f"{name} contains the character {what}{hint} at position {junk.start()}"
    return None


def _key(name: str, value: str | None) -> str | None:
    if value is None or not value.strip():
        return f"{name} is empty, and it is part of the row's key"
    return None


def _shop(value: str | None) -> str | None:
    if missing := _key("shop_id", value):
        return missing
    assert value is not None  # _key said so
    if not SHOP_ID.fullmatch(value):
        return f"shop_id {value[:80]!r} is not a shop slug ([a-z0-9-]{{2,40}})"
    return None


def _phone(value: str | None, region: str) -> str | None:
    if cells.text(value) is None:
        return None
    try:
        cells.phone(value, region)
    except cells.CellError as error:
        return f"phone: {error}"
    return None


def _email(value: str | None) -> str | None:
    if cells.text(value) is None:
        return None
    try:
        cells.email(value)
    except cells.CellError as error:
        return f"email: {error}"
    return None


def _instant(name: str, value: dt.datetime | None, limits: bounds.Bounds) -> str | None:
    """A driver timestamp (naive, meaning UTC) within the bounds."""
    if value is None:
        return None
    return limits.instant(name, value.replace(tzinfo=dt.UTC))


def _day(value: Date | None, limits: bounds.Bounds) -> str | None:
    if value is None:
        return "day is empty, and it is part of the row's key"
    try:
        day = mapping.calendar_day(value)
    except ValueError:  # Python's dates run from year 1 to 9999, CQL's much further
        return (
            f"day {value.days_from_epoch:,} days from 1970-01-01 is before the year 1 "
            "or after the year 9999"
        )
    return limits.day("day", day)


def _first(checks: Iterable[tuple[str, Callable[[], str | None]]]) -> Problem | None:
    for field, check in checks:
        if reason := check():
            return field, reason
    return None


def customer_problem(row: Row, limits: bounds.Bounds, region: str) -> Problem | None:
    """The first field of a `customers` row that cannot load, and why; None if it can."""
    birth_year = row["birth_year"]
    texts = ("first_name", "last_name", "gender")
    return _first(
        [
            ("shop_id", lambda: _shop(row["shop_id"])),
            ("customer_id", lambda: _key("customer_id", row["customer_id"])),
            ("customer_id", lambda: _text("customer_id", row["customer_id"])),
            *((name, lambda name=name: _text(name, row[name])) for name in texts),
            ("phone", lambda: _text("phone", row["phone"]) or _phone(row["phone"], region)),
            ("email", lambda: _text("email", row["email"]) or _email(row["email"])),
            (
                "birth_year",
                lambda: None if birth_year is None else limits.birth_year("birth_year", birth_year),
            ),
            ("created_at", lambda: _instant("created_at", row["created_at"], limits)),
            ("updated_at", lambda: _instant("updated_at", row["updated_at"], limits)),
        ]
    )


def inquiry_problem(row: Row, limits: bounds.Bounds, region: str) -> Problem | None:
    """The first field of an `inquiries_by_day` row that cannot load, and why; None if it can."""
    age, channel, created_at = row["age"], row["channel"], row["created_at"]
    return _first(
        [
            ("shop_id", lambda: _shop(row["shop_id"])),
            ("day", lambda: _day(row["day"], limits)),
            (
                "created_at",
                lambda: (
                    "created_at is empty, and it is part of the row's key"
                    if created_at is None
                    else _instant("created_at", created_at, limits)
                ),
            ),
            ("inquiry_id", lambda: _key("inquiry_id", _str(row["inquiry_id"]))),
            ("customer_name", lambda: _text("customer_name", row["customer_name"])),
            ("phone", lambda: _text("phone", row["phone"]) or _phone(row["phone"], region)),
            ("email", lambda: _text("email", row["email"]) or _email(row["email"])),
            ("age", lambda: None if age is None else bounds.age("age", age)),
            ("gender", lambda: _text("gender", row["gender"])),
            ("message", lambda: _text("message", row["message"], LONGEST_MESSAGE)),
            (
                "channel",
                lambda: (
                    None
                    if channel is None or channel in CHANNELS
                    else f"channel {channel[:80]!r} is none of {', '.join(CHANNELS)}"
                ),
            ),
        ]
    )


def _str(value: object) -> str | None:
    return None if value is None else str(value)
