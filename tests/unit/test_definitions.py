"""The Dagster code location loads and wires the graph the way the pipeline needs it."""

import dagster as dg

from orchestration.definitions import defs


def test_definitions_load_and_validate() -> None:
    dg.Definitions.validate_loadable(defs)


def test_asset_graph_connects_the_inbox_to_the_marts() -> None:
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {
        "inbox/shops",
        "inbox/inquiries",
        "marts/dim_shop",
        "marts/dim_service",
        "marts/fct_inquiries",
    } <= keys
    upstream = graph.get(dg.AssetKey(["staging", "stg_inbox__inquiries"])).parent_keys
    assert dg.AssetKey(["inbox", "inquiries"]) in upstream


def test_dbt_tests_are_asset_checks() -> None:
    checks = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert any(name.startswith("unique_fct_inquiries_inquiry_key") for name in checks)


def test_the_pipeline_job_and_nightly_schedule_exist() -> None:
    job = defs.resolve_job_def("chairside_pipeline")
    assert job is not None
    schedule = defs.resolve_schedule_def("nightly_build")
    assert schedule.cron_schedule == "0 3 * * *"


def test_dbt_assets_are_grouped_by_layer() -> None:
    graph = defs.resolve_asset_graph()
    assert graph.get(dg.AssetKey(["marts", "fct_inquiries"])).group_name == "marts"
    assert graph.get(dg.AssetKey(["staging", "stg_inbox__shops"])).group_name == "staging"
    assert graph.get(dg.AssetKey(["inbox", "shops"])).group_name == "ingestion"
