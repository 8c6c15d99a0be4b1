"""Shared fixtures: every test gets its own data dir, warehouse and inbox under tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chairside.core.settings import Settings, load_settings

SETTINGS_VARIABLES = (
    "CHAIRSIDE_DATA_DIR",
    "CHAIRSIDE_DUCKDB_PATH",
    "CHAIRSIDE_INBOX",
    "CHAIRSIDE_REPORTS_DIR",
    "CHAIRSIDE_KAFKA_BOOTSTRAP",
    "CHAIRSIDE_CASSANDRA_HOSTS",
    "CHAIRSIDE_SMTP_HOST",
    "MLFLOW_TRACKING_URI",
    "DAGSTER_HOME",
)


def isolate(root: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Point every CHAIRSIDE_* path under `root` and clear external services."""
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    data = root / "data"
    monkeypatch.setenv("CHAIRSIDE_DATA_DIR", str(data))
    monkeypatch.setenv("CHAIRSIDE_DUCKDB_PATH", str(data / "warehouse.duckdb"))
    monkeypatch.setenv("CHAIRSIDE_INBOX", str(data / "inbox"))
    home = data / "dagster_home"
    home.mkdir(parents=True)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    settings = load_settings()
    settings.inbox.mkdir(parents=True)
    return settings


@pytest.fixture
def chairside_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    return isolate(tmp_path, monkeypatch)


@pytest.fixture(scope="module")
def module_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """`chairside_env` shared by a module whose tests read one expensive build."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield isolate(tmp_path_factory.mktemp("chairside"), monkeypatch)
