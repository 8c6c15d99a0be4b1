"""The forecasting candidates: seasonal naive, ETS and Prophet behind one small interface.

`fit(history)` takes a weekly series (Monday index) and returns a fitted model whose
`predict(horizon)` gives the next `horizon` weeks with an 80% interval. Baselines are there to be
beaten: Prophet is champion only where the backtest says it forecasts better (`backtest.py`).

Both forecast metrics (completed appointments, revenue) are non-negative, so every forecast and
interval is clipped at zero.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Protocol

import numpy as np
import pandas as pd
from scipy.stats import norm

INTERVAL_LEVEL = 0.8
WEEKS_PER_YEAR = 52
MIN_TRAIN_WEEKS = 26  # half a year: less is too little to tell a level from its noise


class FittedForecaster(Protocol):
    params: Mapping[str, str]

    def predict(self, horizon: int) -> pd.DataFrame: ...


class Forecaster(Protocol):
    name: ClassVar[str]

    @property
    def min_history(self) -> int:
        """Fewest training weeks the model can be fitted on."""
        ...

    def fit(self, history: pd.Series) -> FittedForecaster: ...


def _forecast_frame(
    last_week: pd.Timestamp, mean: np.ndarray, lower: np.ndarray, upper: np.ndarray
) -> pd.DataFrame:
    weeks = pd.date_range(last_week + pd.Timedelta(weeks=1), periods=len(mean), freq="W-MON")
    frame = pd.DataFrame({"yhat": mean, "yhat_lower": lower, "yhat_upper": upper}, index=weeks)
    frame.index.name = "week_start"
    return frame.clip(lower=0.0)


@dataclass(frozen=True)
class FittedSeasonalNaive:
    last_year: np.ndarray
    sigma: float
    last_week: pd.Timestamp
    level: float
    params: Mapping[str, str]

    def predict(self, horizon: int) -> pd.DataFrame:
        season = len(self.last_year)
        steps = np.arange(horizon)
        mean = self.last_year[steps % season]
        # fpp3 §5.5: the seasonal naive's h-step sd grows with the number of whole seasons ahead
        spread = norm.ppf(0.5 + self.level / 2) * self.sigma * np.sqrt(steps // season + 1)
        return _forecast_frame(self.last_week, mean, mean - spread, mean + spread)


@dataclass(frozen=True)
class SeasonalNaive:
    """Same week last year: the baseline that already knows the yearly pattern."""

    name: ClassVar[str] = "seasonal_naive"
    season_length: int = WEEKS_PER_YEAR
    level: float = INTERVAL_LEVEL

    @property
    def min_history(self) -> int:
        return self.season_length + 1  # one season to repeat, one residual for the interval

    def fit(self, history: pd.Series) -> FittedSeasonalNaive:
        values = history.to_numpy(dtype=float)
        residuals = values[self.season_length :] - values[: -self.season_length]
        return FittedSeasonalNaive(
            last_year=values[-self.season_length :],
            sigma=float(np.sqrt(np.mean(residuals**2))),
            last_week=history.index[-1],
            level=self.level,
            params={"season_length": str(self.season_length)},
        )


@dataclass(frozen=True)
class FittedEts:
    model: object  # statsforecast AutoETS, fitted
    last_week: pd.Timestamp
    level: float
    params: Mapping[str, str]

    def predict(self, horizon: int) -> pd.DataFrame:
        percent = round(self.level * 100)
        result = self.model.predict(h=horizon, level=[percent])
        return _forecast_frame(
            self.last_week, result["mean"], result[f"lo-{percent}"], result[f"hi-{percent}"]
        )


def _ets_method(components: str) -> str:
    """statsforecast's component code ("AAND": additive error and trend, no season, damped) as
    the usual ETS(A,Ad,N) label; its own `method` key is missing for constant series."""
    error, trend, season, damped = components
    return f"ETS({error},{trend}{'d' if damped == 'D' else ''},{season})"


@dataclass(frozen=True)
class Ets:
    """statsforecast's AutoETS over the non-seasonal ETS family (level, trend, damping).

    Non-seasonal on purpose: ETS (here as in R's `forecast`) allows seasonal periods up to 24,
    and 52 weekly seasonal states cannot be estimated from two or three years anyway. The yearly
    pattern is the seasonal naive's and Prophet's job; ETS is the baseline for shops whose weeks
    follow the recent level more than the calendar.
    """

    name: ClassVar[str] = "ets"
    level: float = INTERVAL_LEVEL
    min_history: int = MIN_TRAIN_WEEKS

    def fit(self, history: pd.Series) -> FittedEts:
        from statsforecast.models import AutoETS  # numba compiles on import: only when used

        model = AutoETS(season_length=1).fit(history.to_numpy(dtype=float))
        return FittedEts(
            model=model,
            last_week=history.index[-1],
            level=self.level,
            params={"ets_method": _ets_method(model.model_["components"])},
        )


class _DropShortHistoryWarning(logging.Filter):
    """Prophet warns on every fit with under two years of history that yearly seasonality may
    be under-identified. The backtest measures exactly that, and the warning would repeat for
    every origin of every young shop."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Yearly seasonality is enabled with less than")


