"""Mapping and watermark rules on rows as the driver really returns them.

Rows are built by the driver's own code: each value is serialized with the CQL type schema.cql
gives its column and deserialized again (`cassandra.cqltypes`), then shaped by `dict_factory`,
the session's row factory. So a `timestamp` arrives as a naive UTC datetime truncated to the
millisecond, a `date` as `cassandra.util.Date`, a `uuid` as `uuid.UUID`.
"""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from cassandra import cqltypes
from cassandra.query import dict_factory
from cassandra.util import Date

from chairside.contracts.crm import CUSTOMER_COLUMNS, INQUIRY_COLUMNS
from chairside.demo import DemoConfig, generate
from chairside.demo.crm_seed import driver_values
from ingestion.cassandra import mapping, watermarks
from ingestion.cassandra.reader import Row
from ingestion.cassandra.schema import schema_statements

PROTOCOL_VERSION = 5  # Cassandra 4 and 5 speak v5; the value encodings used here are the same in v4
CQL_TYPES = {
    "text": cqltypes.UTF8Type,
    "int": cqltypes.Int32Type,
    "boolean": cqltypes.BooleanType,
    "timestamp": cqltypes.DateType,  # the class the protocol decodes CQL timestamp with
    "date": cqltypes.SimpleDateType,
    "uuid": cqltypes.UUIDType,
}
ST_JOHNS = ZoneInfo("America/St_Johns")
LOADED_AT = dt.datetime(2026, 3, 20, 6, 0, tzinfo=dt.UTC)


def contract_columns(table: str) -> dict[str, str]:
    """Column name -> CQL type of one table, read from schema.cql."""
    (statement,) = [
        s
        for s in schema_statements("chairside")
        if s.startswith(f"CREATE TABLE IF NOT EXISTS chairside.{table} ")
    ]
    body = statement[statement.index("(") + 1 : statement.index("PRIMARY KEY")]
    return dict(column.split() for column in body.split(",") if column.strip())


def driver_value(cql_type: str, value: object) -> object:
    if value is None:  # a null travels as no bytes at all, not as an empty value
        return None
    codec = CQL_TYPES[cql_type]
    return codec.from_binary(codec.to_binary(value, PROTOCOL_VERSION), PROTOCOL_VERSION)


def driver_rows(table: str, columns: tuple[str, ...], rows: list[dict[str, object]]) -> list[Row]:
    """`rows` (Python values by column) as the driver hands them to a caller."""
    types = contract_columns(table)
    return dict_factory(
        list(columns),
        [tuple(driver_value(types[c], row[c]) for c in columns) for row in rows],
    )


def customer(**values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "shop_id": "water-st",
        "customer_id": "crm-ws-00001",
        "first_name": "Zoë",
        "last_name": "Beaulieu-Pelletier",
        "phone": "(709) 555-0134",
        "email": None,
        "birth_year": 1988,
        "gender": "F",
        "marketing_opt_in": True,
        "created_at": dt.datetime(2025, 11, 21, 9, 1, 33, tzinfo=ST_JOHNS),
        "updated_at": dt.datetime(2026, 3, 14, 13, 2, 5, 123456, tzinfo=dt.UTC),
    }
    return row | values


def inquiry(**values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "shop_id": "water-st",
        "day": dt.date(2026, 3, 14),
        "created_at": dt.datetime(2026, 3, 14, 10, 32, 5, tzinfo=ST_JOHNS),
        "inquiry_id": uuid.UUID("2485f07e-2bdf-48ec-b5d4-5e6ffe86524d"),
        "customer_name": "Sandhu, Ethan",
        "phone": "7095555965",
        "email": None,
        "age": 57,
        "gender": None,
        "message": "What do you charge for a hot towel shave?",
        "channel": "walk_in",
    }
    return row | values


def test_the_row_builder_gives_the_drivers_types() -> None:
    (row,) = driver_rows("inquiries_by_day", INQUIRY_COLUMNS, [inquiry()])
    assert isinstance(row["day"], Date)
    assert isinstance(row["inquiry_id"], uuid.UUID)
    assert row["created_at"] == dt.datetime(2026, 3, 14, 13, 2, 5)  # naive, UTC
    assert row["created_at"].tzinfo is None


def test_the_readers_select_exactly_the_contract_columns() -> None:
    assert set(CUSTOMER_COLUMNS) == set(contract_columns("customers"))
    assert set(INQUIRY_COLUMNS) == set(contract_columns("inquiries_by_day"))


