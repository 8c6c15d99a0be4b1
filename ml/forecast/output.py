"""The rows of `marts.fct_forecasts` for one forecast run: the champion's next weeks per series,
with its held-out MASE, seasonal naive's beside it, and its coverage on every row, so a reader
never sees a forecast without its track record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ml.forecast.champion import SeriesResult
from ml.tables import FORECASTS


def forecast_rows(
    results: Sequence[SeriesResult],
    champion_runs: Mapping[tuple[str, str], str],
    *,
    forecast_run_id: str,
    created_at: dt.datetime,
) -> pd.DataFrame:
    frames = []
    for result in results:
        series = result.series
        forecast = result.forecast
        frames.append(
            pd.DataFrame(
                {
                    "forecast_run_id": forecast_run_id,
                    "shop_id": series.shop_id,
                    "metric": series.metric,
                    "target_week_start": forecast.index.date,
                    "horizon_weeks": np.arange(1, len(forecast) + 1),
                    "yhat": forecast["yhat"].to_numpy(),
                    "yhat_lower": forecast["yhat_lower"].to_numpy(),
                    "yhat_upper": forecast["yhat_upper"].to_numpy(),
                    "model": result.champion,
                    "mase": result.mase,
                    "mase_seasonal_naive": result.mase_seasonal_naive,
                    "coverage_80": result.coverage_80,
                    "mlflow_run_id": champion_runs[series.shop_id, series.metric],
                    "trained_through_week": series.trained_through_week,
                    "created_at": created_at,
                }
            )
        )
    if not frames:
        return FORECASTS.empty_rows()
    return pd.concat(frames, ignore_index=True)[list(FORECASTS.columns)]
