"""The simulator's traffic: every activity writes contract-valid envelopes and CRM rows."""

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

from chairside.contracts.crm import CUSTOMER_COLUMNS, INQUIRY_COLUMNS
from chairside.demo.simulator.traffic import Activity, Traffic
from ingestion.kafka.bounds import Bounds
from ingestion.kafka.envelope import Event, validate


class SteppingClock:
    """A wall clock the test moves: ten minutes per look, so booked visits come due."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 14, 13, 2, 5, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=10)
        return self.now


def test_every_activity_writes_valid_events_and_rows() -> None:
    clock = SteppingClock()
    traffic = Traffic(shops=2, rng=random.Random(3), clock=clock)
    outcomes = [traffic.next_outcome() for _ in range(600)]
    bounds = Bounds.at(clock.now)  # ingested once all of it has happened

    assert set(Counter(o.activity for o in outcomes)) == set(Activity)
    events = [event for outcome in outcomes for event in outcome.events]
    validated = [validate(event.topic, event.value, bounds) for event in events]
    assert [r for r in validated if not isinstance(r, Event)] == []
    results = [r for r in validated if isinstance(r, Event)]
    types = Counter(event.event_type for event in events)
    assert {"customer.upserted", "appointment.booked", "appointment.completed"} <= set(types)
    assert types["call.completed"] > 0
    assert len({event.event_id for event in events}) == len(events)
    assert {r.shop_id for r in results} == set(traffic.shop_ids) == {"water-st", "spring-garden"}
    customers = [row for o in outcomes for row in o.customers]
    inquiries = [row for o in outcomes for row in o.inquiries]
    assert customers and all(set(row) == set(CUSTOMER_COLUMNS) for row in customers)
    assert inquiries and all(set(row) == set(INQUIRY_COLUMNS) for row in inquiries)


def test_completions_only_close_appointments_that_were_booked() -> None:
    clock = SteppingClock()
    traffic = Traffic(shops=1, rng=random.Random(5), clock=clock)
    booked: set[str] = set()
    for _ in range(400):
        for event in traffic.next_outcome().events:
            result = validate(event.topic, event.value, Bounds.at(clock.now))
            assert isinstance(result, Event)
            if event.event_type == "appointment.booked":
                booked.add(event.key)
            elif event.topic.name == "chairside.appointments.v1":
                assert event.key in booked, event.event_type
