"""The Kafka topics: ground truth rendered as contract envelopes, in produce order.

Produce order is occurred_at order per topic, plus the delivery reality the consumer must
survive: at-least-once duplicates, a few events of one appointment out of order, and (when the
config asks for dirt) invalid messages for the dead-letter table.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from chairside.demo.cassandra import cassandra_inquiries
from chairside.demo.config import DemoConfig
from chairside.demo.model import Appointment, Call, CustomerProfile, ShopHistory
from chairside.demo.randomness import new_uuid, rng_for
from chairside.demo.records import CassandraInquiryRow, KafkaRecord
from chairside.demo.timestamps import local_iso

CALLS_TOPIC = "chairside.calls.v1"
APPOINTMENTS_TOPIC = "chairside.appointments.v1"
CUSTOMERS_TOPIC = "chairside.customers.v1"
INQUIRIES_TOPIC = "chairside.inquiries.v1"
TOPICS = (CALLS_TOPIC, APPOINTMENTS_TOPIC, CUSTOMERS_TOPIC, INQUIRIES_TOPIC)

SCHEMA_VERSION = 1
_DUPLICATE_SHARE = 0.005
_OUT_OF_ORDER_SHARE = 0.001
_LONGEST_REDELIVERY_GAP = 300  # messages between an event and its duplicate

# Fields the contract requires per event type: what a "missing required field" can drop.
_REQUIRED = {
    "call.completed": ("call_id", "from_number", "started_at", "duration_sec", "outcome"),
    "appointment.booked": (
        "appointment_id",
        "customer_id",
        "staff_id",
        "service_code",
        "scheduled_start",
        "duration_min",
        "quoted_price",
        "channel",
    ),
    "appointment.rescheduled": ("appointment_id", "scheduled_start"),
    "appointment.cancelled": ("appointment_id", "cancelled_by"),
    "appointment.completed": ("appointment_id", "service_revenue", "product_revenue", "tip"),
    "appointment.no_show": ("appointment_id",),
    "customer.upserted": ("customer_id", "first_name", "marketing_opt_in"),
    "inquiry.received": ("inquiry_id", "customer_name", "message", "channel", "created_at"),
}
_UNKNOWN_TYPES = {
    CALLS_TOPIC: "call.transferred",
    APPOINTMENTS_TOPIC: "appointment.checked_in",
    CUSTOMERS_TOPIC: "customer.merged",
    INQUIRIES_TOPIC: "inquiry.closed",
}
_DEFECTS = ("malformed_json", "missing_field", "unknown_event_type", "schema_version")


@dataclass(frozen=True, slots=True)
class _Event:
    """An envelope before it gets its id: enough to sort it into produce order."""

    topic: str
    key: str
    occurred_at: datetime
    event_type: str
    shop_id: str
    data: dict[str, Any]
    person_id: str | None


def render_topics(
    histories: Sequence[ShopHistory], config: DemoConfig
) -> dict[str, tuple[KafkaRecord, ...]]:
    """Every topic's messages in produce order. One topic at a time, so that only one topic's
    unencoded events are held at once on big runs."""
    return {
        topic: _produce(topic, [e for h in histories for e in _events(h, topic, config)], config)
        for topic in TOPICS
    }


def _events(history: ShopHistory, topic: str, config: DemoConfig) -> Iterator[_Event]:
    if topic == INQUIRIES_TOPIC:
        yield from map(_inquiry_received, cassandra_inquiries(history, config))
    elif topic == CUSTOMERS_TOPIC:
        yield from map(_customer_upserted, history.profiles)
    elif topic == APPOINTMENTS_TOPIC:
        for appointment in history.appointments:
            yield from _appointment_events(appointment)
    else:
        yield from map(_call_completed, history.calls)


def _customer_upserted(profile: CustomerProfile) -> _Event:
    data = {
        "customer_id": profile.customer_id,
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "phone": profile.phone,
        "email": profile.email,
        "birth_year": profile.birth_year,
        "gender": profile.gender.value if profile.gender else None,
        "marketing_opt_in": profile.marketing_opt_in,
    }
    return _Event(
        CUSTOMERS_TOPIC,
        profile.customer_id,
        profile.at,
        "customer.upserted",
        profile.shop_id,
        data,
        profile.person_id,
    )


def _appointment_events(appointment: Appointment) -> Iterator[_Event]:
    def event(occurred_at: datetime, event_type: str, data: dict[str, Any]) -> _Event:
        return _Event(
            APPOINTMENTS_TOPIC,
            appointment.appointment_id,
            occurred_at,
            event_type,
            appointment.shop_id,
            {"appointment_id": appointment.appointment_id, **data},
            appointment.person_id,
        )

    yield event(
        appointment.booked_at,
        "appointment.booked",
        {
            "customer_id": appointment.customer_id,
            "staff_id": appointment.booked_staff_id,
            "service_code": appointment.service_code,
            "scheduled_start": local_iso(appointment.booked_start),
            "duration_min": appointment.duration_min,
            "quoted_price": _money(appointment.quoted_price),
            "channel": appointment.channel.value,
            "call_id": appointment.call_id,
        },
    )
    if moved := appointment.reschedule:
        new_staff = (
            appointment.staff_id if appointment.staff_id != moved.previous_staff_id else None
        )
        yield event(
            moved.at,
            "appointment.rescheduled",
            {
                "scheduled_start": local_iso(appointment.scheduled_start),
                "staff_id": new_staff,
            },
        )
    if cancelled := appointment.cancellation:
        yield event(
            cancelled.at,
            "appointment.cancelled",
            {
                "cancelled_by": cancelled.by,
                "reason": cancelled.reason,
            },
        )
    if paid := appointment.completion:
        yield event(
            paid.at,
            "appointment.completed",
            {
                "service_revenue": _money(paid.service_revenue),
                "product_revenue": _money(paid.product_revenue),
                "tip": _money(paid.tip),
                "payment_method": paid.payment_method,
            },
        )
    if appointment.no_show_at:
        yield event(appointment.no_show_at, "appointment.no_show", {})


def call_completed_data(call: Call) -> dict[str, Any]:
    """A call as `call.completed`'s data: the one builder the generator and the simulator share."""
    return {
        "call_id": call.call_id,
        "from_number": call.from_number,
        "caller_name": call.caller_name,
        "started_at": local_iso(call.started_at),
        "duration_sec": call.duration_sec,
        "outcome": call.outcome.value,
        "intent": call.intent.value if call.intent else None,
        "appointment_id": call.appointment_id,
    }


