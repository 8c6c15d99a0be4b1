"""The five kinds of inbox spreadsheet (docs/contracts.md): their columns and how each cell is read.

The contract names the headers; this module maps each header to the raw table columns it fills
and the parser that reads it. Adding a kind or a column is a change here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from chairside.contracts import cells


@dataclass(frozen=True)
class ParseContext:
    """What a parser may need beyond the cell: the column's day/month order and the phone region."""

    date_order: str = "DMY"
    phone_region: str = "CA"


Parser = Callable[[cells.Cell, ParseContext], tuple[Any, ...]]


@dataclass(frozen=True)
class Column:
    header: str
    fields: tuple[tuple[str, str], ...]  # (raw column name, DuckDB type), in parser output order
    parse: Parser
    required: bool = False
    dates: bool = False  # the column holds dates, so its day/month order is inferred per file

    @cached_property  # read for every cell of every row
    def key(self) -> str:
        return header_key(self.header)


@dataclass(frozen=True)
class Kind:
    name: str
    columns: tuple[Column, ...]
    # A row that names no shop, in a file whose name names none either, is quarantined unless
    # the kind says a row stands without one.
    rows_need_a_shop: bool = True

    @property
    def table(self) -> str:
        return f"raw_inbox.{self.name}"

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    @property
    def names_shops(self) -> bool:
        return any(SHOP_REF in column.fields for column in self.columns)


def header_key(header: object) -> str:
    """Headers match ignoring case, spaces and punctuation (docs/contracts.md): `E-mail`, `e mail`
    and `Email` are one column, as are `Service Code`, `service_code` and `SERVICE CODE`."""
    return re.sub(r"[\W_]+", "", str(header)).casefold() if header is not None else ""


def _one(parser: Callable[[cells.Cell], Any]) -> Parser:
    return lambda value, _ctx: (parser(value),)


# Excel's own limit for a cell: a longer one came from no spreadsheet (in a CSV, a quote left
# open swallows the lines after it into one cell).
LONGEST_CELL = 32_767


def _text(value: cells.Cell, _ctx: ParseContext) -> tuple[str]:
    if isinstance(value, dt.date | dt.time):
        # Excel turns `1-2` or `Mar 14` typed into a cell into a date; the text is gone
        raise cells.CellError(
            f"holds the date {value} where text was expected (did the spreadsheet turn it "
            "into a date? format the column as text and type it again)"
        )
    parsed = cells.text(value)
    if parsed is None:
        raise cells.CellError("is empty")
    if len(parsed) > LONGEST_CELL:
        raise cells.CellError(
            f"is {len(parsed):,} characters long, more than a spreadsheet cell holds "
            f"({LONGEST_CELL:,}); is a quote left open?"
        )
    return (parsed,)


def _phone(value: cells.Cell, ctx: ParseContext) -> tuple[str, str]:
    return cells.phone(value, ctx.phone_region)


def _timestamp(value: cells.Cell, ctx: ParseContext) -> tuple[Any, int | None]:
    return cells.timestamp(value, ctx.date_order)


def _date(value: cells.Cell, ctx: ParseContext) -> tuple[Any]:
    return (cells.date(value, ctx.date_order),)


def _duration(value: cells.Cell, _ctx: ParseContext) -> tuple[int]:
    return (cells.whole_number(value, minimum=1, maximum=24 * 60),)


SHOP_REF = ("shop_ref", "VARCHAR")  # as written; resolved to a shop_id by the loader
PHONE = (("phone_raw", "VARCHAR"), ("phone_e164", "VARCHAR"))

