"""What happens next in the chain, one activity at a time, stamped with the present.

The behaviour models are the demo generator's: the same shops, price lists, rosters and people
(`PeopleFactory`), phone desk (`ring`, `record_call`), questions and checkout. What differs is
time: the generator replays years, this plays "now". Time is compressed so that a deployment
shows a visit's whole life within minutes: appointments start a few minutes after booking
(some days ahead, which may be cancelled) and complete as soon as their start has passed.

Each activity yields the Kafka events and CRM rows a real shop's systems would write for it.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from chairside.demo.catalogue import PriceBook, build_price_lists
from chairside.demo.config import DemoConfig
from chairside.demo.contacts import ContactDirectory, write_name
from chairside.demo.crm_seed import CrmRow
from chairside.demo.events import call_completed_data
from chairside.demo.ids import IdSequence
from chairside.demo.lifecycle import checkout
from chairside.demo.model import (
    Cadence,
    CallIntent,
    CallOutcome,
    Channel,
    Person,
    Shop,
    StaffMember,
)
from chairside.demo.phone_desk import record_call, ring
from chairside.demo.population import ARRIVAL_MIX, PeopleFactory
from chairside.demo.questions import ask
from chairside.demo.randomness import chance
from chairside.demo.roster import build_roster
from chairside.demo.shops import build_shops
from chairside.demo.simulator.envelopes import LiveEvent, live_event
from chairside.demo.timestamps import local_iso, utc_iso


class Activity(StrEnum):
    NEW_CUSTOMER = "new_customer"
    BOOKING = "booking"
    COMPLETION = "completion"
    CALL = "call"
    INQUIRY = "inquiry"


# How often each activity happens; a completion or cancellation needs a booking to act on and
# falls back to a booking when there is none.
ACTIVITY_MIX: dict[Activity, float] = {
    Activity.NEW_CUSTOMER: 0.15,
    Activity.BOOKING: 0.30,
    Activity.COMPLETION: 0.30,
    Activity.CALL: 0.15,
    Activity.INQUIRY: 0.10,
}
_CHANNELS = {Channel.PHONE: 0.5, Channel.ONLINE: 0.35, Channel.WALK_IN: 0.15}
_ADVANCE_SHARE = 0.2  # bookings made days ahead rather than for the next minutes
_CANCEL_SHARE = 0.3  # of advance bookings, cancelled before their day
_NO_SHOW_SHARE = 0.04
_INQUIRY_CHANNELS = {"phone": 0.45, "walk_in": 0.2, "web": 0.2, "instagram": 0.15}


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one activity wrote: Kafka events in publish order, and CRM rows per table."""

    activity: Activity
    events: tuple[LiveEvent, ...] = ()
    customers: tuple[CrmRow, ...] = ()
    inquiries: tuple[CrmRow, ...] = ()


@dataclass(slots=True)
class _Customer:
    person: Person
    customer_id: str
    usual_service: str
    visits: int = 0


@dataclass(frozen=True, slots=True)
class _Booking:
    appointment_id: str
    customer: _Customer
    service_code: str
    start: datetime
    quoted_price: Decimal


@dataclass(slots=True)
class _Floor:
    """One shop's live state: its clients and the appointments not yet closed."""

    shop: Shop
    staff: tuple[StaffMember, ...]
    people: PeopleFactory
    customers: list[_Customer] = field(default_factory=list)
    open: list[_Booking] = field(default_factory=list)