def test_a_customer_row_maps_to_the_raw_columns_with_utc_instants() -> None:
    (row,) = driver_rows("customers", CUSTOMER_COLUMNS, [customer()])

    record = mapping.customer_record(row, LOADED_AT)

    assert tuple(record) == mapping.RAW_CUSTOMER_COLUMNS
    assert record == {
        "shop_id": "water-st",
        "customer_id": "crm-ws-00001",
        "first_name": "Zoë",
        "last_name": "Beaulieu-Pelletier",
        "phone": "(709) 555-0134",
        "email": None,
        "birth_year": 1988,
        "gender": "F",
        "marketing_opt_in": True,
        # St. John's is UTC-3:30 in November: the instant survives, now stated in UTC
        "created_at": dt.datetime(2025, 11, 21, 12, 31, 33, tzinfo=dt.UTC),
        # CQL timestamps keep milliseconds
        "updated_at": dt.datetime(2026, 3, 14, 13, 2, 5, 123000, tzinfo=dt.UTC),
        "loaded_at": LOADED_AT,
    }


def test_null_columns_stay_null() -> None:
    blank = dict.fromkeys(set(CUSTOMER_COLUMNS) - {"shop_id", "customer_id"})
    (row,) = driver_rows("customers", CUSTOMER_COLUMNS, [customer(**blank)])
    record = mapping.customer_record(row, LOADED_AT)
    assert {k for k, v in record.items() if v is not None} == {
        "shop_id",
        "customer_id",
        "loaded_at",
    }


@pytest.mark.parametrize("day", [dt.date(2026, 3, 14), dt.date(1969, 12, 31), dt.date(2000, 2, 29)])
def test_an_inquiry_row_maps_day_uuid_and_instant(day: dt.date) -> None:
    (row,) = driver_rows("inquiries_by_day", INQUIRY_COLUMNS, [inquiry(day=day)])

    record = mapping.inquiry_record(row, LOADED_AT)

    assert tuple(record) == mapping.RAW_INQUIRY_COLUMNS
    assert record["inquiry_id"] == "2485f07e-2bdf-48ec-b5d4-5e6ffe86524d"
    assert record["day"] == day and type(record["day"]) is dt.date
    assert record["created_at"] == dt.datetime(2026, 3, 14, 13, 2, 5, tzinfo=dt.UTC)
    assert record["created_at"].utcoffset() == dt.timedelta(0)
    assert mapping.partition_key(row) == ("water-st", day)


def test_an_inquiry_saved_twice_keeps_its_latest_time() -> None:
    early = inquiry(created_at=dt.datetime(2026, 3, 14, 10, 0, tzinfo=dt.UTC), message="first")
    late = inquiry(created_at=dt.datetime(2026, 3, 14, 11, 0, tzinfo=dt.UTC), message="fixed")
    other = inquiry(inquiry_id=uuid.uuid4())
    rows = driver_rows("inquiries_by_day", INQUIRY_COLUMNS, [late, other, early])

    kept = mapping.latest_per_inquiry([mapping.inquiry_record(r, LOADED_AT) for r in rows])

    assert sorted(r["message"] for r in kept) == [
        "What do you charge for a hot towel shave?",
        "fixed",
    ]


NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)
WATERMARK = dt.datetime(2026, 3, 19, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("updated_at", "created_at", "changed"),
    [
        (WATERMARK + dt.timedelta(seconds=1), None, True),
        (WATERMARK, None, True),  # the same millisecond as the watermark: may be a second row
        (WATERMARK - watermarks.UPDATED_AT_OVERLAP, None, True),
        (WATERMARK - watermarks.UPDATED_AT_OVERLAP - dt.timedelta(milliseconds=1), None, False),
        (None, WATERMARK - dt.timedelta(days=30), False),  # never updated: created_at decides
        (None, WATERMARK, True),
        (None, None, True),  # cannot be placed in time: always upserted
    ],
)
def test_which_customer_rows_count_as_changed(updated_at, created_at, changed) -> None:
    (row,) = driver_rows(
        "customers", CUSTOMER_COLUMNS, [customer(updated_at=updated_at, created_at=created_at)]
    )
    record = mapping.customer_record(row, LOADED_AT)
    assert watermarks.changed_since(record, WATERMARK) is changed
    assert watermarks.changed_since(record, None) is True