def _call_completed(call: Call) -> _Event:
    data = call_completed_data(call)
    ended = call.started_at + timedelta(seconds=call.duration_sec)
    return _Event(
        CALLS_TOPIC, call.call_id, ended, "call.completed", call.shop_id, data, call.person_id
    )


# The CRM keeps the channel as the desk typed it; the topic knows four (an Instagram message is
# a message sent over the web).
_INQUIRY_CHANNELS = {"instagram": "web"}


def _inquiry_received(row: CassandraInquiryRow) -> _Event:
    """Since the CRM went live the desk logs inquiries in the front-desk form, which writes the
    topic and the CRM under one inquiry_id (fct_inquiries keeps one): the same words here."""
    at = datetime.fromisoformat(row.created_at)
    data = {
        "inquiry_id": row.inquiry_id,
        "customer_name": row.customer_name,
        "phone": row.phone,
        "email": row.email,
        "age": row.age,
        "gender": row.gender,
        "message": row.message,
        "channel": _INQUIRY_CHANNELS.get(row.channel, row.channel),
        "created_at": local_iso(at),
    }
    return _Event(
        INQUIRIES_TOPIC, row.inquiry_id, at, "inquiry.received", row.shop_id, data, row.person_id
    )


def _money(amount: Decimal) -> float:
    """A JSON number with at most two decimals (floats print their shortest round trip)."""
    return float(amount)


