"""Recording a build that ended without publishing, for Data health.

A failed blocking check skips the publish step, and the run ends failed; nothing in a release
can say so (releases only come from good builds). `record_refusal` writes the run's failed
checks and steps beside the releases: the sensor does it for runs the daemon starts, and
`orchestration.run` for runs `chairside run` and `chairside demo` execute in process.
"""

import datetime as dt

import dagster as dg

from chairside.presentation.release import refusal
from chairside.presentation.release.store import ReleaseStore
from orchestration.defs.release.checks_of_run import check_results, failed_steps
from orchestration.defs.resources import ReleasesResource

# the jobs whose runs end in a publish
PUBLISHING_JOBS = ("chairside_pipeline", "warehouse_build", "event_refresh")


def record_refusal(instance: dg.DagsterInstance, run: dg.DagsterRun, store: ReleaseStore) -> None:
    refusal.record(
        store,
        refusal.Refusal(
            run_id=run.run_id,
            job=run.job_name,
            refused_at=dt.datetime.now(dt.UTC).isoformat(),
            failed_checks=[
                check for check in check_results(instance, run.run_id) if not check.passed
            ],
            failed_steps=failed_steps(instance, run.run_id),
        ),
    )


@dg.run_failure_sensor(
    name="refused_build",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Records a build that ended without publishing (and why) for Data health.",
)
def refused_build_sensor(context: dg.RunFailureSensorContext, releases: ReleasesResource) -> None:
    if context.dagster_run.job_name not in PUBLISHING_JOBS:
        return
    record_refusal(context.instance, context.dagster_run, releases.store)
