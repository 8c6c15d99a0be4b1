"""Read an inbox file into sheets of raw cells, as other tools wrote them.

`.xlsx` through openpyxl (every sheet; cached formula values, not formulas), `.csv` with its
encoding and delimiter sniffed, because shops export from whatever they have: Excel on Windows
writes Windows-1252 or UTF-8 with a BOM, a Mac exports UTF-8, a French locale uses semicolons.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from ingestion.inbox.cells import Cell


@dataclass(frozen=True)
class Sheet:
    """One table of cells; `rows[i]` is spreadsheet row `i + 1`. CSV files have `name=None`."""

    name: str | None
    rows: list[tuple[Cell, ...]]


class UnreadableFile(ValueError):
    """The file is not a spreadsheet this loader can open; the whole file is rejected."""


SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".csv")


def read_sheets(path: Path, content: bytes) -> Iterator[Sheet]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        yield from _read_workbook(content)
    elif suffix == ".csv":
        yield _read_csv(content)
    else:
        raise UnreadableFile(f"unsupported file type {suffix!r} (expected .xlsx or .csv)")


def _read_workbook(content: bytes) -> Iterator[Sheet]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged zip or XML
        raise UnreadableFile(f"not a readable .xlsx workbook: {error}") from error
    try:
        for worksheet in workbook.worksheets:
            # Some writers leave out or misstate the sheet dimensions; without this reset a
            # read-only sheet can appear to hold only its first cell.
            worksheet.reset_dimensions()
            yield Sheet(
                worksheet.title, [tuple(row) for row in worksheet.iter_rows(values_only=True)]
            )
    finally:
        workbook.close()


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM) when it decodes, else Windows-1252, which decodes any byte
    sequence Excel on Windows produces."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="strict")


def _read_csv(content: bytes) -> Sheet:
    try:
        text = decode(content)
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"neither UTF-8 nor Windows-1252 text: {error}") from error
    sample = text[: 64 * 1024]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = [tuple(row) for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    return Sheet(None, rows)