def _produce(topic: str, events: list[_Event], config: DemoConfig) -> tuple[KafkaRecord, ...]:
    rng = rng_for(config.seed, "kafka", topic)
    records = [_record(rng, event) for event in _produce_order(rng, events)]
    return tuple(_with_redeliveries_and_dirt(rng, records, config.dirty_rate, topic))


def _produce_order(rng: random.Random, events: list[_Event]) -> list[_Event]:
    """By instant; a few appointments' completions jump just ahead of their bookings, as after
    a reprocess. Ties keep rendering order, which is deterministic."""
    sort_keys = [
        (event.occurred_at.timestamp(), float(index)) for index, event in enumerate(events)
    ]
    booked = {e.key: i for i, e in enumerate(events) if e.event_type == "appointment.booked"}
    completed = [i for i, e in enumerate(events) if e.event_type == "appointment.completed"]
    for index in rng.sample(completed, round(len(completed) * _OUT_OF_ORDER_SHARE)):
        booked_index = booked[events[index].key]
        sort_keys[index] = (sort_keys[booked_index][0], booked_index - 0.5)
    return [events[i] for i in sorted(range(len(events)), key=sort_keys.__getitem__)]


def _record(rng: random.Random, event: _Event) -> KafkaRecord:
    envelope = {
        "event_id": str(new_uuid(rng)),
        "event_type": event.event_type,
        "schema_version": SCHEMA_VERSION,
        "occurred_at": local_iso(event.occurred_at),
        "shop_id": event.shop_id,
        "data": event.data,
    }
    return KafkaRecord(event.topic, event.key, _encode(envelope), event.person_id)


# One encoder for all messages: json.dumps() with options builds a new one on every call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _encode(envelope: dict[str, Any]) -> bytes:
    return _ENCODER.encode(envelope).encode()


def _with_redeliveries_and_dirt(
    rng: random.Random, records: list[KafkaRecord], dirty_rate: float, topic: str
) -> list[KafkaRecord]:
    """Interleave duplicates (a little later than their original) and invalid messages."""
    extra: list[tuple[int, int, KafkaRecord]] = []  # (after position, tie-break, record)
    for index, record in enumerate(records):
        if rng.random() < _DUPLICATE_SHARE:
            later = index + rng.randint(1, _LONGEST_REDELIVERY_GAP)
            extra.append((later, len(extra), replace(record, duplicate=True)))
    if dirty_rate > 0 and records:
        count = max(len(_DEFECTS), round(dirty_rate * len(records)))
        for number in range(count):
            source = rng.choice(records)
            bad = _invalid(rng, source, _DEFECTS[number % len(_DEFECTS)], topic)
            extra.append((rng.randrange(len(records)), len(extra), bad))
    extra.sort(key=lambda item: (item[0], item[1]))
    merged: list[KafkaRecord] = []
    pointer = 0
    for index, record in enumerate(records):
        merged.append(record)
        while pointer < len(extra) and extra[pointer][0] <= index:
            merged.append(extra[pointer][2])
            pointer += 1
    merged.extend(item[2] for item in extra[pointer:])
    return merged


def _invalid(rng: random.Random, source: KafkaRecord, defect: str, topic: str) -> KafkaRecord:
    """A message the consumer must dead-letter, derived from a real one with a fresh id."""
    envelope = json.loads(source.value)
    envelope["event_id"] = str(new_uuid(rng))
    if defect == "malformed_json":
        text = _encode(envelope).decode()
        value = text[: rng.randint(10, len(text) - 2)].encode()
    else:
        if defect == "missing_field":
            del envelope["data"][rng.choice(_REQUIRED[envelope["event_type"]])]
        elif defect == "unknown_event_type":
            envelope["event_type"] = _UNKNOWN_TYPES[topic]
        else:
            envelope["schema_version"] = SCHEMA_VERSION + 1
        value = _encode(envelope)
    return KafkaRecord(source.topic, source.key, value, source.person_id, defect=defect)
