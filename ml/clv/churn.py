"""Churn risk: the probability that a client makes no visit in the next 90 days (docs/metrics.md).

The probabilistic model (modified BG/NBD) treats visits as a Poisson stream, so it cannot see
that a client who comes like clockwork every four weeks and has now been away twelve is almost
certainly gone. The client's own cadence can: the overdue ratio (days since the last visit over
their usual interval). Churn risk combines the two, with the number of repeat visits (how much
the client's own interval can be trusted), in a gradient-boosted classifier whose output may only
rise with the model's no-visit probability and with the overdue ratio (monotone constraints, so
an owner never sees a later client ranked safer), fitted on what clients actually did.

Validation design (`ml.clv.evaluation`): the classifier learns from the window that ends one
horizon before the as-of date (features at that date, label: no visit in the 90 days after). Its
accuracy is reported out of fold: five folds of clients, each client scored by the classifier
fitted on the other four, so no reported prediction was fitted on its own label. The classifier
that scores the clients as of the as-of date is fitted on every client of that window.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

from ml.clv.models import VisitModel, p_no_visit
from ml.clv.rfm import DAYS_PER_WEEK

HORIZON_DAYS = 90
FEATURES = ("model_no_visit_logit", "log_overdue_ratio", "log_repeat_visits")
RATIO_BOUNDS = (0.01, 100.0)


def usual_interval_days(rfm: pd.DataFrame, home_shop: pd.Series) -> pd.Series:
    """The client's own mean interval; for a one-visit client, the median of the mean intervals
    of their home shop's clients, or of the whole chain when the shop has no returning client yet
    (or the client no home shop). NaN only when nobody has returned."""
    own = rfm["mean_interval_days"]
    shop = home_shop.reindex(rfm.index)
    usual = own.fillna(shop.map(own.groupby(shop).median())).fillna(own.median())
    return usual.rename("usual_interval_days")


def days_since_last_visit(rfm: pd.DataFrame, observation_end: dt.date) -> pd.Series:
    since = pd.Timestamp(observation_end) - pd.to_datetime(rfm["last_visit"])
    return since.dt.days.astype(float).rename("days_since_last_visit")


def churn_features(
    model: VisitModel,
    rfm: pd.DataFrame,
    usual_interval: pd.Series,
    since_last: pd.Series,
    *,
    time_unit_days: float = DAYS_PER_WEEK,
) -> pd.DataFrame:
    """The classifier's inputs, one row per client of `rfm`. A chain where nobody has returned
    has no usual interval; the ratio is then neutral (1) and the model's probability decides."""
    quiet = np.clip(p_no_visit(model, rfm, HORIZON_DAYS / time_unit_days), 1e-6, 1 - 1e-6)
    ratio = (since_last / usual_interval).fillna(1.0).clip(*RATIO_BOUNDS)
    return pd.DataFrame(
        {
            "model_no_visit_logit": np.log(quiet / (1 - quiet)),
            "log_overdue_ratio": np.log(ratio.to_numpy(dtype=float)),
            "log_repeat_visits": np.log1p(rfm["frequency"].to_numpy(dtype=float)),
        },
        index=rfm.index,
    )


def one_thread() -> threadpool_limits:
    """OpenMP threads make these small fits 30x slower on a shared two-core machine (thread
    start-up and contention dominate a few thousand rows)."""
    return threadpool_limits(1)


def new_classifier() -> HistGradientBoostingClassifier:
    """Small, shallow and monotone: a few thousand clients per shop chain is little data, and
    the constraints keep the ranking explainable. Settings chosen on the demo and CDNOW
    (bench/clv_figures.py) before the holdout figures in the README were measured."""
    return HistGradientBoostingClassifier(
        max_iter=100,
        learning_rate=0.05,
        max_leaf_nodes=8,
        min_samples_leaf=100,
        l2_regularization=1.0,
        monotonic_cst=[1, 1, 0],
        random_state=0,
    )


@dataclass(frozen=True)
class ChurnClassifier:
    fitted: HistGradientBoostingClassifier

    @classmethod
    def fit(cls, features: pd.DataFrame, quiet: np.ndarray) -> ChurnClassifier:
        with one_thread():
            return cls(new_classifier().fit(features[list(FEATURES)].to_numpy(), quiet))

    def churn_risk(self, features: pd.DataFrame) -> np.ndarray:
        return self.fitted.predict_proba(features[list(FEATURES)].to_numpy())[:, 1]
