"""The file a reader opens: the current release of its audience, named anew on every read.

An app page stays open for hours while releases come and go (a build every few seconds under
steady traffic, the oldest pruned), so a path fixed when the page loaded would soon name a
deleted file. `CurrentRelease` is a path-like that reads the pointer each time it is turned
into a path, which `chairside.core.warehouse.read_frame` does on every attempt.
"""

from __future__ import annotations

import os
from pathlib import Path

from chairside.core.settings import ReleaseSettings, load_settings
from chairside.presentation.release.store import Audience, ReleaseStore


class CurrentRelease(os.PathLike[str]):
    def __init__(self, root: Path, audience: Audience) -> None:
        self.store = ReleaseStore(root)
        self.audience = audience

    def __fspath__(self) -> str:
        return str(self.path())

    def path(self) -> Path:
        """The current release's database for this audience; NoRelease before any publish."""
        return self.store.database(self.store.resolve(), self.audience)

    def __repr__(self) -> str:
        return f"CurrentRelease({str(self.store.root)!r}, {self.audience!r})"


def current_release(audience: Audience, settings: ReleaseSettings | None = None) -> CurrentRelease:
    """What an app or report reads: `owner` for the pages that need contacts (call list,
    snapshot), `analyst` for everything else."""
    return CurrentRelease((settings or load_settings().releases).root, audience)
