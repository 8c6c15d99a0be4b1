"""`chairside publish` and `chairside export`: the releases by hand.

Releases are made by the pipeline after its blocking checks pass (the Dagster asset
`release/marts`), so there is no command that publishes a build unchecked. By hand an operator
lists what is kept, goes back one release, or takes a release's marts away as files.
"""

from __future__ import annotations

from pathlib import Path

import click

from chairside.core.settings import load_settings
from chairside.presentation.release import refusal, switch
from chairside.presentation.release.export import FORMATS, export
from chairside.presentation.release.manifest import Manifest
from chairside.presentation.release.store import AUDIENCES, NoRelease, ReleaseStore


@click.command("publish")
@click.option(
    "--rollback", is_flag=True, help="Point every reader at the release before the current one."
)
def publish_command(rollback: bool) -> None:
    """List the kept releases and the one readers see; with --rollback, go back one."""
    store = ReleaseStore(load_settings().releases.root)
    try:
        if rollback:
            before = store.resolve()
            now = switch.rollback(store)
            click.echo(f"Readers now see release {now} (was {before}).")
            return
        current = store.resolve()
    except NoRelease as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Releases under {store.root} (oldest first; * = what readers see):")
    for release_id in store.releases():
        manifest = Manifest.read(store.manifest_path(release_id))
        marker = "*" if release_id == current else " "
        failed = len(manifest.failed_checks)
        click.echo(
            f" {marker} {release_id}  run {manifest.run_id}  as of {manifest.as_of or 'today'}  "
            f"checks {len(manifest.checks) - failed} passed, {failed} failed"
        )
    refused = refusal.last(store)
    if refused is not None:
        names = ", ".join(check.name for check in refused.failed_checks) or "see the run"
        click.echo(f"Last build that published nothing: run {refused.run_id} ({names}).")


@click.command("export")
@click.option("--audience", type=click.Choice(AUDIENCES), required=True)
@click.option("--format", "format_", type=click.Choice(FORMATS), required=True)
@click.option(
    "--to", "to", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder."
)
@click.option("--release", "release_id", help="A kept release's id [default: what readers see].")
def export_command(audience: str, format_: str, to: Path, release_id: str | None) -> None:
    """Write every mart of a release, one file each, into a folder, with the release's
    manifest. CSV cells that a spreadsheet would run as a formula are neutralised."""
    store = ReleaseStore(load_settings().releases.root)
    try:
        exported_from, files = export(store, audience, format_, to, release_id)  # type: ignore[arg-type]
    except NoRelease as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Release {exported_from}, {audience} audience, {format_}:")
    for file in files:
        click.echo(f"  {file.rows:>8} rows  {file.path}")
