"""The dbt project on Spark (local mode) builds, from the Parquet lake, the marts DuckDB builds:
row for row, money to the cent and rates to 1e-9 (chairside/engine_parity.py).

The demo warehouse's raw tables are exported to the lake (chairside/lake.py), then
`python -m chairside.spark_build` runs dbt's `spark` target on them as of the demo's day, in a
subprocess so its JVM ends with it. The marts compared are the contract's marts the Spark target
builds so far (docs/scaling.md lists what remains), and the identity map, whose Spark version
(label propagation in joins) must find the same clusters as DuckDB's graph search. Each mart
must have rows, so an empty build on both sides cannot pass.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from chairside.engine_parity import spark_mart_differences
from chairside.lake import export_raw_tables
from tests.integration.conftest import DEMO_AS_OF, DemoBuild

pytestmark = pytest.mark.integration

PYTHON = Path(sys.executable)
SPARK_MARTS = ("dim_shop", "dim_staff", "dim_service", "fct_inquiries")


def test_spark_builds_the_contract_marts_duckdb_builds(
    demo_build: DemoBuild, tmp_path: Path
) -> None:
    warehouse = demo_build.copy_warehouse(tmp_path)
    lake, spark_dir = tmp_path / "lake", tmp_path / "spark"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        exported = export_raw_tables(con, lake)
        for mart in SPARK_MARTS:
            (rows,) = con.execute(f"select count(*) from marts.{mart}").fetchone()
            assert rows > 0, mart
    assert exported["raw_kafka.customers"] > 0

    env = {
        **os.environ,
        "CHAIRSIDE_LAKE_DIR": str(lake),
        "CHAIRSIDE_SPARK_DIR": str(spark_dir),
        "PATH": f"{PYTHON.parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    selection = [f"+{mart}" for mart in SPARK_MARTS]
    run = subprocess.run(
        [
            str(PYTHON),
            "-m",
            "chairside.spark_build",
            "run",
            "--vars",
            json.dumps({"as_of_date": DEMO_AS_OF}),
            "--select",
            *selection,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert run.returncode == 0, run.stdout[-6000:]

    differences = spark_mart_differences(
        warehouse, spark_dir / "warehouse" / "marts.db", list(SPARK_MARTS)
    )
    # the same people: every record in the same cluster, under the same key
    differences += spark_mart_differences(
        warehouse,
        spark_dir / "warehouse" / "intermediate.db",
        ["int_customers__identity_map"],
        schema="intermediate",
    )
    found = {d.table: (d.only_duckdb, d.only_spark) for d in differences if d.count}
    assert not found, f"rows only DuckDB / only Spark has, by table: {found}"
