"""The forecasting candidates behind one small interface: a point forecast from a history.

Every candidate gives only its point forecast. Intervals are not the models' own: each model's
80% interval comes from its backtest errors (`calibration.py`), because the models' own intervals
were measured too wide (seasonal naive, whose spread one partial week could set) or too narrow
(Prophet's), and a baseline like the growth-adjusted seasonal naive has none at all.

The candidates (`bench/ml_forecast_report.py` prints how each does on held-out origins):
- `seasonal_naive`: the same week last year. The baseline every champion must beat.
- `growth_seasonal_naive`: the same week last year times the growth of the last 13 weeks over
  the same 13 weeks a year before: shops grow 10-22% a year, which the plain one ignores.
- `mstl_ets`: STL takes out the yearly pattern, ETS forecasts what is left (the level and its
  trend), the pattern is added back: "ETS with a seasonal term" for weekly data, where ETS
  itself allows no season longer than 24 (statsforecast, as R's `forecast`). The ETS is Holt's
  linear trend with additive errors (AAN), not a search over the six non-seasonal forms: on
  held-out origins it did as well (mean MASE 0.788 against 0.790 over 40 synthetic series,
  0.790 against 0.795 over the demo's 6) at a sixth of the ETS fits.
- `theta`: statsforecast's standard Theta (Hyndman & Billah 2003: simple exponential smoothing
  with half the linear trend as drift), on the series divided by its classical yearly
  decomposition when the yearly autocorrelation is significant, which needs two years of
  weeks; on shorter histories it has no yearly term. Of the Theta family it is the one kept:
  on 40 synthetic series (`bench/ml_champion.synthetic_weeks`, seed 101) it was champion of 2
  and lowered the champions' mean held-out MASE from 0.772 to 0.761 for about 3 ms a fit;
  `AutoTheta` (the best of four Theta models) did no better (0.766, champion of 1) at 40 times
  the cost a fit, and the dynamic optimised Theta won 1 (0.767) at twice Theta's cost.

Both forecast metrics (completed appointments, revenue) are non-negative, so every forecast is
clipped at zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol

import numpy as np

WEEKS_PER_YEAR = 52
GROWTH_WEEKS = 13  # a quarter: long enough to average out a holiday, short enough to be recent


class Candidate(Protocol):
    name: ClassVar[str]

    def forecast(self, history: np.ndarray, horizon: int) -> np.ndarray:
        """The next `horizon` weeks after `history` (complete weeks, oldest first)."""
        ...


def _last_year(history: np.ndarray, horizon: int) -> np.ndarray:
    season = history[-WEEKS_PER_YEAR:]
    return season[np.arange(horizon) % WEEKS_PER_YEAR]


@dataclass(frozen=True)
class SeasonalNaive:
    name: ClassVar[str] = "seasonal_naive"

    def forecast(self, history: np.ndarray, horizon: int) -> np.ndarray:
        return _last_year(history, horizon)


def recent_growth(history: np.ndarray, weeks: int = GROWTH_WEEKS) -> float:
    """The last `weeks` weeks' total over the same weeks a year earlier.

    With less than a year and `weeks` of history, over as many weeks as there are; 1 (no growth)
    when there are none or the year-earlier weeks had nothing (a shop that was not open).
    """
    weeks = min(weeks, len(history) - WEEKS_PER_YEAR)
    if weeks < 1:
        return 1.0
    before = history[-WEEKS_PER_YEAR - weeks : -WEEKS_PER_YEAR].sum()
    return float(history[-weeks:].sum() / before) if before > 0 else 1.0


@dataclass(frozen=True)
class GrowthSeasonalNaive:
    name: ClassVar[str] = "growth_seasonal_naive"

    def forecast(self, history: np.ndarray, horizon: int) -> np.ndarray:
        return _last_year(history, horizon) * recent_growth(history)


@dataclass(frozen=True)
class MstlEts:
    """statsforecast's `MSTL(season_length=52, trend_forecaster=AutoETS(model="AAN"))`, composed
    from its two halves (the `mstl` decomposition, then ETS on the deseasonalised weeks plus
    last year's seasonal component) to skip its per-call DataFrame bookkeeping: the same
    forecast (the unit tests compare them) at about two thirds of the cost."""

    name: ClassVar[str] = "mstl_ets"

    def forecast(self, history: np.ndarray, horizon: int) -> np.ndarray:
        from statsforecast.models import AutoETS  # numba compiles on import: only when used
        from statsforecast.mstl import mstl

        seasonal = mstl(history, WEEKS_PER_YEAR)["seasonal"].to_numpy()
        trend = AutoETS(model="AAN", damped=False).forecast(y=history - seasonal, h=horizon)
        return np.asarray(trend["mean"], dtype=float) + _last_year(seasonal, horizon)


@dataclass(frozen=True)
class Theta:
    name: ClassVar[str] = "theta"

    def forecast(self, history: np.ndarray, horizon: int) -> np.ndarray:
        from statsforecast.models import Theta as StatsforecastTheta

        model = StatsforecastTheta(season_length=WEEKS_PER_YEAR)
        return np.asarray(model.forecast(y=history, h=horizon)["mean"], dtype=float)


@dataclass(frozen=True)
class Naive:
    """The last complete week, repeated: the stated baseline for a series too short to
    backtest and to repeat a year (`forecaster.py`), never a candidate."""

    name: ClassVar[str] = "naive"

    def forecast(self, history: np.ndarray, horizon: int) -> np.ndarray:
        return np.repeat(history[-1], horizon)


CANDIDATES: dict[str, Candidate] = {
    candidate.name: candidate
    for candidate in (SeasonalNaive(), GrowthSeasonalNaive(), Theta(), MstlEts())
}
# On a tie the earlier wins: a model must beat the simpler ones to be champion.
PREFERENCE = tuple(CANDIDATES)
BASELINE = SeasonalNaive.name
FALLBACK = Naive()


def point_forecast(name: str, history: np.ndarray, horizon: int) -> np.ndarray:
    model = FALLBACK if name == FALLBACK.name else CANDIDATES[name]
    return np.clip(model.forecast(history, horizon), 0.0, None)
