"""Run the pipeline job in-process against a persistent Dagster instance, so the runs the demo
makes show up in `dagster dev` afterwards."""

from __future__ import annotations

import datetime as dt

import dagster as dg

from chairside.core.settings import load_settings
from chairside.presentation.release.store import ReleaseStore
from orchestration.definitions import defs
from orchestration.defs.clock import clock_config
from orchestration.defs.release.refusals import PUBLISHING_JOBS, record_refusal

# The console shows what an operator reads (progress, warnings, failures); every DEBUG event is
# still in the run's event log in the Dagster UI.
CONSOLE_INFO = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


def run_pipeline(
    instance: dg.DagsterInstance | None = None,
    run_config: dict | None = None,
    *,
    as_of: dt.date | None = None,
) -> dg.ExecuteInProcessResult:
    """`run_config` adds op config, e.g. the dbt assets' `DbtBuildConfig`; `as_of` pins the
    run's clock (unset: CHAIRSIDE_AS_OF, else each shop's own today)."""
    return _execute("chairside_pipeline", instance, run_config, as_of)


def write_snapshots(
    instance: dg.DagsterInstance | None = None, *, as_of: dt.date | None = None
) -> dg.ExecuteInProcessResult:
    """This week's owner snapshot of every shop, as the Monday schedule makes them (and mails
    them when SMTP is set up), on the same clock as the pipeline run before it."""
    return _execute("owner_snapshot", instance, None, as_of)


def _execute(
    job_name: str,
    instance: dg.DagsterInstance | None,
    run_config: dict | None,
    as_of: dt.date | None,
) -> dg.ExecuteInProcessResult:
    pinned = clock_config(as_of) if as_of else {}
    instance = instance or dg.DagsterInstance.get()
    result = defs.resolve_job_def(job_name).execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_config={**CONSOLE_INFO, **pinned, **(run_config or {})},
    )
    if not result.success and job_name in PUBLISHING_JOBS:
        # no daemon runs the refusal sensor for an in-process run
        releases = ReleaseStore(load_settings().releases.root.resolve())
        record_refusal(instance, result.dagster_run, releases)
    return result
