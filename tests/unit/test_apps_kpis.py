"""KPIs re-aggregated over shops and weeks: numerators over denominators, never mean rates.

A tiny warehouse under tmp_path holds hand-written mart rows, so every expected number below is
worked out by hand from them.
"""

import datetime as dt
import math
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from chairside.presentation.analytics.filters import Filters
from chairside.presentation.analytics.kpis import (
    KPI_BY_NAME,
    KPIS,
    Family,
    change,
    direction,
    format_value,
    period_kpis,
    week_in_context,
    weekly_kpis,
)

W1, W2, W3 = dt.date(2026, 10, 26), dt.date(2026, 11, 2), dt.date(2026, 11, 9)

# fct_weekly_shop_metrics' columns (docs/contracts.md, docs/metrics.md)
WEEKLY_COLUMNS = [
    "calls_total",
    "calls_answered",
    "calls_missed",
    "calls_after_hours",
    "call_answer_rate",
    "avg_call_duration_sec",
    "call_conversion_rate",
    "appointments_scheduled",
    "appointments_completed",
    "appointments_no_show",
    "appointments_cancelled",
    "appointments_booked",
    "no_show_rate",
    "cancellation_rate",
    "utilization",
    "revenue_service",
    "revenue_product",
    "revenue_total",
    "tips",
    "avg_ticket",
    "revenue_wow_growth",
    "clients_served",
    "new_clients",
    "returning_clients",
    "rebooking_rate",
    "new_client_retention_90d",
    "avg_visit_interval_days",
    "calls_converted",
    "visits_rebooked",
    "new_clients_retained_90d",
    "occupied_minutes",
    "staff_minutes_available",
]
# the weekly metrics docs/metrics.md defines (Calls, Appointments, Money, Clients but days_overdue)
METRICS_MD_WEEKLY = set(WEEKLY_COLUMNS) - {
    "calls_converted",
    "visits_rebooked",
    "new_clients_retained_90d",
    "occupied_minutes",
    "staff_minutes_available",
}


def weekly_row(shop_id: str, week: dt.date, **values: float | None) -> dict:
    row = dict.fromkeys(WEEKLY_COLUMNS, 0.0)
    row.update(shop_id=shop_id, week_start=week, is_complete=True, new_client_retention_90d=None)
    row.update(values)
    return row


def visit(shop_id: str, week: dt.date, customer: str, gap: float | None = None) -> dict:
    return {
        "shop_id": shop_id,
        "week_start": week,
        "customer_key": customer,
        "status": "completed",
        "days_since_previous_visit": gap,
    }


def build(path: Path, weekly: list[dict], appointments: list[dict]) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        frames = {
            "fct_weekly_shop_metrics": pd.DataFrame(weekly),
            "fct_appointments": pd.DataFrame(
                appointments,
                columns=[
                    "shop_id",
                    "week_start",
                    "customer_key",
                    "status",
                    "days_since_previous_visit",
                ],
            ).astype({"days_since_previous_visit": "float64"}),
        }
        for name, frame in frames.items():
            con.register("rows", frame)
            con.execute(f"create table marts.{name} as select * from rows")
            con.unregister("rows")
    return path


@pytest.fixture
def two_shops(tmp_path: Path) -> Path:
    weekly = [
        weekly_row("a", W1, revenue_total=800.0),
        weekly_row(
            "a",
            W2,
            calls_total=40,
            calls_answered=30,
            calls_converted=15,
            avg_call_duration_sec=100.0,
            appointments_scheduled=10,
            appointments_completed=8,
            appointments_no_show=1,
            appointments_cancelled=1,
            revenue_total=400.0,
            visits_rebooked=4,
            occupied_minutes=300,
            staff_minutes_available=600,
            new_clients=2,
            new_clients_retained_90d=1,
            new_client_retention_90d=0.5,
            clients_served=8,
            returning_clients=6,
        ),
        weekly_row("b", W1, revenue_total=200.0),
        weekly_row(
            "b",
            W2,
            calls_total=10,
            calls_answered=10,
            calls_converted=2,
            avg_call_duration_sec=200.0,
            appointments_scheduled=100,
            appointments_completed=70,
            appointments_no_show=20,
            appointments_cancelled=10,
            revenue_total=2800.0,
            visits_rebooked=14,
            occupied_minutes=2700,
            staff_minutes_available=3000,
            new_clients=1,
            new_clients_retained_90d=0,  # not 90 days old yet: the rate is NULL
            clients_served=69,
            returning_clients=68,
        ),
    ]
    appointments = [
        visit("a", W2, "c1", 10.0),
        visit("a", W2, "c2", 20.0),
        visit("b", W2, "c3", 40.0),
        visit("b", W2, "c1"),
        visit("a", W3, "c1", 7.0),
    ]
    return build(tmp_path / "warehouse.duckdb", weekly, appointments)


def test_every_weekly_metric_of_metrics_md_has_a_kpi_under_its_own_name() -> None:
    assert {kpi.name for kpi in KPIS} == METRICS_MD_WEEKLY
    assert {kpi.family for kpi in KPIS} == set(Family)


def test_rates_over_two_shops_are_pooled_not_averaged(two_shops: Path) -> None:
    week = weekly_kpis(two_shops, Filters(("a", "b"), W2, W2)).iloc[0]
    assert week["no_show_rate"] == pytest.approx(21 / 110)  # not (0.1 + 0.2) / 2
    assert week["cancellation_rate"] == pytest.approx(11 / 110)
    assert week["call_answer_rate"] == pytest.approx(40 / 50)
    assert week["call_conversion_rate"] == pytest.approx(17 / 40)
    assert week["avg_call_duration_sec"] == pytest.approx((100 * 30 + 200 * 10) / 40)
    assert week["utilization"] == pytest.approx(3000 / 3600)
    assert week["rebooking_rate"] == pytest.approx(18 / 78)
    assert week["avg_ticket"] == pytest.approx(3200 / 78)
    assert week["revenue_total"] == pytest.approx(3200)
    assert week["avg_visit_interval_days"] == pytest.approx((10 + 20 + 40) / 3)


