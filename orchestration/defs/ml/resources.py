"""MLflow as a Dagster resource, resolved from `chairside.core.settings` when a run uses it."""

import dagster as dg

from chairside.core.settings import load_settings


class MlflowResource(dg.ConfigurableResource):
    """MLflow tracking; `tracking_uri` overrides MLFLOW_TRACKING_URI and the SQLite default."""

    tracking_uri: str | None = None

    @property
    def resolved_uri(self) -> str:
        return self.tracking_uri or load_settings().mlflow_tracking_uri
