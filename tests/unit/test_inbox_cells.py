"""The cell parsers on the values people really type, and on anything at all (hypothesis)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chairside.contracts import cells


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


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("-5", "'-5' is negative"),
        ("(12.00)", "'(12.00)' is negative"),
        ("free", "cannot read 'free' as a number"),
        ("", "is empty"),
        ("12..5", "cannot read '12..5' as a number"),
        # '.' may group thousands (1.234 = 1234) or mark decimals: money never has three
        ("1.234", "'1.234' has more than two decimals (is '.' a thousands separator?)"),
        ("35.000", "'35.000' has more than two decimals (is '.' a thousands separator?)"),
        # beyond DECIMAL(10,2): a typo, and it would fail the whole file's insert
        ("$100,000,000", "'$100,000,000' is not a plausible amount"),
    ],
)
def test_money_refuses_negative_ambiguous_or_unreadable(raw, reason) -> None:
    with pytest.raises(cells.CellError) as error:
        cells.money(raw)
    assert str(error.value) == reason


def test_money_from_a_number_cell_is_rounded_to_cents() -> None:
    assert cells.money(35 * 1.15) == Decimal("40.25")  # Excel's 40.249999999999996
    assert cells.money(99_999_999.99) == Decimal("99999999.99")


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
        ("20260314", "DMY", dt.datetime(2026, 3, 14), None),  # digits, but not a serial
        ("14-03-2026", "DMY", dt.datetime(2026, 3, 14), None),  # '-2026' is no UTC offset
        ("14-Mar-2026", "DMY", dt.datetime(2026, 3, 14), None),
        ("14-Mar-26", "MDY", dt.datetime(2026, 3, 14), None),  # Excel's d-mmm-yy CSV export
        ("Saturday, March 14, 2026", "DMY", dt.datetime(2026, 3, 14), None),
        ("14/03/2026 2:05 p.m.", "DMY", dt.datetime(2026, 3, 14, 14, 5), None),
        ("2026-03-14 9:15 a.m.", "DMY", dt.datetime(2026, 3, 14, 9, 15), None),
        ("2026-03-14 10:32 -0230", "DMY", dt.datetime(2026, 3, 14, 10, 32), -150),
        (dt.date(2026, 3, 14), "DMY", dt.datetime(2026, 3, 14), None),
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
    ("raw", "reason"),
    [
        ("555-0134", "'555-0134' has no area code"),  # would be +15550134, matching nobody
        ("7.09555E+09", "cannot read '7.09555E+09' as a phone number"),  # a mangled export
        ("12", "'12' is not a possible phone number for region CA"),
    ],
)
def test_phone_numbers_that_match_nobody_are_refused(raw, reason) -> None:
    with pytest.raises(cells.CellError) as error:
        cells.phone(raw, "CA")
    assert str(error.value) == reason


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
    assert cells.time_of_day(0.99999) == dt.time(23, 59)  # not 24:00
    assert cells.time_of_day("5:30 p.m.") == dt.time(17, 30)


# Strings that sit at the edges of the parsers' rules, mixed in with arbitrary values.
TRICKY = [
    "1.234",
    "(12)",
    "1 234,5",
    "$",
    "-",
    "0.9999",
    "2026-13-45 25:99",
    "24/24/2024",
    "29/02/2025",
    "12:00 p.m.",
    "99:99",
    "Mon-Sun",
    "Sun to Sat",
    "mon-funday",
    "+1 (709) 555-0134 ext. 5",
    "+999 1234",
    "1e308",
    "-0",
    "%",
    "\u00a0",
]
ANY_CELL = st.one_of(
    st.none(),
    st.sampled_from(TRICKY),
    st.text(max_size=40),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.datetimes(),
    st.dates(),
    st.times(),
)
PARSERS = [
    cells.text,
    cells.decimal,
    cells.whole_number,
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


# Round trips: a value written the way a person or a tool writes it reads back as that value.

CENTS = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2)
MONEY_STYLES = {
    "dollar sign and thousands": lambda a: f"${a:,.2f}",
    "currency code": lambda a: f"CA$ {a:.2f}",
    "French Canadian": lambda a: f"{a:,.2f} $".replace(",", "\u00a0").replace(".", ","),
    "dot thousands, comma decimals": lambda a: (
        f"€{a:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    ),
    "a number cell": float,
}


@given(amount=CENTS, style=st.sampled_from(sorted(MONEY_STYLES)))
def test_money_written_any_common_way_reads_back(amount: Decimal, style: str) -> None:
    assert cells.money(MONEY_STYLES[style](amount)) == amount


DAYS = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31))
DATE_STYLES = {
    "ISO": ("DMY", dt.date.isoformat),
    "day first": ("DMY", lambda d: d.strftime("%d/%m/%Y")),
    "month first": ("MDY", lambda d: d.strftime("%m/%d/%Y")),
    "dotted": ("DMY", lambda d: d.strftime("%d.%m.%Y")),
    "compact": ("DMY", lambda d: d.strftime("%Y%m%d")),
    "words": ("DMY", lambda d: d.strftime("%d %B %Y")),
    "US words": ("DMY", lambda d: d.strftime("%b %d, %Y")),
    "Excel CSV export": ("DMY", lambda d: d.strftime("%d-%b-%Y")),
    "Excel long date": ("DMY", lambda d: d.strftime("%A, %B %d, %Y")),
    "Excel serial": ("DMY", lambda d: (d - dt.date(1899, 12, 30)).days),
    "serial as text": ("DMY", lambda d: str((d - dt.date(1899, 12, 30)).days)),
    "a date cell": ("DMY", lambda d: dt.datetime.combine(d, dt.time())),
}


@given(day=DAYS, style=st.sampled_from(sorted(DATE_STYLES)))
def test_dates_written_any_common_way_read_back(day: dt.date, style: str) -> None:
    order, write = DATE_STYLES[style]
    assert cells.date(write(day), order) == day


PHONE_STYLES = (
    "({area}) {exchange}-{line}",
    "{area}.{exchange}.{line}",
    "+1 {area} {exchange} {line}",
    "1-{area}-{exchange}-{line}",
    "{area}{exchange}{line}",
    "{area}-{exchange}-{line} ext. 12",
)


@given(
    area=st.sampled_from(["709", "416", "604", "514", "902"]),
    exchange=st.integers(200, 999),
    line=st.integers(0, 9999),
    style=st.sampled_from(PHONE_STYLES),
)
def test_phone_numbers_written_any_common_way_match(area, exchange, line, style) -> None:
    raw = style.format(area=area, exchange=exchange, line=f"{line:04d}")
    assert cells.phone(raw, "CA") == (raw, f"+1{area}{exchange}{line:04d}")
