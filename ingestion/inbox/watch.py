"""What changed in the inbox since the last look: the sensor's logic, without Dagster.

The sensor's cursor is JSON, file name -> size, mtime (ns) and sha256 of the content. A file
whose size and mtime match the cursor is not read again; one whose content hashes to what the
cursor holds (touched, or copied back) is not a change. A file modified within the settle time
may still be being written (a copy from a network share, Excel saving) and is left for a later
look, so a run never starts for half a file (the run's load path checks again, see `settle`).
Names are the files' display names, so the cursor and the run tags are always valid text.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ingestion.inbox.files import content_id, display_name, inbox_files
from ingestion.inbox.settle import is_old_enough, snapshot


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
    inbox: Path, previous: dict[str, Seen], now_ns: int, settle_seconds: float
) -> tuple[list[Change], dict[str, Seen]]:
    """The files new or changed since `previous`, and what to remember for the next look.

    Files gone from the inbox are forgotten; a file not yet settled keeps its previous entry
    (if any) until it is.
    """
    changes: list[Change] = []
    current: dict[str, Seen] = {}
    for path in inbox_files(inbox):
        name = display_name(path)
        before = previous.get(name)
        seen = snapshot(path)
        if seen is None:  # removed between the listing and the look
            continue
        if before and (before.size, before.mtime_ns) == (seen.size, seen.mtime_ns):
            current[name] = before
            continue
        if not is_old_enough(seen, now_ns, settle_seconds):
            if before:
                current[name] = before
            continue
        try:
            sha256 = content_id(path.read_bytes())
        except FileNotFoundError:
            continue
        if snapshot(path) != seen:  # written to while it was read: look again next time
            if before:
                current[name] = before
            continue
        current[name] = Seen(seen.size, seen.mtime_ns, sha256)
        if before is None or before.sha256 != sha256:
            changes.append(Change(name, sha256))
    return changes, current
