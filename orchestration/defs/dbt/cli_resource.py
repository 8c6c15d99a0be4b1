"""dagster-dbt's dbt resource, without a second dbt start per run to ask dbt its version.

Before each invocation dagster-dbt runs `dbt --version` (once per resource, and a run gets a new
one) to tell dbt Core from the Fusion engine: a whole dbt start, about 6 s of CPU on the
development machine and more than dbt's partial parse, in every event-triggered run. The dbt
Chairside runs is the one installed beside this interpreter, so its version is the installed
dbt-core's; any other executable is still asked.
"""

import importlib.metadata
import sys
from functools import cached_property
from pathlib import Path

from dagster_dbt import DbtCliResource
from packaging import version

VENV_DBT = Path(sys.executable).with_name("dbt")


class ChairsideDbtResource(DbtCliResource):
    @cached_property
    def _cli_version(self) -> version.Version:
        if Path(self.dbt_executable) == VENV_DBT:
            return version.parse(importlib.metadata.version("dbt-core"))
        return super()._cli_version
