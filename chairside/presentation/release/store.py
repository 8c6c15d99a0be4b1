"""Where releases live on disk and which one readers see.

    <root>/current                      the id of the release readers see (one line)
    <root>/<id>/manifest.json           what the release holds (see `manifest`)
    <root>/<id>/<audience>/<audience>.duckdb  read-only DuckDB file, every mart in schema marts
    <root>/<id>/<audience>/parquet/     one Parquet file per mart

Ids sort in publishing order (UTC time, then the run id), so "the one before" needs no index.
A release is built under a dot-named staging folder and renamed into place whole, so a folder
with a release id is always complete.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from chairside.core.warehouse import WarehouseUnavailable

Audience = Literal["owner", "analyst"]
AUDIENCES: tuple[Audience, ...] = ("owner", "analyst")

POINTER = "current"
# a DuckDB file's name is its catalog's: never "marts", which would shadow the schema
DATABASE = "{audience}.duckdb"
PARQUET = "parquet"
MANIFEST = "manifest.json"
STAGING_PREFIX = ".staging-"


class NoRelease(WarehouseUnavailable):
    """Nothing has been published yet, or the release asked for is not kept. An app shows the
    message as it shows any unreadable warehouse."""


def new_release_id(published_at: dt.datetime, run_id: str) -> str:
    return f"{published_at.astimezone(dt.UTC):%Y%m%dT%H%M%S%fZ}-{run_id[:8]}"


@dataclass(frozen=True)
class ReleaseStore:
    root: Path

    def folder(self, release_id: str) -> Path:
        return self.root / release_id

    def database(self, release_id: str, audience: Audience) -> Path:
        return self.folder(release_id) / audience / DATABASE.format(audience=audience)

    def parquet_folder(self, release_id: str, audience: Audience) -> Path:
        return self.folder(release_id) / audience / PARQUET

    def manifest_path(self, release_id: str) -> Path:
        return self.folder(release_id) / MANIFEST

    def staging(self, release_id: str) -> Path:
        return self.root / f"{STAGING_PREFIX}{release_id}"

    @property
    def pointer(self) -> Path:
        return self.root / POINTER

    def releases(self) -> list[str]:
        """Every complete release kept, oldest first."""
        if not self.root.is_dir():
            return []
        return sorted(
            entry.name
            for entry in self.root.iterdir()
            if entry.is_dir() and not entry.name.startswith(".") and (entry / MANIFEST).exists()
        )

    def current_id(self) -> str | None:
        """The release readers see, or None before the first publish."""
        try:
            release_id = self.pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return release_id or None

    def resolve(self, release_id: str | None = None) -> str:
        """`release_id` when it is kept, else the current one; NoRelease says why not."""
        if release_id is None:
            current = self.current_id()
            if current is None:
                raise NoRelease(
                    f"No release published under {self.root} yet: run the pipeline "
                    "(`make demo`, `chairside run`) or `chairside publish` after a build."
                )
            return current
        if not self.manifest_path(release_id).exists():
            kept = ", ".join(self.releases()) or "none"
            raise NoRelease(f"Release {release_id} is not kept under {self.root} (kept: {kept}).")
        return release_id
