"""The Kafka topics as Dagster assets: one bounded ingestion run fills every raw Kafka table.

The keys follow dagster-dbt's default for sources (`[source name, table]`), so the dbt staging
models on source `kafka` depend on these assets. Without CHAIRSIDE_KAFKA_BOOTSTRAP the assets
still materialize, with the raw tables created empty and the reason in the run log and the
metadata, so dbt staging builds on every machine.

One ingestion at a time: the asset runs in the `kafka_ingestion` pool (give it a limit of 1,
see the README), the sensor never requests a run while one is in flight, and two processes
cannot hold the DuckDB warehouse for writing at once. Should two runs still overlap, events
are keyed by event_id and offsets only move forward, so the warehouse stays exactly-once.
"""

import datetime as dt
from collections.abc import Iterator

import dagster as dg

from chairside.contracts.topics import TOPICS
from chairside.core.settings import load_settings
from ingestion.kafka import store
from ingestion.kafka.client import DEFAULT_CLIENT, ClientName
from ingestion.kafka.consumer import DEFAULT_GROUP, Limits, TopicReport, ingest
from ingestion.kafka.lag import warehouse_lag
from orchestration.defs.ingestion.kafka_checks import (
    check_specs,
    dead_letter_result,
    lag_results,
    not_configured_results,
)
from orchestration.defs.resources import WarehouseResource

KAFKA_TABLE_KEYS = {topic.name: dg.AssetKey(["kafka", topic.table]) for topic in TOPICS}
DEAD_LETTERS_KEY = dg.AssetKey(["kafka", "dead_letters"])
KAFKA_POOL = "kafka_ingestion"
KAFKA_CHECK_SPECS = check_specs(KAFKA_TABLE_KEYS, DEAD_LETTERS_KEY)

NOT_CONFIGURED = (
    "Skipped: CHAIRSIDE_KAFKA_BOOTSTRAP is not set, so no Kafka cluster was read. "
    "The raw_kafka tables exist for dbt (empty unless an earlier run loaded them)."
)

# A broker restart or leader election usually settles within a minute or two: waits of about
# 10 s, 20 s and 40 s, jittered so a retry does not land with other sources' retries.
KAFKA_RETRY = dg.RetryPolicy(
    max_retries=3, delay=10, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)


class KafkaResource(dg.ConfigurableResource):
    """How Chairside consumes; the cluster and its security come from CHAIRSIDE_KAFKA_* when a
    run starts (`chairside.core.settings`), so nothing is read from the environment at import."""

    consumer_group: str = DEFAULT_GROUP
    client: ClientName = DEFAULT_CLIENT
    max_records: int = Limits.max_records
    max_seconds: float = Limits.max_seconds
    chunk_records: int = Limits.chunk_records
    max_lag: int = 10_000  # the lag check warns above this many unconsumed messages per topic
    max_dead_letter_share: float = 0.01  # ... and the dead-letter check above this share

    @property
    def limits(self) -> Limits:
        return Limits(
            max_records=self.max_records,
            max_seconds=self.max_seconds,
            chunk_records=self.chunk_records,
        )


@dg.multi_asset(
    specs=[
        *(
            dg.AssetSpec(
                key,
                group_name="ingestion",
                kinds={"kafka", "duckdb"},
                description=(
                    f"Valid events of topic `{name}` in raw_kafka.{key.path[-1]}, "
                    "one row per event_id (the first delivery wins)."
                ),
            )
            for name, key in KAFKA_TABLE_KEYS.items()
        ),
        dg.AssetSpec(
            DEAD_LETTERS_KEY,
            group_name="ingestion",
            kinds={"kafka", "duckdb"},
            description=(
                "Kafka messages that failed validation or a plausibility bound, or repeat an "
                "event_id with another payload, in raw_kafka.dead_letters: topic, partition, "
                "offset, key, raw bytes and the reason."
            ),
        ),
    ],
    check_specs=KAFKA_CHECK_SPECS,
    pool=KAFKA_POOL,
    retry_policy=KAFKA_RETRY,
)
def kafka_events(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, kafka: KafkaResource
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Consume every topic from the warehouse's offsets to its end, bounded by kafka.limits."""
    settings = load_settings().kafka
    if settings is None:
        with warehouse.connect() as con:
            store.ensure_schema(con)
        context.log.warning(NOT_CONFIGURED)
        for key in [*KAFKA_TABLE_KEYS.values(), DEAD_LETTERS_KEY]:
            yield dg.MaterializeResult(
                asset_key=key, metadata={"skipped": True, "reason": NOT_CONFIGURED}
            )
        yield from not_configured_results(KAFKA_CHECK_SPECS)
        return

    started = dt.datetime.now(dt.UTC)
    group, client = kafka.consumer_group, kafka.client
    with warehouse.connect() as con:
        reports = ingest(
            con, settings, group=group, client=client, limits=kafka.limits, ingested_at=started
        )
        lags = warehouse_lag(con, settings, group, client)
        reasons = store.dead_letter_reasons(con, since=started)
    source = f"{', '.join(settings.bootstrap)} group {group} ({client})"
    for report in reports:
        for warning in report.warnings:
            context.log.warning(warning)
        context.log.info(report.summary())
        yield dg.MaterializeResult(
            asset_key=KAFKA_TABLE_KEYS[report.topic],
            metadata={"skipped": False, "source": source, **_counts(report)},
        )
    yield dg.MaterializeResult(
        asset_key=DEAD_LETTERS_KEY,
        metadata={
            "skipped": False,
            "dead_lettered": sum(r.dead_lettered for r in reports),
            "reasons": dg.MetadataValue.json(reasons),
        },
    )
    yield from lag_results(lags, KAFKA_TABLE_KEYS, kafka.max_lag)
    yield dead_letter_result(reports, reasons, kafka.max_dead_letter_share, DEAD_LETTERS_KEY)


def _counts(report: TopicReport) -> dict[str, int | str]:
    return {
        "consumed": report.consumed,
        "loaded": report.loaded,
        "dead_lettered": report.dead_lettered,
        "duplicates_skipped": report.duplicates,
        "lost_to_retention": report.lost_to_retention,
        "remaining": report.remaining,
        "stopped_by": report.stopped_by,
        "chunks": report.chunks,
    }
