"""The client-value model as an MLflow pyfunc model: give it visits, get each client's scores.

What travels is what a scoring run fitted: the modified BG/NBD and Gamma-Gamma parameters, the
churn classifier and the as-of date. lifetimes' fitters keep lambdas and cannot be pickled, so
their parameters are saved and the fitters rebuilt around them on load (the predictions read only
`params_`). MLflow 3 loads Python models "from code": `pyfunc_entry.py` is the file it runs.

Input: visits (`customer_id`, `visit_date`, `amount`), as for `chairside score`; visits after the
as-of date (the run's, or the `as_of` parameter) are ignored. Output: the point scores of each
client. Segments and the 80% value range are left out: the value tiers rank a client against the
whole chain, and the range is drawn at random, neither of which a batch of a few clients can
reproduce. A one-visit client's usual interval is the median of the returning clients in the
input (in the stored scores: of their home shop).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mlflow.pyfunc
import pandas as pd
from lifetimes import GammaGammaFitter, ModifiedBetaGeoFitter
from mlflow.models import ModelSignature
from mlflow.types import ColSpec, ParamSchema, ParamSpec, Schema

from ml.clv.churn import ChurnClassifier
from ml.clv.models import ClientValueModels
from ml.clv.rfm import rfm_summary
from ml.clv.scores import score_clients
from ml.pickled_model import PickledModel, save_pickled

ENTRY_POINT = Path(__file__).with_name("pyfunc_entry.py")
MODEL_ARTIFACT = "client_value"
OUTPUT_COLUMNS = (
    "customer_id",
    "p_alive",
    "churn_risk",
    "expected_visits_90d",
    "predicted_clv_12m",
    "value_at_stake",
    "days_overdue",
    "overdue_ratio",
)
INPUT_EXAMPLE = pd.DataFrame(
    {
        "customer_id": ["c1", "c1", "c1", "c2"],
        "visit_date": pd.to_datetime(["2025-01-06", "2025-02-03", "2025-03-03", "2025-02-17"]),
        "amount": [42.0, 45.0, 40.0, 60.0],
    }
)


def signature(as_of: dt.date) -> ModelSignature:
    return ModelSignature(
        inputs=Schema(
            [
                ColSpec("string", "customer_id"),
                ColSpec("datetime", "visit_date"),
                ColSpec("double", "amount"),
            ]
        ),
        outputs=Schema(
            [ColSpec("string", "customer_id")]
            + [ColSpec("double", name) for name in OUTPUT_COLUMNS[1:]]
        ),
        params=ParamSchema([ParamSpec("as_of", "string", as_of.isoformat())]),
    )


@dataclass(frozen=True)
class FittedClientValue:
    visit_params: dict[str, float]
    spend_params: dict[str, float]
    classifier: ChurnClassifier
    observation_end: dt.date

    @classmethod
    def of(
        cls, models: ClientValueModels, classifier: ChurnClassifier, observation_end: dt.date
    ) -> FittedClientValue:
        return cls(
            visit_params={k: float(v) for k, v in models.visits.params_.items()},
            spend_params={k: float(v) for k, v in models.gamma_gamma.params_.items()},
            classifier=classifier,
            observation_end=observation_end,
        )

    def models(self) -> ClientValueModels:
        visits, spend = ModifiedBetaGeoFitter(), GammaGammaFitter()
        visits.params_ = pd.Series(self.visit_params)
        spend.params_ = pd.Series(self.spend_params)
        return ClientValueModels(visits=visits, gamma_gamma=spend)

    def score(self, visits: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
        frame = pd.DataFrame(
            {
                "customer_key": visits["customer_id"].astype(str),
                "visit_date": pd.to_datetime(visits["visit_date"]).dt.date,
                "revenue": visits["amount"].astype(float),
            }
        )
        rfm = rfm_summary(frame, as_of)
        scores = score_clients(rfm, self.models(), self.classifier, pd.Series(dtype=object), as_of)
        scores = scores.rename_axis("customer_id").reset_index()
        return scores[list(OUTPUT_COLUMNS)]


def save_fitted(fitted: FittedClientValue, directory: Path) -> Path:
    return save_pickled(fitted, directory, MODEL_ARTIFACT)


class ClientValueModel(PickledModel):
    """Scores of every client in the input, as of the run's as-of date unless `as_of` is given."""

    artifact = MODEL_ARTIFACT
    _fitted: FittedClientValue

    def predict(
        self,
        context: mlflow.pyfunc.PythonModelContext,
        model_input: pd.DataFrame,
        params: dict[str, Any] | None = None,
    ) -> pd.DataFrame:
        as_of = (params or {}).get("as_of")
        day = dt.date.fromisoformat(as_of) if as_of else self._fitted.observation_end
        return self._fitted.score(model_input, day)
