"""A release's marts as files a shop can take to any tool.

Parquet keeps every type (decimals with their scale, dates, timestamps) and is the release's own
file, copied byte for byte. CSV is for spreadsheets, so every text cell goes through
`safe_csv`: a client's name typed as `=HYPERLINK(...)` stays text. The release's manifest goes
beside the files, so an export always says which build it came from.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb

from chairside.presentation.analytics.safe_csv import to_csv
from chairside.presentation.release.store import MANIFEST, Audience, ReleaseStore

Format = Literal["parquet", "csv"]
FORMATS: tuple[Format, ...] = ("parquet", "csv")


@dataclass(frozen=True)
class Exported:
    mart: str
    path: Path
    rows: int


def export(
    store: ReleaseStore,
    audience: Audience,
    format_: Format,
    to: Path,
    release_id: str | None = None,
) -> tuple[str, list[Exported]]:
    """Write every mart of the release (default: the one readers see) for `audience` into `to`;
    returns the release id and the files written."""
    release_id = store.resolve(release_id)
    to.mkdir(parents=True, exist_ok=True)
    written = []
    with duckdb.connect(str(store.database(release_id, audience)), read_only=True) as con:
        marts = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by table_name"
            ).fetchall()
        ]
        for mart in marts:
            target = to / f"{mart}.{format_}"
            if format_ == "parquet":
                shutil.copyfile(
                    store.parquet_folder(release_id, audience) / f"{mart}.parquet", target
                )
                rows = con.execute(f'select count(*) from marts."{mart}"').fetchone()[0]
            else:
                frame = con.execute(f'select {_flat(con, mart)} from marts."{mart}"').df()
                target.write_bytes(to_csv(frame))
                rows = len(frame)
            written.append(Exported(mart, target, rows))
    shutil.copyfile(store.manifest_path(release_id), to / MANIFEST)
    return release_id, written


def _flat(con: duckdb.DuckDBPyConnection, mart: str) -> str:
    """A select list with nested columns (lists, structs, maps) as DuckDB writes them as text
    (`[water-st, queen-west]`): a CSV cell holds text, and pandas would write numpy's repr."""
    columns = con.execute(f'describe marts."{mart}"').fetchall()
    return ", ".join(
        f'cast("{name}" as varchar) as "{name}"'
        if type_.endswith("]") or type_.startswith(("STRUCT", "MAP", "UNION"))
        else f'"{name}"'
        for name, type_, *_ in columns
    )
