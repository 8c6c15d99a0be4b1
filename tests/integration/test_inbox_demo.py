"""The demo's inbox through the Dagster asset and the sensor: the generator knows how many rows
it wrote to each file, so every file's count is checked against a number the loader never saw.
"""

import datetime as dt

import dagster as dg
import duckdb
import pytest

from chairside.core.settings import Settings
from chairside.demo import DemoConfig, WrittenFiles, generate, write_dataset
from orchestration.defs.ingestion.inbox import inbox_tables
from orchestration.defs.ingestion.inbox_sensor import inbox_sensor
from orchestration.defs.resources import InboxResource, WarehouseResource

pytestmark = pytest.mark.integration


@pytest.fixture
def demo_inbox(chairside_env: Settings, monkeypatch: pytest.MonkeyPatch) -> WrittenFiles:
    # the files are written just before each load; a short settle time keeps the waits short
    monkeypatch.setenv("CHAIRSIDE_INBOX_SETTLE_SECONDS", "0.2")
    dataset = generate(DemoConfig(seed=3, shops=2, years=0.5, end_date=dt.date(2026, 11, 15)))
    return write_dataset(
        dataset,
        inbox_dir=chairside_env.inbox,
        events_dir=chairside_env.data_dir / "events",
        crm_dir=chairside_env.data_dir / "crm",
    )


def materialize_inbox() -> dg.ExecuteInProcessResult:
    result = dg.materialize(
        [inbox_tables], resources={"warehouse": WarehouseResource(), "inbox": InboxResource()}
    )
    assert result.success
    return result


def files_table(settings: Settings) -> dict[str, tuple]:
    """File name -> status, version and counts of its newest version."""
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        rows = con.execute(
            "select file_name, status, version, rows_read, rows_loaded, rows_quarantined "
            "from ops.inbox_files order by version"
        ).fetchall()
    return {name: tuple(rest) for name, *rest in rows}  # the newest version of each name


def test_every_demo_file_loads_every_row_it_holds(
    demo_inbox: WrittenFiles, chairside_env: Settings
) -> None:
    result = materialize_inbox()

    files = files_table(chairside_env)
    assert set(files) == {path.name for path in demo_inbox.inbox}
    for path in demo_inbox.inbox:
        status, version, read, loaded, quarantined = files[path.name]
        assert (status, version) == ("loaded", 1)
        assert read == demo_inbox.rows[path] == loaded + quarantined, path.name
    (materialization, *_) = result.asset_materializations_for_node("inbox_tables")
    assert materialization.metadata["rows_read"].value == sum(
        demo_inbox.rows[path] for path in demo_inbox.inbox
    )


def test_a_second_drop_loads_nothing_and_a_changed_file_loads_as_a_new_version(
    demo_inbox: WrittenFiles, chairside_env: Settings
) -> None:
    materialize_inbox()
    materialize_inbox()
    assert {v[1] for v in files_table(chairside_env).values()} == {1}

    legacy = next(p for p in demo_inbox.inbox if p.name.startswith("customers"))
    legacy.write_bytes(
        legacy.read_bytes() + "Late Addition,(709) 555-0199,,,,,\r\n".encode("cp1252")
    )
    materialize_inbox()

    files = files_table(chairside_env)
    assert files[legacy.name][:2] == ("loaded", 2)
    assert files[legacy.name][2] == demo_inbox.rows[legacy] + 1


def test_the_sensor_asks_for_one_run_per_demo_file_then_for_none(
    demo_inbox: WrittenFiles, chairside_env: Settings
) -> None:
    resources = {"inbox": InboxResource(), "warehouse": WarehouseResource()}

    def looks(times: int) -> list[dg.SensorResult]:
        ticks, cursor = [], None
        for _ in range(times):
            ticks.append(inbox_sensor(dg.build_sensor_context(cursor=cursor, resources=resources)))
            cursor = ticks[-1].cursor
        return ticks

    seen, first, second = looks(3)
    assert seen.run_requests == []  # new files are reported once a second look agrees
    assert len(first.run_requests) == len(demo_inbox.inbox)
    assert second.run_requests == []

    # loaded by another path (`make demo`), then a first `dagster dev` with no cursor: nothing
    materialize_inbox()
    assert [tick.run_requests for tick in looks(2)] == [[], []]
