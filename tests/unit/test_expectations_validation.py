"""The mart suites on small frames: a clean frame passes, a planted defect fails the expectation
that guards against it, with the severity that decides whether it blocks, and the check's
metadata names the expectation, the column and the offending rows."""

import datetime as dt
from typing import Any

import dagster as dg
import pandas as pd

from chairside.core.clock import Clock
from orchestration.defs.quality import results
from orchestration.defs.quality.suites import load_suite, suite_parameters
from orchestration.defs.quality.tables import CHECKED_TABLES
from orchestration.defs.quality.validation import validate_frame

TODAY = dt.date(2026, 11, 16)
WEEKS = 20


def check(relation: str, frame: pd.DataFrame) -> dg.AssetCheckResult:
    table = next(table for table in CHECKED_TABLES if table.relation == relation)
    outcome = validate_frame(
        frame, load_suite(relation), row_id=table.row_id, parameters=suite_parameters(Clock(TODAY))
    )
    return results.validated(table, outcome)


def failures(result: dg.AssetCheckResult) -> dict[tuple[str, str], dict[str, Any]]:
    """Unsuccessful expectations from the check's metadata, by (expectation, columns)."""
    return {
        (failure["expectation"], ",".join(failure["columns"])): failure
        for failure in result.metadata["unsuccessful_expectations"].data
    }


def weekly_metrics() -> pd.DataFrame:
    """Twenty consistent weeks of one shop."""
    return pd.DataFrame(
        {
            "shop_id": "water-st",
            "week_start": pd.date_range("2026-01-05", periods=WEEKS, freq="W-MON"),
            "calls_total": 100,
            "calls_answered": 80,
            "calls_missed": 20,
            "call_answer_rate": 0.8,
            "call_conversion_rate": 0.7,
            "appointments_scheduled": 90,
            "appointments_completed": 80,
            "appointments_no_show": 4,
            "appointments_cancelled": 6,
            "appointments_booked": 88,
            "no_show_rate": 4 / 90,
            "cancellation_rate": 6 / 90,
            "utilization": 0.8,
            "revenue_service": 3200.0,
            "revenue_product": 400.0,
            "revenue_total": 3600.0,
            "tips": 500.0,
            "avg_ticket": 45.0,
            "clients_served": 75,
            "new_clients": 10,
            "returning_clients": 65,
            "rebooking_rate": 0.4,
            "new_client_retention_90d": [0.5] * (WEEKS - 13) + [None] * 13,  # not yet 90 days
        }
    )


def appointments() -> pd.DataFrame:
    """One appointment in each final state, as the mart holds them."""
    start = pd.Timestamp("2026-03-03 14:00", tz="UTC")
    common = {
        "shop_id": "water-st",
        "service_date": dt.date(2026, 3, 3),
        "week_start": dt.date(2026, 3, 2),
        "staff_id": "ws-01",
        "duration_min": 30,
        "customer_key": "c1",
        "service_code": "CUT",
        "channel": "phone",
        "reschedule_count": 0,
        "is_first_visit": False,
        "visit_number": None,
        "revenue_service": None,
        "revenue_product": None,
        "revenue_total": None,
        "tip": None,
        "cancelled_by": None,
        "completed_at": None,
        "cancelled_at": None,
        "no_show_at": None,
    }
    completed = {
        "status": "completed",
        "is_first_visit": True,
        "visit_number": 1,
        "revenue_service": 35.0,
        "revenue_product": 0.0,
        "revenue_total": 35.0,
        "tip": 5.0,
        "completed_at": start,
    }
    return pd.DataFrame(
        [
            common | {"appointment_id": "a-1"} | completed,
            common | {"appointment_id": "a-2", "status": "booked"},
            common
            | {"appointment_id": "a-3", "status": "cancelled"}
            | {"cancelled_at": start, "cancelled_by": "customer"},
            common | {"appointment_id": "a-4", "status": "no_show", "no_show_at": start},
        ]
    )


def test_clean_weekly_metrics_pass() -> None:
    result = check("marts.fct_weekly_shop_metrics", weekly_metrics())

    assert result.passed
    assert result.metadata["row_count"].value == WEEKS
    assert result.metadata["evaluated_expectations"].value == 27
    assert result.metadata["unsuccessful_expectations"].data == []


def test_a_rate_above_one_fails_its_range_and_names_the_week() -> None:
    frame = weekly_metrics()
    frame.loc[3, "call_answer_rate"] = 1.25

    result = check("marts.fct_weekly_shop_metrics", frame)

    assert not result.passed
    assert result.severity == dg.AssetCheckSeverity.ERROR
    failure = failures(result)[("expect_column_values_to_be_between", "call_answer_rate")]
    assert failure["rule"] == {"min_value": 0.0, "max_value": 1.0}
    assert failure["unexpected_count"] == 1
    assert failure["examples"] == [1.25]
    assert failure["example_rows"] == [{"shop_id": "water-st", "week_start": "2026-01-26 00:00:00"}]
    assert "call_answer_rate" in result.description


def test_utilization_may_exceed_one_in_few_weeks_but_never_by_half() -> None:
    one_overbooked = weekly_metrics()
    one_overbooked.loc[0, "utilization"] = 1.2  # 1 of 20 weeks: within mostly=0.95
    assert check("marts.fct_weekly_shop_metrics", one_overbooked).passed

    three_overbooked = weekly_metrics()
    three_overbooked.loc[[0, 1, 2], "utilization"] = 1.2
    assert set(failures(check("marts.fct_weekly_shop_metrics", three_overbooked))) == {
        ("expect_column_values_to_be_between", "utilization"),
    }

    impossible = weekly_metrics()
    impossible.loc[0, "utilization"] = 1.6
    failed = failures(check("marts.fct_weekly_shop_metrics", impossible))
    assert failed[("expect_column_values_to_be_between", "utilization")]["rule"] == {
        "min_value": 0.0,
        "max_value": 1.5,
    }


def test_clean_appointments_pass() -> None:
    assert check("marts.fct_appointments", appointments()).passed


def test_revenue_on_a_cancelled_appointment_fails_its_row_condition() -> None:
    frame = appointments()
    frame.loc[2, "revenue_total"] = 20.0

    result = check("marts.fct_appointments", frame)

    failure = failures(result)[("expect_column_values_to_be_null", "revenue_total")]
    assert failure["row_condition"] == "status != completed"
    assert failure["example_rows"] == [{"appointment_id": "a-3"}]
    assert not result.passed


def test_only_warnings_failing_gives_a_warning_that_does_not_block() -> None:
    frame = appointments()
    frame.loc[2, "cancelled_by"] = "carrier pigeon"

    result = check("marts.fct_appointments", frame)

    assert not result.passed
    assert result.severity == dg.AssetCheckSeverity.WARN
    assert set(failures(result)) == {("expect_column_values_to_be_in_set", "cancelled_by")}
