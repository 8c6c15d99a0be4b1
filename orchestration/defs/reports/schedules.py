"""The owner snapshot job and the schedule that starts it at each shop's Monday 06:00.

One run per due shop, keyed by shop and week, so a tick evaluated twice (a daemon restart)
starts nothing twice. The run's clock is pinned to the tick's date in the shop, so a run that
starts late still reports the week that had just ended when it was due.
"""

import dagster as dg

from chairside.core.warehouse import WarehouseUnavailable, read_frame
from chairside.presentation.release.readers import current_release
from orchestration.defs.clock import clock_config
from orchestration.defs.reports.snapshots import OWNER_SNAPSHOTS_KEY, owner_snapshots
from orchestration.defs.reports.timing import SEND_TIME, TICK_CRON, due_shops
from orchestration.defs.resources import ReleasesResource

owner_snapshot_job = dg.define_asset_job(
    "owner_snapshot",
    selection=dg.AssetSelection.assets(owner_snapshots),
    description="Write and mail the owner snapshots of the configured shops.",
)

OP_NAME = OWNER_SNAPSHOTS_KEY.to_python_identifier()


@dg.schedule(
    name="owner_snapshot",
    job=owner_snapshot_job,
    cron_schedule=TICK_CRON,
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description=f"Each shop's snapshot at Monday {SEND_TIME:%H:%M} on the shop's own clock.",
)
def owner_snapshot_schedule(
    context: dg.ScheduleEvaluationContext, releases: ReleasesResource
) -> list[dg.RunRequest] | dg.SkipReason:
    tick = context.scheduled_execution_time
    try:
        shops = read_frame(
            current_release("owner", releases.settings),
            "select shop_id, time_zone from marts.dim_shop",
        )
    except WarehouseUnavailable as reason:
        return dg.SkipReason(str(reason))
    due = due_shops(tick, dict(zip(shops["shop_id"], shops["time_zone"], strict=True)))
    if not due:
        return dg.SkipReason("no shop's send moment in this quarter hour")
    return [
        dg.RunRequest(
            run_key=f"owner-snapshot:{shop_id}:{moment.date().isoformat()}",
            run_config={
                "ops": {OP_NAME: {"config": {"shop_ids": [shop_id]}}},
                **clock_config(moment.date()),
            },
            tags={"shop_id": shop_id},
        )
        for shop_id, moment in due.items()
    ]
