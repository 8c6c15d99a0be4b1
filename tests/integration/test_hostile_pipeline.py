"""The whole pipeline against the world's worst day, all at once (issue #13).

One shop, a handful of good events, and next to them every kind of bad record a feed can send:
an `occurred_at` in year 1, a booking for 2999, a checkout of 1e308, a booking lasting 10**12
minutes, a conflicting re-send of an event, an appointment and a call for a shop no shops file
names, and a `no_show` whose booking has not arrived; and customers and inquiries of that shop
from Kafka and from the CRM. The run must succeed with every check,
load the good events once, dead-letter the implausible and conflicting ones with their reason,
hold the unplaceable ones with theirs, and leave the weekly marts' calendar alone. When the
shops file names the shop and the booking arrives, the next run places the held events by
itself, with no operator and no full refresh.
"""

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal

import dagster as dg
import duckdb
import pytest

from chairside.contracts.topics import TOPICS, topic_named
from chairside.core.settings import KafkaSettings, Settings
from chairside.demo.local_broker import LocalKafkaBroker
from ingestion.cassandra import store as crm_store
from ingestion.kafka.producer import Outgoing, Publisher, key_of
from orchestration.run import run_pipeline
from tests.contract_events import booked, call, completed, customer, envelope

pytestmark = pytest.mark.integration

AS_OF = dt.date(2026, 3, 2)
T = "-05:00"  # America/Toronto in January
SHOP = "ridge"
STRANGER = "cove"  # sends events before any shops file names it

SHOPS_CSV = """Shop,Name,Time Zone,Currency,Opens,Closes,Open Days
ridge,Ridge Cuts,America/Toronto,CAD,10:00,18:00,Mon-Fri
"""
COVE_CSV = """Shop,Name,Time Zone,Currency,Opens,Closes,Open Days
cove,Cove Cuts,America/Toronto,CAD,09:00,17:00,Mon-Sat
"""
STAFF_CSV = """Shop,Staff ID,Name,Role,Start Date,End Date
ridge,r-1,Rita,Barber,2026-01-01,
"""
PRICES_CSV = """Shop,Service Code,Service,Price,Duration (min),Effective From
ridge,CUT,Haircut,40.00,30,2026-01-01
"""

A1_COMPLETED = completed(f"2026-01-13T10:30:00{T}", SHOP, "a-1", "40.00", "5.00", "4.00")


def no_show(when: str, shop: str, appointment_id: str) -> dict:
    return envelope("appointment.no_show", when, shop, {"appointment_id": appointment_id})


def with_data(event: dict, **data: object) -> dict:
    """`event` with fields of its data replaced, keeping its event_id."""
    return {**event, "data": {**event["data"], **data}}


