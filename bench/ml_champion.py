"""Time champion selection (backtests and final fits) on synthetic shops, new path against old.

    python bench/ml_champion.py
    python bench/ml_champion.py --shops 100 --years 2 --old-ref de48536
    python bench/ml_champion.py --skip-old

The shops look like the demo's: two years of history opening on a random weekday (so the first
week is partial), the week in progress at the end, 10-22% yearly growth, a December peak, a
January dip, a summer swell, a closed Christmas week, weekly noise, and revenue as visits times a
drifting ticket. Both paths get the same shops in the same run: the current code in this
process, the old one (`--old-ref`, by default the last commit before the current forecasting
path) from `git archive` of its `ml/` in a temporary directory, in a child process. Each path
builds its series the way it did in the product (the old one took every week but the one in
progress, the partial first week included; the new one complete weeks only). Only the modelling
is timed: no warehouse, no MLflow; the first series is fitted untimed to pay for imports and numba
compilation.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from io import BytesIO
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OLD_REF = "de48536"  # main before complete weeks, held-out selection and statsforecast


def synthetic_weeks(shops: int, years: float, seed: int) -> pd.DataFrame:
    """Mart-like rows: shop_id, week_start, is_complete, appointments_completed, revenue_total."""
    rng = np.random.default_rng(seed)
    last_complete = pd.Timestamp("2026-11-09")
    weeks = round(years * 52)
    frames = []
    for number in range(shops):
        index = pd.date_range(
            end=last_complete + pd.Timedelta(weeks=1), periods=weeks + 2, freq="W-MON"
        )
        t = np.arange(len(index)) / 52
        day = index.day_of_year.to_numpy()
        season = (
            1
            + rng.uniform(0.1, 0.3) * np.exp(-(((day - 345) / 10.0) ** 2))  # December peak
            - rng.uniform(0.1, 0.3) * np.exp(-(((day - 15) / 10.0) ** 2))  # January dip
            + rng.uniform(0.0, 0.12) * np.sin(2 * np.pi * (day - 100) / 365)  # summer swell
        )
        level = rng.uniform(40, 200) * (1 + rng.uniform(0.10, 0.22)) ** t
        visits = np.maximum(level * season * (1 + rng.normal(0, rng.uniform(0.04, 0.1), len(t))), 0)
        visits[(index.month == 12) & (index.day >= 22) & (index.day <= 28)] = 0
        opened_on = int(rng.integers(1, 7))  # Tuesday..Sunday: the first week is partial
        visits[0] *= (7 - opened_on) / 7
        visits[-1] *= rng.uniform(0.2, 0.8)  # the week in progress
        ticket = rng.uniform(30, 60) * (1 + 0.03 * t) + rng.normal(0, 1.5, len(t))
        frames.append(
            pd.DataFrame(
                {
                    "shop_id": f"shop-{number:03d}",
                    "week_start": index,
                    "is_complete": [False] + [True] * weeks + [False],
                    "appointments_completed": np.round(visits),
                    "revenue_total": np.round(np.round(visits) * ticket, 2),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the selection's worker processes):
    what the work costs whatever else the machine is doing, unlike the wall clock."""
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def time_current_path(weekly: pd.DataFrame) -> dict:
    """Time whichever `ml.forecast` is importable: the new API or the old one."""
    from ml.forecast import champion, series

    settings = champion.ForecastSettings()
    if "now" in inspect.signature(series.build_weekly_series).parameters:  # the old path
        weekly = weekly[weekly["week_start"] <= weekly["week_start"].max() - pd.Timedelta(weeks=1)]
        built = [
            series.WeeklySeries(
                shop_id, metric, rows.set_index("week_start")[metric].astype(float), "ON"
            )
            for shop_id, rows in weekly.groupby("shop_id")
            for metric in series.FORECAST_METRICS
        ]
    else:
        built, _ = series.build_weekly_series(
            weekly, pd.DataFrame({"shop_id": weekly["shop_id"].unique()})
        )

    started = time.perf_counter()
    champion.evaluate_all(built[:1], settings)
    warm_up = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    results, skipped = champion.evaluate_all(built, settings)
    elapsed, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_started
    return {
        "warm_up": warm_up,
        "elapsed": elapsed,
        "cpu": cpu,
        "series": len(built),
        "forecast": len(results),
        "skipped": len(skipped),
        "fits": sum(result.fits for result in results),
        "champions": dict(Counter(result.champion for result in results)),
        # the old path had no held-out block: its coverage was in-sample for the pick
        "coverage": [
            result.coverage_80 for result in results if getattr(result, "backtested", False)
        ],
    }


def time_old_path(ref: str, data: Path) -> dict:
    """Run this file's `time_current_path` in a child process on the old `ml/` of `ref`."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "ml"], capture_output=True, check=True
    ).stdout
    with tempfile.TemporaryDirectory() as old_tree:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(old_tree, filter="data")
        done = subprocess.run(
            [sys.executable, __file__, "--time-only", str(data)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": old_tree},
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(name: str, figures: dict) -> None:
    print(f"  {name}")
    print(f"    {'warm-up (imports, numba, first fits)':<40} {figures['warm_up']:8.2f} s")
    print(f"    {'selection, all series':<40} {figures['elapsed']:8.2f} s")
    if "cpu" in figures:
        print(f"    {'selection, CPU (all processes)':<40} {figures['cpu']:8.2f} s")
    print(f"    {'per series':<40} {figures['elapsed'] / figures['series']:8.3f} s")
    print(f"    {'series forecast / skipped':<40} {figures['forecast']:5d} / {figures['skipped']}")
    print(f"    {'model fits':<40} {figures['fits']:5d}")
    print(f"    {'champions':<40} {figures['champions']}")
    coverage = np.asarray(figures["coverage"])
    if coverage.size:
        low, median, high = np.quantile(coverage, [0.1, 0.5, 0.9])
        within = np.mean((coverage >= 0.75) & (coverage <= 0.85))
        print(
            f"    {'held-out 80% coverage p10/median/p90':<40} {low:.2f} / {median:.2f} / "
            f"{high:.2f}; {within:.0%} of series within 0.75-0.85"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--shops", type=int, default=100)
    parser.add_argument("--years", type=float, default=2.0, help="complete years of history")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--old-ref", default=OLD_REF, help="git ref of the old path")
    parser.add_argument("--skip-old", action="store_true", help="time the new path only")
    parser.add_argument("--time-only", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()

    if args.time_only:
        print(json.dumps(time_current_path(pd.read_pickle(args.time_only))))
        return 0

    weekly = synthetic_weeks(args.shops, args.years, args.seed)
    print(
        f"champion selection: {args.shops} shops x 2 metrics, {args.years:g} years "
        f"(+ a partial first week), seed {args.seed}; {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the start"
    )
    new = time_current_path(weekly)
    report("new (this checkout)", new)
    if not args.skip_old:
        with tempfile.TemporaryDirectory() as scratch:
            data = Path(scratch) / "weekly.pkl"
            weekly.to_pickle(data)
            old = time_old_path(args.old_ref, data)
        report(f"old ({args.old_ref})", old)
        print(f"  speed-up, selection: {old['elapsed'] / new['elapsed']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
