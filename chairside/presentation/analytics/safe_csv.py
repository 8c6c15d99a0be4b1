"""CSV that a spreadsheet opens as data, never as a formula.

A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by
Excel, LibreOffice and Google Sheets, so a client who typed `=HYPERLINK(...)` as their name would
run it on the owner's machine when the campaign list is opened (CSV injection). Following OWASP,
such cells are prefixed with a single quote; numbers are left alone (a negative amount stays a
number). Every CSV the product writes or offers for download goes through `to_csv`.
"""

from __future__ import annotations

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """`value` with a leading quote when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return f"'{value}"
    return value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells cannot start a formula."""
    text = [
        column
        for column in frame.columns
        if pd.api.types.is_object_dtype(frame[column])
        or pd.api.types.is_string_dtype(frame[column])
    ]
    return frame.assign(**{column: frame[column].map(neutralise) for column in text})


def to_csv(frame: pd.DataFrame) -> bytes:
    """`frame` as UTF-8 CSV bytes, header first, formula prefixes neutralised. Lines end in CRLF
    (RFC 4180), which also makes the writer quote a cell holding a lone carriage return."""
    return neutralised(frame).to_csv(index=False, lineterminator="\r\n").encode()