GOOD = [
    booked(
        f"2026-01-05T09:00:00{T}", SHOP, "a-1", "c-1", "r-1", "CUT", f"2026-01-13T10:00:00{T}", "40"
    ),
    A1_COMPLETED,
    A1_COMPLETED,  # re-delivered: counts once
    booked(
        f"2026-01-06T09:00:00{T}", SHOP, "a-2", "c-2", "r-1", "CUT", f"2026-01-20T11:00:00{T}", "40"
    ),
    booked(
        f"2026-01-07T09:00:00{T}", SHOP, "a-3", "c-3", "r-1", "CUT", f"2026-01-21T12:00:00{T}", "40"
    ),
]
A6_BOOKED = booked(
    f"2026-01-08T09:00:00{T}", SHOP, "a-6", "c-6", "r-1", "CUT", f"2026-01-22T14:00:00{T}", "40"
)
DEAD = {
    # field named in the reason -> the event
    "occurred_at": booked(
        "0001-01-01T00:00:00+00:00",
        SHOP,
        "a-7",
        "c-7",
        "r-1",
        "CUT",
        f"2026-01-23T10:00:00{T}",
        "40",
    ),
    "data.scheduled_start": booked(
        f"2026-01-09T09:00:00{T}",
        SHOP,
        "a-8",
        "c-8",
        "r-1",
        "CUT",
        "2999-01-01T10:00:00+00:00",
        "40",
    ),
    "data.service_revenue": with_data(
        completed(f"2026-01-21T12:40:00{T}", SHOP, "a-3", "40.00", "0.00", "0.00"),
        service_revenue=1e308,
    ),
    "data.duration_min": with_data(
        booked(
            f"2026-01-10T09:00:00{T}",
            SHOP,
            "a-9",
            "c-9",
            "r-1",
            "CUT",
            f"2026-01-24T10:00:00{T}",
            "40",
        ),
        duration_min=10**12,
    ),
    "conflicts with the event first loaded": with_data(A1_COMPLETED, tip=400.0),
}
HELD = [
    # a shop no shops file names yet
    booked(
        f"2026-01-05T10:00:00{T}",
        STRANGER,
        "v-a",
        "v-c",
        "v-1",
        "CUT",
        f"2026-01-14T10:00:00{T}",
        "35",
    ),
    completed(f"2026-01-14T10:30:00{T}", STRANGER, "v-a", "35.00", "0.00", "2.00"),
    # a no-show whose booking is still on its way
    no_show(f"2026-01-22T14:30:00{T}", SHOP, "a-6"),
]
HELD_CALL = call(STRANGER, "v-k", f"2026-01-12T11:00:00{T}", "answered", 60, "book")
GOOD_CALL = call(SHOP, "k-1", f"2026-01-12T11:00:00{T}", "answered", 90, "book", "a-2")


GOOD_CUSTOMER = customer(f"2026-01-04T09:00:00{T}", SHOP, "c-1", "Rhea", "Ridge")
HELD_CUSTOMER = customer(f"2026-01-04T09:00:00{T}", STRANGER, "v-c", "Vera", "Cove")
HELD_INQUIRY = envelope(
    "inquiry.received",
    f"2026-01-06T12:00:00{T}",
    STRANGER,
    {
        "inquiry_id": "in-v-1",
        "customer_name": "Ivy Cove",
        "message": "Open on Sunday?",
        "channel": "form",
        "created_at": f"2026-01-06T12:00:00{T}",
    },
)
CRM_INQUIRY_HELD = "7a4c8d4e-0c0b-4d52-9c53-6a4f0d1c2b3a"
CRM_INQUIRY_GOOD = "0b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8"
LOADED_AT = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)


def crm_customer(shop: str, customer_id: str, first: str, last: str) -> dict:
    stamp = dt.datetime(2026, 1, 3, 15, tzinfo=dt.UTC)
    return {
        "shop_id": shop,
        "customer_id": customer_id,
        "first_name": first,
        "last_name": last,
        "phone": None,
        "email": None,
        "birth_year": 1985,
        "gender": None,
        "marketing_opt_in": False,
        "created_at": stamp,
        "updated_at": stamp,
        "loaded_at": LOADED_AT,
    }


def crm_inquiry(shop: str, inquiry_id: str, name: str) -> dict:
    at = dt.datetime(2026, 1, 7, 15, tzinfo=dt.UTC)
    return {
        "inquiry_id": inquiry_id,
        "shop_id": shop,
        "day": at.date(),
        "created_at": at,
        "customer_name": name,
        "phone": None,
        "email": None,
        "age": 40,
        "gender": None,
        "message": "Beard trims?",
        "channel": "phone",
        "loaded_at": LOADED_AT,
    }


def load_crm(settings: Settings) -> None:
    """CRM rows as the loader writes them: one shop known, one in no shops file yet."""
    with duckdb.connect(str(settings.duckdb_path)) as con:
        crm_store.ensure_schema(con)
        crm_store.upsert(
            con,
            crm_store.CUSTOMERS,
            [
                crm_customer(SHOP, "crm-r-1", "Rob", "Crm"),
                crm_customer(STRANGER, "crm-v-1", "Cora", "Crm"),
            ],
        )
        crm_store.upsert(
            con,
            crm_store.INQUIRIES,
            [
                crm_inquiry(SHOP, CRM_INQUIRY_GOOD, "Rex Asks"),
                crm_inquiry(STRANGER, CRM_INQUIRY_HELD, "Cass Asks"),
            ],
        )


