"""Which release readers see and whether a later build was refused: what Data health shows
first, because every other number on every page comes from that release."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from chairside.presentation.release import refusal
from chairside.presentation.release.manifest import Manifest
from chairside.presentation.release.store import NoRelease, ReleaseStore


@dataclass(frozen=True)
class ReleaseStatus:
    current: Manifest | None
    refused: refusal.Refusal | None

    @property
    def refused_since(self) -> bool:
        """A build after the one readers see ended without publishing: readers are behind."""
        if self.refused is None:
            return False
        return self.current is None or self.refused.refused_at > self.current.published_at

    def row_counts(self) -> pd.DataFrame:
        counts = self.current.row_counts if self.current else {}
        return pd.DataFrame(counts).rename_axis("mart").reset_index()

    def failed_checks(self) -> pd.DataFrame:
        failed = self.refused.failed_checks if self.refused else []
        return pd.DataFrame(
            [(c.name, c.severity, c.description) for c in failed],
            columns=["check", "severity", "description"],
        )


def release_status(store: ReleaseStore) -> ReleaseStatus:
    try:
        current = Manifest.read(store.manifest_path(store.resolve()))
    except NoRelease:
        current = None
    return ReleaseStatus(current=current, refused=refusal.last(store))


def describe(status: ReleaseStatus) -> str:
    """Markdown: the release every reader sees, and a refused build after it if any."""
    if status.current is None:
        lines = [
            "**No release published yet**: the apps have nothing to read until a build "
            "passes its blocking checks."
        ]
    else:
        m = status.current
        failed = len(m.failed_checks)
        lines = [
            f"Every app, snapshot and export reads release **{m.release_id}**: run `{m.run_id}`, "
            f"as of {m.as_of or 'each shop’s today'}, published {m.published_at[:19]} UTC; "
            f"{len(m.checks) - failed} checks passed, {failed} failed without blocking."
        ]
    if status.refused_since and status.refused is not None:
        r = status.refused
        steps = ", ".join(r.failed_steps) or "none"
        lines.append(
            f"**A later build published nothing**: run `{r.run_id}` ({r.job}) at "
            f"{r.refused_at[:19]} UTC failed {len(r.failed_checks)} checks (failed steps: "
            f"{steps}). Readers keep the release above until a build passes."
        )
    return "\n\n".join(lines)
