"""The CRM loads against a real cluster: schema.cql applied, the demo CRM loaded through the
Dagster assets, an incremental reload, and a late write caught by the re-read window.

They run whenever CHAIRSIDE_CASSANDRA_HOSTS points at a cluster (`docker compose up -d cassandra`
then `CHAIRSIDE_CASSANDRA_HOSTS=127.0.0.1 make test`) and are reported as skipped otherwise.
Each test works in a throwaway keyspace, dropped afterwards, so a developer's data is untouched.
"""

import datetime as dt
import os
import uuid
from collections.abc import Iterator

import dagster as dg
import duckdb
import pytest
from cassandra.cluster import Session

from chairside.contracts.crm import CUSTOMER_COLUMNS, INQUIRY_COLUMNS
from chairside.core.settings import CassandraSettings, Settings, load_settings
from chairside.demo import DemoConfig, generate
from chairside.demo.crm_seed import seed_crm, write_rows
from ingestion.cassandra import store
from ingestion.cassandra.loader import load_customers, load_inquiries
from ingestion.cassandra.schema import apply_schema
from ingestion.cassandra.session import open_session
from orchestration.defs.ingestion.cassandra import cassandra_customers, cassandra_inquiries_by_day
from orchestration.defs.resources import WarehouseResource

# Read at collection: the chairside_env fixture clears it for every test, so tests reinstate it.
CLUSTER_HOSTS = os.environ.get("CHAIRSIDE_CASSANDRA_HOSTS", "").strip()

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not CLUSTER_HOSTS,
        reason="CHAIRSIDE_CASSANDRA_HOSTS is not set: no Cassandra cluster to test against",
    ),
]

CONTRACT = {
    "customers": {
        "shop_id": "text",
        "customer_id": "text",
        "first_name": "text",
        "last_name": "text",
        "phone": "text",
        "email": "text",
        "birth_year": "int",
        "gender": "text",
        "marketing_opt_in": "boolean",
        "created_at": "timestamp",
        "updated_at": "timestamp",
    },
    "inquiries_by_day": {
        "shop_id": "text",
        "day": "date",
        "created_at": "timestamp",
        "inquiry_id": "uuid",
        "customer_name": "text",
        "phone": "text",
        "email": "text",
        "age": "int",
        "gender": "text",
        "message": "text",
        "channel": "text",
    },
}


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


@pytest.fixture
def session(crm: CassandraSettings) -> Iterator[Session]:
    with open_session(crm) as opened:
        yield opened


def test_schema_cql_creates_the_contract_tables(crm: CassandraSettings, session: Session) -> None:
    rows = session.execute(
        "SELECT table_name, column_name, type, kind, clustering_order "
        "FROM system_schema.columns WHERE keyspace_name = %s",
        (crm.keyspace,),
    )
    tables: dict[str, dict[str, str]] = {}
    keys: dict[str, list[tuple[str, str, str]]] = {}
    for row in rows:
        tables.setdefault(row["table_name"], {})[row["column_name"]] = row["type"]
        if row["kind"] != "regular":
            keys.setdefault(row["table_name"], []).append(
                (row["column_name"], row["kind"], row["clustering_order"])
            )
    assert tables == CONTRACT
    assert sorted(keys["inquiries_by_day"]) == [
        ("created_at", "clustering", "desc"),
        ("day", "partition_key", "none"),
        ("inquiry_id", "clustering", "asc"),
        ("shop_id", "partition_key", "none"),
    ]
    assert sorted(keys["customers"]) == [
        ("customer_id", "clustering", "asc"),
        ("shop_id", "partition_key", "none"),
    ]


