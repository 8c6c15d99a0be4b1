"""A front-desk inquiry in the CRM as well as in Kafka, one `inquiry_id` in both, and the CRM's
copy loaded by the project's own Cassandra loader.

Runs whenever CHAIRSIDE_CASSANDRA_HOSTS points at a cluster (see test_cassandra_load.py), in a
throwaway keyspace; reported as skipped otherwise.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from chairside.contracts.topics import INQUIRIES
from chairside.core.settings import CassandraSettings, Settings, load_settings
from ingestion.cassandra import store
from ingestion.cassandra.loader import load_inquiries
from ingestion.cassandra.schema import apply_schema
from ingestion.cassandra.session import open_session
from ingestion.front_desk.inquiry_form import read_form
from ingestion.front_desk.record import record
from ingestion.inbox.shops_file import read_shop_book
from ingestion.kafka.acknowledged import AcknowledgedPublisher
from ingestion.kafka.consumer import ingest
from tests.kafka_broker import contract_broker, settings_for

CLUSTER_HOSTS = os.environ.get("CHAIRSIDE_CASSANDRA_HOSTS", "").strip()

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not CLUSTER_HOSTS,
        reason="CHAIRSIDE_CASSANDRA_HOSTS is not set: no Cassandra cluster to test against",
    ),
]


@pytest.fixture
def crm(chairside_env: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[CassandraSettings]:
    keyspace = f"chairside_it_{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("CHAIRSIDE_CASSANDRA_HOSTS", CLUSTER_HOSTS)
    monkeypatch.setenv("CHAIRSIDE_CASSANDRA_KEYSPACE", keyspace)
    settings = load_settings().cassandra
    assert settings is not None
    with open_session(settings, use_keyspace=False) as session:
        apply_schema(session, keyspace)
        try:
            yield settings
        finally:
            session.execute(f"DROP KEYSPACE IF EXISTS {keyspace}")


def test_an_inquiry_lands_in_kafka_and_in_the_crm_under_one_id(
    crm: CassandraSettings, tmp_path: Path
) -> None:
    (tmp_path / "shops.csv").write_text("Shop,Name,Time Zone\nwater-st,Water St,America/St_Johns\n")
    # 01:00 UTC is still the 15th in St. John's: the CRM partition is the shop's own day
    taken = dt.datetime(2026, 11, 16, 1, 0, tzinfo=dt.UTC)
    inquiry = read_form(
        {
            "shop": "water-st",
            "name": "Morgan Hiscock",
            "phone": "(709) 555-0142",
            "inquiry": "Beard trim?",
            "channel": "phone",
        },
        read_shop_book(tmp_path),
        received_at=taken,
    )
    with contract_broker(partitions=1) as broker:
        kafka = settings_for(broker)
        with AcknowledgedPublisher(kafka, timeout_seconds=10) as publisher:
            record(inquiry, publisher, crm, "America/St_Johns")
        with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
            ingest(con, kafka, topics=[INQUIRIES])
            store.ensure_schema(con)
            with open_session(crm) as session:
                load_inquiries(con, session, crm.fetch_size, taken + dt.timedelta(days=1))
            from_kafka = con.execute(
                "select data->>'inquiry_id' from raw_kafka.inquiries"
            ).fetchall()
            from_crm = con.execute(
                "select cast(inquiry_id as varchar), day, customer_name "
                "from raw_cassandra.inquiries_by_day"
            ).fetchall()
    assert from_kafka == [(inquiry.data.inquiry_id,)]
    assert from_crm == [(inquiry.data.inquiry_id, dt.date(2026, 11, 15), "Morgan Hiscock")]
