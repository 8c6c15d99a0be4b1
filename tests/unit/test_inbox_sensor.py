"""The inbox sensor on a real folder: a run per new content once it held still between two
looks, never twice for the same bytes."""

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ingestion.inbox.store import ensure_schema
from orchestration.defs.ingestion.inbox_sensor import inbox_job, inbox_sensor
from orchestration.defs.resources import InboxResource, WarehouseResource

SETTLE_SECONDS = 10
# One tick in another process: DuckDB's lock is per process, so the busy warehouse must be
# another process's.
SENSOR_TICK = """
import sys
from pathlib import Path
from tests.unit.test_inbox_sensor import tick
result = tick(Path(sys.argv[1]), None)
print(getattr(result, "skip_message", None))
"""


@pytest.fixture(autouse=True)
def settle_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAIRSIDE_INBOX_SETTLE_SECONDS", str(SETTLE_SECONDS))


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


def drop(inbox: Path, name: str, content: bytes, age_seconds: float = 60) -> Path:
    """A file as if written `age_seconds` ago (its age changes nothing: only looks settle it)."""
    path = inbox / name
    path.write_bytes(content)
    written = time.time() - age_seconds
    os.utime(path, (written, written))
    return path


def tick(inbox: Path, cursor: str | None) -> dg.SensorResult:
    """A look with no warehouse built yet: nothing is loaded."""
    warehouse = inbox.parent / "warehouse.duckdb"
    context = dg.build_sensor_context(
        cursor=cursor,
        resources={
            "inbox": InboxResource(path=str(inbox)),
            "warehouse": WarehouseResource(path=str(warehouse)),
        },
    )
    return inbox_sensor(context)


def record_loaded(warehouse: Path, content: bytes, name: str) -> None:
    with duckdb.connect(str(warehouse)) as con:
        ensure_schema(con)
        con.execute(
            "insert into ops.inbox_files values (?, ?, 'shops', 1, ?, 'loaded', null, 1, 1, 0, "
            "[], now())",
            [sha(content), name, len(content)],
        )


def settled_tick(inbox: Path, cursor: str | None) -> dg.SensorResult:
    """A look that finds the new contents, then the next one, which reports them."""
    first = tick(inbox, cursor)
    assert first.run_requests == []
    return tick(inbox, first.cursor)


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def run_key(content: bytes, *names: str) -> str:
    return f"inbox-{sha(content)}-{sha(chr(10).join(sorted(names)).encode())[:16]}"


def test_new_files_start_one_run_each_keyed_by_content(inbox: Path) -> None:
    drop(inbox, "shops.csv", b"shops v1")
    drop(inbox, "inquiries_may.xlsx", b"log")
    drop(inbox, "~$inquiries_may.xlsx", b"Excel's lock file")

    result = settled_tick(inbox, None)

    assert {(r.run_key, r.tags["chairside/inbox_files"]) for r in result.run_requests} == {
        (run_key(b"shops v1", "shops.csv"), "shops.csv"),
        (run_key(b"log", "inquiries_may.xlsx"), "inquiries_may.xlsx"),
    }
    assert set(json.loads(result.cursor)) == {"shops.csv", "inquiries_may.xlsx"}


def test_content_the_warehouse_loaded_starts_no_run_even_without_a_cursor(inbox: Path) -> None:
    """`make demo` loads the inbox; the first `dagster dev` then has no cursor."""
    drop(inbox, "shops.csv", b"shops v1")
    drop(inbox, "staff.csv", b"staff v1")
    record_loaded(inbox.parent / "warehouse.duckdb", b"shops v1", "shops.csv")

    result = settled_tick(inbox, None)

    assert [r.run_key for r in result.run_requests] == [run_key(b"staff v1", "staff.csv")]


def test_a_busy_warehouse_skips_the_tick_and_keeps_the_cursor(inbox: Path) -> None:
    drop(inbox, "shops.csv", b"shops v1")
    warehouse = inbox.parent / "warehouse.duckdb"
    record_loaded(warehouse, b"other", "other.csv")
    with duckdb.connect(str(warehouse)):  # a build holds the write lock
        busy = subprocess.run(
            [sys.executable, "-c", SENSOR_TICK, str(inbox)], capture_output=True, text=True
        )
    assert busy.returncode == 0, busy.stderr
    assert "busy being rebuilt" in busy.stdout and "Looking again" in busy.stdout


