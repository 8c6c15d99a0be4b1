"""MLflow plumbing: where artifacts go and how input data is fingerprinted."""

from pathlib import Path

import pandas as pd

from ml.tracking import artifact_location, fingerprint


def test_sqlite_stores_keep_artifacts_beside_the_database(tmp_path: Path) -> None:
    uri = f"sqlite:///{tmp_path}/mlflow/mlflow.db"
    assert artifact_location(uri) == (tmp_path / "mlflow" / "artifacts").as_uri()
    assert artifact_location("http://mlflow.internal:5000") is None


def test_fingerprint_changes_with_the_data_and_only_with_it() -> None:
    frame = pd.DataFrame({"shop_id": ["a", "b"], "revenue_total": [10.0, 20.0]})
    assert fingerprint(frame) == fingerprint(frame.copy())
    assert fingerprint(frame) != fingerprint(frame.assign(revenue_total=[10.0, 20.5]))
    assert fingerprint(frame) != fingerprint(frame.rename(columns={"shop_id": "shop"}))
