"""Readers and a builder at once, in separate processes: what the concurrency test asserts on and
what `bench/release_readers.py` times.

    python -m tests.release_load reader --releases DIR --seconds 60 --out reads.json
    python -m tests.release_load builder --warehouse W --releases DIR --seconds 60 --out b.json

A reader runs the apps' own queries (`chairside.presentation.analytics`) against the current
releases, in a
loop, and records each page's latency or its error. The builder does what a build does to the
files: it holds the build database open for writing while it rewrites the biggest marts (the
lock a dbt build takes), then publishes a release and lets retention delete old ones, again and
again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

import duckdb

from chairside.core.settings import ReleaseSettings
from chairside.presentation.analytics import appointments, calls, clients, health, kpis, services
from chairside.presentation.analytics.catalog import load_catalog
from chairside.presentation.analytics.filters import Filters
from chairside.presentation.release.publish import publish
from chairside.presentation.release.readers import CurrentRelease

AS_OF = dt.date(2026, 11, 16)


def page(releases: Path) -> None:
    """One load of the overview, calls, appointments, services, clients and data health pages'
    queries, as each app runs them on a page load."""
    analyst, owner = CurrentRelease(releases, "analyst"), CurrentRelease(releases, "owner")
    catalog = load_catalog(analyst)
    shops = tuple(catalog.shops["shop_id"])
    filters = Filters.from_inputs(
        shops, catalog.last_week - dt.timedelta(weeks=25), catalog.last_week
    )
    kpis.weekly_kpis(analyst, filters)
    kpis.period_kpis(analyst, filters)
    calls.hour_of_week(analyst, filters)
    appointments.capacity(analyst, filters)
    appointments.staff_table(analyst, filters)
    services.revenue_mix(analyst, filters)
    clients.cohorts(analyst, filters)
    clients.segments(analyst, shops)
    clients.at_risk(owner, shops, AS_OF)
    health.freshness(owner, shops)


def read_loop(releases: Path, seconds: float) -> dict[str, object]:
    latencies, errors = [], []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            page(releases)
        except Exception as error:
            errors.append(f"{type(error).__name__}: {error}")
            continue
        latencies.append(time.perf_counter() - started)
    return {"latencies": latencies, "errors": errors}


def build_loop(warehouse: Path, releases: Path, seconds: float, keep: int) -> dict[str, object]:
    settings = ReleaseSettings(root=releases, keep=keep)
    published, locked_seconds = [], 0.0
    deadline = time.monotonic() + seconds
    number = 0
    while time.monotonic() < deadline:
        number += 1
        started = time.perf_counter()
        with duckdb.connect(str(warehouse)) as con:  # the build's write lock
            for mart in ("fct_appointments", "fct_calls", "dim_customer"):
                con.execute(f"create or replace table marts.{mart} as select * from marts.{mart}")
            con.execute("checkpoint")
        locked_seconds += time.perf_counter() - started
        manifest = publish(warehouse, settings, run_id=f"load-{number:04d}", as_of=AS_OF)
        published.append(manifest.release_id)
    return {"published": published, "locked_seconds": locked_seconds}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["reader", "builder"])
    parser.add_argument("--releases", type=Path, required=True)
    parser.add_argument("--warehouse", type=Path)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--keep", type=int, default=2)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.role == "reader":
        result = read_loop(args.releases, args.seconds)
    else:
        result = build_loop(args.warehouse, args.releases, args.seconds, args.keep)
    args.out.write_text(json.dumps(result))


if __name__ == "__main__":
    main()
