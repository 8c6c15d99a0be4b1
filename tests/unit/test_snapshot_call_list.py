"""The call list as an owner gets it: read by `clients.at_risk` from a small warehouse, then
rendered into the snapshot's HTML and text. Phones are written the way the shop's country writes
them and dialled by a `tel:` link; a client without a dialable number shows "no phone" and their
email, never the "nan" a NULL becomes in pandas."""

import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest

from chairside.presentation.analytics import clients
from chairside.presentation.snapshot.render import render_html, render_text
from tests.unit.test_snapshot_render import snapshot

AS_OF = dt.date(2026, 11, 16)
# key, name, phone_e164, email, usual interval, days since last visit, clv, churn risk, segment
CLIENTS = [
    ("c1", "Dana Roy", "+17092271234", "dana@example.com", 28.0, 63, 620.0, 0.8, "At-Risk"),
    ("c2", "Ann Lee", None, "ann@example.com", 21.0, 70, 500.0, 0.7, "At-Risk"),
    ("c3", "Sam Kerr", "+1555", None, 35.0, 80, 400.0, 0.6, "At-Risk"),
    ("c4", "Ian Tait", "+447911123456", "ian@example.com", 42.0, 90, 300.0, 0.6, "At-Risk"),
    ("c5", "Gone Long", "+17092270000", None, 30.0, 400, 10.0, 0.95, "Lapsed"),
]


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.dim_shop as select 'water-st' as shop_id, 'Water St' as "
            "shop_name, 'CAD' as currency, 'America/St_Johns' as time_zone"
        )
        con.execute(
            "create table marts.dim_customer (customer_key varchar, full_name varchar, "
            "home_shop_id varchar, phone_e164 varchar, email varchar, marketing_opt_in boolean, "
            "last_visit_date date, visit_count integer)"
        )
        con.execute(
            "create table marts.fct_customer_scores (scoring_run_id varchar, scored_at "
            "timestamp, customer_key varchar, segment varchar, as_of_date date, last_visit_date "
            "date, usual_interval_days double, days_overdue double, churn_risk double, "
            "predicted_clv_12m double, value_at_stake double)"
        )
        con.execute(
            "create table marts.fct_appointments (customer_key varchar, status varchar, "
            "scheduled_start_local timestamp)"
        )
        for key, name, phone, email, usual, since, clv, risk, segment in CLIENTS:
            last = AS_OF - dt.timedelta(days=since)
            con.execute(
                "insert into marts.dim_customer values (?, ?, 'water-st', ?, ?, true, ?, 6)",
                [key, name, phone, email, last],
            )
            con.execute(
                "insert into marts.fct_customer_scores values ('run-1', timestamp '2026-11-16', "
                "?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [key, segment, AS_OF, last, usual, since - usual, risk, clv, clv * risk],
            )
    return path


def test_the_call_list_reads_in_an_owners_words(warehouse: Path) -> None:
    at_risk = clients.at_risk(warehouse, ("water-st",), AS_OF)
    assert list(at_risk["client"]) == ["Dana Roy", "Ann Lee", "Sam Kerr", "Ian Tait"]
    assert list(at_risk["contact"]) == [
        "(709) 227-1234",
        "no phone, ann@example.com",
        "no phone",
        "+44 7911 123456",
    ]
    assert at_risk["why"].iloc[0] == (
        "usually every 4 weeks; last came 9 weeks ago; about CAD 620 a year"
    )
    for words in at_risk["why"]:
        assert not re.search(r"churn|p_alive|probab|overdue|METRICS|%", words)


@pytest.mark.parametrize("part", ["html", "text"])
def test_the_snapshot_shows_no_nan_and_dials_by_tel_links(warehouse: Path, part: str) -> None:
    at_risk = clients.at_risk(warehouse, ("water-st",), AS_OF)
    shown = snapshot(at_risk=at_risk)
    rendered = render_html(shown) if part == "html" else render_text(shown)
    assert "nan" not in rendered.lower().replace("nanos", "")
    assert "METRICS.md" not in rendered and "30 days" not in rendered
    assert "usually every 4 weeks; last came 9 weeks ago; about CAD 620 a year" in rendered
    assert "no phone, ann@example.com" in rendered
    if part == "html":
        assert ">(709) 227-1234</a>" in rendered
        assert re.findall(r'href="(tel:[^"]*)"', rendered) == [
            "tel:+17092271234",
            "tel:+447911123456",
        ]
    else:
        assert "- Ann Lee, no phone, ann@example.com: usually every 3 weeks" in rendered
