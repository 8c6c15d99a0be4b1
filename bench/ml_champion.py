"""Time champion selection (rolling-origin backtests and final fits) on synthetic shops.

    python bench/ml_champion.py
    python bench/ml_champion.py --shops 100 --weeks 156 --origins 4

Each shop gets two weekly series (visits, revenue) with its own level, trend, yearly pattern,
noise and a closed Christmas week. Only the modelling is timed: no warehouse, no MLflow. The
figures are wall-clock seconds on this machine, printed with the number of model fits they
paid for, so runs with other origin counts can be compared.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

import numpy as np
import pandas as pd

from ml.forecast.champion import ForecastSettings, evaluate_all
from ml.forecast.series import WeeklySeries

PROVINCES = ("NL", "NS", "ON", "QC", "MB", "SK", "AB", "BC")


def synthetic_shop(number: int, weeks: int, rng: np.random.Generator) -> list[WeeklySeries]:
    index = pd.date_range(end="2026-11-09", periods=weeks, freq="W-MON")
    t = np.arange(weeks)
    level = rng.uniform(40, 160)
    seasonal = rng.uniform(0, 0.35) * level * np.sin(2 * np.pi * (t + rng.integers(52)) / 52)
    trend = rng.uniform(-0.1, 0.2) * level * t / 52
    visits = np.maximum(
        level + seasonal + trend + rng.normal(0, rng.uniform(0.03, 0.15) * level, weeks), 0
    )
    visits[(index.month == 12) & (index.day >= 22) & (index.day <= 28)] = 0
    revenue = visits * rng.normal(rng.uniform(30, 60), 3, weeks)
    shop_id = f"shop-{number:03d}"
    province = PROVINCES[number % len(PROVINCES)]
    return [
        WeeklySeries(
            shop_id, "appointments_completed", pd.Series(np.round(visits), index=index), province
        ),
        WeeklySeries(
            shop_id, "revenue_total", pd.Series(np.round(revenue, 2), index=index), province
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--shops", type=int, default=100)
    parser.add_argument("--weeks", type=int, default=156, help="history per shop (156 = 3 years)")
    parser.add_argument("--origins", type=int, default=ForecastSettings().backtest_origins)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    series = [s for number in range(args.shops) for s in synthetic_shop(number, args.weeks, rng)]
    settings = ForecastSettings(backtest_origins=args.origins)

    # the first Prophet and ETS fits pay for imports and numba compilation: not part of a run
    started = time.perf_counter()
    evaluate_all(series[:1], settings)
    warm_up = time.perf_counter() - started

    started = time.perf_counter()
    results, skipped = evaluate_all(series, settings)
    elapsed = time.perf_counter() - started

    fits = sum(result.fits for result in results)
    backtest_fits = sum(len(r.candidates) * len(r.cutoffs) for r in results)
    champions = Counter(result.champion for result in results)
    print(
        f"champion selection: {args.shops} shops x 2 metrics, {args.weeks} weeks, "
        f"{args.origins} origins, seed {args.seed}"
    )
    print(f"  {'warm-up (imports, numba, first fits)':<40} {warm_up:8.2f} s")
    print(f"  {'selection, all series':<40} {elapsed:8.2f} s")
    print(f"  {'per series':<40} {elapsed / len(series):8.3f} s")
    print(f"  {'series forecast / skipped':<40} {len(results):5d} / {len(skipped)}")
    final_fits = fits - backtest_fits
    prophet_fits = sum(len(r.cutoffs) + 1 for r in results if "prophet" in r.candidates)
    print(f"  {'model fits (backtest + final)':<40} {fits:5d} ({backtest_fits} + {final_fits})")
    print(f"  {'of which Prophet':<40} {prophet_fits:5d}")
    for name, count in champions.most_common():
        mase = np.median(
            [r.candidates[r.champion].scores.mase for r in results if r.champion == name]
        )
        print(f"  champion {name:<31} {count:5d} series, median MASE {mase:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
