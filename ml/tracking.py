"""MLflow plumbing shared by the forecasting and the client-value runs.

MLflow 3 refuses the file store, so Chairside's default tracking URI is a SQLite database
(`chairside.core.settings`). Runs and the model registry live in that database; a new experiment
keeps
its artifacts in an `artifacts/` folder beside it (an absolute path, fixed when the experiment is
created) rather than in `./mlruns` of whatever directory the process started in. A tracking server
URI keeps the artifact root the server was configured with.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

import mlflow
import pandas as pd
from mlflow import MlflowClient

SQLITE_PREFIX = "sqlite:///"

# The tags that let an ML engineer line up any two runs: which Dagster run made them and which
# data they saw (two runs with the same fingerprint were trained on identical inputs).
DAGSTER_RUN_TAG = "dagster_run_id"
FINGERPRINT_TAG = "data_fingerprint"


def artifact_location(tracking_uri: str) -> str | None:
    """Where new experiments keep artifacts: beside a SQLite store; else the server decides."""
    if not tracking_uri.startswith(SQLITE_PREFIX):
        return None
    database = Path(tracking_uri.removeprefix(SQLITE_PREFIX))
    return (database.parent / "artifacts").resolve().as_uri()


# The experiment's description in the MLflow UI (the tag its "Description" box edits).
DESCRIPTION_TAG = "mlflow.note.content"


def open_experiment(tracking_uri: str, name: str, description: str) -> tuple[MlflowClient, str]:
    """A client on `tracking_uri` and the id of experiment `name`, created if missing, with
    `description` shown on its page (kept current: the code says what the runs are).

    The global tracking URI is set too: `mlflow.pyfunc.log_model` and `mlflow.register_model`
    only work through it.
    """
    if tracking_uri.startswith(SQLITE_PREFIX):
        Path(tracking_uri.removeprefix(SQLITE_PREFIX)).parent.mkdir(parents=True, exist_ok=True)
    mlflow.set_tracking_uri(tracking_uri)
    client = MlflowClient(tracking_uri)
    experiment = client.get_experiment_by_name(name)
    if experiment is None:
        experiment_id = client.create_experiment(
            name,
            artifact_location=artifact_location(tracking_uri),
            tags={DESCRIPTION_TAG: description},
        )
        return client, experiment_id
    if experiment.tags.get(DESCRIPTION_TAG) != description:
        client.set_experiment_tag(experiment.experiment_id, DESCRIPTION_TAG, description)
    return client, experiment.experiment_id


@contextmanager
def tracked_run(
    client: MlflowClient, experiment_id: str, run_name: str, tags: Mapping[str, str]
) -> Iterator[str]:
    """A new run's id for the block; the run ends FINISHED, or FAILED if the block raises."""
    run_id = client.create_run(experiment_id, run_name=run_name, tags=dict(tags)).info.run_id
    try:
        yield run_id
    except BaseException:
        client.set_terminated(run_id, "FAILED")
        raise
    client.set_terminated(run_id, "FINISHED")


def fingerprint(frame: pd.DataFrame) -> str:
    """A stable hash of a frame's columns, index and values (64 bits: enough to tell data apart)."""
    digest = hashlib.sha256("|".join(map(str, frame.columns)).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()[:16]


def pinned_requirements(*distributions: str) -> list[str]:
    """`name==version` for each distribution as installed here.

    Given explicitly so MLflow does not infer requirements, which loads the model in a
    subprocess for every logged model.
    """
    return [f"{name}=={version(name)}" for name in distributions]
