"""Rows of the hand-kept files in the inbox: the old POS's client list and the front-desk logs.

These are the messiest sources on purpose: timestamps in three shapes, names and phones as
typed, and (with a dirty rate) a few rows the loader must quarantine rather than guess at.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import replace

from openpyxl.utils.datetime import to_excel

from chairside.demo.config import DemoConfig
from chairside.demo.contacts import write_email, write_name, write_phone
from chairside.demo.model import Gender, Inquiry, Person, ShopHistory
from chairside.demo.randomness import chance, rng_for
from chairside.demo.records import InboxCustomerRow, InboxInquiryRow, TimestampCell

_POS_COVERAGE = 0.9  # share of old clients still in the POS export
_BAD_SINCE = ("00/00/0000", "unknown", "2019-02-30")
_BAD_TIMESTAMPS = ("sometime tuesday?", "??", "2025-13-45 25:99", "after lunch")
_DESK_GENDERS = {
    Gender.MALE: ("M", "Male", "m"),
    Gender.FEMALE: ("F", "Female", "f"),
    Gender.NONBINARY: ("X", "NB", ""),
}


def inbox_customers(histories: Iterable[ShopHistory], config: DemoConfig) -> list[InboxCustomerRow]:
    """The old POS's export: clients from before the booking system's go-live, all shops."""
    rng = rng_for(config.seed, "inbox", "customers")
    start = config.start_date
    rows = [
        _legacy_row(rng, person, start.year)
        for history in histories
        for person in sorted(history.people, key=lambda p: (p.created, p.person_id))
        if person.created < start and chance(rng, _POS_COVERAGE)
    ]
    for index in _dirty_indices(rng, len(rows), config.dirty_rate):
        rows[index] = replace(
            rows[index], customer_since=rng.choice(_BAD_SINCE), defect="unparseable Customer Since"
        )
    return rows


def _legacy_row(rng: random.Random, person: Person, export_year: int) -> InboxCustomerRow:
    name = f"{person.first_name} {person.last_name}"
    if chance(rng, 0.2):
        name = f"{person.last_name}, {person.first_name}"
    gender = {Gender.MALE: "M", Gender.FEMALE: "F", Gender.NONBINARY: ""}[person.gender]
    return InboxCustomerRow(
        name=name,
        phone=write_phone(rng, person.phone),
        email=write_email(rng, person.email) if person.email and chance(rng, 0.8) else "",
        age=str(export_year - person.birth_year) if chance(rng, 0.75) else "",
        gender=gender if chance(rng, 0.8) else "",
        shop=person.home_shop_id,
        customer_since=person.created.isoformat(),
        person_id=person.person_id,
    )


def inbox_inquiries(history: ShopHistory, config: DemoConfig) -> list[InboxInquiryRow]:
    """The shop's front-desk log, up to the day the CRM took over."""
    rng = rng_for(config.seed, "inbox", "inquiries", history.shop.shop_id)
    until = history.shop.at(config.crm_start, 0)
    people = {person.person_id: person for person in history.people}
    rows = [
        _log_row(rng, inquiry, people[inquiry.person_id])
        for inquiry in history.inquiries
        if inquiry.at < until
    ]
    for index in _dirty_indices(rng, len(rows), config.dirty_rate):
        rows[index] = replace(
            rows[index], timestamp=rng.choice(_BAD_TIMESTAMPS), defect="unparseable Timestamp"
        )
    return rows


def _log_row(rng: random.Random, inquiry: Inquiry, person: Person) -> InboxInquiryRow:
    return InboxInquiryRow(
        shop_id=inquiry.shop_id,
        name=write_name(rng, person.first_name, person.last_name),
        phone=write_phone(rng, person.phone),
        inquiry=inquiry.message,
        timestamp=_timestamp_cell(rng, inquiry),
        age=inquiry.at.year - person.birth_year if chance(rng, 0.35) else None,
        gender=rng.choice(_DESK_GENDERS[person.gender]) if chance(rng, 0.5) else None,
        email=write_email(rng, person.email) if person.email and chance(rng, 0.3) else None,
        shop=inquiry.shop_id,
        inquiry_id=inquiry.inquiry_id,
        person_id=person.person_id,
    )


def _timestamp_cell(rng: random.Random, inquiry: Inquiry) -> TimestampCell:
    """Shop wall-clock time to the minute: mostly a real date-time cell, sometimes typed text
    (ISO-like or Canadian day-first with AM/PM), sometimes a bare Excel serial number."""
    wall = inquiry.at.replace(tzinfo=None, second=0)
    roll = rng.random()
    if roll < 0.8:
        return wall
    if roll < 0.88:
        return wall.strftime("%Y-%m-%d %H:%M")
    if roll < 0.94:
        hour = wall.hour % 12 or 12
        return f"{wall:%d/%m/%Y} {hour}:{wall:%M} {'AM' if wall.hour < 12 else 'PM'}"
    return to_excel(wall)


def _dirty_indices(rng: random.Random, count: int, dirty_rate: float) -> list[int]:
    """Which rows to spoil: none when clean, else the rate's share but at least one."""
    if dirty_rate <= 0 or count == 0:
        return []
    return sorted(rng.sample(range(count), min(count, max(1, round(dirty_rate * count)))))
