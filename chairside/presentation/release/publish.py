"""Copy a build's marts into a new release and switch readers to it.

Called only after a build whose blocking checks passed (the Dagster asset `release/marts` sits
downstream of them; `chairside publish` is the same step by hand). The build database is opened
read-only for the length of the copy, so the copy never changes what it copies. Views are
materialised as tables: a view that calls a function registered only on dbt's connection
(`chairside.core.duckdb_udfs`) could not be read anywhere else, and a release must answer on its
own.

The analyst copy goes through `pseudonymise`, then `audit`: a release whose analyst file still
holds a phone number or an email is refused whole, and readers keep the last good one.
"""

from __future__ import annotations

import datetime as dt
import grp
import os
from collections.abc import Sequence
from pathlib import Path

import duckdb

from chairside.core.settings import ReleaseSettings
from chairside.presentation.release import audit, health_tables, pseudonymise, switch
from chairside.presentation.release.manifest import CheckResult, Manifest
from chairside.presentation.release.store import (
    AUDIENCES,
    DATABASE,
    MANIFEST,
    PARQUET,
    Audience,
    ReleaseStore,
    new_release_id,
)

SCHEMA = "marts"


class ContactInClear(RuntimeError):
    """The analyst copy still holds contact data: nothing was published."""


def publish(
    build_database: Path,
    settings: ReleaseSettings,
    *,
    run_id: str,
    as_of: dt.date | None,
    checks: Sequence[CheckResult] = (),
) -> Manifest:
    """Publish the marts of `build_database` as a new release, make it current, and prune the
    releases beyond `settings.keep`. Returns the new release's manifest."""
    store = ReleaseStore(settings.root)
    store.root.mkdir(parents=True, exist_ok=True)
    release_id = new_release_id(dt.datetime.now(dt.UTC), run_id)
    staging = store.staging(release_id)
    switch.prune(store, settings.keep, building=release_id)  # a crashed publish's leftovers

    try:
        manifest = _write(build_database, settings, staging, run_id, as_of, checks, release_id)
    except BaseException:
        if staging.exists():  # a refused or failed release leaves nothing behind
            switch.remove(staging)
        raise
    staging.rename(store.folder(release_id))
    switch.point_to(store, release_id)
    switch.prune(store, settings.keep)
    return manifest


def _write(
    build_database: Path,
    settings: ReleaseSettings,
    staging: Path,
    run_id: str,
    as_of: dt.date | None,
    checks: Sequence[CheckResult],
    release_id: str,
) -> Manifest:
    """Everything of the release under `staging`, sealed read-only; its manifest."""
    published_at = dt.datetime.now(dt.UTC)  # a load time: wall clock
    row_counts: dict[str, dict[str, int]] = {}
    dropped: dict[str, list[str]] = {}
    replaced: dict[str, list[str]] = {}
    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        con.execute(f"attach '{build_database}' as build (read_only)")
        marts = _marts(con)
        if _has_views(con):
            # imported here: it loads dbt's adapter, seconds a build of tables does not need
            from chairside.core import duckdb_udfs

            duckdb_udfs.register(con)
        relations = {f"build.{SCHEMA}.{mart}": columns for mart, columns in marts.items()}
        pseudonymise.build_lookup(con, settings.pseudonym_key, relations)
        for audience in AUDIENCES:
            folder = staging / audience
            (folder / PARQUET).mkdir(parents=True)
            con.execute(f"attach '{folder / DATABASE.format(audience=audience)}' as {audience}")
            con.execute(f"create schema {audience}.{SCHEMA}")
            counts = {}
            for mart, columns in marts.items():
                select, kept = "*", columns
                if audience == "analyst":
                    select, dropped[mart], replaced[mart] = pseudonymise.analyst_select(columns)
                    kept = [column for column in columns if column[0] not in dropped[mart]]
                target = f"{audience}.{SCHEMA}.{mart}"
                con.execute(
                    f"create table {target} as select {_portable(kept)} "
                    f"from (select {select} from build.{SCHEMA}.{mart})"
                )
                con.execute(
                    f"copy {target} to '{folder / PARQUET / mart}.parquet' (format parquet)"
                )
                counts[mart] = con.execute(f"select count(*) from {target}").fetchone()[0]
            row_counts[audience] = counts
            if audience == "owner":
                health_tables.copy_into(con, "build", audience)
            else:
                _refuse_contacts(con, audience)
            con.execute(f"detach {audience}")

    manifest = Manifest(
        release_id=release_id,
        run_id=run_id,
        as_of=as_of.isoformat() if as_of else None,
        published_at=published_at.isoformat(),
        build_database=str(build_database),
        checks=list(checks),
        row_counts=row_counts,
        analyst_dropped={mart: cols for mart, cols in dropped.items() if cols},
        analyst_pseudonymised={mart: cols for mart, cols in replaced.items() if cols},
    )
    manifest.write(staging / MANIFEST)
    _seal(staging, settings)
    return manifest


