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
from ml.forecast.models import FALLBACK, point_forecast


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


def fallback_forecaster(values: pd.Series) -> Forecaster:
    """The stated baseline for a series too short to backtest: the last week repeated, with the
    random-walk interval of its weekly changes (their 80% quantile, widening with the square
    root of the weeks ahead; fpp3 5.5). Nothing calibrates it: it carries no accuracy claim."""
    y = values.to_numpy(dtype=float)
    changes = np.abs(np.diff(y))
    return Forecaster(
        model=FALLBACK.name,
        history=y,
        last_week=values.index[-1],
        quantile=float(np.quantile(changes, INTERVAL_LEVEL)) / naive_scale(y),
        widens_with_horizon=True,
    )
