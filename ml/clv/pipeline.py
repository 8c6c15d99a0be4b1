"""One scoring run, from completed visits to the rows of `marts.fct_customer_scores`.

Scores are published only together with their check: a run needs a history at least twice the
holdout long, so the model can first be fitted without the holdout and compared with it. A
younger chain gets no scores rather than scores nobody could vouch for (with a few months of
visits BG/NBD cannot tell a client who left from one who comes rarely, and often has no maximum
likelihood at all).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ml.clv.evaluation import HoldoutEvaluation, evaluate_holdout
from ml.clv.models import ClientValueModels, fit_client_value
from ml.clv.rfm import rfm_summary
from ml.clv.scores import score_clients
from ml.tables import CUSTOMER_SCORES


@dataclass(frozen=True)
class ScoringSettings:
    """`penalizer` 0 is plain maximum likelihood, as in the literature."""

    penalizer: float = 0.0
    holdout_days: int = 90

    @property
    def min_history_days(self) -> int:
        return 2 * self.holdout_days


@dataclass(frozen=True)
class ScoringResult:
    observation_end: dt.date
    rfm: pd.DataFrame
    models: ClientValueModels
    scores: pd.DataFrame
    holdout: HoldoutEvaluation


def history_shortfall(
    visits: pd.DataFrame, observation_end: dt.date, settings: ScoringSettings
) -> str | None:
    """Why these visits cannot be scored yet, or None when they can."""
    dates = pd.to_datetime(visits["visit_date"])
    dates = dates[dates <= pd.Timestamp(observation_end)]
    if dates.empty:
        return f"no completed visit on or before {observation_end}"
    days = (pd.Timestamp(observation_end) - dates.min()).days
    if days < settings.min_history_days:
        return f"{days} days of history; scoring needs {settings.min_history_days}"
    return None


def run_scoring(
    visits: pd.DataFrame,
    home_shop: pd.Series,
    observation_end: dt.date,
    settings: ScoringSettings,
) -> ScoringResult:
    """Check the model on the holdout, then fit on every visit through `observation_end` and
    score every client.

    `visits`: customer_key, visit_date, revenue (completed appointments); `home_shop`:
    customer_key -> home_shop_id. Raises ValueError when `history_shortfall` has a reason.
    """
    shortfall = history_shortfall(visits, observation_end, settings)
    if shortfall is not None:
        raise ValueError(f"cannot score: {shortfall}")
    holdout = evaluate_holdout(
        visits, observation_end, holdout_days=settings.holdout_days, penalizer=settings.penalizer
    )
    rfm = rfm_summary(visits, observation_end)
    models = fit_client_value(rfm, penalizer=settings.penalizer)
    return ScoringResult(
        observation_end=observation_end,
        rfm=rfm,
        models=models,
        scores=score_clients(rfm, models, home_shop, observation_end),
        holdout=holdout,
    )


def score_rows(
    result: ScoringResult, *, scoring_run_id: str, scored_at: dt.datetime, mlflow_run_id: str
) -> pd.DataFrame:
    rows = result.scores.rename_axis("customer_key").reset_index()
    rows = rows.assign(
        customer_key=rows["customer_key"].astype(str),
        scoring_run_id=scoring_run_id,
        scored_at=scored_at,
        mlflow_run_id=mlflow_run_id,
    )
    return rows[list(CUSTOMER_SCORES.columns)]
