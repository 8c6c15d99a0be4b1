"""Driver rows to raw warehouse rows: pure functions, no session and no database.

The driver returns a CQL `timestamp` as a naive `datetime` in UTC, a `date` as
`cassandra.util.Date` and a `uuid` as `uuid.UUID`. The raw tables hold `timestamptz`, `date`
and the uuid's text, so the instant, the day and the id survive unchanged into DuckDB.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from cassandra.util import Date

from chairside.contracts.crm import CUSTOMER_COLUMNS
from ingestion.cassandra.reader import Row

RawRecord = dict[str, Any]

# The raw tables' columns (store.py's DDL), which the records below fill.
RAW_CUSTOMER_COLUMNS = (*CUSTOMER_COLUMNS, "loaded_at")
RAW_INQUIRY_COLUMNS = (
    "inquiry_id",
    "shop_id",
    "day",
    "created_at",
    "customer_name",
    "phone",
    "email",
    "age",
    "gender",
    "message",
    "channel",
    "loaded_at",
)
RAW_QUARANTINE_COLUMNS = (
    "source_table",
    "record_key",
    "shop_id",
    "partition_key",
    "row_key",
    "field",
    "reason",
    "raw_row",
    "quarantined_at",
)
# A quarantined value is kept whole up to this length; a longer one is cut, saying how long.
RAW_VALUE_CHARS = 1000


def utc(moment: dt.datetime | None) -> dt.datetime | None:
    """A driver timestamp (naive, meaning UTC) as an aware UTC instant."""
    return None if moment is None else moment.replace(tzinfo=dt.UTC)


def calendar_day(value: Date) -> dt.date:
    return value.date()


def customer_record(row: Row, loaded_at: dt.datetime) -> RawRecord:
    return {
        "shop_id": row["shop_id"],
        "customer_id": row["customer_id"],
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "phone": row["phone"],
        "email": row["email"],
        "birth_year": row["birth_year"],
        "gender": row["gender"],
        "marketing_opt_in": row["marketing_opt_in"],
        "created_at": utc(row["created_at"]),
        "updated_at": utc(row["updated_at"]),
        "loaded_at": loaded_at,
    }


def inquiry_record(row: Row, loaded_at: dt.datetime) -> RawRecord:
    return {
        "inquiry_id": str(row["inquiry_id"]),
        "shop_id": row["shop_id"],
        "day": calendar_day(row["day"]),
        "created_at": utc(row["created_at"]),
        "customer_name": row["customer_name"],
        "phone": row["phone"],
        "email": row["email"],
        "age": row["age"],
        "gender": row["gender"],
        "message": row["message"],
        "channel": row["channel"],
        "loaded_at": loaded_at,
    }


def partition_key(row: Row) -> tuple[str, dt.date | Date]:
    """A row of `SELECT DISTINCT shop_id, day` as the partition it names; a day Python's
    `date` cannot hold stays the driver's `Date` (its rows are quarantined, see `checks`)."""
    try:
        return row["shop_id"], calendar_day(row["day"])
    except ValueError:
        return row["shop_id"], row["day"]


def record_key(table: str, row: Row) -> str:
    """The key a row has in its raw table (`store.py`): a customer by shop and id, an
    inquiry by id. A quarantined row keeps it, so loading the row once fixed clears it."""
    if table == "customers":
        return json.dumps([row["shop_id"], row["customer_id"]])
    return str(row["inquiry_id"])


def quarantine_record(
    table: str, row: Row, field: str, reason: str, loaded_at: dt.datetime
) -> RawRecord:
    """A row that cannot load, whole, with where it is in the CRM and why it stays out."""
    if table == "customers":
        partition, key = _shown(row["shop_id"]), _shown(row["customer_id"])
    else:
        partition = f"{_shown(row['shop_id'])} {_shown(row['day'])}"
        key = f"{_shown(row['created_at'])} {_shown(row['inquiry_id'])}"
    return {
        "source_table": table,
        "record_key": record_key(table, row),
        "shop_id": row["shop_id"],
        "partition_key": partition,
        "row_key": key,
        "field": field,
        "reason": reason,
        "raw_row": json.dumps({column: _raw(value) for column, value in row.items()}),
        "quarantined_at": loaded_at,
    }


def _shown(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, dt.datetime):  # the driver's naive UTC
        return value.replace(tzinfo=dt.UTC).isoformat()
    return str(value)


def _raw(value: object) -> object:
    if value is None or isinstance(value, bool | int):
        return value
    shown = _shown(value)
    if len(shown) > RAW_VALUE_CHARS:
        return f"{shown[:RAW_VALUE_CHARS]}… [{len(shown):,} characters in all]"
    return shown


def latest_per_inquiry(records: list[RawRecord]) -> list[RawRecord]:
    """One record per `inquiry_id`, the latest `created_at` winning.

    The CQL key is `(shop_id, day, created_at, inquiry_id)`, so an inquiry re-saved with a
    corrected time is a second row; the raw table is keyed by `inquiry_id` alone, and one
    upsert given the same key twice would keep whichever came first.
    """
    latest: dict[str, RawRecord] = {}
    for record in records:
        kept = latest.get(record["inquiry_id"])
        if kept is None or record["created_at"] > kept["created_at"]:
            latest[record["inquiry_id"]] = record
    return list(latest.values())
