"""A visit history from a CSV file (`customer_id`, `visit_date`, `amount`), for `chairside score`.

Anyone's export is messy, and a model fitted on a mistyped date scores every client wrong without
a word. So every row that cannot be a visit before the as-of date is named by its CSV line
(the header is line 1) and field, and left out; the caller prints them and their count. A file
without one of the columns cannot be read at all and is refused, naming the column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

COLUMNS = ("customer_id", "visit_date", "amount")
HEADER_LINES = 1


class VisitsFileError(ValueError):
    """The file cannot be read as a visit history at all."""


@dataclass(frozen=True, order=True)
class BadRow:
    line: int  # in the CSV file, the header being line 1
    field: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field} {self.value!r} {self.reason}"


@dataclass(frozen=True)
class VisitsFile:
    visits: pd.DataFrame  # customer_key, visit_date (date), revenue: what the models read
    bad_rows: list[BadRow]
    rows_read: int


def read_visits(path: Path, as_of: dt.date) -> VisitsFile:
    """The visits of `path` on or before `as_of`, and the rows left out with why."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as error:
        raise VisitsFileError(f"{path}: not a readable CSV file ({error})") from error
    missing = [column for column in COLUMNS if column not in raw.columns]
    if missing:
        raise VisitsFileError(
            f"{path}: no column {', '.join(repr(c) for c in missing)}; the file needs "
            f"{', '.join(COLUMNS)} (found: {', '.join(map(str, raw.columns)) or 'none'})"
        )
    customer = raw["customer_id"].str.strip()
    date_text = raw["visit_date"].str.strip()
    amount_text = raw["amount"].str.strip()
    dates = pd.to_datetime(date_text, format="ISO8601", errors="coerce").dt.normalize()
    amounts = pd.to_numeric(amount_text, errors="coerce")

    problems = [
        ("customer_id", customer, customer == "", "is empty"),
        ("visit_date", date_text, dates.isna(), "is not a date (YYYY-MM-DD)"),
        ("visit_date", date_text, dates > pd.Timestamp(as_of), f"is after the as-of {as_of}"),
        ("amount", amount_text, amounts.isna(), "is not a number"),
        ("amount", amount_text, amounts < 0, "is negative"),
    ]
    lines = raw.index + HEADER_LINES + 1
    bad_rows = sorted(
        BadRow(int(lines[i]), field, str(values.iloc[i]), reason)
        for field, values, flagged, reason in problems
        for i in flagged.to_numpy().nonzero()[0]
    )
    bad = pd.Series(False, index=raw.index)
    for _, _, flagged, _ in problems:
        bad |= flagged.fillna(False)
    good = ~bad
    visits = pd.DataFrame(
        {
            "customer_key": customer[good],
            "visit_date": dates[good].dt.date,
            "revenue": amounts[good].astype(float),
        }
    ).reset_index(drop=True)
    return VisitsFile(visits=visits, bad_rows=bad_rows, rows_read=len(raw))