class Traffic:
    """`next_outcome()` plays one activity in a random shop of the chain at `clock()`."""

    def __init__(
        self, shops: int, rng: random.Random, clock: Callable[[], datetime], seed: int = 7
    ) -> None:
        today = clock().date()
        # The demo's config up to today: its shops, price lists and rosters are what the
        # inbox spreadsheets of `chairside generate --shops N --seed S` describe.
        config = DemoConfig(seed=seed, shops=shops, years=1.0, end_date=today)
        chain = build_shops(shops)
        self._prices = PriceBook(build_price_lists(chain, config))
        self._rng = rng
        self._clock = clock
        directory, ids = ContactDirectory(), IdSequence()
        self._floors = [
            _Floor(
                shop,
                tuple(m for m in build_roster(shop, config) if m.works_on(today)),
                PeopleFactory(
                    shop, rng, directory, ids, self._prices.codes(shop.shop_id), today.year
                ),
            )
            for shop in chain
        ]

    @property
    def shop_ids(self) -> tuple[str, ...]:
        return tuple(floor.shop.shop_id for floor in self._floors)

    def next_outcome(self) -> Outcome:
        floor = self._rng.choice(self._floors)
        now = self._clock().astimezone(floor.shop.zone)
        activity = self._rng.choices(list(ACTIVITY_MIX), list(ACTIVITY_MIX.values()))[0]
        if not floor.customers:
            activity = Activity.NEW_CUSTOMER
        elif activity is Activity.COMPLETION and not _due(floor, now):
            activity = Activity.BOOKING
        play = {
            Activity.NEW_CUSTOMER: self._new_customer,
            Activity.BOOKING: self._booking,
            Activity.COMPLETION: self._closing,
            Activity.CALL: self._call,
            Activity.INQUIRY: self._inquiry,
        }[activity]
        return play(floor, now)

    def _new_customer(self, floor: _Floor, now: datetime) -> Outcome:
        cadence = self._rng.choices(list(ARRIVAL_MIX), list(ARRIVAL_MIX.values()))[0]
        person = floor.people.person(cadence, now.date())
        customer = _Customer(
            person,
            f"c-live-{uuid.UUID(int=self._rng.getrandbits(128)).hex[:12]}",
            floor.people.habits(person).usual_service,
        )
        floor.customers.append(customer)
        data = {
            "customer_id": customer.customer_id,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "phone": person.phone,
            "email": person.email,
            "birth_year": person.birth_year,
            "gender": person.gender.value,
            "marketing_opt_in": person.marketing_opt_in,
        }
        crm: CrmRow = {
            "shop_id": floor.shop.shop_id,
            "customer_id": f"crm-{floor.shop.code}-{customer.customer_id}",
            "first_name": person.first_name,
            "last_name": person.last_name,
            "phone": person.phone,
            "email": person.email,
            "birth_year": person.birth_year,
            "gender": None,
            "marketing_opt_in": person.marketing_opt_in,
            "created_at": utc_iso(now),
            "updated_at": utc_iso(now),
        }
        event = self._event("customer.upserted", now, floor, data)
        return Outcome(Activity.NEW_CUSTOMER, (event,), customers=(crm,))

    def _booking(self, floor: _Floor, now: datetime) -> Outcome:
        rng = self._rng
        customer = rng.choice(floor.customers)
        channel = rng.choices(list(_CHANNELS), list(_CHANNELS.values()))[0]
        if channel is not Channel.WALK_IN and chance(rng, _ADVANCE_SHARE):
            lead = timedelta(days=rng.randint(1, 10), minutes=rng.randrange(0, 240, 15))
        else:
            lead = timedelta(minutes=rng.randint(1, 5))
        start = (now + lead).replace(microsecond=0)
        service = self._prices.in_force(floor.shop.shop_id, customer.usual_service, now.date())
        booking = _Booking(
            f"a-live-{uuid.UUID(int=rng.getrandbits(128)).hex[:12]}",
            customer,
            service.service_code,
            start,
            service.price,
        )
        floor.open.append(booking)
        events = []
        call_id = None
        if channel is Channel.PHONE:
            call = record_call(
                rng,
                floor.shop,
                customer.person,
                customer.person.phone,
                now,
                CallOutcome.ANSWERED,
                CallIntent.BOOK,
                booking.appointment_id,
            )
            call_id = call.call_id
            events.append(self._event("call.completed", now, floor, call_completed_data(call)))
        data = {
            "appointment_id": booking.appointment_id,
            "customer_id": customer.customer_id,
            "staff_id": rng.choice(floor.staff).staff_id,
            "service_code": service.service_code,
            "scheduled_start": local_iso(start),
            "duration_min": service.duration_min,
            "quoted_price": float(service.price),
            "channel": channel.value,
            "call_id": call_id,
        }
        events.append(self._event("appointment.booked", now, floor, data))
        return Outcome(Activity.BOOKING, tuple(events))

    def _closing(self, floor: _Floor, now: datetime) -> Outcome:
        """The earliest due visit is checked out (or not shown up for); an advance booking
        may be cancelled instead."""
        rng = self._rng
        ahead = [b for b in floor.open if b.start - now > timedelta(days=1)]
        if ahead and chance(rng, _CANCEL_SHARE * _ADVANCE_SHARE):
            booking = rng.choice(ahead)
            floor.open.remove(booking)
            data: dict[str, Any] = {
                "appointment_id": booking.appointment_id,
                "cancelled_by": "customer",
                "reason": rng.choice(("schedule conflict", "feeling unwell", None)),
            }
            return Outcome(
                Activity.COMPLETION, (self._event("appointment.cancelled", now, floor, data),)
            )
        booking = min(_due(floor, now), key=lambda b: b.start)
        floor.open.remove(booking)
        if chance(rng, _NO_SHOW_SHARE):
            data = {"appointment_id": booking.appointment_id}
            return Outcome(
                Activity.COMPLETION, (self._event("appointment.no_show", now, floor, data),)
            )
        paid = checkout(rng, booking.quoted_price, first_visit=booking.customer.visits == 0)
        booking.customer.visits += 1
        data = {
            "appointment_id": booking.appointment_id,
            "service_revenue": float(paid.service_revenue),
            "product_revenue": float(paid.product_revenue),
            "tip": float(paid.tip),
            "payment_method": paid.payment_method,
        }
        return Outcome(
            Activity.COMPLETION, (self._event("appointment.completed", now, floor, data),)
        )

    def _call(self, floor: _Floor, now: datetime) -> Outcome:
        """A question by phone from a client or a stranger; answered as the floor allows."""
        rng = self._rng
        caller = rng.choice(floor.customers).person if chance(rng, 0.6) else None
        number = caller.phone if caller else floor.people.person(Cadence.PROSPECT, now.date()).phone
        intent, _question = ask(rng)
        busy = min(1.0, len(_due(floor, now)) / max(1, len(floor.staff)))
        call = record_call(
            rng, floor.shop, caller, number, now, ring(rng, floor.shop, now, busy), intent
        )
        return Outcome(
            Activity.CALL, (self._event("call.completed", now, floor, call_completed_data(call)),)
        )

    def _inquiry(self, floor: _Floor, now: datetime) -> Outcome:
        """A prospect's question, logged in the CRM; asked by phone it is a call as well."""
        rng = self._rng
        person = floor.people.person(Cadence.PROSPECT, now.date())
        intent, question = ask(rng)
        channel = rng.choices(list(_INQUIRY_CHANNELS), list(_INQUIRY_CHANNELS.values()))[0]
        row: CrmRow = {
            "shop_id": floor.shop.shop_id,
            "day": now.date().isoformat(),
            "created_at": utc_iso(now),
            "inquiry_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "customer_name": write_name(rng, person.first_name, person.last_name),
            "phone": person.phone if channel != "instagram" else None,
            "email": person.email if channel == "web" else None,
            "age": None,
            "gender": None,
            "message": question,
            "channel": channel,
        }
        events: tuple[LiveEvent, ...] = ()
        if channel == "phone":
            call = record_call(
                rng, floor.shop, person, person.phone, now, CallOutcome.ANSWERED, intent
            )
            events = (self._event("call.completed", now, floor, call_completed_data(call)),)
        return Outcome(Activity.INQUIRY, events, inquiries=(row,))

    def _event(
        self, event_type: str, now: datetime, floor: _Floor, data: dict[str, Any]
    ) -> LiveEvent:
        return live_event(self._rng, event_type, now, floor.shop.shop_id, data)


def _due(floor: _Floor, now: datetime) -> list[_Booking]:
    return [booking for booking in floor.open if booking.start <= now]
