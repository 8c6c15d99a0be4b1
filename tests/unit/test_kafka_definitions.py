"""The Kafka assets, job, sensor and checks as Dagster sees them, and their behaviour without
a Kafka cluster (every machine without CHAIRSIDE_KAFKA_BOOTSTRAP)."""

import dagster as dg
import duckdb
import pytest

from chairside.core.settings import Settings
from orchestration.definitions import defs
from orchestration.defs.ingestion.kafka import (
    DEAD_LETTERS_KEY,
    KAFKA_POOL,
    KAFKA_TABLE_KEYS,
    KafkaResource,
    kafka_events,
)
from orchestration.defs.ingestion.kafka_sensors import NOT_CONFIGURED, kafka_lag_sensor
from orchestration.defs.resources import WarehouseResource

KEYS = [*KAFKA_TABLE_KEYS.values(), DEAD_LETTERS_KEY]


def test_the_kafka_assets_are_the_dbt_sources_in_the_ingestion_group() -> None:
    graph = defs.resolve_asset_graph()
    assert {key.to_user_string() for key in KEYS} == {
        "kafka/calls",
        "kafka/appointments",
        "kafka/customers",
        "kafka/inquiries",
        "kafka/dead_letters",
    }
    assert all(graph.get(key).group_name == "ingestion" for key in KEYS)
    checks = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    assert {
        ("kafka/calls", "lag"),
        ("kafka/appointments", "lag"),
        ("kafka/customers", "lag"),
        ("kafka/inquiries", "lag"),
        ("kafka/dead_letters", "dead_letter_share"),
    } <= checks


def test_one_ingestion_at_a_time_retried_with_backoff() -> None:
    node = kafka_events.node_def
    assert node.pool == KAFKA_POOL
    policy = node.retry_policy
    assert policy is not None and policy.max_retries >= 2
    assert policy.backoff == dg.Backoff.EXPONENTIAL and policy.jitter is not None
    job = defs.resolve_job_def("warehouse_build")
    selected = set(job.asset_layer.selected_asset_keys)
    assert set(KEYS) <= selected
    assert dg.AssetKey(["marts", "fct_appointments"]) in selected  # a booking reaches the marts
    assert dg.AssetKey(["marts", "fct_forecasts"]) not in selected  # forecasts stay weekly


def test_events_rebuild_what_they_reach_and_publish_and_the_nightly_build_everything() -> None:
    sensor = defs.resolve_sensor_def("kafka_lag_sensor")
    assert sensor.job_name == "event_refresh" and sensor.minimum_interval_seconds == 5
    events = set(defs.resolve_job_def("event_refresh").asset_layer.selected_asset_keys)
    nightly = set(defs.resolve_job_def("warehouse_build").asset_layer.selected_asset_keys)
    reached = {
        dg.AssetKey(["marts", "fct_appointments"]),
        dg.AssetKey(["marts", "dim_customer"]),
        dg.AssetKey(["marts", "fct_weekly_shop_metrics"]),
        dg.AssetKey(["release", "marts"]),
    }
    assert set(KEYS) | reached <= events
    untouched = {  # built from the inbox alone: no event changes them
        dg.AssetKey(["marts", "dim_shop"]),
        dg.AssetKey(["staging", "stg_inbox__shops"]),
    }
    assert not untouched & events
    assert dg.AssetKey(["marts", "fct_forecasts"]) not in events | nightly  # weekly
    assert events | untouched <= nightly


def test_without_kafka_the_tables_exist_empty_and_the_run_says_why(
    chairside_env: Settings,
) -> None:
    result = dg.materialize(
        [kafka_events], resources={"warehouse": WarehouseResource(), "kafka": KafkaResource()}
    )
    assert result.success
    for key in KEYS:
        metadata = result.asset_materializations_for_node("kafka_events")
        assert any(m.asset_key == key and m.metadata["skipped"].value for m in metadata)
    assert all(check.passed for check in result.get_asset_check_evaluations())
    with duckdb.connect(str(chairside_env.duckdb_path), read_only=True) as con:
        for table in ("calls", "appointments", "customers", "dead_letters"):
            assert con.execute(f"select count(*) from raw_kafka.{table}").fetchone() == (0,)


def test_without_kafka_the_sensor_skips(chairside_env: Settings) -> None:
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance, resources={"kafka": KafkaResource()})
        result = kafka_lag_sensor(context)
    assert isinstance(result, dg.SkipReason) and result.skip_message == NOT_CONFIGURED


@pytest.mark.parametrize("job_name", ["event_refresh", "warehouse_build"])
def test_the_sensor_waits_while_an_ingestion_run_is_in_flight(
    chairside_env: Settings, monkeypatch: pytest.MonkeyPatch, job_name: str
) -> None:
    # Nothing listens there: the sensor must decide before it contacts Kafka.
    monkeypatch.setenv("CHAIRSIDE_KAFKA_BOOTSTRAP", "127.0.0.1:9")
    with dg.instance_for_test() as instance:
        instance.add_run(
            dg.DagsterRun(job_name=job_name, run_id="run-1", status=dg.DagsterRunStatus.STARTED)
        )
        context = dg.build_sensor_context(instance=instance, resources={"kafka": KafkaResource()})
        result = kafka_lag_sensor(context)
    assert isinstance(result, dg.SkipReason)
    assert result.skip_message == "ingestion run run-1 is in flight"
