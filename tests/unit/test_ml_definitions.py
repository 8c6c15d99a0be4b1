"""The ML layer's Dagster objects load on their own and say what the weekly run depends on."""

import datetime as dt

import dagster as dg

from orchestration.defs.ml import (
    ML_ASSETS,
    ML_CHECKS,
    ML_JOBS,
    ML_RESOURCES,
    ML_SCHEDULES,
    ML_SENSORS,
)
from orchestration.defs.resources import ClockResource, WarehouseResource

defs = dg.Definitions(
    assets=ML_ASSETS,
    asset_checks=ML_CHECKS,
    jobs=ML_JOBS,
    schedules=ML_SCHEDULES,
    sensors=ML_SENSORS,
    resources={"warehouse": WarehouseResource(), "clock": ClockResource(), **ML_RESOURCES},
)


def marts(name: str) -> dg.AssetKey:
    return dg.AssetKey(["marts", name])


def test_ml_definitions_load() -> None:
    dg.Definitions.validate_loadable(defs)


def test_assets_read_the_marts_they_are_built_from() -> None:
    graph = defs.resolve_asset_graph()
    forecasts = graph.get(marts("fct_forecasts"))
    scores = graph.get(marts("fct_customer_scores"))
    assert forecasts.parent_keys == {marts("fct_weekly_shop_metrics"), marts("dim_shop")}
    assert scores.parent_keys == {
        marts("fct_appointments"),
        marts("dim_customer"),
        marts("dim_shop"),
    }
    assert forecasts.group_name == scores.group_name == "ml"


def test_weekly_run_lands_before_the_first_monday_snapshot() -> None:
    schedule = defs.resolve_schedule_def("ml_weekly")
    assert (schedule.cron_schedule, schedule.execution_timezone) == (
        "0 5 * * 1",
        "America/St_Johns",
    )
    job = defs.resolve_job_def("ml_weekly")
    assert job.asset_layer.selected_asset_keys == {
        marts("fct_forecasts"),
        marts("fct_customer_scores"),
    }


def test_a_weekly_run_started_late_still_runs_as_of_its_monday() -> None:
    schedule = defs.resolve_schedule_def("ml_weekly")
    # the daemon evaluates Monday 16 Nov's 05:00 tick (08:30 UTC) late, on Tuesday
    tick = dt.datetime(2026, 11, 16, 8, 30, tzinfo=dt.UTC)
    context = dg.build_schedule_context(scheduled_execution_time=tick)
    (request,) = schedule.evaluate_tick(context).run_requests
    assert request.run_config["resources"]["clock"]["config"] == {"as_of": "2026-11-16"}
    assert dg.validate_run_config(defs.resolve_job_def("ml_weekly"), request.run_config)


def test_both_marts_have_freshness_and_content_checks() -> None:
    checks = defs.resolve_asset_graph().asset_check_keys
    by_asset = {key.asset_key: set() for key in checks}
    for key in checks:
        by_asset[key.asset_key].add(key.name)
    assert by_asset[marts("fct_forecasts")] == {
        "freshness_check",
        "latest_forecasts_are_well_formed",
        "latest_forecasts_are_in_band",
    }
    assert by_asset[marts("fct_customer_scores")] == {
        "freshness_check",
        "latest_scores_are_well_formed",
        "churn_risk_holds_its_band",
    }
