"""The last build that published nothing, and why.

A build whose blocking checks fail never reaches the publish step, so readers quietly keep the
last good release. That is the point, but someone has to know: the refusal is written beside the
releases (outside any release, which are immutable) and Data health shows it next to the
release readers see.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field

from chairside.presentation.release.manifest import CheckResult
from chairside.presentation.release.store import ReleaseStore

REFUSAL = "last_refusal.json"


@dataclass(frozen=True)
class Refusal:
    run_id: str
    job: str
    refused_at: str  # ISO UTC, wall clock
    failed_checks: list[CheckResult] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)


def record(store: ReleaseStore, refusal: Refusal) -> None:
    store.root.mkdir(parents=True, exist_ok=True)
    partial = store.root / f".{REFUSAL}.{os.getpid()}.partial"
    partial.write_text(json.dumps(asdict(refusal), indent=2), encoding="utf-8")
    partial.replace(store.root / REFUSAL)  # atomic: rename over the old record


def last(store: ReleaseStore) -> Refusal | None:
    try:
        raw = json.loads((store.root / REFUSAL).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    raw["failed_checks"] = [CheckResult(**check) for check in raw["failed_checks"]]
    return Refusal(**raw)
