"""Validate one message value against the contract envelope and its event type's `data`.

The result is either an `Event`, holding exactly what the raw table stores, or an `Invalid`
with a reason specific enough to fix the producer without reading the bytes: "missing field
data.staff_id", "schema_version 2 is newer than the supported 1", "data.duration_sec:
Expected `int` >= 0". The checks are the types in `schema.py`; this module orders them (a newer
schema_version is reported as such, not as whatever its new shape breaks) and words them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import msgspec

from ingestion.kafka.schema import DATA_TYPES, SUPPORTED_SCHEMA_VERSION, Envelope, Version
from ingestion.kafka.topics import TOPIC_OF_EVENT_TYPE, Topic

_ENVELOPE = msgspec.json.Decoder(Envelope)
_VERSION = msgspec.json.Decoder(Version)
_DATA = {event_type: msgspec.json.Decoder(struct) for event_type, struct in DATA_TYPES.items()}
_MISSING_FIELD = re.compile(
    r"Object missing required field `(?P<field>[^`]+)`(?: - at `\$(?P<at>[^`]*)`)?"
)
_AT = re.compile(r"(?P<detail>.*) - at `\$(?P<at>[^`]*)`")


class Event(msgspec.Struct, gc=False):
    """A valid event as stored: `data` is the producer's JSON text, unknown fields included.

    A struct rather than a dataclass because one is built per message: it costs half as much,
    and (holding no containers, so never in a cycle) it stays out of the garbage collector's
    way while a chunk's events are alive.
    """

    event_id: str
    event_type: str
    schema_version: int
    occurred_at: datetime
    shop_id: str
    data: str


@dataclass(frozen=True, slots=True)
class Invalid:
    reason: str


def validate(topic: Topic, value: bytes | None) -> Event | Invalid:
    envelope = _envelope(value)
    return envelope if isinstance(envelope, Invalid) else _event(topic, envelope)


def _envelope(value: bytes | None) -> Envelope | Invalid:
    if value is None:
        return Invalid("value is null (a tombstone); events are never deleted by key")
    try:
        return _ENVELOPE.decode(value)
    except msgspec.ValidationError as error:
        return Invalid(_newer_version(value) or _reason(error, ""))
    except msgspec.DecodeError as error:
        return Invalid(f"invalid JSON: {error}")
    except UnicodeDecodeError as error:
        return Invalid(_not_utf8(error))


def _event(topic: Topic, envelope: Envelope) -> Event | Invalid:
    """The checks after the envelope's: version, topic, then the event type's `data`."""
    if envelope.schema_version > SUPPORTED_SCHEMA_VERSION:
        return Invalid(_newer(envelope.schema_version))
    if envelope.event_type not in topic.event_types:
        return Invalid(_misplaced(topic, envelope.event_type))
    try:
        _DATA[envelope.event_type].decode(envelope.data)
    except msgspec.ValidationError as error:
        return Invalid(_reason(error, "data"))
    try:
        data = str(envelope.data, "utf-8")
    except UnicodeDecodeError as error:  # in a field the contract does not name: not decoded
        return Invalid(_not_utf8(error, " of data"))
    return Event(
        envelope.event_id.lower(),
        envelope.event_type,
        envelope.schema_version,
        envelope.occurred_at,
        envelope.shop_id,
        data,
    )


def _newer_version(value: bytes) -> str | None:
    """A newer envelope may fail the v1 checks; its version is then the reason that matters."""
    try:
        version = _VERSION.decode(value).schema_version
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None
    newer = isinstance(version, int) and not isinstance(version, bool)
    return _newer(version) if newer and version > SUPPORTED_SCHEMA_VERSION else None


def _not_utf8(error: UnicodeDecodeError, where: str = "") -> str:
    return f"value is not UTF-8: {error.reason} at byte {error.start}{where}"


def _newer(version: int) -> str:
    return f"schema_version {version} is newer than the supported {SUPPORTED_SCHEMA_VERSION}"


def _misplaced(topic: Topic, event_type: str) -> str:
    home = TOPIC_OF_EVENT_TYPE.get(event_type)
    if home is None:
        return f"unknown event_type {event_type!r} for topic {topic.name}"
    return f"event_type {event_type!r} belongs on topic {home.name}, not {topic.name}"


def _reason(error: msgspec.ValidationError, within: str) -> str:
    """msgspec's message with its `$.path` rewritten as the field's name in the envelope."""
    message = str(error)
    if missing := _MISSING_FIELD.fullmatch(message):
        return f"missing field {_path(within, missing['at'], missing['field'])}"
    if located := _AT.fullmatch(message):
        return f"{_path(within, located['at'])}: {located['detail']}"
    return f"{within}: {message}" if within else message


def _path(within: str, at: str | None, field: str = "") -> str:
    parts = [within, *(at or "").split("."), field]
    return ".".join(part for part in parts if part)
