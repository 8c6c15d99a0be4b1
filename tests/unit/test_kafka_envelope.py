"""The contract's validation: what loads, what is dead-lettered, and the reason given."""

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from chairside.contracts.events import DATA_TYPES
from chairside.contracts.topics import APPOINTMENTS, CALLS, CUSTOMERS, TOPICS, Topic, topic_named
from ingestion.kafka.bounds import Bounds
from ingestion.kafka.envelope import Event, Invalid, validate
from tests.kafka_broker import dirty_dataset

EVENT_ID = "6f1c2b9e-3a4d-4c1e-9f3b-2d5e6a7b8c9d"
# The time of ingestion: after every event here, the demo dataset's included.
BOUNDS = Bounds.at(datetime(2026, 11, 16, 12, tzinfo=UTC))


def booked(**data_changes: Any) -> dict[str, Any]:
    data = {
        "appointment_id": "ap-1",
        "customer_id": "cu-1",
        "staff_id": "st-1",
        "service_code": "CUT",
        "scheduled_start": "2026-03-14T11:00:00-02:30",
        "duration_min": 30,
        "quoted_price": 35.5,
        "channel": "phone",
        "call_id": None,
    }
    data.update(data_changes)
    return {
        "event_id": EVENT_ID,
        "event_type": "appointment.booked",
        "schema_version": 1,
        "occurred_at": "2026-03-14T10:32:05-02:30",
        "shop_id": "water-st",
        "data": data,
    }


def check(envelope: dict[str, Any], topic=APPOINTMENTS) -> Event | Invalid:
    return validate(topic, json.dumps(envelope).encode(), BOUNDS)


def reason(envelope: dict[str, Any], topic=APPOINTMENTS) -> str:
    result = check(envelope, topic)
    assert isinstance(result, Invalid), result
    return result.reason


def test_a_valid_event_keeps_what_the_raw_table_stores() -> None:
    envelope = booked(loyalty_tier="gold")  # a field the contract does not know
    envelope["event_id"] = EVENT_ID.upper()
    envelope["producer"] = "pos-7"
    event = check(envelope)
    assert isinstance(event, Event)
    assert event.event_id == EVENT_ID  # one spelling per id, so duplicates are recognised
    assert event.event_type == "appointment.booked" and event.schema_version == 1
    assert event.occurred_at == datetime(2026, 3, 14, 13, 2, 5, tzinfo=UTC)
    assert event.shop_id == "water-st"
    assert json.loads(event.data) == envelope["data"]  # unknown fields kept, as sent


def test_optional_fields_may_be_absent_and_integers_are_fine_as_money() -> None:
    envelope = booked(quoted_price=35)
    del envelope["data"]["call_id"]
    assert isinstance(check(envelope), Event)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"staff_id": None}, "data.staff_id: Expected `str`, got `null`"),
        ({"duration_min": -5}, "data.duration_min: Expected `int` >= 1"),
        ({"duration_min": 30.5}, "data.duration_min: Expected `int`, got `float`"),
        ({"duration_min": True}, "data.duration_min: Expected `int`, got `bool`"),
        ({"quoted_price": "35.00"}, "data.quoted_price: Expected `float`, got `str`"),
        ({"channel": "fax"}, "data.channel: Invalid enum value 'fax'"),
        ({"customer_id": ""}, "data.customer_id: Expected `str` of length >= 1"),
        (
            {"scheduled_start": "2026-03-14T11:00:00"},
            "data.scheduled_start: Expected `datetime` with a timezone component",
        ),
        ({"scheduled_start": "14/03/2026 11:00"}, "data.scheduled_start: Invalid RFC3339"),
    ],
)
def test_a_bad_data_field_is_named_with_what_was_expected(
    change: dict[str, Any], expected: str
) -> None:
    assert reason(booked(**change)).startswith(expected)


def test_a_missing_field_is_named() -> None:
    envelope = booked()
    del envelope["data"]["staff_id"]
    assert reason(envelope) == "missing field data.staff_id"
    del envelope["shop_id"]
    assert reason(envelope) == "missing field shop_id"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"schema_version": 2}, "schema_version 2 is newer than the supported 1"),
        ({"schema_version": 0}, "schema_version: Expected `int` >= 1"),
        ({"schema_version": "1"}, "schema_version: Expected `int`, got `str`"),
        ({"event_type": "appointment.checked_in"}, "unknown event_type 'appointment.checked_in'"),
        (
            {"event_type": "call.completed"},
            "event_type 'call.completed' belongs on topic chairside.calls.v1, "
            "not chairside.appointments.v1",
        ),
        ({"event_id": "42"}, "event_id: Expected `str` matching regex"),
        ({"shop_id": "Water St"}, "shop_id: Expected `str` matching regex"),
        (
            {"occurred_at": "2026-03-14T10:32:05"},
            "occurred_at: Expected `datetime` with a timezone",
        ),
        ({"data": [1, 2]}, "data: Expected `object`, got `array`"),
    ],
)
def test_a_bad_envelope_field_is_named(change: dict[str, Any], expected: str) -> None:
    assert reason({**booked(), **change}).startswith(expected)


