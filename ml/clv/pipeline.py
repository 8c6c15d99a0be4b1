"""One scoring run, from completed visits to the rows of `marts.fct_customer_scores`.

Scores are published only together with their check (`ml.clv.evaluation`): the churn classifier
learns from the window that ends one holdout before the as-of date, so a run needs a history of
at least two holdouts: one before that window's cutoff to fit the visit model on, one after it
to learn and measure churn on. A younger chain gets no scores rather than scores nobody could
vouch for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ml.clv.evaluation import ChurnWindow, HoldoutEvaluation, train_churn_window
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
    window: ChurnWindow
    scores: pd.DataFrame

    @property
    def holdout(self) -> HoldoutEvaluation:
        return self.window.evaluation


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
    """Learn churn on the last labelled window and measure it there, then fit the value models on
    every visit through `observation_end` and score every client.

    `visits`: customer_key, visit_date, revenue (completed appointments); `home_shop`:
    customer_key -> home_shop_id. Raises ValueError when `history_shortfall` has a reason, and
    ModelNotIdentified when a model has no maximum likelihood on these visits.
    """
    shortfall = history_shortfall(visits, observation_end, settings)
    if shortfall is not None:
        raise ValueError(f"cannot score: {shortfall}")
    window = train_churn_window(
        visits,
        home_shop,
        observation_end,
        holdout_days=settings.holdout_days,
        penalizer=settings.penalizer,
    )
    rfm = rfm_summary(visits, observation_end)
    models = fit_client_value(rfm, penalizer=settings.penalizer)
    return ScoringResult(
        observation_end=observation_end,
        rfm=rfm,
        models=models,
        window=window,
        scores=score_clients(rfm, models, window.classifier, home_shop, observation_end),
    )


def score_rows(
    result: ScoringResult, *, scoring_run_id: str, scored_at: dt.datetime, mlflow_run_id: str
) -> pd.DataFrame:
    rows = result.scores.rename_axis("customer_key").reset_index()
    rows = rows.assign(
        customer_key=rows["customer_key"].astype(str),
        scoring_run_id=scoring_run_id,
        as_of_date=result.observation_end,
        scored_at=scored_at,
        mlflow_run_id=mlflow_run_id,
    )
    return rows[list(CUSTOMER_SCORES.columns)]
