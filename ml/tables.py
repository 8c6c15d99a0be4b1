"""The two marts the models write, `marts.fct_forecasts` and `marts.fct_customer_scores`.

Both are append-only, one batch of rows per run (docs/contracts.md fixes their grain). A batch is
written in one transaction after deleting any earlier rows of the same run id, so a retried run
replaces its own rows instead of doubling them.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from chairside.core.warehouse import transaction


@dataclass(frozen=True)
class RunTable:
    name: str
    run_id_column: str
    columns: dict[str, str]  # column -> DuckDB type, in table order

    def empty_rows(self) -> pd.DataFrame:
        return pd.DataFrame(columns=list(self.columns))

    @property
    def ddl(self) -> str:
        columns = ",\n    ".join(f"{name} {kind}" for name, kind in self.columns.items())
        return f"create table if not exists {self.name} (\n    {columns}\n)"

    @property
    def upgrade_ddl(self) -> list[str]:
        """Columns added since a warehouse's table was created, added to it, and columns that
        have since become nullable, relaxed. Added ones are nullable: the rows of earlier runs
        have no value for them."""
        return [
            f"alter table {self.name} add column if not exists {name} "
            f"{kind.removesuffix(' not null')}"
            for name, kind in self.columns.items()
        ] + [
            f"alter table {self.name} alter column {name} drop not null"
            for name, kind in self.columns.items()
            if not kind.endswith(" not null")
        ]


FORECASTS = RunTable(
    name="marts.fct_forecasts",
    run_id_column="forecast_run_id",
    columns={
        "forecast_run_id": "varchar not null",
        "shop_id": "varchar not null",
        "metric": "varchar not null",
        "target_week_start": "date not null",
        "horizon_weeks": "integer not null",
        "yhat": "double not null",
        "yhat_lower": "double not null",
        "yhat_upper": "double not null",
        "model": "varchar not null",
        # held out, of the champion; the three are NULL for a stated baseline published for a
        # series too short to backtest
        "mase": "double",
        "mase_seasonal_naive": "double",  # held out, same origins; never below mase
        "coverage_80": "double",  # held out
        "mlflow_run_id": "varchar not null",
        "trained_through_week": "date not null",
        "created_at": "timestamp with time zone not null",
    },
)

CUSTOMER_SCORES = RunTable(
    name="marts.fct_customer_scores",
    run_id_column="scoring_run_id",
    columns={
        "scoring_run_id": "varchar not null",
        "customer_key": "varchar not null",
        "as_of_date": "date not null",  # the last day of visits the scores saw
        "scored_at": "timestamp with time zone not null",
        "p_alive": "double not null",
        "expected_visits_90d": "double not null",
        "predicted_clv_12m": "decimal(12, 2) not null",
        "predicted_clv_12m_low": "decimal(12, 2) not null",  # the 80% range
        "predicted_clv_12m_high": "decimal(12, 2) not null",
        "churn_risk": "double not null",
        "value_at_stake": "decimal(12, 2) not null",
        "last_visit_date": "date not null",
        # NULL only when no client of the chain has come back yet
        "usual_interval_days": "double",
        "days_overdue": "double",
        "overdue_ratio": "double",
        "segment": "varchar not null",
        "mlflow_run_id": "varchar not null",
    },
)


def append_run(
    con: duckdb.DuckDBPyConnection, table: RunTable, rows: pd.DataFrame, run_id: str
) -> int:
    """Write `rows` as run `run_id` of `table`; return the row count.

    The table is created even for a run without rows, so readers find it from the first run.
    """
    columns = ", ".join(table.columns)
    with transaction(con):
        con.execute(f"create schema if not exists {table.name.split('.')[0]}")
        con.execute(table.ddl)
        for ddl in table.upgrade_ddl:
            con.execute(ddl)
        con.execute(f"delete from {table.name} where {table.run_id_column} = ?", [run_id])
        if not rows.empty:
            con.register("run_rows", rows[list(table.columns)])
            con.execute(f"insert into {table.name} ({columns}) select {columns} from run_rows")
            con.unregister("run_rows")
    return len(rows)
