"""`chairside inbox load`: load the inbox once from the command line, without Dagster.

It calls the loader the Dagster asset calls, on the same warehouse and inbox settings, so an
operator can load a dropped file (and see what became of it) with no Dagster instance running.
Imports stay light until the command runs, so `chairside --help` is unaffected.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ingestion.inbox.loader import FileResult


@click.group("inbox")
def inbox_group() -> None:
    """The spreadsheet inbox (CHAIRSIDE_INBOX)."""


@inbox_group.command("load")
@click.option(
    "--settle-seconds",
    type=click.FloatRange(min=0),
    help="Seconds a file must be left unchanged before it is read "
    "[default: CHAIRSIDE_INBOX_SETTLE_SECONDS, else 5].",
)
def load_command(settle_seconds: float | None) -> None:
    """Load every new or changed inbox file into the warehouse and say, per file, what became
    of it. Exits 1 when a file failed unexpectedly (it is tried again next time)."""
    import logging

    from chairside.core.settings import load_settings
    from chairside.core.warehouse import connect
    from ingestion.inbox.loader import STATUSES, load_inbox, summarize

    # What became of each file is printed below; the log adds only unexpected failures' traces.
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    settle = settings.inbox_settle_seconds if settle_seconds is None else settle_seconds
    click.echo(f"Loading {settings.inbox} into {settings.duckdb_path}")
    with connect(settings.duckdb_path) as con:
        results = load_inbox(con, settings.inbox, settle_seconds=settle)
    for result in results:
        click.echo(describe(result))
    totals = summarize(results)
    files = ", ".join(
        f"{totals[f'files_{status}']} {status}" for status in STATUSES if totals[f"files_{status}"]
    )
    click.echo(
        f"{len(results)} files ({files or 'none'}); rows: {totals['rows_read']} read, "
        f"{totals['rows_loaded']} loaded, {totals['rows_quarantined']} quarantined"
    )
    if totals["files_failed"]:
        sys.exit(1)


# Quarantined rows shown per file; all of them are in ops.inbox_quarantine.
SHOWN_QUARANTINED = 20


def describe(result: FileResult) -> str:
    """A line per file: its counts when it loaded, else why not (the message names the file)."""
    if result.status != "loaded":
        message = result.message or ""
        if message.startswith(result.file_name):
            return f"  {message}"
        return f"  {result.file_name}: {result.status}, {message}"
    line = (
        f"  {result.file_name}: loaded (version {result.version}), {result.rows_read} rows "
        f"read, {result.rows_loaded} loaded, {len(result.quarantined)} quarantined"
    )
    if result.extra_columns:
        line += f"; extra columns ignored: {', '.join(result.extra_columns)}"
    if result.message:  # sheets left out
        line += f"\n    {result.message}"
    lines = [line]
    for q in result.quarantined[:SHOWN_QUARANTINED]:
        where = f"sheet {q.sheet!r} " if q.sheet else ""
        lines.append(f"    quarantined: {where}row {q.row_number}, {q.column}: {q.reason}")
    if len(result.quarantined) > SHOWN_QUARANTINED:
        more = len(result.quarantined) - SHOWN_QUARANTINED
        lines.append(f"    ... and {more} more quarantined rows in ops.inbox_quarantine")
    return "\n".join(lines)
