"""The published forecaster: a model, the weeks it was trained on and its interval width.

This is what MLflow registers (`serving.py`): loading it and asking for the next weeks gives
back exactly the stored forecast, interval included, because the point forecast is a
deterministic function of the training weeks and the interval a fixed multiple of their scale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.forecast.backtest import INTERVAL_LEVEL, naive_scale
from ml.forecast.models import BASELINE, FALLBACK, WEEKS_PER_YEAR, point_forecast


@dataclass(frozen=True)
class Forecaster:
    model: str
    history: np.ndarray  # the complete weeks trained on, oldest first
    last_week: pd.Timestamp  # Monday of the last of them
    quantile: float  # interval half-width in units of the training scale
    widens_with_horizon: bool = False  # a random walk's interval grows with sqrt(weeks ahead)

    @property
    def params(self) -> Mapping[str, str]:
        return {
            "interval_quantile": f"{self.quantile:.4f}",
            "interval_widens_with_horizon": str(self.widens_with_horizon).lower(),
        }

    def predict(self, horizon: int) -> pd.DataFrame:
        """The next `horizon` weeks (index `week_start`): yhat, yhat_lower, yhat_upper."""
        mean = point_forecast(self.model, self.history, horizon)
        steps = np.arange(1, horizon + 1)
        spread = np.sqrt(steps) if self.widens_with_horizon else np.ones(horizon)
        half_width = self.quantile * naive_scale(self.history) * spread
        weeks = pd.date_range(
            self.last_week + pd.Timedelta(weeks=1), periods=horizon, freq="W-MON", name="week_start"
        )
        return pd.DataFrame(
            {
                "yhat": mean,
                "yhat_lower": np.clip(mean - half_width, 0.0, None),
                "yhat_upper": mean + half_width,
            },
            index=weeks,
        )


FALLBACK_MIN_WEEKS = 13  # a quarter: less shows no level worth forecasting from
SEASONAL_FALLBACK_WEEKS = WEEKS_PER_YEAR + 13  # a year, and a quarter of year-on-year errors


def fallback_forecaster(values: pd.Series) -> Forecaster:
    """The stated baseline for a series too short to backtest; no accuracy claim comes with it.

    With a year and a quarter of weeks, seasonal naive (the same week last year), its interval
    the 80% quantile of its year-on-year errors so far, as wide for every week of the coming
    year (fpp3 5.5); with less, naive (the last week repeated), its interval the 80% quantile of
    the weekly changes, widening with the square root of the weeks ahead (a random walk's).
    """
    y = values.to_numpy(dtype=float)
    if len(y) < FALLBACK_MIN_WEEKS:
        raise ValueError(f"{len(y)} weeks; a forecast needs at least {FALLBACK_MIN_WEEKS}")
    seasonal = len(y) >= SEASONAL_FALLBACK_WEEKS
    lag = WEEKS_PER_YEAR if seasonal else 1
    errors = np.abs(y[lag:] - y[:-lag])
    return Forecaster(
        model=BASELINE if seasonal else FALLBACK.name,
        history=y,
        last_week=values.index[-1],
        quantile=float(np.quantile(errors, INTERVAL_LEVEL)) / naive_scale(y),
        widens_with_horizon=not seasonal,
    )
