"""One real run of the README's main command, shared by the integration tests of a worker.

`chairside demo` with its defaults (3 shops over 2 years: with much less, BG/NBD cannot yet
tell how clients drop out and no scores are written), in a subprocess with its own data dir:
generator, local Kafka broker, consumer, inbox, dbt with every check, ML. Tests that change
the warehouse work on a copy of it.
"""

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from chairside.core.settings import Settings, load_settings

CHAIRSIDE = Path(sys.executable).with_name("chairside")
# The README's default demo (3 shops x 2 years, seed 7), with its last day pinned; the demo then
# runs as of the day after, whatever the calendar says.
DEMO_END = "2026-11-15"
DEMO_AS_OF = "2026-11-16"
DEMO_ARGS = ("--end-date", DEMO_END)


@dataclass(frozen=True)
class DemoBuild:
    settings: Settings
    environment: Mapping[str, str]
    output: str

    @property
    def instance(self) -> dg.DagsterInstance:
        return dg.DagsterInstance.from_config(self.environment["DAGSTER_HOME"])

    def copy_warehouse(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy(self.settings.duckdb_path, directory / "warehouse.duckdb"))


def isolated_environment(data_dir: Path) -> dict[str, str]:
    """This process's environment without any Chairside, MLflow or Dagster setting, pointed at
    `data_dir`: what a fresh shell with only the embedded defaults would have."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("CHAIRSIDE_", "MLFLOW_", "DAGSTER_"))
    }
    env["CHAIRSIDE_DATA_DIR"] = str(data_dir)
    env["DAGSTER_HOME"] = str(data_dir / "dagster_home")
    env["PATH"] = f"{CHAIRSIDE.parent}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> DemoBuild:
    root = tmp_path_factory.mktemp("demo")
    env = isolated_environment((root / "data").resolve())
    completed = subprocess.run(
        [str(CHAIRSIDE), "demo", *DEMO_ARGS],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    return DemoBuild(load_settings(env), env, completed.stdout)
