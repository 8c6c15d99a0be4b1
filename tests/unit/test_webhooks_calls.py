"""Phone systems' callbacks as `call.completed`: what each Twilio status becomes, which shop a
dialled number reaches, and what the generic endpoint refuses; parsed back as the consumer does."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import msgspec
import pytest

from chairside.contracts.events import CallCompleted, Envelope
from ingestion.inbox.shops_file import read_shop_book
from ingestion.kafka.outgoing import InvalidEvent
from ingestion.webhooks import generic_call, twilio_status

RECEIVED = dt.datetime(2026, 11, 16, 15, tzinfo=dt.UTC)


@pytest.fixture
def book(tmp_path: Path):
    (tmp_path / "shops.csv").write_text(
        "Shop,Name,Time Zone,Phone\n"
        "water-st,Water St,America/St_Johns,(709) 555-0100\n"
        "duckworth,Duckworth,America/St_Johns,709-555-0111\n"
        "gower,Gower,America/St_Johns,709 555 0111\n"
        "topsail,Topsail,America/St_Johns,\n"
    )
    return read_shop_book(tmp_path)


def form(status: str, **extra: str) -> dict[str, str]:
    return {
        "CallSid": "CA1",
        "CallStatus": status,
        "Direction": "inbound",
        "From": "+17095559876",
        "To": "+17095550100",
        "Timestamp": "Mon, 16 Nov 2026 14:05:00 +0000",
        **extra,
    }


def decoded(message) -> tuple[Envelope, CallCompleted]:
    envelope = msgspec.json.decode(message.value, type=Envelope)
    return envelope, msgspec.json.decode(envelope.data, type=CallCompleted)


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        ("completed", "answered"),
        ("no-answer", "missed"),
        ("busy", "missed"),
        ("failed", "missed"),
        ("canceled", "missed"),
    ],
)
def test_every_final_status_is_one_call(book, status: str, outcome: str) -> None:
    callback = twilio_status.read_callback(
        form(status, CallDuration="61", CallerName="Pat"), book, received_at=RECEIVED
    )
    envelope, data = decoded(callback.message)
    assert (envelope.shop_id, envelope.event_type, data.outcome) == (
        "water-st",
        "call.completed",
        outcome,
    )
    answered = outcome == "answered"
    assert data.duration_sec == (61 if answered else 0)
    assert envelope.occurred_at == dt.datetime(2026, 11, 16, 14, 5, tzinfo=dt.UTC)
    assert data.started_at == envelope.occurred_at - dt.timedelta(seconds=data.duration_sec)
    assert callback.message.key == b"CA1" and data.caller_name == "Pat"
    assert envelope.event_id == twilio_status.event_id_of("CA1")


@pytest.mark.parametrize("status", ["queued", "initiated", "ringing", "in-progress"])
def test_a_call_in_progress_is_acknowledged_without_an_event(book, status: str) -> None:
    assert twilio_status.read_callback(form(status), book, received_at=RECEIVED).message is None


def test_an_outgoing_call_is_not_a_clients_call(book) -> None:
    callback = twilio_status.read_callback(
        form("completed", Direction="outbound-api"), book, received_at=RECEIVED
    )
    assert callback.message is None


@pytest.mark.parametrize(
    ("to", "reason"),
    [
        ("+17095550199", "no shop lists +17095550199 in the shops file's Phone column"),
        ("+17095550111", "+17095550111 is listed by more than one shop: duckworth, gower"),
        ("not a number", "the dialled number cannot read 'not a number' as a phone number"),
    ],
)
def test_a_number_that_names_no_one_shop_is_refused(book, to: str, reason: str) -> None:
    with pytest.raises(twilio_status.Refused) as refused:
        twilio_status.read_callback(form("completed", To=to), book, received_at=RECEIVED)
    assert refused.value.status == 422 and str(refused.value) == f"call CA1 refused: {reason}"


def test_the_same_number_written_differently_is_the_same_shop(book) -> None:
    callback = twilio_status.read_callback(
        form("busy", To="1 (709) 555-0100"), book, received_at=RECEIVED
    )
    assert callback.shop_id == "water-st"


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"Timestamp": ""}, "Timestamp is missing"),
        ({"Timestamp": "yesterday"}, "Timestamp 'yesterday' is not an RFC 2822 date"),
        ({"CallDuration": "-4"}, "CallDuration '-4' is not a whole number of seconds"),
        ({"CallStatus": "ended"}, "CallStatus 'ended' is not one Twilio sends"),
        ({"Timestamp": "Mon, 16 Nov 2099 14:05:00 +0000"}, "is after"),
    ],
)
def test_a_malformed_callback_is_refused_naming_the_field(book, extra, reason) -> None:
    with pytest.raises(twilio_status.Refused) as refused:
        twilio_status.read_callback(form("completed", **extra), book, received_at=RECEIVED)
    assert refused.value.status == 400 and reason in str(refused.value)


CALL = {
    "call_id": "pbx-1",
    "shop_id": "water-st",
    "from": "+17095551234",
    "started_at": "2026-11-16T10:30:00-03:30",
    "duration_sec": 30,
    "outcome": "voicemail",
}


def test_a_generic_call_is_the_contracts_event() -> None:
    call, message = generic_call.read_call(json.dumps(CALL).encode(), received_at=RECEIVED)
    envelope, data = decoded(message)
    assert (data.from_number, data.outcome, data.intent) == ("+17095551234", "voicemail", None)
    assert envelope.occurred_at == dt.datetime(2026, 11, 16, 14, 0, 30, tzinfo=dt.UTC)
    assert envelope.event_id == generic_call.event_id_of(call)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"shop_id": "Water St"}, "$.shop_id"),
        ({"outcome": "hung up"}, "$.outcome"),
        ({"started_at": "2026-11-16T10:30:00"}, "$.started_at"),
        ({"from": ""}, "$.from"),
        ({"duration_sec": 86_401}, "$.duration_sec"),
        ({"caller_name": "Pat\u0000"}, "NUL"),
    ],
)
def test_a_generic_call_outside_the_contract_is_refused(change, reason) -> None:
    with pytest.raises(InvalidEvent, match=reason.replace("$", r"\$")):
        generic_call.read_call(json.dumps({**CALL, **change}).encode(), received_at=RECEIVED)
