"""Shared fixtures: every test gets its own data dir, warehouse and inbox under tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from chairside.settings import Settings, load_settings

SETTINGS_VARIABLES = (
    "CHAIRSIDE_DATA_DIR", "CHAIRSIDE_DUCKDB_PATH", "CHAIRSIDE_INBOX", "CHAIRSIDE_REPORTS_DIR",
    "CHAIRSIDE_KAFKA_BOOTSTRAP", "CHAIRSIDE_CASSANDRA_HOSTS", "CHAIRSIDE_SMTP_HOST",
    "MLFLOW_TRACKING_URI", "DAGSTER_HOME",
)


@pytest.fixture
def chairside_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Point every CHAIRSIDE_* path at tmp_path and clear external services."""
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    data = tmp_path / "data"
    monkeypatch.setenv("CHAIRSIDE_DATA_DIR", str(data))
    monkeypatch.setenv("CHAIRSIDE_DUCKDB_PATH", str(data / "warehouse.duckdb"))
    monkeypatch.setenv("CHAIRSIDE_INBOX", str(data / "inbox"))
    home = data / "dagster_home"
    home.mkdir(parents=True)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    settings = load_settings()
    settings.inbox.mkdir(parents=True)
    return settings
