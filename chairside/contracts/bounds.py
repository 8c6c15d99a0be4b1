"""The contract's plausibility bounds (docs/contracts.md), in one place for every source that
carries the fields they bound: Kafka's events (`ingestion.kafka`) and the CRM's rows
(`ingestion.cassandra`).

The fixed numbers are constants here: Kafka's msgspec types use them as constraints checked while
parsing, the CRM's row checks compare against them. The bounds that move with the time of
ingestion (how far ahead a timestamp or a birth year may be) are `Bounds`, computed once per run.

The time of ingestion is the wall clock when a run starts (a load time, like `ingested_at`, not
a business date): the caller passes it in, so a test pins it and every record of a run is held
to the same limits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Self

EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
MONEY_MIN, MONEY_MAX = 0, 100_000
DURATION_MIN_MIN, DURATION_MIN_MAX = 1, 720
DURATION_SEC_MIN, DURATION_SEC_MAX = 0, 86_400
BIRTH_YEAR_MIN = 1900  # the upper bound is the current year: `Bounds.latest_birth_year`
AGE_MIN, AGE_MAX = 0, 120


def _years_later(moment: dt.datetime, years: int) -> dt.datetime:
    """The same day and time `years` later; 29 February becomes 28 February."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


@dataclass(frozen=True, slots=True)
class _Limits:
    """The timestamp bounds in one UTC offset."""

    earliest: dt.datetime
    latest_occurred_at: dt.datetime
    latest_instant: dt.datetime


@dataclass(frozen=True, slots=True)
class Bounds:
    """The time-relative bounds of one ingestion run; each check returns why a value is
    implausible (naming the field and the bound), or None.

    Comparing datetimes of different offsets costs Python about 6 us (both are converted),
    more than parsing a whole Kafka event; of the same offset object, 0.2 us. msgspec gives
    every timestamp of one offset the same tzinfo object, so the limits are kept converted to
    each offset met (a handful: the shops' zones and UTC).
    """

    ingested_at: dt.datetime
    latest_occurred_at: dt.datetime  # one day after the time of ingestion
    latest_instant: dt.datetime  # two years after it, for every other timestamp
    latest_birth_year: int  # the current year (UTC) at ingestion
    _by_offset: dict[dt.tzinfo | None, _Limits] = field(default_factory=dict, compare=False)

    @classmethod
    def at(cls, ingested_at: dt.datetime, **more: Any) -> Self:
        """The bounds of a run ingesting at `ingested_at`; `more` fills a subclass's fields."""
        if ingested_at.tzinfo is None:
            raise ValueError(f"the time of ingestion needs a time zone: {ingested_at}")
        ingested_at = ingested_at.astimezone(dt.UTC)
        return cls(
            ingested_at,
            ingested_at + dt.timedelta(days=1),
            _years_later(ingested_at, 2),
            ingested_at.year,
            **more,
        )

    def _limits(self, zone: dt.tzinfo | None) -> _Limits:
        limits = self._by_offset.get(zone)
        if limits is None:
            limits = self._by_offset[zone] = _Limits(
                EARLIEST.astimezone(zone),
                self.latest_occurred_at.astimezone(zone),
                self.latest_instant.astimezone(zone),
            )
        return limits

    def occurred_at(self, value: dt.datetime, name: str = "occurred_at") -> str | None:
        """An event's own time: at most one day after the time of ingestion."""
        limits = self._limits(value.tzinfo)
        if limits.earliest <= value <= limits.latest_occurred_at:
            return None
        return _outside(name, value, self.latest_occurred_at, "one day")

    def instant(self, name: str, value: dt.datetime) -> str | None:
        """Any other timestamp (aware): at most two years after the time of ingestion."""
        limits = self._limits(value.tzinfo)
        if limits.earliest <= value <= limits.latest_instant:
            return None
        return _outside(name, value, self.latest_instant, "two years")

    def day(self, name: str, value: dt.date) -> str | None:
        """A calendar day, held to the bounds of the timestamps on it."""
        if EARLIEST.date() <= value <= self.latest_instant.date():
            return None
        if value < EARLIEST.date():
            return f"{name} {value.isoformat()} is before {EARLIEST.date()}, the earliest bound"
        return (
            f"{name} {value.isoformat()} is after {self.latest_instant.date()}, two years "
            "after the time of ingestion"
        )

    def birth_year(self, name: str, value: int) -> str | None:
        if value < BIRTH_YEAR_MIN:
            return f"{name} {value} is before {BIRTH_YEAR_MIN}, the earliest bound"
        if value > self.latest_birth_year:
            return (
                f"{name} {value} is after {self.latest_birth_year}, the current year at ingestion"
            )
        return None


def age(name: str, value: int) -> str | None:
    if AGE_MIN <= value <= AGE_MAX:
        return None
    return f"{name} {value} is outside {AGE_MIN} to {AGE_MAX}"


def _outside(name: str, value: dt.datetime, latest: dt.datetime, after: str) -> str:
    if value < EARLIEST:
        return f"{name} {value.isoformat()} is before {EARLIEST.isoformat()}, the earliest bound"
    return (
        f"{name} {value.isoformat()} is after {latest.isoformat()}, {after} after "
        "the time of ingestion"
    )
