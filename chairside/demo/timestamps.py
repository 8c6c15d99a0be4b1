"""How sources write instants: Kafka with the shop's offset, Cassandra in UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def local_iso(moment: datetime) -> str:
    """ISO-8601 with the shop's offset at that instant, e.g. 2026-03-14T10:32:05-02:30."""
    return moment.isoformat(timespec="seconds")


def utc_iso(moment: datetime) -> str:
    """ISO-8601 in UTC with a Z, as a CQL timestamp is usually exported."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
