"""Reader latency with and without a concurrent build, in the same run: what readers gain from
releases is that a build costs them CPU, never a wait for the lock.

    python bench/release_readers.py --warehouse data/warehouse.duckdb --readers 4 --seconds 60

On a copy of the warehouse, with a release of it published: first `--readers` processes load
the apps' pages (`tests.release_load.page`: the overview, calls, appointments, services, clients
and data health queries) for `--seconds` alone; then again while a builder process loops,
holding the build database's write lock while it rewrites the biggest marts, then publishing a
release and pruning old ones. Prints page-load p50/p95 for both phases, failed reads, and
how many releases the readers were switched between.
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from chairside.core.settings import ReleaseSettings  # noqa: E402
from chairside.presentation.release.publish import publish  # noqa: E402


def phase(releases: Path, readers: int, seconds: float, scratch: Path, build: Path | None):
    def start(role: str, out: Path, *extra: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.release_load", role, "--releases", str(releases),
             "--seconds", str(seconds), "--out", str(out), *extra],
            cwd=ROOT,
        )  # fmt: skip

    builder = None
    if build is not None:
        builder = start("builder", scratch / "builder.json", "--warehouse", str(build))
    outs = [scratch / f"reader-{'build' if build else 'idle'}-{n}.json" for n in range(readers)]
    processes = [start("reader", out) for out in outs]
    for process in [*processes, *([builder] if builder else [])]:
        process.wait()
    reads = [json.loads(out.read_text()) for out in outs]
    latencies = [latency for read in reads for latency in read["latencies"]]
    errors = [error for read in reads for error in read["errors"]]
    built = json.loads((scratch / "builder.json").read_text()) if builder else None
    return latencies, errors, built


def summary(name: str, latencies: list[float], errors: list[str]) -> str:
    if len(latencies) < 2:
        return f"{name}: {len(latencies)} page loads, {len(errors)} failed"
    cuts = statistics.quantiles(latencies, n=100)
    return (
        f"{name}: {len(latencies)} page loads, {len(errors)} failed; "
        f"p50 {cuts[49]:.2f} s, p95 {cuts[94]:.2f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=ROOT / "data" / "warehouse.duckdb")
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="chairside-readers-") as directory:
        scratch = Path(directory)
        build = Path(shutil.copy(args.warehouse, scratch / "warehouse.duckdb"))
        releases = scratch / "releases"
        publish(build, ReleaseSettings(root=releases, keep=2), run_id="bench-first", as_of=None)
        idle, idle_errors, _ = phase(releases, args.readers, args.seconds, scratch, None)
        busy, busy_errors, built = phase(releases, args.readers, args.seconds, scratch, build)

    print(f"{args.readers} readers, {args.seconds:g} s per phase, warehouse {args.warehouse}")
    print(summary("no build      ", idle, idle_errors))
    print(summary("build looping ", busy, busy_errors))
    print(
        f"the builder published {len(built['published'])} releases and held the build "
        f"database's write lock {built['locked_seconds']:.0f} s of {args.seconds:g} s"
    )
    for error in (idle_errors + busy_errors)[:5]:
        print(f"  failed read: {error}")
    return 1 if idle_errors or busy_errors else 0


if __name__ == "__main__":
    sys.exit(main())
