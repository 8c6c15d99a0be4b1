"""The live feed against a Kafka-protocol broker: what was published before it opened and what
arrives after, each event once however often it is delivered, invalid messages left out."""

from __future__ import annotations

import datetime as dt

import pytest

from chairside.contracts.topics import CALLS, CUSTOMERS
from chairside.core.clock import Clock
from ingestion.kafka.outgoing import contract_data, derived_event_id, event_message
from ingestion.kafka.producer import Outgoing, Publisher
from ingestion.kafka.today_feed import TodayFeed, start_of_today
from tests.kafka_broker import contract_broker, settings_for

pytestmark = pytest.mark.integration


def call(number: int, outcome: str, now: dt.datetime) -> Outgoing:
    data = contract_data(
        "call.completed",
        {
            "call_id": f"c{number}",
            "from_number": "+17095559876",
            "started_at": now,
            "duration_sec": 12,
            "outcome": outcome,
        },
    )
    return event_message(
        event_type="call.completed",
        event_id=derived_event_id("test", str(number)),
        shop_id="water-st",
        occurred_at=now,
        data=data,
        received_at=now,
    )


def test_the_feed_reads_before_and_after_it_opened_each_event_once() -> None:
    now = dt.datetime.now(dt.UTC)  # events of now: today for the wall clock the feed reads by
    with contract_broker(partitions=3) as broker:
        kafka = settings_for(broker)
        with Publisher(kafka) as publisher:
            publisher.send(CALLS, [call(1, "answered", now), call(1, "answered", now)])
            publisher.send(CALLS, [Outgoing(b"x", b"{not json")])
        since = start_of_today(Clock(), ["America/St_Johns"])
        with TodayFeed(kafka, since) as feed:
            assert feed.catch_up() == 1
            with Publisher(kafka) as publisher:
                publisher.send(CALLS, [call(2, "missed", now), call(1, "answered", now)])
                publisher.send(CUSTOMERS, [Outgoing(b"k", b"{}")])  # a topic it does not read
            new = 0
            for _ in range(20):
                new += feed.catch_up()
                if new:
                    break
            assert new == 1
            assert sorted((e.kind, e.outcome) for e in feed.events.values()) == [
                ("call", "answered"),
                ("call", "missed"),
            ]
