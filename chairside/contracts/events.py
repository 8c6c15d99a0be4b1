"""The contract's envelope and the `data` object of each event type, as msgspec structs.

The types are the validation rules (docs/contracts.md): msgspec checks them while it parses, in C,
which is what lets ingestion keep up with the broker (see `bench/kafka_ingest.py`). Fields the
contract marks `?` default to None: absent or null is fine, any other value must match. Fields
the contract does not name are ignored, so producers can add fields without breaking us; the
envelope keeps `data` as raw JSON so the warehouse stores them too, byte for byte.

The contract's plausibility bounds that are fixed numbers are constraints of the types here
(a money field of 1e308, a duration of 10**12 minutes, a tip of -5 fail as they are parsed, with
msgspec naming the field and the bound). The bounds relative to the time of ingestion (how far
in the future a timestamp or a birth year may be) and the lower bound of every timestamp are
checked after parsing, in `bounds.py`: msgspec constrains numbers, not datetimes. The numbers
are `chairside.contracts.bounds`, which the CRM's row checks share.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from msgspec import Meta, Raw, Struct

from chairside.contracts import bounds

SUPPORTED_SCHEMA_VERSION = 1

# Ids and names the warehouse joins on or shows: an empty string would be as bad as none.
Text = Annotated[str, Meta(min_length=1)]
# ISO-8601 (RFC 3339) with an offset or Z: a wall-clock time is ambiguous across shop zones.
Instant = Annotated[datetime, Meta(tz=True)]
# Decimal major units as a JSON number (an integer is fine); refunds are not part of v1. A
# number too large for a float (1e999) fails as out of range; NaN and Infinity are not JSON.
Money = Annotated[float, Meta(ge=bounds.MONEY_MIN, le=bounds.MONEY_MAX)]
DurationMinutes = Annotated[int, Meta(ge=bounds.DURATION_MIN_MIN, le=bounds.DURATION_MIN_MAX)]
DurationSeconds = Annotated[int, Meta(ge=bounds.DURATION_SEC_MIN, le=bounds.DURATION_SEC_MAX)]
# The upper bound, the current year, moves: `bounds.py` checks it.
BirthYear = Annotated[int, Meta(ge=bounds.BIRTH_YEAR_MIN)]
Age = Annotated[int, Meta(ge=bounds.AGE_MIN, le=bounds.AGE_MAX)]
Uuid = Annotated[
    str,
    Meta(pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"),
]
ShopId = Annotated[str, Meta(pattern=r"^[a-z0-9-]{2,40}$")]


class Envelope(Struct):
    event_id: Uuid
    event_type: str
    schema_version: Annotated[int, Meta(ge=1)]
    occurred_at: Instant
    shop_id: ShopId
    data: Raw


class Version(Struct):
    """Only the version: read when an envelope fails, to report a newer one as that."""

    schema_version: object = None


class CallCompleted(Struct):
    call_id: Text
    from_number: Text
    started_at: Instant
    duration_sec: DurationSeconds
    outcome: Literal["answered", "missed", "voicemail"]
    caller_name: str | None = None
    intent: Literal["book", "reschedule", "cancel", "price", "hours", "other"] | None = None
    appointment_id: Text | None = None


class AppointmentBooked(Struct):
    appointment_id: Text
    customer_id: Text
    staff_id: Text
    service_code: Text
    scheduled_start: Instant
    duration_min: DurationMinutes
    quoted_price: Money
    channel: Literal["phone", "online", "walk_in"]
    call_id: Text | None = None


class AppointmentRescheduled(Struct):
    appointment_id: Text
    scheduled_start: Instant
    staff_id: Text | None = None


class AppointmentCancelled(Struct):
    appointment_id: Text
    cancelled_by: Literal["customer", "shop"]
    reason: str | None = None


class AppointmentCompleted(Struct):
    appointment_id: Text
    service_revenue: Money
    product_revenue: Money
    tip: Money
    payment_method: str | None = None


class AppointmentNoShow(Struct):
    appointment_id: Text


class CustomerUpserted(Struct):
    customer_id: Text
    first_name: Text
    marketing_opt_in: bool
    last_name: str | None = None
    phone: str | None = None
    email: str | None = None
    birth_year: BirthYear | None = None
    gender: str | None = None


class InquiryReceived(Struct):
    inquiry_id: Text
    customer_name: Text
    message: str
    channel: Literal["walk_in", "phone", "web", "form"]
    created_at: Instant
    phone: str | None = None
    email: str | None = None
    age: Age | None = None
    gender: str | None = None


DATA_TYPES: dict[str, type[Struct]] = {
    "call.completed": CallCompleted,
    "appointment.booked": AppointmentBooked,
    "appointment.rescheduled": AppointmentRescheduled,
    "appointment.cancelled": AppointmentCancelled,
    "appointment.completed": AppointmentCompleted,
    "appointment.no_show": AppointmentNoShow,
    "customer.upserted": CustomerUpserted,
    "inquiry.received": InquiryReceived,
}
