"""Read an inbox file into sheets of raw cells, as other tools wrote them.

`.xlsx` through openpyxl (every sheet; cached formula values, not formulas), `.csv` with its
encoding (see `encoding`) and delimiter sniffed, because shops export from whatever they have:
Excel on Windows writes Windows-1252, UTF-8 with a BOM or UTF-16, a Mac exports UTF-8, a French
locale uses semicolons. A file that is no spreadsheet at all is rejected saying what it is.
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

from chairside.contracts.cells import Cell
from ingestion.inbox.encoding import NotText, decode


@dataclass(frozen=True)
class Sheet:
    """One table of cells; `rows[i]` is spreadsheet row `i + 1`. CSV files have `name=None`."""

    name: str | None
    rows: list[tuple[Cell, ...]]


class UnreadableFile(ValueError):
    """The file is not a spreadsheet this loader can open; the whole file is rejected."""


# What a file's first bytes say it is, whatever its name says: an .xlsx is a zip archive; an
# OLE2 compound file is a legacy .xls or, holding an `EncryptedPackage` stream, an .xlsx saved
# with a password (Office encrypts the whole package into such a container).
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def read_sheets(path: Path, content: bytes) -> Iterator[Sheet]:
    """The sheets of a file, read as what its bytes are: a `.csv` that is really a workbook
    (saved by Excel under the old name) is read as the workbook it is."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        raise UnreadableFile(f"unsupported file type {suffix!r} (expected .xlsx or .csv)")
    if not content:
        raise UnreadableFile("the file is empty (0 bytes)")
    if content.startswith(_OLE2_MAGIC):
        if _ENCRYPTED_STREAM in content:
            raise UnreadableFile(
                "password-protected workbook: open it, remove the password "
                "(File > Info > Protect Workbook) and save it again"
            )
        raise UnreadableFile("an old binary Excel (.xls) or other Office file: save it as .xlsx")
    if content.startswith(_ZIP_MAGIC):
        yield from _read_workbook(content)
    elif suffix == ".csv":
        yield _read_csv(content)
    else:
        raise UnreadableFile("not an .xlsx workbook (its content is not a zip archive)")


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


def _read_csv(content: bytes) -> Sheet:
    try:
        text = decode(content).text
    except NotText as error:
        raise UnreadableFile(f"not a CSV: the file {error}") from error
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[Cell, ...]] = []
    while True:
        starts = reader.line_num + 1  # a quoted cell may run over many lines
        try:
            row = next(reader)
        except StopIteration:
            return Sheet(None, rows)
        except csv.Error as error:  # a cell past the csv module's field size limit
            raise UnreadableFile(
                f"not a readable CSV: the row starting at line {starts} does not end by line "
                f"{reader.line_num} ({error}; is a quote left open?)"
            ) from error
        rows.append(tuple(row))


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
        try:
            widths = Counter(
                len(row) for row in islice(reader, _SNIFF_ROWS) if len(row) > 1 and any(row)
            )
        except csv.Error:  # the same error stops the read itself, which reports it
            return 0
        return max((width * count for width, count in widths.items()), default=0)

    return max(DELIMITERS, key=score)
