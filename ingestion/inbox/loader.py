"""Load every new file in the inbox into raw DuckDB tables, one transaction per file.

A file's rows, its quarantined rows and its `ops.inbox_files` record commit together, so a crash
mid-run leaves each file either fully loaded or untouched, and the next run picks it up again.
Nothing a file holds (its name, its bytes, its cells) can stop the run: whatever it is, the file
ends in one of the statuses below, with a message naming it, and the other files load.

What becomes of a file (`FileResult.status`):
- `loaded`: its good rows are in the raw table, its bad rows in quarantine, both counted;
- `rejected`: refused whole (unknown kind, empty, not a spreadsheet, password-protected, a
  required column missing), recorded with the reason. Only content that loaded counts as seen,
  so the same bytes renamed, or dropped again once the loader reads them, are tried again; the
  same rejection of the same file is recorded once;
- `skipped`: the same content was loaded before, under this name or another;
- `unsettled`: still being written (it changed within the settle time, or while it was read);
  not read, not recorded, tried next run;
- `deferred`: it names shops and no shops file has loaded yet; not recorded, tried next run;
- `failed`: an unexpected error; rolled back, not recorded, tried next run, logged in full.
  One such file does not hold up the others.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from chairside.core.settings import load_settings
from chairside.core.warehouse import transaction
from ingestion.inbox import store
from ingestion.inbox.files import content_id, display_name, inbox_files
from ingestion.inbox.kinds import KINDS, Kind, ParseContext, kind_of
from ingestion.inbox.parse import ParsedSheet, Quarantined, find_header, parse_sheet, raw_json
from ingestion.inbox.reader import UnreadableFile, read_sheets
from ingestion.inbox.settle import Snapshot, unchanged_since, wait_until_settled
from ingestion.inbox.shops import ShopDirectory, resolve_shops, shop_directory

log = logging.getLogger(__name__)

STATUSES = ("loaded", "rejected", "skipped", "unsettled", "deferred", "failed")


@dataclass
class FileResult:
    file_name: str
    file_id: str | None  # None when the file could not even be read
    kind: str | None
    version: int
    status: str  # one of STATUSES
    message: str | None = None
    rows_read: int = 0  # non-blank data rows met under the header of every qualifying sheet
    rows_loaded: int = 0
    quarantined: list[Quarantined] = field(default_factory=list)
    extra_columns: tuple[str, ...] = ()


class FileRejected(ValueError):
    """The whole file is refused (wrong kind, unreadable, required column missing)."""


@dataclass
class ParsedFile:
    sheets: list[ParsedSheet]
    skipped_sheets: list[str]  # why each sheet without the required headers was left out


def parse_file(
    path: Path, content: bytes, kind: Kind, ctx: ParseContext, directory: ShopDirectory
) -> ParsedFile:
    """Every sheet that has the kind's required headers, parsed; the file is rejected when
    none has them, naming for each sheet the columns it lacks."""
    name = display_name(path)
    parsed = ParsedFile([], [])
    for sheet in read_sheets(path, content):
        header = find_header(kind, sheet)
        if isinstance(header, tuple):
            where = f"sheet {sheet.name!r}" if sheet.name is not None else "the file"
            missing = ", ".join(map(repr, header))
            parsed.skipped_sheets.append(f"{where} lacks required column(s) {missing}")
            continue
        result = parse_sheet(kind, sheet, header, ctx)
        if kind.names_shops:
            resolve_shops(kind, name, result, directory)
        parsed.sheets.append(result)
    if not parsed.sheets:
        raise FileRejected(f"{name}: rejected, {'; '.join(parsed.skipped_sheets) or 'no sheets'}")
    return parsed


def _record(
    con: duckdb.DuckDBPyConnection, result: FileResult, size: int, now: dt.datetime
) -> None:
    con.execute(
        "insert into ops.inbox_files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            result.file_id,
            result.file_name,
            result.kind,
            result.version,
            size,
            result.status,
            result.message,
            result.rows_read,
            result.rows_loaded,
            len(result.quarantined),
            list(result.extra_columns),
            now,
        ],
    )
    for q in result.quarantined:
        con.execute(
            "insert into ops.inbox_quarantine values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                result.file_id,
                result.file_name,
                q.sheet,
                q.row_number,
                q.column,
                q.reason,
                raw_json(q.raw),
                now,
            ],
        )


def _fill(
    con: duckdb.DuckDBPyConnection, result: FileResult, kind: Kind, parsed: ParsedFile
) -> None:
    """Insert the parsed rows and count them; counts that do not reconcile fail the file."""
    rows = [{"file_id": result.file_id, **row} for sheet in parsed.sheets for row in sheet.rows]
    store.insert_rows(con, kind, rows)
    result.rows_read = sum(sheet.rows_read for sheet in parsed.sheets)
    result.rows_loaded = len(rows)
    result.quarantined = [q for sheet in parsed.sheets for q in sheet.quarantined]
    result.extra_columns = tuple(
        dict.fromkeys(extra for sheet in parsed.sheets for extra in sheet.header.extra)
    )
    if parsed.skipped_sheets:
        result.message = f"{result.file_name}: {'; '.join(parsed.skipped_sheets)}, not loaded"
    if result.rows_read != result.rows_loaded + len(result.quarantined):
        raise RuntimeError(
            f"{result.file_name}: {result.rows_read} rows read but {result.rows_loaded} loaded "
            f"and {len(result.quarantined)} quarantined"
        )


def _unsettled(name: str, kind: Kind | None, settle_seconds: float) -> FileResult:
    return FileResult(
        name,
        None,
        kind.name if kind else None,
        0,
        "unsettled",
        message=f"{name}: still being written (it changed within {settle_seconds:g} s), "
        "left for the next run",
    )


def _rejected_before(con: duckdb.DuckDBPyConnection, result: FileResult) -> int | None:
    """The version under which the same bytes under the same name were rejected for the same
    reason, if they were: a rejection is recorded once, however often the file is looked at."""
    found = con.execute(
        "select max(version) from ops.inbox_files where file_id = ? and file_name = ? "
        "and status = 'rejected' and message is not distinct from ?",
        [result.file_id, result.file_name, result.message],
    ).fetchone()
    return found[0] if found else None


def load_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    ctx: ParseContext,
    settled: Snapshot,
    settle_seconds: float,
) -> FileResult:
    """Load one file that settled as `settled`; it is left alone if it changed since."""
    name = display_name(path)
    kind = kind_of(name)
    content = path.read_bytes()
    if not unchanged_since(path, settled, content):
        return _unsettled(name, kind, settle_seconds)
    file_id = content_id(content)
    loaded = con.execute(
        "select file_name from ops.inbox_files where file_id = ? and status = 'loaded' "
        "order by loaded_at limit 1",
        [file_id],
    ).fetchone()
    if loaded:
        message = f"same content already loaded as {loaded[0]}"
        return FileResult(name, file_id, None, 0, "skipped", message=message)
    (previous,) = con.execute(
        "select coalesce(max(version), 0) from ops.inbox_files where file_name = ?", [name]
    ).fetchone()
    result = FileResult(name, file_id, kind.name if kind else None, previous + 1, "loaded")
    directory = shop_directory(con)
    parsed = None
    try:
        if kind is None:
            raise FileRejected(
                f"{name}: rejected, the file name does not start with a known kind "
                f"({', '.join(KINDS)})"
            )
        parsed = parse_file(path, content, kind, ctx, directory)
    except FileRejected as error:
        result.status, result.message = "rejected", str(error)
    except UnreadableFile as error:
        result.status, result.message = "rejected", f"{name}: rejected, {error}"
    if result.status == "rejected" and (version := _rejected_before(con, result)) is not None:
        result.version = version
        return result
    if kind is not None and parsed is not None and kind.names_shops and not directory:
        result.status = "deferred"
        result.message = f"{name}: waits for a shops file, no shop is known yet"
        return result
    with transaction(con):
        if kind is not None and parsed is not None:
            _fill(con, result, kind, parsed)
        _record(con, result, len(content), dt.datetime.now(dt.UTC))
    return result


def load_inbox(
    con: duckdb.DuckDBPyConnection,
    inbox: Path,
    ctx: ParseContext | None = None,
    *,
    settle_seconds: float | None = None,
) -> list[FileResult]:
    """Load every settled file in the inbox. `settle_seconds` defaults to the setting
    (CHAIRSIDE_INBOX_SETTLE_SECONDS): every file is watched that long first, all at once."""
    if settle_seconds is None:
        settle_seconds = load_settings().inbox_settle_seconds
    store.ensure_schema(con)
    paths = inbox_files(inbox)
    settled = wait_until_settled(paths, settle_seconds)
    results = []
    for path in paths:
        name = display_name(path)
        kind = kind_of(name)
        if path in settled.writing:
            result = _unsettled(name, kind, settle_seconds)
        elif path not in settled.files:
            continue  # removed since the listing
        else:
            try:
                result = load_file(
                    con, path, ctx or ParseContext(), settled.files[path], settle_seconds
                )
            except FileNotFoundError:
                continue  # removed between the listing and the read
            except Exception as error:  # one file's bug or I/O error must not hold up the others
                log.exception("%s: failed, left for the next run", name)
                result = FileResult(
                    name,
                    None,
                    kind.name if kind else None,
                    0,
                    "failed",
                    message=f"{name}: failed, {type(error).__name__}: {error}",
                )
        level = (
            logging.INFO
            if result.status in ("loaded", "skipped") and not result.quarantined
            else logging.WARNING
        )
        log.log(
            level,
            "%s: %s (%d loaded, %d quarantined)%s",
            result.file_name,
            result.status,
            result.rows_loaded,
            len(result.quarantined),
            f" {result.message}" if result.message else "",
        )
        results.append(result)
    return results


def summarize(results: Iterable[FileResult]) -> dict[str, int]:
    results = list(results)
    return {
        **{f"files_{status}": sum(r.status == status for r in results) for status in STATUSES},
        "rows_read": sum(r.rows_read for r in results),
        "rows_loaded": sum(r.rows_loaded for r in results),
        "rows_quarantined": sum(len(r.quarantined) for r in results),
    }
