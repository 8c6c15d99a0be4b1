"""An MLflow pyfunc model whose fitted object travels as one pickled artifact beside its code.

MLflow 3 loads Python models from code: the forecast and client-value entry points each set a
subclass of `PickledModel`, and the run that logs the model saves what it fitted with
`save_pickled` under the subclass's `artifact` name.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any, ClassVar

import mlflow.pyfunc


def save_pickled(fitted: object, directory: Path, artifact: str) -> Path:
    path = directory / f"{artifact}.pkl"
    with path.open("wb") as file:
        pickle.dump(fitted, file)
    return path


class PickledModel(mlflow.pyfunc.PythonModel):
    """Loads the artifact named `artifact` into `self._fitted`; subclasses predict from it."""

    artifact: ClassVar[str]
    _fitted: Any

    def load_context(self, context: mlflow.pyfunc.PythonModelContext) -> None:
        with Path(context.artifacts[self.artifact]).open("rb") as file:
            self._fitted = pickle.load(file)
