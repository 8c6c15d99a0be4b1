"""Contract envelopes for live events, in the generator's exact shape and encoding."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chairside.contracts.topics import TOPIC_OF_EVENT_TYPE, Topic
from chairside.demo.events import SCHEMA_VERSION
from chairside.demo.randomness import new_uuid
from chairside.demo.timestamps import local_iso

# The generator's encoding (compact, UTF-8 as is), so replays and live traffic are byte-alike.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class LiveEvent:
    """One message to publish: its topic, its contract key and the encoded envelope."""

    topic: Topic
    key: str
    event_id: str
    event_type: str
    value: bytes


def live_event(
    rng: random.Random, event_type: str, occurred_at: datetime, shop_id: str, data: dict[str, Any]
) -> LiveEvent:
    """The envelope of `event_type`; the key is the topic's key field of `data`."""
    topic = TOPIC_OF_EVENT_TYPE[event_type]
    event_id = str(new_uuid(rng))
    envelope = {
        "event_id": event_id,
        "event_type": event_type,
        "schema_version": SCHEMA_VERSION,
        "occurred_at": local_iso(occurred_at),
        "shop_id": shop_id,
        "data": data,
    }
    value = _ENCODER.encode(envelope).encode()
    return LiveEvent(topic, str(data[topic.key_field]), event_id, event_type, value)
