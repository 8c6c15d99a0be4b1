"""Per-client scores and segments as docs/metrics.md defines them (Scores; Clients for days_overdue
and overdue_ratio).

predicted_clv_12m is not discounted: over one year a discount rate changes it by a few percent,
and owners read it as "a year of this client's revenue".
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ml.clv.churn import (
    HORIZON_DAYS,
    ChurnClassifier,
    churn_features,
    days_since_last_visit,
    usual_interval_days,
)
from ml.clv.models import ClientValueModels, expected_visits, p_alive
from ml.clv.rfm import DAYS_PER_WEEK
from ml.clv.value import predicted_value, value_range

LAPSED = "Lapsed"
AT_RISK = "At-Risk"
LAPSED_DAYS = 365
LAPSED_CHURN_RISK = 0.9
AT_RISK_CHURN_RISK = 0.5
AT_RISK_OVERDUE_RATIO = 1.5
# Among clients neither Lapsed nor At-Risk, ranked by predicted value: the top 5%, the next 15%,
# the middle 50%, and the bottom 30% as Developing, where every new client starts.
VALUE_TIERS = ((0.05, "Premium VIP"), (0.20, "High Value"), (0.70, "Regular"))
DEVELOPING = "Developing"
SEGMENTS = (*(name for _, name in VALUE_TIERS), DEVELOPING, AT_RISK, LAPSED)


def assign_segments(
    churn_risk: pd.Series,
    overdue_ratio: pd.Series,
    since_last: pd.Series,
    value: pd.Series,
    repeat_visits: pd.Series,
) -> pd.Series:
    """Lapsed first (a win-back campaign, not a call), then At-Risk (still winnable). A new
    client (no repeat visit yet) who is neither starts as Developing: one visit does not make a
    VIP. The returning clients are ranked into the value tiers (ties share a tier)."""
    lapsed = (since_last > LAPSED_DAYS) | (churn_risk >= LAPSED_CHURN_RISK)
    at_risk = ~lapsed & (
        (overdue_ratio >= AT_RISK_OVERDUE_RATIO) | (churn_risk >= AT_RISK_CHURN_RISK)
    )
    new = repeat_visits.reindex(value.index) == 0
    ranked = value[~lapsed & ~at_risk & ~new]
    share_above = (ranked.rank(ascending=False, method="min") - 1) / max(len(ranked), 1)
    tiers = pd.Series(
        np.select(
            [share_above < bound for bound, _ in VALUE_TIERS],
            [name for _, name in VALUE_TIERS],
            default=DEVELOPING,
        ),
        index=ranked.index,
    )
    segment = pd.Series(AT_RISK, index=value.index, dtype=object)
    segment[lapsed] = LAPSED
    segment[~lapsed & ~at_risk & new] = DEVELOPING
    segment[tiers.index] = tiers
    return segment.rename("segment")


def score_clients(
    rfm: pd.DataFrame,
    models: ClientValueModels,
    churn: ChurnClassifier,
    home_shop: pd.Series,
    observation_end: dt.date,
    *,
    time_unit_days: float = DAYS_PER_WEEK,
) -> pd.DataFrame:
    """One row per client of `rfm` (indexed by customer_key) with the scores of docs/metrics.md."""
    usual = usual_interval_days(rfm, home_shop)
    since = days_since_last_visit(rfm, observation_end)
    features = churn_features(models.visits, rfm, usual, since, time_unit_days=time_unit_days)
    value = predicted_value(models.visits, models.gamma_gamma, rfm, time_unit_days=time_unit_days)
    low, high = value_range(models.visits, models.gamma_gamma, rfm, time_unit_days=time_unit_days)
    scores = pd.DataFrame(
        {
            "p_alive": p_alive(models.visits, rfm),
            "expected_visits_90d": expected_visits(
                models.visits, rfm, HORIZON_DAYS / time_unit_days
            ),
            "predicted_clv_12m": np.round(value, 2),
            # percentiles of a skewed spend: for a client likely gone both can be 0
            "predicted_clv_12m_low": np.round(low, 2),
            "predicted_clv_12m_high": np.round(high, 2),
            "churn_risk": churn.churn_risk(features),
            "last_visit_date": rfm["last_visit"],
            "usual_interval_days": usual.round(1),
        },
        index=rfm.index,
    )
    scores["value_at_stake"] = (scores["predicted_clv_12m"] * scores["churn_risk"]).round(2)
    # rounded before segmenting, so the stored values and the segment rules always agree
    scores["days_overdue"] = (since - usual).round(1)
    scores["overdue_ratio"] = (since / usual).round(3)
    scores["segment"] = assign_segments(
        scores["churn_risk"],
        scores["overdue_ratio"],
        since,
        pd.Series(value, index=rfm.index),
        rfm["frequency"],
    )
    return scores
