"""The four contract topics: their raw table, message key and the event types each may carry.

Adding a topic or an event type is a change here (and in `schema.py` for its `data` fields).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    name: str
    table: str  # the raw table's name inside the `raw_kafka` schema, and its Dagster asset name
    key_field: str  # the `data` field whose value is the message key
    event_types: frozenset[str]

    @property
    def qualified_table(self) -> str:
        return f"raw_kafka.{self.table}"


CALLS = Topic("chairside.calls.v1", "calls", "call_id", frozenset({"call.completed"}))
APPOINTMENTS = Topic(
    "chairside.appointments.v1",
    "appointments",
    "appointment_id",
    frozenset(
        {
            "appointment.booked",
            "appointment.rescheduled",
            "appointment.cancelled",
            "appointment.completed",
            "appointment.no_show",
        }
    ),
)
CUSTOMERS = Topic(
    "chairside.customers.v1", "customers", "customer_id", frozenset({"customer.upserted"})
)

INQUIRIES = Topic(
    "chairside.inquiries.v1", "inquiries", "inquiry_id", frozenset({"inquiry.received"})
)

TOPICS: tuple[Topic, ...] = (CALLS, APPOINTMENTS, CUSTOMERS, INQUIRIES)
TOPIC_BY_NAME: dict[str, Topic] = {topic.name: topic for topic in TOPICS}
TOPIC_OF_EVENT_TYPE: dict[str, Topic] = {
    event_type: topic for topic in TOPICS for event_type in topic.event_types
}


def topic_named(name: str) -> Topic:
    """The contract topic called `name`; a clear error for anything else."""
    try:
        return TOPIC_BY_NAME[name]
    except KeyError:
        known = ", ".join(TOPIC_BY_NAME)
        raise ValueError(f"{name!r} is not a Chairside topic (known: {known})") from None
