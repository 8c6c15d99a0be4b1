"""Today's events straight from the topics, for the live apps: no warehouse build in between.

The feed seeks every partition to the first message written since the start of today in the
westernmost shop (`offsets_for_times` on the message timestamps, an hour earlier for clock
skew), then reads on from there each time it is asked to catch up, so a refresh costs only
the messages that arrived since the last one. Partitions are assigned, never subscribed: any
number of open apps read side by side, and the group (`chairside-live`, never committed) takes
nothing from the warehouse consumer.

Every message goes through the consumer's own validation and `event_id` deduplication, so the
live counts are the ones the warehouse will reach. What counts as today is each event's own
business time (a call's start, a booking's `occurred_at`, an inquiry's `created_at`) in its
shop's zone, by the one clock.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import TracebackType
from zoneinfo import ZoneInfo

import msgspec
from confluent_kafka import Consumer, KafkaException, TopicPartition

from chairside.contracts.events import AppointmentBooked, CallCompleted, InquiryReceived
from chairside.contracts.topics import APPOINTMENTS, CALLS, INQUIRIES, TOPIC_BY_NAME, Topic
from chairside.core.clock import Clock
from chairside.core.settings import KafkaSettings
from ingestion.kafka.bounds import Bounds
from ingestion.kafka.client import KafkaUnavailable
from ingestion.kafka.envelope import Event, validate
from ingestion.kafka.rdkafka_config import rdkafka_config

LIVE_GROUP = "chairside-live"
LIVE_TOPICS = (CALLS, APPOINTMENTS, INQUIRIES)
_SKEW = dt.timedelta(hours=1)
_TIMEOUT_SECONDS = 10.0

_CALL = msgspec.json.Decoder(CallCompleted)
_BOOKED = msgspec.json.Decoder(AppointmentBooked)
_INQUIRY = msgspec.json.Decoder(InquiryReceived)


@dataclass(frozen=True, slots=True)
class LiveEvent:
    """One of today's events as the live views show it."""

    kind: str  # call | booking | inquiry
    shop_id: str
    at: dt.datetime  # its business time
    outcome: str | None = None  # a call's
    inquiry: InquiryReceived | None = None


def start_of_today(clock: Clock, time_zones: Iterable[str]) -> dt.datetime:
    """The first moment that is today in any of the shops: the earliest of their midnights."""
    return min(
        dt.datetime.combine(clock.today(zone), dt.time(), ZoneInfo(zone)) for zone in time_zones
    )


def _live_event(event: Event) -> LiveEvent | None:
    data = event.data.encode()
    if event.event_type == "call.completed":
        call = _CALL.decode(data)
        return LiveEvent("call", event.shop_id, call.started_at, call.outcome)
    if event.event_type == "appointment.booked":
        return LiveEvent("booking", event.shop_id, event.occurred_at)
    if event.event_type == "inquiry.received":
        inquiry = _INQUIRY.decode(data)
        return LiveEvent("inquiry", event.shop_id, inquiry.created_at, inquiry=inquiry)
    return None


