"""A sensor that starts the event refresh (`event_refresh`: Kafka ingestion, the models downstream
of it, a release) when the consumer group lags behind the topics.

It asks Kafka only (log end offsets against the group's committed offsets, which trail the
warehouse's by at most one chunk), so it never competes with a run for the warehouse's lock.
The cursor holds the end offsets the last run was requested for: the same lag is not asked
for twice, and the run key (a digest of those offsets) keeps that true if the cursor is lost.
No run is requested while an ingestion run (this one's or the nightly build's) is queued or
running: the next tick after it ends asks for what is still waiting.
"""

import hashlib
import json

import dagster as dg

from chairside.core.settings import load_settings
from ingestion.kafka.lag import TopicLag, group_lag
from orchestration.defs.ingestion.kafka import KafkaResource
from orchestration.defs.jobs import event_job, warehouse_job

NOT_CONFIGURED = "CHAIRSIDE_KAFKA_BOOTSTRAP is not set: there is no Kafka to watch."
_IN_FLIGHT = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


def end_offsets(lags: list[TopicLag]) -> dict[str, dict[str, int]]:
    """{topic: {partition: end offset}} with string partitions, as the JSON cursor holds it."""
    return {lag.topic: {str(p): end for p, end in sorted(lag.ends.items())} for lag in lags}


def run_key(ends: dict[str, dict[str, int]]) -> str:
    digest = hashlib.sha256(json.dumps(ends, sort_keys=True).encode()).hexdigest()[:16]
    return f"kafka-lag-{digest}"


@dg.sensor(
    job=event_job,
    # The freshness goal is an event in the published release within 30 s at p95, and a booking
    # waits for a tick after the run before its own: a look every 5 s costs little (a consumer
    # per topic asks for offsets, the warehouse is not opened) and no run is started for
    # offsets already asked for.
    minimum_interval_seconds=5,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def kafka_lag_sensor(
    context: dg.SensorEvaluationContext, kafka: KafkaResource
) -> dg.SensorResult | dg.SkipReason:
    settings = load_settings().kafka
    if settings is None:
        return dg.SkipReason(NOT_CONFIGURED)
    in_flight = [
        record
        for job in (event_job, warehouse_job)
        for record in context.instance.get_run_records(
            dg.RunsFilter(job_name=job.name, statuses=_IN_FLIGHT), limit=1
        )
    ]
    if in_flight:
        return dg.SkipReason(f"ingestion run {in_flight[0].dagster_run.run_id} is in flight")
    lags = group_lag(settings, kafka.consumer_group, kafka.client)
    behind = sum(lag.total for lag in lags)
    ends = end_offsets(lags)
    cursor = json.dumps(ends)
    if behind == 0:
        return dg.SensorResult(skip_reason="no lag: the group is at every log end", cursor=cursor)
    if context.cursor and json.loads(context.cursor) == ends:
        return dg.SkipReason(f"{behind} messages behind, no new ones since the last requested run")
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=run_key(ends),
                tags={"chairside/kafka_lag": str(behind)},
            )
        ],
        cursor=cursor,
    )
