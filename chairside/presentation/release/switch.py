"""Moving readers between releases: the pointer switch, rollback, and retention.

The pointer is one small file replaced with os.replace, which is atomic on POSIX: a reader that
opens it sees the old id or the new one, never a mix, and a crash leaves one of the two. Folders
are deleted only once they are older than the newest `keep` and not the one readers see, and
`keep` is at least 2, so a reader that resolved the previous release a moment before a switch
still finds its file.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from chairside.presentation.release.store import STAGING_PREFIX, NoRelease, ReleaseStore


def point_to(store: ReleaseStore, release_id: str) -> None:
    """Make `release_id` the release every reader sees from its next read on."""
    store.resolve(release_id)  # refuses an id that is not a complete release
    partial = store.root / f".{store.pointer.name}.{os.getpid()}.partial"
    with partial.open("w", encoding="utf-8") as file:
        file.write(f"{release_id}\n")
        file.flush()
        os.fsync(file.fileno())
    partial.replace(store.pointer)  # os.replace: atomic on POSIX


def rollback(store: ReleaseStore) -> str:
    """Point readers at the release before the current one; returns its id."""
    current = store.resolve()
    earlier = [release_id for release_id in store.releases() if release_id < current]
    if not earlier:
        raise NoRelease(f"No release older than {current} is kept under {store.root}.")
    point_to(store, earlier[-1])
    return earlier[-1]


def prune(store: ReleaseStore, keep: int, *, building: str | None = None) -> list[str]:
    """Delete all but the newest `keep` releases (never the current one) and any staging folder
    a crashed publish left (never the one being built). Returns the deleted release ids."""
    current = store.current_id()
    releases = store.releases()
    doomed = [release_id for release_id in releases[:-keep] if release_id != current]
    for release_id in doomed:
        remove(store.folder(release_id))
    for staging in store.root.glob(f"{STAGING_PREFIX}*"):
        if building is None or staging != store.staging(building):
            remove(staging)
    return doomed


def remove(folder: Path) -> None:
    """Delete a release folder, whose folders are read-only on purpose: a file can only be
    unlinked from a folder its owner may write, so every folder is made writable first."""
    folder.chmod(stat.S_IRWXU)
    for parent, folders, _files in os.walk(folder):
        for name in folders:
            Path(parent, name).chmod(stat.S_IRWXU)
    shutil.rmtree(folder)
