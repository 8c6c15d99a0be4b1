"""The simulator's loop: activities from `Traffic`, events paced onto Kafka, rows into the CRM.

Runs until `stop` is set (the CLI sets it on SIGINT/SIGTERM), or the duration or event count of
a bounded run is reached; then the publisher waits for every acknowledgement, so a clean
shutdown loses nothing it reported as published.
"""

from __future__ import annotations

import random
import threading
from collections import Counter, deque
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime

from chairside.core.settings import CassandraSettings, KafkaSettings
from chairside.demo.simulator.crm import CrmWriter, crm_writer
from chairside.demo.simulator.envelopes import LiveEvent
from chairside.demo.simulator.pacing import Pacer
from chairside.demo.simulator.traffic import Outcome, Traffic
from ingestion.kafka.producer import Outgoing, Publisher

DEFAULT_RATE = 5.0


@dataclass(frozen=True)
class SimulatorConfig:
    """`rate`: Kafka events per second. `duration` (seconds) and `max_events` bound a run;
    neither set, it runs until stopped. `seed` decides the traffic, `demo_seed` and `shops`
    the chain (the same as `chairside generate --seed --shops` writes to the inbox)."""

    rate: float = DEFAULT_RATE
    shops: int = 3
    demo_seed: int = 7
    seed: int | None = None
    duration: float | None = None
    max_events: int | None = None

    def __post_init__(self) -> None:
        if not self.rate > 0:
            raise ValueError(f"rate must be above zero events per second, got {self.rate}")
        if self.duration is not None and not self.duration > 0:
            raise ValueError(f"duration must be above zero seconds, got {self.duration}")
        if self.max_events is not None and self.max_events < 1:
            raise ValueError(f"max_events must be at least 1, got {self.max_events}")


@dataclass
class SimulationReport:
    published: Counter[str] = field(default_factory=Counter)  # by event type
    crm_rows: Counter[str] = field(default_factory=Counter)  # by table
    crm_skipped: int = 0  # rows not written: no CHAIRSIDE_CASSANDRA_HOSTS
    seconds: float = 0.0
    stopped_by: str = "stop signal"

    @property
    def events(self) -> int:
        return sum(self.published.values())

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.published.items()))
        crm = ", ".join(f"{table} {count}" for table, count in sorted(self.crm_rows.items()))
        skipped = (
            f"; {self.crm_skipped} CRM rows skipped (no Cassandra)" if self.crm_skipped else ""
        )
        return (
            f"{self.events} events in {self.seconds:.1f} s ({self.rate:.2f}/s), stopped by "
            f"{self.stopped_by}: {kinds}; CRM rows: {crm or 'none'}{skipped}"
        )


def simulate(
    config: SimulatorConfig,
    kafka: KafkaSettings,
    cassandra: CassandraSettings | None = None,
    stop: threading.Event | None = None,
    on_published: Callable[[LiveEvent], None] | None = None,
) -> SimulationReport:
    """Play traffic until stopped or bounded; `on_published` hears of each event once queued."""
    stop = stop or threading.Event()
    traffic = Traffic(config.shops, random.Random(config.seed), _now, seed=config.demo_seed)
    report = SimulationReport()
    pending: deque[LiveEvent] = deque()
    with ExitStack() as resources:
        publisher = resources.enter_context(Publisher(kafka))
        crm = resources.enter_context(crm_writer(cassandra)) if cassandra else None
        pacer = Pacer(config.rate, stop)
        while True:
            if config.max_events is not None and report.events >= config.max_events:
                report.stopped_by = "max_events"
                break
            if config.duration is not None and pacer.elapsed() >= config.duration:
                report.stopped_by = "duration"
                break
            while not pending:
                pending.extend(_record(traffic.next_outcome(), crm, report))
            if not pacer.wait_turn():
                break
            event = pending.popleft()
            publisher.send(event.topic, [Outgoing(event.key.encode(), event.value)])
            report.published[event.event_type] += 1
            if on_published is not None:
                on_published(event)
        report.seconds = pacer.elapsed()
    return report


def _record(outcome: Outcome, crm: CrmWriter | None, report: SimulationReport) -> list[LiveEvent]:
    """Write the outcome's CRM rows (or count them as skipped); its events, to publish."""
    for table, rows in (("customers", outcome.customers), ("inquiries_by_day", outcome.inquiries)):
        if not rows:
            continue
        if crm is None:
            report.crm_skipped += len(rows)
        else:
            crm.write(table, rows)
            report.crm_rows[table] += len(rows)
    return list(outcome.events)


def _now() -> datetime:
    return datetime.now(UTC)
