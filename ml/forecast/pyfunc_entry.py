"""MLflow's models-from-code entry point for a champion forecaster; MLflow runs this file when
the model is loaded (see `serving.py`), nothing imports it."""

from mlflow.models import set_model

from ml.forecast.serving import ForecastModel

set_model(ForecastModel())
