"""The upsell lever in an owner's words: levers with their evidence, or why there is none."""

from decimal import Decimal

import pandas as pd

from chairside.presentation.analytics.levers import upsell_verdict


def pairs(*rows: tuple) -> pd.DataFrame:
    columns = [
        "service_a_name", "service_b_name", "clients", "clients_with_both", "lift",
        "clients_with_a_not_b", "effect_low", "effect_high", "is_enough_data",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def test_a_pair_bought_together_more_than_by_chance_is_a_lever_with_its_range() -> None:
    sentence, table = upsell_verdict(
        pairs(
            (
                "Haircut",
                "Beard trim",
                400,
                60,
                Decimal("1.5"),
                90,
                Decimal("540"),
                Decimal("900"),
                True,
            ),
            (
                "Haircut",
                "Colour",
                400,
                12,
                Decimal("1.05"),
                138,
                Decimal("10"),
                Decimal("12"),
                True,
            ),
        ),
        "CAD",
    )
    assert sentence == "1 service pairs sell together more than by chance."
    (row,) = table.to_dict("records")
    assert row["Bought together"] == "60 clients, 1.5× chance"
    assert row["Clients to offer"] == 90
    assert row["Expected a year"] == "CAD 540 to 900"
    assert row["Assumption"].startswith("Assumes each client who had Haircut but never Beard trim")


def test_pairs_no_better_than_chance_are_said_to_be_no_lever() -> None:
    sentence, table = upsell_verdict(
        pairs(("Beard trim", "Shave", 1089, 14, Decimal("1.0437"), 162, 568, 593, True)), "CAD"
    )
    assert table.empty
    assert sentence == (
        "No pair of services goes together much more often than chance (best: Beard trim and "
        "Shave, 1.04 times chance): no upsell lever in the data."
    )


def test_a_shop_too_small_is_told_so() -> None:
    sentence, table = upsell_verdict(
        pairs(("Haircut", "Beard trim", 4, 2, Decimal("0.8889"), 1, 13, 15, False)), "CAD"
    )
    assert table.empty
    assert sentence.startswith("Too small to read service pairs from: 4 clients in the last year")
