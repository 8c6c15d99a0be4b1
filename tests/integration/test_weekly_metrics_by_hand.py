"""Every metric of docs/metrics.md against numbers worked out by hand, through the real pipeline.

The fixture is two shops over a few weeks of January 2026, written out event by event below:
the events are published to a Kafka-protocol broker on loopback (librdkafka's mock cluster), the
shops, roster and prices and a legacy customer list are dropped in the inbox as CSV files, and
the Dagster pipeline job ingests both and builds the warehouse with dbt. Then each metric is
compared with the value computed by hand in the comments next to the expectations.

What the fixture exercises, and where:
- a half-hour time zone: `harbour` is in St. John's (UTC-3:30 in January);
- a week boundary crossing midnight UTC: call k-4 is Sunday 22:00 local = Monday 01:30 UTC, and
  a-2 was booked Sunday 22:30 local = Monday 02:00 UTC; both belong to the earlier local week;
- a rescheduled appointment (a-2, moved to Saturday and to another barber), a no-show (a-3), a
  cancellation by the client (a-5) and one by the shop (a-8);
- after-hours calls: after closing (k-3), before opening (k-5), on a closed day (k-4);
- tips (never revenue) and product sales;
- a client in several sources with differently written contact details: Ann is `c-1` at
  harbour (phone 709-555-0101), `c-9` at ridge (no phone, email written `ANN@Example.com `) and
  on the legacy customer list as `(709) 555 0101`;
- a legacy client (Bob, customer since 2025) who is not new on his first booked visit;
- a 90-day retention window, computed as of two dates: before and after it closes;
- at-least-once delivery: a duplicated event, a `completed` produced before its `booked`, and
  an invalid message that must be dead-lettered without touching the numbers.
"""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from chairside.contracts.topics import TOPICS, topic_named
from chairside.core.settings import KafkaSettings, Settings
from chairside.demo.local_broker import LocalKafkaBroker
from chairside.presentation.analytics.payroll import payroll_csv, payroll_frame
from ingestion.kafka.producer import Publisher, read_jsonl
from orchestration.run import run_pipeline
from tests.contract_events import booked, call, completed, customer, envelope

pytestmark = pytest.mark.integration

HARBOUR = "-03:30"  # America/St_Johns in January
RIDGE = "-05:00"  # America/Toronto in January

SHOPS_CSV = """Shop,Name,Time Zone,Currency,Opens,Closes,Open Days,Owner Email
harbour,Harbour Barbers,America/St_Johns,CAD,09:00,17:00,Tue-Sat,owner@harbour.example
ridge,Ridge Cuts,America/Toronto,CAD,10:00,18:00,Mon-Fri,owner@ridge.example
"""
# Rita's commission % is missing: her pay is flagged, never computed at 0.
STAFF_CSV = """Shop,Staff ID,Name,Role,Commission %,Start Date,End Date
harbour,h-1,Hana,Barber,40,2026-01-01,
harbour,h-2,Hugo,Barber,45%,2026-01-01,2026-01-16
ridge,r-1,Rita,Barber,,2026-01-01,
"""
PRICES_CSV = """Shop,Service Code,Service,Price,Duration (min),Effective From
harbour,CUT,Haircut,30.00,30,2026-01-01
harbour,BEARD,Beard trim,20.00,30,2026-01-01
ridge,CUT,Haircut,40.00,30,2026-01-01
"""
# Bob was a client of the old system since June 2025; Ann's phone is written another way.
CUSTOMERS_CSV = """Name,Phone,Email,Shop,Customer Since
Ann Lee,(709) 555 0101,,harbour,
Bob Ray,709.555.0102,,harbour,2025-06-01
"""


H = "harbour"
A7_BOOKED = booked(
    f"2026-01-17T12:00:00{HARBOUR}",
    H,
    "a-7",
    "c-3",
    "h-1",
    "CUT",
    f"2026-01-20T16:30:00{HARBOUR}",
    "30.00",
)
A7_COMPLETED = completed(f"2026-01-20T17:00:00{HARBOUR}", H, "a-7", "30.00", "0.00", "3.00")
A1_COMPLETED = completed(f"2026-01-13T10:30:00{HARBOUR}", H, "a-1", "30.00", "10.00", "5.00")

