"""The dbt project handle. Its manifest is prepared at build time (`make setup` runs
`dagster-dbt project prepare-and-package`) or by `dagster dev`, never parsed at import."""

from __future__ import annotations

from pathlib import Path

from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parents[3] / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()
