"""One reader per CRM table, each yielding pages as the driver fetches them.

A page is at most `fetch_size` rows (dicts, from the session's row factory). The next page is
requested only when the caller asks for it, so a read never holds a whole table or partition;
`ResultSet` iteration would page too, but hides where one page ends, which is where a loader
writes a batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from cassandra.cluster import Session
from cassandra.query import SimpleStatement

from chairside.contracts.crm import CUSTOMER_COLUMNS, INQUIRY_COLUMNS

Row = Mapping[str, Any]
Page = Sequence[Row]


def pages(
    session: Session, query: str, parameters: Sequence[object], fetch_size: int
) -> Iterator[Page]:
    result = session.execute(SimpleStatement(query, fetch_size=fetch_size), parameters)
    while True:
        if result.current_rows:  # a server may send an empty page before the last one
            yield result.current_rows
        if not result.has_more_pages:
            return
        result.fetch_next_page()


def customer_shops(session: Session, fetch_size: int) -> Iterator[Page]:
    """The `customers` partitions: one row (`shop_id`) per shop."""
    return pages(session, "SELECT DISTINCT shop_id FROM customers", (), fetch_size)


def customer_pages(session: Session, shop_id: str, fetch_size: int) -> Iterator[Page]:
    """Every customer of one shop. `updated_at` is not part of the key, so Cassandra cannot
    select by it without scanning the partition anyway; the loader filters on it."""
    query = f"SELECT {', '.join(CUSTOMER_COLUMNS)} FROM customers WHERE shop_id = %s"
    return pages(session, query, (shop_id,), fetch_size)


def inquiry_partitions(session: Session, fetch_size: int) -> Iterator[Page]:
    """The `(shop_id, day)` partition keys of `inquiries_by_day`, without their rows.

    Listing the keys is how a new shop or a day the previous load never saw is found without
    knowing the shops or guessing a first day; only the keys travel, one row per partition.
    """
    return pages(session, "SELECT DISTINCT shop_id, day FROM inquiries_by_day", (), fetch_size)


def inquiry_pages(session: Session, shop_id: str, day: dt.date, fetch_size: int) -> Iterator[Page]:
    """The inquiries of one shop on one (shop-local) day."""
    query = (
        f"SELECT {', '.join(INQUIRY_COLUMNS)} FROM inquiries_by_day WHERE shop_id = %s AND day = %s"
    )
    return pages(session, query, (shop_id, day), fetch_size)