CUSTOMERS = [
    customer(
        f"2026-01-02T09:00:00{HARBOUR}",
        H,
        "c-1",
        "Ann",
        "Lee",
        phone="709-555-0101",
        email="ann@example.com",
    ),
    customer(f"2026-01-02T09:05:00{HARBOUR}", H, "c-2", "Bob", "Ray", phone="(709) 555-0102"),
    customer(f"2026-01-02T09:10:00{HARBOUR}", H, "c-3", "Cy", "Doe", phone="+17095550103"),
    customer(f"2026-01-19T09:00:00{RIDGE}", "ridge", "c-9", "Ann", "Lee", email="ANN@Example.com "),
]

APPOINTMENTS = [
    # a-1: Ann's first visit ever, Tue 13 Jan 10:00; product sale and a tip.
    booked(
        f"2026-01-05T10:00:00{HARBOUR}",
        H,
        "a-1",
        "c-1",
        "h-1",
        "CUT",
        f"2026-01-13T10:00:00{HARBOUR}",
        "30.00",
    ),
    A1_COMPLETED,
    A1_COMPLETED,  # re-delivered: counts once
    # a-2: Bob, booked Sun 11 Jan 22:30 local (Mon 02:00 UTC) for Wed 14 Jan with Hugo, then
    # moved to Sat 17 Jan 14:00 with Hana (Hugo has left by then); beard trim, no tip.
    booked(
        f"2026-01-11T22:30:00{HARBOUR}",
        H,
        "a-2",
        "c-2",
        "h-2",
        "BEARD",
        f"2026-01-14T11:00:00{HARBOUR}",
        "20.00",
    ),
    envelope(
        "appointment.rescheduled",
        f"2026-01-12T09:00:00{HARBOUR}",
        H,
        {
            "appointment_id": "a-2",
            "scheduled_start": f"2026-01-17T14:00:00{HARBOUR}",
            "staff_id": "h-1",
        },
    ),
    completed(f"2026-01-17T14:30:00{HARBOUR}", H, "a-2", "20.00", "0.00", "0.00"),
    # a-3: Cy, Thu 15 Jan 09:00, does not show up.
    booked(
        f"2026-01-12T08:00:00{HARBOUR}",
        H,
        "a-3",
        "c-3",
        "h-2",
        "CUT",
        f"2026-01-15T09:00:00{HARBOUR}",
        "30.00",
    ),
    envelope("appointment.no_show", f"2026-01-15T09:20:00{HARBOUR}", H, {"appointment_id": "a-3"}),
    # a-5: Cy books by phone during call k-1 for Fri 16 Jan, then cancels.
    booked(
        f"2026-01-13T09:31:00{HARBOUR}",
        H,
        "a-5",
        "c-3",
        "h-1",
        "CUT",
        f"2026-01-16T15:00:00{HARBOUR}",
        "30.00",
        channel="phone",
        call_id="k-1",
    ),
    envelope(
        "appointment.cancelled",
        f"2026-01-15T11:00:00{HARBOUR}",
        H,
        {"appointment_id": "a-5", "cancelled_by": "customer", "reason": "sick"},
    ),
    # a-4: Ann books her next cut at the counter right after a-1 (rebooked) for Tue 10 Feb.
    booked(
        f"2026-01-13T10:45:00{HARBOUR}",
        H,
        "a-4",
        "c-1",
        "h-1",
        "CUT",
        f"2026-02-10T10:00:00{HARBOUR}",
        "30.00",
        channel="walk_in",
    ),
    completed(f"2026-02-10T10:30:00{HARBOUR}", H, "a-4", "30.00", "0.00", "0.00"),
    # a-8: Bob books the day after his visit (not "by the end of the visit day"); the shop
    # cancels it later.
    booked(
        f"2026-01-18T10:00:00{HARBOUR}",
        H,
        "a-8",
        "c-2",
        "h-1",
        "CUT",
        f"2026-01-31T11:00:00{HARBOUR}",
        "30.00",
    ),
    envelope(
        "appointment.cancelled",
        f"2026-01-30T16:00:00{HARBOUR}",
        H,
        {"appointment_id": "a-8", "cancelled_by": "shop", "reason": None},
    ),
    # a-7: Cy's first visit (a-3 was a no-show), Tue 20 Jan; its completion is produced before
    # its booking, as after a reprocess.
    A7_COMPLETED,
    A7_BOOKED,
    # a-9: Ann at the other shop, Thu 22 Jan 12:00 Toronto time.
    booked(
        f"2026-01-19T09:00:00{RIDGE}",
        "ridge",
        "a-9",
        "c-9",
        "r-1",
        "CUT",
        f"2026-01-22T12:00:00{RIDGE}",
        "40.00",
    ),
    completed(f"2026-01-22T12:30:00{RIDGE}", "ridge", "a-9", "40.00", "0.00", "0.00"),
]

