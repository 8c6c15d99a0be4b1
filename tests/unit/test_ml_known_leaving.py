"""Churn risk against the truth, on clients whose leaving is known because we made it up.

Each client visits as a Poisson stream at their own pace (every 4 weeks on average, some twice a
month, some every few months) until their own exponential lifetime ends; their spend per visit
is their own. This is not the model's story (the modified BG/NBD lets clients leave only at a
visit), so the model is not scored on data drawn from itself. The truth is what the simulated
clients do in the 90 days after the as-of date, which nothing fitted on sees.
"""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from ml.clv.evaluation import roc_auc
from ml.clv.pipeline import ScoringResult, ScoringSettings, run_scoring
from ml.clv.rfm import holdout_visits
from ml.clv.scores import AT_RISK, LAPSED

START = dt.date(2023, 1, 2)
AS_OF = START + dt.timedelta(days=900)
HORIZON = 90
CLIENTS = 1500


def simulate(rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray]:
    """Every visit up to 90 days after AS_OF, and each client's last day as a client."""
    days_to_end = (AS_OF - START).days + HORIZON
    first = rng.uniform(0, (AS_OF - START).days, CLIENTS)
    weekly_rate = rng.gamma(3.0, 0.25 / 3.0, CLIENTS)  # mean: one visit every 4 weeks
    leaves = first + rng.exponential(400.0, CLIENTS)
    spend = rng.gamma(8.0, 45.0 / 8.0, CLIENTS)
    rows = []
    for client in range(CLIENTS):
        until = min(leaves[client], days_to_end)
        # more gaps than the client can fit before the end (mean + 10 sd of a Poisson count)
        expected = days_to_end * weekly_rate[client] / 7.0
        gaps = rng.exponential(7.0 / weekly_rate[client], int(expected + 10 * expected**0.5 + 10))
        days = first[client] + np.concatenate([[0.0], np.cumsum(gaps)])
        for day in days[days <= until]:
            rows.append(
                (client, START + dt.timedelta(days=int(day)), rng.gamma(20.0, spend[client] / 20))
            )
    visits = pd.DataFrame(rows, columns=["customer_key", "visit_date", "revenue"])
    return visits, leaves


@pytest.fixture(scope="module")
def scored() -> tuple[ScoringResult, pd.DataFrame, np.ndarray]:
    visits, leaves = simulate(np.random.default_rng(11))
    seen = visits[visits["visit_date"] <= AS_OF]
    result = run_scoring(seen, pd.Series(dtype=object), AS_OF, ScoringSettings())
    return result, visits, leaves


def test_churn_risk_ranks_the_truth_at_least_as_well_as_the_overdue_ratio(scored) -> None:
    result, visits, leaves = scored
    scores = result.scores
    came = holdout_visits(visits, AS_OF, AS_OF + dt.timedelta(days=HORIZON))
    quiet = (came.reindex(scores.index, fill_value=0) == 0).to_numpy()
    churn_auc = roc_auc(scores["churn_risk"].to_numpy(), quiet)
    overdue_auc = roc_auc(scores["overdue_ratio"].to_numpy(), quiet)
    assert churn_auc >= overdue_auc
    assert churn_auc > 0.8
    # and against who has actually left, which no visit record shows
    gone = leaves[scores.index.to_numpy()] < (AS_OF - START).days
    assert roc_auc(scores["churn_risk"].to_numpy(), gone) >= roc_auc(
        scores["overdue_ratio"].to_numpy(), gone
    )


def test_a_client_gone_for_good_is_lapsed_not_at_risk(scored) -> None:
    result, _, _ = scored
    scores = result.scores
    since = pd.Timestamp(AS_OF) - pd.to_datetime(scores["last_visit_date"])
    gone_a_year = scores[since.dt.days > 365]
    assert len(gone_a_year) > 100
    assert (gone_a_year["segment"] == LAPSED).all()
    assert not (gone_a_year["segment"] == AT_RISK).any()
