"""Settling on real files: one wait for the youngest file, a file that changes meanwhile left."""

import os
from pathlib import Path

from ingestion.inbox.settle import NS, wait_until_settled

NOW = 1_780_000_000 * NS  # a fixed clock: nothing here depends on the time the test runs


def write(path: Path, content: bytes, seconds_ago: float) -> Path:
    path.write_bytes(content)
    written = NOW - int(seconds_ago * NS)
    os.utime(path, ns=(written, written))
    return path


def test_young_files_are_watched_once_and_one_that_grows_meanwhile_is_left(
    tmp_path: Path,
) -> None:
    old = write(tmp_path / "shops.csv", b"settled long ago", seconds_ago=60)
    young = write(tmp_path / "staff.csv", b"saved 2 s ago", seconds_ago=2)
    growing = write(tmp_path / "customers.csv", b"50 rows", seconds_ago=1)
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        with growing.open("ab") as file:  # the copy goes on while the loader waits
            file.write(b" and 350 more")

    settled = wait_until_settled([old, young, growing], 5, clock=lambda: NOW, sleep=sleep)

    assert waits == [4.0]  # until the youngest file is 5 s old, once for all
    assert set(settled.files) == {old, young}
    assert settled.writing == [growing]


def test_old_files_need_no_wait_and_a_future_mtime_waits_at_most_the_settle_time(
    tmp_path: Path,
) -> None:
    old = write(tmp_path / "shops.csv", b"x", seconds_ago=6)
    waits: list[float] = []
    assert wait_until_settled([old], 5, clock=lambda: NOW, sleep=waits.append).writing == []
    assert waits == []

    skewed = write(tmp_path / "staff.csv", b"y", seconds_ago=-3600)  # a share's clock ahead
    settled = wait_until_settled([skewed], 5, clock=lambda: NOW, sleep=waits.append)
    assert waits == [5.0]
    assert set(settled.files) == {skewed}
