"""Resources shared by every domain.

Paths default to None and are resolved from `chairside.core.settings` when a run uses them, so the
embedded defaults and the CHAIRSIDE_* variables apply without any environment read at import.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import dagster as dg
import duckdb

from chairside.core import warehouse
from chairside.core.clock import Clock, parse_as_of
from chairside.core.settings import ReleaseSettings, load_settings
from chairside.presentation.release.store import ReleaseStore


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse; `path` overrides CHAIRSIDE_DUCKDB_PATH (tests, one-off runs)."""

    path: str | None = None

    @property
    def resolved_path(self) -> Path:
        return Path(self.path).resolve() if self.path else load_settings().duckdb_path.resolve()

    def connect(self, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        return warehouse.connect(self.resolved_path, read_only=read_only)


class ReleasesResource(dg.ConfigurableResource):
    """Published releases (`chairside.presentation.release`); `root` overrides
    CHAIRSIDE_RELEASES_DIR."""

    root: str | None = None

    @property
    def settings(self) -> ReleaseSettings:
        settings = load_settings().releases
        return dataclasses.replace(settings, root=Path(self.root) if self.root else settings.root)

    @property
    def store(self) -> ReleaseStore:
        return ReleaseStore(self.settings.root.resolve())


class InboxResource(dg.ConfigurableResource):
    """The spreadsheet inbox folder; `path` overrides CHAIRSIDE_INBOX."""

    path: str | None = None
    phone_region: str = "CA"
    default_date_order: str = "DMY"

    @property
    def resolved_path(self) -> Path:
        return Path(self.path).resolve() if self.path else load_settings().inbox.resolve()


class ClockResource(dg.ConfigurableResource):
    """The one clock every asset, check and schedule of a run reads "today" from.

    A run pins it with run config (`resources: {clock: {config: {as_of: YYYY-MM-DD}}}`), which
    `chairside run --as-of` and the snapshot schedule do; otherwise CHAIRSIDE_AS_OF pins it, and
    unset, each shop's own date is today.
    """

    as_of: str | None = None

    @property
    def clock(self) -> Clock:
        pinned = parse_as_of(self.as_of, source="the clock resource's as_of")
        return Clock(pinned) if pinned else load_settings().clock
