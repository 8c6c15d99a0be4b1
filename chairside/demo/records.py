"""Records as each source holds them, each tagged with the ground-truth person behind it.

`person_id` (and `defect`, `duplicate`) exist only here, never in the written files: they let
tests check identity resolution, dead-lettering and quarantine against what really happened.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class KafkaRecord:
    """One produced message. Invalid messages say what is wrong with them."""

    topic: str
    key: str
    value: bytes
    person_id: str | None
    defect: str | None = None
    duplicate: bool = False  # a redelivery of an earlier message, byte for byte

    @property
    def envelope(self) -> dict[str, Any] | None:
        """The parsed envelope, None for an invalid message. Parsed on demand rather than
        kept: a big run holds millions of messages and the dicts would dwarf the bytes."""
        return None if self.defect else json.loads(self.value)


@dataclass(frozen=True, slots=True)
class CassandraCustomerRow:
    """A row of the CRM's `customers` table; the CRM has its own ids (`crm-ws-00042`)."""

    shop_id: str
    customer_id: str
    first_name: str
    last_name: str | None
    phone: str | None
    email: str | None
    birth_year: int | None
    gender: str | None
    marketing_opt_in: bool
    created_at: str  # ISO-8601 UTC, as the driver returns a CQL timestamp
    updated_at: str
    person_id: str

    def as_row(self) -> dict[str, object]:
        return {
            "shop_id": self.shop_id,
            "customer_id": self.customer_id,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "phone": self.phone,
            "email": self.email,
            "birth_year": self.birth_year,
            "gender": self.gender,
            "marketing_opt_in": self.marketing_opt_in,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True, slots=True)
class CassandraInquiryRow:
    """A row of the CRM's `inquiries_by_day` table."""

    shop_id: str
    day: str  # shop-local date
    created_at: str  # ISO-8601 UTC
    inquiry_id: str
    customer_name: str
    phone: str | None
    email: str | None
    age: int | None
    gender: str | None
    message: str
    channel: str
    person_id: str

    def as_row(self) -> dict[str, object]:
        return {
            "shop_id": self.shop_id,
            "day": self.day,
            "created_at": self.created_at,
            "inquiry_id": self.inquiry_id,
            "customer_name": self.customer_name,
            "phone": self.phone,
            "email": self.email,
            "age": self.age,
            "gender": self.gender,
            "message": self.message,
            "channel": self.channel,
        }


@dataclass(frozen=True, slots=True)
class InboxCustomerRow:
    """A row of `customers_legacy.csv`, the old POS's client list (all cells are text)."""

    name: str
    phone: str
    email: str
    age: str
    gender: str
    shop: str
    customer_since: str
    person_id: str
    defect: str | None = None

    def as_row(self) -> list[str]:
        return [
            self.name,
            self.phone,
            self.email,
            self.age,
            self.gender,
            self.shop,
            self.customer_since,
        ]


# The spreadsheet cell a front-desk timestamp ends up in: a real date-time, text typed by
# hand, or the bare serial number a pasted cell sometimes leaves behind.
TimestampCell = datetime | str | float


@dataclass(frozen=True, slots=True)
class InboxInquiryRow:
    """A row of a shop's front-desk log `inquiries_<shop_id>.xlsx`."""

    shop_id: str  # whose log the row is in
    name: str
    phone: str
    inquiry: str
    timestamp: TimestampCell
    age: int | None
    gender: str | None
    email: str | None
    shop: str
    inquiry_id: str  # the ground-truth inquiry
    person_id: str
    defect: str | None = None
