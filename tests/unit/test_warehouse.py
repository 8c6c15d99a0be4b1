"""The warehouse's errors say what happened: a damaged file is not "busy", a failed write is
reported as itself even when the rollback after it fails too."""

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from chairside.core.warehouse import WarehouseUnavailable, read_frame, transaction


def built(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create table t as select range as n from range(200000)")
    return path


def test_a_file_that_is_no_database_is_called_damaged_not_busy(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    path.write_bytes(b"PK\x03\x04 a spreadsheet, say" * 100)
    with pytest.raises(WarehouseUnavailable, match="damaged") as raised:
        read_frame(path, "select 1", attempts=3, wait_seconds=0)
    assert "busy" not in str(raised.value)


def test_a_truncated_warehouse_is_called_damaged_not_busy(tmp_path: Path) -> None:
    path = built(tmp_path / "warehouse.duckdb")
    content = path.read_bytes()
    path.write_bytes(content[: len(content) // 3])
    with pytest.raises(WarehouseUnavailable, match="damaged") as raised:
        read_frame(path, "select count(*) from t", attempts=3, wait_seconds=0)
    assert "busy" not in str(raised.value)


def test_a_warehouse_a_writer_holds_is_busy(tmp_path: Path) -> None:
    path = built(tmp_path / "warehouse.duckdb")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('held', flush=True); "
            "sys.stdin.read()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(WarehouseUnavailable, match="busy being rebuilt"):
            read_frame(path, "select count(*) from t", attempts=2, wait_seconds=0)
    finally:
        holder.communicate("")


def test_the_error_of_a_failed_write_survives_a_failed_rollback(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    with pytest.raises(OSError, match="No space left on device") as raised, transaction(con):
        con.execute("create table t (n integer)")
        con.close()  # the database is gone, as after a fatal write error: rollback fails
        raise OSError(28, "No space left on device")
    assert any("rollback" in note for note in raised.value.__notes__)


def test_a_transaction_commits_all_or_nothing(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table t (n integer)")
        with pytest.raises(ValueError), transaction(con):
            con.execute("insert into t values (1)")
            raise ValueError("half way")
        with transaction(con):
            con.execute("insert into t values (2)")
        assert con.execute("select n from t").fetchall() == [(2,)]
