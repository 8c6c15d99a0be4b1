"""Would Prophet earn its place and its cost? Selection with and without it, in the same run.

    python bench/ml_prophet_heldout.py --shops 10
    python bench/ml_prophet_heldout.py --warehouse data/warehouse.duckdb

On the demo-like synthetic shops of `bench/ml_champion.py` (or a warehouse's complete weeks),
every series is backtested on the origins of `ml.forecast.backtest` with the product's
candidates and with Prophet, calibrated as in `ml.forecast.calibration`. It prints:

- each model's held-out MASE and seconds a fit;
- the published champion's held-out MASE when Prophet is a candidate and when it is not (the
  product's rule: picked on the selection origins, gated on seasonal naive held out), and how
  often Prophet would be champion: "keeps its place only if it wins somewhere";
- what champion selection for 100 shops x 2 metrics would cost with it, from the fits it needs
  and the seconds measured here, against the 30 s goal on 2 cores.

Prophet is set up for weekly data: its yearly seasonality (Fourier order 10, the default) on the
weeks' Monday dates, no weekly or daily term (one row a week has none), and Canada's holidays
moved to the Monday of the week they fall in, so a Christmas on a Thursday marks its week (with
Prophet's own `add_country_holidays` only holidays falling on a Monday would touch a weekly row).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from ml.forecast.backtest import Origins, backtest, rolling_origins, score
from ml.forecast.calibration import calibrate_backtest
from ml.forecast.champion import ForecastSettings, select
from ml.forecast.models import BASELINE, CANDIDATES, PREFERENCE, point_forecast
from ml.forecast.series import WeeklySeries, build_weekly_series

sys.path.insert(0, str(Path(__file__).parent))
from ml_champion import synthetic_weeks

WEEKLY_SQL = """
select shop_id, week_start, is_complete,
       cast(coalesce(appointments_completed, 0) as double) as appointments_completed,
       cast(coalesce(revenue_total, 0) as double) as revenue_total
