"""A sensor that loads the inbox when a file is dropped or changed, and refreshes what it feeds.

One run request per new content and the names it arrived under, keyed by both: the same bytes
under the same name never start a second run, even after the cursor is lost (Dagster skips a run
key it has seen), while a rejected file renamed to fix it does start one. Content the warehouse
has already loaded under that name starts none: on a first `dagster dev` after `make demo` the
cursor is empty, and every demo sheet would otherwise rebuild the inbox's models for nothing.
While a build holds the warehouse the tick is skipped, cursor unmoved, and the next one looks.

Run keys and tags are built from display names (bytes that are not UTF-8 shown as `\\xNN`),
so an oddly named file cannot make a tick fail and hold up the files beside it.
"""

import hashlib

import dagster as dg

from chairside.core.warehouse import WarehouseUnavailable
from ingestion.inbox.store import loaded_contents
from ingestion.inbox.watch import dump_cursor, load_cursor, look
from orchestration.defs.ingestion.inbox import inbox_tables
from orchestration.defs.resources import InboxResource, WarehouseResource

# The inbox tables and the dbt models built on them (staging to marts); not the other sources'
# loads, which have their own schedule.
inbox_job = dg.define_asset_job(
    "inbox_load",
    selection=dg.AssetSelection.assets(inbox_tables)
    | (dg.AssetSelection.assets(inbox_tables).downstream() & dg.AssetSelection.kind("dbt")),
    description="Load new inbox files and rebuild the dbt models that read them.",
)


@dg.sensor(
    job=inbox_job,
    # A dropped file starts a run at the second look that finds it unchanged, within about a
    # minute; looking more often only costs stats.
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def inbox_sensor(
    context: dg.SensorEvaluationContext, inbox: InboxResource, warehouse: WarehouseResource
) -> dg.SensorResult | dg.SkipReason:
    try:
        loaded = loaded_contents(warehouse.resolved_path)
    except WarehouseUnavailable as error:
        return dg.SkipReason(f"{error} Looking again at the next tick.")
    changes, seen = look(inbox.resolved_path, load_cursor(context.cursor))
    names_by_content: dict[str, list[str]] = {}
    for change in changes:
        if (change.sha256, change.file_name) not in loaded:
            names_by_content.setdefault(change.sha256, []).append(change.file_name)
    run_requests = [
        dg.RunRequest(
            run_key=f"inbox-{sha256}-{_names_digest(names)}",
            tags={"chairside/inbox_files": ", ".join(names)},
        )
        for sha256, names in names_by_content.items()
    ]
    return dg.SensorResult(
        run_requests=run_requests,
        cursor=dump_cursor(seen),
        skip_reason=None if run_requests else f"no new or changed file in {inbox.resolved_path}",
    )


def _names_digest(names: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(names)).encode()).hexdigest()[:16]
