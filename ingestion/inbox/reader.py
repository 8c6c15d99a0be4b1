"""Read an inbox file into sheets of raw cells, as other tools wrote them.

`.xlsx` through openpyxl (every sheet; cached formula values, not formulas), `.csv` with its
encoding and delimiter sniffed, because shops export from whatever they have: Excel on Windows
writes Windows-1252 or UTF-8 with a BOM, a Mac exports UTF-8, a French locale uses semicolons.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
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
            try:
                rows = [tuple(row) for row in worksheet.iter_rows(values_only=True)]
            except Exception as error:  # read-only sheets parse their XML only now
                raise UnreadableFile(
                    f"sheet {worksheet.title!r} cannot be read: {error}"
                ) from error
            yield Sheet(worksheet.title, rows)
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
    delimiter = sniff_delimiter(text)
    rows = [tuple(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    return Sheet(None, rows)


DELIMITERS = (",", ";", "\t", "|")
_SNIFF_ROWS = 200


def sniff_delimiter(text: str) -> str:
    """The delimiter under which the most cells line up in rows of one width.

    A table's rows share their width under the right delimiter and scatter under the wrong
    one; a title line above the header is one lonely cell under any of them. csv.Sniffer
    gives up on exactly those files (a title line, an apostrophe in a name), so the choice is
    made here: the width most rows share (two cells or more), weighted by that width, wins;
    ties go to the comma.
    """

    def score(delimiter: str) -> int:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        widths = Counter(
            len(row) for row in islice(reader, _SNIFF_ROWS) if len(row) > 1 and any(row)
        )
        return max((width * count for width, count in widths.items()), default=0)

    return max(DELIMITERS, key=score)
