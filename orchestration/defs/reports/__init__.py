"""Reports in Dagster: the weekly owner snapshots and the schedule that sends them.

Wire into `orchestration.definitions` with the lists below; the asset and the schedule need the
`warehouse` resource that is already there.
"""

from orchestration.defs.reports.schedules import owner_snapshot_job, owner_snapshot_schedule
from orchestration.defs.reports.snapshots import owner_snapshots

REPORT_ASSETS = [owner_snapshots]
REPORT_JOBS = [owner_snapshot_job]
REPORT_SCHEDULES = [owner_snapshot_schedule]
