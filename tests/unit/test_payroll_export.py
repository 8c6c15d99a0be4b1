"""The payroll CSV, read back as a payroll clerk's spreadsheet would read it."""

import csv
import datetime as dt
import io
from pathlib import Path

import duckdb
import pytest

from chairside.presentation.analytics.payroll import NoSuchPayPeriod, payroll_csv, payroll_frame


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.dim_staff as select * from (values "
            "('harbour', 'h-1', '=HYPERLINK(\"http://x\")'), ('harbour', 'h-2', 'Hugo')) "
            "as t(shop_id, staff_id, staff_name)"
        )
        con.execute(
            """
            create table marts.fct_staff_payouts as select
                shop_id, staff_id, cast(period_start as date) as period_start,
                cast(period_start as date) + 14 as period_end, is_complete, visits,
                cast(revenue_service as decimal(14, 2)) as revenue_service,
                cast(commission_pct as decimal(5, 2)) as commission_pct,
                cast(commission as decimal(14, 2)) as commission,
                cast(tips as decimal(14, 2)) as tips, cast(payout as decimal(14, 2)) as payout,
                visits_without_commission,
                visits_without_commission > 0 as is_commission_missing
            from (values
                ('harbour', 'h-1', '2026-01-12', true, 3, 80.00, 40, 32.00, 8.00, 40.00, 0),
                ('harbour', 'h-2', '2026-01-12', true, 1, 25.00, null, null, 2.00, null, 1),
                ('harbour', 'h-1', '2026-01-26', false, 1, 30.00, 40, 12.00, 0.00, 12.00, 0)
            ) as t(shop_id, staff_id, period_start, is_complete, visits, revenue_service,
                   commission_pct, commission, tips, payout, visits_without_commission)
            """
        )
    return path


def read_back(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode())))


def test_a_period_exports_one_row_per_member_with_money_to_the_cent(warehouse: Path) -> None:
    rows = read_back(payroll_csv(payroll_frame(warehouse, dt.date(2026, 1, 12))))
    assert [
        (r["staff_id"], r["revenue_service"], r["commission"], r["tips"], r["payout"]) for r in rows
    ] == [
        ("h-1", "80.00", "32.00", "8.00", "40.00"),
        ("h-2", "25.00", "", "2.00", ""),
    ]
    assert rows[0]["period_last_day"] == "2026-01-25"
    assert rows[0]["status"] == "ok"


def test_a_member_without_commission_is_not_payable_rather_than_paid_zero(
    warehouse: Path,
) -> None:
    (hugo,) = [
        r
        for r in read_back(payroll_csv(payroll_frame(warehouse, dt.date(2026, 1, 12))))
        if r["staff_id"] == "h-2"
    ]
    assert hugo["payout"] == ""
    assert hugo["status"].startswith("NOT PAYABLE: no commission % on the roster for 1 visit")


def test_a_name_typed_as_a_formula_stays_text(warehouse: Path) -> None:
    rows = read_back(payroll_csv(payroll_frame(warehouse, dt.date(2026, 1, 12))))
    assert rows[0]["staff_name"] == '\'=HYPERLINK("http://x")'


def test_an_unfinished_period_says_so(warehouse: Path) -> None:
    (row,) = read_back(payroll_csv(payroll_frame(warehouse, dt.date(2026, 1, 26))))
    assert row["status"] == "period not over yet: figures can still change"


def test_a_day_no_period_starts_on_names_the_periods_that_do(warehouse: Path) -> None:
    with pytest.raises(NoSuchPayPeriod, match="2026-01-26, 2026-01-12"):
        payroll_frame(warehouse, dt.date(2026, 1, 13))