CALLS = [
    call(H, "k-1", f"2026-01-13T09:30:00{HARBOUR}", "answered", 120, "book", "a-5"),
    call(H, "k-2", f"2026-01-14T12:00:00{HARBOUR}", "answered", 60, "price"),
    call(H, "k-3", f"2026-01-15T17:30:00{HARBOUR}", "missed", 0, "book"),  # after closing
    call(H, "k-4", f"2026-01-18T22:00:00{HARBOUR}", "voicemail", 30, "hours"),  # Sunday, closed
    call(H, "k-5", f"2026-01-17T08:59:00{HARBOUR}", "answered", 45, "other"),  # before opening
]


def write_jsonl(path: Path, messages: list[dict | str]) -> None:
    lines = [m if isinstance(m, str) else json.dumps(m) for m in messages]
    path.write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def warehouse(module_env: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    inbox = module_env.inbox
    (inbox / "shops.csv").write_text(SHOPS_CSV)
    (inbox / "staff.csv").write_text(STAFF_CSV)
    (inbox / "price_list.csv").write_text(PRICES_CSV)
    (inbox / "customers_legacy.csv").write_text(CUSTOMERS_CSV)

    events = tmp_path_factory.mktemp("events")
    write_jsonl(events / "chairside.customers.v1.jsonl", CUSTOMERS)
    write_jsonl(
        events / "chairside.appointments.v1.jsonl",
        [*APPOINTMENTS, '{"event_id": "broken", "event_type": "appointment.booked"'],
    )
    write_jsonl(events / "chairside.calls.v1.jsonl", CALLS)

    with (
        LocalKafkaBroker({topic.name: 3 for topic in TOPICS}) as broker,
        pytest.MonkeyPatch.context() as mp,
    ):
        mp.setenv("CHAIRSIDE_KAFKA_BOOTSTRAP", broker.bootstrap)
        with Publisher(KafkaSettings(bootstrap=(broker.bootstrap,))) as publisher:
            for path in sorted(events.glob("*.jsonl")):
                topic = topic_named(path.name.removesuffix(".jsonl"))
                publisher.send(topic, read_jsonl(path, topic))
        assert run_pipeline(dg.DagsterInstance.get(), as_of=dt.date(2026, 5, 1)).success
    return module_env


def weekly(settings: Settings, shop: str, week: str) -> dict:
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        cursor = con.execute(
            "select * from marts.fct_weekly_shop_metrics where shop_id = ? and week_start = ?",
            [shop, dt.date.fromisoformat(week)],
        )
        names = [d[0] for d in cursor.description]
        (row,) = cursor.fetchall()
    return dict(zip(names, row, strict=True))


def assert_metrics(actual: dict, expected: dict) -> None:
    mismatched = {
        name: (actual[name], value)
        for name, value in expected.items()
        if not (
            actual[name] == pytest.approx(value)
            if isinstance(value, float)
            else actual[name] == value
        )
    }
    assert not mismatched, f"(actual, hand value): {mismatched}"


def test_harbour_week_of_12_january(warehouse: Settings) -> None:
    assert_metrics(
        weekly(warehouse, "harbour", "2026-01-12"),
        {
            # calls k-1..k-5 (k-4 is Sun 22:00 local, Mon 01:30 UTC: still this local week)
            "calls_total": 5,
            "calls_answered": 3,  # k-1, k-2, k-5
            "calls_missed": 2,  # k-3 missed, k-4 voicemail
            "calls_after_hours": 3,  # k-3 after 17:00, k-4 on closed Sunday, k-5 before 09:00
            "call_answer_rate": 3 / 5,
            "avg_call_duration_sec": (120 + 60 + 45) / 3,
            "call_conversion_rate": 1 / 3,  # k-1 produced a-5
            # by final scheduled start: a-1 Tue, a-2 Sat (moved from Wed), a-3 Thu, a-5 Fri
            "appointments_scheduled": 4,
            "appointments_completed": 2,  # a-1, a-2
            "appointments_no_show": 1,  # a-3
            "appointments_cancelled": 1,  # a-5
            # by booking time, local: a-3 Mon, a-5 Tue, a-4 Tue, a-7 Sat, a-8 Sun
            # (a-2 was booked Sun 11 Jan 22:30 local, although that was Monday in UTC)
            "appointments_booked": 5,
            "no_show_rate": 1 / 4,
            "cancellation_rate": 1 / 4,
            # a-1, a-2 and no-show a-3, 30 min each / (Hana Tue-Sat + Hugo Tue-Fri) x 480 min
            "utilization": 90 / ((5 + 4) * 480),
            "revenue_service": Decimal("50.00"),  # 30 (a-1) + 20 (a-2)
            "revenue_product": Decimal("10.00"),  # a-1
            "revenue_total": Decimal("60.00"),  # tips excluded
            "tips": Decimal("5.00"),  # a-1; the duplicated completion counts once
            "avg_ticket": Decimal("30.00"),  # 60 / 2 visits
            "revenue_wow_growth": None,  # the week before had no revenue: 0 denominator
            "clients_served": 2,  # Ann, Bob
            "new_clients": 1,  # Ann; Bob has been a client since 2025 (legacy list)
            "returning_clients": 1,
            "rebooking_rate": 1 / 2,  # Ann booked a-4 at the counter; Bob only the next day
            "new_client_retention_90d": 1.0,  # Ann came back on 22 Jan (ridge) and 10 Feb
            "avg_visit_interval_days": None,  # neither visit had a previous one
        },
    )


def test_harbour_week_of_19_january(warehouse: Settings) -> None:
    assert_metrics(
        weekly(warehouse, "harbour", "2026-01-19"),
        {
            "calls_total": 0,
            "call_answer_rate": None,
            "avg_call_duration_sec": None,
            "call_conversion_rate": None,
            "appointments_scheduled": 1,  # a-7
            "appointments_completed": 1,
            "appointments_booked": 0,
            "no_show_rate": 0.0,
            "utilization": 30 / (5 * 480),  # Hugo left on the 16th
            "revenue_total": Decimal("30.00"),
            "tips": Decimal("3.00"),
            "revenue_wow_growth": 30 / 60 - 1,
            "clients_served": 1,
            "new_clients": 1,  # Cy: his no-show on the 15th was no visit
            "returning_clients": 0,
            "rebooking_rate": 0.0,
            "new_client_retention_90d": 0.0,  # Cy never came back
        },
    )


def test_ann_is_not_new_at_the_second_shop_of_the_chain(warehouse: Settings) -> None:
    assert_metrics(
        weekly(warehouse, "ridge", "2026-01-19"),
        {
            "appointments_completed": 1,
            "revenue_total": Decimal("40.00"),
            "clients_served": 1,
            "new_clients": 0,  # her first visit ever was at harbour a week earlier
            "returning_clients": 1,
            "utilization": 30 / (5 * 480),  # Rita Mon-Fri, 10:00-18:00
            "new_client_retention_90d": None,  # no new clients: 0 denominator
        },
    )


def test_harbour_week_of_9_february(warehouse: Settings) -> None:
    assert_metrics(
        weekly(warehouse, "harbour", "2026-02-09"),
        {
            "appointments_completed": 1,  # a-4
            "avg_visit_interval_days": 19.0,  # Ann's previous visit: ridge, 22 Jan -> 10 Feb
            "new_clients": 0,
        },
    )


def test_one_person_across_sources_and_shops(warehouse: Settings) -> None:
    with duckdb.connect(str(warehouse.duckdb_path), read_only=True) as con:
        ann = con.execute(
            "select count(distinct customer_key) from marts.fct_appointments "
            "where customer_id in ('c-1', 'c-9')"
        ).fetchone()
        assert ann == (1,)
        (sources, visits, interval, overdue) = con.execute(
            "select sources, visit_count, avg_visit_interval_days, days_overdue "
            "from marts.dim_customer c join marts.fct_appointments a using (customer_key) "
            "where a.appointment_id = 'a-1'"
        ).fetchone()
    assert set(sources) == {"kafka", "inbox_customers"}
    assert visits == 3
    assert interval == pytest.approx((9 + 19) / 2)  # 13 Jan -> 22 Jan -> 10 Feb
    assert overdue == pytest.approx(80 - 14)  # 10 Feb -> 1 May is 80 days


def test_the_invalid_message_is_dead_lettered_not_counted(warehouse: Settings) -> None:
    with duckdb.connect(str(warehouse.duckdb_path), read_only=True) as con:
        (dead,) = con.execute("select count(*) from raw_kafka.dead_letters").fetchone()
        (appointments,) = con.execute("select count(*) from marts.fct_appointments").fetchone()
    assert dead == 1
    assert appointments == 8  # a-1..a-5 and a-7..a-9


def test_retention_is_null_until_90_days_have_passed(warehouse: Settings) -> None:
    assert run_pipeline(dg.DagsterInstance.get(), as_of=dt.date(2026, 4, 1)).success
    # 12-18 Jan + 90 days = 18 April, after 1 April
    assert weekly(warehouse, "harbour", "2026-01-12")["new_client_retention_90d"] is None


def payout(settings: Settings, shop: str, staff: str, period: str) -> dict:
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        cursor = con.execute(
            "select * from marts.fct_staff_payouts "
            "where shop_id = ? and staff_id = ? and period_start = ?",
            [shop, staff, dt.date.fromisoformat(period)],
        )
        names = [d[0] for d in cursor.description]
        (row,) = cursor.fetchall()
    return dict(zip(names, row, strict=True))


def test_hanas_pay_for_the_fortnight_of_12_january(warehouse: Settings) -> None:
    assert_metrics(
        payout(warehouse, "harbour", "h-1", "2026-01-12"),
        {
            "period_end": dt.date(2026, 1, 26),
            "visits": 3,  # a-1 Tue 13, a-2 Sat 17 (moved to her from Hugo), a-7 Tue 20
            "revenue_service": Decimal("80.00"),  # 30 + 20 + 30; a-1's product sale is not hers
            "commission_pct": Decimal("40.00"),
            "commission": Decimal("32.00"),  # 80 x 40%
            "tips": Decimal("8.00"),  # 5 (a-1, delivered twice, counted once) + 3 (a-7)
            "payout": Decimal("40.00"),
            "is_commission_missing": False,
        },
    )
    # Hugo's only appointment was a no-show (a-3): no visit, no pay row.
    with duckdb.connect(str(warehouse.duckdb_path), read_only=True) as con:
        assert con.execute(
            "select count(*) from marts.fct_staff_payouts where staff_id = 'h-2'"
        ).fetchone() == (0,)


def test_the_fortnight_reconciles_with_its_two_weeks_to_the_cent(warehouse: Settings) -> None:
    weeks = [weekly(warehouse, "harbour", w) for w in ("2026-01-12", "2026-01-19")]
    pay = payout(warehouse, "harbour", "h-1", "2026-01-12")
    assert pay["revenue_service"] == sum(w["revenue_service"] for w in weeks) == Decimal("80.00")
    assert pay["tips"] == sum(w["tips"] for w in weeks) == Decimal("8.00")


def test_a_missing_commission_is_flagged_not_paid_at_zero(warehouse: Settings) -> None:
    assert_metrics(
        payout(warehouse, "ridge", "r-1", "2026-01-12"),
        {
            "revenue_service": Decimal("40.00"),  # a-9
            "commission_pct": None,
            "commission": None,
            "payout": None,
            "visits_without_commission": 1,
            "is_commission_missing": True,
        },
    )


def test_the_payroll_csv_of_the_fortnight(warehouse: Settings) -> None:
    frame = payroll_frame(warehouse.duckdb_path, dt.date(2026, 1, 12))
    lines = payroll_csv(frame).decode().splitlines()
    assert lines[1:] == [
        "harbour,h-1,Hana,2026-01-12,2026-01-25,3,80.00,40.00,32.00,8.00,40.00,ok",
        "ridge,r-1,Rita,2026-01-12,2026-01-25,1,40.00,,,0.00,,NOT PAYABLE: no commission % on "
        "the roster for 1 visit(s); fix the staff sheet and rebuild",
    ]
