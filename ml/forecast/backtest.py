"""Rolling-origin backtests in two blocks: earlier origins pick the champion, later ones score it.

How the origins are chosen. The first origin trains on one year (`min_train`, 52 weeks: the
seasonal candidates need a year to repeat). The weeks after it, up to the last complete week,
are cut in two halves of equal length. Each half gets `per_block` origins spread evenly over it,
the first at its start and the last leaving exactly `horizon` weeks before the half ends, so
no forecast of the selection block reaches into the held-out half. Models are picked and their
intervals calibrated on the selection block; the held-out block only measures them. Every origin
trains on all weeks before it (an expanding window), as the published model does.

With the defaults (12 weeks ahead, 5 origins a block) two years of complete weeks (103) give
selection origins after 52-65 weeks and held-out ones after 77-91; three years give 52-92 and
104-144.

Scores (Hyndman & Koehler 2006), each origin scaled by the mean absolute one-step change of its
own training weeks (docs/metrics.md): MASE, the mean over origins; bias, the mean scaled error
(positive: forecasts too high); the Winkler (interval) score of the 80% interval, scaled alike;
coverage, the share of actuals inside the 80% interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.forecast.models import point_forecast

INTERVAL_LEVEL = 0.8


@dataclass(frozen=True)
class Origins:
    """Training lengths (weeks before the origin) of the two blocks."""

    selection: tuple[int, ...]
    held_out: tuple[int, ...]

    @property
    def all(self) -> tuple[int, ...]:
        return self.selection + self.held_out


def minimum_weeks(horizon: int, per_block: int, min_train: int) -> int:
    """The shortest history with `per_block` distinct origins in each half."""
    return min_train + 2 * (horizon + per_block - 1)


def rolling_origins(n_weeks: int, horizon: int, per_block: int, min_train: int) -> Origins | None:
    """The origins of a series of `n_weeks` complete weeks (see the module docstring); None
    when it is shorter than `minimum_weeks`."""
    if n_weeks < minimum_weeks(horizon, per_block, min_train):
        return None
    split = min_train + (n_weeks - min_train) // 2

    def spread(first: int, last: int) -> tuple[int, ...]:
        return tuple(round(float(c)) for c in np.linspace(first, last, per_block))

    return Origins(spread(min_train, split - horizon), spread(split, n_weeks - horizon))


def naive_scale(train: np.ndarray) -> float:
    """Mean absolute one-step change of the training weeks: MASE's denominator.

    A constant training window (a shop whose takings never changed) has none; its mean absolute
    value stands in, then 1, so an error is never divided by zero.
    """
    for scale in (np.mean(np.abs(np.diff(train))), np.mean(np.abs(train))):
        if scale > 0:
            return float(scale)
    return 1.0


def backtest(values: pd.Series, name: str, origins: Origins, horizon: int) -> pd.DataFrame:
    """One row per origin and week ahead: the point forecast, what happened and the scale."""
    y = values.to_numpy(dtype=float)
    blocks = [("selection", origins.selection), ("held_out", origins.held_out)]
    cutoffs = [cutoff for _, block in blocks for cutoff in block]
    steps = np.arange(horizon)
    return pd.DataFrame(
        {
            "block": np.repeat([label for label, block in blocks for _ in block], horizon),
            "origin": values.index[np.repeat(cutoffs, horizon) - 1],  # the last training week
            "week_start": values.index[np.add.outer(cutoffs, steps).ravel()],
            "horizon": np.tile(steps + 1, len(cutoffs)),
            "yhat": np.concatenate([point_forecast(name, y[:c], horizon) for c in cutoffs]),
            "actual": np.concatenate([y[c : c + horizon] for c in cutoffs]),
            "scale": np.repeat([naive_scale(y[:c]) for c in cutoffs], horizon),
        }
    )


@dataclass(frozen=True)
class Scores:
    """A candidate's scores over one block of origins."""

    mase: float
    coverage_80: float
    bias: float
    winkler_80: float
    mase_by_origin: tuple[float, ...]
    coverage_by_origin: tuple[float, ...]


def score(rows: pd.DataFrame) -> Scores:
    """Scores of backtest rows that carry a calibrated interval (`yhat_lower`, `yhat_upper`)."""
    yhat, actual, scale = (rows[c].to_numpy(dtype=float) for c in ("yhat", "actual", "scale"))
    lower, upper = rows["yhat_lower"].to_numpy(), rows["yhat_upper"].to_numpy()
    error = yhat - actual
    penalty = 2 / (1 - INTERVAL_LEVEL)
    winkler = (
        (upper - lower)
        + penalty * np.clip(lower - actual, 0, None)
        + penalty * np.clip(actual - upper, 0, None)
    )
    inside = (actual >= lower) & (actual <= upper)
    origin, _ = pd.factorize(rows["origin"], sort=True)
    count = np.bincount(origin)
    mase = np.bincount(origin, np.abs(error) / scale) / count
    return Scores(
        mase=float(mase.mean()),
        coverage_80=float(inside.mean()),
        bias=float((error / scale).mean()),
        winkler_80=float((winkler / scale).mean()),
        mase_by_origin=tuple(float(v) for v in mase),
        coverage_by_origin=tuple(float(v) for v in np.bincount(origin, inside) / count),
    )
