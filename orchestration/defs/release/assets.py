"""The published release as a Dagster asset, downstream of every mart.

Dagster runs it only when every mart the run built, and every blocking check on them, succeeded:
a failed blocking check (a dbt test fails the dbt step; a critical expectation fails its check)
skips it, so a failing build publishes nothing and readers keep the last good release. In
`warehouse_build` it follows the dbt marts; in `chairside_pipeline` it also waits for the
forecasts and client scores, so the owner snapshots that follow read this run's numbers.
"""

import datetime as dt

import dagster as dg

from chairside.presentation.release.publish import publish
from chairside.presentation.release.status import release_status
from orchestration.defs.dbt.assets import chairside_dbt_assets
from orchestration.defs.ml import ML_ASSETS
from orchestration.defs.release.checks_of_run import check_results
from orchestration.defs.resources import ClockResource, ReleasesResource, WarehouseResource

RELEASE_KEY = dg.AssetKey(["release", "marts"])
MARTS = sorted(
    [key for key in chairside_dbt_assets.keys if key.path[0] == "marts"]
    + [asset.key for asset in ML_ASSETS],
    key=lambda key: key.to_user_string(),
)


@dg.asset(
    key=RELEASE_KEY,
    group_name="release",
    deps=MARTS,
    kinds={"duckdb", "parquet"},
    description="An immutable, read-only copy of the marts for each audience (owner with "
    "contacts, analyst with keyed pseudonyms) that every app, snapshot and export reads. "
    "Made only after the run's blocking checks passed; readers switch to it atomically.",
)
def published_release(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    releases: ReleasesResource,
    clock: ClockResource,
) -> dg.MaterializeResult:
    if _unaudited_marts(context, releases):
        raise dg.Failure(
            "Not published: the build database holds marts of a build that failed its checks "
            "(Data health names it) and this run did not rebuild them; the next build that "
            "passes publishes.",
            allow_retries=False,
        )
    manifest = publish(
        warehouse.resolved_path,
        releases.settings,
        run_id=context.run.run_id,
        as_of=clock.clock.as_of,
        checks=check_results(context.instance, context.run.run_id),
    )
    context.log.info(f"published release {manifest.release_id}; readers see it now")
    return dg.MaterializeResult(
        metadata={
            "release_id": manifest.release_id,
            "path": dg.MetadataValue.path(str(releases.store.folder(manifest.release_id))),
            "row_counts": dg.MetadataValue.json(manifest.row_counts),
            "checks_passed": sum(check.passed for check in manifest.checks),
            "checks_failed": len(manifest.failed_checks),
        }
    )


def _unaudited_marts(context: dg.AssetExecutionContext, releases: ReleasesResource) -> bool:
    """A build refused after the current release left its marts in the build database. This run
    publishes only if it rebuilt, and checked, every dbt mart such a build may have written:
    a run that only refits the ML marts (`ml_weekly`) publishes none, an `event_refresh` (which
    rebuilds the marts events reach) none left by a refused whole build. A mart this run did not
    build counts as written since the release unless its last materialization (or the lack of
    one) says otherwise, so an instance without that history refuses rather than guesses."""
    status = release_status(releases.store)
    if not status.refused_since:
        return False
    built = {
        record.asset_key
        for record in context.instance.get_records_for_run(
            context.run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
        ).records
    }
    dbt_marts = set(MARTS) - {asset.key for asset in ML_ASSETS}
    if not built & dbt_marts:
        return True
    published = (
        dt.datetime.fromisoformat(status.current.published_at).timestamp()
        if status.current
        else float("-inf")
    )
    for key in dbt_marts - built:
        last = context.instance.get_latest_materialization_event(key)
        if last is None or last.timestamp > published:
            context.log.warning(f"{key.to_user_string()} was written since the release")
            return True
    return False
