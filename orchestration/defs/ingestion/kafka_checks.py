"""Asset checks of the Kafka ingestion: lag per topic and the share of dead letters.

They are evaluated by the ingestion itself, from what the run just did and the offsets it just
stored, so they need no second connection to the warehouse (which a running dbt build may hold)
and no second pass over the topics. Both warn rather than block: a dead letter is kept with its
reason and does not make the loaded events wrong; lag is for the sensor to work off.
"""

from collections.abc import Iterator, Mapping

import dagster as dg

from ingestion.kafka.consumer import TopicReport
from ingestion.kafka.lag import TopicLag

LAG = "lag"
DEAD_LETTER_SHARE = "dead_letter_share"
NOT_CONFIGURED = "Kafka is not configured (CHAIRSIDE_KAFKA_BOOTSTRAP unset): nothing to check."


def check_specs(
    table_keys: Mapping[str, dg.AssetKey], dead_letters_key: dg.AssetKey
) -> list[dg.AssetCheckSpec]:
    return [
        *(
            dg.AssetCheckSpec(
                LAG,
                asset=key,
                description=f"Messages of {topic} not yet in the warehouse, at most the limit.",
            )
            for topic, key in table_keys.items()
        ),
        dg.AssetCheckSpec(
            DEAD_LETTER_SHARE,
            asset=dead_letters_key,
            description="Dead letters among the messages one run consumed, at most the limit.",
        ),
    ]


def lag_results(
    lags: list[TopicLag], table_keys: Mapping[str, dg.AssetKey], max_lag: int
) -> Iterator[dg.AssetCheckResult]:
    for lag in lags:
        yield dg.AssetCheckResult(
            asset_key=table_keys[lag.topic],
            check_name=LAG,
            passed=lag.total <= max_lag,
            severity=dg.AssetCheckSeverity.WARN,
            description=f"{lag.total} messages behind the log end (limit {max_lag})",
            metadata={
                "lag": lag.total,
                "max_lag": max_lag,
                "lag_by_partition": dg.MetadataValue.json(
                    {str(p): n for p, n in lag.behind.items()}
                ),
            },
        )


def dead_letter_result(
    reports: list[TopicReport],
    reasons: Mapping[str, int],
    max_share: float,
    dead_letters_key: dg.AssetKey,
) -> dg.AssetCheckResult:
    consumed = sum(report.consumed for report in reports)
    dead_lettered = sum(report.dead_lettered for report in reports)
    share = dead_lettered / consumed if consumed else 0.0
    return dg.AssetCheckResult(
        asset_key=dead_letters_key,
        check_name=DEAD_LETTER_SHARE,
        passed=share <= max_share,
        severity=dg.AssetCheckSeverity.WARN,
        description=(
            f"{dead_lettered} of {consumed} consumed messages dead-lettered ({share:.2%}, "
            f"limit {max_share:.2%})"
        ),
        metadata={
            "dead_lettered": dead_lettered,
            "consumed": consumed,
            "share": share,
            "max_share": max_share,
            "reasons": dg.MetadataValue.json(dict(reasons)),
        },
    )


def not_configured_results(specs: list[dg.AssetCheckSpec]) -> Iterator[dg.AssetCheckResult]:
    """Every check passes, saying why: there is no source to lag behind or to dead-letter."""
    for spec in specs:
        yield dg.AssetCheckResult(
            asset_key=spec.asset_key,
            check_name=spec.name,
            passed=True,
            description=NOT_CONFIGURED,
            metadata={"skipped": True},
        )
