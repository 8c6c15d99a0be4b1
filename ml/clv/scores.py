"""Per-client scores as METRICS.md defines them (Scores; Clients for days_overdue).

BG/NBD lets a client drop out only right after a visit, so a one-visit client is "alive" by
construction (p_alive = 1) however long ago the visit was. That is why churn risk is always read
with days_overdue, and why At-Risk takes either signal: days_overdue catches the one-visit
clients the model cannot.

predicted_clv_12m is not discounted: over one year a discount rate changes it by a few percent,
and owners read it as "a year of this client's revenue".
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ml.clv.models import ClientValueModels, expected_spend, expected_visits, p_alive
from ml.clv.rfm import DAYS_PER_WEEK

AT_RISK = "At-Risk"
AT_RISK_CHURN_RISK = 0.5
AT_RISK_DAYS_OVERDUE = 30
# Among clients not at risk, ranked by predicted value: the top 5%, the next 15%, the middle
# 50%, and the bottom 30% as Developing.
VALUE_TIERS = ((0.05, "Premium VIP"), (0.20, "High Value"), (0.70, "Regular"))
DEVELOPING = "Developing"
SEGMENTS = (*(name for _, name in VALUE_TIERS), DEVELOPING, AT_RISK)

VISITS_WINDOW_DAYS = 90
VALUE_WINDOW_DAYS = 365


def days_overdue(rfm: pd.DataFrame, home_shop: pd.Series, observation_end: dt.date) -> pd.Series:
    """Days since the last visit minus the client's usual interval (positive = overdue).

    The usual interval is the client's own mean; for a one-visit client, the median of the mean
    intervals of the clients of its home shop, or of the whole chain when the shop has no
    returning client yet (or the client no home shop). NaN only when nobody has returned.
    """
    own = rfm["mean_interval_days"]
    shop = home_shop.reindex(rfm.index)
    shop_median = own.groupby(shop).median()
    usual = own.fillna(shop.map(shop_median)).fillna(own.median())
    since_last = (pd.Timestamp(observation_end) - pd.to_datetime(rfm["last_visit"])).dt.days
    return (since_last - usual).rename("days_overdue")


def assign_segments(churn_risk: pd.Series, overdue: pd.Series, value: pd.Series) -> pd.Series:
    """At-Risk first; everyone else by their place in the value ranking (ties share a tier)."""
    at_risk = (churn_risk >= AT_RISK_CHURN_RISK) | (overdue > AT_RISK_DAYS_OVERDUE)
    ranked = value[~at_risk]
    share_above = (ranked.rank(ascending=False, method="min") - 1) / len(ranked)
    tiers = np.select(
        [share_above < bound for bound, _ in VALUE_TIERS],
        [name for _, name in VALUE_TIERS],
        default=DEVELOPING,
    )
    segment = pd.Series(AT_RISK, index=value.index, dtype=object)
    segment[ranked.index] = tiers
    return segment.rename("segment")


def score_clients(
    rfm: pd.DataFrame,
    models: ClientValueModels,
    home_shop: pd.Series,
    observation_end: dt.date,
    *,
    time_unit_days: float = DAYS_PER_WEEK,
) -> pd.DataFrame:
    """One row per client of `rfm` (indexed by customer_key) with the scores of METRICS.md."""
    alive = p_alive(models.bgnbd, rfm)
    visits_90d = expected_visits(models.bgnbd, rfm, VISITS_WINDOW_DAYS / time_unit_days)
    visits_12m = expected_visits(models.bgnbd, rfm, VALUE_WINDOW_DAYS / time_unit_days)
    scores = pd.DataFrame(
        {
            "p_alive": alive,
            "expected_visits_90d": visits_90d,
            "predicted_clv_12m": np.round(visits_12m * expected_spend(models.gamma_gamma, rfm), 2),
            "churn_risk": 1.0 - alive,
        },
        index=rfm.index,
    )
    # rounded before segmenting, so the stored value and the At-Risk rule always agree
    scores["days_overdue"] = days_overdue(rfm, home_shop, observation_end).round(1)
    scores["segment"] = assign_segments(
        scores["churn_risk"], scores["days_overdue"], scores["predicted_clv_12m"]
    )
    return scores
