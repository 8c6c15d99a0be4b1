"""Opening the DuckDB warehouse the same way everywhere.

DuckDB allows one writing process or many reading ones per file. Writers go through `connect`;
readers (apps, reports) use `read_frame`, which holds a read-only connection only for the length
of one query and retries while a writer holds the file. Readers point it at a published release
(`chairside.presentation.release.readers.CurrentRelease`), a file no build ever writes, named anew
on each
attempt, so a dashboard keeps answering while the pipeline builds.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd


class WarehouseUnavailable(RuntimeError):
    """The warehouse cannot be read now; the message is fit to show to a user."""


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Everything in the block commits together, or nothing does.

    When the block (or the commit) fails, the rollback can fail too: after a full disk DuckDB
    invalidates the database and a rollback only says so. The error raised is then still the
    one that happened ("No space left on device"), with the rollback's failure as a note, never
    the other way round."""
    con.begin()
    try:
        yield con
        con.commit()
    except BaseException as error:
        try:
            con.rollback()
        except duckdb.Error as failed:
            error.add_note(f"The rollback after it failed as well: {failed}")
        raise


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), read_only=read_only)


def read_frame(
    path: os.PathLike[str],
    sql: str,
    params: Sequence[object] | None = None,
    *,
    attempts: int = 20,
    wait_seconds: float = 0.25,
) -> pd.DataFrame:
    for attempt in range(attempts):
        named = os.fspath(path)  # a release reader names the current release anew
        if not Path(named).exists():
            if os.fspath(path) != named and attempt < attempts - 1:
                continue  # pruned between naming and opening: a newer release is current
            raise WarehouseUnavailable(
                f"No warehouse at {named}. Run `make demo` (or the pipeline) to build it."
            )
        try:
            with duckdb.connect(named, read_only=True) as con:
                return con.execute(sql, list(params or [])).df()
        except duckdb.IOException as error:
            if not Path(named).exists() and os.fspath(path) != named:
                continue  # pruned while it was being opened: a newer release is current
            if not _locked(error):
                raise WarehouseUnavailable(
                    f"The warehouse at {named} cannot be read: it is damaged (cut short, or "
                    f"not a DuckDB database). Rebuild it (`make demo` or `chairside run`) or "
                    f"restore it from a backup. DuckDB said: {error}"
                ) from error
            if attempt == attempts - 1:
                raise WarehouseUnavailable(
                    f"The warehouse at {named} is busy being rebuilt; try again in a moment."
                ) from error
            time.sleep(wait_seconds)
        except duckdb.CatalogException as error:
            raise WarehouseUnavailable(
                f"The warehouse at {named} does not have this table yet: {error}"
            ) from error
    raise AssertionError("unreachable")


def _locked(error: duckdb.IOException) -> bool:
    """A writer holds the file: worth waiting for, unlike a file DuckDB cannot read at all."""
    return "Could not set lock" in str(error) or "Conflicting lock" in str(error)