def _marts(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """Every table and view of the build's marts schema -> its (column, type) in order."""
    rows = con.execute(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_catalog = 'build' and table_schema = ? order by table_name, ordinal_position",
        [SCHEMA],
    ).fetchall()
    marts: dict[str, list[tuple[str, str]]] = {}
    for table, column, type_ in rows:
        marts.setdefault(table, []).append((column, type_))
    if not marts:
        raise RuntimeError(f"{SCHEMA} in the build has no tables: nothing to publish")
    return marts


# Parquet has no 128-bit integer: DuckDB would write a HUGEINT (what sum() of integers gives) as
# DOUBLE, and an export would change the column's type. Sums of minutes and counts fit 64 bits;
# one that does not fails the cast, and the publish, rather than lose digits.
_NARROWED = {"HUGEINT": "BIGINT", "UHUGEINT": "UBIGINT"}


def _portable(columns: list[tuple[str, str]]) -> str:
    """The select list that gives every column a type Parquet carries as it is."""
    return ", ".join(
        f'cast("{name}" as {_NARROWED[type_]}) as "{name}"' if type_ in _NARROWED else f'"{name}"'
        for name, type_ in columns
    )


def _has_views(con: duckdb.DuckDBPyConnection) -> bool:
    (count,) = con.execute(
        "select count(*) from information_schema.tables where table_catalog = 'build' "
        "and table_schema = ? and table_type = 'VIEW'",
        [SCHEMA],
    ).fetchall()[0]
    return bool(count)


def _refuse_contacts(con: duckdb.DuckDBPyConnection, audience: Audience) -> None:
    findings = audit.find_contacts(con, audience)
    if findings:
        listed = "; ".join(
            f"{f.table}.{f.column}: {f.rows} rows with an {f.kind} (e.g. {f.example!r})"
            for f in findings
        )
        raise ContactInClear(
            f"The {audience} release would hold contact data in clear, so nothing was published "
            f"(add the columns to chairside/presentation/release/pseudonymise.py): {listed}"
        )


def _seal(staging: Path, settings: ReleaseSettings) -> None:
    """Make the release read-only. With a group set for an audience, its folder and files
    belong to that group and nobody else may read them (docs/deployment.md)."""
    groups: dict[Audience, str | None] = {
        "owner": settings.owner_group,
        "analyst": settings.analyst_group,
    }
    for audience in AUDIENCES:
        group = groups[audience]
        gid = grp.getgrnam(group).gr_gid if group else -1
        dir_mode, file_mode = (0o550, 0o440) if group else (0o555, 0o444)
        folder = staging / audience
        for parent, folders, files in os.walk(folder, topdown=False):
            for name in files:
                os.chown(Path(parent, name), -1, gid)
                Path(parent, name).chmod(file_mode)
            for name in folders:
                os.chown(Path(parent, name), -1, gid)
                Path(parent, name).chmod(dir_mode)
        os.chown(folder, -1, gid)
        folder.chmod(dir_mode)
    (staging / MANIFEST).chmod(0o444)