def test_the_demo_crm_loads_through_the_assets(
    crm: CassandraSettings, chairside_env: Settings
) -> None:
    dataset = generate(DemoConfig(seed=11, shops=2, years=0.5, end_date=dt.date(2026, 11, 15)))
    customers = [row.as_row() for row in dataset.cassandra_customers]
    inquiries = [row.as_row() for row in dataset.cassandra_inquiries]
    assert seed_crm(crm, customers, inquiries) == (len(customers), len(inquiries))

    result = dg.materialize(
        [cassandra_customers, cassandra_inquiries_by_day],
        resources={"warehouse": WarehouseResource()},
    )

    assert result.success
    (loaded,) = result.asset_materializations_for_node("cassandra__customers")
    assert loaded.metadata["rows_upserted"].value == len(customers)
    with duckdb.connect(str(chairside_env.duckdb_path), read_only=True) as con:
        assert con.execute("select count(*) from raw_cassandra.customers").fetchone() == (
            len(customers),
        )
        assert con.execute(
            "select count(*), count(distinct inquiry_id) from raw_cassandra.inquiries_by_day"
        ).fetchone() == (len(inquiries), len(inquiries))
        sample = inquiries[len(inquiries) // 2]
        assert con.execute(
            "select shop_id, day, created_at, message from raw_cassandra.inquiries_by_day "
            "where inquiry_id = ?",
            [sample["inquiry_id"]],
        ).fetchone() == (
            sample["shop_id"],
            dt.date.fromisoformat(sample["day"]),
            dt.datetime.fromisoformat(sample["created_at"]),
            sample["message"],
        )


def customer(number: int, updated_at: dt.datetime, first_name: str = "Zoë") -> dict[str, object]:
    return {
        "shop_id": "water-st",
        "customer_id": f"crm-ws-{number:05d}",
        "first_name": first_name,
        "last_name": "Beaulieu-Pelletier",
        "phone": "(709) 555-0134",
        "email": None,
        "birth_year": 1988,
        "gender": "F",
        "marketing_opt_in": True,
        "created_at": (updated_at - dt.timedelta(days=30)).isoformat(),
        "updated_at": updated_at.isoformat(),
    }


def inquiry(day: dt.date, message: str) -> dict[str, object]:
    return {
        "shop_id": "water-st",
        "day": day.isoformat(),
        "created_at": dt.datetime.combine(day, dt.time(15), tzinfo=dt.UTC).isoformat(),
        "inquiry_id": str(uuid.uuid4()),
        "customer_name": "Ethan Sandhu",
        "phone": "7095555965",
        "email": None,
        "age": None,
        "gender": None,
        "message": message,
        "channel": "phone",
    }


def test_a_reload_takes_changes_and_late_writes_and_pages_through_the_server(
    session: Session, chairside_env: Settings
) -> None:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    today = now.date()
    week_ago = now - dt.timedelta(days=7)
    write_rows(
        session,
        "customers",
        CUSTOMER_COLUMNS,
        [customer(n, week_ago - dt.timedelta(days=n)) for n in range(10)],
    )
    days = [today - dt.timedelta(days=d) for d in range(12, 0, -1)]
    write_rows(session, "inquiries_by_day", INQUIRY_COLUMNS, [inquiry(d, f"on {d}") for d in days])

    with duckdb.connect(str(chairside_env.duckdb_path)) as con:
        store.ensure_schema(con)
        first = load_customers(con, session, fetch_size=3, now=now)
        assert (first.pages, first.rows_read, first.rows_upserted) == (4, 10, 10)
        assert load_inquiries(con, session, fetch_size=3, now=now).rows_read == 12

        write_rows(
            session,
            "customers",
            CUSTOMER_COLUMNS,
            [customer(4, now, first_name="Zoé"), customer(99, now)],
        )
        late = inquiry(days[-2], "written late")  # a day inside the re-read window
        too_late = inquiry(days[-6], "written far too late")
        write_rows(
            session, "inquiries_by_day", INQUIRY_COLUMNS, [late, too_late, inquiry(today, "today")]
        )

        again = load_customers(con, session, fetch_size=3, now=now + dt.timedelta(minutes=5))
        # the two written now, and the row at the previous watermark (overlap)
        assert (again.rows_read, again.rows_upserted) == (11, 3)
        assert con.execute(
            "select first_name from raw_cassandra.customers where customer_id = 'crm-ws-00004'"
        ).fetchone() == ("Zoé",)
        reread = load_inquiries(con, session, fetch_size=3, now=now + dt.timedelta(minutes=5))
        assert reread.partitions == 3 + 1  # the last three days loaded, and today
        messages = {
            m
            for (m,) in con.execute("select message from raw_cassandra.inquiries_by_day").fetchall()
        }
        assert {"written late", "today"} <= messages
        assert "written far too late" not in messages
        assert len(messages) == 12 + 2
