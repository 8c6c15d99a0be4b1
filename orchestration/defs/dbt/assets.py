"""The dbt models as Dagster assets, their tests as asset checks."""

import os

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from ingestion.cassandra import store as cassandra_store
from orchestration.defs.dbt import built_as_of, partial_parse
from orchestration.defs.dbt.build_args import DbtBuildConfig, dbt_build_args
from orchestration.defs.dbt.project import dbt_project
from orchestration.defs.resources import ClockResource, WarehouseResource


class LayeredTranslator(DagsterDbtTranslator):
    """Groups dbt assets by their folder (staging, intermediate, marts), the layer they form."""

    def get_group_name(self, dbt_resource_props) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props.get("resource_type") == "model" and len(fqn) > 2:
            return fqn[1]
        return super().get_group_name(dbt_resource_props)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=LayeredTranslator(),
)
def chairside_dbt_assets(
    context: dg.AssetExecutionContext,
    config: DbtBuildConfig,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
    clock: ClockResource,
):
    # dbt runs in dbt_project/ and reads the warehouse path from CHAIRSIDE_DUCKDB_PATH; pinning it
    # to the resolved absolute path makes dbt write where the rest of this run reads.
    os.environ["CHAIRSIDE_DUCKDB_PATH"] = str(warehouse.resolved_path)
    as_of = clock.clock.as_of
    with warehouse.connect() as con:
        # the CRM's raw tables, empty when no Cassandra is configured to load them
        cassandra_store.ensure_schema(con)
        built = built_as_of.read(con)
        args = dbt_build_args(config, clock.clock, built)
        if "--full-refresh" in args:
            # recorded first: a from-scratch build that dies halfway leaves a mix of dates
            built_as_of.record(con, built_as_of.BuildClock(as_of, settled=False))
    pinned = f"pinned to {as_of}" if as_of else "as of today in each shop"
    context.log.info(f"dbt {' '.join(args)} ({pinned})")
    invocation = dbt.cli(args, context=context)
    try:
        yield from invocation.stream()
    finally:  # a build whose tests failed parsed the project all the same
        partial_parse.hand_back(
            invocation.target_path, dbt_project.project_dir / dbt_project.target_path
        )
    with warehouse.connect() as con:
        built_as_of.record(con, built_as_of.BuildClock(as_of, settled=True))
