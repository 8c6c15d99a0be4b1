"""The generic call endpoint's JSON (docs/contracts.md: `call_id`, `shop_id`, `from`, `started_at`,
`duration_sec`, `outcome`, `caller_name?`, `intent?`) as `call.completed`.

The request's types are the contract's own (`schema.py`), so a phone system gets a 4xx naming
the field for anything the warehouse would otherwise dead-letter.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

from chairside.contracts.events import DurationSeconds, Instant, ShopId, Text
from ingestion.kafka.outgoing import InvalidEvent, contract_data, derived_event_id, event_message
from ingestion.kafka.producer import Outgoing


class GenericCall(msgspec.Struct, forbid_unknown_fields=False):
    call_id: Text
    shop_id: ShopId
    from_number: Text = msgspec.field(name="from")
    started_at: Instant
    duration_sec: DurationSeconds
    outcome: Literal["answered", "missed", "voicemail"]
    caller_name: str | None = None
    intent: Literal["book", "reschedule", "cancel", "price", "hours", "other"] | None = None


def event_id_of(call: GenericCall) -> str:
    """One call of one shop is one event, however often its system sends it."""
    return derived_event_id("generic", "call", call.shop_id, call.call_id)


def read_call(body: bytes, *, received_at: dt.datetime) -> tuple[GenericCall, Outgoing]:
    """The call and its event; `InvalidEvent` naming the field that breaks the contract."""
    try:
        call = msgspec.json.decode(body, type=GenericCall)
    except (msgspec.ValidationError, msgspec.DecodeError) as error:
        raise InvalidEvent(str(error)) from None
    fields = msgspec.structs.asdict(call)
    del fields["shop_id"]
    data = contract_data("call.completed", fields)
    message = event_message(
        event_type="call.completed",
        event_id=event_id_of(call),
        shop_id=call.shop_id,
        occurred_at=call.started_at + dt.timedelta(seconds=call.duration_sec),
        data=data,
        received_at=received_at,
    )
    return call, message
