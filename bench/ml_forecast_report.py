"""Print, per series of a warehouse, the champion and how every candidate did on held-out origins.

    python bench/ml_forecast_report.py --warehouse data/warehouse.duckdb

The same selection as the `fct_forecasts` asset (`ml.forecast.champion`), without MLflow or
writing anything. Complete weeks are the mart's `is_complete` ones.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import duckdb
import pandas as pd
from scipy.stats import binom

from ml.forecast.champion import ForecastSettings, evaluate_all
from ml.forecast.series import build_weekly_series

WEEKLY_SQL = """
select shop_id, week_start, is_complete,
       cast(coalesce(appointments_completed, 0) as double) as appointments_completed,
       cast(coalesce(revenue_total, 0) as double) as revenue_total
from marts.fct_weekly_shop_metrics order by shop_id, week_start
"""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--warehouse", type=Path, required=True)
    args = parser.parse_args()

    with duckdb.connect(str(args.warehouse), read_only=True) as con:
        weekly = con.execute(WEEKLY_SQL).df()
    series, notes = build_weekly_series(
        weekly, pd.DataFrame({"shop_id": weekly["shop_id"].unique()})
    )
    results, too_short = evaluate_all(series, ForecastSettings())
    for name, reason in {**notes, **too_short}.items():
        print(f"note: {name}: {reason}")

    print(
        "| series | weeks | champion (selected) | held-out MASE | seasonal naive MASE "
        "| coverage 80% |"
    )
    print("|---|---|---|---|---|---|")
    for r in results:
        picked = r.champion if r.champion == r.selected else f"{r.champion} ({r.selected} lost)"
        print(
            f"| {r.series.shop_id}/{r.series.metric} | {len(r.series.values)} | {picked} | "
            f"{r.mase:.2f} | {r.mase_seasonal_naive:.2f} | {r.coverage_80:.2f} |"
        )
    points = next((len(r.candidates[r.champion].backtest) // 2 for r in results if r.backtested), 0)
    if points:
        low, high = binom.ppf([0.05, 0.95], points, 0.8) / points
        first, last = math.ceil(0.75 * points - 1e-9), math.floor(0.85 * points + 1e-9)
        in_band = binom.cdf(last, points, 0.8) - binom.cdf(first - 1, points, 0.8)
        print(
            f"\nHow noisy coverage is: over {points} held-out forecasts, an interval holding each "
            f"actual with probability 0.80, independently, shows {low:.2f}-{high:.2f} nine times "
            f"in ten, and 0.75-0.85 {in_band:.0%} of the time; one series' forecasts overlap in "
            "weeks, so the real spread is wider."
        )
    for r in results:
        backtest = r.candidates[r.champion].backtest
        origins = backtest.loc[backtest["block"] == "held_out", "origin"].unique()
        weeks = ", ".join(str(origin.date()) for origin in origins)
        print(f"\n{r.series.shop_id}/{r.series.metric}: held-out origins {weeks}")
        print(
            "| candidate | selection MASE | held-out MASE | coverage | MASE by origin "
            "| coverage by origin |"
        )
        print("|---|---|---|---|---|---|")
        for name, c in r.candidates.items():
            print(
                f"| {name} | {c.selection.mase:.2f} | {c.held_out.mase:.2f} "
                f"| {c.held_out.coverage_80:.2f} | "
                f"{' '.join(f'{v:.2f}' for v in c.held_out.mase_by_origin)} | "
                f"{' '.join(f'{v:.2f}' for v in c.held_out.coverage_by_origin)} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
