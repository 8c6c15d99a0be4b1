"""The off-peak and pricing levers in an owner's words: levers with their evidence, range and
assumption, or why there is none."""

from decimal import Decimal

import pandas as pd

from chairside.presentation.analytics.offpeak import offpeak_verdict
from chairside.presentation.analytics.pricing import price_verdict
from chairside.presentation.snapshot.levers_section import levers_text, offpeak_html, pricing_html


def hours(*rows: tuple) -> pd.DataFrame:
    columns = [
        "iso_dow", "hour_of_day", "window_weeks", "weeks_open", "utilization",
        "target_utilization", "weeks_full", "calls_missed_while_full", "lever", "effect_low",
        "effect_high", "is_enough_data",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def services(*rows: tuple) -> pd.DataFrame:
    columns = [
        "service_name", "visits", "visits_below_list", "realisation", "effect_low",
        "effect_high", "is_enough_data",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


BUSY = (6, 11, 13, 13, Decimal("0.97"), Decimal("0.75"), 12, 9, "turning_away", 975, 3900, True)
QUIET = (2, 9, 13, 13, Decimal("0.12"), Decimal("0.75"), 0, 0, "quiet_hour", 2600, 6500, True)
PLAIN = (3, 14, 13, 13, Decimal("0.6"), Decimal("0.75"), 1, 0, None, None, None, True)


def test_hours_turning_callers_away_come_first_with_their_evidence_and_range() -> None:
    sentence, table = offpeak_verdict(hours(QUIET, PLAIN, BUSY), "CAD")
    assert sentence.startswith("1 hours of the week turn callers away")
    assert "and 1 are quiet, over the last 13 complete weeks" in sentence
    busy, quiet = table.to_dict("records")
    assert busy["Hour"] == "Sat 11:00–12:00"
    assert busy["What the data shows"] == (
        "9 calls missed in the 12 of 13 weeks the chairs were full"
    )
    assert busy["Expected a year"] == "CAD 975 to 3,900"
    assert quiet["Hour"] == "Tue 09:00–10:00"
    assert quiet["What the data shows"] == (
        "12% of staffed chair time used over 13 weeks (target 75%)"
    )
    assert "half the utilization target" in quiet["Assumption"]


def test_a_shop_too_young_for_hours_is_told_so() -> None:
    young = (6, 11, 5, 5, Decimal("0.97"), Decimal("0.75"), 5, 9, "turning_away", 1, 2, False)
    sentence, table = offpeak_verdict(hours(young), "CAD")
    assert sentence.startswith("Too few complete weeks to read the hours from: 5 in the last 13")
    assert table.empty


def test_no_lever_hour_says_there_is_none() -> None:
    sentence, table = offpeak_verdict(hours(PLAIN), "CAD")
    assert sentence.endswith("no off-peak lever in the data.")
    assert table.empty


def test_services_charged_below_list_are_levers_with_their_range() -> None:
    sentence, table = price_verdict(
        services(
            ("Haircut", 400, 40, Decimal("0.9274"), Decimal("6.52"), Decimal("900"), True),
            ("Beard trim", 300, 0, Decimal("1.0"), Decimal("0"), Decimal("0"), True),
            ("Colour", 4, 2, Decimal("0.5"), Decimal("80"), Decimal("90"), False),
        ),
        "CAD",
    )
    assert sentence == "1 services are charged below their list price."
    (row,) = table.to_dict("records")
    assert row["Charged against list"] == "92.7% of list; 40 of 400 visits below list"
    assert row["Expected a year"] == "CAD 7 to 900"


def test_prices_too_few_or_all_at_list_say_so() -> None:
    few = services(("Colour", 4, 2, Decimal("0.5"), Decimal("80"), Decimal("90"), False))
    assert price_verdict(few, "CAD")[0].startswith("Too few visits to read prices from: at most 4")
    full = services(("Haircut", 400, 0, Decimal("1.0"), Decimal("0"), Decimal("0"), True))
    assert price_verdict(full, "CAD")[0].endswith("no pricing lever.")


def test_the_snapshot_shows_both_levers_or_that_they_are_not_built() -> None:
    html = offpeak_html(hours(BUSY), "CAD") + pricing_html(None, "CAD")
    assert "Sat 11:00–12:00" in html and "Pricing lever not built yet." in html
    lines = levers_text(hours(BUSY), None, "CAD")
    assert lines[1].startswith("- Sat 11:00–12:00; 9 calls missed")
