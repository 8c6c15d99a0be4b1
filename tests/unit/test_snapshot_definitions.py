"""The reports' Dagster objects load on their own, and the schedule asks for one run per shop
at that shop's Monday 06:00, keyed so a re-evaluated tick starts nothing twice."""

import datetime as dt
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from chairside.core.settings import ReleaseSettings
from chairside.presentation.release.publish import publish
from orchestration.defs.release import RELEASE_KEY
from orchestration.defs.reports import REPORT_ASSETS, REPORT_JOBS, REPORT_SCHEDULES
from orchestration.defs.reports.schedules import owner_snapshot_schedule
from orchestration.defs.reports.snapshots import OWNER_SNAPSHOTS_KEY, SENT_CHECK
from orchestration.defs.resources import ClockResource, ReleasesResource

defs = dg.Definitions(
    assets=REPORT_ASSETS,
    jobs=REPORT_JOBS,
    schedules=REPORT_SCHEDULES,
    resources={"releases": ReleasesResource(), "clock": ClockResource()},
)


def test_report_definitions_load() -> None:
    dg.Definitions.validate_loadable(defs)


def test_the_snapshot_reads_the_release_and_reports_its_mail_as_a_check() -> None:
    graph = defs.resolve_asset_graph()
    node = graph.get(OWNER_SNAPSHOTS_KEY)
    assert node.parent_keys == {RELEASE_KEY}
    assert dg.AssetCheckKey(OWNER_SNAPSHOTS_KEY, SENT_CHECK) in graph.asset_check_keys
    job = defs.resolve_job_def("owner_snapshot")
    assert job.asset_layer.selected_asset_keys == {OWNER_SNAPSHOTS_KEY}


@pytest.fixture
def shops_warehouse(tmp_path: Path) -> Path:
    """Releases of a warehouse with two shops; the schedule reads the owner release."""
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.dim_shop as select * from (values "
            "('water-st', 'America/St_Johns'), ('queen-west', 'America/Toronto')"
            ") v(shop_id, time_zone)"
        )
    root = tmp_path / "releases"
    publish(path, ReleaseSettings(root=root), run_id="unit-test", as_of=None)
    return root


def evaluate(at: dt.datetime, releases: Path) -> list[dg.RunRequest] | dg.SkipReason:
    context = dg.build_schedule_context(
        scheduled_execution_time=at,
        resources={"releases": ReleasesResource(root=str(releases))},
    )
    return owner_snapshot_schedule(context)


def test_a_run_per_shop_when_its_monday_six_oclock_comes(shops_warehouse: Path) -> None:
    # Monday 16 Nov 2026, 09:30 UTC: 06:00 in St. John's, 04:30 in Toronto
    (request,) = evaluate(dt.datetime(2026, 11, 16, 9, 30, tzinfo=dt.UTC), shops_warehouse)
    assert request.run_key == "owner-snapshot:water-st:2026-11-16"
    assert request.tags["shop_id"] == "water-st"
    config = request.run_config["ops"]["reports__owner_snapshots"]["config"]
    assert config == {"shop_ids": ["water-st"]}
    # the run's clock is the shop's date at the tick, whatever day the run starts
    assert request.run_config["resources"]["clock"]["config"] == {"as_of": "2026-11-16"}
    job = defs.resolve_job_def("owner_snapshot")
    assert dg.validate_run_config(job, request.run_config)

    (later,) = evaluate(dt.datetime(2026, 11, 16, 11, 0, tzinfo=dt.UTC), shops_warehouse)
    assert later.run_key == "owner-snapshot:queen-west:2026-11-16"


def test_other_ticks_and_an_unreadable_warehouse_skip(
    shops_warehouse: Path, tmp_path: Path
) -> None:
    quiet = evaluate(dt.datetime(2026, 11, 16, 9, 45, tzinfo=dt.UTC), shops_warehouse)
    assert isinstance(quiet, dg.SkipReason)
    missing = evaluate(dt.datetime(2026, 11, 16, 9, 30, tzinfo=dt.UTC), tmp_path / "none")
    assert isinstance(missing, dg.SkipReason)
    assert "No release published" in missing.skip_message
