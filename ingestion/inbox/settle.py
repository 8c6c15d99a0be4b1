"""Whether a file in the inbox has been left alone long enough to be read whole.

A copy from a network share or a slow export writes a file in pieces; reading it midway loads
the first rows and quarantines a torn last row, and the rest arrives as a "new version" later.
A file counts as settled when its size and modification time have held still for the settle
time: a file last modified longer ago than that is settled at once; a younger one is watched
until it is that old and settled only if nothing changed meanwhile. Every load path (the sensor,
the Dagster job, the command line) asks here, so none of them reads half a file.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

NS = 1_000_000_000


@dataclass(frozen=True)
class Snapshot:
    size: int
    mtime_ns: int


def snapshot(path: Path) -> Snapshot | None:
    """Size and modification time, or None when the file is gone."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return Snapshot(stat.st_size, stat.st_mtime_ns)


def is_old_enough(seen: Snapshot, now_ns: int, settle_seconds: float) -> bool:
    return now_ns - seen.mtime_ns >= settle_seconds * NS


@dataclass(frozen=True)
class Settled:
    files: dict[Path, Snapshot]  # settled, with the state they settled in
    writing: list[Path]  # changed while watched: still being written, left for a later run


def wait_until_settled(
    paths: Iterable[Path],
    settle_seconds: float,
    *,
    clock: Callable[[], int] = time.time_ns,
    sleep: Callable[[float], None] = time.sleep,
) -> Settled:
    """Settle every file at once: one wait, as long as the youngest file needs (at most the
    settle time, even when a clock skew puts a modification time in the future)."""
    first = {path: seen for path in paths if (seen := snapshot(path)) is not None}
    now = clock()
    young = {
        path: seen for path, seen in first.items() if not is_old_enough(seen, now, settle_seconds)
    }
    if not young:
        return Settled(first, [])
    wait_ns = max(settle_seconds * NS - (now - seen.mtime_ns) for seen in young.values())
    sleep(min(wait_ns, settle_seconds * NS) / NS)
    files = {path: seen for path, seen in first.items() if path not in young}
    writing = []
    for path, seen in young.items():
        again = snapshot(path)
        if again == seen:
            files[path] = seen
        elif again is not None:  # a file removed meanwhile is simply gone
            writing.append(path)
    return Settled(files, writing)


def unchanged_since(path: Path, seen: Snapshot) -> bool:
    """After reading: the bytes read are the bytes that settled (no write slipped in between)."""
    return snapshot(path) == seen
