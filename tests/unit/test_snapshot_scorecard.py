"""The snapshot's scorecard section, in HTML and in the plain-text part."""

import datetime as dt
from decimal import Decimal

import pandas as pd

from chairside.presentation.snapshot.scorecard_section import scorecard_html, scorecard_text

CARD = pd.DataFrame(
    {
        "month_start": [dt.date(2026, 10, 1)] * 2,
        "principle": ["rebooking", "value_based_pricing"],
        "principle_name": ["Rebooking", "Value-based pricing"],
        "value": [Decimal("0.3870"), Decimal("0.9500")],
        "target": [Decimal("0.6000"), Decimal("0.9800")],
        "score": [Decimal("0.6451"), Decimal("0.9694")],
        "next_change": [
            "Book the next visit before the client leaves on 142 more of the month's 664 visits",
            "Charge list price for <Skin fade>: CAD 40 under list this month",
        ],
        "health_score": [Decimal("0.8072")] * 2,
        "principles_scored": [2] * 2,
    }
)


def test_html_shows_the_health_score_and_each_principle_escaped() -> None:
    html = scorecard_html(CARD, "CAD")
    assert "Health 81% in October 2026 (2 of 2 principles scored)" in html
    assert "<td" in html and "39%" in html and "60%" in html and "65%" in html
    assert "&lt;Skin fade&gt;" in html and "<Skin fade>" not in html


def test_text_lists_every_principle_with_its_change() -> None:
    assert scorecard_text(CARD, "CAD") == [
        "Health 81% in October 2026 (2 of 2 principles scored)",
        "- Rebooking: 39% (target 60%, score 65%). Book the next visit before the client "
        "leaves on 142 more of the month's 664 visits",
        "- Value-based pricing: 95% (target 98%, score 97%). Charge list price for "
        "<Skin fade>: CAD 40 under list this month",
    ]


def test_a_warehouse_without_the_scorecard_says_so() -> None:
    assert "not built yet" in scorecard_html(None, "CAD")
    assert scorecard_text(None, "CAD") == ["- No complete month scored yet."]
