"""Does the client model predict this chain's clients? A calibration/holdout check on the
warehouse's own history, as in Fader, Hardie & Lee (2005, Figure 4): fit on everything up to a
cutoff, predict each client's visits in the weeks after it, and compare with what they did,
grouped by how many repeat visits they had made before the cutoff.

Churn risk is checked the way an owner uses it: does it rank the clients who then did not come
back in the holdout above those who did (AUC; 0.5 is a coin toss)?
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from ml.clv.models import expected_visits, fit_bgnbd, p_alive
from ml.clv.rfm import DAYS_PER_WEEK, holdout_visits, rfm_summary

TOP_BUCKET = 7  # repeat visits in calibration: 0, 1, ..., 6 and "7+"


@dataclass(frozen=True)
class HoldoutEvaluation:
    calibration_end: dt.date
    holdout_end: dt.date
    clients: int
    by_frequency: pd.DataFrame  # repeat_visits_calibration, clients, actual_mean, predicted_mean
    actual_visits: float
    predicted_visits: float
    churn_auc: float


def roc_auc(score: np.ndarray, positive: np.ndarray) -> float:
    """Probability that a random positive scores above a random negative (ties count half);
    NaN when either class is empty."""
    n_positive = int(positive.sum())
    n_negative = len(positive) - n_positive
    if n_positive == 0 or n_negative == 0:
        return float("nan")
    ranks = rankdata(score)
    return float(
        (ranks[positive].sum() - n_positive * (n_positive + 1) / 2) / (n_positive * n_negative)
    )


def evaluate_holdout(
    visits: pd.DataFrame,
    observation_end: dt.date,
    *,
    holdout_days: int = 90,
    time_unit_days: float = DAYS_PER_WEEK,
    penalizer: float = 0.0,
) -> HoldoutEvaluation:
    """Fit BG/NBD on the visits up to `holdout_days` before `observation_end` and score its
    predictions for the clients of that period against the holdout that followed."""
    calibration_end = observation_end - dt.timedelta(days=holdout_days)
    calibration = rfm_summary(visits, calibration_end, time_unit_days=time_unit_days)
    model = fit_bgnbd(calibration, penalizer=penalizer)
    predicted = expected_visits(model, calibration, holdout_days / time_unit_days)
    actual = (
        holdout_visits(visits, calibration_end, observation_end)
        .reindex(calibration.index, fill_value=0)
        .to_numpy(dtype=float)
    )
    bucket = calibration["frequency"].clip(upper=TOP_BUCKET).to_numpy()
    table = (
        pd.DataFrame({"bucket": bucket, "actual": actual, "predicted": predicted})
        .groupby("bucket", sort=True)
        .agg(
            clients=("actual", "size"),
            actual_mean=("actual", "mean"),
            predicted_mean=("predicted", "mean"),
        )
        .reset_index()
    )
    labels = table["bucket"].astype(int).astype(str)
    table.insert(
        0, "repeat_visits_calibration", labels.where(table["bucket"] < TOP_BUCKET, f"{TOP_BUCKET}+")
    )
    return HoldoutEvaluation(
        calibration_end=calibration_end,
        holdout_end=observation_end,
        clients=len(calibration),
        by_frequency=table.drop(columns="bucket"),
        actual_visits=float(actual.sum()),
        predicted_visits=float(predicted.sum()),
        churn_auc=roc_auc(1.0 - p_alive(model, calibration), actual == 0),
    )
