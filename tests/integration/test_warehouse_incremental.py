"""An incremental build after one more day leaves the marts exactly as a full build would, and
recomputes only what the day touched.

The demo warehouse (3 shops x 2 years) gets the load times of a warehouse fed day by day (each
event ingested when it occurred, the files a day ago) and is built in full. Then a day's events
arrive through the real broker and consumer, chosen to reach every path the incremental models take:
- a new client record that shares one client's phone and another client's email, so identity
  resolution merges two clients who both have visit histories, and no event of theirs arrives
  (their rows change only because their key did);
- a call from the merged client's phone, and a booking made on that call by a client whose
  appointment is due today;
- the completion of that appointment;
- a reschedule moving a future appointment three weeks on (its old week must lose it);
- a corrected checkout for a visit ten months ago (an old week's revenue changes).
After `dbt build` (every test must pass), every mart is compared row for row with a
`dbt build --full-refresh` of a copy of the same warehouse.
"""

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from chairside.contracts.topics import TOPICS
from chairside.core.settings import KafkaSettings
from chairside.demo.backdate import backdate_loads
from chairside.demo.local_broker import LocalKafkaBroker
from ingestion.kafka import store
from ingestion.kafka.consumer import ingest
from ingestion.kafka.producer import Outgoing, Publisher, key_of
from tests.contract_events import booked, call, completed, customer, envelope
from tests.integration.conftest import DemoBuild
from tests.warehouse_diff import mart_differences

pytestmark = pytest.mark.integration

DBT = Path(sys.executable).with_name("dbt")
DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"
NEW_DAY = "2026-11-16"
# built the morning after the new day, so its events are known
AS_OF = {"as_of_date": "2026-11-17"}


def dbt_build(warehouse: Path, *args: str) -> None:
    env = {**os.environ, "CHAIRSIDE_DUCKDB_PATH": str(warehouse)}
    command = [str(DBT), "build", "--quiet", "--vars", json.dumps(AS_OF), *args]
    completed_run = subprocess.run(
        command, cwd=DBT_PROJECT, env=env, capture_output=True, text=True, timeout=600
    )
    assert completed_run.returncode == 0, completed_run.stdout[-4000:]


def one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple:
    row = con.execute(sql).fetchone()
    assert row is not None, sql
    return row


def day_of_events(con: duckdb.DuckDBPyConnection) -> tuple[list[dict], dict[str, str]]:
    """The new day's events, picked from what the demo warehouse holds; and the ids it used."""
    shop, time_zone = one(con, "select shop_id, time_zone from marts.dim_shop order by 1 limit 1")

    def at(clock: str) -> str:
        """The new day at `clock` in the shop, as an instant with its offset."""
        local = dt.datetime.fromisoformat(f"{NEW_DAY}T{clock}").replace(tzinfo=ZoneInfo(time_zone))
        return local.isoformat()

    # two regulars of the shop with visit histories, one known by phone, one by email
    by_phone, phone = one(
        con,
        f"""
        select e.customer_id, e.phone_raw
        from staging.stg_kafka__customer_events as e
        inner join marts.fct_appointments as a using (customer_id)
        where a.shop_id = '{shop}' and a.status = 'completed' and e.phone_raw is not null
        group by all having count(*) >= 3 order by 1 limit 1
        """,
    )
    by_email, email = one(
        con,
        f"""
        select e.customer_id, e.email
        from staging.stg_kafka__customer_events as e
        inner join marts.fct_appointments as a using (customer_id)
        inner join marts.fct_appointments as other on other.customer_id = '{by_phone}'
        where a.shop_id = '{shop}' and a.status = 'completed' and e.email is not null
            and a.customer_key != other.customer_key
        group by all having count(distinct a.appointment_id) >= 3 order by 1 limit 1
        """,
    )
    (staff,) = one(
        con, f"select staff_id from marts.dim_staff where shop_id = '{shop}' order by 1 limit 1"
    )
    (service,) = one(
        con,
        f"select service_code from marts.dim_service where shop_id = '{shop}' order by 1 limit 1",
    )
    due_today, booker = one(
        con,
        f"""
        select appointment_id, customer_id from marts.fct_appointments
        where shop_id = '{shop}' and status = 'booked' and service_date = '{NEW_DAY}'
            and customer_id not in ('{by_phone}', '{by_email}')
        order by 1 limit 1
        """,
    )
    moved, moved_start = one(
        con,
        f"""
        select appointment_id, scheduled_start from marts.fct_appointments
        where shop_id = '{shop}' and status = 'booked' and service_date > '{NEW_DAY}'
        order by scheduled_start limit 1
        """,
    )
    (corrected,) = one(
        con,
        f"""
        select appointment_id from marts.fct_appointments
        where shop_id = '{shop}' and status = 'completed' and service_date = (
            select min(service_date) from marts.fct_appointments
            where shop_id = '{shop}' and status = 'completed' and service_date >= '2026-01-12'
        )
        order by 1 limit 1
        """,
    )
    new_start = (moved_start + dt.timedelta(weeks=3)).isoformat()
    events = [
        customer(at("09:05"), shop, "c-merge", "Pat", "Doe", phone=phone, email=email),
        call(shop, "k-new-day", at("09:10"), "answered", 95, "book", from_number=phone),
        booked(at("09:12"), shop, "a-new-day", booker, staff, service, at("15:00"), "35.00",
               channel="phone", call_id="k-new-day"),
        completed(at("10:40"), shop, due_today, "41.00", "0.00", "5.00"),
        envelope("appointment.rescheduled", at("11:00"), shop,
                 {"appointment_id": moved, "scheduled_start": new_start}),
        completed(at("12:00"), shop, corrected, "99.00", "12.50", "0.00"),
    ]  # fmt: skip
    return events, {"merged": f"{by_phone} {by_email}", "moved": moved, "corrected": corrected}


