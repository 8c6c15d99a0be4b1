"""The README's main command end to end: what `chairside demo` leaves behind for its users.

Real parts only (see conftest): generated files, the local Kafka-protocol broker and the real
consumer, the inbox loader, dbt with every test, Great Expectations, MLflow on SQLite.
"""

import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from chairside.presentation.release.manifest import Manifest
from chairside.presentation.release.store import ReleaseStore
from tests.integration.conftest import CHAIRSIDE, DemoBuild

pytestmark = pytest.mark.integration

NOTEBOOKS = Path(__file__).parents[2] / "notebooks"


def scalar(build: DemoBuild, sql: str):
    with duckdb.connect(str(build.settings.duckdb_path), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def test_marts_have_rows_for_every_demo_shop(demo_build: DemoBuild) -> None:
    with duckdb.connect(str(demo_build.settings.duckdb_path), read_only=True) as con:
        rows = con.execute(
            """
            select s.shop_id, s.time_zone,
                   (select count(*) from marts.fct_inquiries i where i.shop_id = s.shop_id),
                   (select count(*) from marts.fct_appointments a where a.shop_id = s.shop_id),
                   (select count(*) from marts.fct_calls c where c.shop_id = s.shop_id),
                   (select count(*) from marts.fct_weekly_shop_metrics w
                    where w.shop_id = s.shop_id)
            from marts.dim_shop s order by s.shop_id
            """
        ).fetchall()
    assert [(shop, zone) for shop, zone, *_ in rows] == [
        ("queen-west", "America/Toronto"),
        ("spring-garden", "America/Halifax"),
        ("water-st", "America/St_Johns"),
    ]
    assert all(all(count > 0 for count in counts) for _, _, *counts in rows), rows


def test_every_message_of_the_stream_is_accounted_for(demo_build: DemoBuild) -> None:
    lines = sum(
        len(path.read_bytes().splitlines())
        for path in (demo_build.settings.data_dir / "demo" / "events").glob("*.jsonl")
    )
    loaded = scalar(
        demo_build,
        "select (select count(*) from raw_kafka.calls) "
        "+ (select count(*) from raw_kafka.appointments) "
        "+ (select count(*) from raw_kafka.customers) "
        "+ (select count(*) from raw_kafka.inquiries)",
    )
    dead = scalar(demo_build, "select count(*) from raw_kafka.dead_letters")
    assert dead > 0  # the generator plants invalid messages
    assert loaded + dead < lines  # the rest are exact re-deliveries, skipped by event_id
    assert scalar(
        demo_build, "select count(distinct event_id) from raw_kafka.appointments"
    ) == scalar(demo_build, "select count(*) from raw_kafka.appointments")


def test_local_times_in_st_johns_are_a_half_hour_off_utc(demo_build: DemoBuild) -> None:
    minutes = scalar(
        demo_build,
        "select list(distinct extract(minute from scheduled_start_local "
        "- cast(timezone('UTC', scheduled_start) as timestamp))) "
        "from marts.fct_appointments where shop_id = 'water-st'",
    )
    assert minutes == [-30]


def test_every_file_of_the_inbox_reconciles(demo_build: DemoBuild) -> None:
    unbalanced = scalar(
        demo_build,
        "select count(*) from ops.inbox_files where rows_read != rows_loaded + rows_quarantined",
    )
    assert unbalanced == 0


def test_every_check_of_the_run_passed(demo_build: DemoBuild) -> None:
    instance = demo_build.instance
    (run,) = instance.get_runs(filters=dg.RunsFilter(job_name="chairside_pipeline"), limit=1)
    assert run.status == dg.DagsterRunStatus.SUCCESS
    evaluations = [
        record.dagster_event.asset_check_evaluation_data
        for record in instance.all_logs(
            run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
        )
    ]
    names = {e.check_name for e in evaluations}
    assert "expectation_suite" in names  # Great Expectations
    assert any(name.startswith("unique_") for name in names)  # dbt tests
    assert len(evaluations) > 100
    # a warning (a forecast's coverage outside its band, say) is news, not a broken run
    failed = [e for e in evaluations if not e.passed]
    assert [e.check_name for e in failed if e.severity == dg.AssetCheckSeverity.ERROR] == []


def test_the_demo_ends_with_this_week_s_owner_snapshot_for_every_shop(
    demo_build: DemoBuild,
) -> None:
    """Run as of the day after its last day (Mon 16 Nov), the demo reports the week that ended
    the evening before, for every shop, and says where the files are."""
    with duckdb.connect(str(demo_build.settings.duckdb_path), read_only=True) as con:
        shops = [
            shop_id for (shop_id,) in con.execute("select shop_id from marts.dim_shop").fetchall()
        ]
    assert len(shops) == 3
    for shop_id in shops:
        path = demo_build.settings.reports_dir / shop_id / "owner-snapshot-2026-11-09.html"
        assert path.exists(), demo_build.output[-2000:]
        assert "As of Mon 16 Nov 2026." in path.read_text(encoding="utf-8")
        assert str(path) in demo_build.output


def test_the_snapshot_holds_last_week_against_the_forecast_made_before_it(
    demo_build: DemoBuild,
) -> None:
    """One run, yet the snapshot of the week of 9 Nov shows it against a forecast trained only
    on the weeks to 2 Nov: the one the Monday before would have made."""
    for shop_id in ("queen-west", "spring-garden", "water-st"):
        path = demo_build.settings.reports_dir / shop_id / "owner-snapshot-2026-11-09.html"
        html = path.read_text(encoding="utf-8")
        assert "Visits: " in html and "Revenue: " in html
        assert html.count("the range forecast for it") == 2
        assert "No forecast was made for this week before it began." not in html
    trained = scalar(
        demo_build,
        "select list(distinct trained_through_week) from marts.fct_forecasts "
        "where target_week_start = date '2026-11-09' and horizon_weeks = 1",
    )
    assert [str(week) for week in trained] == ["2026-11-02"]


def test_cassandra_not_configured_is_never_shown_as_materialized(demo_build: DemoBuild) -> None:
    for table in ("customers", "inquiries_by_day"):
        key = dg.AssetKey(["cassandra", table])
        assert demo_build.instance.get_latest_materialization_event(key) is None


def test_the_run_ends_with_a_release_of_every_mart_that_readers_see(demo_build: DemoBuild) -> None:
    """The pipeline publishes after its checks (and the forecasts and scores) passed: the
    release readers see is that run's, with every mart's rows, and the snapshots read it."""
    (run,) = demo_build.instance.get_runs(
        filters=dg.RunsFilter(job_name="chairside_pipeline"), limit=1
    )
    store = ReleaseStore(demo_build.settings.releases.root)
    manifest = Manifest.read(store.manifest_path(store.resolve()))
    assert manifest.run_id == run.run_id
    assert manifest.as_of == "2026-11-16"
    assert len(manifest.checks) > 100 and manifest.checks == sorted(manifest.checks, key=str)
    with duckdb.connect(str(demo_build.settings.duckdb_path), read_only=True) as con:
        expected = {
            table: con.execute(f"select count(*) from marts.{table}").fetchone()[0]
            for (table,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
    assert "fct_forecasts" in expected and "fct_customer_scores" in expected
    assert manifest.row_counts == {"owner": expected, "analyst": expected}
    assert "release" in demo_build.output


def test_forecasts_and_scores_are_in_the_marts_and_mlflow(demo_build: DemoBuild) -> None:
    assert (
        scalar(demo_build, "select count(distinct shop_id || metric) from marts.fct_forecasts") == 6
    )
    assert scalar(demo_build, "select count(*) from marts.fct_customer_scores") > 0
    mlflow_db = demo_build.settings.data_dir / "mlflow" / "mlflow.db"
    assert mlflow_db.exists()


def test_the_demo_says_where_to_look(demo_build: DemoBuild) -> None:
    for what in ("warehouse", "Dagster", "apps", "MLflow"):
        assert what in demo_build.output


def test_inquiries_app_exports_without_errors(demo_build: DemoBuild, tmp_path: Path) -> None:
    out = tmp_path / "inquiries.html"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "marimo",
            "export",
            "html",
            str(NOTEBOOKS / "inquiries.py"),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env=dict(demo_build.environment),
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    html = out.read_text()
    assert "Inquiries per week by channel" in html
    assert "MarimoExceptionRaisedError" not in html


def test_running_the_pipeline_again_loads_nothing_twice(demo_build: DemoBuild) -> None:
    counted = (
        "marts.fct_inquiries",
        "marts.fct_appointments",
        "raw_kafka.appointments",
        "raw_inbox.inquiries",
        "marts.dim_customer",
    )
    before = {table: scalar(demo_build, f"select count(*) from {table}") for table in counted}
    completed = subprocess.run(
        [str(CHAIRSIDE), "run"],
        env=dict(demo_build.environment),
        capture_output=True,
        text=True,
        timeout=900,
        cwd=demo_build.settings.data_dir.parent,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    after = {table: scalar(demo_build, f"select count(*) from {table}") for table in counted}
    assert after == before
    assert scalar(demo_build, "select max(version) from ops.inbox_files") == 1


def test_the_demo_measures_the_campaigns_it_played(demo_build: DemoBuild) -> None:
    """Three win-backs a shop, recorded before the run by booking-system id and resolved by it:
    every member is a client, every window is over, and the lift recovers the true +30 points
    less the contacted whose booking found no slot in time (never more than the truth)."""
    with duckdb.connect(str(demo_build.settings.duckdb_path), read_only=True) as con:
        rows = con.execute(
            "select rule, treated_clients, control_clients, lift, lift_lower_95, lift_upper_95 "
            "from marts.fct_campaign_results"
        ).fetchall()
        unresolved = con.execute(
            "select count(*) from intermediate.int_campaigns__members where customer_key is null"
        ).fetchone()[0]
    assert len(rows) == 9 and {row[0] for row in rows} == {"win_back"}
    assert unresolved == 0
    for _, treated, control, lift, lower, upper in rows:
        assert treated > 100 and control == round((treated + control) * 0.1)
        assert 0 < lower < lift < upper  # told apart from no effect, every time
    mean_lift = sum(float(row[3]) for row in rows) / len(rows)
    print(f"9 played campaigns: mean lift {mean_lift:.4f} (true +0.30 before lost bookings)")
    assert 0.2 <= mean_lift <= 0.3
