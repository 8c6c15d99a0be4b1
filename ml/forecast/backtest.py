"""Rolling-origin backtests: refit at several past cutoffs, forecast the weeks that followed, and
score the forecasts against what happened.

Scores (Hyndman & Koehler 2006):
- MASE: a cutoff's mean absolute error divided by the in-sample mean absolute one-step change of
  its training data, averaged over cutoffs. The one-step (not the 52-week) scale, as in the M4
  competition for weekly data, because it exists for a shop with less than two years of history
  and is the same for every candidate, so it never favours one. Below 1 means the forecast errs
  less than last week's value predicts this week's.
- coverage_80: the share of backtest weeks inside the 80% interval; near 0.8 means the interval
  can be trusted as stated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.forecast.models import Forecaster


@dataclass(frozen=True)
class BacktestScores:
    mase: float
    coverage_80: float
    mae: float
    mase_by_cutoff: tuple[float, ...]
    mase_by_horizon: tuple[float, ...]  # 1 week ahead, 2 weeks ahead, ...


def rolling_origins(
    n_weeks: int, horizon: int, count: int, *, span_weeks: int = 52, min_train: int
) -> list[int]:
    """Training lengths (cutoffs) of `count` backtests spread over the last `span_weeks` weeks.

    The last origin leaves exactly `horizon` weeks to forecast; none leaves fewer than
    `min_train` weeks to train on. With the defaults (12 weeks ahead, 4 origins, 52 weeks) the
    four 12-week windows cover 48 of the last 52 weeks, each once. Empty when the series is too
    short for a single backtest.
    """
    latest = n_weeks - horizon
    if latest < min_train:
        return []
    earliest = min(max(n_weeks - span_weeks, min_train), latest)
    return sorted({round(c) for c in np.linspace(earliest, latest, count)})


def naive_scale(train: np.ndarray) -> float:
    """Mean absolute one-step change in the training data; NaN for a constant series."""
    scale = float(np.mean(np.abs(np.diff(train))))
    return scale if scale > 0 else float("nan")


def backtest(
    values: pd.Series, forecaster: Forecaster, cutoffs: Sequence[int], horizon: int
) -> pd.DataFrame:
    """One row per cutoff and forecast week: the forecast, its interval and what happened."""
    frames = []
    for cutoff in cutoffs:
        train, actual = values.iloc[:cutoff], values.iloc[cutoff : cutoff + horizon]
        forecast = forecaster.fit(train).predict(len(actual))
        frames.append(
            forecast.assign(
                cutoff=train.index[-1],
                horizon=np.arange(1, len(actual) + 1),
                actual=actual.to_numpy(),
                scale=naive_scale(train.to_numpy()),
            )
        )
    return pd.concat(frames).reset_index()


def score(results: pd.DataFrame) -> BacktestScores:
    """MASE, interval coverage and MAE of a backtest (see the module docstring)."""
    error = (results["actual"] - results["yhat"]).abs()
    scaled = error / results["scale"]
    by_cutoff = scaled.groupby(results["cutoff"], sort=True).mean()
    by_horizon = scaled.groupby(results["horizon"], sort=True).mean()
    inside = results["actual"].between(results["yhat_lower"], results["yhat_upper"])
    return BacktestScores(
        mase=float(by_cutoff.mean()),
        coverage_80=float(inside.mean()),
        mae=float(error.mean()),
        mase_by_cutoff=tuple(float(v) for v in by_cutoff),
        mase_by_horizon=tuple(float(v) for v in by_horizon),
    )


def select_champion(scores: Mapping[str, BacktestScores], preference: Sequence[str]) -> str:
    """The candidate with the lowest MASE; on a tie the earlier in `preference` wins.

    Baselines come first in `preference`, so Prophet is champion only where it is strictly
    better. MASE is missing for every candidate alike when each origin's training data was
    constant (a shop that had not opened yet); the mean absolute error decides then.
    """

    def rank(name: str) -> tuple[float, int]:
        error = scores[name].mae if np.isnan(scores[name].mase) else scores[name].mase
        return error, preference.index(name)

    return min(scores, key=rank)
