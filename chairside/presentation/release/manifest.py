"""What a release records, so anyone holding it knows which build it came from, on which date's
data, whether its checks passed, and how many rows each mart had."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class CheckResult:
    """One asset check of the build: `asset/check`, passed or not, and its severity."""

    name: str
    passed: bool
    severity: str
    description: str = ""


@dataclass(frozen=True)
class Manifest:
    release_id: str
    run_id: str
    as_of: str | None  # the build's pinned as-of date; None: each shop's own today
    published_at: str  # ISO UTC, wall clock: when readers could first see it
    build_database: str
    checks: list[CheckResult] = field(default_factory=list)
    # audience -> mart -> rows
    row_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    # mart -> columns dropped / pseudonymised in the analyst release
    analyst_dropped: dict[str, list[str]] = field(default_factory=dict)
    analyst_pseudonymised: dict[str, list[str]] = field(default_factory=dict)

    @property
    def failed_checks(self) -> list[CheckResult]:
        return [check for check in self.checks if not check.passed]

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2, sort_keys=True), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> Manifest:
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw["checks"] = [CheckResult(**check) for check in raw.get("checks", [])]
        return cls(**raw)
