"""Does the client model predict this chain's clients? Every figure here is measured on what
clients did after a cutoff that the models fitted on never saw.

Design. `holdout_days` (90) before the as-of date is the cutoff. The visit model (modified
BG/NBD) and Gamma-Gamma are fitted on the visits up to the cutoff; the label of each client of
that period is whether they made no visit in the 90 days after it.
- Visits: predicted against actual visits after the cutoff, grouped by repeat visits before it
  (Fader, Hardie & Lee 2005, Figure 4).
- Churn risk: the classifier of `ml.clv.churn` is trained on these labels, so its figures are
  out of fold: five stratified folds of clients, each scored by the classifier fitted on the
  other four. AUC (0.5 is a coin toss) and, per decile of predicted risk, the mean predicted
  risk against the share that did not come back. The plain overdue ratio is scored on the same
  clients as the baseline churn risk must beat.
The classifier shipped for scoring is refitted on every client of the window (`ChurnWindow`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import rankdata
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from ml.clv.churn import (
    FEATURES,
    HORIZON_DAYS,
    ChurnClassifier,
    churn_features,
    days_since_last_visit,
    new_classifier,
    one_thread,
    usual_interval_days,
)
from ml.clv.models import expected_visits, fit_mbgnbd
from ml.clv.rfm import DAYS_PER_WEEK, holdout_visits, rfm_summary

TOP_BUCKET = 7  # repeat visits in calibration: 0, 1, ..., 6 and "7+"
DECILES = 10
FOLDS = 5
# docs/metrics.md: churn risk must rank at least this well, and per decile stay this close.
MIN_CHURN_AUC = 0.80
MAX_DECILE_GAP = 0.05


@dataclass(frozen=True)
class HoldoutEvaluation:
    calibration_end: dt.date
    holdout_end: dt.date
    clients: int
    by_frequency: pd.DataFrame  # repeat_visits_calibration, clients, actual_mean, predicted_mean
    actual_visits: float
    predicted_visits: float
    churn_auc: float  # churn risk, out of fold
    overdue_ratio_auc: float  # the baseline on the same clients
    model_auc: float  # the visit model's own no-visit probability, before the classifier
    calibration: pd.DataFrame  # decile, clients, predicted, observed

    @property
    def max_decile_gap(self) -> float:
        return float((self.calibration["predicted"] - self.calibration["observed"]).abs().max())

    def problems(self) -> list[str]:
        """What leaves the band docs/metrics.md sets; empty when the scores can be vouched for."""
        found = []
        if not self.churn_auc >= MIN_CHURN_AUC:
            found.append(f"churn AUC {self.churn_auc:.3f} < {MIN_CHURN_AUC}")
        if not self.churn_auc >= self.overdue_ratio_auc:
            found.append(
                f"churn AUC {self.churn_auc:.3f} below the overdue ratio's "
                f"{self.overdue_ratio_auc:.3f}"
            )
        if not self.max_decile_gap <= MAX_DECILE_GAP:
            found.append(f"a decile is {self.max_decile_gap:.3f} off its observed rate")
        return found


@dataclass(frozen=True)
class ChurnWindow:
    """The classifier trained on the last labelled window, and the holdout figures."""

    classifier: ChurnClassifier
    evaluation: HoldoutEvaluation


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


def calibration_table(predicted: np.ndarray, observed: np.ndarray) -> pd.DataFrame:
    """Mean predicted and observed rate per decile of the prediction (1 = lowest risk)."""
    decile = pd.qcut(rankdata(predicted, method="ordinal"), DECILES, labels=False) + 1
    table = (
        pd.DataFrame({"decile": decile, "predicted": predicted, "observed": observed})
        .groupby("decile", sort=True)
        .agg(
            clients=("observed", "size"),
            predicted=("predicted", "mean"),
            observed=("observed", "mean"),
        )
        .reset_index()
    )
    return table


def frequency_table(
    frequency: np.ndarray, actual: np.ndarray, predicted: np.ndarray
) -> pd.DataFrame:
    bucket = np.clip(frequency, None, TOP_BUCKET)
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
    return table.drop(columns="bucket")


def train_churn_window(
    visits: pd.DataFrame,
    home_shop: pd.Series,
    observation_end: dt.date,
    *,
    holdout_days: int = HORIZON_DAYS,
    time_unit_days: float = DAYS_PER_WEEK,
    penalizer: float = 0.0,
) -> ChurnWindow:
    """Fit on the visits up to `holdout_days` before `observation_end`, measure on what the
    clients of that period did up to `observation_end`, and train the churn classifier there."""
    calibration_end = observation_end - dt.timedelta(days=holdout_days)
    rfm = rfm_summary(visits, calibration_end, time_unit_days=time_unit_days)
    model = fit_mbgnbd(rfm, penalizer=penalizer)
    usual = usual_interval_days(rfm, home_shop)
    since = days_since_last_visit(rfm, calibration_end)
    features = churn_features(model, rfm, usual, since, time_unit_days=time_unit_days)
    actual = (
        holdout_visits(visits, calibration_end, observation_end)
        .reindex(rfm.index, fill_value=0)
        .to_numpy(dtype=float)
    )
    quiet = actual == 0
    with one_thread():
        out_of_fold = cross_val_predict(
            new_classifier(),
            features[list(FEATURES)].to_numpy(),
            quiet,
            cv=StratifiedKFold(FOLDS, shuffle=True, random_state=0),
            method="predict_proba",
        )[:, 1]
    predicted = expected_visits(model, rfm, holdout_days / time_unit_days)
    ratio = (since / usual).to_numpy(dtype=float)
    evaluation = HoldoutEvaluation(
        calibration_end=calibration_end,
        holdout_end=observation_end,
        clients=len(rfm),
        by_frequency=frequency_table(rfm["frequency"].to_numpy(), actual, predicted),
        actual_visits=float(actual.sum()),
        predicted_visits=float(predicted.sum()),
        churn_auc=roc_auc(out_of_fold, quiet),
        overdue_ratio_auc=roc_auc(np.nan_to_num(ratio, nan=1.0), quiet),
        model_auc=roc_auc(features["model_no_visit_logit"].to_numpy(), quiet),
        calibration=calibration_table(out_of_fold, quiet.astype(float)),
    )
    return ChurnWindow(ChurnClassifier.fit(features, quiet), evaluation)
