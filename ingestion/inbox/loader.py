"""Load every new file in the inbox into raw DuckDB tables, one transaction per file.

A file's rows, its quarantined rows and its `ops.inbox_files` record commit together, so a crash
mid-run leaves each file either fully loaded or untouched, and the next run picks it up again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingestion.inbox import store
from ingestion.inbox.kinds import (
    KINDS,
    LOAD_ORDER,
    SHOP_REF,
    Kind,
    ParseContext,
    header_key,
    kind_of,
)
from ingestion.inbox.parse import ParsedSheet, Quarantined, find_header, parse_sheet
from ingestion.inbox.reader import SUPPORTED_SUFFIXES, UnreadableFile, read_sheets

log = logging.getLogger(__name__)


@dataclass
class FileResult:
    file_name: str
    file_id: str
    kind: str | None
    version: int
    status: str  # loaded | rejected | skipped (content already loaded)
    message: str | None = None
    rows_loaded: int = 0
    quarantined: list[Quarantined] = field(default_factory=list)
    extra_columns: tuple[str, ...] = ()

    @property
    def rows_read(self) -> int:
        return self.rows_loaded + len(self.quarantined)


class FileRejected(ValueError):
    """The whole file is refused (wrong kind, unreadable, required column missing)."""


def inbox_files(inbox: Path) -> list[Path]:
    """Candidate files in load order: shops first, then the kinds that refer to shops."""
    files = (
        [
            p
            for p in inbox.iterdir()
            if p.is_file()
            and not p.name.startswith((".", "~$"))
            and p.suffix.lower() in SUPPORTED_SUFFIXES
        ]
        if inbox.exists()
        else []
    )

    def order(path: Path) -> tuple[int, str]:
        kind = kind_of(path.name)
        return (LOAD_ORDER.index(kind.name) if kind else len(LOAD_ORDER), path.name)

    return sorted(files, key=order)


def shop_directory(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Every way a file may name a shop (its id or its name) -> shop_id."""
    directory: dict[str, str] = {}
    for shop_id, name in con.execute(
        "select distinct shop_id, name from raw_inbox.shops"
    ).fetchall():
        directory[header_key(shop_id)] = shop_id
        directory[header_key(name)] = shop_id
    return directory


def _default_shop(file_name: str, directory: dict[str, str]) -> str | None:
    """A file without a Shop value belongs to the shop its name mentions, or to the only shop."""
    shop_ids = sorted(set(directory.values()))
    stem = file_name.lower()
    named = [shop_id for shop_id in shop_ids if shop_id in stem]
    if len(named) == 1:
        return named[0]
    return shop_ids[0] if len(shop_ids) == 1 else None


def _resolve_shops(file_name: str, parsed: ParsedSheet, directory: dict[str, str]) -> None:
    fallback = _default_shop(file_name, directory)
    kept = []
    for row in parsed.rows:
        ref = row.get(SHOP_REF[0])
        shop_id = directory.get(header_key(ref)) if ref else fallback
        if shop_id is None:
            reason = (
                f"Shop {ref!r} is not a known shop"
                if ref
                else "Shop is empty and the file name does not name a shop"
            )
            parsed.quarantined.append(
                Quarantined(parsed.sheet, row["row_number"], "Shop", reason, {"Shop": ref})
            )
        else:
            row["shop_id"] = shop_id
            kept.append(row)
    parsed.rows = kept


def parse_file(
    path: Path, content: bytes, kind: Kind, ctx: ParseContext, directory: dict[str, str]
) -> list[ParsedSheet]:
    sheets = list(read_sheets(path, content))
    parsed: list[ParsedSheet] = []
    misses: list[str] = []
    for sheet in sheets:
        header = find_header(kind, sheet)
        if isinstance(header, tuple):
            where = f"sheet {sheet.name!r}" if sheet.name is not None else "the file"
            misses.append(f"{where} lacks required column(s) {', '.join(map(repr, header))}")
            continue
        result = parse_sheet(kind, sheet, header, ctx)
        if any(field == SHOP_REF for column in kind.columns for field in column.fields):
            _resolve_shops(path.name, result, directory)
        parsed.append(result)
    if not parsed:
        raise FileRejected(f"{path.name}: rejected, {'; '.join(misses) or 'no sheets'}")
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
                json.dumps(q.raw, default=str),
                now,
            ],
        )


def load_file(con: duckdb.DuckDBPyConnection, path: Path, ctx: ParseContext) -> FileResult:
    content = path.read_bytes()
    file_id = hashlib.sha256(content).hexdigest()
    seen = con.execute(
        "select file_name from ops.inbox_files where file_id = ?", [file_id]
    ).fetchone()
    if seen:
        return FileResult(
            path.name,
            file_id,
            None,
            0,
            "skipped",
            message=f"same content already loaded as {seen[0]}",
        )
    (previous,) = con.execute(
        "select count(*) from ops.inbox_files where file_name = ?", [path.name]
    ).fetchone()
    kind = kind_of(path.name)
    result = FileResult(path.name, file_id, kind.name if kind else None, previous + 1, "loaded")
    con.begin()
    try:
        try:
            if kind is None:
                raise FileRejected(
                    f"{path.name}: rejected, the file name does not start with a known kind "
                    f"({', '.join(KINDS)})"
                )
            parsed = parse_file(path, content, kind, ctx, shop_directory(con))
        except (FileRejected, UnreadableFile) as error:
            result.status, result.message = "rejected", str(error)
            if isinstance(error, UnreadableFile):
                result.message = f"{path.name}: rejected, {error}"
        else:
            rows = [{"file_id": file_id, **row} for sheet in parsed for row in sheet.rows]
            store.insert_rows(con, kind, rows)
            result.rows_loaded = len(rows)
            result.quarantined = [q for sheet in parsed for q in sheet.quarantined]
            result.extra_columns = tuple(dict.fromkeys(e for s in parsed for e in s.header.extra))
        _record(con, result, len(content), dt.datetime.now(dt.UTC))
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return result


def load_inbox(
    con: duckdb.DuckDBPyConnection, inbox: Path, ctx: ParseContext | None = None
) -> list[FileResult]:
    store.ensure_schema(con)
    results = []
    for path in inbox_files(inbox):
        result = load_file(con, path, ctx or ParseContext())
        level = (
            logging.WARNING if result.status == "rejected" or result.quarantined else logging.INFO
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
        "files_loaded": sum(r.status == "loaded" for r in results),
        "files_rejected": sum(r.status == "rejected" for r in results),
        "files_skipped": sum(r.status == "skipped" for r in results),
        "rows_read": sum(r.rows_read for r in results),
        "rows_loaded": sum(r.rows_loaded for r in results),
        "rows_quarantined": sum(len(r.quarantined) for r in results),
    }