from marts.fct_weekly_shop_metrics order by shop_id, week_start
"""
BUDGET_SECONDS, BENCH_SERIES, CORES = 30.0, 200, 2


def weekly_holidays(first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """Canada's holidays as Prophet's `holidays` frame, each on the Monday of its week."""
    import holidays

    days = holidays.country_holidays("CA", years=range(first.year, last.year + 2))
    frame = pd.DataFrame({"ds": pd.to_datetime(list(days)), "holiday": list(days.values())})
    frame["ds"] = frame["ds"] - pd.to_timedelta(frame["ds"].dt.day_of_week, unit="D")
    return frame.drop_duplicates().reset_index(drop=True)


class ProphetCandidate:
    """Prophet on the weeks of one series, which it needs the dates of."""

    name = "prophet"

    def __init__(self, first_week: pd.Timestamp, weeks: int) -> None:
        self.first_week = first_week
        last = first_week + pd.Timedelta(weeks=weeks + 52)
        self.holidays = weekly_holidays(first_week, last)

    def forecast(self, history: np.ndarray, horizon: int) -> np.ndarray:
        from prophet import Prophet

        weeks = pd.date_range(self.first_week, periods=len(history) + horizon, freq="W-MON")
        model = Prophet(
            yearly_seasonality=True,
            weekly_seasonality=False,
            daily_seasonality=False,
            holidays=self.holidays,
            uncertainty_samples=0,
        )
        model.fit(pd.DataFrame({"ds": weeks[: len(history)], "y": history}))
        return model.predict(pd.DataFrame({"ds": weeks[len(history) :]}))["yhat"].to_numpy()


def candidates(
    values: pd.Series, names: tuple[str, ...], origins: Origins, horizon: int
) -> dict[str, tuple]:
    """Per model: (selection Scores, held-out Scores, seconds a fit)."""
    figures = {}
    for name in names:
        started = time.perf_counter()
        rows = backtest(values, name, origins, horizon)
        seconds = (time.perf_counter() - started) / len(origins.all)
        rows = calibrate_backtest(rows).rows
        figures[name] = (
            score(rows[rows["block"] == "selection"]),
            score(rows[rows["block"] == "held_out"]),
            seconds,
        )
    return figures


def published(figures: dict[str, tuple], names: tuple[str, ...]) -> str:
    """The product's rule (`ml.forecast.champion.evaluate_series`) over `names`."""
    picked = select({name: figures[name][0] for name in names}, names)
    lost = figures[picked][1].mase >= figures[BASELINE][1].mase
    return BASELINE if lost else picked


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--shops", type=int, default=10, help="synthetic shops")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--warehouse", type=Path, help="a warehouse instead of synthetic shops")
    args = parser.parse_args()
    logging.getLogger("cmdstanpy").setLevel(logging.WARNING)
    logging.getLogger("prophet").setLevel(logging.ERROR)

    if args.warehouse:
        with duckdb.connect(str(args.warehouse), read_only=True) as con:
            weekly = con.execute(WEEKLY_SQL).df()
    else:
        weekly = synthetic_weeks(args.shops, 2.0, args.seed)
    series, _ = build_weekly_series(weekly, pd.DataFrame({"shop_id": weekly["shop_id"].unique()}))
    settings = ForecastSettings()
    series = [item for item in series if len(item.values) >= settings.minimum_weeks]
    without = tuple(PREFERENCE)
    with_prophet = (*PREFERENCE, "prophet")
    print(
        f"{len(series)} series, {settings.origins_per_block * 2} origins each; load average "
        f"{os.getloadavg()[0]:.1f} at the start"
    )

    # imports, numba compilation and Stan's first start are not a fit's cost
    first: WeeklySeries = series[0]
    CANDIDATES["prophet"] = ProphetCandidate(first.values.index[0], len(first.values))
    for name in with_prophet:
        point_forecast(name, first.values.to_numpy()[: settings.min_train_weeks], 1)

    rows = []
    for item in series:
        CANDIDATES["prophet"] = ProphetCandidate(item.values.index[0], len(item.values))
        origins = rolling_origins(
            len(item.values),
            settings.horizon_weeks,
            settings.origins_per_block,
            settings.min_train_weeks,
        )
        figures = candidates(item.values, with_prophet, origins, settings.horizon_weeks)
        old, new = published(figures, without), published(figures, with_prophet)
        rows.append(
            {
                "series": f"{item.shop_id}/{item.metric}",
                **{f"{name}_mase": figures[name][1].mase for name in with_prophet},
                **{f"{name}_coverage": figures[name][1].coverage_80 for name in with_prophet},
                **{f"{name}_s": figures[name][2] for name in with_prophet},
                "champion_without": old,
                "champion_with": new,
                "mase_without": figures[old][1].mase,
                "mase_with": figures[new][1].mase,
            }
        )
    table = pd.DataFrame(rows)
    print("\nheld out, per model")
    for name in with_prophet:
        print(
            f"  {name:<22} MASE mean {table[f'{name}_mase'].mean():.3f} median "
            f"{table[f'{name}_mase'].median():.3f}; coverage mean "
            f"{table[f'{name}_coverage'].mean():.2f}; {table[f'{name}_s'].mean():.3f} s a fit"
        )
    print("\npublished champion (picked on selection origins, gated on seasonal naive)")
    for label, key in (("without Prophet (the product)", "without"), ("with Prophet", "with")):
        print(
            f"  {label:<30} held-out MASE mean {table[f'mase_{key}'].mean():.3f} median "
            f"{table[f'mase_{key}'].median():.3f}; champions "
            f"{table[f'champion_{key}'].value_counts().to_dict()}"
        )
    better = (table["mase_with"] < table["mase_without"]).mean()
    worse = (table["mase_with"] > table["mase_without"]).mean()
    print(f"  with Prophet the published MASE is lower on {better:.0%}, higher on {worse:.0%}")

    fits = settings.origins_per_block * 2 * BENCH_SERIES
    prophet_s = table["prophet_s"].mean()
    current_s = sum(table[f"{name}_s"].mean() for name in without)
    print(
        f"\nselection for 100 shops x 2 metrics ({fits} fits a model), on {CORES} cores:"
        f"\n  the product's candidates  {current_s * fits / CORES:7.1f} s"
        f"\n  plus Prophet              {(current_s + prophet_s) * fits / CORES:7.1f} s"
        f"  (goal {BUDGET_SECONDS:.0f} s)"
        f"\n  Prophet's selection fits alone, were it tried only where it might win:"
        f" {prophet_s * fits / 2 / CORES:.1f} s"
    )
    if args.warehouse:
        print("\n| series | champion without → with Prophet | MASE without | with | prophet |")
        print("|---|---|---|---|---|")
        for row in table.itertuples():
            print(
                f"| {row.series} | {row.champion_without} → {row.champion_with} | "
                f"{row.mase_without:.2f} | {row.mase_with:.2f} | {row.prophet_mase:.2f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
