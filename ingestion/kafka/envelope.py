"""Validate one message value against the contract envelope and its event type's `data`.

The result is either an `Event`, holding exactly what the raw table stores, or an `Invalid`
with a reason specific enough to fix the producer without reading the bytes: "missing field
data.staff_id", "schema_version 2 is newer than the supported 1", "data.duration_sec:
Expected `int` <= 86400". The checks are the types in `schema.py` and the time-relative
bounds in `bounds.py`; this module orders them (a newer schema_version is reported as such, not
as whatever its new shape breaks) and words them.

An event also gets the digest of its payload, which tells a re-delivery (the same payload: it
counts once) from a conflict (the same event_id with a different payload: a dead letter). The
payload is what the contract defines, as parsed: event_type, schema_version, occurred_at,
shop_id and the contract's `data` fields, re-encoded by msgspec in a fixed field order. So
whitespace, key order, number spelling (35 or 35.0) and unknown extra fields do not count;
a timestamp written with another offset does, as the instant's spelling the producer chose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from hashlib import blake2b

import msgspec

from chairside.contracts.events import DATA_TYPES, SUPPORTED_SCHEMA_VERSION, Envelope, Version
from chairside.contracts.topics import TOPIC_OF_EVENT_TYPE, Topic
from ingestion.kafka.bounds import Bounds

_NUL_ESCAPE = b"\\u0000"  # the only way a JSON text can hold a NUL character
_PAYLOAD = msgspec.json.Encoder()

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
    digest: bytes  # of the payload (see the module's docstring): tells conflicts from repeats


@dataclass(frozen=True, slots=True)
class Invalid:
    reason: str


def validate(topic: Topic, value: bytes | None, bounds: Bounds) -> Event | Invalid:
    envelope = _envelope(value, bounds)
    if isinstance(envelope, Invalid):
        return envelope
    event = _event(topic, envelope, bounds)
    # A NUL in any string, contract field or not: text columns and their consumers cut or
    # reject it. Scanned for in the raw bytes (in C), only decoded again when found.
    if (
        isinstance(event, Event)
        and value is not None
        and _NUL_ESCAPE in value
        and (where := _nul_at(value))
    ):
        return Invalid(f"{where} contains a NUL character (\\u0000)")
    return event


def _envelope(value: bytes | None, bounds: Bounds) -> Envelope | Invalid:
    if value is None:
        return Invalid("value is null (a tombstone); events are never deleted by key")
    if oversize := bounds.value_size(len(value)):
        return Invalid(oversize)
    try:
        return _ENVELOPE.decode(value)
    except msgspec.ValidationError as error:
        return Invalid(_newer_version(value) or _reason(error, ""))
    except msgspec.DecodeError as error:
        return Invalid(f"invalid JSON: {error}")
    except UnicodeDecodeError as error:
        return Invalid(_not_utf8(error))
    except RecursionError:
        return Invalid(_TOO_DEEP)


_TOO_DEEP = "value nests arrays or objects deeper than the JSON decoder's limit"


def _event(topic: Topic, envelope: Envelope, bounds: Bounds) -> Event | Invalid:
    """The checks after the envelope's: version, topic, the event type's `data`, bounds."""
    if envelope.schema_version > SUPPORTED_SCHEMA_VERSION:
        return Invalid(_newer(envelope.schema_version))
    if envelope.event_type not in topic.event_types:
        return Invalid(_misplaced(topic, envelope.event_type))
    try:
        parsed = _DATA[envelope.event_type].decode(envelope.data)
    except msgspec.ValidationError as error:
        return Invalid(_reason(error, "data"))
    except RecursionError:
        return Invalid(_TOO_DEEP)
    if implausible := bounds.occurred_at(envelope.occurred_at) or bounds.data(
        envelope.event_type, parsed
    ):
        return Invalid(implausible)
    try:
        data = str(envelope.data, "utf-8")
    except UnicodeDecodeError as error:  # in a field the contract does not name: not decoded
        return Invalid(_not_utf8(error, " of data"))
    payload = (
        envelope.event_type,
        envelope.schema_version,
        envelope.occurred_at,
        envelope.shop_id,
        parsed,
    )
    return Event(
        envelope.event_id.lower(),
        envelope.event_type,
        envelope.schema_version,
        envelope.occurred_at,
        envelope.shop_id,
        data,
        blake2b(_PAYLOAD.encode(payload), digest_size=16).digest(),
    )


def _nul_at(value: bytes) -> str | None:
    """The path of the first string (or key) holding a NUL; None when the escape found in the
    bytes was only text (an escaped backslash followed by `u0000`)."""
    pending: list[tuple[str, object]] = [("", msgspec.json.decode(value))]
    while pending:
        path, node = pending.pop()
        if isinstance(node, str) and "\x00" in node:
            return path or "value"
        items: Iterable[tuple[object, object]]
        if isinstance(node, dict):
            items = node.items()
        else:
            items = enumerate(node) if isinstance(node, list) else ()
        for key, child in items:
            if isinstance(key, str) and "\x00" in key:
                return f"{path}.{key!r}" if path else repr(key)
            pending.append((f"{path}.{key}" if path else str(key), child))
    return None


def _newer_version(value: bytes) -> str | None:
    """A newer envelope may fail the v1 checks; its version is then the reason that matters."""
    try:
        version = _VERSION.decode(value).schema_version
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None
    if not isinstance(version, int) or isinstance(version, bool):
        return None
    return _newer(version) if version > SUPPORTED_SCHEMA_VERSION else None


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
