"""The champion as an MLflow pyfunc model: ask for horizons, get the forecast weeks back.

MLflow 3 loads Python models "from code": `pyfunc_entry.py` is the file it runs, and the
fitted forecaster travels as a pickled artifact beside it. Loading needs this environment
(the `ml` package and the pinned requirements logged with the model).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mlflow.pyfunc
import pandas as pd
from mlflow.models import ModelSignature
from mlflow.types import ColSpec, Schema

from ml.forecast.forecaster import Forecaster
from ml.pickled_model import PickledModel, save_pickled

ENTRY_POINT = Path(__file__).with_name("pyfunc_entry.py")
FORECASTER_ARTIFACT = "forecaster"

SIGNATURE = ModelSignature(
    inputs=Schema([ColSpec("long", "horizon_weeks")]),
    outputs=Schema(
        [
            ColSpec("datetime", "target_week_start"),
            ColSpec("long", "horizon_weeks"),
            ColSpec("double", "yhat"),
            ColSpec("double", "yhat_lower"),
            ColSpec("double", "yhat_upper"),
        ]
    ),
)


# Also the example shown with the model in the MLflow UI.
INPUT_EXAMPLE = pd.DataFrame({"horizon_weeks": [1, 2, 3]})


def save_forecaster(fitted: Forecaster, directory: Path) -> Path:
    return save_pickled(fitted, directory, FORECASTER_ARTIFACT)


class ForecastModel(PickledModel):
    """Forecast `horizon_weeks` (1 = the week after the last training week) for each input row."""

    artifact = FORECASTER_ARTIFACT
    _fitted: Forecaster

    def predict(
        self,
        context: mlflow.pyfunc.PythonModelContext,
        model_input: pd.DataFrame,
        params: dict[str, Any] | None = None,
    ) -> pd.DataFrame:
        horizons = model_input["horizon_weeks"].astype(int).to_numpy()
        if horizons.min() < 1:
            raise ValueError("horizon_weeks starts at 1, the week after the last training week")
        forecast = self._fitted.predict(int(horizons.max())).iloc[horizons - 1]
        return pd.DataFrame(
            {
                "target_week_start": forecast.index,
                "horizon_weeks": horizons,
                "yhat": forecast["yhat"].to_numpy(),
                "yhat_lower": forecast["yhat_lower"].to_numpy(),
                "yhat_upper": forecast["yhat_upper"].to_numpy(),
            }
        )
