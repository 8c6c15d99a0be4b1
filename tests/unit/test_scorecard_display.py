"""The scorecard as an owner reads it: units, signs, missing values and the headline."""

import datetime as dt
from decimal import Decimal

import pandas as pd

from chairside.presentation.analytics.scorecard import display_table, headline, value_text

CARD = pd.DataFrame(
    {
        "month_start": [dt.date(2026, 1, 1)] * 3,
        "principle": ["premium_positioning", "revenue_per_hour", "brand_and_reach"],
        "principle_name": ["Premium positioning", "Revenue per hour", "Brand and reach"],
        "value": [Decimal("0.2500"), Decimal("25.0000"), None],
        "target": [Decimal("0.3000"), None, Decimal("0.1000")],
        "score": [Decimal("0.8333"), None, None],
        "next_change": ["Sell CAD 20 more", "No target set", "Not enough data this month"],
        "health_score": [Decimal("0.8333")] * 3,
        "principles_scored": [1] * 3,
    }
)


def test_each_principle_in_its_own_unit() -> None:
    table = display_table(CARD, "CAD")
    assert table.to_dict("records") == [
        {
            "Principle": "Premium positioning",
            "Value": "25%",
            "Target": "30%",
            "Score": "83%",
            "The change that would move it most": "Sell CAD 20 more",
        },
        {
            "Principle": "Revenue per hour",
            "Value": "CAD 25 an hour",
            "Target": "–",
            "Score": "–",
            "The change that would move it most": "No target set",
        },
        {
            "Principle": "Brand and reach",
            "Value": "–",
            "Target": "+10%",
            "Score": "–",
            "The change that would move it most": "Not enough data this month",
        },
    ]


def test_growth_keeps_its_sign() -> None:
    assert value_text("brand_and_reach", -0.125, "CAD") == "-12%"


def test_headline_names_the_month_and_how_many_principles_count() -> None:
    assert headline(CARD) == "Health 83% in January 2026 (1 of 3 principles scored)"
