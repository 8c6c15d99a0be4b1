"""The cell parsers on the values people really type, and on anything at all (hypothesis)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingestion.inbox import cells


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("$1,234.50", Decimal("1234.50")),
        ("CA$ 45", Decimal("45.00")),
        ("45,50", Decimal("45.50")),
        ("1.040,50", Decimal("1040.50")),
        ("1 234,5", Decimal("1234.50")),
        (35, Decimal("35.00")),
        (35.5, Decimal("35.50")),
    ],
)
def test_money_reads_currency_signs_and_separators(raw, expected) -> None:
    assert cells.money(raw) == expected


@pytest.mark.parametrize("raw", ["-5", "(12.00)", "free", "", "12..5"])
def test_money_refuses_negative_or_unreadable(raw) -> None:
    with pytest.raises(cells.CellError):
        cells.money(raw)


@pytest.mark.parametrize(
    ("raw", "order", "expected", "offset"),
    [
        (dt.datetime(2026, 3, 14, 10, 32), "DMY", dt.datetime(2026, 3, 14, 10, 32), None),
        ("2026-03-14 10:32", "DMY", dt.datetime(2026, 3, 14, 10, 32), None),
        ("2026-03-14T10:32:05-02:30", "DMY", dt.datetime(2026, 3, 14, 10, 32, 5), -150),
        ("2026-03-14T13:02:05Z", "DMY", dt.datetime(2026, 3, 14, 13, 2, 5), 0),
        ("04/03/2026 2:05 PM", "DMY", dt.datetime(2026, 3, 4, 14, 5), None),
        ("04/03/2026 2:05 PM", "MDY", dt.datetime(2026, 4, 3, 14, 5), None),
        ("14 Mar 2026", "DMY", dt.datetime(2026, 3, 14), None),
        (46100.5, "DMY", dt.datetime(2026, 3, 19, 12, 0), None),
        ("46100.5", "DMY", dt.datetime(2026, 3, 19, 12, 0), None),
    ],
)
def test_timestamps_in_every_way_spreadsheets_hold_them(raw, order, expected, offset) -> None:
    assert cells.timestamp(raw, order) == (expected, offset)


def test_one_unambiguous_date_settles_the_order_of_a_column() -> None:
    assert cells.infer_date_order(["04/03/2026", "24/03/2026"], "MDY") == "DMY"
    assert cells.infer_date_order(["04/03/2026", "03/24/2026"], "DMY") == "MDY"
    assert cells.infer_date_order(["04/03/2026"], "MDY") == "MDY"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("(709) 555-0134", "+17095550134"),
        ("709.555.0134", "+17095550134"),
        ("+1 709 555 0134", "+17095550134"),
        ("1-709-555-0134", "+17095550134"),
        (7095550134, "+17095550134"),
    ],
)
def test_phone_numbers_normalise_to_e164_and_keep_the_raw_value(raw, e164) -> None:
    assert cells.phone(raw, "CA") == (str(raw), e164)


@pytest.mark.parametrize(
    ("raw", "days"),
    [
        ("Mon-Sat", ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]),
        ("Tue,Wed, thu", ["Tue", "Wed", "Thu"]),
        ("Monday to Friday", ["Mon", "Tue", "Wed", "Thu", "Fri"]),
        ("Fri-Mon", ["Mon", "Fri", "Sat", "Sun"]),
    ],
)
def test_open_days(raw, days) -> None:
    assert cells.open_days(raw) == days


def test_time_of_day_from_text_and_excel_fraction() -> None:
    assert cells.time_of_day("9am") == dt.time(9)
    assert cells.time_of_day("5:30 PM") == dt.time(17, 30)
    assert cells.time_of_day(0.75) == dt.time(18)


ANY_CELL = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.datetimes(),
    st.dates(),
    st.times(),
)
PARSERS = [
    cells.money,
    cells.percent,
    cells.age,
    cells.email,
    cells.gender,
    cells.open_days,
    cells.time_of_day,
    cells.shop_slug,
    cells.time_zone,
    cells.currency,
    lambda v: cells.timestamp(v, "DMY"),
    lambda v: cells.date(v, "MDY"),
    lambda v: cells.phone(v, "CA"),
]


@pytest.mark.parametrize("parser", PARSERS)
@given(value=ANY_CELL)
def test_any_cell_either_parses_or_gets_a_reason(parser, value) -> None:
    try:
        parser(value)
    except cells.CellError as error:
        assert str(error)
