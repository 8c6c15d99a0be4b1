"""MLflow's models-from-code entry point for the client-value model; MLflow runs this file when
the model is loaded (see `serving.py`), nothing imports it."""

from mlflow.models import set_model

from ml.clv.serving import ClientValueModel

set_model(ClientValueModel())
