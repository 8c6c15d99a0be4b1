"""The Kafka assets, checks and sensor in Dagster, against a local Kafka-protocol broker."""

import os
from collections.abc import Iterator

import dagster as dg
import duckdb
import pytest

from chairside.core.settings import Settings
from chairside.demo import write_dataset
from chairside.presentation.release.readers import CurrentRelease
from orchestration.definitions import defs
from orchestration.defs.ingestion.kafka import (
    DEAD_LETTERS_KEY,
    KAFKA_TABLE_KEYS,
    KafkaResource,
    kafka_events,
)
from orchestration.defs.ingestion.kafka_sensors import kafka_lag_sensor
from orchestration.defs.resources import WarehouseResource
from tests.kafka_broker import contract_broker, dirty_dataset, expected, publish_dataset

pytestmark = pytest.mark.integration


@pytest.fixture
def kafka_env(chairside_env: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """The test's warehouse, and a broker holding the dirty dataset as CHAIRSIDE_KAFKA_*."""
    with contract_broker() as broker:
        publish_dataset(broker, dirty_dataset())
        monkeypatch.setenv("CHAIRSIDE_KAFKA_BOOTSTRAP", broker.bootstrap)
        yield chairside_env


def materialize() -> dg.ExecuteInProcessResult:
    resources = {"warehouse": WarehouseResource(), "kafka": KafkaResource()}
    return dg.materialize([kafka_events], resources=resources)


def test_the_assets_load_the_topics_and_check_lag_and_dead_letters(kafka_env: Settings) -> None:
    result = materialize()
    assert result.success
    metadata = {
        m.asset_key: {k: v.value for k, v in m.metadata.items()}
        for m in result.asset_materializations_for_node("kafka_events")
    }
    for topic, want in expected(dirty_dataset()).items():
        counts = metadata[KAFKA_TABLE_KEYS[topic]]
        assert counts["loaded"] == len(want.event_ids)
        assert counts["dead_lettered"] == sum(want.defects.values())
        assert counts["duplicates_skipped"] == want.redeliveries
    checks = {(c.asset_key, c.check_name): c for c in result.get_asset_check_evaluations()}
    assert all(checks[(key, "lag")].passed for key in KAFKA_TABLE_KEYS.values())
    # The dataset is 2% invalid, above the 1% limit: the check warns, the run goes on.
    dead_letters = checks[(DEAD_LETTERS_KEY, "dead_letter_share")]
    assert not dead_letters.passed and dead_letters.severity == dg.AssetCheckSeverity.WARN
    reasons = dead_letters.metadata["reasons"].value
    assert "schema_version 2 is newer than the supported 1" in reasons


def test_the_sensor_asks_for_a_run_once_per_new_lag(kafka_env: Settings) -> None:
    resources = {"kafka": KafkaResource()}
    with dg.instance_for_test() as instance:
        first = kafka_lag_sensor(dg.build_sensor_context(instance=instance, resources=resources))
        assert isinstance(first, dg.SensorResult) and len(first.run_requests) == 1
        assert int(first.run_requests[0].tags["chairside/kafka_lag"]) == sum(
            want.messages for want in expected(dirty_dataset()).values()
        )
        context = dg.build_sensor_context(
            instance=instance, resources=resources, cursor=first.cursor
        )
        assert isinstance(kafka_lag_sensor(context), dg.SkipReason)  # nothing new since
        assert materialize().success
        after = kafka_lag_sensor(
            dg.build_sensor_context(instance=instance, resources=resources, cursor=first.cursor)
        )
    assert isinstance(after, dg.SensorResult) and not after.run_requests
    assert after.skip_reason is not None and "no lag" in after.skip_reason.skip_message


def test_the_job_the_sensor_starts_takes_events_to_the_published_release(
    kafka_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shop's config, roster and prices come from the inbox through the whole build, as in
    any deployment (events of a shop nobody configured fail the warehouse's reconciliation
    tests rather than vanish); the sensor's job then ingests the events, rebuilds what they
    reach and publishes."""
    write_dataset(
        dirty_dataset(),
        inbox_dir=kafka_env.inbox,
        events_dir=kafka_env.data_dir / "events",
        crm_dir=kafka_env.data_dir / "crm",
    )
    bootstrap = os.environ["CHAIRSIDE_KAFKA_BOOTSTRAP"]
    with dg.instance_for_test() as instance:
        monkeypatch.delenv("CHAIRSIDE_KAFKA_BOOTSTRAP")  # the first build: the inbox only
        assert defs.resolve_job_def("warehouse_build").execute_in_process(instance=instance).success
        monkeypatch.setenv("CHAIRSIDE_KAFKA_BOOTSTRAP", bootstrap)
        job = defs.resolve_job_def(kafka_lag_sensor.job_name)
        result = job.execute_in_process(instance=instance)
    assert result.success
    planned = {m.asset_key for m in result.asset_materializations_for_node("kafka_events")}
    assert planned == {*KAFKA_TABLE_KEYS.values(), DEAD_LETTERS_KEY}
    with duckdb.connect(str(kafka_env.duckdb_path), read_only=True) as con:
        (booked,) = con.execute(
            "select count(distinct message_key) from raw_kafka.appointments"
        ).fetchone()
    readers_see = CurrentRelease(kafka_env.releases.root, "owner")
    with duckdb.connect(os.fspath(readers_see), read_only=True) as con:
        (appointments,) = con.execute("select count(*) from marts.fct_appointments").fetchone()
    assert appointments == booked > 0
