"""Releases on copies of the warehouse `chairside demo` built (see conftest): readers answer while
a build loops, a failing blocking check keeps the last good release serving and Data health
says so, the analyst release and its export hold no phone or email while the owner's keep them,
and exports read back with the marts' rows and types."""

import json
import re
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import phonenumbers
import pyarrow.parquet as pq
import pytest

from chairside.presentation.release.export import export
from chairside.presentation.release.manifest import Manifest
from chairside.presentation.release.status import describe, release_status
from chairside.presentation.release.store import ReleaseStore
from orchestration.defs.ml import ML_ASSETS
from orchestration.defs.quality.checks import build_suite_check
from orchestration.defs.quality.tables import CHECKED_TABLES
from orchestration.defs.release.assets import MARTS, RELEASE_KEY, published_release
from orchestration.defs.release.refusals import record_refusal
from orchestration.defs.resources import ClockResource, ReleasesResource, WarehouseResource
from tests.integration.conftest import DEMO_AS_OF, DemoBuild
from tests.integration.test_apps_export import run_in_process
from tests.integration.test_apps_warehouse import published

pytestmark = pytest.mark.integration

ROOT = Path(__file__).parents[2]
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
DIGITS = re.compile(r"\d")


@pytest.fixture(scope="module")
def release(demo_build: DemoBuild, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(build database, releases root): the demo warehouse published once, for reading only."""
    root = tmp_path_factory.mktemp("release")
    warehouse = demo_build.copy_warehouse(root)
    return warehouse, published(warehouse)


def test_every_read_answers_while_a_build_loops(demo_build: DemoBuild, tmp_path: Path) -> None:
    warehouse = demo_build.copy_warehouse(tmp_path)
    releases = published(warehouse)
    seconds = "60"

    def start(role: str, out: Path, *extra: str) -> subprocess.Popen:
        command = [sys.executable, "-m", "tests.release_load", role, "--releases", str(releases)]
        return subprocess.Popen(
            [*command, "--seconds", seconds, "--out", str(out), *extra], cwd=ROOT
        )

    builder = start("builder", tmp_path / "builder.json", "--warehouse", str(warehouse))
    readers = [start("reader", tmp_path / f"reader-{n}.json") for n in range(4)]
    for process in [builder, *readers]:
        assert process.wait(timeout=600) == 0

    built = json.loads((tmp_path / "builder.json").read_text())
    assert len(built["published"]) >= 2  # readers were switched under their feet, twice at least
    for number in range(4):
        reads = json.loads((tmp_path / f"reader-{number}.json").read_text())
        assert reads["errors"] == []
        assert reads["latencies"]  # it did read: no vacuous pass


def run_build(
    warehouse: Path, releases: Path, instance: dg.DagsterInstance
) -> dg.ExecuteInProcessResult:
    """The weekly metrics' blocking suite and the publish step, as a build run has them: the
    marts are the demo's, as external assets."""
    weekly = next(t for t in CHECKED_TABLES if t.relation == "marts.fct_weekly_shop_metrics")
    definitions = dg.Definitions(
        assets=[*(dg.AssetSpec(key) for key in MARTS), published_release],
        asset_checks=[build_suite_check(weekly)],
        resources={
            "warehouse": WarehouseResource(path=str(warehouse)),
            "releases": ReleasesResource(root=str(releases)),
            "clock": ClockResource(as_of=DEMO_AS_OF),
        },
    )
    job = definitions.resolve_implicit_global_asset_job_def()
    return job.execute_in_process(instance=instance, raise_on_error=False)


def run_rebuild(
    warehouse: Path, releases: Path, instance: dg.DagsterInstance, rebuilt: set[dg.AssetKey]
) -> dg.ExecuteInProcessResult:
    """A run that rebuilds the marts `rebuilt` (here: materializes them as they are) and
    publishes; the other marts are what earlier runs left."""

    def rebuild(key: dg.AssetKey) -> dg.AssetsDefinition:
        @dg.asset(key=key)
        def mart() -> None:
            pass

        return mart

    definitions = dg.Definitions(
        assets=[
            *(rebuild(key) if key in rebuilt else dg.AssetSpec(key) for key in MARTS),
            published_release,
        ],
        resources={
            "warehouse": WarehouseResource(path=str(warehouse)),
            "releases": ReleasesResource(root=str(releases)),
            "clock": ClockResource(as_of=DEMO_AS_OF),
        },
    )
    job = definitions.resolve_implicit_global_asset_job_def()
    return job.execute_in_process(instance=instance, raise_on_error=False)


def test_a_failing_blocking_check_keeps_the_last_release_and_data_health_says_so(
    demo_build: DemoBuild, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = demo_build.copy_warehouse(tmp_path)
    releases = tmp_path / "releases"
    store = ReleaseStore(releases)
    instance = dg.DagsterInstance.ephemeral()

    good = run_build(warehouse, releases, instance)
    assert good.success
    serving = store.current_id()
    manifest = Manifest.read(store.manifest_path(serving))
    assert manifest.run_id == good.run_id
    assert [(c.name, c.passed) for c in manifest.checks] == [
        ("marts/fct_weekly_shop_metrics/expectation_suite", True)
    ]

    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update marts.fct_weekly_shop_metrics set no_show_rate = 1.4 "
            "where week_start = (select max(week_start) from marts.fct_weekly_shop_metrics)"
        )
    bad = run_build(warehouse, releases, instance)
    assert not bad.success
    assert RELEASE_KEY not in {e.asset_key for e in bad.get_asset_materialization_events()}
    record_refusal(instance, bad.dagster_run, store)  # what the sensor and `chairside run` do

    assert store.current_id() == serving
    with duckdb.connect(str(store.database(serving, "analyst")), read_only=True) as con:
        (rate,) = con.execute(
            "select max(no_show_rate) from marts.fct_weekly_shop_metrics"
        ).fetchone()
    assert rate < 1
    status = release_status(store)
    assert status.refused_since
    assert [c.name for c in status.refused.failed_checks] == [
        "marts/fct_weekly_shop_metrics/expectation_suite"
    ]
    assert bad.run_id in describe(status)

    monkeypatch.setenv("CHAIRSIDE_RELEASES_DIR", str(releases))
    page = run_in_process("data_health")
    assert serving in page
    assert "A later build published nothing" in page
    assert "marts/fct_weekly_shop_metrics/expectation_suite" in page

    # The event-triggered build rebuilds only the marts events reach: after a refused build it
    # must not publish the marts that build left unchecked; a whole build that passes does.
    event_marts = {dg.AssetKey(["marts", "fct_appointments"])}
    partial = run_rebuild(warehouse, releases, instance, event_marts)
    assert not partial.success and store.current_id() == serving
    dbt_marts = {key for key in MARTS if key not in {asset.key for asset in ML_ASSETS}}
    whole = run_rebuild(warehouse, releases, instance, dbt_marts)
    assert whole.success and store.current_id() != serving


def text_columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    return [
        name
        for name, type_, *_ in con.execute(f"describe {relation}").fetchall()
        if type_ == "VARCHAR"
    ]


def contacts_in(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, set[str]]:
    """column -> the kinds of contact ("phone", "email") any of its values holds; phones found as
    libphonenumber finds them in text (any format a person writes, Canadian or international)."""
    found: dict[str, set[str]] = {}
    for column in text_columns(con, relation):
        values = [
            v
            for (v,) in con.execute(
                f'select distinct "{column}" from {relation} where "{column}" is not null'
            ).fetchall()
        ]
        kinds = set()
        if any(EMAIL.search(value) for value in values):
            kinds.add("email")
        candidates = (value for value in values if len(DIGITS.findall(value)) >= 7)
        if any(
            next(iter(phonenumbers.PhoneNumberMatcher(value, "CA")), None) for value in candidates
        ):
            kinds.add("phone")
        if kinds:
            found[column] = kinds
    return found


def every_table(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        f'"{schema}"."{table}"'
        for schema, table in con.execute(
            "select table_schema, table_name from information_schema.tables order by all"
        ).fetchall()
    ]


def test_the_analyst_release_and_export_hold_no_phone_or_email_and_the_owners_do(
    release: tuple[Path, Path], tmp_path: Path
) -> None:
    warehouse, releases = release
    store = ReleaseStore(releases)
    current = store.resolve()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        marts = {
            table
            for (table,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
    with duckdb.connect(str(store.database(current, "analyst")), read_only=True) as con:
        tables = every_table(con)
        assert {table.split(".")[1].strip('"') for table in tables} == marts  # every mart
        assert {table: contacts_in(con, table) for table in tables} == {t: {} for t in tables}

    export(store, "analyst", "csv", tmp_path / "csv")
    export(store, "analyst", "parquet", tmp_path / "parquet")
    with duckdb.connect() as con:
        for file in [*(tmp_path / "csv").glob("*.csv"), *(tmp_path / "parquet").glob("*.parquet")]:
            reader = "read_csv" if file.suffix == ".csv" else "read_parquet"
            con.execute(f"create or replace view exported as select * from {reader}('{file}')")
            assert contacts_in(con, "exported") == {}, file.name

    with duckdb.connect(str(store.database(current, "owner")), read_only=True) as con:
        assert contacts_in(con, "marts.dim_customer") == {
            "phone_e164": {"phone"},
            "email": {"email"},
        }
        assert contacts_in(con, "marts.fct_calls").keys() == {"from_number_raw", "from_number_e164"}


def test_exports_read_back_with_the_marts_rows_and_types(
    release: tuple[Path, Path], tmp_path: Path
) -> None:
    warehouse, releases = release
    store = ReleaseStore(releases)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        marts = {
            table: con.execute(f"describe marts.{table}").df()[["column_name", "column_type"]]
            for (table,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        rows = {
            table: con.execute(f"select count(*) from marts.{table}").fetchone()[0]
            for table in marts
        }

    _, parquet = export(store, "owner", "parquet", tmp_path / "parquet")
    _, csv = export(store, "owner", "csv", tmp_path / "csv")
    assert {file.mart for file in parquet} == {file.mart for file in csv} == set(marts)
    with duckdb.connect() as con:
        for mart, columns in marts.items():
            path = tmp_path / "parquet" / f"{mart}.parquet"
            read = con.execute(f"describe select * from read_parquet('{path}')").df()
            # a release narrows HUGEINT sums to BIGINT, which Parquet carries (publish._portable)
            expected = columns.replace({"column_type": {"HUGEINT": "BIGINT"}})
            pd.testing.assert_frame_equal(
                read[["column_name", "column_type"]], expected, check_names=False
            )
            assert (
                con.execute(f"select count(*) from read_parquet('{path}')").fetchone()[0]
                == rows[mart]
            )
            assert pq.read_metadata(path).num_rows == rows[mart]
            csv_path = tmp_path / "csv" / f"{mart}.csv"
            assert len(pd.read_csv(csv_path, low_memory=False)) == rows[mart]
            assert (
                con.execute(f"select count(*) from read_csv('{csv_path}')").fetchone()[0]
                == rows[mart]
            )
    table = pq.read_table(tmp_path / "parquet" / "fct_appointments.parquet")
    assert str(table.schema.field("revenue_total").type).startswith("decimal128")
    assert str(table.schema.field("service_date").type) == "date32[day]"
