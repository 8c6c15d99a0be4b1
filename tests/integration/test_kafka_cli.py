"""The operator's commands: replay the demo's JSON-lines files into Kafka, ingest them once."""

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from chairside.cli.main import main
from chairside.core.settings import Settings
from chairside.demo import write_dataset
from chairside.demo.local_broker import LocalKafkaBroker
from tests.kafka_broker import contract_broker, dirty_dataset, event_ids, expected

pytestmark = pytest.mark.integration


@pytest.fixture
def broker(chairside_env: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalKafkaBroker]:
    with contract_broker() as running:
        monkeypatch.setenv("CHAIRSIDE_KAFKA_BOOTSTRAP", running.bootstrap)
        yield running


def demo_event_files(settings: Settings) -> list[Path]:
    written = write_dataset(
        dirty_dataset(),
        inbox_dir=settings.data_dir / "inbox-unused",
        events_dir=settings.data_dir / "events",
        crm_dir=settings.data_dir / "crm",
    )
    return list(written.events)


def test_published_files_replayed_twice_load_once(
    broker: LocalKafkaBroker, chairside_env: Settings
) -> None:
    files = [str(path) for path in demo_event_files(chairside_env)]
    runner = CliRunner()
    for _ in range(2):  # a backfill that is run again
        published = runner.invoke(main, ["kafka", "publish", *files])
        assert published.exit_code == 0, published.output
    ingested = runner.invoke(main, ["kafka", "ingest", "--chunk-records", "1000"])
    assert ingested.exit_code == 0, ingested.output
    with duckdb.connect(str(chairside_env.duckdb_path), read_only=True) as con:
        for topic, want in expected(dirty_dataset()).items():
            assert sorted(event_ids(con, topic)) == sorted(want.event_ids)
            assert f"{topic}: {2 * want.messages} consumed" in ingested.output
        # Each replayed entity landed on one partition: the key decides it, as in production.
        split = con.execute(
            "select count(*) from (select message_key from raw_kafka.appointments "
            "group by message_key having count(distinct kafka_partition) > 1)"
        ).fetchone()
    assert split == (0,)


def test_publishing_needs_a_cluster(chairside_env: Settings, tmp_path: Path) -> None:
    path = tmp_path / "chairside.calls.v1.jsonl"
    path.write_text("{}\n")
    result = CliRunner().invoke(main, ["kafka", "publish", str(path)])
    assert result.exit_code != 0 and "CHAIRSIDE_KAFKA_BOOTSTRAP is not set" in result.output


def test_a_file_of_an_unknown_topic_is_refused(broker: LocalKafkaBroker, tmp_path: Path) -> None:
    path = tmp_path / "orders.jsonl"
    path.write_text("{}\n")
    result = CliRunner().invoke(main, ["kafka", "publish", str(path)])
    assert result.exit_code != 0 and "not a Chairside topic" in result.output
