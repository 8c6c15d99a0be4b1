"""Client value: visit summaries, parameter recovery, scores, segments and the holdout check."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from ml.clv.evaluation import evaluate_holdout, roc_auc
from ml.clv.models import ModelNotIdentified, fit_bgnbd, fit_gamma_gamma
from ml.clv.pipeline import ScoringSettings, history_shortfall, run_scoring
from ml.clv.rfm import rfm_summary
from ml.clv.scores import SEGMENTS, assign_segments, days_overdue
from ml.clv.simulate import BgNbdParams, GammaGammaParams, simulate_visits

# A barber shop's clientele: a visit every six weeks on average, about one in six visits the
# last, around $40 a visit.
VISITS = BgNbdParams(r=2.0, alpha=12.0, a=0.8, b=4.0)
SPEND = GammaGammaParams(p=6.0, q=4.0, v=24.0)
END = dt.date(2026, 6, 30)


def simulated(clients: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    first = np.datetime64("2024-01-01") + rng.integers(0, 540, clients)
    return simulate_visits(first, END, VISITS, SPEND, rng)


def test_rfm_merges_same_day_visits_and_does_not_count_the_first() -> None:
    visits = pd.DataFrame(
        {
            "customer_key": ["a", "a", "a", "a", "a", "b"],
            "visit_date": pd.to_datetime(
                ["2026-01-05", "2026-01-05", "2026-01-19", "2026-02-02", "2026-03-01", "2026-01-26"]
            ).date,
            "revenue": [20.0, 5.0, 30.0, None, 99.0, 45.0],
        }
    )
    rfm = rfm_summary(visits, dt.date(2026, 2, 9))
    a, b = rfm.loc["a"], rfm.loc["b"]
    assert (a["frequency"], a["recency"], a["T"]) == (2, 4.0, 5.0)
    assert a["monetary_value"] == 15.0  # (30 + 0) / 2 repeat visits; the first and March ignored
    assert a["mean_interval_days"] == 14.0
    assert (b["frequency"], b["recency"], b["monetary_value"]) == (0, 0.0, 0.0)
    assert np.isnan(b["mean_interval_days"])


def test_fits_recover_the_parameters_that_generated_the_visits() -> None:
    rfm = rfm_summary(simulated(8000, seed=1), END)
    for model, truth in ((fit_bgnbd(rfm), VISITS), (fit_gamma_gamma(rfm), SPEND)):
        for name, estimate in model.params_.items():
            error = model.standard_errors_[name]
            assert error < 0.1 * getattr(truth, name), f"{name}: too imprecise to test"
            assert abs(estimate - getattr(truth, name)) < 3 * error, name


def test_days_overdue_uses_the_home_shop_median_for_one_visit_clients() -> None:
    rfm = pd.DataFrame(
        {
            "last_visit": [dt.date(2026, 5, 1)] * 4,
            "mean_interval_days": [20.0, 40.0, np.nan, np.nan],
        },
        index=["x", "y", "z", "w"],
    )
    home = pd.Series({"x": "water-st", "y": "water-st", "z": "water-st", "w": "elsewhere"})
    overdue = days_overdue(rfm, home, dt.date(2026, 6, 30))  # 60 days since the last visit
    assert overdue.to_dict() == {"x": 40.0, "y": 20.0, "z": 30.0, "w": 30.0}


def test_segments_split_the_clients_not_at_risk_by_value() -> None:
    value = pd.Series(np.arange(100, 0, -1, dtype=float), index=[f"c{i}" for i in range(100)])
    calm = pd.Series(0.1, index=value.index)
    on_time = pd.Series(-5.0, index=value.index)
    segments = assign_segments(calm, on_time, value)
    assert segments.value_counts().to_dict() == {
        "Regular": 50,
        "Developing": 30,
        "High Value": 15,
        "Premium VIP": 5,
    }
    assert segments["c0"] == "Premium VIP" and segments["c99"] == "Developing"


def test_at_risk_takes_either_signal_and_leaves_the_ranking_to_the_rest() -> None:
    value = pd.Series([900.0, 800.0, 10.0], index=["churning", "overdue", "steady"])
    churn = pd.Series([0.5, 0.1, 0.1], index=value.index)
    overdue = pd.Series([0.0, 31.0, np.nan], index=value.index)
    segments = assign_segments(churn, overdue, value)
    assert segments.to_dict() == {
        "churning": "At-Risk",
        "overdue": "At-Risk",
        "steady": "Premium VIP",
    }


def test_roc_auc() -> None:
    positive = np.array([True, True, False, False])
    assert roc_auc(np.array([0.9, 0.8, 0.2, 0.1]), positive) == 1.0
    assert roc_auc(np.array([0.1, 0.2, 0.8, 0.9]), positive) == 0.0
    assert roc_auc(np.array([0.5, 0.5, 0.5, 0.5]), positive) == 0.5
    assert np.isnan(roc_auc(np.array([0.5, 0.4]), np.array([True, True])))


def test_holdout_predictions_track_what_clients_did() -> None:
    evaluation = evaluate_holdout(simulated(4000, seed=2), END, holdout_days=90)
    assert evaluation.predicted_visits == pytest.approx(evaluation.actual_visits, rel=0.1)
    assert evaluation.churn_auc > 0.6
    table = evaluation.by_frequency
    assert table["repeat_visits_calibration"].tolist() == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert table["clients"].sum() == evaluation.clients
    # each group's mean within 0.12 visits of what it did (the 7+ group makes ~1.4)
    assert (table["predicted_mean"] - table["actual_mean"]).abs().max() < 0.12
    # zero-repeat clients are mostly newcomers, still alive by construction; from one repeat
    # visit on, the more a client came, the more they are expected to come
    assert table["predicted_mean"].iloc[1:].is_monotonic_increasing


def test_a_scoring_run_scores_every_client_once() -> None:
    visits = simulated(1500, seed=3)
    home = pd.Series("water-st", index=visits["customer_key"].unique())
    result = run_scoring(visits, home, END, ScoringSettings())
    scores = result.scores
    assert len(scores) == visits["customer_key"].nunique()
    assert scores.notna().all().all()
    assert scores["p_alive"].between(0, 1).all()
    assert (scores["churn_risk"] == 1 - scores["p_alive"]).all()
    assert (scores["predicted_clv_12m"] >= 0).all()
    assert set(scores["segment"]) <= set(SEGMENTS)
    one_visit = result.rfm["frequency"] == 0
    assert (scores.loc[one_visit, "p_alive"] == 1).all()  # BG/NBD: only days_overdue flags them
    assert result.holdout.calibration_end == END - dt.timedelta(days=90)


def test_a_short_history_is_not_scored() -> None:
    visits = simulated(1500, seed=4)
    recent = visits[pd.to_datetime(visits["visit_date"]) >= pd.Timestamp("2026-03-01")]
    reason = "121 days of history; scoring needs 180"
    assert history_shortfall(recent, END, ScoringSettings()) == reason
    assert history_shortfall(visits, END, ScoringSettings()) is None
    with pytest.raises(ValueError, match=reason):
        run_scoring(recent, pd.Series(dtype=object), END, ScoringSettings())


def test_spend_without_any_repeat_visit_is_reported_as_not_identified() -> None:
    one_visit_each = pd.DataFrame(
        {
            "frequency": [0.0, 0.0],
            "recency": [0.0, 0.0],
            "T": [10.0, 12.0],
            "monetary_value": [0.0, 0.0],
        }
    )
    with pytest.raises(ModelNotIdentified, match="paid repeat visit"):
        fit_gamma_gamma(one_visit_each)
