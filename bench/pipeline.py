"""Time the demo pipeline on a given data size: generate, write, ingest + build.

    python bench/pipeline.py --shops 3 --years 2
    python bench/pipeline.py --shops 20 --years 3 --keep /tmp/bench-run

Each stage runs once in a fresh temp directory (or --keep DIR); the figures are wall-clock
seconds on this machine, printed with the row counts they produced so runs can be compared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--shops", type=int, default=3)
    parser.add_argument("--years", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--end-date", type=dt.date.fromisoformat, default=dt.date(2026, 11, 15))
    parser.add_argument("--keep", type=Path, help="run in this directory and keep it")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="chairside-bench-") as scratch:
        root = (args.keep or Path(scratch)).resolve()
        data = root / "data"
        os.environ.update(
            {
                "CHAIRSIDE_DATA_DIR": str(data),
                "CHAIRSIDE_DUCKDB_PATH": str(data / "warehouse.duckdb"),
                "CHAIRSIDE_INBOX": str(data / "inbox"),
                "DAGSTER_HOME": str(data / "dagster_home"),
            }
        )
        (data / "dagster_home").mkdir(parents=True, exist_ok=True)

        from chairside.core.warehouse import read_frame
        from chairside.demo import DemoConfig, generate, write_dataset
        from orchestration.run import run_pipeline

        timings: dict[str, float] = {}
        started = time.perf_counter()
        config = DemoConfig(
            seed=args.seed, shops=args.shops, years=args.years, end_date=args.end_date
        )
        dataset = generate(config)
        timings["generate"] = time.perf_counter() - started

        started = time.perf_counter()
        write_dataset(
            dataset,
            inbox_dir=data / "inbox",
            events_dir=data / "demo" / "events",
            crm_dir=data / "demo" / "crm",
        )
        timings["write sources"] = time.perf_counter() - started

        started = time.perf_counter()
        result = run_pipeline()
        timings["pipeline (ingest + dbt build + checks)"] = time.perf_counter() - started
        if not result.success:
            print("pipeline failed", file=sys.stderr)
            return 1

        counts = read_frame(
            data / "warehouse.duckdb",
            """
            select (select count(*) from raw_inbox.inquiries) as raw_inquiries,
                   (select count(*) from raw_inbox.customers) as raw_customers,
                   (select count(*) from marts.fct_inquiries) as fct_inquiries,
                   (select count(*) from marts.dim_shop) as shops
            """,
        ).iloc[0]

    print(
        f"chairside pipeline benchmark: {args.shops} shops x {args.years:g} years, seed {args.seed}"
    )
    for stage, seconds in timings.items():
        print(f"  {stage:<42} {seconds:8.2f} s")
    print(f"  {'total':<42} {sum(timings.values()):8.2f} s")
    for name, value in counts.items():
        print(f"  {name:<42} {int(value):8d} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
