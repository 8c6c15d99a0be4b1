"""80% intervals from backtest errors (split conformal prediction, Vovk et al. 2005).

A candidate's interval is its point forecast plus or minus `q` times the forecast's scale (the
mean absolute one-step change of the weeks it was trained on), where `q` is the conformal 80%
quantile of the candidate's absolute errors in the same units, over every backtest week that had
already happened at the forecast's origin (sequential split conformal): a held-out origin's
interval is calibrated on the errors of the origins before it, never on its own, and the
published forecast's on every backtest error.
Scaling by the training window makes errors of a shop that grew, or of visits and revenue,
comparable, and the interval grows with the shop as its forecasts do.

Errors of every week ahead are pooled: a block has 5 origins, too few for a quantile per week
ahead, and the candidates' errors change little with the weeks ahead (a year-ago value is as old
for week 1 as for week 12).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ml.forecast.backtest import INTERVAL_LEVEL

CALIBRATION_WINDOW = pd.Timedelta(weeks=26)


def conformal_quantile(rows: pd.DataFrame, level: float = INTERVAL_LEVEL) -> float:
    """The scaled absolute error that `level` of future errors stay within.

    The ceil((n + 1) * level)-th smallest of n errors (the largest when there are too few):
    with exchangeable errors, the finite-sample guarantee of split conformal prediction.
    """
    scores = np.sort(((rows["actual"] - rows["yhat"]).abs() / rows["scale"]).to_numpy())
    rank = min(math.ceil((len(scores) + 1) * level), len(scores))
    return float(scores[rank - 1])


def with_interval(rows: pd.DataFrame, quantile: float) -> pd.DataFrame:
    """`rows` (with yhat and scale) with the interval; the metrics are never negative."""
    half_width = quantile * rows["scale"]
    return rows.assign(
        yhat_lower=(rows["yhat"] - half_width).clip(lower=0.0),
        yhat_upper=rows["yhat"] + half_width,
    )


def calibrate_backtest(rows: pd.DataFrame) -> pd.DataFrame:
    """Backtest rows with their interval as it could have been known at each origin.

    Selection origins come first and have no earlier errors: their interval is calibrated on
    the whole selection block (in-sample, never reported as coverage). Each held-out origin's
    comes from the errors of the weeks up to and including it, of all earlier origins.
    """
    selection = rows["block"] == "selection"
    frames = [with_interval(rows[selection], conformal_quantile(rows[selection]))]
    for origin, window in rows[~selection].groupby("origin", sort=True):
        known = rows[rows["week_start"].between(origin - CALIBRATION_WINDOW, origin)]
        frames.append(with_interval(window, conformal_quantile(known)))
    return pd.concat(frames).sort_index()
