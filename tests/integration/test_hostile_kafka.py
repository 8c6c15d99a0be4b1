"""Hostile input on Kafka (issue #13): one bad record never stops ingestion, and nothing absurd
gets in. Each case publishes good events of a topic and one hostile message after them to a
real Kafka-protocol broker (librdkafka's mock cluster, one partition so offsets are known),
runs the ingestion once, and checks what a user of the warehouse sees: the run succeeds, the
good events load once, the hostile message is a dead letter with its reason, coordinates and
raw bytes (or, for what the contract accepts, loads or counts once), and every message consumed
is accounted for: loaded + dead-lettered + re-deliveries skipped.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from chairside.contracts.topics import APPOINTMENTS, CALLS, CUSTOMERS, INQUIRIES, TOPICS, Topic
from chairside.demo.local_broker import LocalKafkaBroker
from ingestion.kafka.consumer import Limits, ingest
from ingestion.kafka.producer import Outgoing, Publisher, key_of
from tests.kafka_broker import event_ids, settings_for

pytestmark = pytest.mark.integration

# The time of ingestion every case is held to: a Monday noon, after every good event's time.
INGESTED_AT = datetime(2026, 11, 16, 12, tzinfo=UTC)
GOOD_EVENTS = 3


def event_id(number: int) -> str:
    return str(uuid.UUID(int=number))


def envelope(number: int, event_type: str, data: dict[str, Any], **changes: Any) -> dict:
    value = {
        "event_id": event_id(number),
        "event_type": event_type,
        "schema_version": 1,
        "occurred_at": "2026-11-14T10:32:05-03:30",
        "shop_id": "water-st",
        "data": data,
    }
    value.update(changes)
    return value


def booked(number: int, **data: Any) -> dict:
    return envelope(
        number,
        "appointment.booked",
        {
            "appointment_id": f"ap-{number}",
            "customer_id": "cu-1",
            "staff_id": "st-1",
            "service_code": "CUT",
            "scheduled_start": "2026-11-20T11:00:00-03:30",
            "duration_min": 30,
            "quoted_price": 35.5,
            "channel": "phone",
            "call_id": None,
            **data,
        },
    )


def completed(number: int, **data: Any) -> dict:
    return envelope(
        number,
        "appointment.completed",
        {
            "appointment_id": f"ap-{number}",
            "service_revenue": 35.5,
            "product_revenue": 0,
            "tip": 5,
            **data,
        },
    )


def called(number: int, **data: Any) -> dict:
    return envelope(
        number,
        "call.completed",
        {
            "call_id": f"ca-{number}",
            "from_number": "+17095550100",
            "started_at": "2026-11-14T10:30:00-03:30",
            "duration_sec": 125,
            "outcome": "answered",
            **data,
        },
    )


def customer(number: int, **data: Any) -> dict:
    return envelope(
        number,
        "customer.upserted",
        {
            "customer_id": f"cu-{number}",
            "first_name": "Ana",
            "birth_year": 1990,
            "marketing_opt_in": True,
            **data,
        },
    )


def inquiry(number: int, **data: Any) -> dict:
    return envelope(
        number,
        "inquiry.received",
        {
            "inquiry_id": f"in-{number}",
            "customer_name": "Ana Silva",
            "phone": "709-555-0100",
            "age": 34,
            "message": "Do you take walk-ins on Saturday?",
            "channel": "form",
            "created_at": "2026-11-14T10:30:00-03:30",
            **data,
        },
    )


BUILDERS: dict[Topic, Callable[..., dict]] = {
    APPOINTMENTS: booked,
    CALLS: called,
    CUSTOMERS: customer,
    INQUIRIES: inquiry,
}


def encoded(value: dict) -> bytes:
    return json.dumps(value).encode()


@dataclass(frozen=True)
class Case:
    """One hostile message after GOOD_EVENTS good ones (event numbers 1 to 3) of `topic`."""

    topic: Topic
    hostile: bytes
    reason: str | None  # the start of its dead letter's reason; None: not a dead letter
    loads: bool = False  # loads as a new event (its number is 99)
    redelivery: bool = False  # the same event again: counted once, silently
    contains: list[str] = field(default_factory=list)  # further text the reason holds


def case(topic: Topic, value: dict | bytes, reason: str | None, **more: Any) -> Case:
    return Case(topic, value if isinstance(value, bytes) else encoded(value), reason, **more)


def with_envelope(value: dict, **changes: Any) -> dict:
    return {**value, **changes}


def without(value: dict, field_name: str) -> dict:
    data = {k: v for k, v in value["data"].items() if k != field_name}
    return {**value, "data": data}


NESTED = b"[" * 5_000 + b"]" * 5_000

CASES = {
    # The findings.
    "zero-time-occurred-at": case(
        APPOINTMENTS,
        with_envelope(booked(99), occurred_at="0001-01-01T00:00:00Z"),
        "occurred_at 0001-01-01T00:00:00+00:00 is before 2000-01-01T00:00:00+00:00",
    ),
    "scheduled-start-in-2999": case(
        APPOINTMENTS,
        booked(99, scheduled_start="2999-01-01T10:00:00Z"),
        "data.scheduled_start 2999-01-01T10:00:00+00:00 is after 2028-11-16T12:00:00+00:00, "
        "two years after the time of ingestion",
    ),
    "revenue-1e308": case(
        APPOINTMENTS,
        completed(99, service_revenue=1e308),
        "data.service_revenue: Expected `float` <= 100000.0",
    ),
    "duration-10-to-the-12": case(
        APPOINTMENTS, booked(99, duration_min=10**12), "data.duration_min: Expected `int` <= 720"
    ),
    "conflicting-duplicate": case(
        APPOINTMENTS,
        booked(2, quoted_price=3550.0),
        "conflicts with the event first loaded at ",
        contains=[f"event_id {event_id(2)}", "partition 0 offset 1"],
    ),
    "identical-redelivery": case(APPOINTMENTS, booked(2), None, redelivery=True),
    # What the contract names.
    "invalid-json": case(APPOINTMENTS, b'{"event_id": "6f1c', "invalid JSON"),
    "missing-field": case(
        APPOINTMENTS, without(booked(99), "staff_id"), "missing field data.staff_id"
    ),
    "unknown-event-type": case(
        APPOINTMENTS,
        with_envelope(booked(99), event_type="appointment.teleported"),
        "unknown event_type 'appointment.teleported' for topic chairside.appointments.v1",
    ),
    "schema-version-too-high": case(
        APPOINTMENTS,
        with_envelope(booked(99), schema_version=2),
        "schema_version 2 is newer than the supported 1",
    ),
    "wrong-type": case(
        APPOINTMENTS, booked(99, duration_min="30"), "data.duration_min: Expected `int`, got `str`"
    ),
    "unknown-extra-field": case(
        APPOINTMENTS,
        with_envelope(booked(99, loyalty_tier="gold"), producer="pos-7"),
        None,
        loads=True,
    ),
    # Bounds.
    "negative-tip": case(APPOINTMENTS, completed(99, tip=-5), "data.tip: Expected `float` >= 0.0"),
    "money-not-a-number": case(
        APPOINTMENTS,
        encoded(completed(99)).replace(b'"tip": 5', b'"tip": NaN'),
        "invalid JSON: JSON is malformed",
    ),
    "money-infinite": case(
        APPOINTMENTS,
        encoded(completed(99)).replace(b'"tip": 5', b'"tip": 1e999'),
        "data.tip: Number out of range",
    ),
    "occurred-at-two-days-ahead": case(
        APPOINTMENTS,
        with_envelope(booked(99), occurred_at="2026-11-18T12:00:00Z"),
        "occurred_at 2026-11-18T12:00:00+00:00 is after 2026-11-17T12:00:00+00:00, one day "
        "after the time of ingestion",
    ),
    "call-of-a-day-and-a-second": case(
        CALLS, called(99, duration_sec=86_401), "data.duration_sec: Expected `int` <= 86400"
    ),
    "birth-year-1800": case(
        CUSTOMERS, customer(99, birth_year=1800), "data.birth_year: Expected `int` >= 1900"
    ),
    "birth-year-next-year": case(
        CUSTOMERS,
        customer(99, birth_year=2027),
        "data.birth_year 2027 is after 2026, the current year at ingestion",
    ),
    "nul-in-a-name": case(
        CUSTOMERS,
        customer(99, first_name="Ana\u0000DROP"),
        "data.first_name contains a NUL character",
    ),
    "age-121": case(INQUIRIES, inquiry(99, age=121), "data.age: Expected `int` <= 120"),
    "inquiry-from-1999": case(
        INQUIRIES,
        inquiry(99, created_at="1999-12-31T23:59:59Z"),
        "data.created_at 1999-12-31T23:59:59+00:00 is before 2000-01-01T00:00:00+00:00",
    ),
    "huge-message": case(
        CUSTOMERS, customer(99, notes="x" * 100_000), "value is 100,", contains=["over the limit"]
    ),
    "nested-too-deep": case(
        CUSTOMERS,
        encoded(customer(99, notes="NESTED")).replace(b'"NESTED"', NESTED),
        "value nests arrays or objects deeper than the JSON decoder's limit",
    ),
}


@pytest.fixture
def broker() -> Iterator[LocalKafkaBroker]:
    with LocalKafkaBroker({topic.name: 1 for topic in TOPICS}) as running:
        yield running


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
        yield connection


def publish(broker: LocalKafkaBroker, topic: Topic, values: list[bytes]) -> None:
    with Publisher(settings_for(broker)) as publisher:
        publisher.send(topic, (Outgoing(key_of(topic, value), value) for value in values))


def dead_letters(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select kafka_topic, kafka_partition, kafka_offset, message_key, raw_value, reason "
        "from raw_kafka.dead_letters order by kafka_offset"
    ).fetchall()


@pytest.mark.parametrize("name", list(CASES))
def test_a_hostile_message_is_kept_aside_and_the_rest_loads_once(
    broker: LocalKafkaBroker, con: duckdb.DuckDBPyConnection, name: str
) -> None:
    hostile = CASES[name]
    topic = hostile.topic
    good = [encoded(BUILDERS[topic](number)) for number in range(1, GOOD_EVENTS + 1)]
    publish(broker, topic, [*good, hostile.hostile])

    (report,) = ingest(
        con, settings_for(broker), topics=[topic], limits=Limits(), ingested_at=INGESTED_AT
    )

    assert report.consumed == GOOD_EVENTS + 1
    assert report.consumed == report.loaded + report.dead_lettered + report.duplicates
    loaded = sorted(event_ids(con, topic.name))
    want = [event_id(number) for number in range(1, GOOD_EVENTS + 1)]
    assert loaded == sorted([*want, event_id(99)] if hostile.loads else want)
    assert report.duplicates == (1 if hostile.redelivery else 0)
    if hostile.reason is None:
        assert dead_letters(con) == []
        return
    ((where, partition, offset, key, raw, reason),) = dead_letters(con)
    assert (where, partition, offset) == (topic.name, 0, GOOD_EVENTS)
    assert (key, raw) == (key_of(topic, hostile.hostile), hostile.hostile)
    assert reason.startswith(hostile.reason), reason
    assert all(text in reason for text in hostile.contains), reason


def test_a_conflict_in_a_later_run_names_when_the_standing_event_was_loaded(
    broker: LocalKafkaBroker, con: duckdb.DuckDBPyConnection
) -> None:
    kafka = settings_for(broker)
    publish(broker, APPOINTMENTS, [encoded(booked(1))])
    ingest(con, kafka, topics=[APPOINTMENTS], ingested_at=INGESTED_AT)
    (loaded_at,) = con.execute(
        "select strftime(timezone('UTC', ingested_at), '%Y-%m-%dT%H:%M:%S.%fZ') "
        "from raw_kafka.appointments"
    ).fetchone()
    conflicting = encoded(booked(1, staff_id="st-2"))
    same_but_spelled_otherwise = json.dumps(booked(1), indent=2).encode()
    publish(broker, APPOINTMENTS, [conflicting, same_but_spelled_otherwise])

    (report,) = ingest(con, kafka, topics=[APPOINTMENTS], ingested_at=INGESTED_AT)

    assert (report.consumed, report.loaded, report.dead_lettered, report.duplicates) == (2, 0, 1, 1)
    ((_, _, offset, _, raw, reason),) = dead_letters(con)
    assert (offset, raw) == (1, conflicting)
    assert reason.startswith(f"conflicts with the event first loaded at {loaded_at} ")
    standing = con.execute("select data ->> '$.staff_id' from raw_kafka.appointments").fetchall()
    assert standing == [("st-1",)]
