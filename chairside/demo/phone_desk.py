"""The shop phone: whether it gets answered, how long calls last, what caller ID shows.

Answering depends on the moment: after hours almost nobody picks up, and during the day the
odds fall as more barbers have a client in the chair. That dependency is the story the calls
metrics should tell an owner ("you miss calls on busy Saturdays").
"""

from __future__ import annotations

import random
from datetime import datetime

from chairside.demo.contacts import write_phone
from chairside.demo.model import Call, CallIntent, CallOutcome, Person, Shop
from chairside.demo.randomness import chance, new_uuid

_TALK_SECONDS = {
    CallIntent.BOOK: (70, 300),
    CallIntent.RESCHEDULE: (45, 180),
    CallIntent.CANCEL: (30, 120),
    CallIntent.PRICE: (25, 120),
    CallIntent.HOURS: (15, 75),
    CallIntent.OTHER: (20, 420),
}
_SPAM_NAMES = ("TOLL FREE CALL", "SPAM RISK", "UNKNOWN CALLER", None)


def ring(rng: random.Random, shop: Shop, moment: datetime, busy_share: float) -> CallOutcome:
    """Answered, missed or sent to voicemail, given how busy the floor is at `moment`."""
    if shop.is_open_at(moment):
        answered, voicemail = 0.97 - 0.45 * busy_share, 0.4
    else:
        answered, voicemail = 0.04, 0.6
    if chance(rng, answered):
        return CallOutcome.ANSWERED
    return CallOutcome.VOICEMAIL if chance(rng, voicemail) else CallOutcome.MISSED


def _call_seconds(rng: random.Random, outcome: CallOutcome, intent: CallIntent) -> int:
    if outcome is CallOutcome.MISSED:
        return 0
    if outcome is CallOutcome.VOICEMAIL:
        return rng.randint(8, 75)
    return rng.randint(*_TALK_SECONDS[intent])


def record_call(
    rng: random.Random,
    shop: Shop,
    caller: Person | None,
    number: str,
    started_at: datetime,
    outcome: CallOutcome,
    intent: CallIntent,
    appointment_id: str | None = None,
) -> Call:
    """The call as the phone system logs it; `number` is the caller's E.164 number."""
    return Call(
        call_id=f"CA{new_uuid(rng).hex}",
        shop_id=shop.shop_id,
        person_id=caller.person_id if caller else None,
        from_number=write_phone(rng, number),
        caller_name=_caller_id_name(rng, caller),
        started_at=started_at,
        duration_sec=_call_seconds(rng, outcome, intent),
        outcome=outcome,
        # a phone system files a call's intent from what was said: nobody heard a missed call
        intent=None if outcome is CallOutcome.MISSED else intent,
        appointment_id=appointment_id,
    )


def _caller_id_name(rng: random.Random, caller: Person | None) -> str | None:
    """Carrier caller ID: often absent, usually upper case, sometimes last name first."""
    if caller is None:
        return rng.choice(_SPAM_NAMES)
    roll = rng.random()
    if roll < 0.35:
        return None
    if roll < 0.65:
        return f"{caller.first_name} {caller.last_name}".upper()
    if roll < 0.85:
        return f"{caller.last_name} {caller.first_name}".upper()
    return f"{caller.first_name} {caller.last_name}"
