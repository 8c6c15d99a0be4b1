"""Twilio's voice status callbacks as the contract's `call.completed` (docs/contracts.md, Phone
systems).

Twilio calls back at every status a call passes through; only a final one says how the call
ended, so only a final one becomes an event, and every callback of one call maps to the same
`event_id` (from its CallSid): Twilio's retries of a callback count once in the warehouse.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Mapping
from dataclasses import dataclass

from ingestion.inbox.shops_file import ShopBook
from ingestion.kafka.outgoing import (
    InvalidEvent,
    contract_data,
    derived_event_id,
    event_message,
)
from ingestion.kafka.producer import Outgoing

# Final CallStatus values and the contract's outcome for each.
OUTCOMES = {
    "completed": "answered",
    "no-answer": "missed",
    "busy": "missed",
    "failed": "missed",
    "canceled": "missed",
}
IN_PROGRESS = frozenset({"queued", "initiated", "ringing", "in-progress"})


class Refused(ValueError):
    """The callback cannot become an event; `status` is the HTTP answer, the message why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True, slots=True)
class StatusCallback:
    call_sid: str
    status: str
    shop_id: str | None  # None for a call that is not a shop's incoming call
    message: Outgoing | None  # the event, for a final status


def event_id_of(call_sid: str) -> str:
    return derived_event_id("twilio", "call", call_sid)


def _required(form: Mapping[str, str], name: str) -> str:
    value = (form.get(name) or "").strip()
    if not value:
        raise Refused(400, f"{name} is missing")
    return value


def _timestamp(form: Mapping[str, str]) -> dt.datetime:
    """Twilio's `Timestamp` (RFC 2822, in UTC): when the call reached this status. The event's
    time must come from the callback, not from when it arrived, or a retry would differ."""
    raw = _required(form, "Timestamp")
    try:
        moment = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        raise Refused(400, f"Timestamp {raw!r} is not an RFC 2822 date") from None
    if moment.tzinfo is None:
        raise Refused(400, f"Timestamp {raw!r} has no time zone")
    return moment


def _duration(form: Mapping[str, str]) -> int:
    raw = (form.get("CallDuration") or "0").strip()
    if not raw.isdigit():
        raise Refused(400, f"CallDuration {raw!r} is not a whole number of seconds")
    return int(raw)


def read_callback(
    form: Mapping[str, str], book: ShopBook, *, received_at: dt.datetime
) -> StatusCallback:
    """The event a status callback makes, if any; `Refused` when it cannot make one."""
    call_sid = _required(form, "CallSid")
    status = _required(form, "CallStatus")
    if status not in IN_PROGRESS and status not in OUTCOMES:
        raise Refused(400, f"CallStatus {status!r} is not one Twilio sends")
    if (form.get("Direction") or "inbound") != "inbound":
        # The shop dialled out: the contract's calls are clients calling a shop.
        return StatusCallback(call_sid, status, None, None)
    try:
        shop = book.shop_dialled(_required(form, "To"))
    except LookupError as error:
        raise Refused(422, f"call {call_sid} refused: {error}") from None
    if status in IN_PROGRESS:
        return StatusCallback(call_sid, status, shop.shop_id, None)
    outcome = OUTCOMES[status]
    ended_at = _timestamp(form)
    duration = _duration(form) if outcome == "answered" else 0
    fields = {
        "call_id": call_sid,
        "from_number": _required(form, "From"),
        "caller_name": (form.get("CallerName") or "").strip() or None,
        "started_at": ended_at - dt.timedelta(seconds=duration),
        "duration_sec": duration,
        "outcome": outcome,
    }
    try:
        data = contract_data("call.completed", fields)
        message = event_message(
            event_type="call.completed",
            event_id=event_id_of(call_sid),
            shop_id=shop.shop_id,
            occurred_at=ended_at,
            data=data,
            received_at=received_at,
        )
    except InvalidEvent as error:
        raise Refused(400, f"call {call_sid}: {error}") from None
    return StatusCallback(call_sid, status, shop.shop_id, message)