def _quiet_prophet_logs() -> None:
    """Keep Prophet's routine chatter out of the run logs, where it would bury real warnings.

    - prophet.plot logs an ERROR on import when plotly, an optional extra not used here, is
      missing.
    - cmdstanpy logs two INFO lines per fit, and a backtest makes hundreds of fits. It resets its
      logger to DEBUG when it finds no handler up the hierarchy; a NullHandler keeps the level
      set here, and its warnings still reach the root handlers.
    """
    logging.getLogger("prophet.plot").setLevel(logging.CRITICAL)
    stan = logging.getLogger("cmdstanpy")
    if not stan.handlers:
        stan.addHandler(logging.NullHandler())
    stan.setLevel(logging.WARNING)
    prophet = logging.getLogger("prophet")
    if not any(isinstance(f, _DropShortHistoryWarning) for f in prophet.filters):
        prophet.addFilter(_DropShortHistoryWarning())


@dataclass(frozen=True)
class FittedProphet:
    model: object  # prophet.Prophet, fitted
    last_week: pd.Timestamp
    params: Mapping[str, str]

    def predict(self, horizon: int) -> pd.DataFrame:
        weeks = pd.date_range(self.last_week + pd.Timedelta(weeks=1), periods=horizon, freq="W-MON")
        result = self.model.predict(pd.DataFrame({"ds": weeks}))
        return _forecast_frame(
            self.last_week,
            result["yhat"].to_numpy(),
            result["yhat_lower"].to_numpy(),
            result["yhat_upper"].to_numpy(),
        )


@dataclass(frozen=True)
class ProphetModel:
    """Prophet on weekly data: trend, yearly seasonality and the shop's public-holiday weeks.

    Weekly and daily seasonality are off: there is one observation per week.
    """

    name: ClassVar[str] = "prophet"
    holidays: pd.DataFrame | None = None
    level: float = INTERVAL_LEVEL
    yearly_fourier_order: int = 10
    min_history: int = MIN_TRAIN_WEEKS

    def fit(self, history: pd.Series) -> FittedProphet:
        _quiet_prophet_logs()
        from prophet import Prophet  # a second of imports: only when a fit needs it

        model = Prophet(
            yearly_seasonality=self.yearly_fourier_order,
            weekly_seasonality=False,
            daily_seasonality=False,
            holidays=self.holidays,
            interval_width=self.level,
        )
        model.fit(pd.DataFrame({"ds": history.index, "y": history.to_numpy(dtype=float)}))
        holiday_count = 0 if self.holidays is None else self.holidays["holiday"].nunique()
        return FittedProphet(
            model=model,
            last_week=history.index[-1],
            params={
                "yearly_fourier_order": str(self.yearly_fourier_order),
                "holidays": str(holiday_count),
            },
        )
