"""Events as a Chairside producer writes them: the consumer's own structs and bounds, so what
a producer accepts is exactly what the warehouse will load, never a dead letter."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from chairside.contracts.events import DATA_TYPES, SUPPORTED_SCHEMA_VERSION, Envelope
from chairside.contracts.topics import TOPIC_OF_EVENT_TYPE
from ingestion.kafka.bounds import Bounds
from ingestion.kafka.envelope import Invalid, validate
from ingestion.kafka.producer import Outgoing

# Event ids derived from a source's own id (a Twilio CallSid): the same call is the same event.
EVENT_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://chairside.invalid/events")


class InvalidEvent(ValueError):
    """The event breaks the contract; the message names the field and why."""


def derived_event_id(*parts: str) -> str:
    """A uuid5 of `parts`: every delivery of one source record gets the same `event_id`."""
    return str(uuid.uuid5(EVENT_ID_NAMESPACE, "/".join(parts)))


def contract_data(event_type: str, fields: dict[str, Any]) -> msgspec.Struct:
    """`fields` as the consumer would parse them (types and fixed bounds checked)."""
    try:
        return msgspec.convert(fields, DATA_TYPES[event_type], strict=True)
    except msgspec.ValidationError as error:
        raise InvalidEvent(str(error)) from None


def event_message(
    *,
    event_type: str,
    event_id: str,
    shop_id: str,
    occurred_at: dt.datetime,
    data: msgspec.Struct,
    received_at: dt.datetime,
) -> Outgoing:
    """The envelope as a keyed message, checked by the consumer's own validation with the
    bounds taken at `received_at` (wall clock: a load time, not a business date)."""
    topic = TOPIC_OF_EVENT_TYPE[event_type]
    envelope = Envelope(
        event_id=event_id,
        event_type=event_type,
        schema_version=SUPPORTED_SCHEMA_VERSION,
        occurred_at=occurred_at,
        shop_id=shop_id,
        data=msgspec.Raw(msgspec.json.encode(data)),
    )
    value = msgspec.json.encode(envelope)
    checked = validate(topic, value, Bounds.at(received_at))
    if isinstance(checked, Invalid):
        raise InvalidEvent(checked.reason)
    return Outgoing(getattr(data, topic.key_field).encode(), value)
