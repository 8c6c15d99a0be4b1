"""The snapshot's HTML and text from a hand-made `Snapshot`: self-contained, escaped, and honest
about what has not been computed yet."""

import base64
import datetime as dt
import re

import pandas as pd
import pytest

from chairside.presentation.analytics.insights import Insight
from chairside.presentation.analytics.kpis import KPIS
from chairside.presentation.snapshot.content import Snapshot
from chairside.presentation.snapshot.images import Image, forecast_images
from chairside.presentation.snapshot.render import render_html, render_text, title

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
            "model": ["mstl_ets", "growth_seasonal_naive"],
            "mase": [0.8, None],
            "mase_seasonal_naive": [1.6, None],
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


def rendered(**overrides: object) -> str:
    """The page without its charts: drawing them takes a second, and only two tests look."""
    return render_html(snapshot(**overrides))


def test_the_html_needs_nothing_from_outside() -> None:
    shown = snapshot()
    html = render_html(shown, forecast_images(shown))
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html
    # the charts are embedded PNGs; the only links are phone numbers to dial
    sources = re.findall(r'src\s*=\s*"([^"]*)"', html)
    assert len(sources) == 2
    for source in sources:
        assert source.startswith("data:image/png;base64,")
        assert base64.b64decode(source.split(",", 1)[1]).startswith(b"\x89PNG")
    assert re.findall(r'href\s*=\s*"([^"]*)"', html) == ["tel:+17095550100"]
    assert "<link" not in html and "@import" not in html and "<svg" not in html


def test_the_mail_points_at_its_images_by_content_id() -> None:
    shown = snapshot()
    images = forecast_images(shown)
    html = render_html(shown, images, src=Image.cid_uri)
    assert sorted(re.findall(r'src="([^"]*)"', html)) == sorted(
        f"cid:{image.cid}" for image in images.values()
    )


def test_the_html_escapes_what_comes_from_the_data() -> None:
    html = rendered()
    assert "&lt;b&gt;Bobby&lt;/b&gt; Tables" in html
    assert "<b>Bobby" not in html


def test_last_week_is_shown_against_its_forecast() -> None:
    html = rendered()
    assert "As of Mon 16 Nov 2026." in html
    assert "Visits: 191 visits, inside the range forecast for it (165 to 195 visits)." in html
    assert "Revenue: CAD 8,277, above the range forecast for it (CAD 7,000 to 8,100)." in html


def test_forecasts_are_told_in_an_owners_words() -> None:
    html = rendered()
    assert "Week of 16 Nov: about 180 visits, usually within ±18 (162 to 198 visits)." in html
    assert "about CAD 7,800, usually within ±CAD 780 (CAD 7,020 to 8,580)." in html
    assert "held the actual about 8 weeks in 10" in html
    assert "it missed by 50% less than simply repeating the same week last year" in html
    for jargon in ("MASE", "mstl_ets", "seasonal_naive", "METRICS", ".md"):
        assert jargon not in html


def test_a_forecast_no_better_than_last_year_claims_nothing_more() -> None:
    champions = forecasts()["champions"].assign(mase=[1.0, 1.0], mase_seasonal_naive=[1.0, 1.0])
    assert "missed by" not in rendered(champions=champions)


def test_a_baseline_without_a_backtest_says_it_has_no_track_record() -> None:
    champions = pd.DataFrame(
        {
            "metric": ["appointments_completed", "revenue_total"],
            "model": ["naive", "seasonal_naive"],
            "mase": [None, None],
            "mase_seasonal_naive": [None, None],
            "coverage_80": [None, None],
        }
    )
    html = rendered(champions=champions)
    assert html.count("a stated baseline without a track record") == 2
    assert "nan" not in html


def test_missing_marts_say_so_instead_of_failing() -> None:
    html = rendered(ahead=None, champions=None, forecast_for_last_week=None, at_risk=None)
    assert "Forecasts not computed yet." in html
    assert "Client scores not computed yet." in html
    assert "<img" not in html


def test_a_week_nobody_forecast_says_so() -> None:
    html = rendered(forecast_for_last_week=forecasts()["forecast_for_last_week"].iloc[0:0])
    assert "No forecast was made for this week before it began." in html


def test_sections_link_to_their_apps_when_the_apps_have_an_address() -> None:
    shown = snapshot()
    html = render_html(shown, apps_url="https://apps.example.com/")
    links = re.findall(r'href="(https://[^"]*)"', html)
    assert links == [
        "https://apps.example.com/overview/?shop=water-st",
        "https://apps.example.com/forecasts/?shop=water-st",
        "https://apps.example.com/clients/?shop=water-st",
    ]


@pytest.mark.parametrize("part", ["html", "text"])
def test_both_parts_carry_the_numbers_insights_and_call_list(part: str) -> None:
    text = rendered() if part == "html" else render_text(snapshot())
    for expected in (
        "8,276.80",
        "No-shows above Water St",
        "Text a reminder",
        "(709) 555-0100",
        "about 180 visits",
        "above the range forecast for it",
    ):
        assert expected in text


def test_the_title_names_the_shop_and_the_days() -> None:
    assert title(snapshot()) == "Water St: the week of Mon 9 Nov to Sun 15 Nov 2026"