def test_nothing_new_is_a_skip_and_a_touched_file_is_not_new(inbox: Path) -> None:
    path = drop(inbox, "shops.csv", b"shops v1")
    first = settled_tick(inbox, None)

    again = tick(inbox, first.cursor)
    assert again.run_requests == []
    assert again.skip_reason.skip_message == f"no new or changed file in {inbox}"

    saved_again = time.time() - 50  # the same bytes, saved again
    os.utime(path, (saved_again, saved_again))
    touched = tick(inbox, again.cursor)
    assert touched.run_requests == []
    assert json.loads(touched.cursor)["shops.csv"]["mtime_ns"] == path.stat().st_mtime_ns


def test_a_changed_file_starts_a_run_for_its_new_content(inbox: Path) -> None:
    drop(inbox, "shops.csv", b"shops v1")
    first = settled_tick(inbox, None)
    drop(inbox, "shops.csv", b"shops v2, new hours", age_seconds=30)

    (request,) = settled_tick(inbox, first.cursor).run_requests

    assert request.run_key == run_key(b"shops v2, new hours", "shops.csv")


def test_the_same_bytes_under_two_names_start_one_run(inbox: Path) -> None:
    drop(inbox, "staff.xlsx", b"roster")
    drop(inbox, "staff copy.xlsx", b"roster")

    (request,) = settled_tick(inbox, None).run_requests

    assert request.run_key == run_key(b"roster", "staff.xlsx", "staff copy.xlsx")
    assert request.tags["chairside/inbox_files"] == "staff copy.xlsx, staff.xlsx"


def test_a_renamed_file_starts_a_run_though_its_bytes_were_seen(inbox: Path) -> None:
    """A file rejected for its name, renamed to fix it, must be loaded again."""
    drop(inbox, "roster.csv", b"roster")
    first = settled_tick(inbox, None)
    (inbox / "roster.csv").rename(inbox / "staff.csv")

    (request,) = settled_tick(inbox, first.cursor).run_requests

    assert request.run_key == run_key(b"roster", "staff.csv")
    assert request.run_key != first.run_requests[0].run_key


def test_a_file_still_being_written_waits_until_it_settles(inbox: Path) -> None:
    path = drop(inbox, "customers.csv", b"half a fi", age_seconds=1)

    waiting = tick(inbox, None)
    assert waiting.run_requests == []

    path.write_bytes(b"half a file, now whole")
    still_waiting = tick(inbox, waiting.cursor)
    assert still_waiting.run_requests == []
    (request,) = tick(inbox, still_waiting.cursor).run_requests
    assert request.run_key == run_key(b"half a file, now whole", "customers.csv")


@pytest.mark.parametrize("offset_seconds", [-86_400, 0, 3_600, 10 * 365 * 86_400])
def test_a_modification_time_from_a_skewed_clock_neither_settles_nor_blocks_a_file(
    inbox: Path, offset_seconds: float
) -> None:
    """A share's clock a day behind, or an hour or ten years ahead: the looks decide."""
    path = drop(inbox, "staff.csv", b"roster", age_seconds=-offset_seconds)
    waiting = tick(inbox, None)
    assert waiting.run_requests == []
    (request,) = tick(inbox, waiting.cursor).run_requests
    assert request.run_key == run_key(b"roster", "staff.csv")
    assert path.exists()


def test_a_cursor_from_before_is_read_as_reported(inbox: Path) -> None:
    drop(inbox, "shops.csv", b"shops v1")
    stat = (inbox / "shops.csv").stat()
    old = json.dumps(
        {
            "shops.csv": {
                "size": stat.st_size,
                "mtime_ns": stat.st_mtime_ns,
                "sha256": sha(b"shops v1"),
            }
        }
    )
    assert tick(inbox, old).run_requests == []


def test_a_removed_file_is_forgotten(inbox: Path) -> None:
    path = drop(inbox, "shops.csv", b"shops v1")
    first = settled_tick(inbox, None)
    path.unlink()

    assert json.loads(tick(inbox, first.cursor).cursor) == {}


def test_the_sensor_runs_the_inbox_load_and_the_dbt_models_it_feeds() -> None:
    from orchestration.definitions import defs

    job = defs.resolve_job_def(inbox_job.name)
    keys = {key.to_user_string() for key in job.asset_layer.selected_asset_keys}
    assert {"inbox/shops", "inbox_ops/inbox_files", "staging/stg_inbox__shops"} <= keys
    assert "marts/fct_inquiries" in keys
    assert not any(key.startswith("cassandra/") for key in keys)
    assert defs.resolve_sensor_def("inbox_sensor").minimum_interval_seconds == 30
