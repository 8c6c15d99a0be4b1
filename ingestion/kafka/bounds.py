"""The plausibility bounds of CONTRACTS.md that a type cannot carry: those of timestamps and the
birth year's upper bound, which move with the time of ingestion.

The fixed numeric bounds (money, durations, age, the birth year's lower bound) are msgspec
constraints in `schema.py`, checked while parsing. What is left here runs once per valid event,
after parsing, so it is a few comparisons against limits computed once per run.

The time of ingestion is the wall clock when a run starts (a load time, like `ingested_at`, not
a business date): the caller passes it in, so a test pins it and every event of a run is held
to the same limits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import msgspec

from ingestion.kafka.schema import DATA_TYPES, CustomerUpserted

EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _instant_fields(struct: type[msgspec.Struct]) -> tuple[str, ...]:
    """The struct's timestamp fields, optional ones included."""
    names = []
    for info in msgspec.inspect.type_info(struct).fields:
        kind = info.type
        kinds = kind.types if isinstance(kind, msgspec.inspect.UnionType) else (kind,)
        if any(isinstance(kind, msgspec.inspect.DateTimeType) for kind in kinds):
            names.append(info.name)
    return tuple(names)


INSTANT_FIELDS: dict[str, tuple[str, ...]] = {
    event_type: _instant_fields(struct) for event_type, struct in DATA_TYPES.items()
}


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
    """The time-relative bounds of one ingestion run.

    Comparing datetimes of different offsets costs Python about 6 us (both are converted),
    more than parsing the whole event; of the same offset object, 0.2 us. msgspec gives every
    timestamp of one offset the same tzinfo object, so the limits are kept converted to each
    offset met (a handful: the shops' zones and UTC).
    """

    ingested_at: dt.datetime
    latest_occurred_at: dt.datetime  # one day after the time of ingestion
    latest_instant: dt.datetime  # two years after it, for every other timestamp
    latest_birth_year: int  # the current year (UTC) at ingestion
    _by_offset: dict[dt.tzinfo | None, _Limits] = field(default_factory=dict, compare=False)

    @classmethod
    def at(cls, ingested_at: dt.datetime) -> Bounds:
        if ingested_at.tzinfo is None:
            raise ValueError(f"the time of ingestion needs a time zone: {ingested_at}")
        ingested_at = ingested_at.astimezone(dt.UTC)
        return cls(
            ingested_at,
            ingested_at + dt.timedelta(days=1),
            _years_later(ingested_at, 2),
            ingested_at.year,
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

    def occurred_at(self, value: dt.datetime) -> str | None:
        """Why `occurred_at` is implausible, or None."""
        limits = self._limits(value.tzinfo)
        if limits.earliest <= value <= limits.latest_occurred_at:
            return None
        return _outside("occurred_at", value, self.latest_occurred_at, "one day")

    def data(self, event_type: str, data: msgspec.Struct) -> str | None:
        """Why a field of a parsed `data` is implausible, or None."""
        for name in INSTANT_FIELDS[event_type]:
            value = getattr(data, name)
            if value is None:
                continue
            limits = self._limits(value.tzinfo)
            if not limits.earliest <= value <= limits.latest_instant:
                return _outside(f"data.{name}", value, self.latest_instant, "two years")
        born = data.birth_year if isinstance(data, CustomerUpserted) else None
        if born is not None and born > self.latest_birth_year:
            return (
                f"data.birth_year {born} is after {self.latest_birth_year}, "
                "the current year at ingestion"
            )
        return None


def _outside(name: str, value: dt.datetime, latest: dt.datetime, after: str) -> str:
    if value < EARLIEST:
        return f"{name} {value.isoformat()} is before {EARLIEST.isoformat()}, the earliest bound"
    return (
        f"{name} {value.isoformat()} is after {latest.isoformat()}, {after} after "
        "the time of ingestion"
    )
