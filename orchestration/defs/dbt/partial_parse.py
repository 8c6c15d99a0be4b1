"""Keep dbt's partial parsing valid from one run to the next.

dagster-dbt runs each dbt invocation in a target folder of its own and seeds it with the
project's `target/partial_parse.msgpack`. dbt reuses that file only if it was written with the
same profile (the warehouse path is part of it) and vars; the one `make setup` prepares was
written for the default path, so every run on a deployment's warehouse parsed the whole project
again (about 7 s of CPU, half of dbt's start). Handing the invocation's fresh file back makes the
next run's parse partial. The replace is atomic, and a file that does not fit is only a full
parse: dbt checks it before use.
"""

import os
import shutil
from pathlib import Path

FILE = "partial_parse.msgpack"


def hand_back(invocation_target: Path, project_target: Path) -> None:
    """Make the partial-parse state an invocation left the one the next invocation starts from."""
    fresh = invocation_target / FILE
    if not fresh.exists():
        return
    staged = project_target / f".{FILE}.{os.getpid()}"
    shutil.copyfile(fresh, staged)
    staged.replace(project_target / FILE)
