"""Run the pipeline job in-process against a persistent Dagster instance, so the runs the demo
makes show up in `dagster dev` afterwards."""

from __future__ import annotations

import dagster as dg

from orchestration.definitions import defs

# The console shows what an operator reads (progress, warnings, failures); every DEBUG event is
# still in the run's event log in the Dagster UI.
CONSOLE_INFO = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


def run_pipeline(
    instance: dg.DagsterInstance | None = None, run_config: dict | None = None
) -> dg.ExecuteInProcessResult:
    """`run_config` adds op config, e.g. the dbt assets' `DbtBuildConfig`."""
    job = defs.resolve_job_def("chairside_pipeline")
    return job.execute_in_process(
        instance=instance or dg.DagsterInstance.get(),
        raise_on_error=False,
        run_config={**CONSOLE_INFO, **(run_config or {})},
    )