def test_retention_counts_only_weeks_old_enough_to_have_it(two_shops: Path) -> None:
    """Shop b's new client has no 90-day verdict yet; it must not dilute shop a's 1 of 2."""
    week = weekly_kpis(two_shops, Filters(("a", "b"), W2, W2)).iloc[0]
    assert week["new_client_retention_90d"] == pytest.approx(0.5)
    only_b = weekly_kpis(two_shops, Filters(("b",), W2, W2)).iloc[0]
    assert math.isnan(only_b["new_client_retention_90d"])


def test_week_on_week_growth_reads_the_week_before_the_range(two_shops: Path) -> None:
    frame = weekly_kpis(two_shops, Filters(("a", "b"), W2, W2))
    assert list(frame["week_start"].dt.date) == [W2]
    assert frame.iloc[0]["revenue_wow_growth"] == pytest.approx(3200 / 1000 - 1)


def test_a_range_counts_a_client_once_across_weeks_and_shops(two_shops: Path) -> None:
    """c1 visits shop a in two weeks and shop b once: one client served, not three."""
    totals = period_kpis(two_shops, Filters(("a", "b"), W1, W3))
    assert totals["clients_served"] == 3
    assert totals["new_clients"] == 3
    assert totals["returning_clients"] == 0
    assert totals["revenue_total"] == pytest.approx(4200)
    assert "revenue_wow_growth" not in totals


def test_one_shop_reads_back_the_marts_own_rates(two_shops: Path) -> None:
    week = weekly_kpis(two_shops, Filters(("a",), W2, W2)).iloc[0]
    assert week["no_show_rate"] == pytest.approx(0.1)
    assert week["call_answer_rate"] == pytest.approx(0.75)
    assert week["clients_served"] == 8


def test_week_in_context_finds_the_week_before_and_says_when_a_year_is_missing(
    two_shops: Path,
) -> None:
    context = week_in_context(two_shops, ("a", "b"), W2, [W1, W2])
    assert context.week["revenue_total"] == pytest.approx(3200)
    assert context.week_before["revenue_total"] == pytest.approx(1000)
    assert context.year_before is None
    assert list(context.trend["week_start"].dt.date) == [W1, W2]


def test_a_week_not_complete_in_every_shop_is_no_trend_point_and_no_growth_base(
    tmp_path: Path,
) -> None:
    path = build(
        tmp_path / "warehouse.duckdb",
        [
            weekly_row("a", W1, revenue_total=1000.0, is_complete=False),  # a's partial first
            weekly_row("a", W2, revenue_total=3000.0),
            weekly_row("b", W2, revenue_total=200.0),
            weekly_row("a", W3, revenue_total=90.0, is_complete=False),  # in progress
        ],
        [],
    )
    trend = weekly_kpis(path, Filters(("a", "b"), W1, W3))
    assert list(trend["week_start"].dt.date) == [W2]
    assert math.isnan(trend.iloc[0]["revenue_wow_growth"])  # its base week was partial
    context = week_in_context(path, ("a", "b"), W3, [W1, W2, W3])
    assert context.week is None
    assert context.week_before["revenue_total"] == pytest.approx(3200)
    assert list(context.trend["week_start"].dt.date) == [W2]


@pytest.mark.parametrize(
    ("name", "value", "currency", "shown"),
    [
        ("no_show_rate", 0.0281, "", "2.8%"),
        ("revenue_wow_growth", 0.0834, "", "+8.3%"),
        ("revenue_total", 8276.8, "CAD", "CAD 8,276.80"),
        ("avg_call_duration_sec", 172.0, "", "2:52 min"),
        ("avg_visit_interval_days", 44.6, "", "45 days"),
        ("calls_total", 1234.0, "", "1,234"),
        ("utilization", float("nan"), "", "–"),
        ("utilization", None, "", "–"),
    ],
)
def test_values_read_as_an_owner_expects(name, value, currency, shown) -> None:
    assert format_value(KPI_BY_NAME[name], value, currency) == shown


def test_changes_are_points_for_rates_and_percent_for_the_rest() -> None:
    assert change(KPI_BY_NAME["no_show_rate"], 0.05, 0.03) == "+2.0 pts"
    assert change(KPI_BY_NAME["revenue_total"], 110.0, 100.0) == "+10%"
    assert change(KPI_BY_NAME["new_clients"], 3.0, 0.0) == "new"
    assert change(KPI_BY_NAME["new_clients"], 3.0, None) == "–"
    visits = KPI_BY_NAME["appointments_completed"]
    assert direction(visits, 2.0, 1.0) == "increase"
    assert direction(visits, 1.0, 2.0) == "decrease"
    assert direction(visits, 1.0, 1.0) is None
    assert direction(visits, float("nan"), 1.0) is None


def test_no_arrow_points_at_a_change_that_rounds_to_nothing() -> None:
    rate, revenue = KPI_BY_NAME["rebooking_rate"], KPI_BY_NAME["revenue_total"]
    assert change(rate, 0.61234, 0.61231) == "±0 pts"
    assert direction(rate, 0.61234, 0.61231) is None
    assert change(revenue, 1000.4, 1000.0) == "±0%"
    assert direction(revenue, 1000.4, 1000.0) is None
    assert change(rate, 0.6, 0.59) == "+1.0 pts"
    assert direction(rate, 0.6, 0.59) == "increase"
