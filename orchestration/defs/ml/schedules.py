"""The weekly ML run: Monday 05:00 in St. John's.

That is one hour before the first owner snapshot (Monday 06:00 shop time, St. John's first),
two hours after the nightly build has refreshed the marts (03:00 St. John's), and 00:30 in
Vancouver, so last week has ended in every Canadian shop. St. John's and Vancouver change clocks
on the same dates, so the four and a half hours between them hold all year.

The two models run one after the other in one process: DuckDB takes one writer process at a time.
A run's clock is pinned to the Monday of its tick, so a run the daemon starts late still trains
and scores through the Sunday that had just ended when it was due.
"""

import dagster as dg

from chairside.core.clock import date_at
from orchestration.defs.clock import clock_config
from orchestration.defs.ml.customer_scores import fct_customer_scores
from orchestration.defs.ml.forecasts import fct_forecasts

ml_weekly_job = dg.define_asset_job(
    "ml_weekly",
    # and the release downstream, so Monday's snapshots read this morning's forecasts and scores
    selection=dg.AssetSelection.assets(fct_forecasts, fct_customer_scores).downstream()
    - dg.AssetSelection.groups("reports"),
    executor_def=dg.in_process_executor,
    description="Refit the forecasts and client scores, record them in MLflow, run their checks, "
    "publish them.",
)

SCHEDULE_ZONE = "America/St_Johns"


@dg.schedule(
    name="ml_weekly",
    job=ml_weekly_job,
    cron_schedule="0 5 * * 1",
    execution_timezone=SCHEDULE_ZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Mondays 05:00 St. John's: refit forecasts and client scores as of that Monday.",
)
def ml_weekly_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    monday = date_at(context.scheduled_execution_time, SCHEDULE_ZONE)
    return dg.RunRequest(run_key=f"ml-weekly:{monday.isoformat()}", run_config=clock_config(monday))
