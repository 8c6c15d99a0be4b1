"""Settling on real files: every file watched over one interval of the monotonic clock, all at
once; a file that changes meanwhile is left, whatever its modification time says."""

import os
from collections.abc import Callable
from pathlib import Path

from ingestion.inbox.settle import unchanged_since, wait_until_settled

NS = 1_000_000_000
WALL_CLOCK_NS = 1_780_000_000 * NS  # file times are set from here, never read from the clock


def write(path: Path, content: bytes, seconds_ago: float) -> Path:
    path.write_bytes(content)
    written = WALL_CLOCK_NS - int(seconds_ago * NS)
    os.utime(path, ns=(written, written))
    return path


class Monotonic:
    """A monotonic clock that moves only when slept on (or when told to)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []
        self.during: Callable[[], None] = lambda: None

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.during()
        self.now += seconds


def settle(paths: list[Path], clock: Monotonic, seconds: float = 5):
    return wait_until_settled(paths, seconds, clock=clock, sleep=clock.sleep)


def test_every_file_is_watched_over_one_wait_and_one_that_grows_meanwhile_is_left(
    tmp_path: Path,
) -> None:
    old = write(tmp_path / "shops.csv", b"settled long ago", seconds_ago=86_400)
    young = write(tmp_path / "staff.csv", b"saved 2 s ago", seconds_ago=2)
    growing = write(tmp_path / "customers.csv", b"50 rows", seconds_ago=1)
    clock = Monotonic()

    def copy_goes_on() -> None:
        with growing.open("ab") as file:
            file.write(b" and 350 more")

    clock.during = copy_goes_on
    settled = settle([old, young, growing], clock)

    assert clock.waits == [5]  # once for the batch, not per file
    assert set(settled.files) == {old, young}
    assert settled.writing == [growing]


def test_an_old_modification_time_does_not_settle_a_file_still_being_written(
    tmp_path: Path,
) -> None:
    """A share whose clock is a day behind, or a copy that keeps the source's times."""
    path = write(tmp_path / "customers.csv", b"Name,Phone\n", seconds_ago=86_400)
    clock = Monotonic()

    def append_keeping_the_old_time() -> None:
        before = path.stat().st_mtime_ns
        with path.open("ab") as file:
            file.write(b"Ana,709 555 0100\n")
        os.utime(path, ns=(before, before))

    clock.during = append_keeping_the_old_time
    assert settle([path], clock).writing == [path]


def test_the_same_size_and_time_with_other_bytes_is_a_change_for_a_small_file(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "shops.csv", b"shops v1", seconds_ago=60)
    clock = Monotonic()

    def rewrite_in_place() -> None:
        write(path, b"shops v2", seconds_ago=60)

    clock.during = rewrite_in_place
    assert settle([path], clock).writing == [path]


def test_a_future_modification_time_settles_after_the_one_wait(tmp_path: Path) -> None:
    skewed = write(tmp_path / "staff.csv", b"y", seconds_ago=-3600)  # a share's clock ahead
    clock = Monotonic()
    settled = settle([skewed], clock)
    assert clock.waits == [5]
    assert set(settled.files) == {skewed}


def test_a_sleep_that_ends_early_is_made_up_on_the_monotonic_clock(tmp_path: Path) -> None:
    path = write(tmp_path / "staff.csv", b"y", seconds_ago=10)
    clock = Monotonic()
    short = clock.sleep

    def wakes_early(seconds: float) -> None:
        short(min(seconds, 2))

    wait_until_settled([path], 5, clock=clock, sleep=wakes_early)
    assert clock.waits == [2, 2, 1]


def test_no_file_no_wait_and_a_removed_file_is_gone(tmp_path: Path) -> None:
    clock = Monotonic()
    assert settle([], clock).files == {}
    assert clock.waits == []
    path = write(tmp_path / "staff.csv", b"y", seconds_ago=10)
    clock.during = path.unlink
    settled = settle([path], clock)
    assert (settled.files, settled.writing) == ({}, [])


def test_bytes_read_after_settling_are_checked_against_the_settled_ones(tmp_path: Path) -> None:
    path = write(tmp_path / "shops.csv", b"shops v1", seconds_ago=60)
    (seen,) = settle([path], Monotonic()).files.values()
    assert unchanged_since(path, seen, path.read_bytes())
    write(path, b"shops v2", seconds_ago=60)
    assert not unchanged_since(path, seen, path.read_bytes())
