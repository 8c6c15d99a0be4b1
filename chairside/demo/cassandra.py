"""The CRM's two Cassandra tables, which only cover the later part of the history.

The CRM came in at `config.crm_start`: it knows the people the desk dealt with from then on,
under its own ids and spellings, and the inquiries logged since (the earlier ones live in the
spreadsheet log).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from chairside.demo.config import DemoConfig
from chairside.demo.contacts import write_email, write_name, write_phone
from chairside.demo.model import Gender, Inquiry, Person, ShopHistory
from chairside.demo.randomness import chance, rng_for
from chairside.demo.records import CassandraCustomerRow, CassandraInquiryRow
from chairside.demo.timestamps import utc_iso

_CRM_COVERAGE = 0.88  # share of the people met since the CRM went live that got a record
_GENDER_CODES = {Gender.MALE: "M", Gender.FEMALE: "F", Gender.NONBINARY: "X"}
_INQUIRY_GENDERS = {Gender.MALE: "male", Gender.FEMALE: "female", Gender.NONBINARY: "non-binary"}


def cassandra_customers(history: ShopHistory, config: DemoConfig) -> list[CassandraCustomerRow]:
    """One row per person met (visit or inquiry) since the CRM went live, ids by creation."""
    rng = rng_for(config.seed, "cassandra", "customers", history.shop.shop_id)
    since = history.shop.at(config.crm_start, 0)
    contacts: dict[str, list[datetime]] = {}
    for appointment in history.appointments:
        if appointment.completion and appointment.completion.at >= since:
            contacts.setdefault(appointment.person_id, []).append(appointment.completion.at)
    for inquiry in history.inquiries:
        if inquiry.at >= since:
            contacts.setdefault(inquiry.person_id, []).append(inquiry.at)
    people = {person.person_id: person for person in history.people}
    entries: list[tuple[datetime, datetime, Person]] = []
    for person_id, moments in contacts.items():
        if not chance(rng, _CRM_COVERAGE):
            continue
        created = min(moments) + timedelta(minutes=rng.randint(1, 10), seconds=rng.randrange(60))
        updated = created
        if max(moments) > created and chance(rng, 0.35):
            updated = max(moments) + timedelta(minutes=rng.randint(1, 10))
        entries.append((created, updated, people[person_id]))
    entries.sort(key=lambda entry: (entry[0], entry[2].person_id))
    code = history.shop.code
    return [
        _customer_row(
            rng, history.shop.shop_id, f"crm-{code}-{number:05d}", created, updated, person
        )
        for number, (created, updated, person) in enumerate(entries, start=1)
    ]


def _customer_row(
    rng: random.Random,
    shop_id: str,
    customer_id: str,
    created: datetime,
    updated: datetime,
    person: Person,
) -> CassandraCustomerRow:
    return CassandraCustomerRow(
        shop_id=shop_id,
        customer_id=customer_id,
        first_name=person.first_name.upper() if chance(rng, 0.05) else person.first_name,
        last_name=None if chance(rng, 0.1) else person.last_name,
        phone=None if chance(rng, 0.05) else write_phone(rng, person.phone),
        email=write_email(rng, person.email) if person.email and chance(rng, 0.85) else None,
        birth_year=person.birth_year if chance(rng, 0.5) else None,
        gender=_GENDER_CODES[person.gender] if chance(rng, 0.6) else None,
        marketing_opt_in=person.marketing_opt_in,
        created_at=utc_iso(created),
        updated_at=utc_iso(updated),
        person_id=person.person_id,
    )


def cassandra_inquiries(history: ShopHistory, config: DemoConfig) -> list[CassandraInquiryRow]:
    """Inquiries logged since the CRM went live, ordered by partition (day) then time."""
    rng = rng_for(config.seed, "cassandra", "inquiries", history.shop.shop_id)
    since = history.shop.at(config.crm_start, 0)
    people = {person.person_id: person for person in history.people}
    return [
        _inquiry_row(rng, inquiry, people[inquiry.person_id])
        for inquiry in history.inquiries
        if inquiry.at >= since
    ]


def _inquiry_row(rng: random.Random, inquiry: Inquiry, person: Person) -> CassandraInquiryRow:
    """What the form or the desk captured: Instagram rarely gives a phone, web forms an email."""
    has_phone = {"instagram": 0.15, "web": 0.7}.get(inquiry.channel, 0.95)
    has_email = 0.9 if inquiry.channel == "web" else 0.2
    return CassandraInquiryRow(
        shop_id=inquiry.shop_id,
        day=inquiry.at.date().isoformat(),
        created_at=utc_iso(inquiry.at),
        inquiry_id=inquiry.inquiry_id,
        customer_name=write_name(rng, person.first_name, person.last_name),
        phone=write_phone(rng, person.phone) if chance(rng, has_phone) else None,
        email=write_email(rng, person.email) if person.email and chance(rng, has_email) else None,
        age=inquiry.at.year - person.birth_year if chance(rng, 0.3) else None,
        gender=_INQUIRY_GENDERS[person.gender] if chance(rng, 0.3) else None,
        message=inquiry.message,
        channel=inquiry.channel,
        person_id=person.person_id,
    )
