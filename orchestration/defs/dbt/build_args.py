"""The dbt command a run executes, built from its run config and clock as a pure function, so
what `dagster dev`'s launchpad options do can be tested without running dbt."""

import json

import dagster as dg

from chairside.core.clock import Clock
from orchestration.defs.dbt.built_as_of import BuildClock


class DbtBuildConfig(dg.Config):
    """Options an operator may set on a run of the dbt assets."""

    full_refresh: bool = False
    """Rebuild incremental models from scratch (after a change of their logic)."""
    unit_tests: bool = True
    """Run dbt's unit tests (the models' SQL on fixtures): off in the event-triggered build,
    where new data cannot change their outcome (`orchestration.defs.jobs.event_job`)."""


def dbt_build_args(config: DbtBuildConfig, clock: Clock, built: BuildClock) -> list[str]:
    """`built` is the as-of date the warehouse's incremental models were last built on.

    A pinned build sees only what had happened before its date, so its incremental models hold
    that past; a build on another as-of date recomputes them from scratch instead of adding
    today's events to yesterday's view of the world. Two builds on the same date, pinned or not,
    stay incremental.
    """
    args = ["build"]
    if config.full_refresh or built.needs_full_refresh(clock.as_of):
        args.append("--full-refresh")
    if not config.unit_tests:
        args += ["--exclude-resource-type", "unit_test"]
    if clock.as_of is not None:
        args += ["--vars", json.dumps({"as_of_date": clock.as_of.isoformat()})]
    return args
