"""Hostile rows in the CRM (issue #13): one absurd or malformed row never stops a load, and
nothing absurd gets in. Each case puts good rows of a shop and one hostile row beside them in
an in-memory CRM that pages through the driver's own `ResultSet`, with every value built by the
driver's codecs (`tests/unit/test_cassandra_loader.py`), loads once, and checks what a user of
the warehouse sees: the load succeeds, the good rows load once, the hostile row is in
`raw_cassandra.quarantine` whole, with its shop, partition, key, field and reason, and every row
read is accounted for: read = upserted + quarantined.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from cassandra.util import Date

from chairside.presentation.analytics import health
from chairside.presentation.analytics.filters import Filters
from ingestion.cassandra import store
from ingestion.cassandra.loader import load_customers, load_inquiries
from tests.unit.test_cassandra_loader import FakeCrm
from tests.unit.test_cassandra_rows import customer, inquiry

NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)
GOOD_ROWS = 3
HOSTILE_ID = "crm-water-st-hostile"
HOSTILE_INQUIRY = uuid.UUID("00000000-0000-4000-8000-000000000099")


def good_customers() -> list[dict]:
    return [
        customer(customer_id=f"crm-water-st-{n}", phone=f"(709) 555-01{n:02d}")
        for n in range(GOOD_ROWS)
    ]


def good_inquiries() -> list[dict]:
    day = dt.date(2026, 3, 14)
    return [
        inquiry(
            day=day,
            created_at=dt.datetime(2026, 3, 14, 13 + n, tzinfo=dt.UTC),
            inquiry_id=uuid.uuid5(uuid.NAMESPACE_URL, f"good/{n}"),
        )
        for n in range(GOOD_ROWS)
    ]


@dataclass(frozen=True)
class Case:
    table: str  # customers | inquiries_by_day
    row: dict  # the hostile row, as Python values before the driver's codecs
    field: str
    reason: str  # the start of the quarantine's reason


def bad_customer(field: str, reason: str, **values: object) -> Case:
    return Case("customers", customer(customer_id=HOSTILE_ID) | values, field, reason)


def bad_inquiry(field: str, reason: str, **values: object) -> Case:
    row = inquiry(inquiry_id=HOSTILE_INQUIRY) | values
    return Case("inquiries_by_day", row, field, reason)


CASES = {
    "created-at-year-1": bad_customer(
        "created_at",
        "created_at 0001-01-01T00:00:00+00:00 is before 2000-01-01T00:00:00+00:00",
        created_at=dt.datetime(1, 1, 1, tzinfo=dt.UTC),
    ),
    "updated-at-2999": bad_customer(
        "updated_at",
        "updated_at 2999-01-01T10:00:00+00:00 is after 2028-03-20T12:00:00+00:00, two years "
        "after the time of ingestion",
        updated_at=dt.datetime(2999, 1, 1, 10, tzinfo=dt.UTC),
    ),
    "birth-year-1800": bad_customer(
        "birth_year", "birth_year 1800 is before 1900, the earliest bound", birth_year=1800
    ),
    "birth-year-next-year": bad_customer(
        "birth_year",
        "birth_year 2027 is after 2026, the current year at ingestion",
        birth_year=2027,
    ),
    "phone-that-dials-nowhere": bad_customer(
        "phone", "phone: cannot read 'call me after 5' as a phone number", phone="call me after 5"
    ),
    "phone-without-area-code": bad_customer(
        "phone", "phone: '555-0134' has no area code", phone="555-0134"
    ),
    "email-without-domain": bad_customer("email", "email: ", email="ana.silva@"),
    "empty-customer-id": bad_customer(
        "customer_id", "customer_id is empty, and it is part of the row's key", customer_id=""
    ),
    "shop-id-not-a-slug": bad_customer(
        "shop_id",
        "shop_id 'Water St' is not a shop slug",
        shop_id="Water St",
        customer_id=HOSTILE_ID,
    ),
    "name-of-100k-characters": bad_customer(
        "first_name",
        "first_name is 100,000 characters long, over the limit of 1,000",
        first_name="x" * 100_000,
    ),
    "nul-in-a-name": bad_customer(
        "first_name", "first_name contains the character NUL", first_name="Ana\x00DROP"
    ),
    "mangled-bytes-in-a-name": bad_customer(
        "last_name",
        "last_name contains the character U+FFFD (bytes that were not valid text)",
        last_name="Beaulieu-Pell\ufffd\ufffdtier",
    ),
    "age-121": bad_inquiry("age", "age 121 is outside 0 to 120", age=121),
    "inquiry-created-in-1999": bad_inquiry(
        "created_at",
        "created_at 1999-12-31T23:59:59+00:00 is before 2000-01-01T00:00:00+00:00",
        day=dt.date(2026, 3, 14),
        created_at=dt.datetime(1999, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
    ),
    "inquiry-day-beyond-year-9999": bad_inquiry(
        "day",
        "day 10,000,000 days from 1970-01-01 is before the year 1 or after the year 9999",
        day=Date(10_000_000),
    ),
    "inquiry-day-in-1999": bad_inquiry(
        "day", "day 1999-12-31 is before 2000-01-01, the earliest bound", day=dt.date(1999, 12, 31)
    ),
    "unknown-channel": bad_inquiry(
        "channel",
        "channel 'carrier-pigeon' is none of walk_in, phone, web, form, instagram",
        channel="carrier-pigeon",
    ),
    "message-of-a-megabyte": bad_inquiry(
        "message",
        "message is 1,048,576 characters long, over the limit of 10,000",
        message="y" * 1_048_576,
    ),
    "bell-character-in-a-name": bad_inquiry(
        "customer_name",
        "customer_name contains the character U+0007 at position 5",
        customer_name="Sandh\x07u, Ethan",
    ),
}


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
        store.ensure_schema(connection)
        yield connection


@pytest.mark.parametrize("name", list(CASES))
def test_a_hostile_crm_row_is_quarantined_and_the_rest_loads_once(
    con: duckdb.DuckDBPyConnection, name: str
) -> None:
    hostile = CASES[name]
    crm = FakeCrm()
    customers_table = hostile.table == "customers"
    good = good_customers() if customers_table else good_inquiries()
    crm.put(hostile.table, [*good, hostile.row])
    load = load_customers if customers_table else load_inquiries

    report = load(con, crm, 2, NOW)

    assert report.rows_read == GOOD_ROWS + 1
    assert report.rows_read == report.rows_upserted + report.rows_quarantined
    raw = store.CUSTOMERS if customers_table else store.INQUIRIES
    key = "customer_id" if customers_table else "inquiry_id"
    loaded = [k for (k,) in con.execute(f"select {key} from {raw} order by 1").fetchall()]
    assert loaded == sorted(str(row[key]) for row in good)
    ((table, shop, partition, row_key, field, reason, raw_row),) = con.execute(
        "select source_table, shop_id, partition_key, row_key, field, reason, raw_row "
        "from raw_cassandra.quarantine"
    ).fetchall()
    assert (table, shop, field) == (hostile.table, hostile.row["shop_id"], field)
    assert field == hostile.field
    assert reason.startswith(hostile.reason), reason
    if customers_table:
        assert (partition, row_key) == (hostile.row["shop_id"], hostile.row["customer_id"])
    else:
        assert partition.startswith(f"{hostile.row['shop_id']} ")
        assert row_key.endswith(str(HOSTILE_INQUIRY))
    assert set(json.loads(raw_row)) == set(hostile.row)


def test_a_quarantined_row_loads_and_leaves_quarantine_once_the_crm_fixes_it(
    con: duckdb.DuckDBPyConnection,
) -> None:
    crm = FakeCrm()
    crm.put("customers", [*good_customers(), CASES["birth-year-1800"].row])
    load_customers(con, crm, 10, NOW)
    assert con.execute("select count(*) from raw_cassandra.quarantine").fetchone() == (1,)

    fixed = CASES["birth-year-1800"].row | {
        "birth_year": 1980,
        "updated_at": NOW - dt.timedelta(minutes=5),
    }
    crm.put("customers", [fixed])
    report = load_customers(con, crm, 10, NOW + dt.timedelta(hours=1))

    assert report.rows_quarantined == 0
    assert con.execute("select count(*) from raw_cassandra.quarantine").fetchone() == (0,)
    assert con.execute(
        "select birth_year from raw_cassandra.customers where customer_id = ?", [HOSTILE_ID]
    ).fetchone() == (1980,)


def test_a_hostile_row_quarantined_again_on_a_reread_stays_one_row(
    con: duckdb.DuckDBPyConnection,
) -> None:
    crm = FakeCrm()
    crm.put("inquiries_by_day", [*good_inquiries(), CASES["age-121"].row])
    load_inquiries(con, crm, 10, NOW)
    load_inquiries(con, crm, 10, NOW + dt.timedelta(days=1))  # re-reads the last days
    assert con.execute("select count(*), min(field) from raw_cassandra.quarantine").fetchone() == (
        1,
        "age",
    )


def test_the_data_health_app_lists_quarantined_crm_rows_with_their_reasons(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    crm = FakeCrm()
    crm.put("customers", [*good_customers(), CASES["phone-without-area-code"].row])
    with duckdb.connect(str(path)) as connection:
        store.ensure_schema(connection)
        load_customers(connection, crm, 10, NOW)
    loaded_on = NOW.date()

    aside = health.set_aside(path, Filters.from_inputs(["water-st"], loaded_on, loaded_on))

    assert aside.crm_quarantine_counts[["crm_table", "field", "rows"]].values.tolist() == [
        ["customers", "phone", 1]
    ]
    ((shop, key, reason),) = aside.latest_crm_quarantine[["shop_id", "row_key", "reason"]].values
    assert (shop, key, reason) == ("water-st", HOSTILE_ID, "phone: '555-0134' has no area code")