def publish(bootstrap: str, topic_name: str, events: list[dict]) -> None:
    topic = topic_named(topic_name)
    with Publisher(KafkaSettings(bootstrap=(bootstrap,))) as publisher:
        values = [json.dumps(event).encode() for event in events]
        publisher.send(topic, [Outgoing(key_of(topic, value), value) for value in values])


def rows(settings: Settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def broker(module_env: Settings) -> Iterator[str]:
    inbox = module_env.inbox
    (inbox / "shops.csv").write_text(SHOPS_CSV)
    (inbox / "staff.csv").write_text(STAFF_CSV)
    (inbox / "price_list.csv").write_text(PRICES_CSV)
    with (
        LocalKafkaBroker({topic.name: 3 for topic in TOPICS}) as local,
        pytest.MonkeyPatch.context() as mp,
    ):
        mp.setenv("CHAIRSIDE_KAFKA_BOOTSTRAP", local.bootstrap)
        yield local.bootstrap


@pytest.fixture(scope="module")
def first_run(module_env: Settings, broker: str) -> dg.ExecuteInProcessResult:
    publish(broker, "chairside.appointments.v1", [*GOOD, *DEAD.values(), *HELD])
    publish(broker, "chairside.calls.v1", [GOOD_CALL, HELD_CALL])
    publish(broker, "chairside.customers.v1", [GOOD_CUSTOMER, HELD_CUSTOMER])
    publish(broker, "chairside.inquiries.v1", [HELD_INQUIRY])
    load_crm(module_env)
    return run_pipeline(dg.DagsterInstance.get(), as_of=AS_OF)


@pytest.fixture(scope="module")
def second_run(
    module_env: Settings, broker: str, first_run: dg.ExecuteInProcessResult
) -> dg.ExecuteInProcessResult:
    (module_env.inbox / "shops_cove.csv").write_text(COVE_CSV)
    publish(broker, "chairside.appointments.v1", [A6_BOOKED])
    return run_pipeline(dg.DagsterInstance.get(), as_of=AS_OF)


def test_the_run_succeeds_with_every_check(first_run: dg.ExecuteInProcessResult) -> None:
    assert first_run.success
    failed = [
        evaluation.check_name
        for evaluation in first_run.get_asset_check_evaluations()
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
    ]
    assert failed == []


def test_good_events_load_once(module_env: Settings, first_run: dg.ExecuteInProcessResult) -> None:
    appointments = rows(
        module_env,
        "select appointment_id, status, event_count, revenue_total, tip "
        "from marts.fct_appointments order by appointment_id",
    )
    assert appointments == [
        ("a-1", "completed", 2, Decimal("45.00"), Decimal("4.00")),
        ("a-2", "booked", 1, None, None),
        ("a-3", "booked", 1, None, None),  # its checkout of 1e308 is a dead letter
    ]
    assert rows(module_env, "select call_id from marts.fct_calls") == [("k-1",)]
    customers = rows(
        module_env,
        "select home_shop_id, full_name from marts.dim_customer where full_name in "
        "('Rhea Ridge', 'Rob Crm', 'Rex Asks', 'Vera Cove', 'Cora Crm', 'Cass Asks', 'Ivy Cove') "
        "order by 2",
    )
    assert customers == [(SHOP, "Rex Asks"), (SHOP, "Rhea Ridge"), (SHOP, "Rob Crm")]
    assert rows(module_env, "select source, shop_id from marts.fct_inquiries") == [
        ("cassandra", SHOP)
    ]


def test_each_implausible_or_conflicting_event_is_a_dead_letter_saying_why(
    module_env: Settings, first_run: dg.ExecuteInProcessResult
) -> None:
    reasons = [
        reason for (reason,) in rows(module_env, "select reason from raw_kafka.dead_letters")
    ]
    assert len(reasons) == len(DEAD)
    for field in DEAD:
        assert sum(field in reason for reason in reasons) == 1, (field, reasons)


def test_unplaceable_events_are_held_with_their_reason(
    module_env: Settings, first_run: dg.ExecuteInProcessResult
) -> None:
    held = rows(
        module_env,
        "select source, entity_id, reason from intermediate.int_events__held "
        "order by source, entity_id, reason",
    )
    assert held == [
        ("appointments", "a-6", "appointment a-6 has no booked event yet"),
        ("appointments", "v-a", "shop cove is in no shops file"),
        ("appointments", "v-a", "shop cove is in no shops file"),
        ("calls", "v-k", "shop cove is in no shops file"),
        ("cassandra_customers", "crm-v-1", "shop cove is in no shops file"),
        ("cassandra_inquiries", CRM_INQUIRY_HELD, "shop cove is in no shops file"),
        ("customers", "v-c", "shop cove is in no shops file"),
        ("inquiries", "in-v-1", "shop cove is in no shops file"),
    ]


def test_the_weekly_calendar_is_untouched(
    module_env: Settings, first_run: dg.ExecuteInProcessResult
) -> None:
    # the shop's events run from 5 to 24 January: its weeks are those of January
    weeks = rows(
        module_env,
        "select shop_id, min(week_start), max(week_start), count(*) "
        "from marts.fct_weekly_shop_metrics group by shop_id",
    )
    assert weeks == [(SHOP, dt.date(2026, 1, 5), dt.date(2026, 1, 19), 3)]
    (hours, first, last) = rows(
        module_env,
        "select count(*), min(hour_start_local), max(hour_start_local) "
        "from marts.fct_hourly_capacity",
    )[0]
    assert hours <= 3 * 7 * 24
    assert dt.date(2026, 1, 5) <= first.date() and last.date() < dt.date(2026, 1, 26)


def test_held_events_enter_the_marts_once_their_shop_and_booking_arrive(
    module_env: Settings, second_run: dg.ExecuteInProcessResult
) -> None:
    assert second_run.success
    assert rows(module_env, "select count(*) from intermediate.int_events__held") == [(0,)]
    appointments = rows(
        module_env,
        "select appointment_id, shop_id, status, event_count, revenue_total "
        "from marts.fct_appointments where appointment_id in ('a-6', 'v-a') order by 1",
    )
    assert appointments == [
        ("a-6", SHOP, "no_show", 2, None),
        ("v-a", STRANGER, "completed", 2, Decimal("35.00")),
    ]
    assert rows(module_env, "select call_id from marts.fct_calls order by 1") == [
        ("k-1",),
        ("v-k",),
    ]
    assert rows(
        module_env,
        "select full_name from marts.dim_customer where home_shop_id = 'cove' "
        "and full_name in ('Vera Cove', 'Cora Crm', 'Cass Asks', 'Ivy Cove') order by 1",
    ) == [("Cass Asks",), ("Cora Crm",), ("Ivy Cove",), ("Vera Cove",)]
    assert rows(
        module_env, "select source, source_inquiry_id from marts.fct_inquiries order by 1, 2"
    ) == [("cassandra", CRM_INQUIRY_GOOD), ("cassandra", CRM_INQUIRY_HELD), ("kafka", "in-v-1")]
    weekly = rows(
        module_env,
        "select shop_id, week_start, appointments_no_show, revenue_total "
        "from marts.fct_weekly_shop_metrics "
        "where (shop_id = 'ridge' and week_start = '2026-01-19') "
        "or (shop_id = 'cove' and week_start = '2026-01-12') order by shop_id",
    )
    assert weekly == [
        (STRANGER, dt.date(2026, 1, 12), 0, Decimal("35.00")),
        (SHOP, dt.date(2026, 1, 19), 1, Decimal("0.00")),
    ]
