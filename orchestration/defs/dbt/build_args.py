"""The dbt command a run executes, built from its run config as a pure function, so what
`dagster dev`'s launchpad options do can be tested without running dbt."""

import json

import dagster as dg


class DbtBuildConfig(dg.Config):
    """Options an operator may set on a run of the dbt assets."""

    full_refresh: bool = False
    """Rebuild incremental models from scratch (after a change of their logic)."""

    as_of_date: str | None = None
    """ISO date the metrics are computed as of (retention windows, days overdue); default today."""


def dbt_build_args(config: DbtBuildConfig) -> list[str]:
    args = ["build"]
    if config.full_refresh:
        args.append("--full-refresh")
    if config.as_of_date:
        args += ["--vars", json.dumps({"as_of_date": config.as_of_date})]
    return args
