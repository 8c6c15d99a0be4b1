"""Which files in the inbox are candidates, in what order, and what identifies their content.

The loader and the sensor watching the inbox share these rules, so a file the sensor starts a
run for is a file the run loads, and the run key it uses is the id the loader records.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ingestion.inbox.kinds import LOAD_ORDER, kind_of


def is_candidate(path: Path) -> bool:
    """Every regular file except hidden ones and Office's `~$` lock files. A file of an
    unsupported type is a candidate: it is rejected with a reason rather than ignored."""
    return path.is_file() and not path.name.startswith((".", "~$"))


def inbox_files(inbox: Path) -> list[Path]:
    """Candidate files in load order: shops first, then the kinds that refer to shops."""
    if not inbox.exists():
        return []

    def order(path: Path) -> tuple[int, str]:
        kind = kind_of(path.name)
        return (LOAD_ORDER.index(kind.name) if kind else len(LOAD_ORDER), path.name)

    return sorted((p for p in inbox.iterdir() if is_candidate(p)), key=order)


def content_id(content: bytes) -> str:
    """A file's identity: the sha256 of its bytes, whatever its name."""
    return hashlib.sha256(content).hexdigest()


def display_name(path: Path) -> str:
    """The file's name as text that can be stored, logged and tagged.

    A name written by another system may hold bytes that are not UTF-8 (a Latin-1 `café` from
    an old share); Python keeps them as lone surrogates, which DuckDB, JSON encoders and Dagster's
    run storage refuse. Those bytes are shown as `\\xe9` escapes; every other name is unchanged.
    """
    return os.fsencode(path.name).decode("utf-8", errors="backslashreplace")
