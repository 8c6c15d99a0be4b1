"""Turn a sheet of raw cells into typed rows and quarantined rows for one kind.

A sheet qualifies when some row near the top holds every required header (title rows and merged
banners above the header are common). Each data row either parses whole or is quarantined with
its row number, the columns at fault and why; blank rows and repeated header rows are not data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from chairside.contracts import cells
from ingestion.inbox.kinds import Column, Kind, ParseContext, header_key
from ingestion.inbox.reader import Sheet

HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class Header:
    row_number: int
    positions: dict[str, int]  # column key -> 0-based cell index
    extra: tuple[str, ...]  # headers the contract does not know, as written
    cells: tuple[cells.Cell, ...] = ()  # the header row as read, to name every raw cell by


# A quarantined cell is kept whole up to this length; a longer one (a CSV quote left open
# swallows the lines after it) is cut, saying how long it was.
RAW_CELL_CHARS = 1000


@dataclass(frozen=True)
class Quarantined:
    """`raw` is the whole row as read, every non-blank cell under its header as written, so the
    row can be fixed from the quarantine alone, whichever column was at fault."""

    sheet: str | None
    row_number: int
    column: str
    reason: str
    raw: dict[str, str | None]


def _display(value: cells.Cell) -> str | None:
    if cells.is_blank(value):
        return None
    shown = str(value)
    if len(shown) > RAW_CELL_CHARS:
        return f"{shown[:RAW_CELL_CHARS]}… [{len(shown)} characters in all]"
    return shown


def raw_row(header: Header, row: tuple[cells.Cell, ...]) -> dict[str, str | None]:
    """Header (as written) -> cell (as read) for every cell of the row; a cell under a blank
    header is named by its column letter, a header written twice by its letter too."""
    raw: dict[str, str | None] = {}
    for position in range(max(len(header.cells), len(row))):
        title = header.cells[position] if position < len(header.cells) else None
        value = row[position] if position < len(row) else None
        if cells.is_blank(title) and cells.is_blank(value):
            continue
        letter = get_column_letter(position + 1)
        name = cells.text(title) or f"column {letter}"
        if name in raw:
            name = f"{name} (column {letter})"
        raw[name] = _display(value)
    return raw


def raw_json(raw: dict[str, str | None]) -> str:
    return json.dumps(raw, ensure_ascii=False)


@dataclass
class ParsedSheet:
    """`rows_read` counts the non-blank rows under the header as they are met, apart from
    where each row ends up, so `rows_read == len(rows) + len(quarantined)` is a check."""

    sheet: str | None
    header: Header
    source: list[tuple[cells.Cell, ...]]  # the sheet's rows as read; `source[n - 1]` is row n
    rows: list[dict[str, Any]] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    rows_read: int = 0

    def quarantine(self, row_number: int, column: str, reason: str) -> None:
        raw = raw_row(self.header, self.source[row_number - 1])
        self.quarantined.append(Quarantined(self.sheet, row_number, column, reason, raw))


def find_header(kind: Kind, sheet: Sheet) -> Header | tuple[str, ...]:
    """The header row, or the required headers missing from the best candidate row."""
    known = {column.key: column for column in kind.columns}
    best_missing: tuple[str, ...] = tuple(c.header for c in kind.required)
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        keys = [header_key(cell) for cell in row]
        missing = tuple(c.header for c in kind.required if c.key not in keys)
        if not missing:
            positions: dict[str, int] = {}
            extra: list[str] = []
            for position, key in enumerate(keys):
                if key in known and key not in positions:
                    positions[key] = position
                elif (written := cells.text(row[position])) is not None:
                    extra.append(written)
            return Header(index + 1, positions, tuple(extra), tuple(row))
        if len(missing) < len(best_missing):
            best_missing = missing
    return best_missing


def _column_context(
    column: Column, header: Header, data: list[tuple[cells.Cell, ...]], base: ParseContext
) -> ParseContext:
    if not column.dates:
        return base
    position = header.positions.get(column.key)
    values = [row[position] for row in data if position is not None and position < len(row)]
    order = cells.infer_date_order(values, base.date_order)
    return ParseContext(date_order=order, phone_region=base.phone_region)


def _repeats_header(kind: Kind, header: Header, row: tuple[cells.Cell, ...]) -> bool:
    """A row naming the required columns again, as concatenated exports and printouts with
    a header on every page have, is layout, not data."""
    positions = [header.positions[c.key] for c in kind.required]
    return all(
        p < len(row) and header_key(row[p]) == c.key
        for p, c in zip(positions, kind.required, strict=True)
    )


def parse_sheet(kind: Kind, sheet: Sheet, header: Header, base: ParseContext) -> ParsedSheet:
    data = sheet.rows[header.row_number :]
    contexts = {c.key: _column_context(c, header, data, base) for c in kind.columns}
    parsed = ParsedSheet(sheet.name, header, sheet.rows)
    for offset, row in enumerate(data):
        row_number = header.row_number + 1 + offset
        if all(cells.is_blank(cell) for cell in row) or _repeats_header(kind, header, row):
            continue
        parsed.rows_read += 1
        values: dict[str, Any] = {}
        problems: list[tuple[str, str]] = []
        for column in kind.columns:
            position = header.positions.get(column.key)
            cell = row[position] if position is not None and position < len(row) else None
            if cells.is_blank(cell):
                if column.required:
                    problems.append((column.header, "is empty"))
                values.update({name: None for name, _ in column.fields})
                continue
            try:
                result = column.parse(cell, contexts[column.key])
            except cells.CellError as error:
                problems.append((column.header, str(error)))
                continue
            values.update(
                {name: value for (name, _), value in zip(column.fields, result, strict=True)}
            )
        if problems:
            parsed.quarantine(
                row_number,
                ", ".join(name for name, _ in problems),
                "; ".join(f"{name} {reason}" for name, reason in problems),
            )
        else:
            values["row_number"] = row_number
            values["sheet"] = sheet.name
            parsed.rows.append(values)
    return parsed