@dataclass
class TodayFeed:
    """`with TodayFeed(kafka, since) as feed:` then `feed.catch_up()` as often as wanted;
    `feed.events` holds every call, booking and inquiry read so far, once each, by event id."""

    kafka: KafkaSettings
    since: dt.datetime
    topics: tuple[Topic, ...] = LIVE_TOPICS
    events: dict[str, LiveEvent] = field(default_factory=dict)
    _consumer: Consumer | None = None
    _next: dict[tuple[str, int], int] = field(default_factory=dict)
    _opening_ends: dict[tuple[str, int], int] = field(default_factory=dict)

    def __enter__(self) -> TodayFeed:
        return self.open()

    def open(self) -> TodayFeed:
        """Connect and seek to today's first messages; `close()` when done (or use `with`).
        An app keeps one open for as long as its page is."""
        self._consumer = Consumer(
            {
                **rdkafka_config(self.kafka),
                "group.id": LIVE_GROUP,
                "enable.auto.commit": False,
                "enable.auto.offset.store": False,
                "auto.offset.reset": "earliest",
                # A live view waits for single messages: ask the broker to answer a fetch as
                # soon as it has one, and to hold an empty fetch briefly.
                "fetch.wait.max.ms": 100,
                "fetch.queue.backoff.ms": 20,
                # An app page must not fill the server's log with a line per reconnect while
                # a broker is away; the page says when Kafka cannot be read.
                "log_level": 2,
            }
        )
        try:
            self._next = self._starting_offsets()
            # Where the log ended at opening: the first catch-up reads at least that far.
            self._opening_ends = {key: self._high(*key) for key in self._next}
            self._consumer.assign(
                [
                    TopicPartition(topic, part, offset)
                    for (topic, part), offset in self._next.items()
                ]
            )
        except (KafkaException, KafkaUnavailable):
            self.close()
            raise
        return self

    def _high(self, topic: str, partition: int) -> int:
        assert self._consumer is not None
        _, high = self._consumer.get_watermark_offsets(
            TopicPartition(topic, partition), timeout=_TIMEOUT_SECONDS, cached=False
        )
        return high

    def _starting_offsets(self) -> dict[tuple[str, int], int]:
        assert self._consumer is not None
        stamp = int((self.since - _SKEW).timestamp() * 1000)
        wanted = []
        for topic in self.topics:
            metadata = self._consumer.list_topics(topic.name, timeout=_TIMEOUT_SECONDS)
            described = metadata.topics.get(topic.name)
            if described is None or described.error is not None:
                why = described.error if described is not None else "no such topic"
                raise KafkaUnavailable(f"{topic.name}: {why}")
            wanted += [TopicPartition(topic.name, part, stamp) for part in described.partitions]
        found = self._consumer.offsets_for_times(wanted, timeout=_TIMEOUT_SECONDS)
        starts = {(tp.topic, tp.partition): tp.offset for tp in found if tp.offset >= 0}
        unanswered = [(tp.topic, tp.partition) for tp in found if tp.offset < 0]
        starts.update(self._without_a_time_index(unanswered, stamp))
        return starts

    def _without_a_time_index(
        self, partitions: list[tuple[str, int]], stamp: int
    ) -> dict[tuple[str, int], int]:
        """Where to start in partitions for which the broker found no message at or after
        `stamp`. Kafka answers so when there is none (start at the end); a peer without a time
        index (librdkafka's mock cluster) answers so always. The last message tells which: if
        it is that recent, the partition is read from its first message instead."""
        assert self._consumer is not None
        ends: dict[tuple[str, int], int] = {}
        lasts: dict[tuple[str, int], int] = {}
        for topic, partition in partitions:
            low, high = self._consumer.get_watermark_offsets(
                TopicPartition(topic, partition), timeout=_TIMEOUT_SECONDS, cached=False
            )
            ends[(topic, partition)] = high
            if high > low:
                lasts[(topic, partition)] = low
        if not lasts:
            return ends
        self._consumer.assign(
            [TopicPartition(topic, part, ends[(topic, part)] - 1) for topic, part in lasts]
        )
        deadline = time.monotonic() + _TIMEOUT_SECONDS
        seen: set[tuple[str, int]] = set()
        while len(seen) < len(lasts) and time.monotonic() < deadline:
            for message in self._consumer.consume(num_messages=len(lasts), timeout=0.2):
                key = (message.topic(), message.partition())
                if message.error() is not None or key in seen:
                    continue
                seen.add(key)
                _, written_at = message.timestamp()
                if written_at >= stamp:
                    ends[key] = lasts[key]
        self._consumer.unassign()
        return ends

    def catch_up(self, *, max_seconds: float = 2.0) -> int:
        """Read what has arrived (for at most `max_seconds`); the number of new events of
        interest. It stops once a poll brings nothing and no partition's high watermark, as
        the last fetch reported it, lies ahead: asking the brokers for every partition's
        watermark would cost a round trip each, more than the refresh interval itself."""
        assert self._consumer is not None, "use the feed inside `with`"
        bounds = Bounds.at(dt.datetime.now(dt.UTC))  # the time of reading: a load time
        before = len(self.events)
        deadline = time.monotonic() + max_seconds
        while time.monotonic() < deadline:
            messages = self._consumer.consume(num_messages=1000, timeout=0.05)
            for message in messages:
                if message.error() is not None:
                    continue
                self._next[(message.topic(), message.partition())] = message.offset() + 1
                checked = validate(TOPIC_BY_NAME[message.topic()], message.value(), bounds)
                if isinstance(checked, Event) and checked.event_id not in self.events:
                    live = _live_event(checked)
                    if live is not None:
                        self.events[checked.event_id] = live
            if not messages and not self._behind():
                break
        return len(self.events) - before

    def _behind(self) -> bool:
        assert self._consumer is not None
        for (topic, partition), next_offset in self._next.items():
            _, high = self._consumer.get_watermark_offsets(
                TopicPartition(topic, partition), cached=True
            )
            # A cached watermark is negative until the partition's first fetch answers.
            if max(high, self._opening_ends[(topic, partition)]) > next_offset:
                return True
        return False

    def close(self) -> None:
        if self._consumer is not None:
            self._consumer.close()
            self._consumer = None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
