"""Whether a file in the inbox has been left alone long enough to be read whole.

A copy from a network share or a slow export writes a file in pieces; reading it midway loads
the first rows and quarantines a torn last row, and the rest arrives as a "new version" later.
A file counts as settled when it is seen the same (size, modification time and, for a small
file, the hash of its bytes) at both ends of an observation interval measured on this
process's monotonic clock. Its modification time is never compared with the clock: a network
share's clock may be ahead or behind, and a faked or stepped clock would settle a file being
written, or never settle one. Every file is watched, old or new, and all at once: a batch costs
one wait of the settle time. Every load path (the Dagster job, the command line) asks here, so
none of them reads half a file; the sensor settles across its own looks (`watch.py`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ingestion.inbox.files import content_id

# Files up to this size are hashed as well: a writer that keeps the size and sets the time back
# (an in-place rewrite, `cp -p`, an rsync keeping times) changes only their bytes. Larger files
# are trusted to their size and time, so watching a big inbox reads no file twice.
HASHED_UP_TO_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Snapshot:
    size: int
    mtime_ns: int
    sha256: str | None = None  # of the bytes, for a file of at most HASHED_UP_TO_BYTES


def snapshot(path: Path) -> Snapshot | None:
    """Size, modification time and (small files) hash; None when the file is gone."""
    try:
        stat = path.stat()
        digest = None
        if stat.st_size <= HASHED_UP_TO_BYTES:
            digest = content_id(path.read_bytes())
    except FileNotFoundError:
        return None
    return Snapshot(stat.st_size, stat.st_mtime_ns, digest)


@dataclass(frozen=True)
class Settled:
    files: dict[Path, Snapshot]  # settled, with the state they settled in
    writing: list[Path]  # changed while watched: still being written, left for a later run


def wait_until_settled(
    paths: Iterable[Path],
    settle_seconds: float,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Settled:
    """Watch every file over one interval of `settle_seconds` on the monotonic `clock`."""
    first = {path: seen for path in paths if (seen := snapshot(path)) is not None}
    if not first:
        return Settled({}, [])
    started = clock()
    while (left := settle_seconds - (clock() - started)) > 0:  # a sleep may end early
        sleep(left)
    files, writing = {}, []
    for path, seen in first.items():
        again = snapshot(path)
        if again == seen:
            files[path] = seen
        elif again is not None:  # a file removed meanwhile is simply gone
            writing.append(path)
    return Settled(files, writing)


def unchanged_since(path: Path, seen: Snapshot, content: bytes) -> bool:
    """After reading `content`: the bytes read are the bytes that settled (no write slipped in
    between the watch and the read, nor during the read)."""
    if seen.sha256 is not None and content_id(content) != seen.sha256:
        return False
    return snapshot(path) == seen
