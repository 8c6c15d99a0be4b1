"""Run dbt on the `spark` target (Spark in local mode) in this process.

The models call the inbox loader's phone, email and gender normalisers
(chairside/core/duckdb_udfs.py
registers them for DuckDB). dbt-spark's session method takes the process's Spark session
(`getOrCreate`), so starting that session here, with the same functions registered as Spark
UDFs, gives dbt's connection the same normalisation as DuckDB's: one implementation, not a SQL
imitation. The settings fixed when the JVM starts (where the catalog and the tables live) are
given here; dbt_project/profiles.yml sets the same ones and the per-session rest.

    python -m chairside.spark_build build --vars '{"as_of_date": "2026-11-16"}'

reads the lake from CHAIRSIDE_LAKE_DIR and keeps its catalog and tables in CHAIRSIDE_SPARK_DIR.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pyspark.sql import SparkSession

from chairside.core.duckdb_udfs import normalize_email, normalize_gender, normalize_phone

DBT_PROJECT = Path(__file__).resolve().parents[1] / "dbt_project"


def spark_session(spark_dir: Path) -> SparkSession:
    """Spark in local mode on two cores, its catalog and tables under `spark_dir`, with the
    normalisers registered."""
    spark_dir = spark_dir.resolve()
    # Python UDFs run in workers started with this interpreter (the venv's, with phonenumbers)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.enableHiveSupport()
        .master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", str(spark_dir / "warehouse"))
        .config(
            "spark.hadoop.javax.jdo.option.ConnectionURL",
            f"jdbc:derby:;databaseName={spark_dir / 'metastore'};create=true",
        )
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={spark_dir}")
        .getOrCreate()
    )
    session.udf.register("normalize_phone", normalize_phone, "string")
    session.udf.register("normalize_email", normalize_email, "string")
    session.udf.register("normalize_gender", normalize_gender, "string")
    return session


def run_dbt(args: list[str], spark_dir: Path) -> bool:
    """`dbt <args> --target spark` with the session above; True when it succeeded."""
    from dbt.cli.main import dbtRunner

    os.environ["CHAIRSIDE_SPARK_DIR"] = str(spark_dir.resolve())
    spark_session(spark_dir)
    result = dbtRunner().invoke(
        [
            *args,
            "--target",
            "spark",
            "--project-dir",
            str(DBT_PROJECT),
            "--profiles-dir",
            str(DBT_PROJECT),
            # DuckDB's manifest stays in target/
            "--target-path",
            str(spark_dir.resolve() / "target"),
        ]
    )
    return result.success


def main() -> None:
    spark_dir = Path(os.environ.get("CHAIRSIDE_SPARK_DIR", "data/spark"))
    sys.exit(0 if run_dbt(sys.argv[1:], spark_dir) else 1)


if __name__ == "__main__":
    main()