SHOPS = Kind(
    "shops",
    (
        Column("Shop", (("shop_id", "VARCHAR"),), _one(cells.shop_slug), required=True),
        Column("Name", (("name", "VARCHAR"),), _text, required=True),
        Column("Time Zone", (("time_zone", "VARCHAR"),), _one(cells.time_zone), required=True),
        Column("Currency", (("currency", "VARCHAR"),), _one(cells.currency)),
        Column("Opens", (("opens", "TIME"),), _one(cells.time_of_day)),
        Column("Closes", (("closes", "TIME"),), _one(cells.time_of_day)),
        Column("Open Days", (("open_days", "VARCHAR[]"),), _one(cells.open_days)),
        # A Chairside addition: the owner's address for the weekly snapshot. Optional, so every
        # file valid under the contract stays valid.
        Column("Owner Email", (("owner_email", "VARCHAR"),), _one(cells.email)),
        # The number callers dial (docs/contracts.md): a phone webhook names the shop by it.
        Column("Phone", PHONE, _phone),
        # Scorecard targets (docs/metrics.md, "Scorecard"), optional: empty keeps the default.
        Column("Premium Price", (("premium_price", "DECIMAL(10,2)"),), _one(cells.money)),
        *(
            Column(header, ((field, "DECIMAL(5,2)"),), _one(cells.percent))
            for header, field in (
                ("Premium Share Target", "target_premium_share_pct"),
                ("Price Realisation Target", "target_price_realisation_pct"),
                ("Retention Target", "target_retention_pct"),
                ("Rebooking Target", "target_rebooking_pct"),
                ("Utilization Target", "target_utilization_pct"),
                ("New Client Growth Target", "target_new_client_growth_pct"),
            )
        ),
        Column(
            "Revenue per Hour Target",
            (("target_revenue_per_hour", "DECIMAL(10,2)"),),
            _one(cells.money),
        ),
    ),
)

PRICE_LIST = Kind(
    "price_list",
    (
        Column("Shop", (SHOP_REF,), _text, required=True),
        Column("Service Code", (("service_code", "VARCHAR"),), _text, required=True),
        Column("Service", (("service_name", "VARCHAR"),), _text, required=True),
        Column("Price", (("price", "DECIMAL(10,2)"),), _one(cells.money), required=True),
        Column("Category", (("category", "VARCHAR"),), _text),
        Column("Duration (min)", (("duration_min", "INTEGER"),), _duration),
        Column("Effective From", (("effective_from", "DATE"),), _date, dates=True),
    ),
)

STAFF = Kind(
    "staff",
    (
        Column("Shop", (SHOP_REF,), _text, required=True),
        Column("Staff ID", (("staff_id", "VARCHAR"),), _text, required=True),
        Column("Name", (("name", "VARCHAR"),), _text, required=True),
        Column("Role", (("role", "VARCHAR"),), _text),
        Column("Commission %", (("commission_pct", "DECIMAL(5,2)"),), _one(cells.percent)),
        Column("Start Date", (("start_date", "DATE"),), _date, dates=True),
        Column("End Date", (("end_date", "DATE"),), _date, dates=True),
    ),
)

CUSTOMERS = Kind(
    "customers",
    (
        Column("Name", (("name", "VARCHAR"),), _text, required=True),
        Column("Phone", PHONE, _phone, required=True),
        Column("Email", (("email", "VARCHAR"),), _one(cells.email)),
        Column("Age", (("age", "INTEGER"),), _one(cells.age)),
        Column("Gender", (("gender", "VARCHAR"),), _one(cells.gender)),
        Column("Shop", (SHOP_REF,), _text),
        Column("Customer Since", (("customer_since", "DATE"),), _date, dates=True),
    ),
    # A chain-wide client list names no shop; its people are matched across shops by phone
    # and email, so a row without a shop still counts.
    rows_need_a_shop=False,
)

INQUIRIES = Kind(
    "inquiries",
    (
        Column("Name", (("name", "VARCHAR"),), _text, required=True),
        Column("Phone", PHONE, _phone, required=True),
        Column("Inquiry", (("message", "VARCHAR"),), _text, required=True),
        Column(
            "Timestamp",
            (("inquired_at", "TIMESTAMP"), ("inquired_at_offset_min", "INTEGER")),
            _timestamp,
            required=True,
            dates=True,
        ),
        Column("Age", (("age", "INTEGER"),), _one(cells.age)),
        Column("Gender", (("gender", "VARCHAR"),), _one(cells.gender)),
        Column("Email", (("email", "VARCHAR"),), _one(cells.email)),
        Column("Shop", (SHOP_REF,), _text),
    ),
)

KINDS: dict[str, Kind] = {k.name: k for k in (SHOPS, PRICE_LIST, STAFF, CUSTOMERS, INQUIRIES)}

# Shops load first: the other kinds name shops, and a row naming an unknown shop is quarantined.
LOAD_ORDER = ("shops", "price_list", "staff", "customers", "inquiries")


def kind_of(file_name: str) -> Kind | None:
    """The kind is the file name's first word: `price_list_2026.xlsx`, `Inquiries - May.csv`."""
    stem = file_name.rsplit(".", 1)[0].lower()
    for name in sorted(KINDS, key=len, reverse=True):
        if re.match(rf"{name.replace('_', '[ _-]?')}(?![a-z])", stem):
            return KINDS[name]
    return None