@pytest.fixture(scope="module")
def day_after(demo_build: DemoBuild, tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("incremental")
    warehouse = demo_build.copy_warehouse(root)
    with duckdb.connect(str(warehouse)) as con:
        backdate_loads(con, dt.timedelta(days=1))  # a history that grew day by day
        store.forget_broker(con)  # the day arrives through a new local broker
    dbt_build(warehouse, "--full-refresh")
    with duckdb.connect(str(warehouse)) as con:
        (built_before,) = one(con, "select max(changed_at) from marts.fct_appointments")
        (weeks_built,) = one(con, "select max(refreshed_at) from marts.fct_weekly_shop_metrics")
        events, picked = day_of_events(con)
        rows = one(con, "select count(*) from marts.fct_appointments")[0]

    with LocalKafkaBroker({topic.name: 3 for topic in TOPICS}) as broker:
        kafka = KafkaSettings(bootstrap=(broker.bootstrap,))
        with Publisher(kafka) as publisher:
            for event in events:
                topic = next(t for t in TOPICS if event["event_type"] in t.event_types)
                value = json.dumps(event).encode()
                publisher.send(topic, [Outgoing(key_of(topic, value), value)])
        with duckdb.connect(str(warehouse)) as con:
            loaded = sum(report.loaded for report in ingest(con, kafka))
    assert loaded == len(events)

    dbt_build(warehouse)
    rebuilt = Path(shutil.copy(warehouse, root / "rebuilt.duckdb"))
    dbt_build(rebuilt, "--full-refresh")
    return {
        "warehouse": warehouse,
        "rebuilt": rebuilt,
        "built_before": built_before,
        "weeks_built": weeks_built,
        "appointments": rows,
        **picked,
    }


def test_every_mart_is_what_a_full_build_makes(day_after: dict) -> None:
    differences = mart_differences(day_after["warehouse"], day_after["rebuilt"])
    assert differences, "no mart tables compared"
    assert {table: rows for table, rows in differences.items() if rows} == {}


def test_the_day_changed_few_appointment_rows(day_after: dict) -> None:
    with duckdb.connect(str(day_after["warehouse"]), read_only=True) as con:
        (changed,) = one(
            con,
            f"select count(*) from marts.fct_appointments "
            f"where changed_at > '{day_after['built_before']}'",
        )
    # the new booking, today's completion, the move, the correction, and the merged clients'
    # visits that now count as one client's: a few dozen of ~40,000
    assert 4 <= changed < day_after["appointments"] / 100


def test_only_weeks_the_day_reached_were_recomputed(day_after: dict) -> None:
    with duckdb.connect(str(day_after["warehouse"]), read_only=True) as con:
        recomputed, total = one(
            con,
            f"""
            select count(*) filter (where refreshed_at > '{day_after["weeks_built"]}'),
                   count(*)
            from marts.fct_weekly_shop_metrics
            """,
        )
    assert 0 < recomputed < total / 2


def test_the_two_clients_are_now_one(day_after: dict) -> None:
    first, second = day_after["merged"].split()
    with duckdb.connect(str(day_after["warehouse"]), read_only=True) as con:
        (keys,) = one(
            con,
            f"select count(distinct customer_key) from marts.fct_appointments "
            f"where customer_id in ('{first}', '{second}')",
        )
    assert keys == 1


def test_the_moved_appointment_left_its_old_week(day_after: dict) -> None:
    with duckdb.connect(str(day_after["warehouse"]), read_only=True) as con:
        (week, reschedules) = one(
            con,
            f"select week_start, reschedule_count from marts.fct_appointments "
            f"where appointment_id = '{day_after['moved']}'",
        )
    assert reschedules >= 1 and week > dt.date.fromisoformat(NEW_DAY) + dt.timedelta(days=14)
