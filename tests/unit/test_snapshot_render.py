"""The snapshot's HTML and text from a hand-made `Snapshot`: self-contained, escaped, and honest
about what has not been computed yet."""

import datetime as dt
import re

import pandas as pd
import pytest

from chairside.analytics.insights import Insight
from chairside.analytics.kpis import KPIS
from chairside.snapshot.content import Snapshot
from chairside.snapshot.render import render_html, render_text, title

WEEK = dt.date(2026, 11, 9)
AHEAD = [WEEK + dt.timedelta(weeks=n) for n in range(1, 5)]


def numbers(scale: float) -> pd.Series:
    values = {kpi.name: 100.0 * scale for kpi in KPIS}
    values.update(no_show_rate=0.03 * scale, revenue_total=8276.8 * scale)
    return pd.Series(values)


def forecasts() -> dict[str, pd.DataFrame]:
    metrics = {"appointments_completed": 180.0, "revenue_total": 7800.0}
    ahead = pd.DataFrame(
        [
            {
                "metric": metric,
                "week_start": pd.Timestamp(week),
                "yhat": level,
                "yhat_lower": level * 0.9,
                "yhat_upper": level * 1.1,
            }
            for metric, level in metrics.items()
            for week in AHEAD
        ]
    )
    last_week = pd.DataFrame(
        {
            "metric": list(metrics),
            "yhat": [180.0, 7800.0],
            "yhat_lower": [165.0, 7000.0],
            "yhat_upper": [195.0, 8100.0],
            "actual": [191.0, 8276.8],
            "inside": [True, False],
        }
    )
    champions = pd.DataFrame(
        {
            "metric": list(metrics),
            "model": ["ets", "prophet"],
            "mase": [0.8, None],
            "coverage_80": [0.78, 0.81],
        }
    )
    history = pd.DataFrame(
        [
            {
                "metric": metric,
                "week_start": pd.Timestamp(WEEK - dt.timedelta(weeks=n)),
                "actual": level,
            }
            for metric, level in metrics.items()
            for n in range(12)
        ]
    )
    return {
        "ahead": ahead,
        "forecast_for_last_week": last_week,
        "champions": champions,
        "history": history,
    }


def snapshot(**overrides: object) -> Snapshot:
    at_risk = pd.DataFrame(
        {
            "client": ["<b>Bobby</b> Tables", "Ann Lee"],
            "tel": ["tel:+17095550100", None],
            "contact": ["(709) 555-0100", "no phone, ann@example.com"],
            "why": ["usually every 4 weeks; last came 9 weeks ago; about CAD 620 a year", "x"],
            "last_visit_date": [pd.Timestamp("2026-08-01"), pd.NaT],
        }
    )
    fields = {
        "shop_id": "water-st",
        "shop_name": "Water St",
        "owner_email": "owner@example.com",
        "currency": "CAD",
        "time_zone": "America/St_Johns",
        "week": WEEK,
        "as_of": dt.date(2026, 11, 16),
        "last_week": numbers(1.0),
        "week_before": numbers(0.9),
        "year_before": None,
        "at_risk": at_risk,
        "insights": [
            Insight(
                "water-st",
                "no_shows_above_norm",
                "No-shows above Water St's norm",
                "12.0% against 3.0%.",
                "Text a reminder.",
                6.5,
            )
        ],
        **forecasts(),
    }
    fields.update(overrides)
    return Snapshot(**fields)


def test_the_html_needs_nothing_from_outside() -> None:
    html = render_html(snapshot())
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html
    # the only links are phone numbers to dial, which fetch nothing
    assert not re.search(r"""src\s*=""", html)
    assert re.findall(r'href\s*=\s*"([^"]*)"', html) == ["tel:+17095550100"]
    assert "<link" not in html and "@import" not in html
    assert html.count("<svg") == 2


def test_the_html_escapes_what_comes_from_the_data() -> None:
    html = render_html(snapshot())
    assert "&lt;b&gt;Bobby&lt;/b&gt; Tables" in html
    assert "<b>Bobby" not in html


def test_last_week_is_shown_against_its_forecast() -> None:
    html = render_html(snapshot())
    assert "As of Mon 16 Nov 2026." in html
    assert "180 (165 to 195): inside" in html
    assert "CAD 7,800 (7,000 to 8,100): above" in html
    assert "Model: ets" in html and "MASE 0.80" in html and "MASE n/a" in html


def test_a_baseline_without_a_backtest_says_it_has_no_track_record() -> None:
    champions = pd.DataFrame(
        {
            "metric": ["appointments_completed", "revenue_total"],
            "model": ["naive", "seasonal_naive"],
            "mase": [None, None],
            "coverage_80": [None, None],
        }
    )
    html = render_html(snapshot(champions=champions))
    assert html.count("a stated baseline without a track record") == 2
    assert "nan%" not in html and "MASE n/a" not in html


def test_missing_marts_say_so_instead_of_failing() -> None:
    html = render_html(
        snapshot(ahead=None, champions=None, forecast_for_last_week=None, at_risk=None)
    )
    assert "Forecasts not computed yet." in html
    assert "Client scores not computed yet." in html
    assert "<svg" not in html


@pytest.mark.parametrize("part", ["html", "text"])
def test_both_parts_carry_the_numbers_insights_and_call_list(part: str) -> None:
    rendered = render_html(snapshot()) if part == "html" else render_text(snapshot())
    for expected in ("8,276.80", "No-shows above Water St", "Text a reminder", "(709) 555-0100"):
        assert expected in rendered


def test_the_title_names_the_shop_and_the_days() -> None:
    assert title(snapshot()) == "Water St: the week of Mon 9 Nov to Sun 15 Nov 2026"
