"""The plausibility bounds of a Kafka message: its size, and the time-relative bounds of a
parsed event's `data`.

The bounds themselves are `chairside.contracts.bounds` (shared with the CRM's rows). The fixed
numeric
ones are msgspec constraints in `schema.py`, checked while parsing. What is left here runs once
per valid event, after parsing: a few comparisons of its timestamp fields (found once per event
type from its struct) and its birth year against limits computed once per run.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from chairside.contracts import bounds
from chairside.contracts.events import DATA_TYPES, CustomerUpserted
from chairside.core.settings import KafkaSettings


def _instant_fields(struct: type[msgspec.Struct]) -> tuple[str, ...]:
    """The struct's timestamp fields, optional ones included."""
    names = []
    info_of = msgspec.inspect.type_info(struct)
    assert isinstance(info_of, msgspec.inspect.StructType)
    for info in info_of.fields:
        kind = info.type
        kinds = kind.types if isinstance(kind, msgspec.inspect.UnionType) else (kind,)
        if any(isinstance(kind, msgspec.inspect.DateTimeType) for kind in kinds):
            names.append(info.name)
    return tuple(names)


INSTANT_FIELDS: dict[str, tuple[str, ...]] = {
    event_type: _instant_fields(struct) for event_type, struct in DATA_TYPES.items()
}


@dataclass(frozen=True, slots=True)
class Bounds(bounds.Bounds):
    """The shared bounds of one run, the size of a message value (CHAIRSIDE_KAFKA_MAX_VALUE_BYTES),
    and the check of an event type's `data`."""

    max_value_bytes: int = KafkaSettings.max_value_bytes

    def value_size(self, size: int) -> str | None:
        if size <= self.max_value_bytes:
            return None
        return (
            f"value is {size:,} bytes, over the limit of {self.max_value_bytes:,} "
            "(CHAIRSIDE_KAFKA_MAX_VALUE_BYTES)"
        )

    def data(self, event_type: str, data: msgspec.Struct) -> str | None:
        """Why a field of a parsed `data` is implausible, or None."""
        for name in INSTANT_FIELDS[event_type]:
            value = getattr(data, name)
            if value is not None and (reason := self.instant(f"data.{name}", value)):
                return reason
        born = data.birth_year if isinstance(data, CustomerUpserted) else None
        if born is not None and born > self.latest_birth_year:
            return self.birth_year("data.birth_year", born)
        return None
