"""What changed in the inbox since the last look: the sensor's logic, without Dagster.

The sensor's cursor is JSON, file name -> size, mtime (ns), sha256 of the content, and whether
that content was reported. A file whose size and mtime match the cursor is not read again; one
whose content hashes to what the cursor holds (touched, or copied back) is not a change. A file
may still be being written (a copy from a network share, Excel saving), so a new content is
reported only once a later look finds the file as the earlier one left it: the sensor's own
interval is the observation interval, and no modification time is compared with any clock (a
share's clock may be skewed). The run's load path watches every file again (see `settle`).
Names are the files' display names, so the cursor and the run tags are always valid text.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from ingestion.inbox.files import content_id, display_name, inbox_files
from ingestion.inbox.settle import snapshot


@dataclass(frozen=True)
class Seen:
    size: int
    mtime_ns: int
    sha256: str
    reported: bool = True  # False: a new content seen once, reported if the next look agrees


@dataclass(frozen=True)
class Change:
    file_name: str
    sha256: str


def load_cursor(cursor: str | None) -> dict[str, Seen]:
    """A cursor written before `reported` existed holds only reported contents."""
    return {name: Seen(**seen) for name, seen in json.loads(cursor or "{}").items()}


def dump_cursor(seen: dict[str, Seen]) -> str:
    return json.dumps({name: asdict(entry) for name, entry in sorted(seen.items())})


def look(inbox: Path, previous: dict[str, Seen]) -> tuple[list[Change], dict[str, Seen]]:
    """The files whose new content held still since the previous look, and what to remember.

    Files gone from the inbox are forgotten.
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
            if not before.reported:  # held still for a whole interval: settled
                changes.append(Change(name, before.sha256))
                before = replace(before, reported=True)
            current[name] = before
            continue
        try:
            sha256 = seen.sha256 or content_id(path.read_bytes())
        except FileNotFoundError:
            continue
        if snapshot(path) != seen:  # written to while it was read: look again next time
            if before:
                current[name] = before
            continue
        reported = before is not None and before.sha256 == sha256 and before.reported
        current[name] = Seen(seen.size, seen.mtime_ns, sha256, reported)
    return changes, current
