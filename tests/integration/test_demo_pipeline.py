"""The walking skeleton end to end: generated demo files -> inbox -> dbt marts -> marimo app.

Real parts only: the generator's spreadsheets on disk, a DuckDB file under tmp_path, the real
Dagster job executed in-process against a real instance, the real dbt build, and `marimo export`.
"""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from chairside.demo import DemoConfig, generate, write_dataset
from chairside.settings import Settings
from orchestration.run import run_pipeline

pytestmark = pytest.mark.integration

NOTEBOOKS = Path(__file__).parents[2] / "notebooks"


@pytest.fixture(scope="module")
def pipeline_run(module_env: Settings) -> dg.ExecuteInProcessResult:
    config = DemoConfig(seed=11, shops=2, years=0.25, end_date=dt.date(2026, 11, 15))
    dataset = generate(config)
    write_dataset(
        dataset,
        inbox_dir=module_env.inbox,
        events_dir=module_env.data_dir / "events",
        crm_dir=module_env.data_dir / "crm",
    )
    result = run_pipeline(dg.DagsterInstance.get())
    assert result.success
    return result


@pytest.fixture(scope="module")
def built_warehouse(pipeline_run: dg.ExecuteInProcessResult, module_env: Settings) -> Settings:
    return module_env


def test_pipeline_builds_marts_for_every_demo_shop(built_warehouse: Settings) -> None:
    with duckdb.connect(str(built_warehouse.duckdb_path), read_only=True) as con:
        shops = dict(
            con.execute(
                "select s.shop_id, count(i.inquiry_key) from marts.dim_shop s "
                "left join marts.fct_inquiries i using (shop_id) group by all"
            ).fetchall()
        )
        assert set(shops) == {"water-st", "spring-garden"}
        assert all(count > 0 for count in shops.values()), shops
        assert con.execute("select count(*) from marts.dim_service").fetchone()[0] > 0
        (tz,) = con.execute(
            "select time_zone from marts.dim_shop where shop_id = 'water-st'"
        ).fetchone()
        assert tz == "America/St_Johns"
        # rows read = loaded + quarantined, for every file
        unbalanced = con.execute(
            "select file_name from ops.inbox_files "
            "where rows_read != rows_loaded + rows_quarantined"
        ).fetchall()
        assert unbalanced == []
        # St. John's is UTC-3:30 (-2:30 in summer): local time is never a whole-hour shift there
        offsets = {
            row[0]
            for row in con.execute(
                "select distinct extract(minute from inquired_at_local"
                " - cast(timezone('UTC', inquired_at) as timestamp)) "
                "from marts.fct_inquiries where shop_id = 'water-st'"
            ).fetchall()
        }
        assert offsets == {-30}


def test_dbt_checks_ran_and_passed(pipeline_run: dg.ExecuteInProcessResult) -> None:
    evaluations = pipeline_run.get_asset_check_evaluations()
    assert len(evaluations) > 20
    assert all(e.passed for e in evaluations), [e.check_name for e in evaluations if not e.passed]


def test_rerun_on_the_same_inbox_loads_nothing_twice(built_warehouse: Settings) -> None:
    with duckdb.connect(str(built_warehouse.duckdb_path), read_only=True) as con:
        before = con.execute("select count(*) from marts.fct_inquiries").fetchone()
    assert run_pipeline(dg.DagsterInstance.get()).success
    with duckdb.connect(str(built_warehouse.duckdb_path), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_inquiries").fetchone() == before
        assert con.execute("select count(*) from ops.inbox_files where version > 1").fetchone() == (
            0,
        )


def test_inquiries_app_exports_without_errors(built_warehouse: Settings, tmp_path: Path) -> None:
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
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Error" not in completed.stderr
    html = out.read_text()
    assert "Front-desk inquiries per shop per week" in html
    assert "MarimoExceptionRaisedError" not in html
