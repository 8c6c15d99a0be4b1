"""What changed in the inbox since the last look: the sensor's logic, without Dagster.

The sensor's cursor is JSON, file name -> size, mtime (ns) and sha256 of the content. A file
whose size and mtime match the cursor is not read again; one whose content hashes to what the
cursor holds (touched, or copied back) is not a change. A file modified less than
`SETTLE_SECONDS` ago may still be being written (a copy from a network share, Excel saving) and
is left for a later look, so a run never starts for half a file.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ingestion.inbox.files import content_id, inbox_files

SETTLE_SECONDS = 10


@dataclass(frozen=True)
class Seen:
    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True)
class Change:
    file_name: str
    sha256: str


def load_cursor(cursor: str | None) -> dict[str, Seen]:
    return {name: Seen(**seen) for name, seen in json.loads(cursor or "{}").items()}


def dump_cursor(seen: dict[str, Seen]) -> str:
    return json.dumps({name: asdict(entry) for name, entry in sorted(seen.items())})


def look(
    inbox: Path, previous: dict[str, Seen], now_ns: int
) -> tuple[list[Change], dict[str, Seen]]:
    """The files new or changed since `previous`, and what to remember for the next look.

    Files gone from the inbox are forgotten; a file not yet settled keeps its previous entry
    (if any) until it is.
    """
    changes: list[Change] = []
    current: dict[str, Seen] = {}
    for path in inbox_files(inbox):
        before = previous.get(path.name)
        try:
            stat = path.stat()
            if before and (before.size, before.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
                current[path.name] = before
                continue
            if now_ns - stat.st_mtime_ns < SETTLE_SECONDS * 1_000_000_000:
                if before:
                    current[path.name] = before
                continue
            sha256 = content_id(path.read_bytes())
        except FileNotFoundError:  # removed between the listing and the read
            continue
        current[path.name] = Seen(stat.st_size, stat.st_mtime_ns, sha256)
        if before is None or before.sha256 != sha256:
            changes.append(Change(path.name, sha256))
    return changes, current