def test_a_newer_schema_version_is_the_reason_even_when_its_shape_changed() -> None:
    envelope = {**booked(), "schema_version": 3, "event_kind": "appointment.booked"}
    del envelope["event_type"]
    assert reason(envelope) == "schema_version 3 is newer than the supported 1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b'{"event_id": "6f1c', "invalid JSON: Input data was truncated"),
        (b'{"schema_version": NaN}', "invalid JSON: JSON is malformed"),
        (b"[1, 2]", "Expected `object`, got `array`"),
        (b'{"shop_id": "caf\xe9"}', "value is not UTF-8"),
        (None, "value is null (a tombstone)"),
    ],
)
def test_a_value_that_is_not_an_envelope_says_why(value: bytes | None, expected: str) -> None:
    result = validate(CALLS, value, BOUNDS)
    assert isinstance(result, Invalid) and result.reason.startswith(expected), result


def test_every_contract_event_type_belongs_to_exactly_one_topic_and_has_a_schema() -> None:
    types = [event_type for topic in TOPICS for event_type in topic.event_types]
    assert sorted(types) == sorted(DATA_TYPES) and len(types) == len(set(types))


def test_the_demo_topics_validate_as_their_defects_say() -> None:
    """Every valid demo event loads; every deliberately broken one is dead-lettered with the
    reason of its defect."""
    prefixes = {
        "malformed_json": "invalid JSON",
        "missing_field": "missing field data.",
        "unknown_event_type": "unknown event_type",
        "schema_version": "schema_version 2 is newer than the supported 1",
    }
    for topic_name, records in dirty_dataset().kafka.items():
        topic = topic_named(topic_name)
        for record in records:
            result = validate(topic, record.value, BOUNDS)
            if record.defect is None:
                assert isinstance(result, Event), (record.value, result)
            else:
                assert isinstance(result, Invalid), record.value
                assert result.reason.startswith(prefixes[record.defect]), result.reason


def test_customers_need_a_boolean_opt_in() -> None:
    envelope = {
        "event_id": EVENT_ID,
        "event_type": "customer.upserted",
        "schema_version": 1,
        "occurred_at": "2026-03-14T10:32:05Z",
        "shop_id": "water-st",
        "data": {"customer_id": "cu-1", "first_name": "Ana", "marketing_opt_in": "yes"},
    }
    assert reason(envelope, CUSTOMERS) == "data.marketing_opt_in: Expected `bool`, got `str`"
    envelope["data"]["marketing_opt_in"] = False
    assert isinstance(check(envelope, CUSTOMERS), Event)


def test_a_non_utf8_field_the_contract_does_not_name_is_dead_lettered() -> None:
    """msgspec skips unknown fields undecoded; the stored `data` text must still be UTF-8."""
    value = json.dumps(booked(note="NOTE")).encode().replace(b"NOTE", b"caf\xe9")
    assert reason_of(APPOINTMENTS, value).startswith("value is not UTF-8: invalid continuation")
    assert reason_of(APPOINTMENTS, value).endswith(" of data")


def reason_of(topic: Topic, value: bytes) -> str:
    result = validate(topic, value, BOUNDS)
    assert isinstance(result, Invalid), result
    return result.reason


def test_a_value_over_the_size_setting_is_a_dead_letter_naming_the_limit_and_setting() -> None:
    value = json.dumps(booked(notes="x" * 200)).encode()
    tight = Bounds.at(datetime(2026, 11, 16, 12, tzinfo=UTC), max_value_bytes=len(value) - 1)

    result = validate(APPOINTMENTS, value, tight)

    assert result == Invalid(
        f"value is {len(value):,} bytes, over the limit of {len(value) - 1:,} "
        "(CHAIRSIDE_KAFKA_MAX_VALUE_BYTES)"
    )
    assert isinstance(validate(APPOINTMENTS, value, BOUNDS), Event)  # 64 KiB by default
    assert BOUNDS.max_value_bytes == 64 * 1024
