"""What a CRM load reads again and where its watermarks move: pure rules, tested without a server.

`customers`: a shop's watermark is the newest change stamp loaded (`updated_at`, else
`created_at`). The next load upserts the rows stamped since the watermark less
`UPDATED_AT_OVERLAP`: the stamp comes from the writing application's clock, so a row can become
readable after rows stamped later were already loaded, and upserting an hour of changes again is
cheap and idempotent. A row with neither stamp cannot be placed in time and is always upserted.

`inquiries_by_day`: a shop's watermark is the newest day loaded. The next load reads the last
`REREAD_DAYS` days up to the watermark again, then every newer day, so writes that arrive late
for a day already loaded are caught.

Both watermarks stop at the load's clock: one row stamped in the future (a device with a wrong
date) would otherwise carry the watermark past every real change that follows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from ingestion.cassandra.mapping import RawRecord

UPDATED_AT_OVERLAP = dt.timedelta(hours=1)
REREAD_DAYS = 3
# The latest local date anywhere is UTC+14 (Kiribati); a shop-local day beyond it is not real yet.
_FURTHEST_AHEAD_OF_UTC = dt.timedelta(hours=14)


def change_stamp(record: RawRecord) -> dt.datetime | None:
    """When a customer row last changed, as far as the row tells."""
    return record["updated_at"] or record["created_at"]


def changed_since(record: RawRecord, watermark: dt.datetime | None) -> bool:
    if watermark is None:
        return True
    stamp = change_stamp(record)
    return stamp is None or stamp >= watermark - UPDATED_AT_OVERLAP


def next_change_watermark(
    previous: dt.datetime | None, stamps: Iterable[dt.datetime | None], now: dt.datetime
) -> dt.datetime | None:
    """The newest of the previous watermark and the stamps seen, never past `now`."""
    candidates = [stamp for stamp in (previous, *stamps) if stamp is not None]
    return min(max(candidates), now) if candidates else None


def next_day_watermark(
    previous: dt.date | None, days: Sequence[dt.date], now: dt.datetime
) -> dt.date:
    """The newest of the previous watermark and the days read (never empty: a shop is only
    planned with a day to read), never past `latest_real_day`."""
    newest = max(days) if previous is None else max(previous, *days)
    return min(newest, latest_real_day(now))


def latest_real_day(now: dt.datetime) -> dt.date:
    """The newest shop-local day that can have begun by `now` (aware), wherever the shop is."""
    return (now.astimezone(dt.UTC) + _FURTHEST_AHEAD_OF_UTC).date()


def reread_from(watermark: dt.date) -> dt.date:
    """The first day read again: the watermark day and the days before it, `REREAD_DAYS` in all."""
    return watermark - dt.timedelta(days=REREAD_DAYS - 1)


def partitions_to_read(
    partitions: Iterable[tuple[str, dt.date]], watermarks: Mapping[str, dt.date]
) -> dict[str, list[dt.date]]:
    """Per shop (sorted), the days to read in order: all of a shop never loaded, otherwise
    those from `reread_from` its watermark on."""
    selected: dict[str, list[dt.date]] = {}
    for shop_id, day in partitions:
        watermark = watermarks.get(shop_id)
        if watermark is None or day >= reread_from(watermark):
            selected.setdefault(shop_id, []).append(day)
    return {shop_id: sorted(days) for shop_id, days in sorted(selected.items())}