def test_the_change_watermark_moves_to_the_newest_stamp_but_not_past_the_clock() -> None:
    newer = WATERMARK + dt.timedelta(hours=3)
    assert watermarks.next_change_watermark(WATERMARK, [None, newer], NOW) == newer
    assert watermarks.next_change_watermark(newer, [WATERMARK], NOW) == newer
    future = NOW + dt.timedelta(days=400)  # a device with a wrong clock
    assert watermarks.next_change_watermark(WATERMARK, [future], NOW) == NOW
    assert watermarks.next_change_watermark(None, [None], NOW) is None


def test_partitions_to_read_rereads_the_last_days_of_known_shops_and_all_of_new_ones() -> None:
    days = [dt.date(2026, 3, d) for d in range(1, 21)]
    partitions = [("water-st", d) for d in reversed(days)] + [("queen-west", d) for d in days[:2]]

    plan = watermarks.partitions_to_read(partitions, {"water-st": dt.date(2026, 3, 15)})

    assert list(plan) == ["queen-west", "water-st"]
    assert plan["queen-west"] == days[:2]  # never loaded: every partition
    # the watermark day and the two before it, then every newer day
    assert plan["water-st"] == [dt.date(2026, 3, d) for d in range(13, 21)]
    assert len([d for d in plan["water-st"] if d <= dt.date(2026, 3, 15)]) == watermarks.REREAD_DAYS


def test_the_day_watermark_never_passes_the_latest_real_day() -> None:
    assert watermarks.latest_real_day(dt.datetime(2026, 3, 14, 9, 59, tzinfo=dt.UTC)) == dt.date(
        2026, 3, 14
    )
    # 10:00 UTC is already midnight on the 15th at UTC+14
    assert watermarks.latest_real_day(dt.datetime(2026, 3, 14, 10, 0, tzinfo=dt.UTC)) == dt.date(
        2026, 3, 15
    )
    now = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)
    read = [dt.date(2026, 3, 18), dt.date(2099, 1, 1)]
    assert watermarks.next_day_watermark(None, read, now) == dt.date(2026, 3, 21)
    assert watermarks.next_day_watermark(dt.date(2026, 3, 19), [dt.date(2026, 3, 17)], now) == (
        dt.date(2026, 3, 19)
    )


def test_schema_statements_target_the_configured_keyspace() -> None:
    statements = schema_statements("chairside_it_1")
    assert [s.split("(")[0].split()[-1] for s in statements[1:]] == [
        "chairside_it_1.customers",
        "chairside_it_1.inquiries_by_day",
    ]
    assert statements[0].startswith("CREATE KEYSPACE IF NOT EXISTS chairside_it_1")
    assert all("chairside " not in s and "chairside." not in s for s in statements)


@pytest.mark.parametrize("keyspace", ["1abc", "chair side", "ks; DROP KEYSPACE x", "a" * 49, ""])
def test_a_keyspace_that_is_not_a_plain_name_is_refused(keyspace: str) -> None:
    with pytest.raises(ValueError, match="CHAIRSIDE_CASSANDRA_KEYSPACE"):
        schema_statements(keyspace)


def test_demo_rows_reach_the_raw_records_unchanged_through_the_drivers_codecs() -> None:
    """JSON-lines row -> the seed's driver values -> the driver's codecs -> the mapping."""
    dataset = generate(DemoConfig(seed=5, shops=1, years=0.3, end_date=dt.date(2026, 11, 15)))
    customer_row = dataset.cassandra_customers[0].as_row()
    inquiry_row = dataset.cassandra_inquiries[0].as_row()

    (customer_read,) = driver_rows(
        "customers",
        CUSTOMER_COLUMNS,
        [dict(zip(CUSTOMER_COLUMNS, driver_values(customer_row, CUSTOMER_COLUMNS), strict=True))],
    )
    (inquiry_read,) = driver_rows(
        "inquiries_by_day",
        INQUIRY_COLUMNS,
        [dict(zip(INQUIRY_COLUMNS, driver_values(inquiry_row, INQUIRY_COLUMNS), strict=True))],
    )

    instant = dt.datetime.fromisoformat
    assert mapping.customer_record(customer_read, LOADED_AT) == customer_row | {
        "created_at": instant(str(customer_row["created_at"])),
        "updated_at": instant(str(customer_row["updated_at"])),
        "loaded_at": LOADED_AT,
    }
    assert mapping.inquiry_record(inquiry_read, LOADED_AT) == inquiry_row | {
        "day": dt.date.fromisoformat(str(inquiry_row["day"])),
        "created_at": instant(str(inquiry_row["created_at"])),
        "loaded_at": LOADED_AT,
    }
