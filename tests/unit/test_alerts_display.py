"""Alerts in an owner's words, in the apps' table and in the snapshot, once each."""

import datetime as dt
from decimal import Decimal

import pandas as pd

from chairside.presentation.analytics.alerts import display_table, sentence
from chairside.presentation.snapshot.alerts_section import alerts_html, alerts_text
from chairside.presentation.snapshot.render import render_html, render_text
from tests.unit.test_snapshot_render import snapshot

ALERTS = pd.DataFrame(
    {
        "shop_id": ["water-st", "water-st"],
        "metric": ["rebooking", "revenue_per_hour"],
        "metric_name": ["Rebooking", "Revenue per hour"],
        "month_start": [dt.date(2026, 10, 1)] * 2,
        "known_on": [dt.date(2026, 11, 1)] * 2,
        "value": [Decimal("0.5200"), Decimal("31.5000")],
        "target": [Decimal("0.6000"), Decimal("40.0000")],
        "previous_value": [Decimal("0.6300"), Decimal("42.0000")],
        "previous_month_start": [pd.Timestamp("2026-09-01"), pd.Timestamp("2026-08-01")],
        "next_change": ["Book the next visit on 53 more of the month's 664 visits", "<Earn> more"],
    }
)
SHOPS = pd.DataFrame(
    {"shop_name": ["Water St"], "currency": ["CAD"]}, index=pd.Index(["water-st"], name="shop_id")
)


def test_an_alert_says_what_fell_from_what_to_what_and_when() -> None:
    assert sentence(ALERTS.iloc[0], "CAD") == (
        "Rebooking fell below its target in October 2026: 52% against 60% "
        "(63% in September 2026, on target)."
    )
    assert sentence(ALERTS.iloc[1], "CAD") == (
        "Revenue per hour fell below its target in October 2026: CAD 32 an hour against "
        "CAD 40 an hour (CAD 42 an hour in August 2026, on target)."
    )


def test_the_apps_table_names_the_shop_the_day_and_the_change() -> None:
    table = display_table(ALERTS, SHOPS)
    assert list(table["Shop"]) == ["Water St", "Water St"]
    assert list(table["Known on"]) == ["Sun 01 Nov 2026", "Sun 01 Nov 2026"]
    assert table["The change that would move it most"][1] == "<Earn> more"


def test_the_snapshot_shows_its_alerts_escaped_and_in_the_text_part() -> None:
    html = alerts_html(ALERTS, "CAD")
    assert html.count("fell below its target") == 2
    assert "&lt;Earn&gt; more" in html and "<Earn>" not in html
    assert alerts_text(ALERTS, "CAD")[0] == "Alerts:"
    assert "Rebooking fell below" in alerts_text(ALERTS, "CAD")[1]


def test_a_snapshot_without_alerts_has_no_alerts_section() -> None:
    assert "Alerts" not in render_html(snapshot())
    assert "Alerts" not in render_text(snapshot(alerts=ALERTS.iloc[0:0]))
    shown = snapshot(alerts=ALERTS)
    assert "<h2" in render_html(shown) and ">Alerts</h2>" in render_html(shown)
    assert "Alerts:" in render_text(shown)
