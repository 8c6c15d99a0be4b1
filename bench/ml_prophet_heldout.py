"""Would Prophet earn its cost? Its held-out MASE and fit time against MSTL with ETS.

    python bench/ml_prophet_heldout.py --shops 10
    python bench/ml_prophet_heldout.py --warehouse data/warehouse.duckdb

Both are backtested on the origins of `ml.forecast.backtest` and calibrated as in
`ml.forecast.calibration`, on the demo-like synthetic shops of `bench/ml_champion.py` or on a
warehouse's complete weeks. Prophet gets the series' real dates (its yearly seasonality and
Canada's holidays need them), with a yearly season and no weekly or daily one; every fit is
timed. Prophet is not a candidate in the product (`ml.forecast.models`): this prints whether
that still holds.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from ml.forecast.backtest import backtest, rolling_origins, score
from ml.forecast.calibration import calibrate_backtest
from ml.forecast.champion import ForecastSettings
from ml.forecast.models import CANDIDATES, point_forecast
from ml.forecast.series import WeeklySeries, build_weekly_series

sys.path.insert(0, str(Path(__file__).parent))
from ml_champion import synthetic_weeks

WEEKLY_SQL = """
select shop_id, week_start, is_complete,
       cast(coalesce(appointments_completed, 0) as double) as appointments_completed,
       cast(coalesce(revenue_total, 0) as double) as revenue_total
from marts.fct_weekly_shop_metrics order by shop_id, week_start
"""


class ProphetCandidate:
    """Prophet on the weeks of one series, which it needs the dates of."""

    name = "prophet"

    def __init__(self, first_week: pd.Timestamp) -> None:
        self.first_week = first_week

    def forecast(self, history: np.ndarray, horizon: int) -> np.ndarray:
        from prophet import Prophet

        weeks = pd.date_range(self.first_week, periods=len(history) + horizon, freq="W-MON")
        model = Prophet(
            yearly_seasonality=True,
            weekly_seasonality=False,
            daily_seasonality=False,
            uncertainty_samples=0,
        )
        model.add_country_holidays(country_name="CA")
        model.fit(pd.DataFrame({"ds": weeks[: len(history)], "y": history}))
        return model.predict(pd.DataFrame({"ds": weeks[len(history) :]}))["yhat"].to_numpy()


def held_out(series: WeeklySeries, settings: ForecastSettings) -> dict[str, tuple[float, float]]:
    """Per model: held-out MASE and seconds per fit."""
    origins = rolling_origins(
        len(series.values),
        settings.horizon_weeks,
        settings.origins_per_block,
        settings.min_train_weeks,
    )
    figures = {}
    for name in ("prophet", "mstl_ets"):
        started = time.perf_counter()
        rows = backtest(series.values, name, origins, settings.horizon_weeks)
        seconds = (time.perf_counter() - started) / len(origins.all)
        rows = calibrate_backtest(rows).rows
        figures[name] = (score(rows[rows["block"] == "held_out"]).mase, seconds)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--shops", type=int, default=10, help="synthetic shops")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--warehouse", type=Path, help="a warehouse instead of synthetic shops")
    args = parser.parse_args()
    logging.getLogger("cmdstanpy").setLevel(logging.WARNING)

    if args.warehouse:
        with duckdb.connect(str(args.warehouse), read_only=True) as con:
            weekly = con.execute(WEEKLY_SQL).df()
    else:
        weekly = synthetic_weeks(args.shops, 2.0, args.seed)
    series, _ = build_weekly_series(weekly, pd.DataFrame({"shop_id": weekly["shop_id"].unique()}))
    settings = ForecastSettings()
    series = [item for item in series if len(item.values) >= settings.minimum_weeks]

    # imports, numba compilation and Stan's first start are not a fit's cost
    CANDIDATES["prophet"] = ProphetCandidate(series[0].values.index[0])
    for name in ("prophet", "mstl_ets"):
        point_forecast(name, series[0].values.to_numpy()[: settings.min_train_weeks], 1)

    rows = []
    for item in series:
        CANDIDATES["prophet"] = ProphetCandidate(item.values.index[0])
        figures = held_out(item, settings)
        rows.append(
            {
                f"{name}_{key}": figures[name][i]
                for name in figures
                for i, key in enumerate(("mase", "s"))
            }
        )
    table = pd.DataFrame(rows)
    print(f"{len(series)} series, {settings.origins_per_block * 2} origins each")
    for name in ("prophet", "mstl_ets"):
        print(
            f"  {name:<9} held-out MASE mean {table[f'{name}_mase'].mean():.3f} "
            f"median {table[f'{name}_mase'].median():.3f}; {table[f'{name}_s'].mean():.3f} s a fit"
        )
    better = (table["prophet_mase"] < table["mstl_ets_mase"]).mean()
    print(f"  prophet better held out on {better:.0%} of series")
    return 0


if __name__ == "__main__":
    sys.exit(main())
